#!/usr/bin/env bash
# Read scaling with Xapian's own replication (docs/deploy.md), on loopback:
# a primary kpo-server (the index's single writer, writing changesets with
# XAPIAN_MAX_CHANGESETS), xapian-replicate-server serving its index
# directory, xapian-replicate keeping a replica's copy of every database of
# the index, and a second kpo-server with `replica = true` that searches the
# replicated index and never writes it. A change indexed by the primary
# reaches the replica's index without a restart.
#   replication_test.sh KPO_SERVER KPO_INDEX KPO_ADMIN SOURCE_DIR
server_bin=$1 index_bin=$2 admin_bin=$3 src=$4
for tool in xapian-replicate xapian-replicate-server; do
  command -v $tool >/dev/null || { echo "$tool ontbreekt (pakket xapian-tools, scripts/deps.sh)"; exit 1; }
done
source "$(dirname "$0")/lib.sh"
primary_port=$(free_port) replica_port=$(free_port) repl_port=$(free_port)
# Changesets instead of full copies for every update (stack notes).
export XAPIAN_MAX_CHANGESETS=20

new_content "$src"
for i in 1 2 3; do item "item-$i" "Signaal $i"; done
"$index_bin" --content "$work/content" --data "$work/primary" >/dev/null

"$server_bin" --data "$work/primary" --port "$primary_port" --metrics-address 127.0.0.1 \
  >"$work/primary.log" 2>&1 &
pids+=($!)
wait_up "$primary_port"

# The replica's SQLite data: a consistent snapshot of the primary's.
"$admin_bin" --data "$work/primary" backup "$work/snapshot" 2>/dev/null
mkdir -p "$work/replica/index"
cp "$work/snapshot/"*.sqlite "$work/replica/"

# Every database of the index directory (main and one spelling database per
# access key), replicated from the primary's xapian-replicate-server.
# setsid: the Xapian tools signal their whole process group when they stop,
# which must not be ours (the test runner's).
setsid xapian-replicate-server -I 127.0.0.1 -p "$repl_port" "$work/primary/index" \
  >"$work/repl-server.log" 2>&1 &
pids+=($!)
sleep 0.3
databases=$(cd "$work/primary/index" && find . -name iamglass -printf '%h\n' | sed 's#^\./##' | sort)
for db in $databases; do
  mkdir -p "$(dirname "$work/replica/index/$db")"
  setsid xapian-replicate -h 127.0.0.1 -p "$repl_port" -m "$db" -o -q "$work/replica/index/$db" ||
    fail "eerste kopie van $db"
  setsid xapian-replicate -h 127.0.0.1 -p "$repl_port" -m "$db" -i 1 -r 1 -q "$work/replica/index/$db" \
    >>"$work/replicate.log" 2>&1 &
  pids+=($!)
done

cat >"$work/replica.conf" <<CONF
data = $work/replica
port = $replica_port
replica = true
metrics_addresses = 127.0.0.1
CONF
"$server_bin" --config "$work/replica.conf" >"$work/replica.log" 2>&1 &
pids+=($!)
wait_up "$replica_port"

total() { curl -sf "http://127.0.0.1:$1/api/search?q=witwassen" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])'; }
documents() { curl -sf "http://127.0.0.1:$1/metrics" | awk '$1 == "kpo_index_documents" { print $2 }'; }
[ "$(total "$primary_port")" = 3 ] || fail "primary vindt $(total "$primary_port") in plaats van 3"
[ "$(total "$replica_port")" = 3 ] || fail "replica vindt $(total "$replica_port") in plaats van 3"

# A change on the primary: kpo-index stores it, the primary (the single
# writer) indexes it, xapian-replicate brings the changeset over.
item item-4 "Signaal 4"
"$index_bin" --content "$work/content" --data "$work/primary" >/dev/null
for _ in $(seq 1 100); do
  [ "$(documents "$replica_port")" = 4 ] && break
  sleep 0.2
done
[ "$(documents "$primary_port")" = 4 ] || fail "primary telt $(documents "$primary_port") documenten"
[ "$(documents "$replica_port")" = 4 ] || fail "replica telt $(documents "$replica_port") documenten, niet 4"

# The single-writer rule: the replica never takes the writer lock, so its
# index is only written by xapian-replicate.
! grep -q '"index.applied"\|"index.rebuild"' "$work/replica.log" || fail "de replica schreef de index"
echo "replicatie: de replica zoekt in de gerepliceerde index en volgt de primary"
