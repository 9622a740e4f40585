# Shared by the deployment tests (sourced): a work directory removed at
# exit with every process in `pids` (and nginx, if started), `fail`, a free
# loopback port, waiting for a kpo-server, and a content item.
set -euo pipefail
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FOUT: $*" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_up() {  # wait_up PORT
  for _ in $(seq 1 300); do
    curl -sf -o /dev/null "http://127.0.0.1:$1/api/health" && return 0
    sleep 0.1
  done
  fail "kpo-server op poort $1 start niet"
}
# new_content SOURCE_DIR: $work/content with the real vocabulary and glossary.
new_content() {
  mkdir -p "$work/content"
  cp "$1/content/vocabulary.yaml" "$1/content/glossary.yaml" "$work/content/"
}
item() {  # item ID TITLE: a published public item about witwassen
  cat >"$work/content/$1.md" <<ITEM
---
id: $1
title: $2
type: handreiking
access: public
themes: [bibob]
status: published
published: 2022-03-01
summary: Over witwassen.
---
Witwassen en vastgoed, $2.
ITEM
}
