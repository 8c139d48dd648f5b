/* cmd_bill.c — soporte bill eval: what an attendance debits, as JSON
 * lines, for cross-checks and what-if questions (BILL-2..6). */
#include "cli.h"

#include "../core/billing.h"
#include "../util/buf.h"
#include "../util/str.h"
#include "../zone/zone.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

static const char bill_usage[] =
	"usage: soporte [--policies DIR] bill eval < attendances.jsonl\n"
	"Each input line: {\"pack\": ID, \"plan\": ID, \"start\": ISO, \"minutes\": N,\n"
	"  \"modality\": remote|phone|chat|office|onsite_local|onsite_foreign,\n"
	"  \"warranty\": BOOL, \"quick_questions_used\": N}\n"
	"Each output line: {\"debit_minutes\": N, \"free\": BOOL, \"steps\": [{\"rule\",\n"
	"  \"policy\", \"before_minutes\", \"after_minutes\", \"detail\"}...]}\n"
	"A bad line answers {\"error\": ...}; the exit status is then 65.\n";

struct pack_cache {
	char id[64];
	struct policy *p;
	struct zone *zone;
	struct bizcal **ah; /* one per after-hours window */
};

static void
cache_clear(struct pack_cache *c)
{
	if (c->p)
		for (size_t i = 0; i < c->p->nafter_hours; i++)
			bizcal_free(c->ah[i]);
	free(c->ah);
	zone_free(c->zone);
	policy_free(c->p);
	memset(c, 0, sizeof *c);
}

static int
cache_load(struct cli *cl, struct pack_cache *c, const char *id, char *why,
	   size_t size)
{
	struct policy_report r;
	struct sp_err err = { 0 };
	char *text;
	size_t len;

	if (c->p && strcmp(c->id, id) == 0)
		return 0;
	cache_clear(c);
	if (app_pack_read(&text, &len, cli_policies_dir(cl), id, &err)) {
		snprintf(why, size, "%s", err.msg);
		return -1;
	}
	policy_report_init(&r);
	if (policy_parse(&c->p, text, len, id, id, &r)) {
		snprintf(why, size, "pack '%s' has problems; run soporte policy "
			 "check", id);
		free(text);
		policy_report_free(&r);
		return -1;
	}
	free(text);
	policy_report_free(&r);
	c->ah = calloc(c->p->nafter_hours + 1, sizeof *c->ah);
	if (c->ah == NULL ||
	    zone_open(&c->zone, c->p->calendars[c->p->sla.calendar].tz, &err)) {
		snprintf(why, size, "%s", err.msg[0] ? err.msg : "out of memory");
		cache_clear(c);
		return -1;
	}
	for (size_t i = 0; i < c->p->nafter_hours; i++) {
		struct bizcal_spec s = { 0 };

		s.tz = c->p->calendars[c->p->sla.calendar].tz;
		s.week = &c->p->after_hours[i].week;
		if (bizcal_build(&c->ah[i], &s, BIZCAL_FIRST_YEAR,
				 BIZCAL_LAST_YEAR, &err)) {
			snprintf(why, size, "%s", err.msg);
			cache_clear(c);
			return -1;
		}
	}
	str_copy(c->id, id, sizeof c->id);
	return 0;
}

struct bill_ctx {
	struct cli *cl;
	struct pack_cache *cache;
};

static json_t *
bill_line(struct cli *cl, struct pack_cache *c, const char *line)
{
	static const char *const known[] = { "pack", "plan", "start",
		"modality", "minutes", "warranty", "quick_questions_used", NULL };
	json_error_t jerr;
	json_t *in = json_loads(line, 0, &jerr), *steps;
	struct attendance_in at = { 0 };
	struct bill_result res;
	struct sp_err err = { 0 };
	const char *pack, *plan, *start, *mod;
	json_t *jmin, *jw, *jq;
	char why[512] = "";
	int pl, m;

	if (in == NULL || !json_is_object(in)) {
		snprintf(why, sizeof why, "not a JSON object: %s",
			 in ? "expected {...}" : jerr.text);
		goto bad;
	}
	if (cli_json_known_keys(in, known, "", why, sizeof why))
		goto bad;
	{
		/* A field of the wrong type is an error, not a default. */
		static const char *const strings[] = { "pack", "plan", "start",
			"modality" };

		for (size_t i = 0; i < 4; i++)
			if (json_object_get(in, strings[i]) &&
			    !json_is_string(json_object_get(in, strings[i]))) {
				snprintf(why, sizeof why, "%s must be a string",
					 strings[i]);
				goto bad;
			}
	}
	pack = json_string_value(json_object_get(in, "pack"));
	plan = json_string_value(json_object_get(in, "plan"));
	start = json_string_value(json_object_get(in, "start"));
	mod = json_string_value(json_object_get(in, "modality"));
	jmin = json_object_get(in, "minutes");
	jw = json_object_get(in, "warranty");
	jq = json_object_get(in, "quick_questions_used");
	if (pack == NULL) {
		snprintf(why, sizeof why, "pack is required");
		goto bad;
	}
	if (cache_load(cl, c, pack, why, sizeof why))
		goto bad;
	pl = plan ? policy_plan_index(c->p, plan) : -1;
	if (pl < 0) {
		snprintf(why, sizeof why, "%s has no plan '%s'", pack,
			 plan ? plan : "");
		goto bad;
	}
	if (start == NULL || zone_parse(c->zone, &at.start, start)) {
		snprintf(why, sizeof why, "start must be an ISO 8601 date-time");
		goto bad;
	}
	if (!json_is_integer(jmin)) {
		snprintf(why, sizeof why, "minutes must be a whole number");
		goto bad;
	}
	at.minutes = json_integer_value(jmin);
	m = billing_modality_parse(mod ? mod : "remote");
	if (m < 0) {
		snprintf(why, sizeof why, "modality '%s' is not one of remote, "
			 "phone, chat, office, onsite_local, onsite_foreign", mod);
		goto bad;
	}
	at.modality = (enum modality)m;
	if (jw && !json_is_boolean(jw)) {
		snprintf(why, sizeof why, "warranty must be true or false");
		goto bad;
	}
	at.warranty = json_is_true(jw);
	if (jq && (!json_is_integer(jq) || json_integer_value(jq) < 0)) {
		snprintf(why, sizeof why, "quick_questions_used must be a whole "
			 "number from 0");
		goto bad;
	}
	at.quick_questions_used = jq ? (int)json_integer_value(jq) : 0;
	{
		int w = c->p->plans[pl].billing.after_hours_window;

		if (billing_debit(&res, &c->p->plans[pl], &at,
				  w >= 0 ? c->ah[w] : NULL, &err)) {
			snprintf(why, sizeof why, "%s", err.msg);
			goto bad;
		}
	}
	json_decref(in);
	steps = json_array();
	for (int i = 0; i < res.nsteps; i++) {
		const struct bill_step *s = &res.steps[i];
		/* Minutes to 1/100, exact fractions behind them. */
		double b = (double)(long long)(billing_minutes(s->before_num,
				s->before_den) * 100 + 0.5) / 100;
		double a = (double)(long long)(billing_minutes(s->after_num,
				s->after_den) * 100 + 0.5) / 100;

		json_array_append_new(steps, json_pack(
			"{s:s, s:s, s:f, s:f, s:s}", "rule", s->rule,
			"policy", s->policy, "before_minutes", b,
			"after_minutes", a, "detail", s->detail));
	}
	return json_pack("{s:I, s:b, s:o}", "debit_minutes",
			 (json_int_t)res.debit_minutes, "free", res.free,
			 "steps", steps);
bad:
	json_decref(in);
	return json_pack("{s:s}", "error", why);
}

static json_t *
bill_eval_line(void *ctx, const char *line)
{
	struct bill_ctx *b = ctx;

	return bill_line(b->cl, b->cache, line);
}

int
cli_bill(struct cli *c, int argc, char **argv)
{
	struct pack_cache cache = { 0 };
	int rc;

	if (argc < 2 || cli_wants_help(argc, argv)) {
		fputs(bill_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? EX_USAGE : 0;
	}
	if (strcmp(argv[1], "eval") != 0 || argc != 2)
		return cli_usage(bill_usage, "unknown bill command '%s'", argv[1]);
	{
		struct bill_ctx ctx = { c, &cache };

		rc = cli_eval_lines(bill_eval_line, &ctx, JSON_REAL_PRECISION(10));
	}
	cache_clear(&cache);
	return rc;
}
