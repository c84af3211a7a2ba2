#!/usr/bin/env bash
# How proving a partitioned invoice grows with its size (issue 13's growth measurement): for each
# "PRODUCTS RECORDS" pair given (default: the series below), a synthetic bilateral
# (benches/growth/generate.py) is committed under partition shape PM and proven once with the
# release binary; prints one line per size: partitions, wall time, peak memory, seconds per
# partition. Not run in CI (minutes to hours); the README and the issue's closing note give figures.
#
#   benches/growth/run.sh [PARAMS_DIR] [WORK_DIR] [-- "PRODUCTS RECORDS" ...]
#
# PARAMS_DIR holds the PM keys (made with `zkinvoice setup --shape PM` if missing; default
# target/growth/params), WORK_DIR the generated files (default target/growth). ZKINVOICE_BIN names
# a release binary to use instead of building one.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
params=$(realpath -m "${1:-$root/target/growth/params}")
work=$(realpath -m "${2:-$root/target/growth}")
shift $(( $# > 2 ? 2 : $# ))
[ "${1:-}" = "--" ] && shift
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=("32 1000" "32 10000" "32 100000" "512 1000" "4096 1000")
if [ -n "${ZKINVOICE_BIN:-}" ]; then
  z=$ZKINVOICE_BIN
else
  (cd "$root" && cargo build -q --release -p zkinvoice-cli)
  z="${CARGO_TARGET_DIR:-$root/target}/release/zkinvoice"
fi
[ -f "$params/partition-PM.json" ] || "$z" setup --shape PM --params "$params"
mkdir -p "$work"
printf '%-9s %-9s %-11s %-10s %-12s %s\n' products records partitions "wall (s)" "peak (MB)" "s/partition"
for size in "${sizes[@]}"; do
  read -r products records <<<"$size"
  d="$work/$products-$records"
  python3 "$root/benches/growth/generate.py" "$products" "$records" "$d" >/dev/null
  "$z" msa commit --msa "$d/msa.json" --shape PM --out "$d/msa.commit.json" --state-out "$d/state-0.json" --force >/dev/null
  "$z" usage commit --msa "$d/msa.json" --msa-commit "$d/msa.commit.json" --usage "$d/usage.csv" \
    --period 2026-11-01..2026-12-01 --out "$d/usage.commit.json" --force >/dev/null
  /usr/bin/time -f "%e %M" -o "$d/time" "$z" prove --params "$params" --msa "$d/msa.json" \
    --msa-commit "$d/msa.commit.json" --usage "$d/usage.csv" --period 2026-11-01..2026-12-01 \
    --usage-commit "$d/usage.commit.json" --state "$d/state-0.json" --invoice-number INV-GROWTH \
    --out "$d/envelope.json" --force >"$d/prove.log"
  read -r wall rss <"$d/time"
  blocks=$(( (products + 31) / 32 )); chunks=$(( (records + 831) / 832 ))
  n=$(( blocks + chunks + 1 ))
  printf '%-9s %-9s %-11s %-10s %-12s %s\n' "$products" "$records" "$n" "$wall" "$(( rss / 1024 ))" \
    "$(python3 -c "print(f'{$wall / $n:.2f}')")"
done
