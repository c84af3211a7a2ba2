//! The pinned Node tools (`tools/node`: solc-js, snarkjs and Hardhat, locked by its
//! `package-lock.json`), installed on first use with `npm ci` so that the EVM, snarkjs and
//! Hardhat tests always run (a test never passes by skipping them; without Node.js they fail
//! saying so), and a Hardhat node on loopback.

use std::{
    collections::HashMap,
    net::{TcpListener, TcpStream},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::OnceLock,
    time::{Duration, Instant, SystemTime},
};

/// The npm packages the tests need from `tools/node`.
const PACKAGES: [&str; 3] = ["solc", "snarkjs", "hardhat"];

/// `<workspace>/tools/node`.
pub fn tools_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tools/node")
}

fn installed(dir: &Path) -> bool {
    PACKAGES
        .iter()
        .all(|p| dir.join("node_modules").join(p).join("package.json").is_file())
}

/// Runs `f` holding a lock directory beside `dir`'s `node_modules` (another test process may be
/// installing at the same time); a lock older than 15 minutes is left over from a crash.
fn locked<T>(dir: &Path, f: impl FnOnce() -> T) -> T {
    let lock = dir.join(".install-lock");
    let start = Instant::now();
    while std::fs::create_dir(&lock).is_err() {
        let stale = std::fs::metadata(&lock)
            .and_then(|m| m.modified())
            .map(|t| SystemTime::now().duration_since(t).unwrap_or_default() > Duration::from_secs(900))
            .unwrap_or(false);
        if stale {
            let _ = std::fs::remove_dir(&lock);
        }
        assert!(
            start.elapsed() < Duration::from_secs(900),
            "{} is held by another installation",
            lock.display()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let out = f();
    let _ = std::fs::remove_dir(&lock);
    out
}

/// The Node tools' directory, with `node_modules` installed (by `npm ci`, from the registry, on
/// first use). Panics, saying what is missing, when Node.js or npm is not installed or the
/// installation fails.
pub fn tools() -> &'static Path {
    static READY: OnceLock<PathBuf> = OnceLock::new();
    READY.get_or_init(|| {
        let dir = tools_dir();
        let node = Command::new("node").arg("--version").output();
        assert!(
            matches!(&node, Ok(o) if o.status.success()),
            "the EVM, snarkjs and Hardhat tests need Node.js 20 or newer: `node` is not on the PATH"
        );
        if !installed(&dir) {
            locked(&dir, || {
                if installed(&dir) {
                    return;
                }
                eprintln!(
                    "installing the pinned Node tools: npm ci --prefix {}",
                    dir.display()
                );
                let out = Command::new("npm")
                    .args(["ci", "--no-audit", "--no-fund", "--loglevel=error", "--prefix"])
                    .arg(&dir)
                    .output()
                    .unwrap_or_else(|e| panic!("the Node tools need npm on the PATH: {e}"));
                assert!(
                    out.status.success() && installed(&dir),
                    "npm ci --prefix {} failed: {}",
                    dir.display(),
                    String::from_utf8_lossy(&out.stderr)
                );
            });
        }
        dir
    })
}

/// A package's directory in `tools/node/node_modules`, installed on first use.
pub fn package(name: &str) -> PathBuf {
    tools().join("node_modules").join(name)
}

/// Compiled contracts: creation and runtime bytecode by contract name.
pub struct Compiled {
    /// The solc version that compiled them.
    pub solc: String,
    /// Creation code by contract name.
    pub bytecode: HashMap<String, Vec<u8>>,
    /// Runtime code by contract name.
    pub deployed: HashMap<String, Vec<u8>>,
}

/// Compiles Solidity files with the pinned solc-js (`tools/node/compile.js`, Prague).
pub fn compile(files: &[PathBuf]) -> Compiled {
    let out = Command::new("node")
        .arg(tools().join("compile.js"))
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

/// Starts a Hardhat node (the Node tools installed on first use).
pub fn start_node() -> Node {
    let tools = tools();
    let cli = tools.join("node_modules/hardhat/internal/cli/cli.js");
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port();
    let child = Command::new("node")
        .arg(cli)
        .args(["node", "--hostname", "127.0.0.1", "--port", &port.to_string()])
        .current_dir(tools)
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
    node
}

/// Runs the pinned snarkjs's CLI with `args` in `dir`: whether it exited 0, and what it said
/// (stdout, then stderr).
pub fn snarkjs(dir: &Path, args: &[&str]) -> (bool, String) {
    let out = Command::new("node")
        .arg(package("snarkjs").join("build/cli.cjs"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("node runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}
