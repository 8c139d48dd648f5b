#!/usr/bin/env bash
# http.sh — soporte serve under wrk, in one run on one machine:
#   GET     one ticket's JSON from soporte (with an agent's API token)
#           against nginx serving the exact same bytes as a static file;
#   create  durable POST /api/v1/tickets against the raw single-row
#           commit limit of SQLite on the same disk, with the pragmas of
#           the server's request connection (WAL, synchronous=FULL), and
#           the same load with group commit turned off (serve --batch 1);
#   RSS     the server's VmHWM and VmRSS (/proc/PID/status) under that
#           load, sampled every 0.1 s.
# Every ticket created must then be in the database, once (plain SQL).
#
# Goals (issue 6): GET at least 50 % of nginx's requests per second;
# creates at least 1x the raw commit rate (by group commit); RSS at most
# 20 MiB. Missed goals are reported as MISS, not fatal: the exit status is
# non-zero only when something fails to build, start or run, when a
# request gets an unexpected answer, or when a created ticket is missing.
#
# Fairness: soporte answers these GETs on one thread (its event loop;
# writes go to a worker thread, and a syncer makes them durable), so nginx runs
# one worker process (worker_processes 1), without an access log (soporte
# keeps none by default), keep-alive without a request limit (as
# libmicrohttpd), sendfile on (Debian's default), and open_file_cache, so
# that it keeps the file open as soporte keeps its answer in memory
# (without it nginx opens and stats the file for every request, about
# 20 % slower here). wrk runs HTTP_THREADS
# (1) threads with HTTP_CONNECTIONS (32) connections for HTTP_SECONDS (5)
# per run, after a 1 s warm-up; both servers get the same request
# (the Authorization header included). nginx and wrk come from
# scripts/setup.sh (Debian packages).
set -euo pipefail

cd "$(dirname "$0")/.."
B="${B:-build}"
out="$B/bench"
bin="$out/http_bench"
seconds="${HTTP_SECONDS:-5}"
conns="${HTTP_CONNECTIONS:-32}"
threads="${HTTP_THREADS:-1}"

die() { echo "bench/http.sh: $*" >&2; exit 1; }
command -v wrk >/dev/null || die "wrk is missing (bash scripts/setup.sh)"
command -v nginx >/dev/null || die "nginx is missing (bash scripts/setup.sh)"
command -v curl >/dev/null || die "curl is missing (bash scripts/setup.sh)"

# The project's own compiler flags and libraries, read from the Makefile.
flags=$(make -s --no-print-directory -f Makefile -f - print-bench-flags <<'EOF'
print-bench-flags:
	@printf '%s\n' '$(CC)' '$(CFLAGS_ALL)' '$(LDLIBS_ALL)'
EOF
) || die "cannot read the build flags from the Makefile"
{ read -r cc; read -r cflags; read -r ldlibs; } <<<"$flags"

[ -x "$B/soporte" ] || make -s "$B/soporte" || die "cannot build $B/soporte"
mkdir -p "$out"
# shellcheck disable=SC2086 # the flags are word lists
$cc $cflags -o "$bin" bench/http_bench.c $ldlibs || die "cannot build the benchmark"

# Everything goes where the build goes (or $TMPDIR): a real disk, the raw
# files and soporte's database in the same directory.
tmp=$(mktemp -d "${TMPDIR:-$out}/http.XXXXXX")
tmp=$(cd "$tmp" && pwd) # nginx takes paths from its prefix otherwise
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
	rm -rf "$tmp"
}
trap cleanup EXIT
sop="$B/soporte"
db="$tmp/soporte.db"

# key=value lines into an associative array: load ARRAY FILE
load() {
	local -n arr=$1
	local k v
	while IFS='=' read -r k v; do
		# shellcheck disable=SC2034,SC2004 # a nameref; the key is a string
		if [ -n "$k" ]; then arr[$k]=$v; fi
	done <"$2"
}
# calc AWK-EXPRESSION [DECIMALS]: the value, digits grouped by thousands.
calc() {
	awk -v d="${2:-0}" "BEGIN { x = $1; s = sprintf(\"%.\" d \"f\", x);
		i = index(s, \".\"); ip = i ? substr(s, 1, i - 1) : s;
		fp = i ? substr(s, i) : \"\"; g = \"\"; neg = \"\";
		if (substr(ip, 1, 1) == \"-\") { neg = \"-\"; ip = substr(ip, 2) }
		while (length(ip) > 3) { g = \",\" substr(ip, length(ip) - 2) g;
			ip = substr(ip, 1, length(ip) - 3) }
		print neg ip g fp }"
}
holds() { awk "BEGIN { exit !($1) }"; }
verdict() { if holds "$1"; then echo PASS; else echo MISS; fi; }

# A TCP port on 127.0.0.1 that nothing listens on.
free_port() {
	local p
	for _ in $(seq 50); do
		p=$((20000 + RANDOM % 30000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	die "no free port"
}
# wait_http URL: until it answers at all (5 s at most).
wait_http() {
	for _ in $(seq 100); do
		curl -s -o /dev/null "$1" && return 0
		sleep 0.05
	done
	return 1
}

# serve KEY [OPTIONS...]: starts soporte serve, pid in S[KEY.pid].
declare -A S=()
serve() {
	local key=$1 port
	shift
	port=$(free_port)
	"$sop" --db "$db" serve --listen "127.0.0.1:$port" --tick 3600 "$@" \
		2>>"$tmp/serve.log" &
	S[$key.pid]=$!
	S[$key.url]="http://127.0.0.1:$port"
	pids+=("${S[$key.pid]}")
	wait_http "${S[$key.url]}/healthz" || {
		cat "$tmp/serve.log" >&2
		die "soporte serve $* did not start"
	}
}
# unserve KEY: SIGTERM, which must stop it gracefully (status 0).
unserve() {
	local st=0
	kill -TERM "${S[$1.pid]}"
	wait "${S[$1.pid]}" || st=$?
	[ "$st" = 0 ] || die "soporte serve exited with status $st on SIGTERM"
}

# rss_watch PID FILE: the largest VmRSS seen, every 0.1 s, until killed.
rss_watch() {
	local max=0 v
	while v=$(awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null); do
		[ -n "$v" ] && [ "$v" -gt "$max" ] && max=$v && echo "$max" >"$2"
		sleep 0.1
	done
}
status_kib() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }

# bench KEY URL [WRK OPTIONS...] [-- SCRIPT ARGUMENTS...]: a warm-up
# second, then the measured run; figures in W[KEY.*].
declare -A W=()
bench() {
	local key=$1 url=$2 opts=() args=()
	shift 2
	while [ $# -gt 0 ] && [ "$1" != -- ]; do opts+=("$1"); shift; done
	[ $# -eq 0 ] || { shift; args=(-- "$@"); }
	wrk -t"$threads" -c"$conns" -d1s "${opts[@]}" "$url" "${args[@]}" \
		>"$tmp/wrk.$key.warm" || die "wrk failed on $url"
	wrk -t"$threads" -c"$conns" -d"${seconds}s" --latency "${opts[@]}" "$url" \
		"${args[@]}" >"$tmp/wrk.$key" || die "wrk failed on $url"
	W[$key.rps]=$(awk '/^Requests\/sec:/ { print $2 }' "$tmp/wrk.$key")
	W[$key.n]=$(awk '/requests in/ { print $1 }' "$tmp/wrk.$key")
	W[$key.p50]=$(awk '$1 == "50%" { print $2 }' "$tmp/wrk.$key")
	W[$key.p99]=$(awk '$1 == "99%" { print $2 }' "$tmp/wrk.$key")
	W[$key.bad]=$(awk '/Non-2xx or 3xx/ { print $5 }' "$tmp/wrk.$key")
	W[$key.errors]=$(sed -n 's/.*Socket errors: //p' "$tmp/wrk.$key")
	[ -n "${W[$key.rps]}" ] || die "no figures from wrk on $url"
}

load_before=$(cut -d' ' -f1 /proc/loadavg)
echo "http bench: about $((6 * (seconds + 1) + 2 * seconds + 10)) s" \
	"(raw commits, GET on nginx and soporte, creates with and without group commit)..." >&2

# ---- the database: the demo, an agent's API token --------------------------
"$sop" --db "$db" demo >/dev/null || die "soporte demo failed"
agent=$("$sop" --db "$db" --json agent list | sed -n 's/.*"email": "\([^"]*\)".*/\1/p' | head -1)
token=$("$sop" --db "$db" token create --agent "$agent" --name bench) ||
	die "soporte token create failed"
auth="Authorization: Bearer $token"
folio=$("$sop" --db "$db" ticket list --all | awk 'NR == 1 { print $1 }')
[ -n "$folio" ] || die "the demo has no ticket"

# ---- GET: nginx and soporte, the same bytes ----------------------------------
serve main
www="$tmp/www/api/v1/tickets"
mkdir -p "$www" "$tmp/nginx"
curl -sf -H "$auth" -o "$www/$folio" "${S[main.url]}/api/v1/tickets/$folio" ||
	die "GET /api/v1/tickets/$folio failed"
size=$(wc -c <"$www/$folio")
nport=$(free_port)
{
	# Workers of an nginx started by root run as nobody, who may not
	# enter the temporary directory; as anyone else, no user directive.
	[ "$(id -u)" != 0 ] || echo "user root;"
	cat <<EOF
worker_processes 1;
daemon off;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log;
events { worker_connections 1024; }
http {
	access_log off;
	sendfile on;
	keepalive_requests 1000000000;
	open_file_cache max=16 inactive=60s;
	open_file_cache_valid 60s;
	client_body_temp_path $tmp/nginx/body;
	proxy_temp_path $tmp/nginx/proxy;
	fastcgi_temp_path $tmp/nginx/fastcgi;
	uwsgi_temp_path $tmp/nginx/uwsgi;
	scgi_temp_path $tmp/nginx/scgi;
	default_type application/json;
	server {
		listen 127.0.0.1:$nport;
		root $tmp/www;
	}
}
EOF
} >"$tmp/nginx/nginx.conf"
nginx -c "$tmp/nginx/nginx.conf" -p "$tmp/nginx" 2>"$tmp/nginx/stderr" &
npid=$!
pids+=("$npid")
nurl="http://127.0.0.1:$nport/api/v1/tickets/$folio"
wait_http "$nurl" || { cat "$tmp/nginx/stderr" >&2; die "nginx did not start"; }
cmp -s <(curl -sf "$nurl") "$www/$folio" || die "nginx does not serve the ticket's bytes"

bench nginx "$nurl" -H "$auth"
bench get "${S[main.url]}/api/v1/tickets/$folio" -H "$auth"
kill -TERM "$npid"
wait "$npid" 2>/dev/null || true
for k in nginx get; do
	[ -z "${W[$k.bad]}" ] || die "$k: ${W[$k.bad]} answers were not 2xx"
done
S[get.hwm]=$(status_kib "${S[main.pid]}" VmHWM)

# ---- the raw commit limit, right before the creates -----------------------
declare -A R=()
"$bin" raw "$tmp" "$seconds" >"$tmp/raw.txt" || die "the raw SQLite run failed"
load R "$tmp/raw.txt"

# ---- creates: group commit (the default), then one commit a request --------
# check KEY FOLIO-FILES...: every folio answered is a ticket, once.
declare -A C=()
check() {
	local key=$1
	shift
	cat "$@" 2>/dev/null | "$bin" check "$db" >"$tmp/check" || die "cannot check $db"
	while IFS='=' read -r k v; do C[$key.${k#check.}]=$v; done <"$tmp/check"
}
create() {
	local key=$1 rss=$tmp/rss.$1 w
	check "$key.before" /dev/null
	mkdir -p "$tmp/folios.$key"
	rss_watch "${S[$key.pid]}" "$rss" &
	w=$!
	bench "$key" "${S[$key.url]}/api/v1/tickets" -H "$auth" \
		-s bench/http_create.lua -- "$tmp/folios.$key"
	S[$key.rss_max]=$(cat "$rss" 2>/dev/null || echo 0)
	S[$key.hwm]=$(status_kib "${S[$key.pid]}" VmHWM)
	S[$key.anon]=$(status_kib "${S[$key.pid]}" RssAnon)
	S[$key.file]=$(status_kib "${S[$key.pid]}" RssFile)
	kill "$w" 2>/dev/null || true
	wait "$w" 2>/dev/null || true
	# The answers of the warm-up and of the measured run.
	W[$key.201]=$(cat "$tmp/wrk.$key.warm" "$tmp/wrk.$key" |
		awk -F= '$1 == "status.201" { n += $2 } END { print n + 0 }')
	W[$key.other]=$(cat "$tmp/wrk.$key.warm" "$tmp/wrk.$key" |
		grep '^status\.' | grep -v '^status\.201=' | paste -sd' ' - || true)
	unserve "$key"
	check "$key" "$tmp/folios.$key"/folios.*
	C[$key.added]=$((C[$key.tickets] - C[$key.before.tickets]))
}
S[create.pid]=${S[main.pid]}
S[create.url]=${S[main.url]}
create create
serve single --batch 1
create single

# ---- the figures ---------------------------------------------------------
echo "http bench: soporte serve under wrk, against nginx and SQLite's commit limit, same run"
echo "setting:  ${R[cpus]} CPUs; wrk $threads thread(s), $conns connections, ${seconds} s a run after 1 s of warm-up;"
echo "          soporte serve answers GETs on one thread, writes on a worker and a syncer; nginx $(nginx -v 2>&1 | sed 's/.*\///'), 1 worker process,"
echo "          no access log, keep-alive without a request limit, sendfile on, open_file_cache; load average"
echo "          $load_before before, $(cut -d' ' -f1 /proc/loadavg) after (other work on the machine skews every figure)"
echo "GET:      /api/v1/tickets/$folio ($size bytes of JSON) with an agent's token; nginx serves the"
echo "          same bytes from a file (the same request, Authorization header included)"
echo "create:   POST /api/v1/tickets (bench/http_create.lua: a demo contact, email, a screenshot), each"
echo "          answered 201 only once committed; SQLite ${R[sqlite]}, WAL, synchronous=FULL (a commit"
echo "          is on the disk), as the server's request connection; the raw rate is one 1-row INSERT"
echo "          a BEGIN IMMEDIATE / COMMIT, one connection, a fresh file on the same disk"
echo
row() { printf '  %-48s %12s %9s %9s   %s\n' "$@"; }
row "" "per second" "p50" "p99" ""
row "nginx, static file" "$(calc "${W[nginx.rps]}")" "${W[nginx.p50]}" "${W[nginx.p99]}" "${W[nginx.errors]:+socket errors: ${W[nginx.errors]}}"
row "soporte GET" "$(calc "${W[get.rps]}")" "${W[get.p50]}" "${W[get.p99]}" "${W[get.errors]:+socket errors: ${W[get.errors]}}"
row "raw SQLite 1-row commit, synchronous=FULL" "$(calc "${R[raw.FULL.per_s]}")" \
	"$(calc "${R[raw.FULL.us_each]}" 1)us" "" "(each)"
row "raw SQLite 1-row commit, synchronous=NORMAL" "$(calc "${R[raw.NORMAL.per_s]}")" \
	"$(calc "${R[raw.NORMAL.us_each]}" 1)us" "" "(each; for information: not durable)"
row "soporte create, group commit" "$(calc "${W[create.rps]}")" "${W[create.p50]}" "${W[create.p99]}" ""
row "soporte create, a commit a request (--batch 1)" "$(calc "${W[single.rps]}")" "${W[single.p50]}" "${W[single.p99]}" ""
echo
get_ratio=$(calc "${W[get.rps]} / ${W[nginx.rps]}" 4)
create_ratio=$(calc "${W[create.rps]} / ${R[raw.FULL.per_s]}" 3)
hwm_mib=$(calc "${S[create.hwm]} / 1024" 1)
printf '%s GET: soporte / nginx = %s %%   (goal >= 50 %%)\n' \
	"$(verdict "${W[get.rps]} >= 0.5 * ${W[nginx.rps]}")" "$(calc "100 * $get_ratio" 1)"
printf '%s create: soporte / raw commits = %sx   (goal >= 1x; a commit a request: %sx)\n' \
	"$(verdict "${W[create.rps]} >= ${R[raw.FULL.per_s]}")" "$create_ratio" \
	"$(calc "${W[single.rps]} / ${R[raw.FULL.per_s]}" 3)"
printf '%s RSS: VmHWM %s MiB after the GET and create runs   (goal <= 20 MiB)\n' \
	"$(verdict "${S[create.hwm]} <= 20 * 1024")" "$hwm_mib"
printf '     largest VmRSS sampled while creating: %s MiB; at the end %s MiB anonymous + %s MiB\n' \
	"$(calc "${S[create.rss_max]} / 1024" 1)" "$(calc "${S[create.anon]} / 1024" 1)" \
	"$(calc "${S[create.file]} / 1024" 1)"
echo "     mapped from files (the code of soporte and its ~50 libraries); VmHWM after GET alone: $(calc "${S[get.hwm]} / 1024" 1) MiB"
echo
echo "every create answered 201 (warm-up included) is in the database, by plain SQL once the server stopped:"
ok=yes
for k in create single; do
	lost=$((C[$k.folios] - C[$k.found] - C[$k.repeated]))
	extra=$((C[$k.added] - C[$k.found]))
	printf '  %-14s %s answered 201 (%s), %s folios read back, %s found once, %s twice, %s missing;\n' \
		"$k:" "$(calc "${W[$k.201]:-0}")" "${W[$k.other]:-no other status}" \
		"$(calc "${C[$k.folios]}")" "$(calc "${C[$k.found]}")" "${C[$k.repeated]}" "$lost"
	printf '  %-14s tickets %s -> %s: %s added, %s still in flight when wrk stopped (warm-up and run)\n' "" \
		"$(calc "${C[$k.before.tickets]}")" "$(calc "${C[$k.tickets]}")" "$(calc "${C[$k.added]}")" "$extra"
	if [ "${C[$k.folios]}" != "${W[$k.201]:-0}" ] || [ "$lost" != 0 ] ||
		[ "${C[$k.repeated]}" != 0 ] || [ "$extra" -lt 0 ] || [ "$extra" -gt $((2 * conns)) ] ||
		[ -n "${W[$k.other]}" ]; then
		ok=no
	fi
done
echo "accounted: $ok"
[ "$ok" = yes ] || exit 1
