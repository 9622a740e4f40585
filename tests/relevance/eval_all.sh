#!/usr/bin/env bash
# Every judged set beside the peers, per query kind: the tables of docs/search.md.
#   bash tests/relevance/eval_all.sh [BUILD_DIR]      (from the repository root)
# Sets: demo (anonymous), members (signed in, "# as:" groups), lohelp (LibreOffice's
# Dutch help made into items; needs libreoffice-help-nl), lohelp-heldout (more queries over
# the same items; a tuning set since issue #12's fifth part), lohelp-heldout2 and
# lohelp-heldout3 (held out in the fifth part, tuning sets since the sixth),
# lohelp-heldout4 to lohelp-heldout11 (each measured once, then a tuning set) and
# lohelp-heldout12 (held out: never used to choose a rule). Peers: plain Xapian (inside
# kpo-eval), SQLite FTS5, MiniSearch (npm ci in tests/relevance/peers).
set -euo pipefail
cd "$(dirname "$0")/../.."
build="${1:-build-test}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
python3 tests/relevance/lohelp_items.py "$tmp/lohelp"
npm ci --silent --prefix tests/relevance/peers >/dev/null
for set in demo:content:judgments members:content:members_judgments \
           lohelp:$tmp/lohelp:lohelp_judgments lohelp-heldout:$tmp/lohelp:lohelp_heldout_judgments \
           lohelp-heldout2:$tmp/lohelp:lohelp_heldout2_judgments \
           lohelp-heldout3:$tmp/lohelp:lohelp_heldout3_judgments \
           lohelp-heldout4:$tmp/lohelp:lohelp_heldout4_judgments \
           lohelp-heldout5:$tmp/lohelp:lohelp_heldout5_judgments \
           lohelp-heldout6:$tmp/lohelp:lohelp_heldout6_judgments \
           lohelp-heldout7:$tmp/lohelp:lohelp_heldout7_judgments \
           lohelp-heldout8:$tmp/lohelp:lohelp_heldout8_judgments \
           lohelp-heldout9:$tmp/lohelp:lohelp_heldout9_judgments \
           lohelp-heldout10:$tmp/lohelp:lohelp_heldout10_judgments \
           lohelp-heldout11:$tmp/lohelp:lohelp_heldout11_judgments \
           lohelp-heldout12:$tmp/lohelp:lohelp_heldout12_judgments; do
  IFS=: read -r name content judgments <<<"$set"
  echo "### $name ($judgments.tsv)"
  python3 tests/relevance/peers/fts5_run.py "$content" "$tmp/$name.fts5" \
    "tests/relevance/$judgments.tsv" 2>/dev/null
  node tests/relevance/peers/minisearch_run.mjs "$content" "$tmp/$name.minisearch" \
    "tests/relevance/$judgments.tsv" 2>/dev/null
  "$build/tests/relevance/kpo-eval" --content "$content" \
    --judgments "tests/relevance/$judgments.tsv" \
    --per-query "${KPO_EVAL_PER_QUERY:-/dev/null}${KPO_EVAL_PER_QUERY:+.$name}" \
    --run "SQLite FTS5=$tmp/$name.fts5" --run "MiniSearch=$tmp/$name.minisearch"
  echo
done
