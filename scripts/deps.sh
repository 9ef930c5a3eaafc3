#!/usr/bin/env bash
# deps.sh — installs what the test suite runs against, once per machine:
# Debian packages that are missing, and tools built from Go modules into
# $WALKERHOST_CACHE (default ~/.cache/walkerhost), keyed by version so a
# warm machine does nothing. Safe to run again; needs root for apt.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${WALKERHOST_CACHE:-$HOME/.cache/walkerhost}

# go_tool NAME VERSION BUILD... runs BUILD (given the output folder) unless
# $cache/NAME-VERSION exists; it appears only when BUILD succeeded.
go_tool() {
	local name=$1 version=$2 dir="$cache/$1-$2"
	shift 2
	[ -d "$dir" ] && return
	echo "deps: building $name $version (once per machine)"
	"$@" "$dir.tmp"
	rm -rf "$dir"
	mv "$dir.tmp" "$dir"
}

"$root/scripts/apt.sh" redis-server chromium
go_tool ferretdb "$(sed -n 's/^require github.com\/FerretDB\/FerretDB \(v[0-9.]*\)$/\1/p' "$root/tools/ferretdb/go.mod")" \
	"$root/tools/ferretdb/build.sh"

# The Kubernetes control plane, etcd and kwok the deploy tests run
# (internal/kubetest). Versions are pinned in tools/; the flags match a
# plain build of each so that a warm Go build cache only relinks.
k8s_version=$(sed -n 's/^require k8s.io\/kubernetes \(v[0-9.]*\)$/\1/p' "$root/tools/k8s/go.mod")
etcd_version=$(sed -n 's/^require go.etcd.io\/etcd\/server\/v3 \(v[0-9.]*\)$/\1/p' "$root/tools/etcd/go.mod")
kwok_version=$(cat "$root/tools/kwok/VERSION")

build_k8s() {
	local v=${k8s_version#v} minor
	minor=$(echo "$v" | cut -d. -f2)
	mkdir -p "$1"
	(cd "$root/tools/k8s" && go build -trimpath -ldflags="-s -w \
		-X k8s.io/component-base/version.gitVersion=v$v -X k8s.io/component-base/version.gitMajor=1 \
		-X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/component-base/version.gitTreeState=clean \
		-X k8s.io/component-base/version.buildDate=2026-01-01T00:00:00Z -X k8s.io/client-go/pkg/version.gitVersion=v$v" \
		-o "$1/" k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler)
}

build_etcd() {
	mkdir -p "$1"
	(cd "$root/tools/etcd" && go build -trimpath -ldflags='-s -w' -o "$1/etcd" go.etcd.io/etcd/server/v3)
}

# build_kwok also writes kwok-stages.yaml, kwok's fast node and pod stages
# taken from its module, which kwok needs to move nodes and pods along.
build_kwok() {
	mkdir -p "$1"
	(cd /tmp && GOBIN="$1" go install -trimpath -ldflags='-s -w' "sigs.k8s.io/kwok/cmd/kwok@$kwok_version")
	local stages f
	stages="$(go env GOMODCACHE)/sigs.k8s.io/kwok@$kwok_version/kustomize/stage"
	for f in node/fast/node-initialize node/heartbeat-with-lease/node-heartbeat-with-lease \
		pod/fast/pod-ready pod/fast/pod-complete pod/fast/pod-delete; do
		echo ---
		cat "$stages/$f.yaml"
	done >"$1/kwok-stages.yaml"
}

# jaclang, the reference Jac the differential test (internal/jacdiff)
# compares our runtime with: pinned with its one dependency in a venv under
# $cache, on Python 3.12 or newer. The first run compiles jaclang's own
# sources (~40 s), so the warm-up happens here, in a fresh folder, with the
# jac-scale plugin off. No Python 3.12+ means no oracle: the test says so.
JACLANG_VERSION=0.16.7
LLVMLITE_VERSION=0.50.0
jac_python() {
	local p
	for p in python3.13 python3.12 "$HOME/.pyenv/versions/3.12.1/bin/python" python3; do
		command -v "$p" >/dev/null 2>&1 || continue
		"$p" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { command -v "$p"; return; }
	done
}
jaclang_venv=$cache/jaclang-$JACLANG_VERSION
if [ ! -f "$jaclang_venv/.complete" ]; then
	jac_py=$(jac_python)
	if [ -z "$jac_py" ]; then
		echo "deps: no Python >= 3.12 on this machine: jaclang $JACLANG_VERSION not installed (the Jac differential test needs it)" >&2
		[ -z "${CI:-}" ] || exit 1
	else
		# A venv is not relocatable: it is made in place and marked complete last.
		echo "deps: installing jaclang $JACLANG_VERSION with $jac_py (once per machine)"
		rm -rf "$jaclang_venv"
		"$jac_py" -m venv "$jaclang_venv"
		"$jaclang_venv/bin/pip" install -q --disable-pip-version-check \
			"jaclang==$JACLANG_VERSION" "llvmlite==$LLVMLITE_VERSION"
		warm=$(mktemp -d)
		printf 'with entry { print("warm"); }\n' >"$warm/warm.jac"
		(cd "$warm" && JAC_DISABLED_PLUGINS=jac-scale:scale "$jaclang_venv/bin/jac" run warm.jac >/dev/null)
		rm -rf "$warm"
		touch "$jaclang_venv/.complete"
	fi
fi

# make test-quick passes --no-k8s: its tests need no control plane.
[ "${1:-}" = --no-k8s ] && exit 0
go_tool etcd "$etcd_version" build_etcd
go_tool kwok "$kwok_version" build_kwok
go_tool k8s "$k8s_version" build_k8s
