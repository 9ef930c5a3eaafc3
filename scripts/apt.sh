#!/usr/bin/env bash
# apt.sh PKG...: installs the Debian packages among PKG that are missing, and
# nothing when all are there (one dpkg-query, no network). Needs root or
# password-less sudo; runs without prompts (CI=true, no stdin).
set -euo pipefail

missing=()
for p in "$@"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=()
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null || { echo "apt.sh: need root to install ${missing[*]}" >&2; exit 1; }
	sudo=(sudo -n)
fi
export DEBIAN_FRONTEND=noninteractive
echo "apt.sh: installing ${missing[*]}"
# Install from the current lists; refresh them only when that fails.
if ! "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1; then
	"${sudo[@]}" apt-get update -qq
	"${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi
