//! Headless Chromium (Debian's `chromium`) driven over the DevTools protocol on a pipe
//! (`--remote-debugging-pipe`: commands on its fd 3, answers and events on its fd 4, each JSON
//! message ended by a NUL byte; `sh` wires the two pipes to those descriptors, so no WebSocket
//! client is needed): open a page, record every request the page makes, print it to PDF as a reader
//! would (the page's own `@page` size and margins, no header or footer).
//!
//! Every request a page makes, of any scheme (a relative `file:` asset as an `https:` font), is a
//! `Network.requestWillBeSent` event of its target; Chromium's own background requests are not the
//! page's and do not appear there. `--host-resolver-rules` makes every host name unresolvable, so
//! nothing leaves the machine even when a page asks for it (its request is still recorded).

use std::{
    io::{BufRead, BufReader, Write},
    process::{Child, ChildStdin, ChildStdout, Command, Stdio},
    sync::{
        mpsc::{self, RecvTimeoutError},
        Arc, Mutex,
    },
    time::Duration,
};

use base64::Engine as _;
use serde_json::{json, Value};

use super::tool;

/// How long one page may take, from start to PDF, before Chromium is killed.
const LIMIT: Duration = Duration::from_secs(120);

/// A page printed: the PDF and the URL of every request the page made, the page itself first.
pub struct Printed {
    pub pdf: Vec<u8>,
    pub requests: Vec<String>,
}

/// Opens `url` in a fresh headless Chromium (its own temporary profile), waits for its load event
/// and prints it to PDF.
pub fn print(url: &str) -> Printed {
    let chromium = tool("chromium");
    let profile = tempfile::tempdir().expect("a temporary profile directory");
    let log = profile.path().join("stderr.log");
    let mut child = Command::new("sh")
        .args(["-c", "exec \"$@\" 3<&0 4>&1 </dev/null >/dev/null", "sh"])
        .arg(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--remote-debugging-pipe",
        ])
        .arg(format!(
            "--user-data-dir={}",
            profile.path().join("profile").display()
        ))
        .arg("about:blank")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&log).expect("a log file"))
        .spawn()
        .expect("chromium starts");
    let pipe = Pipe {
        to: child.stdin.take().expect("its fd 3"),
        from: BufReader::new(child.stdout.take().expect("its fd 4")),
        next: 0,
        events: Vec::new(),
    };
    let child = Arc::new(Mutex::new(child));
    let (done, watch) = mpsc::channel::<()>();
    let watchdog = {
        let child = Arc::clone(&child);
        std::thread::spawn(move || {
            if let Err(RecvTimeoutError::Timeout) = watch.recv_timeout(LIMIT) {
                let _ = lock(&child).kill();
            }
        })
    };
    let printed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| session(pipe, url)));
    let _ = done.send(());
    let _ = watchdog.join();
    let status = lock(&child).wait();
    match printed {
        Ok(p) => p,
        Err(e) => {
            let _ = lock(&child).kill();
            let stderr = std::fs::read_to_string(&log).unwrap_or_default();
            let why = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            panic!("chromium failed on {url} ({status:?}): {why}\n--- its standard error:\n{stderr}")
        }
    }
}

fn lock(child: &Mutex<Child>) -> std::sync::MutexGuard<'_, Child> {
    child.lock().unwrap_or_else(|e| e.into_inner())
}

/// One page's session: a target, its network and page events, the PDF.
fn session(mut pipe: Pipe, url: &str) -> Printed {
    let target = pipe.call("Target.createTarget", json!({"url": "about:blank"}), None);
    let target = target["targetId"].as_str().expect("a target id").to_string();
    let attached = pipe.call(
        "Target.attachToTarget",
        json!({"targetId": target, "flatten": true}),
        None,
    );
    let s = attached["sessionId"].as_str().expect("a session id").to_string();
    let s = Some(s.as_str());
    pipe.call("Network.enable", json!({}), s);
    pipe.call("Page.enable", json!({}), s);
    let nav = pipe.call("Page.navigate", json!({"url": url}), s);
    assert!(nav.get("errorText").is_none(), "{url}: {nav}");
    pipe.wait_for("Page.loadEventFired");
    let pdf = pipe.call(
        "Page.printToPDF",
        json!({"preferCSSPageSize": true, "printBackground": true, "displayHeaderFooter": false}),
        s,
    );
    let pdf = base64::engine::general_purpose::STANDARD
        .decode(pdf["data"].as_str().expect("the PDF"))
        .expect("base64");
    let requests = pipe
        .events
        .iter()
        .filter_map(|e| match e["method"].as_str() {
            Some("Network.requestWillBeSent") => e["params"]["request"]["url"].as_str(),
            Some("Network.webSocketCreated") => e["params"]["url"].as_str(),
            _ => None,
        })
        .map(String::from)
        .collect();
    pipe.call("Browser.close", json!({}), None);
    Printed { pdf, requests }
}

/// The DevTools pipe: calls answered by id; every other message kept as an event.
struct Pipe {
    to: ChildStdin,
    from: BufReader<ChildStdout>,
    next: u64,
    events: Vec<Value>,
}

impl Pipe {
    fn receive(&mut self) -> Value {
        let mut message = Vec::new();
        let n = self.from.read_until(0, &mut message).expect("reads the pipe");
        assert!(n > 0 && message.pop() == Some(0), "chromium closed the pipe");
        serde_json::from_slice(&message).expect("a JSON message")
    }

    /// Sends `method` (to `session`, or the browser) and returns its result.
    fn call(&mut self, method: &str, params: Value, session: Option<&str>) -> Value {
        self.next += 1;
        let mut m = json!({"id": self.next, "method": method, "params": params});
        if let Some(s) = session {
            m["sessionId"] = json!(s);
        }
        let mut bytes = serde_json::to_vec(&m).expect("JSON");
        bytes.push(0);
        self.to.write_all(&bytes).expect("writes the pipe");
        self.to.flush().expect("writes the pipe");
        loop {
            let answer = self.receive();
            if answer["id"] == json!(self.next) {
                assert!(answer.get("error").is_none(), "{method}: {answer}");
                return answer["result"].clone();
            }
            self.events.push(answer);
        }
    }

    /// Reads until the event `method` arrives (or has arrived).
    fn wait_for(&mut self, method: &str) {
        while !self.events.iter().any(|e| e["method"] == method) {
            let e = self.receive();
            self.events.push(e);
        }
    }
}
