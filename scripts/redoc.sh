#!/usr/bin/env bash
# redoc.sh DIR: puts ReDoc's standalone bundle (and its license) from the
# pinned npm package redoc into DIR, for go:embed. The package is fetched once
# with `npm pack` into $WALKERHOST_CACHE and checked against a pinned sha256;
# later runs copy from there and touch nothing when DIR is up to date.
set -euo pipefail

VERSION=2.5.4
SHA256=44922df4d0eb45c1b066c09ec251e6bd9bd7ded16bc69e87613337b9d911a56e

dir=${1:?usage: redoc.sh DIR}
cache=${WALKERHOST_CACHE:-$HOME/.cache/walkerhost}/redoc-$VERSION
if [ ! -s "$cache/redoc.standalone.js" ]; then
	command -v npm >/dev/null || { echo "redoc.sh: npm is needed to fetch redoc@$VERSION (apt-get install npm)" >&2; exit 1; }
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	(cd "$tmp" && npm pack --silent "redoc@$VERSION" >/dev/null 2>&1) || { echo "redoc.sh: npm pack redoc@$VERSION failed" >&2; exit 1; }
	got=$(sha256sum "$tmp/redoc-$VERSION.tgz" | cut -d' ' -f1)
	[ "$got" = "$SHA256" ] || { echo "redoc.sh: redoc-$VERSION.tgz has sha256 $got, want $SHA256" >&2; exit 1; }
	tar -xzf "$tmp/redoc-$VERSION.tgz" -C "$tmp" package/bundles/redoc.standalone.js package/LICENSE
	mkdir -p "$cache"
	cp "$tmp/package/LICENSE" "$cache/LICENSE"
	cp "$tmp/package/bundles/redoc.standalone.js" "$cache/redoc.standalone.js.tmp"
	mv "$cache/redoc.standalone.js.tmp" "$cache/redoc.standalone.js"
fi
mkdir -p "$dir"
for f in redoc.standalone.js LICENSE; do
	cmp -s "$cache/$f" "$dir/$f" || cp "$cache/$f" "$dir/$f"
done
