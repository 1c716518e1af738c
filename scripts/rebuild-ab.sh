#!/bin/sh
# Rebuilds with the build cache, binary against binary, as BENCHMARKS.md quotes them.
#
#   scripts/rebuild-ab.sh CORPUS ADDED OUT BIN...
#
# For each binary BIN, in turn: a cold cached build of CORPUS (a folder of cables, e.g. the
# bench's corpus-251287) into OUT (put it in tmpfs to leave the disk out), then rebuilds after
# nothing changed, after a comment in an overriding templates/base.html changed (every page
# rendered again), after one cable edited ("Summary:" → "Summary (edited):" in the first file
# that has it), after the edit undone, after the folder ADDED (e.g. 100 generated cables) was
# copied in, after it was removed. Prints one line per step: wall, user and system seconds,
# peak memory, each phase, and what the cache reused. Everything it changes is put back.
set -eu
[ $# -ge 4 ] || { echo "usage: $0 CORPUS ADDED OUT BIN..." >&2; exit 2; }
corpus=$(cd "$1" && pwd); added=$(cd "$2" && pwd); out=$3; shift 3
site=$(dirname "$corpus")
edit=$(grep -rl -m1 '^Summary:' "$corpus" | head -1)
backup=$(mktemp); cp "$edit" "$backup"
theme="$site/templates/base.html"
[ -e "$theme" ] && { echo "$theme exists: this script writes it" >&2; exit 2; }
restore() { cp "$backup" "$edit"; rm -rf "$corpus/zz-added" "$site/templates"; rm -f "$backup"; }
trap restore EXIT
base=$(dirname "$0")/../templates/base.html
for bin in "$@"; do
  parent=$(dirname "$out"); name=$(basename "$out")
  rm -rf "$out" "$parent/.$name.cache" "$parent/.$name".*
  rm -rf "$site/templates"
  for step in cold nothing theme edit restore added removed; do
    case $step in
      theme) mkdir -p "$site/templates"; sed 's#</footer>#<!-- local theme --></footer>#' "$base" > "$theme" ;;
      edit) sed -i 's/^Summary:/Summary (edited):/' "$edit" ;;
      restore) cp "$backup" "$edit" ;;
      added) cp -r "$added" "$corpus/zz-added" ;;
      removed) rm -rf "$corpus/zz-added" ;;
    esac
    (cd "$site" && /usr/bin/time -f "$bin $step %e s %U u %S s %M KB" "$bin" --verbose build \
      --content "$corpus" --output "$out" 2>&1) | grep -E "^phase|^reused|$bin $step" | tr '\n' ' '
    echo
  done
done
