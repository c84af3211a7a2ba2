//! The usage commitment: the encoding of its body, the commitment, and the file `usage commit`
//! writes.

use serde::{Deserialize, Serialize};

use super::scheme::{commit_fields, Commitment, Salt};
use crate::{
    encoding::{day_number, int_fe, pack_records, tag, RECORDS_PER_ELEMENT},
    model::{msa::Msa, period::PeriodDoc, usage::Usage},
    Error, Fr, Shape,
};

/// Elements the `U` records of a shape pack into.
pub const fn usage_record_elements(shape: Shape) -> usize {
    shape.records.div_ceil(RECORDS_PER_ELEMENT)
}

/// Fields of the usage body of `shape`: the MSA commitment, the period (2) and the packed records.
pub const fn usage_body_len(shape: Shape) -> usize {
    3 + usage_record_elements(shape)
}

/// The usage body: the MSA commitment, the period, then the `U` records `(slot, quantity)` in
/// canonical order, zero-padded and packed four per element ([`pack_records`]).
pub fn usage_fields(msa_commitment: Fr, usage: &Usage, shape: Shape) -> Vec<Fr> {
    let mut out = vec![
        msa_commitment,
        int_fe(day_number(usage.period.start)),
        int_fe(day_number(usage.period.end)),
    ];
    let mut records: Vec<(usize, u64)> = usage.records.iter().map(|r| (r.slot, r.quantity)).collect();
    records.resize(usage_record_elements(shape) * RECORDS_PER_ELEMENT, (0, 0));
    out.extend(records.chunks(RECORDS_PER_ELEMENT).map(pack_records));
    out
}

/// `usage_commitment`: the MSA commitment, the period and the `(slot, quantity)` of each record.
pub fn usage_commitment(
    msa_commitment: Commitment,
    msa: &Msa,
    usage: &Usage,
    shape: Shape,
    salt: &Salt,
) -> Result<Commitment, Error> {
    shape.check(msa.need(usage.records.len()))?;
    Ok(commit_fields(
        tag::USAGE,
        &usage_fields(msa_commitment.0, usage, shape),
        salt,
    ))
}

/// The output of `zkinvoice usage commit`: what both parties sign into the `usage-agreed` anchor.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UsageCommitDoc {
    /// Shape name.
    pub shape: String,
    /// The MSA commitment the usage is bound to.
    pub msa_commitment: Commitment,
    /// The period.
    pub period: PeriodDoc,
    /// Number of records.
    pub records: usize,
    /// `usage_commitment`.
    pub commitment: Commitment,
    /// `usage_detail_root` (hex).
    pub detail_root: String,
    /// The salt of both (hex). Secret to the two parties.
    pub salt: String,
}
