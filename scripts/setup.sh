#!/usr/bin/env bash
# Installs what soporte needs to build and test, from Debian's packages.
# Installs only what is missing, so a second run is quick. Run as root
# (or with sudo available).
set -euo pipefail

PACKAGES=(
	build-essential pkg-config clang libclang-rt-14-dev valgrind sqlite3 curl
	libsqlite3-dev libjansson-dev libyaml-dev libsodium-dev
	libical-dev libgmime-3.0-dev libcurl4-openssl-dev
	libmicrohttpd-dev gettext python3-aiosmtpd dovecot-imapd wrk nginx-light libbusiness-hours-perl
)

missing=()
for p in "${PACKAGES[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
