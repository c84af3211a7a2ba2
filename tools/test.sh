#!/usr/bin/env bash
# Every test (the README's test command; CI runs it too): the workspace's tests, the API
# conformance run against both services, and a brief run of every fuzz target from its seeds.
# Installs what it needs (the pinned Node tools on first use, schemathesis in .venv-api/,
# cargo-fuzz) or fails saying why; the printed-invoice test needs chromium and pdftotext
# (README). Extra arguments go to `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== tests (cargo test --workspace)"
# Built, then run: the two durations apart.
SECONDS=0
cargo test --locked --workspace --no-run "$@"
echo "tests built: ${SECONDS} s"
SECONDS=0
cargo test --locked --workspace "$@"
echo "tests run: ${SECONDS} s"

echo "== API conformance (docs/api-conformance.md): schemathesis against the Seller's and the Buyer's"
echo "   services with the MEF 141 OpenAPI files, the spec's known faults excused (about 1 minute)"
SECONDS=0
tools/api/run.sh
echo "API conformance: ${SECONDS} s"

echo "== fuzz targets (fuzz/README.md): built quickly (-q), then each run 10 s from its committed corpus"
SECONDS=0
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "installing cargo-fuzz (cargo install cargo-fuzz --locked, about 45 s)"
  cargo install cargo-fuzz --locked
fi
fuzz/run.sh -t 10 -j 2 -q
echo "fuzz targets: ${SECONDS} s"
