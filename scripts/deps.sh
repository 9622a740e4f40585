# Sourced by serve.sh, test.sh and proof.sh: installs the Debian 12 packages KPO needs,
# only those missing, so a second run costs nothing. Needs root (apt).
kpo_install_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "==> apt-get install ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

# Build tools and libraries (server, indexer, tools, tests).
KPO_BUILD_PACKAGES=(build-essential cmake pkg-config git
  libpistache-dev rapidjson-dev libxapian-dev libcmark-dev libyaml-cpp-dev
  nlohmann-json3-dev libsodium-dev libsqlite3-dev libgtest-dev libgmock-dev
  libbenchmark-dev wdutch libical-dev
  zlib1g-dev dict-freedict-nld-eng dict-freedict-eng-nld  # issue 12: the thesaurus (search/thesaurus.h)
  libkainjow-mustache-dev
  liboath-dev   # second factor (issue 13, auth): TOTP
  libmagic-dev poppler-utils unzip)  # issue 10, attachments: type by content, pdftotext, office XML
# Only for the test command: style and lint checks; real Dutch text for the
# relevance gate and the script that makes it into items
# (tests/relevance/lohelp_items.py; 3.2 MB, ~17 s to install).
KPO_TEST_PACKAGES=(clang-format clang-tidy libreoffice-help-nl python3 ninja-build)
# Proof (issue 13, scripts/proof.sh): clang with its sanitizer and libFuzzer
# runtimes for the ASan/UBSan, TSan and fuzz trees.
KPO_PROOF_PACKAGES=(clang libclang-rt-14-dev)
# Platform (issue 13): the deployment examples run for real (tests/deploy):
# nginx in front of kpo-server with a self-signed certificate (openssl,
# curl), and Xapian replication (xapian-tools).
KPO_TEST_PACKAGES+=(nginx openssl curl xapian-tools)

# The CMake generator of the test command's trees (scripts/test.sh,
# scripts/proof.sh): Ninja when it is installed, because it compiles a
# module's files while the modules it depends on are still being archived,
# where make waits for each library in turn (with one or two unity batches
# per module, one core of two idled; docs/testing-proof.md, "Unity build").
# A tree already configured keeps its generator.
#   cmake ... $(kpo_generator BUILD_DIR)
kpo_generator() {
  if [ ! -f "$1/CMakeCache.txt" ] && command -v ninja >/dev/null; then echo "-GNinja"; fi
}

# Portal (issue 9): the NL Design System CSS from npm (package-lock.json)
# copied into static/vendor/ by scripts/portal-assets.mjs. npm ci runs only
# when node_modules is missing or older than the lock file.
kpo_portal_assets() {
  kpo_install_node
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund
  fi
  node scripts/portal-assets.mjs
}

# Node and npm (portal assets, browser tests): Debian's nodejs and npm when
# either command is missing. A node installed otherwise is used as it is
# (NodeSource's nodejs bundles npm and conflicts with Debian's npm package).
kpo_install_node() {
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    kpo_install_packages nodejs npm
  fi
}

# Browser tests (tests/browser, docs/testing-browser.md): Debian's Chromium
# (Playwright's own download does not work here) and a font for stable
# screenshots, then playwright-core and axe-core from
# tests/browser/package-lock.json; npm ci only when node_modules is missing
# or older than the lock file.
KPO_BROWSER_PACKAGES=(chromium fonts-dejavu-core)
kpo_browser_test_deps() {
  kpo_install_packages "${KPO_BROWSER_PACKAGES[@]}"
  kpo_install_node
  local dir=tests/browser
  if [ ! -f "$dir/node_modules/.package-lock.json" ] ||
    [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    (cd "$dir" && npm ci --no-audit --no-fund)
  fi
}
