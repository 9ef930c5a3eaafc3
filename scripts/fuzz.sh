#!/usr/bin/env bash
# Runs every Go fuzz target of the repository for a bounded time each.
set -euo pipefail
fuzztime=${1:-4s}
cd "$(dirname "$0")/.."
run() { # module-dir package target
  echo "fuzz $2 $3 ($fuzztime)"
  (cd "$1" && go test -run '^$' -fuzz "^$3\$" -fuzztime "$fuzztime" "$2" >/dev/null) || {
    echo "fuzz target $3 in $2 failed; rerun: (cd $1 && go test -run '^\$' -fuzz '^$3\$' $2)"; exit 1; }
}
for mod in . abi sdk; do
  (cd "$mod" && grep -rl --include='*_test.go' '^func Fuzz' . || true) | while read -r f; do
    pkg="./$(dirname "${f#./}")"
    for target in $(grep -o '^func Fuzz[A-Za-z0-9_]*' "$mod/$f" | cut -d' ' -f2); do
      run "$mod" "$pkg" "$target"
    done
  done
done
