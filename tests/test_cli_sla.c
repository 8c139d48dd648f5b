/* test_cli_sla.c — the business-time commands through the binary:
 * sla eval, calendar, tick, ticket list --queue, report sla. */
#include "fixture.h"
#include "test.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The worked example and its error handling, line by line. */
static void
test_sla_eval_lines_in_order_errors_exit_65(void)
{
	struct fx_run r;
	const char *in =
		"{\"calendar\": {\"pack\": \"intecnia\"}, \"start\": \"2026-03-13T18:30:00-06:00\", \"minutes\": 480}\n"
		"not json\n"
		"{\"calendar\": {\"pack\": \"intecnia\"}, \"op\": \"between\", \"start\": \"2026-03-13T18:30:00-06:00\", \"end\": \"2026-03-17T18:30:00-06:00\"}\n"
		"{\"calendar\": {\"tz\": \"America/Mexico_City\", \"week\": {\"mon\": [[\"09:00\",\"14:00\"],[\"16:00\",\"19:00\"]], \"tue\": [[\"09:00\",\"14:00\"],[\"16:00\",\"19:00\"]], \"fri\": [[\"09:00\",\"14:00\"],[\"16:00\",\"19:00\"]], \"sun\": []}, \"holidays\": [\"2026-02-02\"], \"mexican_holidays\": true}, \"start\": \"2026-03-13T18:30:00-06:00\", \"minutes\": 480, \"pauses\": [[\"2026-03-17T10:00:00-06:00\", \"2026-03-17T11:00:00-06:00\"]]}\n"
		"{\"calendar\": {\"tz\": \"Mars/Olympus\", \"week\": {}}, \"start\": \"2026-03-13T18:30:00-06:00\", \"minutes\": 1}\n"
		"{\"calendar\": {\"pack\": \"intecnia\"}, \"start\": \"2026-03-13T18:30:00-06:00\", \"minutes\": -5}\n";

	CHECK_INT(fx_cli(&r, in, "--policies", fx_policies(), "sla", "eval",
			 NULL), 65);
	CHECK_STR(r.out.ptr,
		  "{\"due\":\"2026-03-17T18:30:00-06:00\"}\n"
		  "{\"error\":\"not a JSON object: '[' or '{' expected near 'not'\"}\n"
		  "{\"minutes\":480}\n"
		  "{\"due\":\"2026-03-20T09:30:00-06:00\"}\n"
		  "{\"error\":\"calendar.tz 'Mars/Olympus' is not a known IANA zone\"}\n"
		  "{\"error\":\"minutes must be a whole number from 0\"}\n");
	fx_run_free(&r);
	/* All good lines: exit 0. */
	CHECK_INT(fx_cli(&r, "{\"calendar\": {\"pack\": \"easi\"}, \"start\": \"2026-05-04T17:45:00-06:00\", \"minutes\": 60}\n",
			 "--policies", fx_policies(), "sla", "eval", NULL), 0);
	CHECK_STR(r.out.ptr, "{\"due\":\"2026-05-05T09:45:00-06:00\"}\n");
	fx_run_free(&r);
}

/* A misspelt field, a field of the wrong type, an empty line and an
 * interval that ends before it starts are each an error on their own
 * line, never a silent default; good lines around them still answer. */
static void
test_eval_unknown_fields_types_blank_lines(void)
{
	struct fx_run r;
	const char *in =
		"{\"calendar\": {\"pack\": \"easi\"}, \"start\": \"2026-03-10T10:00:00\", \"minutes\": 5, \"pause\": []}\n"
		"\n"
		"{\"calendar\": {\"pack\": \"easi\", \"tzz\": 1}, \"start\": \"2026-03-10T10:00:00\", \"minutes\": 5}\n"
		"{\"calendar\": {\"pack\": \"easi\"}, \"op\": 3, \"start\": \"2026-03-10T10:00:00\", \"minutes\": 5}\n"
		"{\"calendar\": {\"pack\": \"easi\"}, \"op\": \"between\", \"start\": \"2026-03-10T10:00:00\", \"end\": \"2026-03-09T10:00:00\"}\n"
		"{\"calendar\": {\"pack\": \"easi\"}, \"start\": \"2026-03-10T10:00:00\", \"minutes\": 5}\n";
	const char *bill =
		"{\"pack\": \"easi\", \"plan\": \"poliza\", \"start\": \"2026-03-10T10:00:00\", \"minutes\": 30, \"modalty\": \"phone\"}\n"
		"{\"pack\": 5}\n"
		"\n"
		"{\"pack\": \"easi\", \"plan\": \"poliza\", \"start\": \"2026-03-10T10:00:00\", \"minutes\": 30}\n";

	CHECK_INT(fx_cli(&r, in, "--policies", fx_policies(), "sla", "eval",
			 NULL), 65);
	CHECK_STR(r.out.ptr,
		  "{\"error\":\"'pause' is not a known field; known: calendar op start minutes days pauses end\"}\n"
		  "{\"error\":\"empty line\"}\n"
		  "{\"error\":\"calendar: 'tzz' is not a known field; known: pack clock tz week holidays mexican_holidays\"}\n"
		  "{\"error\":\"op must be a string: add, between or add_days\"}\n"
		  "{\"error\":\"end is before start\"}\n"
		  "{\"due\":\"2026-03-10T10:05:00-06:00\"}\n");
	fx_run_free(&r);
	CHECK_INT(fx_cli(&r, bill, "--policies", fx_policies(), "bill", "eval",
			 NULL), 65);
	CHECK_HAS(r.out.ptr, "{\"error\":\"'modalty' is not a known field");
	CHECK_HAS(r.out.ptr, "\n{\"error\":\"pack must be a string\"}\n"
		  "{\"error\":\"empty line\"}\n{\"debit_minutes\":40,");
	fx_run_free(&r);
}

/* SLA-1: the calendar lists LFT art. 74 days and round-trips .ics. */
static void
test_sla1_calendar_holidays_and_ics_round_trip(void)
{
	struct fx_run r;
	const char *ics = fx_path("closed.ics");
	FILE *f;

	CHECK_INT(fx_cli(&r, NULL, "--policies", fx_policies(), "calendar",
			 "holidays", "--pack", "intecnia", "--year", "2030",
			 NULL), 0);
	CHECK_HAS(r.out.ptr, "2030-02-04");
	CHECK_HAS(r.out.ptr, "2030-10-01");
	CHECK_HAS(r.out.ptr, "2030-11-18");
	fx_run_free(&r);
	CHECK_INT(fx_cli(&r, NULL, "--policies", fx_policies(), "calendar",
			 "export", "--pack", "intecnia", "--from", "2026",
			 "--to", "2026", NULL), 0);
	CHECK_HAS(r.out.ptr, "BEGIN:VCALENDAR");
	CHECK_HAS(r.out.ptr, "DTSTART;VALUE=DATE:20260316");
	f = fopen(ics, "w");
	CHECK(f != NULL);
	fputs(r.out.ptr, f);
	fclose(f);
	fx_run_free(&r);
	CHECK_INT(fx_cli(&r, NULL, "calendar", "import", ics, NULL), 0);
	CHECK_HAS(r.out.ptr, "- {date: 2026-03-16,");
	CHECK_HAS(r.out.ptr, "- {date: 2026-12-25,");
	fx_run_free(&r);
	/* A yearly recurring own holiday, from another program's file. */
	f = fopen(ics, "w");
	CHECK(f != NULL);
	fputs("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//ES\r\n"
	      "BEGIN:VEVENT\r\nUID:a@b\r\nDTSTAMP:20260101T000000Z\r\n"
	      "DTSTART;VALUE=DATE:20261212\r\nDTEND;VALUE=DATE:20261213\r\n"
	      "RRULE:FREQ=YEARLY;COUNT=3\r\nSUMMARY:Guadalupe\r\nEND:VEVENT\r\n"
	      "END:VCALENDAR\r\n", f);
	fclose(f);
	CHECK_INT(fx_cli(&r, NULL, "calendar", "import", ics, NULL), 0);
	CHECK_HAS(r.out.ptr, "2026-12-12, name: \"Guadalupe\"");
	CHECK_HAS(r.out.ptr, "2028-12-12");
	CHECK(strstr(r.out.ptr, "2029-12-12") == NULL);
	fx_run_free(&r);
	/* Not a calendar: refused with a reason. */
	f = fopen(ics, "w");
	CHECK(f != NULL);
	fputs("hello\n", f);
	fclose(f);
	CHECK_INT(fx_cli(&r, NULL, "calendar", "import", ics, NULL), 65);
	CHECK_HAS(r.err.ptr, "iCalendar");
	fx_run_free(&r);
}

/* SLA-1: libical is loaded only when a calendar is imported or
 * exported. Without it (here an empty libical.so.3 found first on
 * LD_LIBRARY_PATH) those two fail with what to install, exit 74, and
 * everything else runs. */
static void
test_sla1_calendar_export_without_libical_says_what_to_install(void)
{
	const char *dir = fx_path("lib");
	const char *old = getenv("LD_LIBRARY_PATH");
	char *saved = old ? strdup(old) : NULL;
	char lib[1024];
	struct fx_run r;
	int export_rc, import_rc, holidays_rc;
	bool told;

	CHECK(mkdir(dir, 0700) == 0);
	snprintf(lib, sizeof lib, "%s/libical.so.3", dir);
	CHECK(fx_write_file(lib, "", 0));
	CHECK(fx_write_file(fx_path("x.ics"), "BEGIN:VCALENDAR\r\n", 17));
	setenv("LD_LIBRARY_PATH", dir, 1);
	export_rc = fx_cli(&r, NULL, "--policies", fx_policies(), "calendar",
			   "export", "--pack", "intecnia", "--from", "2026",
			   "--to", "2026", NULL);
	told = strstr(r.err.ptr, "install Debian's libical3") != NULL &&
	       strstr(r.err.ptr, "libical.so.3") != NULL;
	fx_run_free(&r);
	import_rc = fx_cli(&r, NULL, "calendar", "import", fx_path("x.ics"),
			   NULL);
	told = told && strstr(r.err.ptr, "libical3") != NULL;
	fx_run_free(&r);
	holidays_rc = fx_cli(&r, NULL, "--policies", fx_policies(),
			     "calendar", "holidays", "--pack", "intecnia",
			     "--year", "2026", NULL);
	fx_run_free(&r);
	if (saved) {
		setenv("LD_LIBRARY_PATH", saved, 1);
		free(saved);
	} else {
		unsetenv("LD_LIBRARY_PATH");
	}
	CHECK_INT(export_rc, 74);
	CHECK_INT(import_rc, 74);
	CHECK(told);
	CHECK_INT(holidays_rc, 0);
}

static void
setup_db(void)
{
	struct fx_run r;
	const char *db = fx_path("c.db");

	fx_cli(&r, NULL, "--db", db, "--policies", fx_policies(), "--now",
	       "2026-03-09T08:00:00", "init", "--pack", "intecnia", NULL);
	fx_run_free(&r);
	fx_cli(&r, NULL, "--db", db, "--now", "2026-03-09T08:00:00", "org",
	       "add", "--name", "Ferretería López", NULL);
	fx_run_free(&r);
	fx_cli(&r, NULL, "--db", db, "--now", "2026-03-09T08:00:00",
	       "contact", "add", "--name", "Luis", "--email", "luis@f.mx",
	       "--org", "Ferretería López", NULL);
	fx_run_free(&r);
	fx_cli(&r, NULL, "--db", db, "--now", "2026-03-09T08:00:00", "agent",
	       "add", "--name", "Ana", "--email", "ana@p.mx", NULL);
	fx_run_free(&r);
}

static void
open_at(const char *at, const char *priority)
{
	struct fx_run r;
	const char *png = fx_path("e.png");
	FILE *f = fopen(png, "w");

	if (f) {
		fputs("\x89PNG\r\n\x1a\n", f);
		fclose(f);
	}
	fx_cli(&r, NULL, "--db", fx_path("c.db"), "--now", at, "--as",
	       "contact:luis@f.mx", "ticket", "open", "--channel", "email",
	       "--priority", priority, "--subject", "Falla", "--description",
	       "No abre", "--screenshot", png, NULL);
	fx_run_free(&r);
}

/* SLA-4, SLA-5 via the command line: the queue's order and flags, tick
 * idempotent, the report. */
static void
test_sla4_queue_tick_and_report(void)
{
	struct fx_run r;
	const char *db;
	json_t *q;

	setup_db();
	db = fx_path("c.db");
	open_at("2026-03-10T09:00:00", "sev4");
	open_at("2026-03-10T10:00:00", "sev1");
	CHECK_INT(fx_cli(&r, NULL, "--db", db, "--now", "2026-03-10T20:00:00",
			 "--json", "ticket", "list", "--queue", NULL), 0);
	q = json_loads(r.out.ptr, 0, NULL);
	CHECK(q != NULL && json_array_size(q) == 2);
	CHECK_STR(json_string_value(json_object_get(json_array_get(q, 0), "priority")), "sev1");
	/* 7 of 8 business hours used by 20:00: warned, not yet missed. */
	CHECK_STR(json_string_value(json_object_get(json_array_get(q, 0), "flag")), "warning");
	CHECK_STR(json_string_value(json_object_get(json_array_get(q, 1), "flag")), "ok");
	json_decref(q);
	fx_run_free(&r);
	CHECK_INT(fx_cli(&r, NULL, "--db", db, "--now", "2026-03-10T20:00:00",
			 "--json", "tick", NULL), 0);
	CHECK_HAS(r.out.ptr, "\"failed\": 0");
	CHECK(strstr(r.out.ptr, "\"run\": 0") == NULL);
	fx_run_free(&r);
	CHECK_INT(fx_cli(&r, NULL, "--db", db, "--now", "2026-03-10T20:00:00",
			 "--json", "tick", NULL), 0);
	CHECK_HAS(r.out.ptr, "\"run\": 0");
	fx_run_free(&r);
	CHECK_INT(fx_cli(&r, NULL, "--db", db, "--now", "2026-03-10T20:00:00",
			 "report", "sla", "--from", "2026-03-01", "--to",
			 "2026-03-31", "--csv", NULL), 0);
	CHECK_HAS(r.out.ptr, "\"sev1\",\"*\",1,0,0,1,");
	fx_run_free(&r);
	/* Wednesday noon: the severity-1 target (Wed 10:00) was missed. */
	CHECK_INT(fx_cli(&r, NULL, "--db", db, "--now", "2026-03-11T12:00:00",
			 "report", "sla", "--from", "2026-03-01", "--to",
			 "2026-03-31", "--csv", NULL), 0);
	CHECK_HAS(r.out.ptr, "\"sev1\",\"*\",1,0,1,0,");
	fx_run_free(&r);
	CHECK_INT(fx_cli(&r, NULL, "--db", db, "report", "sla", "--from",
			 "2026-03-31", "--to", "x", NULL), 64);
	fx_run_free(&r);
}

const struct test cli_sla_tests[] = {
	{ "eval_unknown_fields_types_blank_lines", test_eval_unknown_fields_types_blank_lines },
	{ "sla_eval_lines_in_order_errors_exit_65", test_sla_eval_lines_in_order_errors_exit_65 },
	{ "sla1_calendar_holidays_and_ics_round_trip", test_sla1_calendar_holidays_and_ics_round_trip },
	{ "sla1_calendar_export_without_libical_says_what_to_install",
	  test_sla1_calendar_export_without_libical_says_what_to_install },
	{ "sla4_queue_tick_and_report", test_sla4_queue_tick_and_report },
	{ 0 },
};
