#!/usr/bin/env bash
# Incremental builds: `check` and `build` after a one-claim edit, for two binaries
# taking turns, on copies of one generated corpus.
#
#   bench/incremental.sh CORPUS ROUNDS BEFORE_BIN AFTER_BIN
#
# Each binary gets its own copy of CORPUS and its own site folder, and one untimed
# build first (so the previous site, and for an incremental binary its manifest, are
# there). Each round edits one claim's statement in each copy (another word every
# round), then times, in turn: before check, before build, after check, after build
# (`/usr/bin/time -f '%e %U %S %M'`: wall, user, system seconds, peak RSS KB).
# Lines go to stdout as TSV: round binary command wall user sys rss_kb exit-status.
set -euo pipefail
[ $# -eq 4 ] || { sed -n '2,4p' "$0" >&2; exit 2; }
CORPUS=$1 ROUNDS=$2 BEFORE=$3 AFTER=$4
WORK=$(mktemp -d /tmp/inc-bench.XXXXXX)
for who in before after; do
  cp -r "$CORPUS" "$WORK/$who"
done
bin() { if [ "$1" = before ]; then echo "$BEFORE"; else echo "$AFTER"; fi; }
first_file() { find "$WORK/$1/claims" -name '*.yaml' ! -name 'entities.yaml' | sort | sed -n 1p; }
for who in before after; do
  "$(bin $who)" -C "$WORK/$who" build --out "$WORK/$who-site" >/dev/null 2>&1
done
timed() { # round who command args...
  local round=$1 who=$2 cmd=$3; shift 3
  local status=0
  /usr/bin/time -o "$WORK/time" -f '%e %U %S %M' "$@" >/dev/null 2>"$WORK/stderr" || status=$?
  printf '%s\t%s\t%s\t%s\t%s\n' "$round" "$who" "$cmd" "$(tail -1 "$WORK/time" | tr ' ' '\t')" "$status"
  if [ "$status" -gt 1 ]; then tail -3 "$WORK/stderr" >&2; fi
}
for round in $(seq 1 "$ROUNDS"); do
  for who in before after; do
    f=$(first_file $who)
    sed -i "0,/statement: /s/statement: /statement: R$round /" "$f"
    timed "$round" $who check "$(bin $who)" -C "$WORK/$who" check --format json
    timed "$round" $who build "$(bin $who)" -C "$WORK/$who" build --out "$WORK/$who-site"
  done
done
rm -rf "$WORK"
