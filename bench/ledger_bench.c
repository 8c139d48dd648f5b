/* ledger_bench.c — hour-bank debits per second under concurrent writers,
 * against the raw SQLite single-row commit limit measured in the same run.
 *
 * ledger_bench DIR POLICIES [SECONDS [WRITERS [CONTRACTS [TICKETS]]]]
 *
 *   raw       A fresh SQLite file in DIR with the pragmas soporte's store
 *             sets (WAL, synchronous=NORMAL, foreign_keys on, a 5 s busy
 *             timeout). Each writer process loops: BEGIN IMMEDIATE, one
 *             single-row INSERT, COMMIT (prepared statements). 1 writer,
 *             then WRITERS (4) at once (fork), SECONDS (3) each.
 *   soporte   A fresh database per run made with app_init (pack
 *             intecnia), one organization with a contact, one agent per
 *             writer, TICKETS (25) tickets per writer (description and
 *             screenshot, as the pack requires) and CONTRACTS paid
 *             "corporativo" contracts (70 h = 4,200 min each; by default
 *             enough not to run dry). Each writer process opens the
 *             database itself and calls app_attendance_log in a loop,
 *             taking its tickets in turn: remote, 1..5 minutes, starting
 *             at 10:00 on successive weekdays of the contract's year, not
 *             warranty. Each call is one BEGIN IMMEDIATE transaction that
 *             reads the banks and writes the attendance, the ledger debit,
 *             the audit events, the consumption report message and
 *             whatever else soporte adds (counted per table).
 *
 * After each soporte run the file is checked with plain SQL: the ledger
 * sum equals the banks bought minus the debit_minutes of every
 * attendance, each attendance's debit equals its ledger entries, no
 * balance is negative, the counts match what the writers reported, and
 * each contract's state agrees with its balance.
 *
 * Prints key=value lines (bench/ledger.sh makes the table). Exit status:
 * 0 ran and consistent; 1 something failed to run; 3 ran, but a
 * consistency check failed (the figures are printed all the same). */
#include "../src/app/app.h"
#include "../src/util/civil.h"

#include <errno.h>
#include <inttypes.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PACK "intecnia"
#define PLAN "corporativo"
#define PLAN_MINUTES (70 * 60)
#define MAX_WRITERS 16
#define MAX_TICKETS 64 /* a writer's */
#define NSLICE 10 /* the run cut in slices, to show the rate over time */
#define BUSY_TIMEOUT_MS 5000 /* as store_sqlite.c */

static const unsigned char png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a,
				     '\n' };

/* One writer's figures, in memory shared with the parent. */
struct result {
	int64_t ok, busy, failed;
	int64_t debit_minutes;  /* soporte: the sum of out.bill.debit_minutes */
	int64_t end_ns;         /* when its last call returned */
	int64_t lat_sum_ns, lat_max_ns;
	int64_t slice[NSLICE];  /* successful calls ending in each slice */
	char err[256];          /* the first failure */
};

struct shared {
	int64_t t0_ns, deadline_ns;
	struct result r[MAX_WRITERS];
};

/* What a soporte writer needs: made by the parent before forking. */
struct world {
	char db[4096];
	int64_t agent[MAX_WRITERS];
	char folio[MAX_WRITERS][MAX_TICKETS][64];
	int ntickets;      /* each writer's, taken in turn */
	int64_t first_day; /* the first attendance: a Monday, 10:00 */
};

static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t
at(const char *iso)
{
	int64_t t;

	if (civil_parse_instant(&t, iso)) {
		fprintf(stderr, "ledger_bench: bad instant %s\n", iso);
		exit(1);
	}
	return t;
}

static void
note(struct result *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
note(struct result *r, const char *fmt, ...)
{
	va_list ap;

	if (r->err[0])
		return;
	va_start(ap, fmt);
	vsnprintf(r->err, sizeof r->err, fmt, ap);
	va_end(ap);
}

static void
count_ok(struct shared *sh, struct result *r, int64_t t1, int64_t lat)
{
	int64_t span = sh->deadline_ns - sh->t0_ns;
	int64_t k = (t1 - sh->t0_ns) * NSLICE / span;

	r->ok++;
	r->lat_sum_ns += lat;
	if (lat > r->lat_max_ns)
		r->lat_max_ns = lat;
	r->slice[k < 0 ? 0 : k >= NSLICE ? NSLICE - 1 : k]++;
}

/* ---- raw SQLite ------------------------------------------------------ */

static const char raw_schema[] =
	"CREATE TABLE t (id INTEGER PRIMARY KEY, writer INTEGER NOT NULL,"
	" seq INTEGER NOT NULL, at INTEGER NOT NULL, note TEXT NOT NULL);";

static int
raw_open(sqlite3 **db, const char *path, bool create, struct result *r)
{
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
		    (create ? SQLITE_OPEN_CREATE : 0);

	if (sqlite3_open_v2(path, db, flags, NULL) != SQLITE_OK) {
		note(r, "cannot open %s: %s", path,
		     *db ? sqlite3_errmsg(*db) : "out of memory");
		return -1;
	}
	sqlite3_extended_result_codes(*db, 1);
	sqlite3_busy_timeout(*db, BUSY_TIMEOUT_MS);
	if (sqlite3_exec(*db, "PRAGMA foreign_keys = ON;"
			 "PRAGMA journal_mode = WAL;"
			 "PRAGMA synchronous = NORMAL;", NULL, NULL,
			 NULL) != SQLITE_OK) {
		note(r, "pragmas on %s: %s", path, sqlite3_errmsg(*db));
		return -1;
	}
	return 0;
}

static int
raw_prepare(const char *path, struct result *r)
{
	sqlite3 *db = NULL;
	int rc = raw_open(&db, path, true, r);

	if (rc == 0 && sqlite3_exec(db, raw_schema, NULL, NULL, NULL) !=
			       SQLITE_OK) {
		note(r, "schema: %s", sqlite3_errmsg(db));
		rc = -1;
	}
	sqlite3_close(db);
	return rc;
}

/* Steps a statement that returns no row, then resets it. */
static int
step_reset(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static void
raw_writer(struct shared *sh, int w, const char *path, int ready, int go)
{
	struct result *r = &sh->r[w];
	sqlite3 *db = NULL;
	sqlite3_stmt *begin = NULL, *ins = NULL, *commit = NULL,
		     *rollback = NULL;
	char c = 0;
	int64_t seq = 0;

	if (raw_open(&db, path, false, r) == 0 &&
	    (sqlite3_prepare_v2(db, "BEGIN IMMEDIATE", -1, &begin, NULL) ||
	     sqlite3_prepare_v2(db, "INSERT INTO t (writer, seq, at, note) "
				"VALUES (?, ?, ?, 'one row')", -1, &ins,
				NULL) ||
	     sqlite3_prepare_v2(db, "COMMIT", -1, &commit, NULL) ||
	     sqlite3_prepare_v2(db, "ROLLBACK", -1, &rollback, NULL)))
		note(r, "prepare: %s", sqlite3_errmsg(db));
	if (write(ready, "r", 1) != 1 || read(go, &c, 1) != 0 || r->err[0])
		goto out;
	for (;;) {
		int64_t t0 = now_ns(), t1;
		int rc;

		if (t0 >= sh->deadline_ns)
			break;
		rc = step_reset(begin);
		if ((rc & 0xff) == SQLITE_BUSY) {
			r->busy++;
			continue;
		}
		if (rc != SQLITE_OK) {
			note(r, "BEGIN: %s", sqlite3_errmsg(db));
			r->failed++;
			break;
		}
		sqlite3_bind_int(ins, 1, w);
		sqlite3_bind_int64(ins, 2, ++seq);
		sqlite3_bind_int64(ins, 3, t0);
		if ((rc = step_reset(ins)) != SQLITE_OK ||
		    (rc = step_reset(commit)) != SQLITE_OK) {
			note(r, "INSERT/COMMIT: %s", sqlite3_errmsg(db));
			step_reset(rollback);
			r->failed++;
			break;
		}
		t1 = now_ns();
		r->end_ns = t1;
		count_ok(sh, r, t1, t1 - t0);
	}
out:
	sqlite3_finalize(begin);
	sqlite3_finalize(ins);
	sqlite3_finalize(commit);
	sqlite3_finalize(rollback);
	sqlite3_close(db);
}

/* ---- soporte --------------------------------------------------------- */

static int
world_make(struct world *wd, const char *policies, int nwriters,
	   int ncontracts, int ntickets, struct result *r)
{
	int64_t t_init = at("2026-05-01T09:00:00-06:00");
	int64_t t_ticket = at("2026-05-04T09:00:00-06:00");
	struct policy_report rep;
	struct sp_err err = { 0 };
	struct app *app = NULL;
	struct actor customer;
	struct contact_input c = { "Ferretería López", "Luis", "López", NULL,
				   NULL, "luis@ferre.mx", NULL };
	int64_t id;
	int rc;

	wd->first_day = at("2026-05-11T10:00:00-06:00"); /* a Monday */
	wd->ntickets = ntickets;
	policy_report_init(&rep);
	rc = app_init(wd->db, policies, PACK, t_init, &rep, &err);
	if (rc)
		note(r, "app_init: %s %s", err.msg, rep.text.ptr ?
		     rep.text.ptr : "");
	policy_report_free(&rep);
	if (rc)
		return -1;
	if ((rc = app_open(&app, wd->db, PACK, &err)) ||
	    (rc = app_org_add(app, NULL, t_init, &app_system,
			      "Ferretería López", NULL, &err)) ||
	    (rc = app_contact_add(app, &id, t_init, &app_system, &c, &err)))
		goto fail;
	customer = (struct actor){ "contact", id };
	for (int w = 0; w < nwriters; w++) {
		char name[32], email[64];

		snprintf(name, sizeof name, "Agente %d", w + 1);
		snprintf(email, sizeof email, "agente%d@intecnia.mx", w + 1);
		if ((rc = app_agent_add(app, &wd->agent[w], t_init,
					&app_system, name, email, "agent",
					&err)))
			goto fail;
	}
	for (int i = 0; i < ncontracts; i++) {
		struct contract_input in = { "Ferretería López", PLAN,
					     PLAN_MINUTES / 60, 0, 0, -1,
					     NULL };
		char number[64];

		/* Sold by the office (an operations manager's act, docs/
		 * admin.md), so the system's; the writers are agents. */
		if ((rc = app_contract_add(app, number, t_init, &app_system,
					   &in, &err)) ||
		    (rc = app_contract_pay(app, t_init, &app_system, number,
					   "OC bench", &err)))
			goto fail;
	}
	for (int k = 0; k < nwriters * ntickets; k++) {
		struct ticket_input in = { 0 };
		struct ticket_opened o;
		char subject[64], description[128];
		int w = k / ntickets, j = k % ntickets;

		snprintf(subject, sizeof subject, "Falla %d del sistema", k + 1);
		snprintf(description, sizeof description, "El equipo %d no "
			 "arranca desde esta mañana", k + 1);
		in.contact = "luis@ferre.mx";
		in.channel = "email";
		in.subject = subject;
		in.description = description;
		in.files[0] = (struct ticket_file){ "error.png", "image/png",
						    png, sizeof png };
		in.nfiles = 1;
		if ((rc = app_ticket_open(app, &o, t_ticket + k * 10,
					  &customer, &in, &err)))
			goto fail;
		if (o.missing[0] || o.out_of_scope) {
			note(r, "ticket %s: missing '%s'%s", o.folio,
			     o.missing, o.out_of_scope ? ", out of scope" : "");
			app_close(app);
			return -1;
		}
		snprintf(wd->folio[w][j], sizeof wd->folio[w][j], "%s",
			 o.folio);
	}
	app_close(app);
	return 0;
fail:
	note(r, "setting up: %s", err.msg);
	app_close(app);
	return -1;
}

static uint64_t
xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void
soporte_writer(struct shared *sh, int w, const struct world *wd, int ready,
	       int go)
{
	struct result *r = &sh->r[w];
	struct actor agent = { "agent", wd->agent[w] };
	struct app *app = NULL;
	struct sp_err err = { 0 };
	uint64_t seed = 0x9e3779b97f4a7c15u * (uint64_t)(w + 1);
	char c = 0;

	if (app_open(&app, wd->db, PACK, &err))
		note(r, "app_open: %s", err.msg);
	if (write(ready, "r", 1) != 1 || read(go, &c, 1) != 0 || r->err[0])
		goto out;
	for (int64_t k = 0;; k++) {
		/* Weekdays of the contract's year, 10:00 plus 10 min a writer. */
		int64_t day = k % 250, week = day / 5;
		int64_t start = wd->first_day + (week * 7 + day % 5) * 86400 +
				w * 600;
		struct attendance_input in = { wd->folio[w][k % wd->ntickets],
					       start,
					       1 + (int64_t)(xorshift(&seed) % 5),
					       "remote", false };
		struct attendance_logged out;
		int64_t t0 = now_ns(), t1;
		int rc;

		if (t0 >= sh->deadline_ns)
			break;
		sp_err_clear(&err);
		rc = app_attendance_log(app, &out, start + in.minutes * 60,
					&agent, &in, &err);
		t1 = now_ns();
		r->end_ns = t1;
		if (rc == 0) {
			r->debit_minutes += out.bill.debit_minutes;
			count_ok(sh, r, t1, t1 - t0);
		} else if (rc == SP_EBUSY) {
			r->busy++;
		} else {
			note(r, "app_attendance_log: %s", err.msg);
			r->failed++;
			break;
		}
	}
out:
	app_close(app);
}

/* ---- running writers ------------------------------------------------- */

enum kind { RAW, SOPORTE };

/* Forks n writers, releases them at once, waits for them; r->end_ns of
 * the sum is the last writer's end. */
static int
run(struct shared *sh, enum kind kind, int n, double seconds,
    const char *raw_path, const struct world *wd, struct result *sum,
    double *wall)
{
	int ready[2], go[2], status, rc = 0;
	pid_t pid[MAX_WRITERS];
	char c;

	memset(sh, 0, sizeof *sh);
	memset(sum, 0, sizeof *sum);
	if (pipe(ready) || pipe(go)) {
		fprintf(stderr, "ledger_bench: pipe: %s\n", strerror(errno));
		return -1;
	}
	fflush(NULL);
	for (int w = 0; w < n; w++) {
		pid[w] = fork();
		if (pid[w] < 0) {
			fprintf(stderr, "ledger_bench: fork: %s\n",
				strerror(errno));
			exit(1);
		}
		if (pid[w] == 0) {
			close(ready[0]);
			close(go[1]);
			if (kind == RAW)
				raw_writer(sh, w, raw_path, ready[1], go[0]);
			else
				soporte_writer(sh, w, wd, ready[1], go[0]);
			_exit(0);
		}
	}
	close(ready[1]);
	close(go[0]);
	for (int w = 0; w < n; w++)
		if (read(ready[0], &c, 1) != 1) {
			fprintf(stderr, "ledger_bench: a writer did not start\n");
			rc = -1;
		}
	sh->t0_ns = now_ns();
	sh->deadline_ns = sh->t0_ns + (int64_t)(seconds * 1e9);
	close(go[1]); /* go: every writer's read returns 0 */
	close(ready[0]);
	for (int w = 0; w < n; w++) {
		if (waitpid(pid[w], &status, 0) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0) {
			fprintf(stderr, "ledger_bench: writer %d died\n", w);
			rc = -1;
		}
	}
	for (int w = 0; w < n; w++) {
		const struct result *r = &sh->r[w];

		sum->ok += r->ok;
		sum->busy += r->busy;
		sum->failed += r->failed;
		sum->debit_minutes += r->debit_minutes;
		sum->lat_sum_ns += r->lat_sum_ns;
		if (r->lat_max_ns > sum->lat_max_ns)
			sum->lat_max_ns = r->lat_max_ns;
		if (r->end_ns > sum->end_ns)
			sum->end_ns = r->end_ns;
		for (int k = 0; k < NSLICE; k++)
			sum->slice[k] += r->slice[k];
		if (r->err[0]) {
			fprintf(stderr, "ledger_bench: writer %d: %s\n", w,
				r->err);
			if (!sum->err[0])
				snprintf(sum->err, sizeof sum->err, "%s",
					 r->err);
		}
	}
	*wall = (double)(sum->end_ns - sh->t0_ns) / 1e9;
	if (sum->ok == 0 || sum->failed || sum->err[0])
		rc = -1;
	return rc;
}

static void
print_figures(const char *key, int n, double seconds,
	      const struct shared *sh, const struct result *s, double wall)
{
	double slice_s = seconds / NSLICE;

	printf("%s.writers=%d\n", key, n);
	printf("%s.ok=%" PRId64 "\n", key, s->ok);
	printf("%s.per_writer=", key);
	for (int w = 0; w < n; w++)
		printf("%s%" PRId64, w ? " " : "", sh->r[w].ok);
	printf("\n");
	printf("%s.busy=%" PRId64 "\n", key, s->busy);
	printf("%s.seconds=%.3f\n", key, wall);
	printf("%s.per_s=%.1f\n", key, (double)s->ok / wall);
	printf("%s.us_per_op=%.1f\n", key, wall * 1e6 / (double)s->ok);
	printf("%s.latency_us=%.1f\n", key,
	       (double)s->lat_sum_ns / 1e3 / (double)s->ok);
	printf("%s.latency_max_ms=%.1f\n", key, (double)s->lat_max_ns / 1e6);
	printf("%s.first_per_s=%.1f\n", key, (double)s->slice[0] / slice_s);
	printf("%s.last_per_s=%.1f\n", key,
	       (double)s->slice[NSLICE - 1] / slice_s);
}

/* ---- the consistency check ------------------------------------------ */

static int64_t
q1(sqlite3 *db, const char *sql, bool *bad)
{
	sqlite3_stmt *st = NULL;
	int64_t v = 0;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		fprintf(stderr, "ledger_bench: %s: %s\n", sql,
			sqlite3_errmsg(db));
		*bad = true;
	} else {
		v = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	return v;
}

/* Rows in every table of the file, to tell what a debit writes. */
#define MAX_TABLES 64

struct counts {
	int n;
	char name[MAX_TABLES][64];
	int64_t rows[MAX_TABLES];
};

static int
counts_of(const char *path, struct counts *c)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	bool bad = false;

	memset(c, 0, sizeof *c);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) !=
		    SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE "
			       "type = 'table' AND name NOT LIKE 'sqlite_%' "
			       "ORDER BY rowid", -1, &st, NULL) != SQLITE_OK)
		bad = true;
	while (!bad && sqlite3_step(st) == SQLITE_ROW && c->n < MAX_TABLES) {
		char sql[128];

		snprintf(c->name[c->n], sizeof c->name[c->n], "%s",
			 (const char *)sqlite3_column_text(st, 0));
		snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%s\"",
			 c->name[c->n]);
		c->rows[c->n] = q1(db, sql, &bad);
		c->n++;
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return bad ? -1 : 0;
}

/* What the writers added, table by table, per attendance. */
static void
print_rows(const char *key, const struct counts *before,
	   const struct counts *after, int64_t natt)
{
	int64_t total = 0;

	for (int i = 0; i < after->n; i++) {
		int64_t d = after->rows[i];

		for (int j = 0; j < before->n; j++)
			if (strcmp(before->name[j], after->name[i]) == 0)
				d -= before->rows[j];
		if (d == 0)
			continue;
		total += d;
		printf("%s.rows.%s=%.2f\n", key, after->name[i],
		       (double)d / (double)natt);
	}
	printf("%s.rows_per_debit=%.2f\n", key, (double)total / (double)natt);
}

#define CHECK(key, cond, ...)                                                \
	do {                                                                 \
		if (!(cond)) {                                               \
			printf("%s.problem=", key);                          \
			printf(__VA_ARGS__);                                 \
			printf("\n");                                        \
			ok = false;                                          \
		}                                                            \
	} while (0)

/* Plain SQL on the file once every writer is gone. */
static bool
consistent(const char *key, const char *path, const struct result *s,
	   const struct counts *before, int ncontracts)
{
	sqlite3 *db = NULL;
	bool bad = false, ok = true;
	int64_t bank, bought, ledger_sum, att_debits, natt, mismatched,
		negative, min_balance, wrong_state, logged, reports, tickets;
	static struct counts after;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		printf("%s.problem=cannot open %s\n", key, path);
		sqlite3_close(db);
		return false;
	}
	bank = q1(db, "SELECT coalesce(sum(bank_minutes), 0) FROM contracts",
		  &bad);
	bought = q1(db, "SELECT coalesce(sum(minutes), 0) FROM ledger "
		    "WHERE kind = 'purchase'", &bad);
	ledger_sum = q1(db, "SELECT coalesce(sum(minutes), 0) FROM ledger",
			&bad);
	att_debits = q1(db, "SELECT coalesce(sum(debit_minutes), 0) FROM "
			"attendances", &bad);
	natt = q1(db, "SELECT count(*) FROM attendances", &bad);
	tickets = q1(db, "SELECT count(DISTINCT ticket_id) FROM attendances",
		     &bad);
	/* Each attendance's debit is what the ledger took for it. */
	mismatched = q1(db,
		"SELECT count(*) FROM attendances a LEFT JOIN"
		" (SELECT attendance_id, -sum(minutes) AS m FROM ledger"
		"  WHERE kind = 'debit' GROUP BY attendance_id) l"
		" ON l.attendance_id = a.id"
		" WHERE coalesce(l.m, 0) != a.debit_minutes"
		" OR (l.attendance_id IS NULL AND a.debit_minutes != 0)", &bad);
	/* Per contract: never below zero (no overage was authorised), and
	 * exhausted exactly when nothing is left. */
	negative = q1(db, "SELECT count(*) FROM (SELECT contract_id, "
		      "sum(minutes) AS b FROM ledger GROUP BY contract_id) "
		      "WHERE b < 0", &bad);
	min_balance = q1(db, "SELECT coalesce(min(b), 0) FROM (SELECT "
			 "sum(minutes) AS b FROM ledger GROUP BY contract_id)",
			 &bad);
	wrong_state = q1(db, "SELECT count(*) FROM contracts c JOIN (SELECT "
			 "contract_id, sum(minutes) AS b FROM ledger GROUP BY "
			 "contract_id) l ON l.contract_id = c.id WHERE "
			 "(l.b <= 0) != (c.state = 'exhausted')", &bad);
	logged = q1(db, "SELECT count(*) FROM events WHERE action = "
		    "'attendance.logged'", &bad);
	reports = q1(db, "SELECT count(*) FROM messages WHERE body LIKE "
		     "'Reporte de consumo%' OR body LIKE 'Consumption report%'",
		     &bad);
	sqlite3_close(db);
	if (bad || counts_of(path, &after)) {
		printf("%s.problem=cannot query %s\n", key, path);
		return false;
	}
	printf("%s.contracts=%d\n", key, ncontracts);
	printf("%s.tickets=%" PRId64 "\n", key, tickets);
	printf("%s.bank_minutes=%" PRId64 "\n", key, bank);
	printf("%s.debited_minutes=%" PRId64 "\n", key, att_debits);
	printf("%s.balance=%" PRId64 "\n", key, ledger_sum);
	printf("%s.min_contract_balance=%" PRId64 "\n", key, min_balance);
	printf("%s.attendances=%" PRId64 "\n", key, natt);
	if (natt > 0)
		print_rows(key, before, &after, natt);
	CHECK(key, bank == bought, "bought %" PRId64 " min, contracts hold %"
	      PRId64, bought, bank);
	CHECK(key, ledger_sum == bank - att_debits, "ledger sum %" PRId64
	      " != bank %" PRId64 " - debits %" PRId64, ledger_sum, bank,
	      att_debits);
	CHECK(key, mismatched == 0, "%" PRId64 " attendances whose debit is "
	      "not what the ledger took", mismatched);
	CHECK(key, negative == 0, "%" PRId64 " contracts below zero",
	      negative);
	CHECK(key, wrong_state == 0, "%" PRId64 " contracts whose state "
	      "disagrees with their balance", wrong_state);
	CHECK(key, natt == s->ok, "%" PRId64 " attendances stored, the "
	      "writers logged %" PRId64, natt, s->ok);
	CHECK(key, att_debits == s->debit_minutes, "%" PRId64 " min stored, "
	      "the writers were told %" PRId64, att_debits, s->debit_minutes);
	CHECK(key, logged == natt, "%" PRId64 " attendance.logged events for %"
	      PRId64 " attendances", logged, natt);
	CHECK(key, reports == natt, "%" PRId64 " consumption reports for %"
	      PRId64 " attendances", reports, natt);
	printf("%s.consistent=%s\n", key, ok ? "yes" : "no");
	return ok;
}

static int
raw_check(const char *key, const char *path, const struct result *s)
{
	sqlite3 *db = NULL;
	bool bad = false;
	int64_t rows = 0;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) ==
	    SQLITE_OK)
		rows = q1(db, "SELECT count(*) FROM t", &bad);
	else
		bad = true;
	sqlite3_close(db);
	if (bad || rows != s->ok) {
		fprintf(stderr, "ledger_bench: %s: %" PRId64 " rows for %"
			PRId64 " commits\n", key, rows, s->ok);
		return -1;
	}
	return 0;
}

/* ---- main ------------------------------------------------------------ */

static void
remove_db(const char *path)
{
	char p[4200];

	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
}

int
main(int argc, char **argv)
{
	const char *dir, *policies;
	double seconds = 3;
	int writers = 4, nw[2], status = 0, contracts = 0, tickets = 25;
	struct shared *sh;
	struct result sum;
	double wall;

	if (argc < 3 || argc > 7) {
		fprintf(stderr, "usage: ledger_bench DIR POLICIES [SECONDS "
			"[WRITERS [CONTRACTS [TICKETS]]]]\n");
		return 1;
	}
	dir = argv[1];
	policies = argv[2];
	if (argc > 3)
		seconds = atof(argv[3]);
	if (argc > 4)
		writers = atoi(argv[4]);
	if (argc > 5)
		contracts = atoi(argv[5]);
	if (argc > 6)
		tickets = atoi(argv[6]);
	if (seconds <= 0 || seconds > 600 || writers < 1 ||
	    writers > MAX_WRITERS || contracts < 0 || tickets < 1 ||
	    tickets > MAX_TICKETS) {
		fprintf(stderr, "ledger_bench: SECONDS in (0, 600], WRITERS "
			"in 1..%d, TICKETS in 1..%d\n", MAX_WRITERS,
			MAX_TICKETS);
		return 1;
	}
	nw[0] = 1;
	nw[1] = writers;
	sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		fprintf(stderr, "ledger_bench: mmap: %s\n", strerror(errno));
		return 1;
	}
	printf("sqlite=%s\n", sqlite3_libversion());
	printf("cpus=%ld\n", sysconf(_SC_NPROCESSORS_ONLN));
	printf("seconds=%g\n", seconds);
	printf("tickets_per_writer=%d\n", tickets);

	/* The raw limit. */
	for (int i = 0; i < 2; i++) {
		char path[4096], key[16];
		struct result setup = { 0 };

		snprintf(path, sizeof path, "%s/raw%d.db", dir, nw[i]);
		snprintf(key, sizeof key, "raw.%d", i);
		remove_db(path);
		if (raw_prepare(path, &setup)) {
			fprintf(stderr, "ledger_bench: %s\n", setup.err);
			return 1;
		}
		if (run(sh, RAW, nw[i], seconds, path, NULL, &sum, &wall) ||
		    raw_check(key, path, &sum))
			return 1;
		print_figures(key, nw[i], seconds, sh, &sum, wall);
		remove_db(path);
	}

	/* soporte. */
	for (int i = 0; i < 2; i++) {
		static struct world wd;
		struct result setup = { 0 };
		static struct counts before;
		char key[16];
		int ncontracts;
		int64_t t0;

		/* Enough banks at 3 min a debit on average for 10,000
		 * debits a second, several times what soporte takes here
		 * (the rate falls as the ledger grows), and never fewer
		 * than 4. A bank that runs dry fails the run. */
		ncontracts = (int)(seconds * 10000 * 3 / PLAN_MINUTES) + 1;
		if (ncontracts < 4)
			ncontracts = 4;
		if (contracts > 0)
			ncontracts = contracts;
		memset(&wd, 0, sizeof wd);
		snprintf(wd.db, sizeof wd.db, "%s/soporte%d.db", dir, nw[i]);
		snprintf(key, sizeof key, "sop.%d", i);
		remove_db(wd.db);
		t0 = now_ns();
		if (world_make(&wd, policies, nw[i], ncontracts, tickets,
			       &setup) ||
		    counts_of(wd.db, &before)) {
			fprintf(stderr, "ledger_bench: %s\n", setup.err);
			return 1;
		}
		printf("%s.setup_ms=%.0f\n", key, (double)(now_ns() - t0) / 1e6);
		if (run(sh, SOPORTE, nw[i], seconds, NULL, &wd, &sum,
			&wall)) {
			/* Still check what was written. */
			consistent(key, wd.db, &sum, &before, ncontracts);
			return 1;
		}
		print_figures(key, nw[i], seconds, sh, &sum, wall);
		if (!consistent(key, wd.db, &sum, &before, ncontracts))
			status = 3;
		remove_db(wd.db);
	}
	munmap(sh, sizeof *sh);
	return status;
}
