//! The agreed commitments a Buyer gives explicitly (`verify --msa-commit --usage-commit --state`),
//! each optional: what is not given is not checked.

use zkinvoice_circuits::Commitment;

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
}
