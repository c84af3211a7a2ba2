//! `anchors propose`'s settlement entries (`docs/lifecycle.md`): the Buyer's payment of an
//! accepted invoice in full, and the Seller's receipt of it.

use std::path::Path;

use zkinvoice_anchors::Body;
use zkinvoice_mef141::CustomerBill;
use zkinvoice_prover::ProofEnvelope;
use zkinvoice_verifier::Fr;

use crate::{args::ProposeArgs, error::CliError, io::read_json};

/// The body of `--paid` or `--received`, or `None` when neither is given.
pub fn body(a: &ProposeArgs) -> Result<Option<Body>, CliError> {
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
