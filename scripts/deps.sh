# Sourced by serve.sh and test.sh: installs the Debian 12 packages KPO needs,
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
  libbenchmark-dev wdutch libical-dev)
# Only for the test command: style and lint checks.
KPO_TEST_PACKAGES=(clang-format clang-tidy)
