#!/usr/bin/env bash
# deps.sh — installs what the test suite runs against, once per machine:
# Debian packages that are missing, and tools built from Go modules into
# $WALKERHOST_CACHE (default ~/.cache/walkerhost), keyed by version so a
# warm machine does nothing. Safe to run again; needs root for apt.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${WALKERHOST_CACHE:-$HOME/.cache/walkerhost}

# go_tool NAME VERSION BUILD... runs BUILD (given the output folder) unless
# $cache/NAME-VERSION/NAME exists.
go_tool() {
	local name=$1 version=$2 dir="$cache/$1-$2"
	shift 2
	[ -x "$dir/$name" ] && return
	echo "deps: building $name $version (once per machine)"
	"$@" "$dir.tmp"
	rm -rf "$dir"
	mv "$dir.tmp" "$dir"
}

"$root/scripts/apt.sh" redis-server chromium
go_tool ferretdb "$(sed -n 's/^require github.com\/FerretDB\/FerretDB \(v[0-9.]*\)$/\1/p' "$root/tools/ferretdb/go.mod")" \
	"$root/tools/ferretdb/build.sh"
