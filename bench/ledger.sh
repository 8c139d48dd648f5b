#!/usr/bin/env bash
# ledger.sh — hour-bank debits per second under concurrent writers, as a
# ratio against the raw SQLite single-row commit limit measured in the
# same run, on the same disk, with the same pragmas; then a consistency
# check of every ledger written.
#
# Issue requirement: "bench/: debits per second under concurrent writers,
# as a ratio against the raw SQLite single-row commit limit measured in
# the same run." No goal is set on the ratio: the exit status is non-zero
# only when something fails to build or run, or a ledger is inconsistent.
#
# LEDGER_SECONDS (3) per run, LEDGER_WRITERS (4) concurrent writers; four
# runs in all (raw and soporte, 1 and LEDGER_WRITERS writers).
set -euo pipefail

cd "$(dirname "$0")/.."
B="${B:-build}"
out="$B/bench"
bin="$out/ledger_bench"
seconds="${LEDGER_SECONDS:-3}"
writers="${LEDGER_WRITERS:-4}"

die() { echo "bench/ledger.sh: $*" >&2; exit 1; }

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
$cc $cflags -o "$bin" bench/ledger_bench.c "$B/libsoporte.a" $ldlibs ||
	die "cannot build the benchmark"

# The databases go where the build goes (or $TMPDIR): a real disk, both
# the raw files and soporte's in the same directory.
tmp=$(mktemp -d "${TMPDIR:-$out}/ledger.XXXXXX")
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
		fp = i ? substr(s, i) : \"\"; g = \"\"; neg = \"\";
		if (substr(ip, 1, 1) == \"-\") { neg = \"-\"; ip = substr(ip, 2) }
		while (length(ip) > 3) { g = \",\" substr(ip, length(ip) - 2) g;
			ip = substr(ip, 1, length(ip) - 3) }
		print neg ip g fp }"
}

echo "ledger bench: 4 runs of ${seconds} s (raw SQLite and soporte, 1 and $writers writers)..." >&2
declare -A L=()
status=0
"$bin" "$tmp" policies "$seconds" "$writers" >"$tmp/l.txt" || status=$?
case $status in
0 | 3) ;;
*) die "ledger_bench failed (status $status)" ;;
esac
load L "$tmp/l.txt"

row() { printf '  %-36s %7s %12s %11s %13s %11s   %s\n' "$@"; }
line() { # line KEY LABEL
	local k=$1
	row "$2" "${L[$k.writers]}" "$(calc "${L[$k.per_s]}")" \
		"$(calc "${L[$k.us_per_op]}" 1)" "$(calc "${L[$k.latency_us]}" 1)" \
		"$(calc "${L[$k.latency_max_ms]}" 1)" "${L[$k.per_writer]// /, }"
}
# ratio I: soporte / raw for the I-th pair of runs.
ratio() {
	local s=${L[sop.$1.per_s]} r=${L[raw.$1.per_s]}
	printf '  %s writer%s: soporte / raw = %s  (%s %%; raw is %sx faster)\n' \
		"${L[sop.$1.writers]}" "$([ "${L[sop.$1.writers]}" = 1 ] || echo s)" \
		"$(calc "$s / $r" 5)" "$(calc "100 * $s / $r" 2)" "$(calc "$r / $s" 0)"
}
# what a debit writes, table by table, in the schema's order: tables KEY
tables() {
	sed -n "s/^$1\.rows\.\([^=]*\)=\(.*\)/\1 \2/p" "$tmp/l.txt" |
		paste -sd, - | sed 's/,/, /g'
}

echo "ledger bench: hour-bank debits per second under concurrent writers vs SQLite's single-row commit limit"
echo "setting:  SQLite ${L[sqlite]}, ${L[cpus]} CPUs, WAL, synchronous=NORMAL, foreign_keys=ON, busy timeout 5 s"
echo "          (soporte's pragmas); ${L[seconds]} s per run; every database a fresh file in the same directory"
echo "raw:      each commit is BEGIN IMMEDIATE; one 1-row INSERT; COMMIT (prepared statements)"
echo "soporte:  app_attendance_log, pack intecnia, plan corporativo (70 h = 4,200 min a contract),"
echo "          ${L[sop.0.contracts]} paid contracts of one organization, ${L[tickets_per_writer]} tickets a writer taken in turn;"
echo "          remote, 1..5 min at 10:00 on past weekdays, not warranty; each debit is ONE transaction that"
echo "          reads the banks and writes ${L[sop.0.rows_per_debit]} rows: $(tables sop.0)"
echo "          (plus the contract's state when a bank runs out)"
echo
# (µ is two bytes: one more column for it keeps the header aligned)
printf '  %-36s %7s %12s %12s %14s %11s   %s\n' "" "writers" "per second" \
	"µs each" "mean call µs" "max call ms" "done by each writer"
line raw.0 "raw SQLite 1-row commit"
line raw.1 "raw SQLite 1-row commit"
line sop.0 "soporte debit (app_attendance_log)"
line sop.1 "soporte debit (app_attendance_log)"
echo "  (µs each: the run's wall time over its commits or debits; a call's time includes waiting"
echo "  for the write lock; \"done by each writer\" shows how fairly SQLite's busy handler shares it)"
for k in raw.0 raw.1 sop.0 sop.1; do
	if [ "${L[$k.busy]}" != 0 ]; then
		printf '  %s, %s writers: %s calls gave up after the 5 s busy timeout (SQLITE_BUSY, SP_EBUSY)\n' \
			"${k%%.*}" "${L[$k.writers]}" "$(calc "${L[$k.busy]}")"
	fi
done
echo
echo "ratio, debits per second over raw commits per second, same writers:"
ratio 0
ratio 1
printf '  per row written (%s rows a debit, 1 a raw commit): %s and %s of the raw rate\n' \
	"${L[sop.0.rows_per_debit]}" \
	"$(calc "${L[sop.0.per_s]} * ${L[sop.0.rows_per_debit]} / ${L[raw.0.per_s]}" 4)" \
	"$(calc "${L[sop.1.per_s]} * ${L[sop.1.rows_per_debit]} / ${L[raw.1.per_s]}" 4)"
echo
echo "over each run (first and last tenth of it):"
for i in 0 1; do
	printf '  soporte, %s writer%s: %s debits/s at first, %s at the end, by when %s debits were in the ledger\n' \
		"${L[sop.$i.writers]}" "$([ "${L[sop.$i.writers]}" = 1 ] || echo s)" \
		"$(calc "${L[sop.$i.first_per_s]}")" "$(calc "${L[sop.$i.last_per_s]}")" \
		"$(calc "${L[sop.$i.attendances]}")"
done
for i in 0 1; do
	printf '  raw, %s writer%s: %s commits/s at first, %s at the end\n' \
		"${L[raw.$i.writers]}" "$([ "${L[raw.$i.writers]}" = 1 ] || echo s)" \
		"$(calc "${L[raw.$i.first_per_s]}")" "$(calc "${L[raw.$i.last_per_s]}")"
done
echo
echo "consistency, plain SQL on each soporte file once its writers are gone:"
consistent=yes
for i in 0 1; do
	k=sop.$i
	if [ "${L[$k.consistent]:-no}" != yes ]; then consistent=no; fi
	printf '  %s writer%s: %s: ledger sum %s min; banks %s - debits %s = %s; lowest contract balance %s;\n' \
		"${L[$k.writers]}" "$([ "${L[$k.writers]}" = 1 ] || echo s)" \
		"${L[$k.consistent]:-no}" "$(calc "${L[$k.balance]:-0}")" \
		"$(calc "${L[$k.bank_minutes]:-0}")" "$(calc "${L[$k.debited_minutes]:-0}")" \
		"$(calc "${L[$k.bank_minutes]:-0} - ${L[$k.debited_minutes]:-0}")" \
		"$(calc "${L[$k.min_contract_balance]:-0}")"
	printf '      %s attendances = calls that succeeded; each one'"'"'s debit_minutes = its ledger entries\n' \
		"$(calc "${L[$k.attendances]:-0}")"
	sed -n "s/^$k\.problem=/      problem: /p" "$tmp/l.txt"
done
echo "consistent: $consistent"
if [ "$consistent" != yes ] || [ "$status" != 0 ]; then
	exit 1
fi
