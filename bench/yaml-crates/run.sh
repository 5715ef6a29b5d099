#!/usr/bin/env bash
# Builds yaml-crates (release) and runs every measurement; prints a markdown report.
# Knobs: RUNS (5), CLAIMS (10000), CAP_KB (8000000 = address-space cap for the bombs),
# TIMEOUT (60 s per bomb run), WORK (/tmp/yaml-crates-work), GEN (gen_corpus.py),
# CARGO_TARGET_DIR (/tmp/yaml-crates-target).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/tmp/yaml-crates-target}
export RUST_BACKTRACE=0
RUNS=${RUNS:-5}
CLAIMS=${CLAIMS:-10000}
CAP_KB=${CAP_KB:-8000000}
TIMEOUT=${TIMEOUT:-60}
WORK=${WORK:-/tmp/yaml-crates-work}
GEN=${GEN:-$HERE/../../../shared/bench/gen_corpus.py}
BIN=$CARGO_TARGET_DIR/release/yaml-crates
FORKS=(serde_yaml serde_yaml_ng serde_norway)
ALL=("${FORKS[@]}" saphyr saphyr-nobudget)

[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install time" >&2; exit 1; }
(cd "$HERE" && nice cargo build --release --quiet)

mkdir -p "$WORK/cases"
CORPUS=$WORK/corpus-$CLAIMS ONE=$WORK/one-$CLAIMS
[ -d "$CORPUS" ] || nice python3 "$GEN" --claims "$CLAIMS" --out "$CORPUS" >/dev/null
[ -d "$ONE" ] || nice python3 "$GEN" --claims "$CLAIMS" --files 1 --out "$ONE" >/dev/null
BIG=$(find "$ONE/claims" -name '*.yaml' ! -name entities.yaml)

# Runs the binary under GNU time; prints "<stdout of the binary>\t<peak RSS in KB>".
timed() {
  local rss out
  out=$(nice /usr/bin/time -f %M -o "$WORK/rss" "$BIN" "$@")
  rss=$(tail -n1 "$WORK/rss")
  printf '%s\t%s\n' "$out" "$rss"
}
median() { sort -g | awk '{a[NR]=$1} END {if (NR) print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# 1. Throughput and peak RSS: RUNS rounds, the crates interleaved within each round.
# Columns of $WORK/load.tsv: round case crate target files bytes secs MB/s status rss_kb
: >"$WORK/load.tsv"
for round in $(seq "$RUNS"); do
  for c in "${ALL[@]}"; do
    timed load "$c" value "$CORPUS" | sed "s|^|$round\tcorpus\t|" >>"$WORK/load.tsv"
    timed load "$c" typed "$CORPUS/claims" | sed "s|^|$round\tcorpus\t|" >>"$WORK/load.tsv"
    timed load "$c" value "$BIG" | sed "s|^|$round\tone-file\t|" >>"$WORK/load.tsv"
    timed load "$c" typed "$BIG" | sed "s|^|$round\tone-file\t|" >>"$WORK/load.tsv"
  done
done

# Median over rounds of a column ($8 = MB/s, $10 = RSS KB) for a case, crate, target.
med() { awk -F'\t' -v k="$1" -v c="$2" -v t="$3" -v col="$4" \
  '$2==k && $3==c && $4==t && $9=="ok" {print $col}' "$WORK/load.tsv" | median; }
# Median over rounds of the per-round ratio CRATE / serde_yaml of a column ("—" if it failed).
ratio() { awk -F'\t' -v k="$1" -v c="$2" -v t="$3" -v col="$4" \
  '$2==k && $4==t && $9=="ok" { if ($3=="serde_yaml") b[$1]=$col; if ($3==c) s[$1]=$col }
   END { for (r in b) if (r in s) print s[r]/b[r] }' "$WORK/load.tsv" | median; }
rcell() { local r; r=$(ratio "$@"); [ -n "$r" ] && printf '%.2f' "$r" || printf '—'; }
status() { awk -F'\t' -v k="$1" -v c="$2" -v t="$3" '$2==k && $3==c && $4==t {print $9; exit}' "$WORK/load.tsv"; }
cell() { # MB/s or MB of RSS, or the error when the load failed
  local s; s=$(status "$1" "$2" "$3")
  if [ "$s" != ok ]; then echo "${s#error in *: }" | sed 's/^error: //; s/|/\\|/g'; return; fi
  if [ "$4" = 8 ]; then printf '%.1f' "$(med "$1" "$2" "$3" 8)"
  else awk -v k="$(med "$1" "$2" "$3" 10)" 'BEGIN {printf "%.0f", k/1024}'; fi
}

corpus_mb=$(awk -F'\t' '$2=="corpus" && $4=="value" {printf "%.1f", $6/1e6; exit}' "$WORK/load.tsv")
printf 'entities: []\n' >"$WORK/empty.yaml"
base_mb=$(timed load serde_yaml value "$WORK/empty.yaml" | awk -F'\t' '{printf "%.1f", $8/1024}')
big_mb=$(awk -F'\t' '$2=="one-file" {printf "%.1f", $6/1e6; exit}' "$WORK/load.tsv")
echo "## Speed and memory (median of $RUNS rounds, single thread, parse time only, MB = 10^6 bytes)"
echo
echo "Corpus: gen_corpus.py --claims $CLAIMS, $corpus_mb MB in $(find "$CORPUS" -name '*.yaml' | wc -l) files, all results kept alive."
echo "One file: the same data with --files 1, one $big_mb MB file. Target: serde_json::Value unless typed"
echo "(typed = structs mirroring FORMAT.md; the corpus typed run reads claims/ only). Baseline RSS of the binary: $base_mb MB."
echo
echo "| crate | corpus MB/s | corpus typed MB/s | corpus peak RSS MB | one file MB/s | one file peak RSS MB | one file typed peak RSS MB |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
for c in "${ALL[@]}"; do
  echo "| $c | $(cell corpus "$c" value 8) | $(cell corpus "$c" typed 8) | $(cell corpus "$c" value 10) | $(cell one-file "$c" value 8) | $(cell one-file "$c" value 10) | $(cell one-file "$c" typed 10) |"
done
for c in saphyr saphyr-nobudget; do
  echo "| $c / serde_yaml (median of per-round ratios) | $(rcell corpus $c value 8) | $(rcell corpus $c typed 8) | $(rcell corpus $c value 10) | $(rcell one-file $c value 8) | $(rcell one-file $c value 10) | $(rcell one-file $c typed 10) |"
done
echo

# 2-5. Behaviour on problem inputs, one run each (bombs under a memory cap and a timeout).
C=$WORK/cases
printf '\xef\xbb\xbfentities:\n  - id: bom\n    name: BOM first\n' >"$C/bom.yaml"
printf '\xef\xbb\xbf---\nentities: []\n' >"$C/bom-dash.yaml"
printf 'entities: []\n\xef\xbb\xbf' >"$C/bom-end.yaml"
printf 'entities:\n  - id: first\n    name: First name\n    name: Second name\n' >"$C/dup-field.yaml"
printf 'entities:\n  - id: kept\n    name: Kept\nentities:\n  - id: lost\n    name: Lost\n' >"$C/dup-top.yaml"
printf 'lints:\n  missing-quote: deny\n  unused-source: allow\n  missing-quote: allow\n' >"$C/dup-lints.yaml"
printf 'entities:\n  - id: alpha\n    name: Alpha\n  - id: beta\n    name: Beta\n' >"$C/pos.yaml"
for k in laughs wide chain; do "$BIN" gen "$k" "$C/bomb-$k.yaml"; done

short() { sed 's/^error: \(error: \)\{0,1\}/error: /; s/, set DuplicateKeyPolicy.*//; s/|/\\|/g' |
  awk '{ print (length($0) > 120) ? substr($0, 1, 119) "…" : $0 }'; }
check() { "$BIN" check "$@" | short; }
bomb() { # outcome, wall time and peak RSS of one capped run
  local out
  out=$( (ulimit -v "$CAP_KB"; nice /usr/bin/time -f '%e s, %M KB' -o "$WORK/rss" \
          timeout -s KILL "$TIMEOUT" "$BIN" check "$1" value "$2" 2>&1) || true)
  local t; t=$(grep -E '^[0-9.]+ s, [0-9]+ KB$' "$WORK/rss" | awk '{printf "%s s, %.0f MB", $1, $3/1024}')
  case "$out" in
    *"memory allocation"*) out="out of memory at the ${CAP_KB} KB cap (abort)" ;;
    "") out="killed after ${TIMEOUT} s" ;;
  esac
  echo "$(echo "$out" | head -n1 | short); $t"
}
row() { # row TITLE COMMAND...: one cell per crate
  local title=$1; shift
  printf '| %s |' "$title"
  for c in "${ALL[@]}"; do printf ' %s |' "$("$@" "$c")"; done
  echo
}
pos() { "$BIN" positions "$1" "$C/pos.yaml" | short; }
c_bom() { check "$1" value "$C/bom.yaml"; }
c_bom_dash() { check "$1" value "$C/bom-dash.yaml"; }
c_bom_end() { check "$1" value "$C/bom-end.yaml"; }
c_dup_value() { check "$1" value "$C/dup-field.yaml"; }
c_dup_typed() { check "$1" typed "$C/dup-field.yaml"; }
c_dup_top() { check "$1" typed "$C/dup-top.yaml"; }
c_dup_native() { check "$1" native "$C/dup-field.yaml"; }
c_dup_lints() { check "$1" settings "$C/dup-lints.yaml"; }
b_laughs() { bomb "$1" "$C/bomb-laughs.yaml"; }
b_wide() { bomb "$1" "$C/bomb-wide.yaml"; }
b_chain() { bomb "$1" "$C/bomb-chain.yaml"; }
# Safe Rust: lines naming `unsafe` in the crate's and its YAML parser's src/, and whether
# the crate forbids unsafe code.
unsafe_count() {
  local crate=$1 parser=$2 dirs n
  dirs=$(cd "$HERE" && cargo metadata --format-version 1 --offline --quiet | python3 -c '
import json, os, sys
m = json.load(sys.stdin)
for p in m["packages"]:
    if p["name"] in sys.argv[1:]:
        print(os.path.dirname(p["manifest_path"]) + "/src")' "$crate" "$parser")
  n=$(grep -rw --include='*.rs' unsafe $dirs | grep -vcE '^[^:]*:\s*//' || true)
  local forbid=no
  grep -rqs 'forbid(unsafe_code)' $(echo "$dirs" | head -n1)/lib.rs && forbid=yes
  echo "$n lines with unsafe in $crate + $parser; forbid(unsafe_code): $forbid"
}
u_cell() {
  case $1 in
    serde_yaml) unsafe_count serde_yaml unsafe-libyaml ;;
    serde_yaml_ng) unsafe_count serde_yaml_ng unsafe-libyaml ;;
    serde_norway) unsafe_count serde_norway unsafe-libyaml-norway ;;
    *) unsafe_count serde-saphyr granit-parser ;;
  esac
}

bomb_bytes() { stat -c %s "$C/bomb-$1.yaml"; }
echo "## Behaviour (serde_json::Value target unless said; saphyr = default Options)"
echo
echo "| check | serde_yaml | serde_yaml_ng | serde_norway | saphyr | saphyr-nobudget |"
echo "| --- | --- | --- | --- | --- | --- |"
row "position of a parsed value" pos
row "BOM, then a mapping" c_bom
row "BOM, then ---" c_bom_dash
row "BOM at the end of the file" c_bom_end
row "duplicate key → serde_json::Value" c_dup_value
row "duplicate key → derived struct" c_dup_typed
row "duplicate top-level key → derived struct" c_dup_top
row "duplicate key → crate's own Value" c_dup_native
row "duplicate key in the lints map (BTreeMap)" c_dup_lints
row "billion laughs ($(bomb_bytes laughs) B)" b_laughs
row "wide alias bomb ($(bomb_bytes wide) B)" b_wide
row "chain alias bomb ($(bomb_bytes chain) B)" b_chain
row "unsafe code" u_cell
