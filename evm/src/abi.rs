//! The contracts' ABI (declared with `alloy-sol-types`'s `sol!`), the calldata of their calls, and
//! the anchor's errors as [`ContractError`](crate::ContractError).
//!
//! Field elements (commitments, states) are 32-byte big-endian words: `bytes32` in the anchor,
//! `uint256` in the public-input array.

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{SolCall, SolConstructor};
use ark_ff::{BigInteger, PrimeField};
use zkinvoice_verifier::{Fr, InvoiceProof, InvoicePublicInputs, PUBLIC_INPUT_COUNT};

use crate::encoding::proof_calldata;

/// The generated ABI types: `IInvoiceVerifier` and `InvoiceAnchor`, with a struct per call
/// (`…Call`), return (`…Return`), event and error.
#[allow(missing_docs)]
pub mod contracts {
    alloy_sol_types::sol! {
        /// The verifier (`InvoiceVerifier.sol`).
        #[sol(all_derives)]
        interface IInvoiceVerifier {
            function VK_HASH() external view returns (bytes32);
            function PUBLIC_INPUTS() external view returns (uint256);
            function PROOF_LENGTH() external view returns (uint256);
            function verifyProof(bytes calldata proof, uint256[5] calldata input) external view returns (bool ok);
        }

        /// A verifier of a six-input statement (`NettingVerifier.sol`, `CreditVerifier.sol`).
        #[sol(all_derives)]
        interface IStatementVerifier {
            function VK_HASH() external view returns (bytes32);
            function PUBLIC_INPUTS() external view returns (uint256);
            function verifyProof(bytes calldata proof, uint256[6] calldata input) external view returns (bool ok);
        }

        /// The anchor (`InvoiceAnchor.sol`).
        #[sol(all_derives)]
        contract InvoiceAnchor {
            event MsaProposed(address indexed party, bytes32 msaCommitment, bytes32 state0, bytes32 vkHash);
            event MsaRegistered(bytes32 indexed msaCommitment, bytes32 state0, bytes32 vkHash);
            event UsageProposed(address indexed party, uint64 indexed periodId, bytes32 usageCommitment);
            event UsageRegistered(uint64 indexed periodId, bytes32 usageCommitment);
            event InvoiceSubmitted(
                uint64 indexed periodId,
                bytes32 indexed invoiceCommitment,
                bytes32 stateBefore,
                bytes32 stateAfter
            );
            event PaymentRecorded(uint64 indexed periodId, uint32 paidOn, string paymentReference);
            event PaymentReceived(uint64 indexed periodId, uint32 receivedOn, string paymentReference);
            event NettingTermsProposed(address indexed party, address counterpart, address nettingVerifier);
            event NettingRegistered(address counterpart, address nettingVerifier, bytes32 nettingVkHash);
            event NettingProposed(address indexed party, uint64 indexed periodId, bytes32 netCommitment);
            event CreditVerifierProposed(address indexed party, address creditVerifier);
            event CreditVerifierRegistered(address creditVerifier, bytes32 creditVkHash);
            event SlaProposed(address indexed party, uint64 indexed periodId, bytes32 slaCommitment);
            event SlaRegistered(uint64 indexed periodId, bytes32 slaCommitment);
            event CreditNoteRecorded(uint64 indexed periodId, bytes32 invoiceCommitment, bytes32 creditCommitment);
            event CreditCarryProposed(address indexed party, uint64 indexed fromPeriod, uint64 toPeriod);
            event CreditCarried(
                uint64 indexed fromPeriod,
                uint64 indexed toPeriod,
                bytes32 creditCommitment,
                bytes32 creditedInvoice,
                bytes32 invoiceCommitment
            );
            event ReconcileVerifierProposed(address indexed party, address reconcileVerifier);
            event ReconcileVerifierRegistered(address reconcileVerifier, bytes32 reconcileVkHash);
            event UsageMeasured(
                uint64 indexed periodId,
                address indexed party,
                bytes32 usageCommitment,
                bytes32 invoiceCommitment,
                bytes32 stateBefore,
                bytes32 stateAfter
            );
            event UsageReconciled(uint64 indexed periodId, address party);
            event DisputeOpened(uint64 indexed periodId, address party, uint256 over);
            event ResolutionProposed(address indexed party, uint64 indexed periodId, bytes32 usageCommitment, string resolution);
            event DisputeResolved(uint64 indexed periodId, bytes32 usageCommitment, string resolution);
            event PartialUsageProposed(address indexed party, uint64 indexed periodId, bytes32 usageCommitment);
            event PartialUsageRegistered(uint64 indexed periodId, bytes32 usageCommitment);
            event PartialInvoiceSubmitted(
                uint64 indexed periodId,
                bytes32 indexed invoiceCommitment,
                bytes32 stateBefore,
                bytes32 stateAfter
            );
            event PartialPaymentRecorded(uint64 indexed periodId, uint32 paidOn, string paymentReference);
            event PartialPaymentReceived(uint64 indexed periodId, uint32 receivedOn, string paymentReference);
            event InvoicesNetted(
                uint64 indexed periodId,
                bytes32 invoiceCommitment,
                bytes32 otherInvoiceCommitment,
                bytes32 netCommitment,
                address payer
            );

            error NotAParty(address caller);
            error NotTheSeller(address caller);
            error InvalidParties();
            error ZeroValue();
            error MsaAlreadyRegistered();
            error MsaNotRegistered();
            error WrongVerifyingKey(bytes32 expected, bytes32 given);
            error WrongKeySetup(bytes32 expected, bytes32 given);
            error UsageAlreadyRegistered(uint64 periodId);
            error UsageNotRegistered(uint64 periodId);
            error WrongMsa(bytes32 expected, bytes32 given);
            error WrongUsage(uint64 periodId, bytes32 expected, bytes32 given);
            error AlreadyInvoiced(uint64 periodId);
            error StaleState(bytes32 expected, bytes32 given);
            error InvalidProof();
            error NotAScalar(bytes32 value);
            error NotTheBuyer(address caller);
            error NotInvoiced(uint64 periodId);
            error AlreadyPaid(uint64 periodId);
            error NotPaid(uint64 periodId);
            error AlreadyReceived(uint64 periodId);
            error OtherReference(uint64 periodId);
            error ReceivedBeforePaid(uint64 periodId, uint32 paidOn, uint32 receivedOn);
            error NettingAlreadyRegistered();
            error NettingNotRegistered();
            error WrongCounterpart(address counterpart);
            error OtherNotInvoiced(uint64 periodId);
            error WrongInvoices(bytes32 first, bytes32 second);
            error WrongPeriod(uint64 periodId);
            error OtherPaid(uint64 periodId);
            error OtherNetting(uint64 periodId, bytes32 netCommitment);
            error AlreadyNetted(uint64 periodId);
            error CreditAlreadyRegistered();
            error CreditNotRegistered();
            error SlaAlreadyRegistered(uint64 periodId);
            error SlaNotRegistered(uint64 periodId);
            error WrongSla(uint64 periodId, bytes32 expected, bytes32 given);
            error WrongInvoice(uint64 periodId, bytes32 expected, bytes32 given);
            error AlreadyCredited(uint64 periodId);
            error OtherCredited(uint64 periodId);
            error NoCreditNote(uint64 periodId);
            error CreditNotAfterPayment(uint64 periodId);
            error AlreadyCarried(uint64 periodId, uint64 toPeriod);
            error ReconcileAlreadyRegistered();
            error ReconcileNotRegistered();
            error AlreadyMeasured(uint64 periodId, address party);
            error OtherState(uint64 periodId, bytes32 measuredFrom);
            error NotMeasured(uint64 periodId);
            error WrongMeasurements(bytes32 seller, bytes32 buyer);
            error AlreadyReconciled(uint64 periodId);
            error NotDisputed(uint64 periodId);
            error AlreadyResolved(uint64 periodId);
            error NotReconciled(uint64 periodId);
            error Disputed(uint64 periodId);
            error NotTheResolution(uint64 periodId, bytes32 expected, bytes32 given);
            error PartialAlreadyRegistered(uint64 periodId);
            error NoPartialUsage(uint64 periodId);
            error AlreadyPartiallyInvoiced(uint64 periodId);
            error NotPartiallyInvoiced(uint64 periodId);
            error NotWhole(uint64 periodId);
            error OtherNotWhole(uint64 periodId);

            constructor(address seller_, address buyer_, address verifier_);

            function CEREMONY_TRANSCRIPT() external view returns (bytes32);
            function seller() external view returns (address);
            function buyer() external view returns (address);
            function verifier() external view returns (address);
            function vkHash() external view returns (bytes32);
            function msaCommitment() external view returns (bytes32);
            function state0() external view returns (bytes32);
            function currentState() external view returns (bytes32);
            function msaRegistered() external view returns (bool);
            function SINGLE_PARTY_SETUP() external view returns (bytes32);
            function msaProposal(address party) external view returns (bytes32 msaCommitment, bytes32 state0, bytes32 vkHash, bytes32 keySetup);
            function usageProposal(uint64 periodId, address party) external view returns (bytes32);
            function period(uint64 periodId) external view returns (bytes32 usageCommitment, bool invoiced);
            function invoiced(uint64 periodId) external view returns (bool);
            function payments(uint64 periodId) external view returns (bytes32 referenceHash, uint32 paidOn, uint32 receivedOn);

            function registerMsa(bytes32 msaCommitment_, bytes32 state0_, bytes32 vkHash_, bytes32 keySetup_) external;
            function registerUsage(uint64 periodId, bytes32 usageCommitment) external;
            function submitInvoice(uint64 periodId, bytes calldata proof, uint256[5] calldata publicInputs) external;
            function recordPayment(uint64 periodId, uint32 paidOn, string calldata paymentReference) external;
            function recordReceipt(uint64 periodId, uint32 receivedOn, string calldata paymentReference) external;
            function counterpart() external view returns (address);
            function nettingVerifier() external view returns (address);
            function nettingTermsProposal(address party) external view returns (address counterpart, address nettingVerifier);
            function nettingProposal(uint64 periodId, address party) external view returns (bytes32);
            function nettings(uint64 periodId) external view returns (bytes32 netCommitment, bool sellerPays);
            function invoiceOf(uint64 periodId) external view returns (bytes32);
            function registerNetting(address counterpart_, address nettingVerifier_) external;
            function recordNetting(uint64 periodId, bytes calldata proof, uint256[6] calldata input) external;
            function creditVerifier() external view returns (address);
            function creditVerifierProposal(address party) external view returns (address);
            function slas(uint64 periodId) external view returns (bytes32);
            function slaProposal(uint64 periodId, address party) external view returns (bytes32);
            function credits(uint64 periodId) external view returns (bytes32);
            function registerCreditVerifier(address creditVerifier_) external;
            function registerSla(uint64 periodId, bytes32 slaCommitment) external;
            function recordCreditNote(uint64 periodId, bytes calldata proof, uint256[6] calldata input) external;
            function carries(uint64 periodId) external view returns (bool afterPayment, uint64 to);
            function carriedCount(uint64 periodId) external view returns (uint256);
            function carryProposal(uint64 periodId, address party) external view returns (uint64);
            function carryCredit(uint64 fromPeriod, uint64 toPeriod) external;
            function reconcileVerifier() external view returns (address);
            function reconcileVerifierProposal(address party) external view returns (address);
            function measurements(uint64 periodId, address party) external view returns (bytes32);
            function measuredFrom(uint64 periodId) external view returns (bytes32);
            function reconciliations(uint64 periodId) external view returns (bool reconciled, uint256 over, bytes32 resolvedUsage);
            function resolutionProposal(uint64 periodId, address party) external view returns (bytes32);
            function registerReconcileVerifier(address reconcileVerifier_) external;
            function recordMeasurement(uint64 periodId, bytes calldata proof, uint256[5] calldata input) external;
            function recordReconciliation(uint64 periodId, bytes calldata proof, uint256[6] calldata input) external;
            function resolveDispute(uint64 periodId, bytes32 usageCommitment, string calldata resolution) external;
            function partials(uint64 periodId) external view returns (bytes32 usage, bytes32 invoice);
            function partialUsageProposal(uint64 periodId, address party) external view returns (bytes32);
            function partialPayments(uint64 periodId) external view returns (bytes32 referenceHash, uint32 paidOn, uint32 receivedOn);
            function registerPartialUsage(uint64 periodId, bytes32 usageCommitment) external;
            function submitPartialInvoice(uint64 periodId, bytes calldata proof, uint256[5] calldata publicInputs) external;
            function recordPartialPayment(uint64 periodId, uint32 paidOn, string calldata paymentReference) external;
            function recordPartialReceipt(uint64 periodId, uint32 receivedOn, string calldata paymentReference) external;
        }
    }
}

mod credit;
mod errors;
mod netting;
mod partial;
mod reconcile;

pub use credit::{
    carry_credit_call, record_credit_note_call, register_credit_verifier_call, register_sla_call,
};
pub use netting::{
    netting_input_words, record_netting_call, record_netting_heads_call, register_netting_call,
};
pub use partial::{
    record_partial_payment_call, record_partial_receipt_call, register_partial_usage_call,
    submit_partial_invoice_call,
};

pub use reconcile::{
    reconcile_input_words, record_measurement_call, record_reconciliation_call,
    register_reconcile_verifier_call, resolve_dispute_call,
};

use contracts::{IInvoiceVerifier, InvoiceAnchor};

/// A field element as a 32-byte big-endian word.
pub fn fr_word(x: &Fr) -> B256 {
    let mut out = [0u8; 32];
    let be = x.into_bigint().to_bytes_be();
    out[32 - be.len()..].copy_from_slice(&be);
    B256::from(out)
}

/// The public inputs as the contracts take them: five `uint256` in circuit order.
pub fn public_input_words(inputs: &InvoicePublicInputs) -> [U256; PUBLIC_INPUT_COUNT] {
    inputs
        .to_field_elements()
        .map(|x| U256::from_be_bytes(fr_word(&x).0))
}

/// The anchor's period id of a period `[start, end)` given in days since 1970-01-01:
/// `start << 32 | end`.
pub fn period_id(start_day: u32, end_day: u32) -> u64 {
    (u64::from(start_day) << 32) | u64::from(end_day)
}

/// Calldata of `IInvoiceVerifier.verifyProof(proof, input)`.
pub fn verify_proof_call(proof: &InvoiceProof, inputs: &InvoicePublicInputs) -> Vec<u8> {
    IInvoiceVerifier::verifyProofCall {
        proof: proof_calldata(proof).to_vec().into(),
        input: public_input_words(inputs),
    }
    .abi_encode()
}

/// An invoice's proof(s) as a verifier's `proof` argument: a v1 proof's 512 bytes, or a
/// partitioned invoice's [`crate::encoding::partitioned_calldata`] (for a `PartitionVerifier`).
pub fn proofs_calldata(proofs: &zkinvoice_verifier::InvoiceProofs) -> Vec<u8> {
    match proofs {
        zkinvoice_verifier::InvoiceProofs::Single(p) => proof_calldata(p).to_vec(),
        zkinvoice_verifier::InvoiceProofs::Partitioned(p) => crate::encoding::partitioned_calldata(p),
    }
}

/// Calldata of `verifyProof(proof, input)` for an invoice's proof(s), v1 or partitioned.
pub fn verify_proofs_call(
    proofs: &zkinvoice_verifier::InvoiceProofs,
    inputs: &InvoicePublicInputs,
) -> Vec<u8> {
    IInvoiceVerifier::verifyProofCall {
        proof: proofs_calldata(proofs).into(),
        input: public_input_words(inputs),
    }
    .abi_encode()
}

/// Calldata of `InvoiceAnchor.submitInvoice(periodId, proof, publicInputs)` for an invoice's
/// proof(s), v1 or partitioned (the anchor passes `proof` to its verifier as it is).
pub fn submit_proofs_call(
    period_id: u64,
    proofs: &zkinvoice_verifier::InvoiceProofs,
    inputs: &InvoicePublicInputs,
) -> Vec<u8> {
    InvoiceAnchor::submitInvoiceCall {
        periodId: period_id,
        proof: proofs_calldata(proofs).into(),
        publicInputs: public_input_words(inputs),
    }
    .abi_encode()
}

/// The ABI-encoded constructor arguments of `InvoiceAnchor` (to append to its creation code).
pub fn anchor_constructor_args(seller: Address, buyer: Address, verifier: Address) -> Vec<u8> {
    InvoiceAnchor::constructorCall {
        seller_: seller,
        buyer_: buyer,
        verifier_: verifier,
    }
    .abi_encode()
}

/// Calldata of `InvoiceAnchor.registerMsa(msaCommitment, state0, vkHash, keySetup)`; `key_setup`
/// is the key's ceremony transcript hash, or [`single_party_setup`] ([`key_setup_word`]).
pub fn register_msa_call(
    msa_commitment: &Fr,
    state0: &Fr,
    vk_hash: [u8; 32],
    key_setup: [u8; 32],
) -> Vec<u8> {
    InvoiceAnchor::registerMsaCall {
        msaCommitment_: fr_word(msa_commitment),
        state0_: fr_word(state0),
        vkHash_: B256::from(vk_hash),
        keySetup_: B256::from(key_setup),
    }
    .abi_encode()
}

/// `InvoiceAnchor.SINGLE_PARTY_SETUP`: what both parties propose as `registerMsa`'s `keySetup` to
/// register a key one party made alone (`keccak256("zkinvoice/single-party-setup/v1")`).
pub fn single_party_setup() -> [u8; 32] {
    alloy_primitives::keccak256(SINGLE_PARTY_SETUP_TAG).0
}

/// The text whose keccak-256 is [`single_party_setup`].
pub const SINGLE_PARTY_SETUP_TAG: &[u8] = b"zkinvoice/single-party-setup/v1";

/// `registerMsa`'s `keySetup` for a key from the ceremony with transcript hash `transcript`, or,
/// for `None`, from one party's setup ([`single_party_setup`]).
pub fn key_setup_word(transcript: Option<[u8; 32]>) -> [u8; 32] {
    transcript.unwrap_or_else(single_party_setup)
}

/// Calldata of `InvoiceAnchor.registerUsage(periodId, usageCommitment)`.
pub fn register_usage_call(period_id: u64, usage_commitment: &Fr) -> Vec<u8> {
    InvoiceAnchor::registerUsageCall {
        periodId: period_id,
        usageCommitment: fr_word(usage_commitment),
    }
    .abi_encode()
}

/// Calldata of `InvoiceAnchor.submitInvoice(periodId, proof, publicInputs)`.
pub fn submit_invoice_call(period_id: u64, proof: &InvoiceProof, inputs: &InvoicePublicInputs) -> Vec<u8> {
    InvoiceAnchor::submitInvoiceCall {
        periodId: period_id,
        proof: proof_calldata(proof).to_vec().into(),
        publicInputs: public_input_words(inputs),
    }
    .abi_encode()
}

/// Calldata of `InvoiceAnchor.recordPayment(periodId, paidOn, reference)`: the Buyer's payment
/// of the period's invoice on day `paid_on` (days since 1970-01-01).
pub fn record_payment_call(period_id: u64, paid_on: u32, reference: &str) -> Vec<u8> {
    InvoiceAnchor::recordPaymentCall {
        periodId: period_id,
        paidOn: paid_on,
        paymentReference: reference.into(),
    }
    .abi_encode()
}

/// Calldata of `InvoiceAnchor.recordReceipt(periodId, receivedOn, reference)`: the Seller's
/// receipt of that payment on day `received_on`.
pub fn record_receipt_call(period_id: u64, received_on: u32, reference: &str) -> Vec<u8> {
    InvoiceAnchor::recordReceiptCall {
        periodId: period_id,
        receivedOn: received_on,
        paymentReference: reference.into(),
    }
    .abi_encode()
}

#[cfg(test)]
mod tests {
    use super::contracts::InvoiceAnchor::InvoiceAnchorErrors as E;
    use super::*;
    use crate::error::ContractError;

    #[test]
    fn words_and_period_ids() {
        assert_eq!(period_id(20727, 20758), (20727u64 << 32) | 20758);
        let w = fr_word(&Fr::from(258u64));
        assert_eq!(w.0[30..], [1, 2]);
        assert!(w.0[..30].iter().all(|b| *b == 0));
        let call = register_usage_call(7, &Fr::from(1u64));
        assert_eq!(call.len(), 4 + 64);
        assert_eq!(call[4 + 31], 7);
        assert_eq!(call[4 + 63], 1);
    }

    /// The anchor's errors read as the contract names them, with their arguments: the sentences
    /// the CLI and the services show after "the anchor contract refuses: ".
    #[test]
    fn contract_errors_keep_their_names_and_arguments() {
        let (a, b) = (B256::repeat_byte(0xaa), B256::repeat_byte(0x0b));
        let caller = Address::repeat_byte(0x77);
        let (ha, hb) = (format!("0x{}", "aa".repeat(32)), format!("0x{}", "0b".repeat(32)));
        let cases: Vec<(E, ContractError, String)> = vec![
            (
                E::NotAParty(InvoiceAnchor::NotAParty { caller }),
                ContractError::NotAParty { caller },
                format!("NotAParty({caller})"),
            ),
            (
                E::NotTheSeller(InvoiceAnchor::NotTheSeller { caller }),
                ContractError::NotTheSeller { caller },
                format!("NotTheSeller({caller})"),
            ),
            (
                E::InvalidParties(InvoiceAnchor::InvalidParties {}),
                ContractError::InvalidParties,
                "InvalidParties".into(),
            ),
            (
                E::ZeroValue(InvoiceAnchor::ZeroValue {}),
                ContractError::ZeroValue,
                "ZeroValue".into(),
            ),
            (
                E::MsaAlreadyRegistered(InvoiceAnchor::MsaAlreadyRegistered {}),
                ContractError::MsaAlreadyRegistered,
                "MsaAlreadyRegistered".into(),
            ),
            (
                E::MsaNotRegistered(InvoiceAnchor::MsaNotRegistered {}),
                ContractError::MsaNotRegistered,
                "MsaNotRegistered".into(),
            ),
            (
                E::WrongVerifyingKey(InvoiceAnchor::WrongVerifyingKey {
                    expected: a,
                    given: b,
                }),
                ContractError::WrongVerifyingKey {
                    expected: a,
                    given: b,
                },
                format!("WrongVerifyingKey(expected {ha}, given {hb})"),
            ),
            (
                E::WrongKeySetup(InvoiceAnchor::WrongKeySetup {
                    expected: a,
                    given: b,
                }),
                ContractError::WrongKeySetup {
                    expected: a,
                    given: b,
                },
                format!("WrongKeySetup(expected {ha}, given {hb})"),
            ),
            (
                E::UsageAlreadyRegistered(InvoiceAnchor::UsageAlreadyRegistered { periodId: 7 }),
                ContractError::UsageAlreadyRegistered { period_id: 7 },
                "UsageAlreadyRegistered(period 7)".into(),
            ),
            (
                E::UsageNotRegistered(InvoiceAnchor::UsageNotRegistered { periodId: 7 }),
                ContractError::UsageNotRegistered { period_id: 7 },
                "UsageNotRegistered(period 7)".into(),
            ),
            (
                E::WrongMsa(InvoiceAnchor::WrongMsa {
                    expected: a,
                    given: b,
                }),
                ContractError::WrongMsa {
                    expected: a,
                    given: b,
                },
                format!("WrongMsa(expected {ha}, given {hb})"),
            ),
            (
                E::WrongUsage(InvoiceAnchor::WrongUsage {
                    periodId: 7,
                    expected: a,
                    given: b,
                }),
                ContractError::WrongUsage {
                    period_id: 7,
                    expected: a,
                    given: b,
                },
                format!("WrongUsage(period 7, expected {ha}, given {hb})"),
            ),
            (
                E::AlreadyInvoiced(InvoiceAnchor::AlreadyInvoiced { periodId: 7 }),
                ContractError::AlreadyInvoiced { period_id: 7 },
                "AlreadyInvoiced(period 7)".into(),
            ),
            (
                E::StaleState(InvoiceAnchor::StaleState {
                    expected: a,
                    given: b,
                }),
                ContractError::StaleState {
                    expected: a,
                    given: b,
                },
                format!("StaleState(expected {ha}, given {hb})"),
            ),
            (
                E::InvalidProof(InvoiceAnchor::InvalidProof {}),
                ContractError::InvalidProof,
                "InvalidProof".into(),
            ),
            (
                E::NotAScalar(InvoiceAnchor::NotAScalar { value: a }),
                ContractError::NotAScalar { value: a },
                format!("NotAScalar({ha})"),
            ),
            (
                E::NotTheBuyer(InvoiceAnchor::NotTheBuyer { caller }),
                ContractError::NotTheBuyer { caller },
                format!("NotTheBuyer({caller})"),
            ),
            (
                E::NotInvoiced(InvoiceAnchor::NotInvoiced { periodId: 7 }),
                ContractError::NotInvoiced { period_id: 7 },
                "NotInvoiced(period 7)".into(),
            ),
            (
                E::AlreadyPaid(InvoiceAnchor::AlreadyPaid { periodId: 7 }),
                ContractError::AlreadyPaid { period_id: 7 },
                "AlreadyPaid(period 7)".into(),
            ),
            (
                E::NotPaid(InvoiceAnchor::NotPaid { periodId: 7 }),
                ContractError::NotPaid { period_id: 7 },
                "NotPaid(period 7)".into(),
            ),
            (
                E::AlreadyReceived(InvoiceAnchor::AlreadyReceived { periodId: 7 }),
                ContractError::AlreadyReceived { period_id: 7 },
                "AlreadyReceived(period 7)".into(),
            ),
            (
                E::OtherReference(InvoiceAnchor::OtherReference { periodId: 7 }),
                ContractError::OtherReference { period_id: 7 },
                "OtherReference(period 7)".into(),
            ),
            (
                E::ReceivedBeforePaid(InvoiceAnchor::ReceivedBeforePaid {
                    periodId: 7,
                    paidOn: 20788,
                    receivedOn: 20787,
                }),
                ContractError::ReceivedBeforePaid {
                    period_id: 7,
                    paid_on: 20788,
                    received_on: 20787,
                },
                "ReceivedBeforePaid(period 7, paid on day 20788, received on day 20787)".into(),
            ),
            (
                E::NettingAlreadyRegistered(InvoiceAnchor::NettingAlreadyRegistered {}),
                ContractError::NettingAlreadyRegistered,
                "NettingAlreadyRegistered".into(),
            ),
            (
                E::NettingNotRegistered(InvoiceAnchor::NettingNotRegistered {}),
                ContractError::NettingNotRegistered,
                "NettingNotRegistered".into(),
            ),
            (
                E::WrongCounterpart(InvoiceAnchor::WrongCounterpart { counterpart: caller }),
                ContractError::WrongCounterpart { counterpart: caller },
                format!("WrongCounterpart({caller})"),
            ),
            (
                E::OtherNotInvoiced(InvoiceAnchor::OtherNotInvoiced { periodId: 7 }),
                ContractError::OtherNotInvoiced { period_id: 7 },
                "OtherNotInvoiced(period 7)".into(),
            ),
            (
                E::WrongInvoices(InvoiceAnchor::WrongInvoices { first: a, second: b }),
                ContractError::WrongInvoices { first: a, second: b },
                format!("WrongInvoices(expected {ha}, {hb})"),
            ),
            (
                E::WrongPeriod(InvoiceAnchor::WrongPeriod { periodId: 7 }),
                ContractError::WrongPeriod { period_id: 7 },
                "WrongPeriod(period 7)".into(),
            ),
            (
                E::OtherPaid(InvoiceAnchor::OtherPaid { periodId: 7 }),
                ContractError::OtherPaid { period_id: 7 },
                "OtherPaid(period 7)".into(),
            ),
            (
                E::OtherNetting(InvoiceAnchor::OtherNetting {
                    periodId: 7,
                    netCommitment: a,
                }),
                ContractError::OtherNetting {
                    period_id: 7,
                    net_commitment: a,
                },
                format!("OtherNetting(period 7, net {ha})"),
            ),
            (
                E::AlreadyNetted(InvoiceAnchor::AlreadyNetted { periodId: 7 }),
                ContractError::AlreadyNetted { period_id: 7 },
                "AlreadyNetted(period 7)".into(),
            ),
            (
                E::CreditAlreadyRegistered(InvoiceAnchor::CreditAlreadyRegistered {}),
                ContractError::CreditAlreadyRegistered,
                "CreditAlreadyRegistered".into(),
            ),
            (
                E::CreditNotRegistered(InvoiceAnchor::CreditNotRegistered {}),
                ContractError::CreditNotRegistered,
                "CreditNotRegistered".into(),
            ),
            (
                E::SlaAlreadyRegistered(InvoiceAnchor::SlaAlreadyRegistered { periodId: 7 }),
                ContractError::SlaAlreadyRegistered { period_id: 7 },
                "SlaAlreadyRegistered(period 7)".into(),
            ),
            (
                E::SlaNotRegistered(InvoiceAnchor::SlaNotRegistered { periodId: 7 }),
                ContractError::SlaNotRegistered { period_id: 7 },
                "SlaNotRegistered(period 7)".into(),
            ),
            (
                E::WrongSla(InvoiceAnchor::WrongSla {
                    periodId: 7,
                    expected: a,
                    given: b,
                }),
                ContractError::WrongSla {
                    period_id: 7,
                    expected: a,
                    given: b,
                },
                format!("WrongSla(period 7, expected {ha}, given {hb})"),
            ),
            (
                E::WrongInvoice(InvoiceAnchor::WrongInvoice {
                    periodId: 7,
                    expected: a,
                    given: b,
                }),
                ContractError::WrongInvoice {
                    period_id: 7,
                    expected: a,
                    given: b,
                },
                format!("WrongInvoice(period 7, expected {ha}, given {hb})"),
            ),
            (
                E::AlreadyCredited(InvoiceAnchor::AlreadyCredited { periodId: 7 }),
                ContractError::AlreadyCredited { period_id: 7 },
                "AlreadyCredited(period 7)".into(),
            ),
            (
                E::OtherCredited(InvoiceAnchor::OtherCredited { periodId: 7 }),
                ContractError::OtherCredited { period_id: 7 },
                "OtherCredited(period 7)".into(),
            ),
            (
                E::NoCreditNote(InvoiceAnchor::NoCreditNote { periodId: 7 }),
                ContractError::NoCreditNote { period_id: 7 },
                "NoCreditNote(period 7)".into(),
            ),
            (
                E::CreditNotAfterPayment(InvoiceAnchor::CreditNotAfterPayment { periodId: 7 }),
                ContractError::CreditNotAfterPayment { period_id: 7 },
                "CreditNotAfterPayment(period 7)".into(),
            ),
            (
                E::AlreadyCarried(InvoiceAnchor::AlreadyCarried {
                    periodId: 7,
                    toPeriod: 9,
                }),
                ContractError::AlreadyCarried {
                    period_id: 7,
                    to_period: 9,
                },
                "AlreadyCarried(period 7 to period 9)".into(),
            ),
        ];
        for (decoded, typed, sentence) in cases {
            let error = ContractError::from(decoded);
            assert_eq!(error, typed);
            assert_eq!(error.to_string(), sentence);
        }
        assert_eq!(
            crate::EvmError::Refused(ContractError::InvalidProof).to_string(),
            "the anchor contract refuses: InvalidProof"
        );
    }
}
