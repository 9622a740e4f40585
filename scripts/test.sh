#!/usr/bin/env bash
# Quick start, command 2: installs what is missing, builds from scratch with
# warnings as errors, checks formatting and lint, and runs every test
# (unit, integration on a real server, relevance gate, portal in a real
# browser) through CTest.
#   bash scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
kpo_install_packages "${KPO_BUILD_PACKAGES[@]}" "${KPO_TEST_PACKAGES[@]}" \
  "${KPO_PROOF_PACKAGES[@]}"
kpo_portal_assets
kpo_browser_test_deps

build="${KPO_TEST_BUILD:-build-test}"
jobs="$(nproc)"
# -g1 (line tables): backtraces keep file and line, and g++ compiles in about
# half the time of full -g (docs/testing-proof.md, "CI time"). Each GoogleTest
# binary runs as four shards, not one process per test (cmake/kpo_gtest.cmake).
# A unity build (batches of up to eight .cc files per target compiled as one)
# takes about half the compile time (docs/testing-proof.md, "Unity build").
# shellcheck disable=SC2046  # kpo_generator prints one word or nothing
cmake -S . -B "$build" $(kpo_generator "$build") -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DKPO_WERROR=ON -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" -DKPO_TEST_SHARDS=4 \
  -DCMAKE_UNITY_BUILD=ON >/dev/null
cmake --build "$build" -j"$jobs"

echo "==> clang-format"
mapfile -t sources < <(git ls-files '*.cc' '*.h')
clang-format --dry-run --Werror "${sources[@]}"

# The static analyzer (clang-analyzer-*) in its shallow mode: about a third
# of the deep mode's time, the same checkers with shorter paths.
# KPO_TIDY_DEEP=1 runs the deep mode (docs/testing-proof.md, "CI time").
echo "==> clang-tidy (product code; warnings are errors)"
tidy_mode=(--extra-arg=-Xclang --extra-arg=-analyzer-config --extra-arg=-Xclang
  --extra-arg=mode=shallow)
[ "${KPO_TIDY_DEEP:-0}" = 1 ] && tidy_mode=()
# clang-tidy reads each .cc file with its own flags, which a unity tree's
# compile_commands.json no longer lists (the analyzer would also skip the
# functions of a .cc file included by a batch). So a second tree, configured
# without unity and never built but for the generated template header,
# gives it the file-by-file commands.
cmake -S . -B "$build-tidy" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build-tidy" --target kpo_portal_templates >/dev/null
git ls-files 'backend/src/*.cc' 'indexer/*.cc' | grep -v '_test\.cc$' |
  xargs -P"$jobs" -n1 clang-tidy -p "$build-tidy" --quiet "${tidy_mode[@]}" 2>/dev/null

# The GoogleTest binaries' shards run once, in the ASan + UBSan tree below;
# here, in the g++ tree the product ships from, every suite that drives the
# built programs as a whole (browser, faults, hostile clients, soak,
# relevance gates, deploy, layering). A developer's own tree
# runs them all (docs/testing-proof.md, "The GoogleTest suites once").
gtests_elsewhere=(-E '^kpo_(unit|integration|indexer)_tests\.shard[0-9]+$')
[ "${KPO_SKIP_PROOF:-0}" = 1 ] && gtests_elsewhere=()
echo "==> tests"
ctest --test-dir "$build" --output-on-failure -j"$jobs" "${gtests_elsewhere[@]}"

# Proof (issue 13): ASan + UBSan over the whole suite, fuzzing, TSan over the
# concurrent suites (docs/testing-proof.md). KPO_SKIP_PROOF=1 skips them.
if [ "${KPO_SKIP_PROOF:-0}" != 1 ]; then
  bash scripts/proof.sh all
fi
