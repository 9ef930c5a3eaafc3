#!/usr/bin/env bash
# Runs every Go fuzz target of the repository's modules for a bounded time each.
set -euo pipefail
fuzztime=${1:-4s}
root=$(cd "$(dirname "$0")/.." && pwd)
for mod in . abi sdk; do
  cd "$root/$mod"
  moddir=$(pwd)
  for dir in $(go list -f '{{.Dir}}' ./...); do
    targets=$(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | cut -d' ' -f2 || true)
    for target in $targets; do
      pkg=./${dir#"$moddir/"}
      [ "$dir" = "$moddir" ] && pkg=.
      echo "fuzz $mod/${pkg#./} $target ($fuzztime)"
      if ! go test -run '^$' -fuzz "^$target\$" -fuzztime "$fuzztime" "$pkg" >/tmp/fuzz-$$.log 2>&1; then
        cat /tmp/fuzz-$$.log
        echo "fuzz target $target in $mod/$pkg failed; rerun: (cd $mod && go test -run '^\$' -fuzz '^$target\$' $pkg)"
        exit 1
      fi
    done
  done
done
rm -f /tmp/fuzz-$$.log
