//! A Prague EVM (revm) with an empty state, to deploy the generated contracts and call them.

use revm::{
    context::{result::ExecutionResult, CfgEnv, TxEnv},
    database::{CacheDB, EmptyDB},
    handler::{MainnetContext, MainnetEvm},
    primitives::{hardfork::SpecId, Address, Bytes, TxKind},
    Context, ExecuteCommitEvm, ExecuteEvm, MainBuilder, MainContext,
};

/// revm's mainnet EVM over an in-memory database.
pub type Evm = MainnetEvm<MainnetContext<CacheDB<EmptyDB>>>;

/// The outcome of a transaction.
#[derive(Debug)]
pub struct Outcome {
    /// What the EVM returned.
    pub result: ExecutionResult,
    /// Intrinsic gas: 21,000 plus calldata (4 per zero byte, 16 per other byte).
    pub intrinsic: u64,
}

impl Outcome {
    /// Gas used by the whole transaction.
    pub fn tx_gas(&self) -> u64 {
        self.result.tx_gas_used()
    }

    /// Gas used by execution (the transaction's less its intrinsic gas).
    pub fn execution_gas(&self) -> u64 {
        self.tx_gas() - self.intrinsic
    }

    /// The output of a successful call.
    pub fn output(&self) -> &[u8] {
        match &self.result {
            ExecutionResult::Success { output, .. } => output.data(),
            r => panic!("the call failed: {r:?}"),
        }
    }

    /// The revert data of a reverted call.
    pub fn revert_data(&self) -> &[u8] {
        match &self.result {
            ExecutionResult::Revert { output, .. } => output,
            r => panic!("expected a revert: {r:?}"),
        }
    }
}

/// A Prague EVM.
pub struct Chain {
    /// The EVM.
    pub evm: Evm,
}

impl Default for Chain {
    fn default() -> Self {
        Self::new()
    }
}

impl Chain {
    /// An empty Prague chain (nonces not checked).
    pub fn new() -> Self {
        let mut cfg = CfgEnv::new_with_spec(SpecId::PRAGUE);
        cfg.disable_nonce_check = true;
        let evm = Context::mainnet()
            .with_cfg(cfg)
            .with_db(CacheDB::new(EmptyDB::default()))
            .build_mainnet();
        Self { evm }
    }

    fn tx(caller: Address, kind: TxKind, data: Vec<u8>) -> (TxEnv, u64) {
        let zeros = data.iter().filter(|b| **b == 0).count() as u64;
        let intrinsic = 21_000 + 4 * zeros + 16 * (data.len() as u64 - zeros);
        let tx = TxEnv::builder()
            .caller(caller)
            .kind(kind)
            .data(Bytes::from(data))
            .gas_limit(10_000_000)
            .build_fill();
        (tx, intrinsic)
    }

    /// Sends a transaction and commits its state.
    pub fn send(&mut self, caller: Address, to: Address, data: Vec<u8>) -> Outcome {
        let (tx, intrinsic) = Self::tx(caller, TxKind::Call(to), data);
        let result = self.evm.transact_commit(tx).expect("the transaction is valid");
        Outcome { result, intrinsic }
    }

    /// Runs a call without committing anything.
    pub fn view(&mut self, to: Address, data: Vec<u8>) -> Outcome {
        let (tx, intrinsic) = Self::tx(Address::repeat_byte(0xee), TxKind::Call(to), data);
        let result = self.evm.transact(tx).expect("the call is valid").result;
        Outcome { result, intrinsic }
    }

    /// Deploys `code` (creation code with its constructor arguments appended).
    pub fn deploy(&mut self, caller: Address, code: Vec<u8>) -> Address {
        let (tx, _) = Self::tx(caller, TxKind::Create, code);
        let result = self.evm.transact_commit(tx).expect("the transaction is valid");
        result
            .created_address()
            .unwrap_or_else(|| panic!("deployment failed: {result:?}"))
    }
}
