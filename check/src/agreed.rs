//! The agreed commitments a Buyer gives explicitly (`verify --msa-commit --usage-commit --state`),
//! each optional: what is not given is not checked.

use zkinvoice_circuits::Commitment;
use zkinvoice_verifier::InvoicePublicInputs;

use crate::{Commitments, Rejection};

/// The commitments a proof must be against, when the Buyer names them itself.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Agreed {
    /// The MSA commitment.
    pub msa: Option<Commitment>,
    /// The period's usage commitment.
    pub usage: Option<Commitment>,
    /// The state the period starts from.
    pub state_before: Option<Commitment>,
}

impl Agreed {
    /// Which commitments are checked, for people.
    pub fn describe(&self) -> String {
        let checked: Vec<&str> = [
            ("MSA", self.msa.is_some()),
            ("usage", self.usage.is_some()),
            ("state", self.state_before.is_some()),
        ]
        .into_iter()
        .filter_map(|(n, on)| on.then_some(n))
        .collect();
        if checked.is_empty() {
            "nothing: pass --msa-commit, --usage-commit, --state".to_string()
        } else {
            checked.join(", ")
        }
    }

    /// Checks that the proven commitments `p` are the agreed ones given:
    /// [`Rejection::NotAgreed`] names the first that is not.
    pub fn check(&self, p: &InvoicePublicInputs) -> Result<(), Rejection> {
        for (what, expected, proven) in [
            (Commitments::Msa, self.msa, p.msa_commitment),
            (Commitments::Usage, self.usage, p.usage_commitment),
            (Commitments::StateBefore, self.state_before, p.state_before),
        ] {
            if let Some(e) = expected.filter(|e| e.0 != proven) {
                return Err(Rejection::NotAgreed {
                    what,
                    proven,
                    agreed: e.0,
                });
            }
        }
        Ok(())
    }
}
