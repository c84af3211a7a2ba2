//! The check itself, step by step: the scheme and key, the invoice against its proven commitment,
//! the public inputs against what was agreed, the proof.

use zkinvoice_circuits::{partition::PartitionShape, statement::STATEMENT, Invoice};
use zkinvoice_prover::partition::PARTITIONED;
use zkinvoice_verifier::partition::{verify_partitioned, PartitionProofRefs, PartitionVerifyingKeys, Tops};
use zkinvoice_verifier::{PreparedInvoiceKey, VerifyError, SCHEME};

use crate::{Agreed, Anchored, Commitments, Received, Rejection};

/// The invoice `r` states, checked to be proved under this scheme, statement and `key`, and to
/// open the proven invoice commitment.
fn open(key: &PreparedInvoiceKey, r: &Received<'_>) -> Result<Invoice, Rejection> {
    if r.scheme != SCHEME || r.statement != STATEMENT {
        return Err(Rejection::Scheme {
            form: r.form(),
            scheme: r.scheme.to_string(),
            statement: r.statement.to_string(),
        });
    }
    key.check_hash(r.vk_hash).map_err(Rejection::Key)?;
    Ok(r.opened()?.invoice)
}

/// The Groth16 proof of `r` under `key`.
fn verify_proof(key: &PreparedInvoiceKey, r: &Received<'_>) -> Result<(), Rejection> {
    // A partitioned envelope has no single proof; `open` refused its statement before.
    let proof = r.proof.ok_or(Rejection::InvalidProof)?;
    match zkinvoice_verifier::verify(key, proof, r.public_inputs) {
        Ok(()) => Ok(()),
        Err(VerifyError::InvalidProof) => Err(Rejection::InvalidProof),
        Err(e @ VerifyError::KeyMismatch { .. }) => Err(Rejection::Key(e)),
        Err(e) => Err(Rejection::Malformed {
            field: "proof".into(),
            reason: e.to_string(),
        }),
    }
}

/// Everything [`check`] checks but the proof itself (for a batch, whose proofs are then verified
/// together).
pub fn check_before_proof(
    key: &PreparedInvoiceKey,
    r: &Received<'_>,
    agreed: &Agreed,
) -> Result<Invoice, Rejection> {
    let invoice = open(key, r)?;
    let p = r.public_inputs;
    agreed.check(p)?;
    Ok(invoice)
}

/// Checks a received invoice against commitments the Buyer names itself (each optional) and
/// the verifying key `key`: the scheme and key, the invoice against its proven commitment, the
/// public inputs against `agreed`, then the proof. Returns the invoice.
pub fn check(key: &PreparedInvoiceKey, r: &Received<'_>, agreed: &Agreed) -> Result<Invoice, Rejection> {
    let invoice = check_before_proof(key, r, agreed)?;
    verify_proof(key, r)?;
    Ok(invoice)
}

/// Checks a received invoice against what `view` (the Buyer's anchor log, or an anchor contract
/// read back) anchored: the proof must be under the MSA's anchored verifying key; the invoice
/// must open the proven invoice commitment; the proof must be against the anchored MSA
/// commitment, the usage agreed for the invoice's period and the MSA's latest state (or, for an
/// invoice already anchored, the anchored states); then the proof must verify. Returns the
/// invoice.
pub fn check_anchored(view: &impl Anchored, r: &Received<'_>) -> Result<Invoice, Rejection> {
    let p = r.public_inputs;
    let key = view
        .verifying_key(&p.msa_commitment)
        .ok_or(Rejection::MsaNotAnchored {
            msa: p.msa_commitment,
        })?;
    let invoice = open(key, r)?;
    let period = invoice.period.to_doc();
    let usage = view
        .agreed_usage(&p.msa_commitment, &period.start, &period.end)
        .ok_or_else(|| Rejection::NoUsage {
            start: period.start.clone(),
            end: period.end.clone(),
        })?;
    if usage != p.usage_commitment {
        return Err(Rejection::NotAgreed {
            what: Commitments::Usage,
            proven: p.usage_commitment,
            agreed: usage,
        });
    }
    let proven = (p.state_before, p.state_after);
    match view.invoice_states(&p.invoice_commitment) {
        Some(anchored) if anchored != proven => {
            return Err(Rejection::NotTheAnchoredStates {
                form: r.form(),
                states: Box::new([proven, anchored]),
            })
        }
        Some(_) => {}
        None => {
            let latest = view.latest_state(&p.msa_commitment);
            if latest != Some(p.state_before) {
                return Err(Rejection::NotTheLatestState {
                    proven: p.state_before,
                    latest,
                });
            }
        }
    }
    verify_proof(key, r)?;
    Ok(invoice)
}

/// Checks a received partitioned envelope (protocol v2, [`Received::of_partitioned`]) against the
/// verifying keys held for its partition shape and the commitments `agreed`: the scheme,
/// statement, shape and key hashes are the held ones; the invoice opens the proven invoice
/// commitment and the state after opens `state_after` (as for v1); the five commitments are the
/// agreed ones; then the parts open them and every partition's proof verifies, in one batch
/// ([`zkinvoice_verifier::partition::verify_partitioned`]). Returns the invoice.
pub fn check_partitioned(
    keys: &PartitionVerifyingKeys,
    shape: PartitionShape,
    r: &Received<'_>,
    agreed: &Agreed,
) -> Result<Invoice, Rejection> {
    let scheme = || Rejection::Scheme {
        form: r.form(),
        scheme: r.scheme.to_string(),
        statement: r.statement.to_string(),
    };
    let env = r.partitioned().ok_or_else(scheme)?;
    if r.scheme != SCHEME || r.statement != PARTITIONED {
        return Err(scheme());
    }
    if r.shape != shape.name {
        return Err(Rejection::Mismatch {
            field: "shape".into(),
            reason: format!(
                "{:?} is not the held keys' partition shape {}",
                r.shape, shape.name
            ),
        });
    }
    // The sizes are bound by the MSA commitment's top; checked here too, so that parts of another
    // shape are named as such rather than as a commitment that does not open.
    if env.parts.sizes != shape.sizes() {
        return Err(Rejection::Mismatch {
            field: "parts.sizes".into(),
            reason: format!("{:?} are not partition shape {}'s", env.parts.sizes, shape.name),
        });
    }
    keys.block
        .check_hash(&env.vk_hashes.block)
        .map_err(Rejection::Key)?;
    keys.chunk
        .check_hash(&env.vk_hashes.chunk)
        .map_err(Rejection::Key)?;
    keys.link
        .check_hash(&env.vk_hashes.link)
        .map_err(Rejection::Key)?;
    let invoice = r.opened()?.invoice;
    let p = r.public_inputs;
    agreed.check(p)?;
    let tops = Tops {
        msa: p.msa_commitment,
        usage: p.usage_commitment,
        state_before: p.state_before,
        state_after: p.state_after,
        invoice: p.invoice_commitment,
    };
    let proofs = PartitionProofRefs {
        blocks: &env.proofs.blocks,
        chunks: &env.proofs.chunks,
        link: &env.proofs.link,
    };
    verify_partitioned(keys, &tops, &env.parts, proofs, &mut rand::rngs::OsRng)
        .map_err(Rejection::Partitions)?;
    Ok(invoice)
}
