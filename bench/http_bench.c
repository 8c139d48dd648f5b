/* http_bench.c — the SQLite side of bench/http.sh.
 *
 * http_bench raw DIR SECONDS
 *   The raw single-row commit limit on the disk holding DIR: a fresh
 *   SQLite file, one connection, a loop of BEGIN IMMEDIATE, one 1-row
 *   INSERT, COMMIT (prepared statements), for SECONDS, twice: with the
 *   pragmas of soporte serve's request connection (WAL,
 *   synchronous=FULL: a commit is on the disk when it returns), then
 *   with the store's default (WAL, synchronous=NORMAL: the WAL is synced
 *   only at checkpoints). The rows are counted back after each run.
 *
 * http_bench check DB < FOLIOS
 *   Reads one folio a line (the 201 answers of the create run) and
 *   checks, with plain SQL on soporte's file, that each is a ticket,
 *   once; prints the number of tickets too.
 *
 * Prints key=value lines; bench/http.sh makes the table. Exit status 0
 * when it ran, 1 when something failed. */
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BUSY_TIMEOUT_MS 5000 /* as store_sqlite.c */

static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int
fail(sqlite3 *db, const char *what)
{
	fprintf(stderr, "http_bench: %s: %s\n", what,
		db ? sqlite3_errmsg(db) : "out of memory");
	return -1;
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
remove_db(const char *path)
{
	char p[4200];

	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
}

/* One run of commits; `sync` is FULL or NORMAL. */
static int
raw_run(const char *dir, const char *sync, double seconds)
{
	char path[4096], pragmas[200];
	sqlite3 *db = NULL;
	sqlite3_stmt *begin = NULL, *ins = NULL, *commit = NULL, *count = NULL;
	int64_t n = 0, rows = -1, t0, t1, deadline;
	int rc = -1;

	snprintf(path, sizeof path, "%s/raw-%s.db", dir, sync);
	remove_db(path);
	snprintf(pragmas, sizeof pragmas, "PRAGMA foreign_keys = ON;"
		 "PRAGMA journal_mode = WAL; PRAGMA synchronous = %s;"
		 "CREATE TABLE t (id INTEGER PRIMARY KEY, seq INTEGER NOT NULL,"
		 " at INTEGER NOT NULL, note TEXT NOT NULL);", sync);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE |
			    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		fail(db, path);
		goto out;
	}
	sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
	if (sqlite3_exec(db, pragmas, NULL, NULL, NULL) != SQLITE_OK) {
		fail(db, "pragmas");
		goto out;
	}
	if (sqlite3_prepare_v2(db, "BEGIN IMMEDIATE", -1, &begin, NULL) ||
	    sqlite3_prepare_v2(db, "INSERT INTO t (seq, at, note) VALUES "
			       "(?, ?, 'one row')", -1, &ins, NULL) ||
	    sqlite3_prepare_v2(db, "COMMIT", -1, &commit, NULL) ||
	    sqlite3_prepare_v2(db, "SELECT count(*) FROM t", -1, &count,
			       NULL)) {
		fail(db, "prepare");
		goto out;
	}
	t0 = now_ns();
	deadline = t0 + (int64_t)(seconds * 1e9);
	do {
		sqlite3_bind_int64(ins, 1, n + 1);
		sqlite3_bind_int64(ins, 2, now_ns());
		if (step_reset(begin) != SQLITE_OK ||
		    step_reset(ins) != SQLITE_OK ||
		    step_reset(commit) != SQLITE_OK) {
			fail(db, "commit");
			goto out;
		}
		n++;
		t1 = now_ns();
	} while (t1 < deadline);
	if (sqlite3_step(count) == SQLITE_ROW)
		rows = sqlite3_column_int64(count, 0);
	if (rows != n) {
		fprintf(stderr, "http_bench: %lld commits, %lld rows\n",
			(long long)n, (long long)rows);
		goto out;
	}
	printf("raw.%s.commits=%lld\n", sync, (long long)n);
	printf("raw.%s.per_s=%.1f\n", sync, (double)n * 1e9 / (double)(t1 - t0));
	printf("raw.%s.us_each=%.2f\n", sync, (double)(t1 - t0) / 1e3 /
	       (double)n);
	rc = 0;
out:
	sqlite3_finalize(begin);
	sqlite3_finalize(ins);
	sqlite3_finalize(commit);
	sqlite3_finalize(count);
	sqlite3_close(db);
	remove_db(path);
	return rc;
}

static int
cmd_raw(const char *dir, double seconds)
{
	printf("sqlite=%s\n", sqlite3_libversion());
	printf("cpus=%ld\n", sysconf(_SC_NPROCESSORS_ONLN));
	if (raw_run(dir, "FULL", seconds) || raw_run(dir, "NORMAL", seconds))
		return 1;
	return 0;
}

static int
cmd_check(const char *path)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *find = NULL, *seen = NULL, *count = NULL;
	char line[256];
	int64_t folios = 0, found = 0, repeated = 0, tickets = -1;
	int rc = 1;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		fail(db, path);
		goto out;
	}
	sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
	/* A temporary table tells a folio answered twice. */
	if (sqlite3_exec(db, "CREATE TEMP TABLE seen (folio TEXT PRIMARY "
			 "KEY)", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT (SELECT count(*) FROM tickets "
			       "WHERE folio = ?1), (SELECT count(*) FROM seen "
			       "WHERE folio = ?1)", -1, &find, NULL) ||
	    sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO seen VALUES (?)", -1,
			       &seen, NULL) ||
	    sqlite3_prepare_v2(db, "SELECT count(*) FROM tickets", -1, &count,
			       NULL)) {
		fail(db, "prepare");
		goto out;
	}
	while (fgets(line, sizeof line, stdin)) {
		size_t len = strcspn(line, "\r\n");

		if (len == 0)
			continue;
		line[len] = '\0';
		folios++;
		sqlite3_bind_text(find, 1, line, -1, SQLITE_STATIC);
		if (sqlite3_step(find) != SQLITE_ROW) {
			fail(db, "lookup");
			goto out;
		}
		if (sqlite3_column_int64(find, 1))
			repeated++;
		else if (sqlite3_column_int64(find, 0) == 1)
			found++;
		sqlite3_reset(find);
		sqlite3_bind_text(seen, 1, line, -1, SQLITE_STATIC);
		if (step_reset(seen) != SQLITE_OK) {
			fail(db, "seen");
			goto out;
		}
	}
	if (sqlite3_step(count) == SQLITE_ROW)
		tickets = sqlite3_column_int64(count, 0);
	printf("check.folios=%lld\n", (long long)folios);
	printf("check.found=%lld\n", (long long)found);
	printf("check.repeated=%lld\n", (long long)repeated);
	printf("check.tickets=%lld\n", (long long)tickets);
	rc = 0;
out:
	sqlite3_finalize(find);
	sqlite3_finalize(seen);
	sqlite3_finalize(count);
	sqlite3_close(db);
	return rc;
}

int
main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "raw") == 0) {
		double s = atof(argv[3]);

		if (s <= 0 || s > 600) {
			fprintf(stderr, "http_bench: SECONDS in (0, 600]\n");
			return 1;
		}
		return cmd_raw(argv[2], s);
	}
	if (argc == 3 && strcmp(argv[1], "check") == 0)
		return cmd_check(argv[2]);
	fprintf(stderr, "usage: http_bench raw DIR SECONDS\n"
		"       http_bench check DB < FOLIOS\n");
	return 1;
}
