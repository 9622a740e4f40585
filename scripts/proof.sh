#!/usr/bin/env bash
# Proof jobs of issue 13, run by scripts/test.sh after the ordinary tests
# (docs/testing-proof.md):
#   asan  a clang tree with ASan + UBSan (+ libFuzzer coverage): the whole
#         CTest suite but the labels skipped below and the browser label
#         (Chromium is not instrumented, only the server behind it;
#         KPO_PROOF_BROWSER=1 adds it, ~5 min), the fuzz replays, then every
#         fuzz target for KPO_FUZZ_SECONDS (30) from its seed corpus;
#   tsan  a clang tree with ThreadSanitizer: the suites that run threads
#         against each other (GTEST_FILTER over two shards per binary) (server under concurrent clients, the academy's
#         200 members on 20 places, the index applier, warming, caches),
#         listed in tests/tsan_suites.txt.
#   bash scripts/proof.sh [asan|tsan|all]      (default all)
# Build trees: build-asan, build-tsan (KPO_ASAN_BUILD, KPO_TSAN_BUILD).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
what="${1:-all}"
jobs="$(nproc)"
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)

# Line tables only (-gline-tables-only): sanitizer reports keep file and line,
# and the trees compile faster than with full debug info; a unity build, as
# in the ordinary tree (scripts/test.sh).
configure() {  # configure BUILD_DIR OPTION...
  local dir="$1"
  shift
  # shellcheck disable=SC2046  # kpo_generator prints one word or nothing
  cmake -S . -B "$dir" $(kpo_generator "$dir") -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKPO_WERROR=ON \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -gline-tables-only -DNDEBUG" \
    -DCMAKE_CXX_COMPILER=clang++ -DKPO_BENCHMARKS=OFF -DCMAKE_UNITY_BUILD=ON \
    "${launcher[@]}" "$@" >/dev/null
}

if [ "$what" = asan ] || [ "$what" = all ]; then
  build="${KPO_ASAN_BUILD:-build-asan}"
  echo "==> ASan + UBSan build ($build)"
  # Four shards per GoogleTest binary, not one process per test: ASan's
  # start and exit check cost more than most tests (cmake/kpo_gtest.cmake).
  configure "$build" -DKPO_SANITIZE=ON -DKPO_FUZZ=ON -DKPO_TEST_SHARDS=4
  cmake --build "$build" -j"$jobs"
  echo "==> tests under ASan + UBSan"
  # The fault suite (kill -9, tmpfs mounts) and the hostile-clients suite
  # (slow clients, timed) run in the ordinary tree only: under ASan they cost
  # minutes and exercise no other code. So does the soak: its verdict is the
  # server's resident memory, which ASan's shadow memory and quarantine
  # change (LeakSanitizer checks every test's exit instead). The layering
  # probes only compile headers: their verdict does not depend on the tree.
  # Nor does the relevance gates' (nDCG); the indexing and search code they
  # run runs under ASan in the unit and integration suites and the query
  # fuzzer (about a minute of the two cores saved).
  skip="fault|security|soak|layering|relevance|browser"
  [ "${KPO_PROOF_BROWSER:-0}" = 1 ] && skip="fault|security|soak|layering|relevance"
  # detect_leaks: a leak fails the test too. The timeouts allow for the
  # sanitizers' 2-3x slowdown. new_delete_type_mismatch=0: libxapian 1.4.22's
  # own Database::check() frees a 440-byte object as a 432-byte one (inside
  # the uninstrumented library, found by kpo_unit_tests under ASan). The
  # option is process-wide: remove it when Xapian is fixed.
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:new_delete_type_mismatch=0
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir "$build" --output-on-failure -j"$jobs" --timeout 900 -LE "$skip"
  echo "==> fuzzing, ${KPO_FUZZ_SECONDS:-30} s per target"
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    bash tests/fuzz/run.sh "$build" "${KPO_FUZZ_SECONDS:-30}"
fi

if [ "$what" = tsan ] || [ "$what" = all ]; then
  build="${KPO_TSAN_BUILD:-build-tsan}"
  echo "==> ThreadSanitizer build ($build)"
  # Each binary as two shards, like the other trees (cmake/kpo_gtest.cmake),
  # running only the listed suites (GTEST_FILTER): a suite's SetUpTestSuite
  # (indexes, servers) runs once per shard, not once per test.
  configure "$build" -DKPO_TSAN=ON -DKPO_TEST_SHARDS=2
  cmake --build "$build" -j"$jobs" --target kpo_unit_tests kpo_integration_tests kpo_indexer_tests
  echo "==> concurrent suites under ThreadSanitizer"
  # tests/tsan_suites.txt's patterns (^Suite\.Name$ or ^Suite\.) as one
  # GoogleTest filter (Suite.Name or Suite.*).
  binaries=(backend/kpo_unit_tests tests/kpo_integration_tests indexer/kpo_indexer_tests)
  filter=""
  while read -r _ suite; do
    pattern="${suite#^}"
    pattern="${pattern//\\./.}"
    if [[ "$pattern" == *'$' ]]; then pattern="${pattern%\$}"; else pattern="$pattern*"; fi
    found=0  # a renamed suite must not drop out silently
    for binary in "${binaries[@]}"; do
      listed="$("$build/$binary" --gtest_list_tests --gtest_filter="$pattern")"
      grep -q '^  ' <<<"$listed" && found=1
    done
    [ "$found" = 1 ] || { echo "tests/tsan_suites.txt: no test matches $suite" >&2; exit 1; }
    filter="${filter:+$filter:}$pattern"
  done < <(grep -v '^#' tests/tsan_suites.txt)
  GTEST_FILTER="$filter" \
    TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$PWD/tests/tsan.supp" \
    ctest --test-dir "$build" --output-on-failure -j"$jobs" --timeout 900 -R '\.shard[0-9]+$'
fi
