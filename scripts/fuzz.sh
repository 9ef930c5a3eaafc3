#!/usr/bin/env bash
# Runs every Go fuzz target of the repository's modules for a bounded time each.
set -euo pipefail
fuzztime=${1:-4s}
root=$(cd "$(dirname "$0")/.." && pwd)

# fuzz_one TARGET PKG runs one target. Go's fuzzing coordinator sometimes
# ends a run with "context deadline exceeded" when -fuzztime expires while a
# worker is busy (on a loaded machine); that found nothing, so the target is
# run once more. A real finding writes a failing input and fails at once.
fuzz_one() {
  local try
  for try in 1 2; do
    if go test -run '^$' -fuzz "^$1\$" -fuzztime "$fuzztime" "$2" >/tmp/fuzz-$$.log 2>&1; then
      return 0
    fi
    if grep -q 'Failing input written' /tmp/fuzz-$$.log || ! grep -q 'context deadline exceeded' /tmp/fuzz-$$.log; then
      return 1
    fi
    echo "  (the fuzzing coordinator timed out without a finding; once more)"
  done
  return 1
}
for mod in . abi sdk lang; do
  cd "$root/$mod"
  moddir=$(pwd)
  for dir in $(go list -f '{{.Dir}}' ./...); do
    targets=$(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | cut -d' ' -f2 || true)
    for target in $targets; do
      pkg=./${dir#"$moddir/"}
      [ "$dir" = "$moddir" ] && pkg=.
      echo "fuzz $mod/${pkg#./} $target ($fuzztime)"
      if ! fuzz_one "$target" "$pkg"; then
        cat /tmp/fuzz-$$.log
        echo "fuzz target $target in $mod/$pkg failed; rerun: (cd $mod && go test -run '^\$' -fuzz '^$target\$' $pkg)"
        exit 1
      fi
    done
  done
done
rm -f /tmp/fuzz-$$.log
