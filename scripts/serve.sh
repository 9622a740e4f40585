#!/usr/bin/env bash
# Quick start, command 1: installs what is missing, builds, indexes content/
# and serves the portal and API on http://localhost:8080 with one demo
# account per role (printed at start). Stop with Ctrl-C (drains, exits 0).
#   KPO_PORT=8080 KPO_DATA=./data bash scripts/serve.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
kpo_install_packages "${KPO_BUILD_PACKAGES[@]}"
kpo_portal_assets

# Warnings are errors in the test command (CI, RelWithDebInfo), not here: a
# false positive of the optimiser at -O3 (GCC 12's -Wrestrict, seen once)
# must not stop someone from starting the product.
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DKPO_BENCHMARKS=OFF -DKPO_WERROR=OFF >/dev/null
cmake --build build -j"$(nproc)" --target kpo-server kpo-index kpo-admin

data="${KPO_DATA:-data}"
# Exit code 1 means some content files had errors (listed above); the rest
# is imported and served.
status=0
./build/indexer/kpo-index --content content --data "$data" || status=$?
if [ "$status" -gt 1 ]; then exit "$status"; fi

exec ./build/backend/kpo-server --data "$data" --port "${KPO_PORT:-8080}" --static static --demo
