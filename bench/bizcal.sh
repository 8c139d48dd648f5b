#!/usr/bin/env bash
# bizcal.sh — soporte's due-date throughput against Business::Hours (RT's
# SLA engine) and against a bare binary search over the same index, in one
# run on identical cases; then a correctness sample.
#
# Goals (issue "Business time and SLA engine", item 3): soporte at least
# 100,000x Business::Hours, and within 2x of the bare binary search. Missed
# goals are reported, not fatal: the exit status is non-zero only when
# something fails to build or run.
set -euo pipefail

cd "$(dirname "$0")/.."
B="${B:-build}"
out="$B/bench"
bin="$out/bizcal_bench"

die() { echo "bench/bizcal.sh: $*" >&2; exit 1; }

# The project's own compiler flags and libraries, read from the Makefile.
flags=$(make -s --no-print-directory -f Makefile -f - print-bench-flags <<'EOF'
print-bench-flags:
	@printf '%s\n' '$(CC)' '$(CFLAGS_ALL)' '$(LDLIBS_ALL)'
EOF
) || die "cannot read the build flags from the Makefile"
{ read -r cc; read -r cflags; read -r ldlibs; } <<<"$flags"

[ -f "$B/libsoporte.a" ] || make -s "$B/libsoporte.a" || die "cannot build $B/libsoporte.a"
mkdir -p "$out"
# shellcheck disable=SC2086 # the flags are word lists
$cc $cflags -o "$bin" bench/bizcal_bench.c "$B/libsoporte.a" $ldlibs ||
	die "cannot build the benchmark"

perl -MBusiness::Hours -e 1 2>/dev/null ||
	die "Perl's Business::Hours is missing (scripts/setup.sh installs libbusiness-hours-perl)"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

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
		fp = i ? substr(s, i) : \"\"; g = \"\";
		while (length(ip) > 3) { g = \",\" substr(ip, length(ip) - 2) g;
			ip = substr(ip, 1, length(ip) - 3) }
		print ip g fp }"
}
# test AWK-CONDITION: exit status 0 when true.
holds() { awk "BEGIN { exit !($1) }"; }

echo "bizcal bench: building the calendar and timing soporte (about 5 s)..." >&2
declare -A C=()
"$bin" run "$tmp" >"$tmp/c.txt" || die "bizcal_bench run failed"
load C "$tmp/c.txt"

# Business::Hours: at least 1,000 cases (the correctness sample) and 5 s.
# shellcheck disable=SC2034 # filled and read through namerefs
declare -A P72=() PRND=() K72=() KRND=()
for v in 72 rnd; do
	echo "bizcal bench: timing Business::Hours, cases $v (10-30 s)..." >&2
	TZ=America/Mexico_City perl bench/business_hours.pl \
		"$tmp/cases$v.txt" "$tmp/bh$v.txt" 1000 5 >"$tmp/p$v.txt" ||
		die "business_hours.pl failed"
	"$bin" compare "$tmp/bh$v.txt" >"$tmp/k$v.txt" || die "bizcal_bench compare failed"
done
load P72 "$tmp/p72.txt"
load PRND "$tmp/prnd.txt"
load K72 "$tmp/k72.txt"
load KRND "$tmp/krnd.txt"

verdict() { if holds "$1"; then echo "goal met"; else echo "goal missed"; fi; }

row() { printf '  %-34s %16s %14s   %s\n' "$@"; }

# section NAME TITLE [PERL-ARRAY [goal]]
section() {
	local v=$1 title=$2 sn bn
	sn=${C[$v.bizcal_ns]} bn=${C[$v.bare_ns]}
	echo
	echo "target: $title"
	row "engine" "ops/s" "ns/op" "timed"
	row "soporte bizcal_add_minutes" "$(calc "1e9 / $sn")" "$(calc "$sn" 1)" \
		"$(calc "${C[$v.ops_timed]}") ops over $(calc "${C[$v.cases]}") cases, best of 7 runs"
	row "bare binary search, same index" "$(calc "1e9 / $bn")" "$(calc "$bn" 1)" \
		"the same"
	if [ -n "${3:-}" ]; then
		local -n p=$3
		row "Business::Hours add_seconds" "$(calc "${p[ops_per_s]}" 1)" \
			"$(calc "${p[ns]}")" "$(calc "${p[n]}") cases in $(calc "${p[seconds]}" 1) s"
		if [ "${4:-}" = goal ]; then
			printf '  soporte / Business::Hours: %sx faster   (goal >= 100,000x): %s\n' \
				"$(calc "${p[ns]} / $sn")" "$(verdict "${p[ns]} / $sn >= 100000")"
		else
			printf '  soporte / Business::Hours: %sx faster   (for information: the goal is set on 72-hour targets)\n' \
				"$(calc "${p[ns]} / $sn")"
		fi
	fi
	printf '  soporte / bare:            %sx the time (goal <= 2x):        %s\n' \
		"$(calc "$sn / $bn" 2)" "$(verdict "$sn / $bn <= 2")"
}

# agreement LABEL COMPARE-ARRAY COMPARE-FILE
agreement() {
	local -n k=$2
	# shellcheck disable=SC2004 # associative: the keys are strings
	local differ=$((${k[n]} - ${k[agree]}))
	echo "  $1:"
	echo "    soporte vs brute force (minute stepping, no index): ${k[brute_agree]}/${k[n]} agree"
	echo "    soporte vs Business::Hours: ${k[agree]}/${k[n]} agree, $differ differ:"
	echo "      ${k[closing]} land exactly on a closing time: Business::Hours answers the next opening"
	echo "      ${k[gave_up]} Business::Hours gave up (-1: nothing within its 30-day horizon)"
	echo "      ${k[other]} other"
	if [ "${k[other]}" -gt 0 ]; then
		sed -n 's/^example=/        /p' "$3"
	fi
}

echo "bizcal bench: soporte's due dates vs Business::Hours ${P72[version]} (Request Tracker's SLA engine)"
echo "calendar: America/Mexico_City, Mon-Fri 09:00-14:00 and 16:00-19:00, Mexican holidays, years ${C[years]}"
echo "          $(calc "${C[intervals]}") UTC intervals, $(calc "${C[calendar_bytes]} / 1024") KiB, built in ${C[build_ms]} ms"
echo "cases:    $(calc "${C[v72.cases]}") random starts in 2026 (whole minutes), the same for every engine"
section v72 "72 business hours (4,320 min)" P72 goal
section vrnd "random, 1..4,320 business minutes" PRND
section vlong "random, up to 10 years of business time (Business::Hours cannot: it gives up after 30 days)"

echo
echo "correctness sample (the brute force is the reference; soporte deliberately answers the"
echo "closing time when a target ends exactly there, Business::Hours the next opening):"
agreement "72 business hours" K72 "$tmp/k72.txt"
echo "    (72 h is exactly 9 business days of 8 h: a start outside opening hours ends at 19:00 sharp)"
agreement "random 1..4,320 minutes" KRND "$tmp/krnd.txt"
