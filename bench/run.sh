#!/usr/bin/env bash
# Performance at scale: corroborate against its parse floor and its peers, in ONE run on
# ONE corpus, with the result appended to BENCHMARKS.md.
#
#   bench/run.sh N          from the repository root; N claims, e.g. 1000, 10000, 100000
#
# For N claims it generates a FORMAT.md repository and the equivalent Argdown document
# (cached under $CACHE), then times each command with GNU time (`/usr/bin/time -f '%e %M'`:
# wall seconds and peak RSS), REPEAT times, and reports the MEDIAN of each:
#   parse floor        target/release/examples/parse_floor DIR/claims $FLOOR_MODE
#                      (serde-saphyr on all cores; `json` = into serde_json::Value, the analog
#                      of PyYAML's yaml.load); and PyYAML's CSafeLoader floor (parse_floor.py)
#   corroborate        check --format json, export --format json, build --out WORK/site.R
#   Python baseline    ../shared/bench/py_baseline/corroborate.py check, build -o OUT, export
#                      (PyYAML+libyaml, Jinja2, networkx from requirements.txt, in a venv)
#   Argdown CLI        argdown json -s 0, argdown html, on the same claims and relations
# and appends a section to BENCHMARKS.md: machine, corpus, versions, the table, the targets.
# The machine is noisy (2 shared cores): compare ratios within one run, not across runs.
#
# Environment knobs (defaults in brackets):
#   GEN              py | rust [py]: which generator writes the corpus for ALL tools:
#                    py = ../shared/bench/gen_corpus.py (the corpus of run_peers.sh and of the
#                    earlier results), rust = examples/gen_corpus.rs; both write the Argdown file
#                    from the same data. The report names the generator.
#   SEED             generator seed [1]
#   REPEAT           runs per command; the median is reported [3; 1 when N >= 100000]
#   FLOOR_MODE       argument of examples/parse_floor: json | ignored | nodes [json]. `json`
#                    deserialises every file into serde_json::Value on all cores. TODO(json
#                    floor): where examples/parse_floor.rs has no `json` mode yet (an older
#                    checkout), the script runs `ignored` (IgnoredAny) and says so in the table;
#                    drop that fallback once every branch has the json mode.
#   CACHE            corpora, tools, history, work folders [/tmp/corroborate-bench]
#   TOOLS            Python venv and Argdown CLI [$CACHE/tools]
#   SHARED           the shared folder with bench/ [../shared]
#   BUILD            1: `nice -n 10 cargo build --release --bins --examples` first; 0: use the
#                    binaries as they are [1]
#   CORROBORATE_BIN  [target/release/corroborate]; FLOOR_BIN [target/release/examples/parse_floor]
#   PEERS            1: also the Python baseline and Argdown; 0: corroborate and the floor only [1]
#   ARGDOWN_TIMEOUT  seconds per Argdown command [300]; one that exceeds it is recorded in
#                    $CACHE/argdown_timeouts.tsv (shared with run_peers.sh) and skipped at this
#                    and every larger N (argdown html: 6.5 s at 1k, > 300 s at 10k); delete the
#                    file to retry
#   OTHER_TIMEOUT    seconds per other command [3600]
#   NODE_HEAP_MB     V8 heap for Argdown [16384]; NODE_STACK_KB: node --stack-size [3/4 of ulimit -s]
#   OUT_MD           the report file [BENCHMARKS.md at the repository root]
#   WARMUP           1: one untimed build of corroborate and of the Python baseline before
#                    the timed ones [1]
#   KEEP_WORK        1: keep the built sites and outputs in $CACHE/work-N-PID [0: logs only;
#                    every run's site is kept until all commands are timed, then deleted]
set -euo pipefail

usage() { sed -n '2,5p' "$0" >&2; exit 2; }
[ $# -eq 1 ] || usage
N=$1
case $N in '' | *[!0-9]*) usage ;; esac
[ "$N" -ge 1 ] || usage

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SHARED=${SHARED:-$ROOT/../shared}
SB="$SHARED/bench"
CACHE=${CACHE:-/tmp/corroborate-bench}
TOOLS=${TOOLS:-$CACHE/tools}
SEED=${SEED:-1}
GEN=${GEN:-py}
if [ -z "${REPEAT:-}" ]; then if [ "$N" -ge 100000 ]; then REPEAT=1; else REPEAT=3; fi; fi
FLOOR_MODE=${FLOOR_MODE:-json}  # TODO(json floor): see the header
BUILD=${BUILD:-1}
PEERS=${PEERS:-1}
ARGDOWN_TIMEOUT=${ARGDOWN_TIMEOUT:-300}
OTHER_TIMEOUT=${OTHER_TIMEOUT:-3600}
CORROBORATE_BIN=${CORROBORATE_BIN:-$ROOT/target/release/corroborate}
FLOOR_BIN=${FLOOR_BIN:-$ROOT/target/release/examples/parse_floor}
GEN_BIN="$ROOT/target/release/examples/gen_corpus"
OUT_MD=${OUT_MD:-$ROOT/BENCHMARKS.md}
KEEP_WORK=${KEEP_WORK:-0}
WARMUP=${WARMUP:-1}
export NODE_OPTIONS="--max-old-space-size=${NODE_HEAP_MB:-16384}"
# Argdown's parser spreads all top-level items into one call and overflows V8's default
# stack at ~100k claims: give it most of the thread's stack.
STACK_KB=$(ulimit -s)
if [ "$STACK_KB" = unlimited ] || [ "$STACK_KB" -gt 8192 ]; then STACK_KB=8192; fi
NODE_STACK_KB=${NODE_STACK_KB:-$((STACK_KB * 3 / 4))}

case $GEN in py | rust) ;; *) echo "GEN must be py or rust" >&2; exit 2 ;; esac
[ "$REPEAT" -ge 1 ] || { echo "REPEAT must be at least 1" >&2; exit 2; }
if [ "$PEERS" = 1 ] || [ "$GEN" = py ]; then
  [ -d "$SB" ] || { echo "no $SB (set SHARED, or GEN=rust PEERS=0)" >&2; exit 2; }
fi

say() { echo "[bench] $*" >&2; }

# --- tools -------------------------------------------------------------------------
if [ ! -x /usr/bin/time ]; then
  say "installing GNU time"
  if command -v apt-get > /dev/null; then
    apt-get install -y -qq time > /dev/null || { apt-get update -qq && apt-get install -y -qq time > /dev/null; }
  fi
  [ -x /usr/bin/time ] || { echo "needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 2; }
fi
if [ "$BUILD" = 1 ]; then
  say "building (nice -n 10 cargo build --release --bins --examples)"
  nice -n 10 cargo build --release --bins --examples --quiet
fi
for bin in "$CORROBORATE_BIN" "$FLOOR_BIN"; do
  [ -x "$bin" ] || { echo "no binary at $bin (run with BUILD=1)" >&2; exit 2; }
done
mkdir -p "$CACHE" "$TOOLS"
PY="$TOOLS/.venv/bin/python"
ARGDOWN_JS="$TOOLS/node_modules/@argdown/cli/dist/cli.js"
if [ "$PEERS" = 1 ]; then
  if [ ! -x "$PY" ]; then
    say "setting up $TOOLS/.venv from $SB/requirements.txt"
    python3 -m venv "$TOOLS/.venv"
    "$PY" -m pip install -q -r "$SB/requirements.txt"
  fi
  if [ ! -f "$ARGDOWN_JS" ]; then
    say "installing the Argdown CLI into $TOOLS/node_modules (npm ci)"
    cp "$SB/package.json" "$SB/package-lock.json" "$TOOLS/"
    (cd "$TOOLS" && npm ci --no-audit --no-fund > /dev/null)
  fi
fi

# --- corpus (cached by generator, its hash, N and seed) ---------------------------------
if [ "$GEN" = py ]; then
  GEN_SRC="$SB/gen_corpus.py"
  GENHASH=$(sha256sum "$GEN_SRC" | cut -c1-12)
  CORPUS="$CACHE/corpus-n$N-s$SEED-$GENHASH"  # the same folder run_peers.sh uses
  GEN_LABEL="\`gen_corpus.py\` (shared/bench, sha256 $GENHASH)"
else
  GEN_SRC="$ROOT/examples/gen_corpus.rs"
  GENHASH=$(sha256sum "$GEN_SRC" | cut -c1-12)
  CORPUS="$CACHE/corpus-rs-n$N-s$SEED-$GENHASH"
  GEN_LABEL="\`examples/gen_corpus.rs\` (sha256 $GENHASH)"
  [ -x "$GEN_BIN" ] || { echo "no $GEN_BIN (run with BUILD=1)" >&2; exit 2; }
fi
REPO="$CORPUS/repo"
AD="$CORPUS/corpus.argdown"
if [ ! -f "$CORPUS/.done" ]; then
  rm -rf "$CORPUS" && mkdir -p "$CORPUS"
  say "generating N=$N (GEN=$GEN, seed $SEED) into $CORPUS"
  if [ "$GEN" = py ]; then
    python3 "$GEN_SRC" --claims "$N" --seed "$SEED" --out "$REPO" --argdown "$AD" 2> "$CORPUS/gen.log" ||
      { cat "$CORPUS/gen.log" >&2; exit 1; }
  else
    "$GEN_BIN" --claims "$N" --seed "$SEED" --out "$REPO" --argdown "$AD" 2> "$CORPUS/gen.log" ||
      { cat "$CORPUS/gen.log" >&2; exit 1; }
  fi
  touch "$CORPUS/.done"
fi
NFILES=$(find "$REPO/claims" -type f \( -name '*.yaml' -o -name '*.yml' \) | wc -l)
DATA_BYTES=$(find "$REPO/claims" -type f \( -name '*.yaml' -o -name '*.yml' \) -printf '%s\n' | awk '{s += $1} END {print s + 0}')
AD_BYTES=$(stat -c %s "$AD")
GEN_COUNTS=$(tail -n 1 "$CORPUS/gen.log")
# warm the page cache, so that the first tool measured pays no cold read
find "$REPO" -type f -print0 | xargs -0 cat > /dev/null
cat "$AD" > /dev/null

WORK="$CACHE/work-$N-$$"
mkdir -p "$WORK"
ROWS="$WORK/rows.txt"  # one row per command, fields separated by US (\x1f): empty fields stay
: > "$ROWS"
US=$'\x1f'
TOUT="$CACHE/argdown_timeouts.tsv"
touch "$TOUT"
HISTORY="$CACHE/history.tsv"
touch "$HISTORY"
STAMP=$(date -u +%Y-%m-%dT%H:%MZ)
BIN_HASH=$(sha256sum "$CORROBORATE_BIN" | cut -c1-12)
LOADAVG=$(cut -d' ' -f1-3 /proc/loadavg)

median() {  # numbers on stdin -> their median
  sort -g | awk '{v[NR] = $1} END {if (NR == 0) print ""; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}

# measure KEY LABEL COMMAND_SHOWN TIMEOUT OUT -- CMD...
# Runs CMD REPEAT times and appends KEY, LABEL, COMMAND_SHOWN, median wall s, median peak
# RSS MB, exit code, note, all walls. With OUT, every run writes to a folder of its own,
# OUT.1, OUT.2, ... (an argument `@OUT@` in CMD stands for it), and nothing is deleted until
# every command has been timed: on this machine's file system (ext4 without a journal) the
# first tens of thousands of files created after a large deletion cost several times their
# usual system time, as the kernel walks past the inodes it has just freed, so deleting the
# previous run's site before a run would charge that run for the harness's own cleanup.
measure() {
  local key=$1 label=$2 shown=$3 to=$4 out=$5 r
  shift 6
  for ((r = 1; r <= REPEAT; r++)); do
    run_once "$key" "$to" "$out" "$r" -- "$@" || break
  done
  finish "$key" "$label" "$shown"
}

# run_once KEY TIMEOUT OUT R -- CMD...: one timed run of CMD (the R-th), added to KEY's
# runs; fails when CMD failed or timed out, so that no more runs are made.
declare -A WALLS=() RSSS=() RCS=() NOTES=()
run_once() {
  local key=$1 to=$2 out=$3 r=$4 rc line arg args=() log="$WORK/$1"
  shift 5
  for arg in "$@"; do
    if [ "$arg" = @OUT@ ]; then args+=("$out.$r"); else args+=("$arg"); fi
  done
  sync  # flush the previous run's writes (untimed) so that they do not slow this one
  set +e
  /usr/bin/time -f '%e %M' -o "$WORK/time.txt" timeout "$to" "${args[@]}" > "$log.out" 2> "$log.err"
  rc=$?
  set -e
  line=$(tail -n 1 "$WORK/time.txt")
  WALLS[$key]="${WALLS[$key]:-} ${line% *}"
  RSSS[$key]="${RSSS[$key]:-} ${line#* }"
  RCS[$key]=$rc
  NOTES[$key]=""
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then NOTES[$key]="TIMED OUT (> ${to} s)"; return 1; fi
  if [ "$rc" != 0 ]; then NOTES[$key]="exit $rc: $(tail -c 200 "$log.err" | tr '\n\t|' '   ')"; return 1; fi
}

finish() {  # KEY LABEL COMMAND_SHOWN: the row of KEY's runs
  local key=$1 label=$2 shown=$3 walls=${WALLS[$1]:-} mw mr
  mw=$(tr ' ' '\n' <<< "$walls" | grep . | median)
  mr=$(tr ' ' '\n' <<< "${RSSS[$key]:-}" | grep . | median | awk '{printf "%.1f", $1 / 1024}')
  printf "%s$US%s$US%s$US%s$US%s$US%s$US%s$US%s\n" "$key" "$label" "$shown" "$mw" "$mr" "${RCS[$key]:-}" "${NOTES[$key]:-}" "${walls# }" >> "$ROWS"
  say "$label: median ${mw}s, ${mr} MB, exit ${RCS[$key]:-}${NOTES[$key]:+ (${NOTES[$key]})} [runs:$walls]"
}

skip_row() {  # KEY LABEL COMMAND_SHOWN NOTE
  printf "%s$US%s$US%s$US-$US-$US-$US%s$US\n" "$1" "$2" "$3" "$4" >> "$ROWS"
  say "$2: $4"
}

field() {  # field KEY COLUMN (1-based, as in the rows file)
  awk -F"$US" -v k="$1" -v c="$2" '$1 == k {print $c}' "$ROWS"
}

say "N=$N: $NFILES data files, $(awk -v b="$DATA_BYTES" 'BEGIN {printf "%.1f", b / 1e6}') MB ($GEN); REPEAT=$REPEAT; work in $WORK"

# --- parse floors ------------------------------------------------------------------
EFFECTIVE_FLOOR_MODE=$FLOOR_MODE
FLOOR_NOTE=""
if [ "$FLOOR_MODE" = json ] && ! grep -q '"json"' "$ROOT/examples/parse_floor.rs"; then
  # TODO(json floor): remove this fallback once examples/parse_floor.rs has the json mode.
  EFFECTIVE_FLOOR_MODE=ignored
  FLOOR_NOTE="json mode not yet in examples/parse_floor.rs: measured \`ignored\` (IgnoredAny) instead"
fi
case $EFFECTIVE_FLOOR_MODE in
  json) FLOOR_WHAT="serde-saphyr into serde_json::Value, all cores" ;;
  ignored) FLOOR_WHAT="serde-saphyr into IgnoredAny, all cores" ;;
  nodes) FLOOR_WHAT="corroborate's positioned node tree, all cores" ;;
  *) FLOOR_WHAT="mode $EFFECTIVE_FLOOR_MODE" ;;
esac
measure floor "parse floor ($FLOOR_WHAT)" "parse_floor DIR/claims $EFFECTIVE_FLOOR_MODE" "$OTHER_TIMEOUT" "" -- \
  "$FLOOR_BIN" "$REPO/claims" "$EFFECTIVE_FLOOR_MODE"
if [ -n "$FLOOR_NOTE" ]; then
  awk -F"$US" -v OFS="$US" -v n="$FLOOR_NOTE" '$1 == "floor" {$7 = ($7 == "" ? n : $7 "; " n)} {print}' "$ROWS" > "$ROWS.tmp" && mv "$ROWS.tmp" "$ROWS"
fi
if [ "$PEERS" = 1 ]; then
  measure pyfloor "PyYAML parse floor (CSafeLoader, one core)" "parse_floor.py DIR/claims" "$OTHER_TIMEOUT" "" -- \
    "$PY" "$SB/parse_floor.py" "$REPO/claims"
fi

# --- corroborate ---------------------------------------------------------------------
measure check "corroborate check" "corroborate check --format json" "$OTHER_TIMEOUT" "" -- \
  "$CORROBORATE_BIN" -C "$REPO" check --format json
CHECK_COUNTS=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
e = sum(1 for x in d if x["severity"] == "error")
print("%d errors, %d warnings" % (e, len(d) - e))' "$WORK/check.out" 2> /dev/null || echo "unreadable output")
measure export "corroborate export" "corroborate export --format json" "$OTHER_TIMEOUT" "" -- \
  "$CORROBORATE_BIN" -C "$REPO" export --format json
# The two builds take turns (corroborate, Python, corroborate, ...), so that whatever the
# file system is going through at the time weighs on both alike, after one untimed
# warm-up build of each (WARMUP): the first build after a large deletion (the previous
# run's cleanup) pays for it, whichever tool that is.
BUILD_OK=1 PYBUILD_OK=$PEERS
RS_BUILD=("$CORROBORATE_BIN" -C "$REPO" build --out)  # + the output folder
PY_BUILD=("$PY" "$SB/py_baseline/corroborate.py" build "$REPO" -o)
if [ "$WARMUP" = 1 ]; then
  say "warm-up builds (untimed)"
  "${RS_BUILD[@]}" "$WORK/site.warmup" > /dev/null 2>&1 || true
  if [ "$PEERS" = 1 ]; then
    "${PY_BUILD[@]}" "$WORK/pysite.warmup" > /dev/null 2>&1 || true
  fi
fi
for ((r = 1; r <= REPEAT; r++)); do
  if [ "$BUILD_OK" = 1 ]; then
    run_once build "$OTHER_TIMEOUT" "$WORK/site" "$r" -- "${RS_BUILD[@]}" @OUT@ || BUILD_OK=0
  fi
  if [ "$PYBUILD_OK" = 1 ]; then
    run_once pybuild "$OTHER_TIMEOUT" "$WORK/pysite" "$r" -- "${PY_BUILD[@]}" @OUT@ || PYBUILD_OK=0
  fi
done
finish build "corroborate build" "corroborate build --out OUT"

claim_pages() {  # DIR -> "count median_bytes"
  if [ -d "$1/claims" ]; then
    find "$1/claims" -maxdepth 1 -name '*.html' -printf '%s\n' | sort -n |
      awk '{v[NR] = $1} END {if (NR) printf "%d %d\n", NR, (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2); else print "0 0"}'
  else
    echo "0 0"
  fi
}
site_summary() {  # DIR -> "pages MB"
  if [ -d "$1" ]; then
    echo "$(find "$1" -name '*.html' | wc -l) $(du -sm "$1" | cut -f1)"
  else
    echo "0 0"
  fi
}
read -r RS_CLAIM_PAGES RS_CLAIM_MEDIAN <<< "$(claim_pages "$WORK/site.1")"
read -r RS_PAGES RS_SITE_MB <<< "$(site_summary "$WORK/site.1")"

# --- peers ---------------------------------------------------------------------------
PY_CLAIM_MEDIAN=0
PY_PAGES=0
PY_SITE_MB=0
if [ "$PEERS" = 1 ]; then
  measure pycheck "Python check" "corroborate.py check DIR" "$OTHER_TIMEOUT" "" -- \
    "$PY" "$SB/py_baseline/corroborate.py" check "$REPO"
  finish pybuild "Python build" "corroborate.py build DIR -o OUT"  # timed with corroborate build
  read -r _ PY_CLAIM_MEDIAN <<< "$(claim_pages "$WORK/pysite.1")"
  read -r PY_PAGES PY_SITE_MB <<< "$(site_summary "$WORK/pysite.1")"
  measure pyexport "Python export" "corroborate.py export DIR" "$OTHER_TIMEOUT" "" -- \
    "$PY" "$SB/py_baseline/corroborate.py" export "$REPO"

  argdown() {  # json | html
    local cmd=$1 prev opts=()
    prev=$(awk -v c="$cmd" -v n="$N" '$1 == c && $2 <= n {print $2}' "$TOUT" | sort -n | head -n 1)
    if [ -n "$prev" ]; then
      skip_row "ad$cmd" "Argdown $cmd" "argdown $cmd" "skipped: took > ${ARGDOWN_TIMEOUT} s already at N=$prev"
      return
    fi
    # json compact (-s 0): indented JSON exceeds V8's 512 MiB string limit at 100k claims
    [ "$cmd" = json ] && opts=(-s 0)
    measure "ad$cmd" "Argdown $cmd" "argdown $cmd${opts[*]:+ ${opts[*]}} FILE OUT" "$ARGDOWN_TIMEOUT" "$WORK/ad-$cmd" -- \
      node --stack-size="$NODE_STACK_KB" "$ARGDOWN_JS" "$cmd" "${opts[@]}" "$AD" @OUT@
    if [ "$(field "ad$cmd" 6)" = 124 ] || [ "$(field "ad$cmd" 6)" = 137 ]; then
      printf '%s\t%s\n' "$cmd" "$N" >> "$TOUT"
    fi
  }
  argdown json
  argdown html
fi

# --- report --------------------------------------------------------------------------
ratio() {  # A B -> A/B with 2 decimals, or "-"
  awk -v a="$1" -v b="$2" 'BEGIN {if (a == "" || b == "" || a == "-" || b == "-" || b + 0 == 0) print "-"; else printf "%.2f", a / b}'
}
ok() {  # VALUE OP LIMIT -> yes / no / -
  awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN {
    if (v == "-" || v == "") {print "-"; exit}
    r = (op == "<=") ? (v <= l) : (op == ">=") ? (v >= l) : (v < l)
    print (r ? "yes" : "**no**")}'
}
wall() { field "$1" 4; }
rss() { field "$1" 5; }
good() { [ "$(field "$1" 6)" = 0 ]; }  # the command ran and exited 0

# `ratio` column: corroborate rows against the parse floor, peers against corroborate
declare -A VS=([pyfloor]=floor [check]=floor [export]=floor [build]=floor
  [pycheck]=check [pybuild]=build [pyexport]=export [adjson]=export [adhtml]=build)
declare -A VS_LABEL=([floor]="parse floor" [check]="corroborate check"
  [export]="corroborate export" [build]="corroborate build")

BUILD_S=$(good build && wall build || echo -)
printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$STAMP" "$N" "$SEED" "$GEN-$GENHASH" "$BIN_HASH" "$BUILD_S" "$(rss build)" >> "$HISTORY"
build_at() {  # N -> the latest build wall time for N with this binary, generator and seed
  awk -F'\t' -v n="$1" -v s="$SEED" -v g="$GEN-$GENHASH" -v b="$BIN_HASH" \
    '$2 == n && $3 == s && $4 == g && $5 == b && $6 != "-" {t = $6} END {print t}' "$HISTORY"
}

PYV="-" PYYAMLV="-" JINJAV="-" NXV="-" NODEV="-" ADV="-"
if [ "$PEERS" = 1 ]; then
  PYV=$("$PY" --version 2>&1)
  PYYAMLV=$("$PY" -c 'import yaml; print(yaml.__version__, "(libyaml)" if yaml.__with_libyaml__ else "(pure Python)")')
  JINJAV=$("$PY" -c 'import jinja2; print(jinja2.__version__)')
  NXV=$("$PY" -c 'import networkx; print(networkx.__version__)')
  NODEV=$(node --version)
  ADV=$(node -p 'require(process.argv[1]).version' "$TOOLS/node_modules/@argdown/cli/package.json" 2> /dev/null || echo "?")
fi

{
  [ -s "$OUT_MD" ] || printf '# Benchmarks\n\nSee bench/run.sh; sections below are appended by it.\n'
  echo
  echo "## N=$N claims, $STAMP"
  echo
  echo "- machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1); load average at start $LOADAVG (cores shared: compare ratios within this section only)"
  echo "- corpus: generated by $GEN_LABEL, --claims $N --seed $SEED: $NFILES data files, $(awk -v b="$DATA_BYTES" 'BEGIN {printf "%.1f", b / 1e6}') MB; $GEN_COUNTS; Argdown input $(awk -v b="$AD_BYTES" 'BEGIN {printf "%.1f", b / 1e6}') MB written by the same generator from the same data"
  echo "- check result: $CHECK_COUNTS; corroborate build: $RS_PAGES pages, $RS_SITE_MB MB; Python build: $PY_PAGES pages, $PY_SITE_MB MB"
  echo "- versions: $("$CORROBORATE_BIN" --version) (binary sha256 $BIN_HASH), $(rustc --version 2> /dev/null || echo rustc ?), $PYV, PyYAML $PYYAMLV, Jinja2 $JINJAV, networkx $NXV, node $NODEV, @argdown/cli $ADV"
  echo "- each command run $REPEAT time(s); wall and peak RSS are medians; corroborate and the parse floor use all cores, Python and Argdown one; the two builds take turns, each run into a new folder$([ "$WARMUP" = 1 ] && echo ", after one untimed warm-up build of each")"
  echo
  echo "| tool | command | wall s | peak RSS MB | ratio | ratio to | note |"
  echo "| --- | --- | ---: | ---: | ---: | --- | --- |"
  while IFS=$US read -r key label shown w m rc note walls; do
    base=${VS[$key]:-}
    if [ -n "$base" ] && [ "$rc" = 0 ] && good "$base"; then
      rr=$(ratio "$w" "$(wall "$base")")
      of="vs ${VS_LABEL[$base]}"
    elif [ "$key" = floor ]; then
      rr="1.00"; of="(reference)"
    else
      rr="-"; of=""
    fi
    [ "$REPEAT" -gt 1 ] && [ -n "$walls" ] && note="${note:+$note; }runs: ${walls// /, } s"
    echo "| $label | \`$shown\` | $w | $m | $rr | $of | $note |"
  done < "$ROWS"
  echo
  echo "| target | measured | goal | met |"
  echo "| --- | ---: | --- | --- |"
  v=$(good check && good floor && ratio "$(wall check)" "$(wall floor)" || echo -)
  echo "| check / parse floor ($EFFECTIVE_FLOOR_MODE) | $v | <= 1.3 | $(ok "$v" "<=" 1.3) |"
  if [ "$PEERS" = 1 ]; then
    v=$(good pycheck && good check && ratio "$(wall pycheck)" "$(wall check)" || echo -)
    echo "| python check / check | $v | >= 4 | $(ok "$v" ">=" 4) |"
    v=$(good pybuild && good build && ratio "$(wall pybuild)" "$(wall build)" || echo -)
    echo "| python build / build | $v | >= 10 | $(ok "$v" ">=" 10) |"
    if good adhtml && good build; then
      v=$(ratio "$(wall adhtml)" "$(wall build)")
      echo "| argdown html / build | $v | >= 50 | $(ok "$v" ">=" 50) |"
    elif { [ "$(field adhtml 6)" = 124 ] || [ "$(field adhtml 6)" = 137 ] || [ "$(field adhtml 4)" = - ]; } && good build; then
      # did not finish in ARGDOWN_TIMEOUT s (now, or already at a smaller N): a lower bound
      v=$(ratio "$ARGDOWN_TIMEOUT" "$(wall build)")
      met=$(awk -v v="$v" 'BEGIN {print (v >= 50 ? "yes" : "not shown (lower bound below the goal)")}')
      why=$(field adhtml 7)
      case $why in
        skipped:*) why="argdown html ${why#skipped: }" ;;
        *) why="argdown html did not finish in $ARGDOWN_TIMEOUT s" ;;
      esac
      echo "| argdown html / build | > $v ($why) | >= 50 where Argdown finishes | $met |"
    else
      echo "| argdown html / build | - ($(field adhtml 7)) | >= 50 where Argdown finishes | - |"
    fi
    a=$(rss build) b=$(rss pybuild)
    v=$(good build && good pybuild && ratio "$a" "$b" || echo -)
    echo "| build peak RSS / python build peak RSS | $v ($a MB vs $b MB) | below 1 | $(ok "$v" "<" 1) |"
  fi
  t10=$(build_at 10000) t100=$(build_at 100000)
  if [ -n "$t10" ] && [ -n "$t100" ]; then
    v=$(ratio "$t100" "$t10")
    echo "| build(100k) / build(10k) | $v ($t100 s / $t10 s) | <= 12 | $(ok "$v" "<=" 12) |"
  else
    echo "| build(100k) / build(10k) | - (needs runs at N=10000 and N=100000 with this binary, generator and seed) | <= 12 | - |"
  fi
  kb=$(awk -v b="$RS_CLAIM_MEDIAN" 'BEGIN {printf "%.1f", b / 1024}')
  pykb=$(awk -v b="$PY_CLAIM_MEDIAN" 'BEGIN {printf "%.1f", b / 1024}')
  v=$([ "$RS_CLAIM_PAGES" -gt 0 ] && echo "$kb" || echo -)
  py=""
  [ "$PY_CLAIM_MEDIAN" -gt 0 ] && py=" (Python baseline: $pykb KB)"
  echo "| typical claim page (median of $RS_CLAIM_PAGES site/claims/*.html) | $v KB$py | < 30 KB | $(ok "$v" "<" 30) |"
} >> "$OUT_MD"

if [ "$KEEP_WORK" != 1 ]; then
  # Only now, with every command timed (see measure): GBs of sites at N=100000.
  rm -rf "$WORK"/site.* "$WORK"/pysite.* "$WORK"/ad-* "$WORK"/*.out
  sync
fi
say "appended the N=$N section to $OUT_MD (logs in $WORK)"
