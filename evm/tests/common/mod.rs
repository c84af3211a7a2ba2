//! Shared by the EVM tests: a real proved world (shape S, the example bilateral), the Node tools
//! (solc-js), and a Prague EVM (revm) with the contracts deployed.
#![allow(dead_code)]

use std::{
    collections::HashMap,
    net::{TcpListener, TcpStream},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::OnceLock,
    time::{Duration, Instant},
};

use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use revm::{
    context::{result::ExecutionResult, CfgEnv, TxEnv},
    database::{CacheDB, EmptyDB},
    handler::{MainnetContext, MainnetEvm},
    primitives::{hardfork::SpecId, Address, Bytes, TxKind},
    Context, ExecuteCommitEvm, ExecuteEvm, MainBuilder, MainContext,
};
use zkinvoice_circuits::{commit, commit::StateOpening, Msa, Salt, Shape, Usage, UsageFormat, VolumeState};
use zkinvoice_prover::{InvoiceKeys, ProveRequest};
use zkinvoice_verifier::{Fr, InvoiceProof, InvoicePublicInputs, InvoiceVerifyingKey};

const MSA: &str = include_str!("../../../examples/msa.json");
const OCTOBER: &str = include_str!("../../../examples/usage-2026-10.json");
const NOVEMBER: &str = include_str!("../../../examples/usage-2026-11.csv");

/// A proof with its public inputs.
#[derive(Clone)]
pub struct Proved {
    pub proof: InvoiceProof,
    pub inputs: InvoicePublicInputs,
}

/// The example bilateral at shape S: keys, commitments, October proved twice from `state_0`
/// (different salts) and November proved from October's first state after.
pub struct World {
    pub vk: InvoiceVerifyingKey,
    pub msa: Fr,
    pub state0: Fr,
    pub october_usage: Fr,
    pub november_usage: Fr,
    pub october: Proved,
    pub october_again: Proved,
    pub november: Proved,
}

/// The test binary's [`World`], made once (setup and three proofs at shape S, seeded).
pub fn world() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| {
        let t = std::time::Instant::now();
        let mut rng = ChaCha20Rng::seed_from_u64(2537);
        let shape = Shape::S;
        let msa = Msa::from_json(MSA).expect("the example MSA");
        let keys = InvoiceKeys::setup(shape, &mut rng).expect("setup");
        let msa_salt = Salt::random(&mut rng);
        let msa_c = commit::msa_commitment(&msa, shape, &msa_salt).expect("MSA commitment");
        let state0 = StateOpening::new(msa_c, VolumeState::initial(&msa), shape, Salt::random(&mut rng))
            .expect("state 0");
        let october = Usage::parse(OCTOBER, UsageFormat::Json, &msa, None)
            .and_then(|u| u.aggregated(7))
            .expect("October");
        let november = Usage::parse(
            NOVEMBER,
            UsageFormat::Csv,
            &msa,
            Some("2026-11-01..2026-12-01".parse().expect("period")),
        )
        .and_then(|u| u.aggregated(7))
        .expect("November");
        let (oct_salt, nov_salt) = (Salt::random(&mut rng), Salt::random(&mut rng));
        let oct_c = commit::usage_commitment(msa_c, &msa, &october, shape, &oct_salt).expect("usage");
        let nov_c = commit::usage_commitment(msa_c, &msa, &november, shape, &nov_salt).expect("usage");
        let mut prove = |usage: &Usage, usage_salt: &Salt, before: &StateOpening, number: &str| {
            let proved = zkinvoice_prover::prove(
                &keys,
                &ProveRequest {
                    msa: &msa,
                    msa_salt: &msa_salt,
                    usage,
                    usage_salt,
                    expected_usage: None,
                    before,
                    invoice_number: number,
                },
                &mut rng,
            )
            .expect("proves");
            (
                Proved {
                    proof: proved.envelope.proof.clone(),
                    inputs: proved.envelope.public_inputs,
                },
                proved.after,
            )
        };
        let (oct, after_oct) = prove(&october, &oct_salt, &state0, "INV-2026-10");
        let (oct_again, _) = prove(&october, &oct_salt, &state0, "INV-2026-10-BIS");
        let (nov, _) = prove(&november, &nov_salt, &after_oct, "INV-2026-11");
        eprintln!(
            "world: setup and 3 proofs at shape S in {:.1} s",
            t.elapsed().as_secs_f64()
        );
        World {
            vk: keys.verifying.clone(),
            msa: msa_c.0,
            state0: state0.commitment.0,
            october_usage: oct_c.0,
            november_usage: nov_c.0,
            october: oct,
            october_again: oct_again,
            november: nov,
        }
    })
}

/// `<workspace>/tools/node`.
pub fn node_tools() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tools/node")
}

/// Whether the Node tools are installed. When they are not: with `CI` set this panics (CI must
/// install them); otherwise it prints that `what` is skipped and why, and returns false.
pub fn node_ready(what: &str) -> bool {
    let modules = node_tools().join("node_modules");
    let node = Command::new("node").arg("--version").output();
    let problem = if !matches!(&node, Ok(o) if o.status.success()) {
        Some("`node` is not on the PATH".to_string())
    } else if !modules.join("solc").is_dir() || !modules.join("snarkjs").is_dir() {
        Some(format!(
            "{} is missing (run `npm ci --prefix tools/node`)",
            modules.display()
        ))
    } else {
        None
    };
    match problem {
        None => true,
        Some(p) if std::env::var_os("CI").is_some() => panic!("{what}: {p}"),
        Some(p) => {
            eprintln!("skipped {what}: {p}");
            false
        }
    }
}

/// Compiled contracts: creation and runtime bytecode by contract name.
pub struct Compiled {
    pub solc: String,
    pub bytecode: HashMap<String, Vec<u8>>,
    pub deployed: HashMap<String, Vec<u8>>,
}

/// Compiles Solidity files with the pinned solc-js (`tools/node/compile.js`, Prague).
pub fn compile(files: &[PathBuf]) -> Compiled {
    let out = Command::new("node")
        .arg(node_tools().join("compile.js"))
        .args(files)
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "solc-js failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("compile.js prints JSON");
    let mut c = Compiled {
        solc: v["solc"].as_str().unwrap_or_default().to_string(),
        bytecode: HashMap::new(),
        deployed: HashMap::new(),
    };
    for (name, contract) in v["contracts"].as_object().expect("contracts") {
        let hex_of = |k: &str| hex::decode(contract[k].as_str().expect("bytecode")).expect("hex");
        c.bytecode.insert(name.clone(), hex_of("bytecode"));
        c.deployed.insert(name.clone(), hex_of("deployedBytecode"));
    }
    c
}

/// The contracts generated for the world's key, compiled once per test binary (None: skipped).
pub fn compiled() -> Option<&'static Compiled> {
    static C: OnceLock<Option<Compiled>> = OnceLock::new();
    C.get_or_init(|| {
        if !node_ready("compiling the contracts with solc-js") {
            return None;
        }
        let dir = tempfile::tempdir().expect("a temporary directory");
        let mut files = Vec::new();
        for (name, text) in zkinvoice_evm::solidity::sources(&world().vk) {
            let p = dir.path().join(name);
            std::fs::write(&p, text).expect("writes");
            files.push(p);
        }
        let t = std::time::Instant::now();
        let c = compile(&files);
        eprintln!(
            "solc-js {} compiled both contracts in {:.1} s",
            c.solc,
            t.elapsed().as_secs_f64()
        );
        Some(c)
    })
    .as_ref()
}

pub type Evm = MainnetEvm<MainnetContext<CacheDB<EmptyDB>>>;

/// The outcome of a transaction.
#[derive(Debug)]
pub struct Outcome {
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
    pub evm: Evm,
}

impl Default for Chain {
    fn default() -> Self {
        Self::new()
    }
}

impl Chain {
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

/// Hardhat's first three development accounts' keys (printed by `hardhat node` itself; they hold
/// nothing anywhere but on a development chain): the Seller, the Buyer, and a third party (the
/// deployer).
pub const SELLER_KEY: &str = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
/// The Buyer's (Hardhat's second account).
pub const BUYER_KEY: &str = "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
/// A third party's (Hardhat's third account).
pub const OTHER_KEY: &str = "5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a";

/// A Hardhat node (Prague) on a free loopback port, stopped when dropped.
pub struct Node {
    child: Child,
    /// Its JSON-RPC URL.
    pub url: String,
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts a Hardhat node, or `None` (the test skipped) when the node tools are not installed
/// outside CI.
pub fn start_node() -> Option<Node> {
    if !node_ready("the JSON-RPC anchor test") {
        return None;
    }
    let tools = node_tools();
    let cli = tools.join("node_modules/hardhat/internal/cli/cli.js");
    if !cli.is_file() {
        let problem = format!("{} is missing (run `npm ci --prefix tools/node`)", cli.display());
        assert!(std::env::var_os("CI").is_none(), "{problem}");
        eprintln!("skipped the JSON-RPC anchor test: {problem}");
        return None;
    }
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port();
    let child = Command::new("node")
        .arg(cli)
        .args(["node", "--hostname", "127.0.0.1", "--port", &port.to_string()])
        .current_dir(&tools)
        .env("HARDHAT_DISABLE_TELEMETRY_PROMPT", "true")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("starts hardhat");
    let node = Node {
        child,
        url: format!("http://127.0.0.1:{port}"),
    };
    let t = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            t.elapsed() < Duration::from_secs(60),
            "the Hardhat node did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    eprintln!("Hardhat node up in {:.1} s", t.elapsed().as_secs_f64());
    Some(node)
}
