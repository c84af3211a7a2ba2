//! The anchor contract on a chain, as the commands reach it: connections, errors named with the
//! node and the contract, and what the contract holds for one invoice.

use std::path::Path;

use zkinvoice_check::chain::{ChainFacts, ChainTarget};
use zkinvoice_circuits::model::period::PeriodDoc;
use zkinvoice_evm::{chain::ChainAnchor, EvmError};
use zkinvoice_verifier::{Fr, InvoiceVerifyingKeys};

use crate::{
    error::{chain_err, rejected, CliError},
    load,
    resolve::ChainAt,
};

impl ChainAt {
    /// A chain error, prefixed with the node and contract.
    pub fn err(&self) -> impl Fn(EvmError) -> CliError + '_ {
        move |e| CliError::chain(format_args!("{} {}", self.url, self.contract), e)
    }

    /// The anchor, read-only.
    pub fn read_only(&self) -> Result<ChainAnchor, CliError> {
        ChainAnchor::connect_read_only(&self.url, self.contract).map_err(self.err())
    }

    /// The anchor, acting as the party whose key file is `key`.
    pub fn as_party(&self, key: &Path) -> Result<ChainAnchor, CliError> {
        ChainAnchor::connect(&self.url, self.contract, &load::eth_key(key)?).map_err(self.err())
    }

    /// The target with the bilateral's verifying key, for [`ChainFacts::read`].
    pub fn with_key(&self, vk: InvoiceVerifyingKeys) -> ChainTarget {
        ChainTarget {
            url: self.url.clone(),
            contract: self.contract,
            key: vk.prepare(),
            confirmations: self.confirmations,
        }
    }

    /// What the anchor contract holds for one invoice (`invoice` of `period`), read back with the
    /// bilateral's key `vk`: a key mismatch (exit 3) if the contract's verifier is for another
    /// key; invalid (exit 1) if confirmations were asked and the contract has not accepted the
    /// invoice that deep.
    pub fn facts(
        &self,
        vk: InvoiceVerifyingKeys,
        period: Option<&PeriodDoc>,
        invoice: &Fr,
    ) -> Result<ChainFacts, CliError> {
        let facts = ChainFacts::read(&self.with_key(vk), period, invoice).map_err(chain_err)?;
        if let Some(r) = facts.unconfirmed() {
            return Err(rejected(None, r));
        }
        Ok(facts)
    }
}
