#!/usr/bin/env bash
# mail.sh — messages per second through mail-in (one process per
# message, as an MTA pipe runs it) and through mail-import (a Maildir
# and an mbox), against the raw SQLite insert limit and the cost of
# starting a process, both measured in the same run on the same disk.
#
# Issue requirement (Email gateway): "bench/: messages per second through
# mail-in (one process per message) and through mail-import, against the
# raw SQLite insert limit in the same run."
#
# The mail (bench/mail_bench.c gen): MAIL_IMPORT_N (2,000) messages of
# about 3 KB, Spanish UTF-8 text in quoted-printable, a PNG on a third,
# from 20 contacts of 5 organizations; the first 100 open tickets, then
# about half are replies naming an earlier folio in the subject (INT-1),
# one in 40 is a second delivery of an earlier message (same Message-ID),
# the rest new requests. Each message is parsed back with soporte's own
# mime_parse before anything is timed.
#
# Timed, each into a fresh copy of one database made with build/soporte
# (init --pack intecnia, the organizations and contacts), every command
# with --now so that the folios are known in advance:
#   raw       the same messages, one INSERT of the bytes per BEGIN
#             IMMEDIATE / COMMIT, WAL, synchronous=NORMAL, in one process
#   start-up  MAIL_START_N (100) × soporte --help, 1 then MAIL_PAR at once
#   open      MAIL_OPEN_N (30) × soporte mail list --state quarantined:
#             start-up, opening the database and the pack, one query
#   mail-in   the first MAIL_IN_N (300) messages, one process each, 1 at a
#             time, then MAIL_PAR (4) at a time. With several at once the
#             openers finish out of order and take each other's folios,
#             so that run goes in two parts: the 100 openers, then (after
#             the replies are made to name the folio each opener really
#             got, as a customer reads it in the acknowledgement; untimed)
#             the rest; its time is the sum of the two.
#   import    mail-import of all of them, as a Maildir, then as an mbox.
#
# The exit status is non-zero only when a step fails to build or run, or
# when some message is not accounted for: every run must answer
# new_ticket + reply + duplicate = N, none quarantined, and the database
# must agree (ticket list --all, mail list, plain SQL). How the replies
# threaded is reported, not judged. MAIL_IN_N, MAIL_IMPORT_N, MAIL_PAR,
# MAIL_START_N, MAIL_OPEN_N change the sizes; about 55 s as they are.
set -euo pipefail

cd "$(dirname "$0")/.."
B="${B:-build}"
out="$B/bench"
bin="$out/mail_bench"
n_in="${MAIL_IN_N:-300}"
n_imp="${MAIL_IMPORT_N:-2000}"
par="${MAIL_PAR:-4}"
n_start="${MAIL_START_N:-100}"
n_open="${MAIL_OPEN_N:-30}"
NOW="2026-03-04T10:00:00" # a Wednesday, after every message's Date

die() { echo "bench/mail.sh: $*" >&2; exit 1; }
if ! [ "$n_in" -gt 100 ] || ! [ "$n_imp" -ge "$n_in" ] || ! [ "$n_start" -ge 1 ] ||
	! [ "$n_open" -ge 1 ]; then
	die "MAIL_IN_N must be over 100, MAIL_IMPORT_N at least MAIL_IN_N, MAIL_START_N and MAIL_OPEN_N 1 or more"
fi

# The project's own compiler flags and libraries, read from the Makefile.
flags=$(make -s --no-print-directory -f Makefile -f - print-bench-flags <<'EOF'
print-bench-flags:
	@printf '%s\n' '$(CC)' '$(CFLAGS_ALL)' '$(LDLIBS_ALL)'
EOF
) || die "cannot read the build flags from the Makefile"
{ read -r cc; read -r cflags; read -r ldlibs; } <<<"$flags"

[ -f "$B/libsoporte.a" ] || make -s "$B/libsoporte.a" || die "cannot build $B/libsoporte.a"
[ -x "$B/soporte" ] || make -s "$B/soporte" || die "cannot build $B/soporte"
mkdir -p "$out"
# shellcheck disable=SC2086 # the flags are word lists
$cc $cflags -o "$bin" bench/mail_bench.c "$B/libsoporte.a" $ldlibs ||
	die "cannot build the benchmark"

# The databases go where the build goes (or $TMPDIR): a real disk, the
# raw file and soporte's in the same directory.
tmp=$(mktemp -d "${TMPDIR:-$out}/mail.XXXXXX")
tmp=$(cd "$tmp" && pwd)
trap 'rm -rf "$tmp"' EXIT
# A copy of build/soporte, so that a rebuild while the bench runs (others
# work in this tree) changes nothing under it; the packs from policies/.
soporte="$tmp/soporte"
if ! cp "$B/soporte" "$soporte" || ! "$soporte" --help >/dev/null; then
	die "cannot copy and run $B/soporte (being rebuilt? run again)"
fi
export SOPORTE_POLICIES="$PWD/policies"

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

sp() { "$soporte" --now "$NOW" "$@"; }

# ---- the mail ----------------------------------------------------------
echo "mail bench: generating $n_imp messages..." >&2
mkdir "$tmp/mail"
declare -A G=()
"$bin" gen "$tmp/mail" "$n_imp" "$n_in" >"$tmp/gen.txt" || die "cannot generate the mail"
load G "$tmp/gen.txt"
head -n "$n_in" "$tmp/mail/eml.list" >"$tmp/in.list"
head -n "$n_in" "$tmp/mail/expect.txt" >"$tmp/expect.in"
for _ in $(seq "$n_start"); do echo /dev/null; done >"$tmp/null.list"
for _ in $(seq "$n_open"); do echo /dev/null; done >"$tmp/open.list"
echo /dev/null >"$tmp/one.list"
# expected COUNTS-FILE: "new reply duplicate" a sequential intake gives
expected() { awk '{ n[$2]++ } END { printf "%d %d %d\n", n["new_ticket"], n["reply"], n["duplicate"] }' "$1"; }
read -r e_in_new e_in_reply e_in_dup < <(expected "$tmp/expect.in")
read -r e_imp_new e_imp_reply e_imp_dup < <(expected "$tmp/mail/expect.txt")

# ---- the database every run starts from --------------------------------
echo "mail bench: a database with pack intecnia, ${G[orgs]} organizations, ${G[contacts]} contacts..." >&2
tpl="$tmp/template.db"
sp --db "$tpl" init --pack intecnia >/dev/null ||
	die "soporte init failed"
while IFS=$'\t' read -r name rfc; do
	sp --db "$tpl" org add --name "$name" --tax-id "$rfc" >/dev/null ||
		die "soporte org add '$name' failed"
done <"$tmp/mail/orgs.tsv"
while IFS=$'\t' read -r name surname email phone org; do
	sp --db "$tpl" contact add --name "$name" --surname "$surname" \
		--email "$email" --phone "$phone" --org "$org" >/dev/null ||
		die "soporte contact add $email failed"
done <"$tmp/mail/contacts.tsv"
fresh() { # fresh NAME: a copy of the template, the path on stdout
	cp "$tpl" "$tmp/$1.db"
	if [ -f "$tpl-wal" ]; then cp "$tpl-wal" "$tmp/$1.db-wal"; fi
	echo "$tmp/$1.db"
}

# spawn KEY PARALLEL LIST ARGV...: the helper runs them, times them
declare -A R=()
spawn() {
	local key=$1 p=$2 list=$3
	shift 3
	mkdir -p "$tmp/out.$key"
	"$bin" spawn "$p" "$tmp/out.$key" "$list" "$@" >"$tmp/$key.txt" ||
		die "the helper could not run $key"
	local -A S=()
	load S "$tmp/$key.txt"
	local k
	for k in "${!S[@]}"; do R[$key.$k]=${S[$k]}; done
	if [ "${S[failed]}" != 0 ]; then
		echo "bench/mail.sh: $key: ${S[failed]} of ${S[n]} processes failed; the first," \
			"number ${S[first_failed]}, with status ${S[first_status]}:" >&2
		sed 's/^/  /' "$tmp/out.$key/$(printf %05d "${S[first_failed]}").err" >&2
		return 1
	fi
}

status=0
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
t_start=$(date +%s.%N)
# ---- the raw limit -----------------------------------------------------
echo "mail bench: raw SQLite, $n_imp commits of one message each..." >&2
declare -A W=()
"$bin" raw "$tmp/raw.db" "$tmp/mail/eml.list" >"$tmp/raw.txt" || die "the raw SQLite run failed"
load W "$tmp/raw.txt"
for k in n ns per_s us_each cpu_us cpu_us_each; do R[raw.$k]=${W[$k]}; done

# ---- process start-up --------------------------------------------------
echo "mail bench: $n_start × soporte --help, 1 then $par at a time..." >&2
spawn start1 1 "$tmp/null.list" "$soporte" --help || die "soporte --help failed"
spawn startP "$par" "$tmp/null.list" "$soporte" --help || die "soporte --help failed"
db_open=$(fresh open)
echo "mail bench: $n_open × soporte --db DB mail list --state quarantined (open, one query)..." >&2
spawn open 1 "$tmp/open.list" "$soporte" --db "$db_open" --now "$NOW" mail list \
	--state quarantined || die "soporte mail list failed"

# ---- mail-in -----------------------------------------------------------
db_seq=$(fresh in1)
db_par=$(fresh inP)
echo "mail bench: mail-in, $n_in processes, 1 at a time..." >&2
spawn in1 1 "$tmp/in.list" "$soporte" --db "$db_seq" --now "$NOW" mail-in || status=1
# The subjects' folios were given in arrival order. With several at once
# the openers finish out of order and take each other's folios, so the
# replies are made to say the folio each opener was answered with, as a
# customer reads it in the acknowledgement: the first 100 messages (all
# openers), then the folios set in the rest (untimed), then the rest.
echo "mail bench: mail-in, $n_in processes, $par at a time..." >&2
head -n 100 "$tmp/in.list" >"$tmp/inPa.list"
mkdir "$tmp/refolio"
if spawn inPa "$par" "$tmp/inPa.list" "$soporte" --db "$db_par" --now "$NOW" mail-in &&
	tail -n +101 "$tmp/in.list" >"$tmp/rest.list" &&
	"$bin" refolio "$tmp/expect.in" "$tmp/out.inPa" "$tmp/rest.list" "$tmp/refolio" \
		>"$tmp/inPb.list" &&
	spawn inPb "$par" "$tmp/inPb.list" "$soporte" --db "$db_par" --now "$NOW" mail-in; then
	mkdir "$tmp/out.inP"
	mv "$tmp/out.inPa"/*.out "$tmp/out.inP/"
	for f in "$tmp/out.inPb"/*.out; do
		b=${f##*/}
		mv "$f" "$tmp/out.inP/$(printf %05d $((10#${b%.out} + 100))).out"
	done
	for k in n ns cpu_us; do R[inP.$k]=$((${R[inPa.$k]} + ${R[inPb.$k]})); done
	R[inP.cpu_us_each]=$(awk -v n="${R[inP.n]}" -v c="${R[inP.cpu_us]}" 'BEGIN { print c / n }')
	R[inP.per_s]=$(awk -v n="${R[inP.n]}" -v ns="${R[inP.ns]}" 'BEGIN { print n * 1e9 / ns }')
	R[inP.us_each]=$(awk -v n="${R[inP.n]}" -v ns="${R[inP.ns]}" 'BEGIN { print ns / 1e3 / n }')
else
	status=1
fi

# ---- mail-import -------------------------------------------------------
db_md=$(fresh maildir)
db_mb=$(fresh mbox)
echo "mail bench: mail-import of a Maildir of $n_imp..." >&2
spawn maildir 1 "$tmp/one.list" "$soporte" --db "$db_md" --now "$NOW" --json \
	mail-import "$tmp/mail/maildir" || status=1
echo "mail bench: mail-import of an mbox of $n_imp..." >&2
spawn mbox 1 "$tmp/one.list" "$soporte" --db "$db_mb" --now "$NOW" --json \
	mail-import "$tmp/mail/mbox" || status=1
for k in maildir mbox; do # one process, N messages
	R[$k.n]=$n_imp
	R[$k.per_s]=$(awk -v n="$n_imp" -v ns="${R[$k.ns]}" 'BEGIN { print n * 1e9 / ns }')
	R[$k.us_each]=$(awk -v n="$n_imp" -v ns="${R[$k.ns]}" 'BEGIN { print ns / 1e3 / n }')
	R[$k.cpu_us_each]=$(awk -v n="$n_imp" -v c="${R[$k.cpu_us]}" 'BEGIN { print c / n }')
done
t_runs=$(date +%s.%N)

# ---- what each run did -------------------------------------------------
# outcomes KEY: "new reply duplicate other" from the commands' own output
declare -A O=()
outcomes() {
	local key=$1 n new reply dup other
	case $key in
	in1 | inP)
		cat "$tmp/out.$key"/*.out >"$tmp/$key.lines"
		read -r new reply dup other < <(awk '{ sub(/:$/, "", $1); n[$1]++; t++ }
			END { printf "%d %d %d %d\n", n["new_ticket"], n["reply"],
				n["duplicate"], t - n["new_ticket"] - n["reply"] - n["duplicate"] }' \
			"$tmp/$key.lines")
		;;
	*)
		# mail-import --json: {"messages": N, "new_tickets": ..., ...}
		read -r n new reply dup other < <(tr -d ' \n' <"$tmp/out.$key/00001.out" |
			awk -F'[{},:]' '{ for (i = 2; i < NF; i += 2) v[$i] = $(i + 1) }
			END { printf "%d %d %d %d %d\n", v["\"messages\""], v["\"new_tickets\""],
				v["\"replies\""], v["\"duplicates\""],
				v["\"ignored\""] + v["\"refused\""] + v["\"quarantined\""] + v["\"failed\""] }')
		;;
	esac
	O[$key.new]=$new O[$key.reply]=$reply O[$key.dup]=$dup O[$key.other]=$other
}
# account KEY DB N: the outputs and the database agree, all N accounted for
account() {
	local key=$1 db=$2 n=$3 ok=yes why=""
	local -A C=()
	outcomes "$key"
	"$bin" count "$db" >"$tmp/$key.count" || die "cannot count $db"
	load C "$tmp/$key.count"
	local tl ml_q ml_p ml_d ml_all
	tl=$("$soporte" --db "$db" --json ticket list --all | grep -c '"folio":' || true)
	ml_q=$("$soporte" --db "$db" --json mail list --state quarantined | grep -c '"id":' || true)
	ml_d=$("$soporte" --db "$db" --json mail list --state duplicate | grep -c '"id":' || true)
	if [ "$n" -le 500 ]; then # mail list shows the latest 500
		ml_all=$("$soporte" --db "$db" --json mail list | grep -c '"id":' || true)
		ml_p=$("$soporte" --db "$db" --json mail list | grep -c '"state": "processed"' || true)
	else
		ml_all=${C[raw_mail]} ml_p=${C[raw_mail.processed]}
	fi
	local new=${O[$key.new]} reply=${O[$key.reply]} dup=${O[$key.dup]}
	bad() { ok=no; why+=" $1;"; }
	if [ $((new + reply + dup)) != "$n" ]; then bad "outcomes $((new + reply + dup)) ≠ $n"; fi
	if [ "${O[$key.other]}" != 0 ]; then bad "${O[$key.other]} ignored/refused/quarantined/failed"; fi
	if [ "$ml_q" != 0 ] || [ "${C[raw_mail.quarantined]}" != 0 ]; then bad "quarantine not empty"; fi
	if [ "${C[raw_mail]}" != "$n" ] || [ "$ml_all" != "$n" ]; then
		bad "${C[raw_mail]} raw messages stored ($ml_all listed)"
	fi
	if [ "${C[raw_mail.processed]}" != $((new + reply)) ] || [ "$ml_p" != $((new + reply)) ]; then
		bad "${C[raw_mail.processed]} processed ($ml_p listed) ≠ new + reply"
	fi
	if [ "${C[raw_mail.duplicate]}" != "$dup" ] || [ "$ml_d" != "$dup" ]; then
		bad "${C[raw_mail.duplicate]} duplicates stored ($ml_d listed) ≠ $dup"
	fi
	if [ "${C[tickets]}" != "$new" ] || [ "$tl" != "$new" ]; then
		bad "$tl tickets listed (${C[tickets]} in SQL) ≠ $new"
	fi
	O[$key.ok]=$ok O[$key.why]=$why O[$key.tl]=$tl O[$key.ml]=$ml_all O[$key.mlq]=$ml_q
	O[$key.mld]=$ml_d O[$key.raw]=${C[raw_mail]} O[$key.att]=${C[attachments]}
	O[$key.msgs]=${C[messages.public.contact]:-0} O[$key.outbox]=${C[outbox]}
	if [ "$ok" != yes ]; then status=1; fi
}
for k in in1 inP; do [ -n "${R[$k.n]:-}" ] && account "$k" "$tmp/$k.db" "$n_in"; done
for k in maildir mbox; do [ -n "${R[$k.ns]:-}" ] && account "$k" "$tmp/$k.db" "$n_imp"; done

# threading: message by message where the output says which (mail-in)
# same_lines KEY EXPECT EXACT: how many outputs, in message order, say what
# was expected: the same outcome, and for a reply the ticket that the
# message it answers opened in this run; EXACT=1: every folio as expected.
same_lines() {
	paste -d' ' <(awk '{ print $2, $3 }' "$2") <(cat "$tmp/out.$1"/*.out) |
		awk -v exact="$3" '{ sub(/:$/, "", $3) }
		$1 == "new_ticket" && $3 == "new_ticket" { map[$2] = $4 }
		$1 == $3 && ($1 == "duplicate" || ($1 == "new_ticket" && !exact) ||
			     ($1 == "reply" && map[$2] == $4) || $2 == $4) { k++ }
		END { print k + 0 }'
}

# ---- the table ---------------------------------------------------------
t_end=$(date +%s.%N)
row() { printf '  %-46s %6s %11s %10s %10s %10s %9s\n' "$@"; }
line() { # line KEY LABEL
	local k=$1
	row "$2" "$(calc "${R[$k.n]}")" "$(calc "${R[$k.per_s]}" 1)" "$(calc "${R[$k.us_each]}" 1)" \
		"$(calc "${R[$k.cpu_us_each]}" 1)" \
		"$(calc "${R[$k.per_s]} / ${R[raw.per_s]}" 4)" "$(calc "${R[raw.per_s]} / ${R[$k.per_s]}" 1)"
}
echo "mail bench: messages per second through mail-in and mail-import vs SQLite's single-row commit limit"
echo "setting:  SQLite ${W[sqlite]}, $(nproc) CPUs (load average $load_before at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end),"
echo "          WAL, synchronous=NORMAL (soporte's pragmas), every file in $(df -P "$tmp" | awk 'NR == 2 { print $1 }')"
echo "mail:     $(calc "${G[messages]}") messages, $(calc "${G[bytes_mean]}") bytes on average (${G[bytes_min]} to ${G[bytes_max]}), ${G[png]} with a PNG;"
echo "          ${G[contacts]} senders of ${G[orgs]} organizations; in arrival order: ${G[new]} new requests, ${G[reply]} replies"
echo "          with a folio in the subject (${G[replies_to_first_100]} to INT-2026-00001..00099), ${G[duplicate]} second deliveries"
echo "          (same Message-ID); mail-in takes the first $n_in ($e_in_new new, $e_in_reply replies, $e_in_dup duplicates)"
echo "raw:      each commit is BEGIN IMMEDIATE; one INSERT of a message's bytes as a blob; COMMIT, in one process"
echo "start-up: soporte --help: exec, dynamic linking, exit; no database. soporte is build/soporte, copied"
echo "          at the start; every command with --now $NOW, every run into a fresh copy of one database"
echo
printf '  %-46s %6s %11s %11s %11s %10s %9s\n' "" "count" "per second" "µs each" "CPU µs" "× raw" "raw is"
line raw "raw SQLite: 1-row commit of a ~3 KB blob"
line start1 "process start-up (soporte --help), 1 at a time"
line startP "process start-up (soporte --help), $par at a time"
line open "start-up + app_open (mail list), 1 at a time"
[ -n "${R[in1.n]:-}" ] && line in1 "mail-in, one process a message, 1 at a time"
[ -n "${R[inP.n]:-}" ] && line inP "mail-in, one process a message, $par at a time"
[ -n "${R[maildir.ns]:-}" ] && line maildir "mail-import, Maildir, one process"
[ -n "${R[mbox.ns]:-}" ] && line mbox "mail-import, mbox, one process"
echo "  (count: messages, commits or processes; µs each: wall time over the count; CPU µs: user +"
echo "  system time of the processes over the count, less sensitive to a busy machine; \"× raw\":"
echo "  per second over the raw commits per second; \"raw is\": how many times faster the raw commit is)"
echo
if [ -n "${R[in1.n]:-}" ] && [ -n "${R[maildir.ns]:-}" ]; then
	part() { printf '  %-58s %10s %10s\n' "$1" "$(calc "$2" 0)" "$(calc "$3" 0)"; }
	printf '  %-59s %10s %10s\n' "where a mail-in message's time goes, 1 at a time (µs):" "wall" "CPU"
	part "start-up (soporte --help)" "${R[start1.us_each]}" "${R[start1.cpu_us_each]}"
	part "opening the database and the pack (mail list - --help)" \
		"${R[open.us_each]} - ${R[start1.us_each]}" "${R[open.cpu_us_each]} - ${R[start1.cpu_us_each]}"
	part "intake (mail-import's, a message in a warm process)" \
		"${R[maildir.us_each]}" "${R[maildir.cpu_us_each]}"
	part "  the three parts, measured apart" "${R[open.us_each]} + ${R[maildir.us_each]}" \
		"${R[open.cpu_us_each]} + ${R[maildir.cpu_us_each]}"
	part "mail-in as measured" "${R[in1.us_each]}" "${R[in1.cpu_us_each]}"
	printf '  the intake is %s %% of a mail-in process'"'"'s CPU time; opening, %s %%\n' \
		"$(calc "100 * ${R[maildir.cpu_us_each]} / ${R[in1.cpu_us_each]}" 1)" \
		"$(calc "100 * (${R[open.cpu_us_each]} - ${R[start1.cpu_us_each]}) / ${R[in1.cpu_us_each]}" 1)"
	[ -n "${R[inP.n]:-}" ] &&
		printf '  %s at a time: %sx the rate of 1 at a time, on %s CPUs\n' "$par" \
			"$(calc "${R[inP.per_s]} / ${R[in1.per_s]}" 2)" "$(nproc)"
	echo
fi
echo "what each run did (the commands' own answers, then the database: ticket list --all, mail list, SQL):"
printf '  %-30s %5s %6s %6s %5s %6s %7s %7s %8s %6s %7s  %s\n' "" "msgs" "new" "reply" "dup" "other" \
	"tickets" "raw" "quaran." "files" "outbox" "accounted"
acc() { # acc KEY LABEL N
	local k=$1
	[ -n "${O[$k.ok]:-}" ] || return 0
	printf '  %-30s %5s %6s %6s %5s %6s %7s %7s %8s %6s %7s  %s\n' "$2" "$3" "${O[$k.new]}" \
		"${O[$k.reply]}" "${O[$k.dup]}" "${O[$k.other]}" "${O[$k.tl]}" "${O[$k.raw]}" \
		"${O[$k.mlq]}" "${O[$k.att]}" "${O[$k.outbox]}" "${O[$k.ok]}${O[$k.why]}"
}
acc in1 "mail-in, 1 at a time" "$n_in"
acc inP "mail-in, $par at a time" "$n_in"
acc maildir "mail-import, Maildir" "$n_imp"
acc mbox "mail-import, mbox" "$n_imp"
printf '  %-30s %5s %6s %6s %5s\n' "expected, mail-in" "$n_in" "$e_in_new" "$e_in_reply" "$e_in_dup"
printf '  %-30s %5s %6s %6s %5s\n' "expected, mail-import" "$n_imp" "$e_imp_new" "$e_imp_reply" "$e_imp_dup"
echo "  (other: ignored, refused, quarantined or failed; tickets: ticket list --all; raw: messages"
echo "  stored; quaran.: mail list --state quarantined; files: attachments; outbox: acknowledgements)"
echo
echo "threading, against what a sequential intake must answer (folios taken in arrival order):"
if [ -n "${R[in1.n]:-}" ]; then
	printf '  mail-in, 1 at a time: %s of %s messages got exactly the expected outcome and folio\n' \
		"$(same_lines in1 "$tmp/expect.in" 1)" "$n_in"
	[ -n "${O[inP.ok]:-}" ] &&
		printf '  mail-in, %s at a time: %s of %s the expected outcome, each reply on the ticket its\n%s\n' \
			"$par" "$(same_lines inP "$tmp/expect.in" 0)" "$n_in" \
			"  original opened (folios in the order the openers finished)"
fi
for k in maildir mbox; do
	[ -n "${O[$k.ok]:-}" ] || continue
	if [ "${O[$k.new]} ${O[$k.reply]} ${O[$k.dup]}" = "$e_imp_new $e_imp_reply $e_imp_dup" ]; then
		echo "  mail-import, $k: the expected counts exactly"
	else
		echo "  mail-import, $k: ${O[$k.new]} new, ${O[$k.reply]} replies, ${O[$k.dup]} duplicates (expected $e_imp_new, $e_imp_reply, $e_imp_dup)"
	fi
done
echo
printf 'time: %s s measured runs, %s s in all (generating, setting up and checking included)\n' \
	"$(calc "$t_runs - $t_start" 1)" "$(calc "$t_end - $t_start" 1)"
if [ "$status" = 0 ]; then
	echo "accounted: yes (every message a new ticket, a reply or a duplicate; none quarantined)"
else
	echo "accounted: NO"
fi
exit "$status"
