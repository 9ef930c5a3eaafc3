#!/usr/bin/env bash
# build.sh OUT_DIR — builds FerretDB (pinned in go.mod) into OUT_DIR/ferretdb.
#
# The module zip ships an empty build/version/version.txt, which makes the
# binary refuse to start, so the module is copied next to this file (src/,
# ignored by git), the version written, and go.mod replaces the module with
# that copy. Nothing of FerretDB is committed.
set -euo pipefail
out=$1
here=$(cd "$(dirname "$0")" && pwd)
version=$(sed -n 's/^require github.com\/FerretDB\/FerretDB \(v[0-9.]*\)$/\1/p' "$here/go.mod")
mod=$(cd /tmp && GOFLAGS=-mod=mod go mod download -json "github.com/FerretDB/FerretDB@$version" |
	sed -n 's/.*"Dir": "\(.*\)",/\1/p')
rm -rf "$here/src"
cp -r "$mod" "$here/src"
chmod -R u+w "$here/src"
echo "$version" >"$here/src/build/version/version.txt"
cd "$here"
go mod download
mkdir -p "$out"
CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o "$out/ferretdb" github.com/FerretDB/FerretDB/cmd/ferretdb
