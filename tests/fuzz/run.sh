#!/usr/bin/env bash
# Fuzzes every libFuzzer target of a KPO_FUZZ build for a fixed time, each
# from its committed seed corpus (copied: the committed one stays as it is)
# plus the inputs that once crashed (regressions/). A crash, leak, UBSan
# finding or timeout fails the run and leaves the input in the work dir; add
# it to tests/fuzz/regressions/<target>/ and fix the cause (README.md).
# Targets run side by side, one per core: each is one single-threaded worker,
# so each still gets its SECONDS of a whole core.
#   bash tests/fuzz/run.sh BUILD_DIR [SECONDS_PER_TARGET]   (default 45)
set -euo pipefail
build="$1"
seconds="${2:-45}"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d /tmp/kpo-fuzz-XXXXXX)"
targets=(item_file markdown query http_request)

fuzz() {  # fuzz NAME: runs one target; its exit status lands in $work/NAME/status
  local name="$1"
  mkdir -p "$work/$name/corpus" "$work/$name/crashes"
  cp "$here/corpus/$name/"* "$work/$name/corpus/"
  local dirs=("$work/$name/corpus")
  [ -d "$here/regressions/$name" ] && dirs+=("$here/regressions/$name")
  # One worker, 10 s per input at most, 2 GB of RSS; inputs up to 8 KiB.
  local rc=0
  "$build/tests/fuzz/fuzz_$name" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -max_len=8192 -print_final_stats=1 \
    -artifact_prefix="$work/$name/crashes/" "${dirs[@]}" >"$work/$name/log" 2>&1 || rc=$?
  echo "$rc" >"$work/$name/status"
}

echo "==> fuzz ${targets[*]} (${seconds}s each, $(nproc) at a time)"
running=0
for name in "${targets[@]}"; do
  fuzz "$name" &
  running=$((running + 1))
  if [ "$running" -ge "$(nproc)" ]; then
    wait -n || true
    running=$((running - 1))
  fi
done
wait

status=0
for name in "${targets[@]}"; do
  if [ "$(cat "$work/$name/status")" != 0 ]; then
    status=1
    echo "fuzz $name FAILED; input(s): $(ls "$work/$name/crashes")"
    tail -60 "$work/$name/log"
  else
    echo -n "$name: "
    grep -E '^stat::(number_of_executed_units|new_units_added)' "$work/$name/log" | tr '\n' ' '
    echo
  fi
done
if [ "$status" -eq 0 ]; then rm -rf "$work"; else echo "work dir kept: $work"; fi
exit "$status"
