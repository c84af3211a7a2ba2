//! `anchors propose`'s settlement entries (`docs/lifecycle.md`): the Buyer's payment of an
//! accepted invoice in full, the Seller's receipt of it, and a credit note carried forward to a
//! later invoice.

use std::path::Path;

use zkinvoice_anchors::{Body, CreditCarried};
use zkinvoice_mef141::CustomerBill;
use zkinvoice_prover::{credit::CreditEnvelope, ProofEnvelope};
use zkinvoice_verifier::Fr;

use crate::{args::ProposeArgs, error::CliError, io::read_json};

/// The body of `--paid`, `--received` or `--carry`, or `None` when none is given.
pub fn body(a: &ProposeArgs) -> Result<Option<Body>, CliError> {
    if let (Some(note), Some(to)) = (&a.carry, &a.to) {
        let env: CreditEnvelope = read_json(note)?;
        let (msa_commitment, invoice_commitment) = invoice(to)?;
        if env.public_inputs.msa_commitment != msa_commitment {
            return Err(CliError::Mismatch(format!(
                "{} and {}: the note and the invoice are of different MSAs",
                note.display(),
                to.display()
            )));
        }
        return Ok(Some(Body::CreditCarried(CreditCarried {
            msa_commitment,
            credit_commitment: env.public_inputs.credit_commitment,
            invoice_commitment,
        })));
    }
    let (path, paid) = match (&a.paid, &a.received) {
        (Some(path), _) => (path, true),
        (None, Some(path)) => (path, false),
        (None, None) => return Ok(None),
    };
    let (Some(reference), Some(on)) = (a.reference.clone(), a.on.clone()) else {
        return Err(CliError::Usage(
            "--paid and --received need --reference and --on".into(),
        ));
    };
    let (msa_commitment, invoice_commitment) = invoice(path)?;
    Ok(Some(if paid {
        Body::Payment {
            msa_commitment,
            invoice_commitment,
            paid_on: on,
            reference,
        }
    } else {
        Body::PaymentReceived {
            msa_commitment,
            invoice_commitment,
            received_on: on,
            reference,
        }
    }))
}

/// The MSA and invoice commitments of a bill (a JSON object with `zkProof`) or a proof envelope.
fn invoice(path: &Path) -> Result<(Fr, Fr), CliError> {
    let v: serde_json::Value = read_json(path)?;
    if v.get("zkProof").is_some() {
        let bill: CustomerBill = read_json(path)?;
        let p = &bill.zk_proof.public_inputs;
        return Ok((p.msa_commitment, p.invoice_commitment));
    }
    let env: ProofEnvelope = read_json(path)?;
    let p = &env.public_inputs;
    Ok((p.msa_commitment, p.invoice_commitment))
}
