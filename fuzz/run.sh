#!/usr/bin/env bash
# Builds the fuzz targets and runs each (or the ones named) from its committed corpus, failing if
# any crashes, hangs or runs out of memory. CI runs it briefly (`.ci/run`); see README.md.
#
#   fuzz/run.sh [-t SECONDS] [-j JOBS] [-q] [-b] [TARGET...]
#
#   -t  seconds per target (default 20)
#   -j  targets run at once (default 1)
#   -q  a quick build for a brief run (the README's test command, CI): opt-level 1 and line
#       tables only, which builds in about two thirds of the time (4m38s against 6m42s on the
#       2-core machine) and runs 10-65% fewer inputs a second; leave it out for a long campaign
#   -b  build only (CI builds the targets in the background, idle-priority, while the tests run;
#       the same options later find them built)
#
# The committed corpus (corpus/<target>/) is only read: new inputs go to $FUZZ_WORK/corpus/<target>/
# and crashes, hangs and OOMs to $FUZZ_WORK/artifacts/<target>/, with each run's log in
# $FUZZ_WORK/logs/<target>.log. FUZZ_WORK defaults to fuzz-work in the target dir; the build goes to
# $FUZZ_TARGET_DIR (default fuzz/target). With no nightly toolchain, stable builds with
# RUSTC_BOOTSTRAP=1.
set -euo pipefail
cd "$(dirname "$0")"

secs=20
jobs=1
build_only=0
while getopts "t:j:qb" opt; do
  case $opt in
    t) secs=$OPTARG ;;
    j) jobs=$OPTARG ;;
    b) build_only=1 ;;
    q) export CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_DEBUG=line-tables-only ;;
    *) exit 2 ;;
  esac
done
shift $((OPTIND - 1))

if cargo +nightly --version >/dev/null 2>&1; then
  cargo=(cargo +nightly)
else
  cargo=(cargo)
  export RUSTC_BOOTSTRAP=1
fi
target_dir=$(realpath -m "${FUZZ_TARGET_DIR:-target}")
work=$(realpath -m "${FUZZ_WORK:-$target_dir/fuzz-work}")

# No sanitizer: every zkinvoice crate forbids unsafe code, and libFuzzer itself catches panics,
# timeouts and memory over -rss_limit_mb; without ASan the targets run two to three times faster.
"${cargo[@]}" fuzz build --sanitizer none --target-dir "$target_dir"
if [ "$build_only" -eq 1 ]; then
  exit 0
fi
bin="$target_dir/$(rustc -vV | sed -n 's/^host: //p')/release"

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <("${cargo[@]}" fuzz list)
fi

run() {
  local t=$1
  mkdir -p "$work/corpus/$t" "$work/artifacts/$t" "$work/logs"
  local log="$work/logs/$t.log"
  if "$bin/$t" "$work/corpus/$t" "corpus/$t" \
    -dict=dict/zkinvoice.dict -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 \
    -print_final_stats=1 -artifact_prefix="$work/artifacts/$t/" >"$log" 2>&1; then
    echo "$t: $(grep -E '^#[0-9]+' "$log" | tail -1)"
  else
    echo "$t: FAILED (log: $log)"
    grep -E -A20 'ERROR: libFuzzer|panicked at|^==[0-9]+== ERROR' "$log" | head -40
    return 1
  fi
}

failed=0
running=0
for t in "${targets[@]}"; do
  if [ "$running" -ge "$jobs" ]; then
    wait -n || failed=1
    running=$((running - 1))
  fi
  run "$t" &
  running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
  wait -n || failed=1
  running=$((running - 1))
done
if [ "$failed" -ne 0 ]; then
  echo "fuzzing found a crash, hang or OOM: see the logs and artifacts in $work" >&2
  exit 1
fi
