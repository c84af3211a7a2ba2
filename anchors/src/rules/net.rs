//! The netting's rule (`docs/lifecycle.md`): `invoices-netted` nets an invoice of this log,
//! accepted and not paid, against one of the opposite bilateral between the same parties, once
//! each, with a proof under the MSA's netting key of the net and who pays it. That the other
//! invoice was accepted in its own log is its Buyer's signature, `otherAccepted`, which the
//! signature rule checks with this log's Seller's key. A netting of two partitioned invoices
//! (`parts`) is proved under the MSA's `zkinvoice/netting/v2` key, over the two invoices' heads,
//! each invoice commitment the top of its parts.

use zkinvoice_verifier::{
    partition::invoice_top, verify, Fr, InvoiceProof, NettingHeadsPublicInputs, NettingHeadsStatement,
    NettingPublicInputs, NettingStatement, Statement,
};

use super::decision::{anchored_invoice, not_accepted};
use super::fields::DatedPeriod;
use crate::body::{Body, NettedParts};
use crate::error::{NetRule, Rule};
use crate::role::Role;
use crate::view::{MsaView, View};

/// Admits an `invoices-netted` entry (other kinds are admitted by their own rules).
pub(super) fn admit(view: &mut View, seq: u64, body: &Body) -> Result<(), Rule> {
    let Body::InvoicesNetted {
        msa_commitment: msa,
        invoice_commitment: invoice,
        other_msa_commitment: other_msa,
        other_invoice_commitment: other,
        period_start,
        period_end,
        payer,
        net_commitment,
        proof,
        parts,
        ..
    } = body
    else {
        return Ok(());
    };
    let period = DatedPeriod::new(period_start, period_end);
    period.check()?;
    if other_msa == msa {
        return Err(NetRule::SameMsa { msa: *msa }.into());
    }
    let i = anchored_invoice(view, msa, invoice)?;
    super::partial::whole(view, invoice, false)?;
    if let Some(status) = not_accepted(&i.status) {
        return Err(NetRule::NotAccepted {
            invoice: *invoice,
            status,
        }
        .into());
    }
    if let Some(s) = &i.settlement {
        return Err(NetRule::AlreadyPaid {
            invoice: *invoice,
            seq: s.paid,
        }
        .into());
    }
    let carried = view.carried_to(invoice).first().map(|(_, c)| c.seq);
    if let Some(seq) = view.credit_of(invoice).map(|c| c.seq).or(carried) {
        return Err(NetRule::Credited {
            invoice: *invoice,
            seq,
        }
        .into());
    }
    for c in [invoice, other] {
        if let Some(seq) = view.netted(c) {
            return Err(NetRule::AlreadyNetted { invoice: *c, seq }.into());
        }
    }
    let m = view.msa(msa).ok_or(Rule::MsaNotAnchored { msa: *msa })?;
    let inputs = inputs((*invoice, *other), *net_commitment, *payer, period.days()?);
    proved(
        (msa, m),
        (*invoice, *other),
        inputs,
        (*payer, parts.as_ref()),
        proof,
    )?;
    view.net(seq, [*invoice, *other], *net_commitment, *msa, *payer);
    Ok(())
}

/// Verifies a netting's `proof` of `inputs` under the MSA's (`msa`, `m`) key of its statement: v1's, or
/// with `parts` (two partitioned invoices, `invoices`: this log's and the other) v2's over the
/// heads, once each invoice commitment is the top of its parts.
fn proved(
    (msa, m): (&Fr, &MsaView),
    (invoice, other): (Fr, Fr),
    inputs: NettingPublicInputs,
    (payer, parts): (Role, Option<&NettedParts>),
    proof: &str,
) -> Result<(), Rule> {
    let proof = InvoiceProof::from_base64(proof).map_err(Rule::MalformedProof)?;
    let refused = |key_hash: String| NetRule::NettingProofDoesNotVerify { key_hash, payer };
    match parts {
        None => {
            let Some((_, key)) = &m.netting_key else {
                return Err(no_key(msa, NettingStatement::ID));
            };
            verify(key, &proof, &inputs).map_err(|_| refused(key.hash_hex()))?;
        }
        Some(p) => {
            let Some((_, key)) = &m.netting_heads_key else {
                return Err(no_key(msa, NettingHeadsStatement::ID));
            };
            for (which, c, parts) in [
                ("this log's", invoice, &p.invoice),
                ("the other", other, &p.other),
            ] {
                if invoice_top(parts.head, &parts.parts) != c {
                    return Err(NetRule::NotTheParts { which, invoice: c }.into());
                }
            }
            let [first, second] = p.ordered(invoice, other);
            let heads = NettingHeadsPublicInputs {
                netting: inputs,
                first_head: first.head,
                second_head: second.head,
            };
            verify(key, &proof, &heads).map_err(|_| refused(key.hash_hex()))?;
        }
    }
    Ok(())
}

/// [`NetRule::NoNettingKey`] of `statement` under `msa`.
fn no_key(msa: &Fr, statement: &'static str) -> Rule {
    NetRule::NoNettingKey { msa: *msa, statement }.into()
}

/// The netting statement's public inputs of a netting of this log's `invoice` against the other
/// bilateral's (`invoices`: this log's, then the other), `payer` by this log's roles, over the
/// period's `days` (the first day and the first day after, days since 1970-01-01).
pub(crate) fn inputs(invoices: (Fr, Fr), net: Fr, payer: Role, days: [Fr; 2]) -> NettingPublicInputs {
    let (invoice, other) = invoices;
    let [first, second] = NettingPublicInputs::ordered(invoice, other);
    // Bit 0: the first invoice's buyer pays. This log's Buyer is the buyer of this log's invoice,
    // and the seller of the other.
    let buyer_pays_bit = u64::from(first != invoice);
    let bit = match payer {
        Role::Buyer => buyer_pays_bit,
        Role::Seller => 1 - buyer_pays_bit,
    };
    NettingPublicInputs {
        first_invoice: first,
        second_invoice: second,
        net_commitment: net,
        payer: Fr::from(bit),
        period_start: days[0],
        period_end: days[1],
    }
}
