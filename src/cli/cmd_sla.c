/* cmd_sla.c — soporte tick, soporte sla eval, soporte calendar. */
#include "cli.h"

#include "../core/bizcal.h"
#include "../core/holidays.h"
#include "../util/buf.h"
#include "../util/civil.h"
#include "../util/str.h"
#include "../zone/ics.h"
#include "../zone/zone.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

static const char tick_usage[] =
	"usage: soporte [--db PATH] [--now TIME] tick\n"
	"Runs the timers that are due: SLA warnings and breaches, escalations,\n"
	"auto-accept, auto-close, contact attempts. Running it twice, or two\n"
	"at once, has the effect of running it once; run it from cron or a\n"
	"systemd timer every minute.\n";

int
cli_tick(struct cli *c, int argc, char **argv)
{
	struct tick_report r;
	struct sp_err err = { 0 };
	struct app *app;
	int rc;

	if (cli_wants_help(argc, argv)) {
		fputs(tick_usage, stdout);
		return 0;
	}
	if (argc > 1)
		return cli_usage(tick_usage, "unexpected argument '%s'", argv[1]);
	if ((rc = cli_open(c, &app)))
		return rc;
	rc = app_tick(app, &r, c->now, &err);
	app_close(app);
	if (rc)
		return cli_fail(&err);
	if (c->json)
		cli_print_json(json_pack("{s:i, s:i, s:i}", "run", r.run,
					 "skipped", r.skipped, "failed", r.failed));
	else
		printf("timers: %d run, %d already taken, %d failed\n", r.run,
		       r.skipped, r.failed);
	return r.failed ? EX_SOFTWARE : 0;
}

/* ---- sla eval: JSON lines in, JSON lines out ------------------------ */

static const char eval_usage[] =
	"usage: soporte [--policies DIR] sla eval < cases.jsonl\n"
	"Each input line is a JSON object; each output line answers it, in order.\n"
	"  {\"calendar\": CAL, \"start\": ISO, \"minutes\": N, \"pauses\": [[ISO, ISO]...]}\n"
	"      -> {\"due\": ISO}\n"
	"  {\"calendar\": CAL, \"op\": \"between\", \"start\": ISO, \"end\": ISO}\n"
	"      -> {\"minutes\": N}\n"
	"  {\"calendar\": CAL, \"op\": \"add_days\", \"start\": ISO, \"days\": N}\n"
	"      -> {\"due\": ISO}\n"
	"CAL is {\"pack\": ID} (its SLA calendar; add \"clock\": \"weekday_hours\"\n"
	"for all hours of business days) or {\"tz\": ZONE, \"week\": {\"mon\":\n"
	"[[\"09:00\",\"14:00\"]], ...}, \"holidays\": [DATE...], \"mexican_holidays\":\n"
	"BOOL}. A bad line answers {\"error\": ...}; the exit status is then 65.\n";


struct cal_cache {
	char key[4096];
	struct bizcal *cal;
	struct zone *zone;
};

static int
week_from_json(struct week *w, json_t *week, char *why, size_t size)
{
	static const char *const days[7] = { "mon", "tue", "wed", "thu",
					     "fri", "sat", "sun" };
	const char *k;
	json_t *v;

	memset(w, 0, sizeof *w);
	if (!json_is_object(week)) {
		snprintf(why, size, "calendar.week must be an object of days");
		return -1;
	}
	json_object_foreach(week, k, v) {
		int d = -1;

		for (int i = 0; i < 7; i++)
			if (strcmp(k, days[i]) == 0)
				d = i;
		if (d < 0 || !json_is_array(v) ||
		    json_array_size(v) > POLICY_MAX_INTERVALS) {
			snprintf(why, size, "calendar.week.%s must be a day "
				 "(mon..sun) with at most %d intervals", k,
				 POLICY_MAX_INTERVALS);
			return -1;
		}
		for (size_t i = 0; i < json_array_size(v); i++) {
			json_t *iv = json_array_get(v, i);
			const char *a = json_string_value(json_array_get(iv, 0));
			const char *b = json_string_value(json_array_get(iv, 1));
			struct interval x;

			if (!a || !b || json_array_size(iv) != 2 ||
			    civil_parse_hhmm(&x.start, a, false) ||
			    civil_parse_hhmm(&x.end, b, true) ||
			    x.start >= x.end ||
			    (i > 0 && x.start < w->iv[d][i - 1].end)) {
				snprintf(why, size, "calendar.week.%s[%zu] must "
					 "be [\"HH:MM\",\"HH:MM\"], ascending and "
					 "not overlapping", k, i);
				return -1;
			}
			w->iv[d][i] = x;
		}
		w->n[d] = (int)json_array_size(v);
	}
	return 0;
}

/* Builds (or reuses) the calendar a line names. */
static struct cal_cache *
eval_calendar(struct cli *c, struct cal_cache *cache, json_t *cal, char *why,
	      size_t size)
{
	char *key = json_dumps(cal, JSON_COMPACT | JSON_SORT_KEYS);
	struct sp_err err = { 0 };
	struct bizcal *bc = NULL;
	const char *pack = json_string_value(json_object_get(cal, "pack"));
	const char *clock = json_string_value(json_object_get(cal, "clock"));
	bool whole = clock && strcmp(clock, "weekday_hours") == 0;
	const char *tz = NULL;

	static const char *const known[] = { "pack", "clock", "tz", "week",
		"holidays", "mexican_holidays", NULL };

	if (cal == NULL) {
		free(key);
		snprintf(why, size, "calendar is required: {\"pack\": ID} or "
			 "{\"tz\": ..., \"week\": ...}");
		return NULL;
	}
	if (json_is_object(cal) &&
	    cli_json_known_keys(cal, known, "calendar", why, size)) {
		free(key);
		return NULL;
	}
	if ((json_object_get(cal, "pack") && !pack) ||
	    (json_object_get(cal, "clock") && !clock)) {
		free(key);
		snprintf(why, size, "calendar.%s must be a string", pack ||
			 json_object_get(cal, "pack") == NULL ? "clock" : "pack");
		return NULL;
	}
	if (key == NULL || strlen(key) >= sizeof cache->key) {
		free(key);
		snprintf(why, size, "calendar is too large");
		return NULL;
	}
	if (cache->cal && strcmp(cache->key, key) == 0) {
		free(key);
		return cache;
	}
	if (clock && !whole && strcmp(clock, "business_hours") != 0) {
		free(key);
		snprintf(why, size, "calendar.clock must be business_hours or "
			 "weekday_hours");
		return NULL;
	}
	if (pack) {
		struct policy_report r;
		struct policy *p = NULL;
		char *text;
		size_t len;

		policy_report_init(&r);
		if (app_pack_read(&text, &len, cli_policies_dir(c), pack, &err)) {
			snprintf(why, size, "%s", err.msg);
		} else {
			if (policy_parse(&p, text, len, pack, pack, &r))
				snprintf(why, size, "pack '%s' has problems; run "
					 "soporte policy check", pack);
			free(text);
		}
		policy_report_free(&r);
		if (p) {
			const struct calendar_def *cd =
				&p->calendars[p->sla.calendar];

			tz = cd->tz;
			if (bizcal_from_policy(&bc, cd, whole, &err))
				snprintf(why, size, "%s", err.msg);
			/* tz lives in p: take the zone before freeing it. */
			zone_free(cache->zone);
			cache->zone = NULL;
			if (bc && zone_open(&cache->zone, tz, &err)) {
				bizcal_free(bc);
				bc = NULL;
			}
			policy_free(p);
		}
	} else if (json_is_object(cal)) {
		struct bizcal_spec spec = { 0 };
		struct week w;
		json_t *hol = json_object_get(cal, "holidays");
		int64_t days[512];
		size_t nd = 0;

		tz = json_string_value(json_object_get(cal, "tz"));
		if ((hol && !json_is_array(hol)) ||
		    (json_object_get(cal, "mexican_holidays") &&
		     !json_is_boolean(json_object_get(cal, "mexican_holidays")))) {
			free(key);
			snprintf(why, size, hol && !json_is_array(hol) ?
				 "calendar.holidays must be a list of dates" :
				 "calendar.mexican_holidays must be true or "
				 "false");
			return NULL;
		}
		spec.tz = tz;
		spec.week = &w;
		spec.mexican_holidays =
			json_is_true(json_object_get(cal, "mexican_holidays"));
		spec.whole_days = whole;
		if (tz == NULL || !zone_exists(tz)) {
			snprintf(why, size, "calendar.tz '%s' is not a known "
				 "IANA zone", tz ? tz : "");
		} else if (week_from_json(&w, json_object_get(cal, "week"), why,
					  size) == 0) {
			bool ok = true;

			for (size_t i = 0; hol && i < json_array_size(hol); i++) {
				struct civil_date d;
				const char *s = json_string_value(json_array_get(hol, i));

				if (nd >= 512 || !s || civil_parse_date(&d, s)) {
					snprintf(why, size, "calendar.holidays[%zu] "
						 "must be a date YYYY-MM-DD", i);
					ok = false;
					break;
				}
				days[nd++] = civil_days(d.y, d.m, d.d);
			}
			spec.holidays = days;
			spec.nholidays = nd;
			if (ok && bizcal_build(&bc, &spec, BIZCAL_FIRST_YEAR,
					       BIZCAL_LAST_YEAR, &err))
				snprintf(why, size, "%s", err.msg);
			if (bc) {
				zone_free(cache->zone);
				cache->zone = NULL;
				if (zone_open(&cache->zone, tz, &err)) {
					bizcal_free(bc);
					bc = NULL;
				}
			}
		}
	} else {
		snprintf(why, size, "calendar must be {\"pack\": ID} or an object "
			 "with tz and week");
	}
	if (bc == NULL) {
		free(key);
		return NULL;
	}
	bizcal_free(cache->cal);
	cache->cal = bc;
	str_copy(cache->key, key, sizeof cache->key);
	free(key);
	return cache;
}

struct eval_ctx {
	struct cli *c;
	struct cal_cache cache;
};

static json_t *
eval_line(void *ctx, const char *line)
{
	static const char *const known[] = { "calendar", "op", "start",
		"minutes", "days", "pauses", "end", NULL };
	struct cli *c = ((struct eval_ctx *)ctx)->c;
	struct cal_cache *cache = &((struct eval_ctx *)ctx)->cache;
	json_error_t jerr;
	json_t *in = json_loads(line, 0, &jerr), *out = NULL;
	struct cal_cache *cc;
	char why[512] = "";
	const char *op, *start_s;
	int64_t start;
	struct sp_err err = { 0 };

	if (in == NULL || !json_is_object(in)) {
		snprintf(why, sizeof why, "not a JSON object: %s",
			 in ? "expected {...}" : jerr.text);
		goto bad;
	}
	if (cli_json_known_keys(in, known, "", why, sizeof why))
		goto bad;
	if (json_object_get(in, "op") &&
	    !json_is_string(json_object_get(in, "op"))) {
		snprintf(why, sizeof why, "op must be a string: add, between or "
			 "add_days");
		goto bad;
	}
	cc = eval_calendar(c, cache, json_object_get(in, "calendar"), why,
			   sizeof why);
	if (cc == NULL)
		goto bad;
	op = json_string_value(json_object_get(in, "op"));
	if (op == NULL)
		op = "add";
	start_s = json_string_value(json_object_get(in, "start"));
	if (start_s == NULL || zone_parse(cc->zone, &start, start_s)) {
		snprintf(why, sizeof why, "start must be an ISO 8601 date-time");
		goto bad;
	}
	if (strcmp(op, "add") == 0 || strcmp(op, "add_days") == 0) {
		bool days = strcmp(op, "add_days") == 0;
		json_t *jn = json_object_get(in, days ? "days" : "minutes");
		json_t *jp = json_object_get(in, "pauses");
		struct bizcal_pause pz[64];
		size_t np = 0;
		int64_t due;
		char s[32];

		if (!json_is_integer(jn) || json_integer_value(jn) < 0 ||
		    json_integer_value(jn) > 10000000) {
			snprintf(why, sizeof why, "%s must be a whole number "
				 "from 0", days ? "days" : "minutes");
			goto bad;
		}
		if (jp && (!json_is_array(jp) || json_array_size(jp) > 64)) {
			snprintf(why, sizeof why, "pauses must be a list of at "
				 "most 64 [from, to] pairs");
			goto bad;
		}
		for (size_t i = 0; jp && i < json_array_size(jp); i++) {
			json_t *pair = json_array_get(jp, i);
			const char *a = json_string_value(json_array_get(pair, 0));
			const char *b = json_string_value(json_array_get(pair, 1));

			if (!a || !b || zone_parse(cc->zone, &pz[np].from, a) ||
			    zone_parse(cc->zone, &pz[np].to, b) ||
			    pz[np].to < pz[np].from) {
				snprintf(why, sizeof why, "pauses[%zu] must be "
					 "[from, to] ISO 8601, from <= to", i);
				goto bad;
			}
			np++;
		}
		if (days ? bizcal_add_days(cc->cal, &due, start,
					   (int)json_integer_value(jn), &err)
			 : bizcal_add_minutes(cc->cal, &due, start,
					      json_integer_value(jn), pz, np,
					      &err)) {
			snprintf(why, sizeof why, "%s", err.msg);
			goto bad;
		}
		zone_format(cc->zone, due, s);
		out = json_pack("{s:s}", "due", s);
	} else if (strcmp(op, "between") == 0) {
		const char *end_s = json_string_value(json_object_get(in, "end"));
		int64_t end;

		if (end_s == NULL || zone_parse(cc->zone, &end, end_s)) {
			snprintf(why, sizeof why, "end must be an ISO 8601 "
				 "date-time");
			goto bad;
		}
		if (end < start) {
			snprintf(why, sizeof why, "end is before start");
			goto bad;
		}
		out = json_pack("{s:I}", "minutes", (json_int_t)(
			bizcal_between(cc->cal, start, end, NULL, 0) / 60));
	} else {
		snprintf(why, sizeof why, "op '%s' is not add, between or "
			 "add_days", op);
		goto bad;
	}
	json_decref(in);
	return out;
bad:
	json_decref(in);
	return json_pack("{s:s}", "error", why);
}

static int
sla_eval(struct cli *c)
{
	struct eval_ctx ctx = { .c = c };
	int rc = cli_eval_lines(eval_line, &ctx, 0);

	bizcal_free(ctx.cache.cal);
	zone_free(ctx.cache.zone);
	return rc;
}

int
cli_sla(struct cli *c, int argc, char **argv)
{
	if (argc < 2 || cli_wants_help(argc, argv)) {
		fputs(eval_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? EX_USAGE : 0;
	}
	if (strcmp(argv[1], "eval") == 0 && argc == 2)
		return sla_eval(c);
	return cli_usage(eval_usage, "unknown sla command '%s'", argv[1]);
}

/* ---- calendar: holidays, .ics export and import --------------------- */

static const char calendar_usage[] =
	"usage: soporte calendar holidays --pack ID --year YYYY [--ics]\n"
	"       soporte calendar export --pack ID --from YYYY --to YYYY > closed.ics\n"
	"       soporte calendar import FILE.ics\n"
	"holidays  lists the pack's closed days of a year (law and own days)\n"
	"export    writes the closed days as an iCalendar file\n"
	"import    reads an iCalendar file and prints its days as pack\n"
	"          'holidays:' entries to paste into a pack\n";

static int
load_pack_cal(struct cli *c, const char *pack, struct bizcal **out,
	      struct policy **pol)
{
	struct policy_report r;
	struct sp_err err = { 0 };
	char *text;
	size_t len;
	int rc;

	if (app_pack_read(&text, &len, cli_policies_dir(c), pack, &err))
		return cli_fail(&err);
	policy_report_init(&r);
	rc = policy_parse(pol, text, len, pack, pack, &r);
	free(text);
	if (rc) {
		fputs(r.text.ptr, stderr);
		policy_report_free(&r);
		return EX_DATAERR;
	}
	policy_report_free(&r);
	if (bizcal_from_policy(out, &(*pol)->calendars[(*pol)->sla.calendar],
			       false, &err)) {
		policy_free(*pol);
		return cli_fail(&err);
	}
	return 0;
}

int
cli_calendar(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pack", required_argument, NULL, 'p' },
		{ "year", required_argument, NULL, 'y' },
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "ics", no_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *pack = NULL;
	int64_t from = 0, to = 0;
	bool ics = false;
	struct bizcal *cal = NULL;
	struct policy *pol = NULL;
	int ch, rc;

	if (argc < 2 || cli_wants_help(argc, argv)) {
		fputs(calendar_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? EX_USAGE : 0;
	}
	optind = 0;
	while ((ch = getopt_long(argc - 1, argv + 1, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'p': pack = optarg; break;
		case 'y':
		case 'f':
		case 't': {
			int64_t y;

			if (str_to_i64(&y, optarg, BIZCAL_FIRST_YEAR,
				       BIZCAL_LAST_YEAR))
				return cli_usage(calendar_usage, "a year from %d "
						 "to %d, not '%s'",
						 BIZCAL_FIRST_YEAR,
						 BIZCAL_LAST_YEAR, optarg);
			if (ch != 't')
				from = y;
			if (ch != 'f')
				to = y;
			break;
		}
		case 'i': ics = true; break;
		default: return cli_usage(calendar_usage, "bad option");
		}
	}
	if (strcmp(argv[1], "import") == 0) {
		struct sp_err err = { 0 };
		struct ics_day *days = NULL;
		size_t n = 0;
		const char *file = optind + 1 < argc ? argv[optind + 1] : NULL;

		if (file == NULL)
			return cli_usage(calendar_usage, "import needs a FILE");
		if (ics_read_days(&days, &n, file, &err))
			return cli_fail(&err);
		printf("holidays:\n");
		for (size_t i = 0; i < n; i++) {
			struct civil_date d = civil_from_days(days[i].day);
			/* A YAML double-quoted string: escape \\ and ". */
			printf("  - {date: %04d-%02d-%02d, name: \"", d.y, d.m,
			       d.d);
			for (const char *q = days[i].name; *q; q++) {
				if (*q == '"' || *q == '\\')
					putchar('\\');
				if ((unsigned char)*q >= 0x20)
					putchar(*q);
			}
			printf("\"}\n");
		}
		ics_days_free(days, n);
		return 0;
	}
	if (pack == NULL || from == 0)
		return cli_usage(calendar_usage, "%s needs --pack and a year",
				 argv[1]);
	if ((rc = load_pack_cal(c, pack, &cal, &pol)))
		return rc;
	{
		int64_t a = civil_days((int)from, 1, 1);
		int64_t b = civil_days((int)to + 1, 1, 1);
		int64_t *days = calloc((size_t)(b - a), sizeof *days);
		size_t n = days ? bizcal_closed_days(cal, days, (size_t)(b - a), a, b) : 0;

		if (strcmp(argv[1], "export") == 0 || ics) {
			struct sp_err err = { 0 };
			char *text = NULL;

			if (ics_write_days(&text, days, n, pol->provider.short_name,
					   &err)) {
				rc = cli_fail(&err);
			} else {
				fputs(text, stdout);
				free(text);
			}
		} else if (strcmp(argv[1], "holidays") == 0) {
			for (size_t i = 0; i < n; i++) {
				struct civil_date d = civil_from_days(days[i]);
				static const char *const wd[7] = { "lun", "mar",
					"mié", "jue", "vie", "sáb", "dom" };

				printf("%04d-%02d-%02d %s\n", d.y, d.m, d.d,
				       wd[civil_weekday(days[i])]);
			}
		} else {
			rc = cli_usage(calendar_usage, "unknown calendar command "
				       "'%s'", argv[1]);
		}
		free(days);
	}
	bizcal_free(cal);
	policy_free(pol);
	return rc;
}
