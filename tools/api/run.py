"""API conformance: schemathesis against the Seller's and the Buyer's services with the MEF 141
OpenAPI files (`mef141/api/`), every check on, the spec's known faults (`known_faults.py`)
excepted. See `docs/api-conformance.md`.

Run by `tools/api/run.sh` (which makes the virtual environment); exits non-zero on any finding.
It needs the `zkinvoice` binary: `$ZKINVOICE`, else `$CARGO_TARGET_DIR/debug/zkinvoice` (or
`target/debug/zkinvoice`), built with `cargo build -p zkinvoice-cli` when missing.

1. `zkinvoice demo --single-party-setup --out WORK/demo`: three proved bills and both parties' anchor logs;
2. a Seller service (`serve --role seller`, a new store, the demo's Seller log) with the bills
   published and one listener registered (`POST /hub`, the Buyer's URL);
3. a Buyer service (`serve --role buyer`, a new store, the demo's Buyer log, `--msa`);
4. `schemathesis run` of `billingManagement.api.yaml` against the Seller and of
   `billingNotification.api.yaml` against the Buyer: seeded, a bounded number of examples per
   operation, the real bill, item and hub ids offered half the time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = ROOT / "tools" / "api"
API = ROOT / "mef141" / "api"
MEF_BASE = "/mefApi/sonata/customerBillManagement/v2"
LISTENER_BASE = "/mefApi/sonata/customerBillNotification/v2"


def log(message: str) -> None:
    print(message, flush=True)


def zkinvoice() -> Path:
    """The binary, built when it is missing."""
    if "ZKINVOICE" in os.environ:
        return Path(os.environ["ZKINVOICE"])
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    binary = target / "debug" / "zkinvoice"
    if not binary.exists():
        log(f"== building {binary}")
        subprocess.run(["cargo", "build", "--locked", "-p", "zkinvoice-cli"], cwd=ROOT, check=True)
    return binary


class Service:
    """A `zkinvoice serve` child process; its first line of output names its address."""

    def __init__(self, name: str, argv: list[str], work: Path) -> None:
        self.name = name
        self.log_path = work / f"{name}.log"
        self.log_file = open(self.log_path, "w", encoding="utf-8")
        self.process = subprocess.Popen(
            argv, stdout=subprocess.PIPE, stderr=self.log_file, text=True, cwd=work
        )
        line = self.process.stdout.readline() if self.process.stdout else ""
        if not line:
            self.stop()
            sys.exit(f"{name} did not start: {self.log_path.read_text()}")
        self.log_file.write(line)
        # "seller: MEF 141 Billing Management at http://ADDR/..." / "buyer: listening at http://ADDR/..."
        url = next(w for w in line.split() if w.startswith("http://"))
        self.origin = "/".join(url.split("/")[:3])
        log(f"   {line.strip()}")

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log_file.close()


def http(method: str, url: str, body: object | None = None) -> object:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json;charset=utf-8")
    with urllib.request.urlopen(request, timeout=30) as response:
        text = response.read()
    return json.loads(text) if text else None


def config(work: Path, name: str, args: argparse.Namespace, offered: dict[str, str],
           ids: dict[str, list[str]]) -> Path:
    """The schemathesis config of one run: seeded, bounded, every check, the known faults' hook,
    and the services' real ids (`ids`, by dictionary) offered half the time to the parameters of
    `offered` (`"path#parameter": dictionary`)."""
    lines = [
        f'hooks = "{HERE / "known_faults.py"}"',
        f"seed = {args.seed}",
        "color = false",
        "[generation]",
        f"max-examples = {args.examples}",
        'database = "none"',
        "[checks]",
        "enabled = true",
        "[phases.stateful]",
        f"max-steps = {args.examples}",
    ]
    for dictionary, values in ids.items():
        lines += [f"[dictionaries.{dictionary}]", f"values = {json.dumps(values)}"]
    for target, dictionary in offered.items():
        path, parameter = target.split("#")
        lines += [
            "[[operations]]",
            f'include-path = "{path}"',
            f'parameters = {{ "{parameter}" = {{ dictionary = "{dictionary}", probability = 0.5 }} }}',
        ]
    path = work / f"{name}.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def schemathesis(name: str, spec: str, url: str, work: Path, cfg: Path) -> bool:
    """One run; whether it found nothing (besides the known faults, which it prints)."""
    seen = work / f"{name}-known-faults.json"
    env = dict(os.environ, ZK_API_KNOWN_FAULTS_OUT=str(seen))
    argv = [
        str(Path(sys.executable).parent / "schemathesis"),
        "--config-file",
        str(cfg),
        "run",
        str(API / spec),
        "--url",
        url,
        "--checks",
        "all",
        "--workers",
        "1",
        "--report",
        "junit",
        "--report-dir",
        str(work / f"{name}-report"),
    ]
    start = time.monotonic()
    ok = subprocess.run(argv, env=env, cwd=work).returncode == 0
    counts = json.loads(seen.read_text()) if seen.exists() else {}
    log(f"== {name}: {'passed' if ok else 'FAILED'} in {time.monotonic() - start:.0f} s")
    for fault, n in sorted(counts.items()):
        log(f"   known fault of the spec {fault}: {n} findings excused")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=100, help="examples per operation")
    parser.add_argument("--seed", type=int, default=141)
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args()

    start = time.monotonic()
    zk = str(zkinvoice())
    work = Path(tempfile.mkdtemp(prefix="zkinvoice-api-"))
    services: list[Service] = []
    try:
        log(f"== demo (bills and anchor logs) in {work}")
        demo = work / "demo"
        with open(work / "demo.log", "w", encoding="utf-8") as out:
            subprocess.run(
                [zk, "demo", "--single-party-setup", "--out", str(demo)], stdout=out, check=True
            )
        for f in ["seller-anchors.db", "buyer-anchors.db"]:
            shutil.copy(demo / f, work / f)
        bills = sorted(demo.glob("*.bill.json"))

        log("== services")
        seller = Service(
            "seller",
            [zk, "serve", "--role", "seller", "--db", "seller.db", "--anchors", "seller-anchors.db",
             "--listen", "127.0.0.1:0"],
            work,
        )
        services.append(seller)
        buyer = Service(
            "buyer",
            [zk, "serve", "--role", "buyer", "--db", "buyer.db", "--anchors", "buyer-anchors.db",
             "--seller-url", seller.origin, "--msa", str(ROOT / "examples" / "msa.json"),
             "--listen", "127.0.0.1:0"],
            work,
        )
        services.append(buyer)
        hub = http("POST", seller.origin + MEF_BASE + "/hub", {"callback": buyer.origin})
        for bill in bills:
            subprocess.run([zk, "publish", "--db", "seller.db", "--bill", str(bill)], cwd=work,
                           check=True, stdout=subprocess.DEVNULL)
        ids = {
            "bills": [json.loads(b.read_text())["id"] for b in bills],
            "items": [i["id"] for b in bills for i in json.loads(b.read_text())["customerBillItem"]],
            "hubs": [hub["id"]],
        }
        seller_cfg = config(work, "seller", args, {
            "/customerBill/{id}#path.id": "bills",
            "/customerBillItem/{id}#path.id": "items",
            "/hub/{id}#path.id": "hubs",
        }, ids)
        buyer_cfg = config(work, "buyer", args, {
            "/listener/customerBillCreateEvent#body.event.id": "bills",
            "/listener/customerBillStateChangeEvent#body.event.id": "bills",
        }, ids)
        ok = schemathesis("seller", "billingManagement.api.yaml", seller.origin + MEF_BASE, work,
                          seller_cfg)
        ok &= schemathesis("buyer", "billingNotification.api.yaml", buyer.origin + LISTENER_BASE,
                           work, buyer_cfg)
        for s in services:
            if not s.alive():
                log(f"== {s.name} service died: see {s.log_path}")
                ok = False
        log(f"== API conformance {'passed' if ok else 'FAILED'} in {time.monotonic() - start:.0f} s")
        return 0 if ok else 1
    finally:
        for s in services:
            s.stop()
        if args.keep:
            log(f"   work directory kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
