#!/usr/bin/env bash
# The README's first command: install what is missing, build, create a
# demo database if there is none, print its logins (console passwords
# and API tokens) and serve on 127.0.0.1:8080 (Ctrl-C stops it).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
make -j"$(nproc)" >/dev/null
DB="${SOPORTE_DB:-demo.db}"
PACK="${1:-intecnia}"
LISTEN="${SOPORTE_LISTEN:-127.0.0.1:8080}"
if [ ! -f "$DB" ]; then
	build/soporte --db "$DB" demo --pack "$PACK"
	agent=$(build/soporte --db "$DB" --json agent list | sed -n 's/.*"email": "\([^"]*\)".*/\1/p' | head -1)
	# The operations manager may add contracts and invoices (docs/admin.md, Roles).
	manager=$(build/soporte --db "$DB" --json agent list | grep -B2 '"role": "operations_manager"' | sed -n 's/.*"email": "\([^"]*\)".*/\1/p' | head -1)
	contact=$(build/soporte --db "$DB" --json contact list | sed -n 's/.*"email": "\([^"]*\)".*/\1/p' | head -1)
	# Passwords for the console, made here and kept beside the tokens
	# (the demo is for this machine: it listens on loopback).
	apw=$(head -c 12 /dev/urandom | base64 | tr -d '/+=')
	cpw=$(head -c 12 /dev/urandom | base64 | tr -d '/+=')
	echo "$apw" | build/soporte --db "$DB" agent password "$agent" >/dev/null
	echo "$cpw" | build/soporte --db "$DB" contact password "$contact" >/dev/null
	{
		echo "console  agent    $agent  password $apw"
		echo "console  customer $contact  password $cpw"
		echo "API      agent    $agent  token $(build/soporte --db "$DB" token create --agent "$agent" --name demo)"
		echo "API      manager  $manager  token $(build/soporte --db "$DB" token create --agent "$manager" --name demo)"
		echo "API      customer $contact  token $(build/soporte --db "$DB" token create --contact "$contact" --name demo)"
	} > "$DB.tokens"
	chmod 600 "$DB.tokens"
fi
echo
echo "Demo logins (also in $DB.tokens):"
sed 's/^/  /' "$DB.tokens"
echo
echo "Sign in:  http://$LISTEN/login   (knowledge base: http://$LISTEN/kb)"
echo "Try:      curl -H \"Authorization: Bearer TOKEN\" http://$LISTEN/api/v1/tickets"
echo "      build/soporte --db $DB ticket list --queue"
echo
exec build/soporte --db "$DB" serve --listen "$LISTEN" --access-log -
