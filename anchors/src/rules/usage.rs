//! The `usage-agreed` rule: a period's usage is agreed once per MSA, for an anchored MSA.

use zkinvoice_verifier::Fr;

use super::fields::DatedPeriod;
use crate::error::Rule;
use crate::view::{MsaView, View};

/// Admits a `usage-agreed` entry: the period is two dates, the detail root 32 bytes of hex, the
/// MSA anchored, the period's usage not agreed yet and, if the parties measured the period,
/// reconciled or resolved on this usage ([`super::reconcile::agreement`]).
pub(super) fn usage_agreed(
    view: &mut View,
    seq: u64,
    msa: &Fr,
    period: DatedPeriod<'_>,
    usage: &Fr,
    detail_root: &str,
) -> Result<(), Rule> {
    let m = unagreed(view, msa, period, detail_root)?;
    super::reconcile::agreement(m, period, usage)?;
    view.agree_usage(seq, msa, period.key(), *usage);
    Ok(())
}

/// The MSA of a usage (agreed or partial) of `period` whose usage is not agreed yet: the period is
/// two dates, the detail root 32 bytes of hex, the MSA anchored.
pub(super) fn unagreed<'v>(
    view: &'v View,
    msa: &Fr,
    period: DatedPeriod<'_>,
    detail_root: &str,
) -> Result<&'v MsaView, Rule> {
    period.check()?;
    if hex::decode(detail_root).map(|b| b.len()) != Ok(32) {
        return Err(Rule::InvalidDetailRoot {
            value: detail_root.into(),
        });
    }
    let m = view.msa(msa).ok_or(Rule::MsaNotAnchored { msa: *msa })?;
    if let Some(u) = m.usage.get(&period.key()) {
        return Err(Rule::UsageAlreadyAgreed {
            msa: *msa,
            period_start: period.start.into(),
            period_end: period.end.into(),
            seq: u.seq,
        });
    }
    Ok(m)
}
