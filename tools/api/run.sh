#!/usr/bin/env bash
# API conformance (docs/api-conformance.md): makes the virtual environment .venv-api/ with the
# pinned schemathesis (tools/api/requirements.txt), then runs tools/api/run.py with the arguments
# given (--examples N, --seed S, --keep).
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=.venv-api
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
# pip skips what is installed already at the pinned version.
"$venv/bin/pip" install --quiet --disable-pip-version-check -r tools/api/requirements.txt
exec "$venv/bin/python" tools/api/run.py "$@"
