#!/usr/bin/env bash
# Installs what soporte needs to build and test, from Debian's packages,
# then the browser tests' one npm package (playwright-core, exactly as
# package-lock.json says). Installs only what is missing, so a second run
# is quick. Run as root (or with sudo available).
set -euo pipefail
cd "$(dirname "$0")/.."

# chromium and nodejs run the browser tests (tests/browser/, make
# check-browser); playwright-core drives Debian's chromium, it downloads
# no browser of its own.
PACKAGES=(
	build-essential pkg-config clang libclang-rt-14-dev valgrind strace sqlite3 curl
	libsqlite3-dev libjansson-dev libyaml-dev libsodium-dev
	libical-dev libgmime-3.0-dev libcurl4-openssl-dev
	libmicrohttpd-dev gettext python3-aiosmtpd dovecot-imapd wrk nginx libbusiness-hours-perl
	chromium nodejs
)

missing=()
for p in "${PACKAGES[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Debian's nodejs comes without npm, which is its own package; a nodejs
# from elsewhere (NodeSource) brings npm and conflicts with Debian's.
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -ne 0 ]; then
	SUDO=""
	if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; fi
	echo "setup: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq
	$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm ci installs what the lock file pins, and only when node_modules is
# older than the lock (npm writes node_modules/.package-lock.json).
if [ ! -f node_modules/.package-lock.json ] ||
   [ package-lock.json -nt node_modules/.package-lock.json ]; then
	echo "setup: npm ci (playwright-core, for the browser tests)"
	npm ci --no-audit --no-fund --loglevel=error
fi
