//! The cumulative-volume state commitment `state_k`: the encoding of its body, the commitment, and
//! the state file (`state-K.json`) that carries it with its opening.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::scheme::{commit_fields, Commitment, Salt};
use crate::{
    encoding::{int_fe, pack_volumes, tag, VOLUMES_PER_ELEMENT},
    layout::Layout,
    model::{msa::Msa, state::VolumeState},
    Error, Fr, Shape,
};

/// Fields of the state body of `shape`: the MSA commitment, `k` and `P` volumes packed four per
/// element.
pub const fn state_body_len(shape: Shape) -> usize {
    2 + shape.products.div_ceil(VOLUMES_PER_ELEMENT)
}

/// The state body: the MSA commitment, the index `k`, then the `P` cumulative volumes,
/// zero-padded, packed four per element ([`pack_volumes`]). The volumes are below `2^63`
/// ([`VolumeState::check`]).
pub fn state_fields(msa_commitment: Fr, state: &VolumeState, shape: Shape) -> Vec<Fr> {
    let mut volumes = state.volumes.clone();
    volumes.resize(shape.products, 0);
    let mut out = vec![msa_commitment, int_fe(state.index)];
    out.extend(pack_volumes(&volumes));
    out
}

/// `state_k`: the MSA commitment, `k` and the cumulative volume of each product slot.
pub fn state_commitment(
    msa_commitment: Commitment,
    state: &VolumeState,
    shape: Shape,
    salt: &Salt,
) -> Result<Commitment, Error> {
    state.check()?;
    if state.volumes.len() > shape.products {
        return Err(Error::Shape(format!(
            "the state has {} products; shape {shape} has {} slots",
            state.volumes.len(),
            shape.products
        )));
    }
    Ok(commit_fields(
        tag::STATE,
        &state_fields(msa_commitment.0, state, shape),
        salt,
    ))
}

/// A cumulative-volume state file (`state-K.json`): the state, its salt and its commitment.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StateDoc {
    /// Shape name.
    pub shape: String,
    /// The MSA's id.
    pub msa_id: String,
    /// The MSA commitment the state belongs to.
    pub msa_commitment: Commitment,
    /// `k`.
    pub index: u64,
    /// Cumulative volume per product id (decimal strings).
    pub volumes: BTreeMap<String, String>,
    /// The salt (hex).
    pub salt: String,
    /// `state_k`.
    pub commitment: Commitment,
}

/// A state with what it was opened from.
#[derive(Clone, Debug)]
pub struct StateOpening {
    /// The state.
    pub state: VolumeState,
    /// The shape (v1) or partition shape (v2) it is committed under.
    pub shape: Layout,
    /// The MSA commitment.
    pub msa_commitment: Commitment,
    /// The salt.
    pub salt: Salt,
    /// The commitment.
    pub commitment: Commitment,
}

impl StateOpening {
    /// Commits to `state`.
    pub fn new(
        msa_commitment: Commitment,
        state: VolumeState,
        shape: impl Into<Layout>,
        salt: Salt,
    ) -> Result<Self, Error> {
        let shape = shape.into();
        let commitment = crate::commit::state_commitment(msa_commitment, &state, shape, &salt)?;
        Ok(Self {
            state,
            shape,
            msa_commitment,
            salt,
            commitment,
        })
    }

    /// Reads a state file, checking that it belongs to `msa` and that its commitment opens.
    pub fn from_doc(msa: &Msa, doc: &StateDoc) -> Result<Self, Error> {
        if doc.msa_id != msa.id {
            return Err(Error::invalid(
                "msaId",
                format!("the state belongs to MSA {:?}, not {:?}", doc.msa_id, msa.id),
            ));
        }
        let shape: Layout = doc.shape.parse()?;
        let state = VolumeState::from_map(msa, doc.index, &doc.volumes)?;
        let salt: Salt = doc.salt.parse()?;
        let opened = Self::new(doc.msa_commitment, state, shape, salt)?;
        if opened.commitment != doc.commitment {
            return Err(Error::invalid(
                "commitment",
                "does not open with the file's volumes, index and salt (the file was altered, or made under an earlier encoding)",
            ));
        }
        Ok(opened)
    }

    /// The state file.
    pub fn to_doc(&self, msa: &Msa) -> StateDoc {
        StateDoc {
            shape: self.shape.name().to_string(),
            msa_id: msa.id.clone(),
            msa_commitment: self.msa_commitment,
            index: self.state.index,
            volumes: self.state.to_map(msa),
            salt: self.salt.to_hex(),
            commitment: self.commitment,
        }
    }
}
