#!/usr/bin/env bash
# Builds and runs the Dockerfile's runtime stage with podman where Docker Hub
# is out of reach (docs/deploy.md, "Container"): the base image is made with
# debootstrap from the Debian mirror and imported, the runtime stage is taken
# from the Dockerfile verbatim, and its build stage is replaced by the
# programs of BUILD_DIR (compiled on Debian 12, as the build stage would).
# Then it checks what the image promises: healthcheck healthy, kpo-server
# running as uid 10001, data in the volume, a search answered, SIGTERM drain.
#   bash deploy/container-check.sh [BUILD_DIR] [WORK_DIR] [PORT]
#        (build-test, /tmp/kpo-container, 8460)
# `KPO_CONTAINER_FULL=1` builds and checks the whole Dockerfile instead
# (build stage included: a full compile, ~8 minutes on 2 cores); behind a
# TLS-inspecting proxy give npm its CA with `KPO_BUILD_CA=/path/ca.crt`.
# Needs root (or rootless podman with subuids) and the Debian packages podman
# and debootstrap. Not in CI: no container engine there.
# In a sandbox without CAP_SYS_RESOURCE and with hybrid cgroups (where this
# was first run) podman's defaults fail; there:
#   KPO_PODMAN_GLOBAL="--runtime runc" \
#   KPO_PODMAN_LIMITS="--ulimit nofile=1024:1024 --ulimit nproc=4096:4096" \
#   bash deploy/container-check.sh
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build-test}"
work="${2:-/tmp/kpo-container}"
port="${3:-8460}"
base=localhost/kpo-debian:12
image=localhost/kpo:check
name="kpo-check-$$"
volume="kpo-check-data-$$"
read -r -a global <<<"${KPO_PODMAN_GLOBAL:-}"
read -r -a limits <<<"${KPO_PODMAN_LIMITS:-}"
podman() { command podman "${global[@]}" "$@"; }

mkdir -p "$work"
if ! podman image exists "$base"; then
  echo "==> base image from debootstrap (bookworm, minbase)"
  [ -x "$work/rootfs/bin/bash" ] ||
    debootstrap --variant=minbase bookworm "$work/rootfs" http://deb.debian.org/debian
  tar -C "$work/rootfs" -c . | podman import - "$base"
fi

if [ "${KPO_CONTAINER_FULL:-0}" = 1 ]; then
  # The whole Dockerfile as it is, build stage included: the image checked
  # below is then exactly what `docker build .` makes.
  image=localhost/kpo:full
  ca_args=()
  if [ -n "${KPO_BUILD_CA:-}" ]; then
    ca_args=(-v "$KPO_BUILD_CA:/run/build-ca.crt:ro"
      --build-arg NODE_EXTRA_CA_CERTS=/run/build-ca.crt)
  fi
  echo "==> podman build of the whole Dockerfile"
  podman build "${limits[@]}" "${ca_args[@]}" --format docker \
    --build-arg "BASE_IMAGE=$base" --build-arg "RUNTIME_IMAGE=$base" -t "$image" .
else
  echo "==> context: the runtime stage of Dockerfile, programs from $build"
  ctx="$work/context"
  rm -rf "$ctx"
  mkdir -p "$ctx/src/build/backend" "$ctx/src/build/indexer"
  for p in backend/kpo-server backend/kpo-admin indexer/kpo-index; do
    strip -o "$ctx/src/build/$p" "$build/$p"
  done
  cp -r static "$ctx/src/static"
  "$build/indexer/kpo-index" --content content --data "$ctx/data" >/dev/null
  {
    awk '/^FROM / {exit} /^ARG /' Dockerfile # the global ARGs
    echo "FROM $base AS build"
    echo "COPY src /src"
    echo "COPY data /data"
    # From the runtime stage's FROM to the end, unchanged.
    awk '/^FROM .* AS build/ {next} /^FROM / {on = 1} on' Dockerfile
  } >"$ctx/Containerfile"

  echo "==> podman build (runtime stage)"
  # Docker's image format: OCI images have no HEALTHCHECK (podman drops it).
  podman build "${limits[@]}" --format docker --build-arg "RUNTIME_IMAGE=$base" -t "$image" -f "$ctx/Containerfile" "$ctx"
fi

cleanup() {
  podman rm -f "$name" >/dev/null 2>&1 || true
  podman volume rm -f "$volume" >/dev/null 2>&1 || true
}
trap cleanup EXIT
echo "==> podman run"
podman run "${limits[@]}" -d --name "$name" -p "127.0.0.1:$port:8080" -v "$volume:/data" "$image" >/dev/null
for _ in $(seq 120); do
  curl -sf "http://127.0.0.1:$port/api/ready" >/dev/null && break
  sleep 0.5
done
podman healthcheck run "$name"
echo "healthcheck: healthy ($(podman inspect "$name" --format '{{.State.Health.Status}}'))"
echo "user of kpo-server: $(podman top "$name" user,comm | tail -n +2 | tr -s ' ')"
echo "uid in the image: $(podman exec "$name" id -u)"
echo "volume: $(podman exec "$name" ls /data | tr '\n' ' ')"
curl -sf "http://127.0.0.1:$port/api/search?q=witwassen" |
  python3 -c 'import json,sys; print("search witwassen: total", json.load(sys.stdin)["total"])'
echo "image size: $(podman image inspect "$image" --format '{{.Size}}') bytes"
t0=$(date +%s.%N)
podman stop -t 30 "$name" >/dev/null
echo "stop (SIGTERM, drain): $(echo "$(date +%s.%N) - $t0" | bc) s, exit code $(podman inspect "$name" --format '{{.State.ExitCode}}')"
