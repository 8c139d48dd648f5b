/* cmd_policy.c — soporte init, soporte policy check|show|reload. */
#include "cli.h"

#include "../util/buf.h"
#include "../util/civil.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

static const char init_usage[] =
	"usage: soporte [--db PATH] init --pack ID\n"
	"Creates the database (if absent) and adds the provider of pack ID,\n"
	"read from the policies folder (--policies DIR). Seed packs: ideasys,\n"
	"isys, easi, intecnia, impera.\n";

int
cli_init(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pack", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct policy_report report;
	struct sp_err err = { 0 };
	const char *pack = NULL;
	int ch, rc;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (ch == 'p')
			pack = optarg;
		else if (ch == 'h') {
			fputs(init_usage, stdout);
			return 0;
		} else
			return cli_usage(init_usage, "bad option");
	}
	if (pack == NULL)
		return cli_usage(init_usage, "init needs --pack ID");
	if (optind < argc)
		return cli_usage(init_usage, "unexpected argument '%s'",
				 argv[optind]);
	if ((rc = cli_now_in_pack_zone(c, pack)))
		return rc;
	policy_report_init(&report);
	rc = app_init(c->db, cli_policies_dir(c), pack, c->now, &report, &err);
	if (rc) {
		if (report.count)
			fputs(report.text.ptr, stderr);
		policy_report_free(&report);
		return cli_fail(&err);
	}
	policy_report_free(&report);
	printf("%s: provider '%s' ready\n", c->db, pack);
	return 0;
}

static const char policy_usage[] =
	"usage: soporte policy check FILE...\n"
	"       soporte [--json] policy show ID|FILE\n"
	"       soporte [--db PATH] policy reload\n"
	"check  validates packs; every problem is printed as file:line:col:\n"
	"       message, and the status is 65 if there is any.\n"
	"show   prints a pack as soporte understood it.\n"
	"reload replaces the provider's stored pack with the file's text.\n";

static int
read_file(const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct buf b;
	char chunk[8192];
	size_t n;

	if (f == NULL)
		return -1;
	buf_init(&b, 1 << 20);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (buf_add(&b, chunk, n)) {
			fclose(f);
			buf_free(&b);
			return -2;
		}
	fclose(f);
	*out = buf_detach(&b, len);
	return 0;
}

/* The pack id a file must carry: its name without folder and .yaml. */
static void
expected_id(const char *path, char *out, size_t size)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 5 && strcmp(base + n - 5, ".yaml") == 0)
		n -= 5;
	if (n >= size)
		n = size - 1;
	memcpy(out, base, n);
	out[n] = '\0';
}

static int
load_path(const char *path, struct policy **out, struct policy_report *r)
{
	char *text, id[64];
	size_t len;
	int rc = read_file(path, &text, &len);

	if (rc) {
		buf_printf(&r->text, "%s:1:1: %s\n", path, rc == -2 ?
			   "file is larger than 1 MiB" : "cannot read file");
		r->count++;
		return SP_EIO;
	}
	expected_id(path, id, sizeof id);
	rc = policy_parse(out, text, len, path, id, r);
	free(text);
	return rc;
}

static int
policy_check(int argc, char **argv)
{
	int bad = 0;

	if (argc < 3)
		return cli_usage(policy_usage, "policy check needs a FILE");
	for (int i = 2; i < argc; i++) {
		struct policy_report r;
		struct policy *p = NULL;

		policy_report_init(&r);
		if (load_path(argv[i], &p, &r)) {
			fputs(r.text.ptr, stderr);
			bad++;
		} else {
			printf("%s: ok (%s, %zu priorities, %zu plans)\n",
			       argv[i], p->provider.short_name, p->npriorities,
			       p->nplans);
		}
		policy_free(p);
		policy_report_free(&r);
	}
	return bad ? EX_DATAERR : 0;
}

static json_t *
week_json(const struct week *w)
{
	static const char *const days[7] = { "mon", "tue", "wed", "thu",
					     "fri", "sat", "sun" };
	json_t *o = json_object();

	for (int d = 0; d < 7; d++) {
		json_t *l = json_array();

		for (int i = 0; i < w->n[d]; i++) {
			char s[48];

			snprintf(s, sizeof s, "%02d:%02d-%02d:%02d",
				 w->iv[d][i].start / 60, w->iv[d][i].start % 60,
				 w->iv[d][i].end / 60, w->iv[d][i].end % 60);
			json_array_append_new(l, json_string(s));
		}
		json_object_set_new(o, days[d], l);
	}
	return o;
}

static json_t *
dur_json(const struct duration *d)
{
	char s[48];

	if (d->unit == DUR_NONE)
		return json_null();
	policy_duration_format(s, sizeof s, d);
	return json_string(s);
}

static json_t *
policy_json(const struct policy *p)
{
	json_t *o = json_object(), *cals = json_object(), *pris = json_array(),
	       *plans = json_array(), *chans = json_array(), *cats = json_array(),
	       *req = json_array();

	json_object_set_new(o, "pack", json_string(p->id));
	json_object_set_new(o, "provider", json_pack("{s:s, s:s, s:s}",
		"name", p->provider.name, "short_name", p->provider.short_name,
		"email", p->provider.email));
	json_object_set_new(o, "folio", json_string(p->folio.format));
	for (size_t i = 0; i < p->ncalendars; i++) {
		const struct calendar_def *cd = &p->calendars[i];
		json_t *hol = json_array();

		for (size_t h = 0; h < cd->nholidays; h++) {
			struct civil_date dd = civil_from_days(cd->holidays[h].day);
			char s[16];

			snprintf(s, sizeof s, "%04d-%02d-%02d", dd.y, dd.m, dd.d);
			json_array_append_new(hol, json_string(s));
		}
		json_object_set_new(cals, cd->id, json_pack("{s:s, s:o, s:b, s:o}",
			"tz", cd->tz, "week", week_json(&cd->week),
			"mexican_holidays", cd->mexican_holidays,
			"holidays", hol));
	}
	json_object_set_new(o, "calendars", cals);
	for (size_t i = 0; i < p->npriorities; i++) {
		const struct priority_def *pr = &p->priorities[i];

		json_array_append_new(pris, json_pack("{s:s, s:s, s:o, s:o, s:b}",
			"id", pr->id, "name", pr->name.es,
			"first_response", dur_json(&pr->first_response),
			"resolution", dur_json(&pr->resolution),
			"default", pr->is_default));
	}
	json_object_set_new(o, "priorities", pris);
	for (size_t i = 0; i < p->nplans; i++) {
		const struct plan_def *pl = &p->plans[i];
		json_t *hours = json_array(), *terms = json_array();

		for (int h = 0; h < pl->nhours; h++)
			json_array_append_new(hours, json_integer(pl->hours[h]));
		for (int t = 0; t < pl->nterm; t++)
			json_array_append_new(terms, dur_json(&pl->term[t]));
		json_array_append_new(plans, json_pack(
			"{s:s, s:s, s:s, s:o, s:o, s:i, s:i, s:i}",
			"id", pl->id, "name", pl->name.es,
			"kind", policy_plan_kind_name(pl->kind),
			"hours", hours, "term", terms, "rank", pl->rank,
			"rounding_minutes", pl->billing.rounding_minutes,
			"minimum_minutes", pl->billing.minimum_minutes));
	}
	json_object_set_new(o, "plans", plans);
	for (int ch = 0; ch < CH_COUNT; ch++)
		if (p->channels & (1u << ch))
			json_array_append_new(chans, json_string(
				policy_channel_name((enum channel)ch)));
	json_object_set_new(o, "channels", chans);
	for (size_t i = 0; i < p->ncategories; i++)
		json_array_append_new(cats, json_pack("{s:s, s:s, s:b}",
			"id", p->categories[i].id, "name",
			p->categories[i].name.es, "out_of_scope",
			p->categories[i].out_of_scope));
	json_object_set_new(o, "categories", cats);
	for (int f = 0; f < RF_COUNT; f++)
		if (p->required & (1u << f))
			json_array_append_new(req, json_string(
				policy_field_name((enum req_field)f)));
	json_object_set_new(o, "required_fields", req);
	json_object_set_new(o, "windows", json_pack("{s:o, s:o, s:o, s:o}",
		"reopen", dur_json(&p->windows.reopen),
		"auto_accept", dur_json(&p->windows.auto_accept),
		"auto_close_resolved", dur_json(&p->windows.auto_close_resolved),
		"auto_close_waiting", dur_json(&p->windows.auto_close_waiting)));
	return o;
}

static void
print_policy_text(const struct policy *p)
{
	char s[48];

	printf("%s — %s <%s>\n", p->id, p->provider.name, p->provider.email);
	printf("folio: %s\n", p->folio.format);
	printf("priorities:\n");
	for (size_t i = 0; i < p->npriorities; i++) {
		const struct priority_def *pr = &p->priorities[i];
		char r[48];

		policy_duration_format(s, sizeof s, &pr->first_response);
		policy_duration_format(r, sizeof r, &pr->resolution);
		printf("  %-10s %-22s response %-20s resolution %s%s\n",
		       pr->id, pr->name.es, s, r,
		       pr->is_default ? "  (default)" : "");
	}
	printf("plans:\n");
	for (size_t i = 0; i < p->nplans; i++) {
		const struct plan_def *pl = &p->plans[i];

		printf("  %-17s %-10s rank %-3d rounding %d min", pl->id,
		       policy_plan_kind_name(pl->kind), pl->rank,
		       pl->billing.rounding_minutes);
		if (pl->nhours)
			printf(", %d h", pl->hours[0]);
		if (pl->nterm) {
			policy_duration_format(s, sizeof s, &pl->term[0]);
			printf(", %s", s);
		}
		printf("\n");
	}
}

static int
policy_show(struct cli *c, int argc, char **argv)
{
	struct policy_report r;
	struct policy *p = NULL;
	char path[4096];
	int rc;

	if (argc != 3)
		return cli_usage(policy_usage, "policy show needs one ID or FILE");
	if (strchr(argv[2], '/') || strstr(argv[2], ".yaml"))
		snprintf(path, sizeof path, "%s", argv[2]);
	else
		snprintf(path, sizeof path, "%s/%s.yaml", cli_policies_dir(c),
			 argv[2]);
	policy_report_init(&r);
	rc = load_path(path, &p, &r);
	if (rc) {
		fputs(r.text.ptr, stderr);
		policy_report_free(&r);
		return rc == SP_EIO ? EX_NOINPUT : EX_DATAERR;
	}
	policy_report_free(&r);
	if (c->json)
		cli_print_json(policy_json(p));
	else
		print_policy_text(p);
	policy_free(p);
	return 0;
}

static int
policy_reload(struct cli *c)
{
	struct policy_report r;
	struct sp_err err = { 0 };
	struct app *app;
	int rc;

	if ((rc = cli_open(c, &app)))
		return rc;
	policy_report_init(&r);
	rc = app_pack_reload(app, cli_policies_dir(c), c->now, &r, &err);
	if (rc) {
		fputs(r.text.ptr, stderr);
		policy_report_free(&r);
		app_close(app);
		return cli_fail(&err);
	}
	printf("provider '%s' now runs the pack in %s/%s.yaml\n",
	       app->policy->id, cli_policies_dir(c), app->policy->id);
	policy_report_free(&r);
	app_close(app);
	return 0;
}

int
cli_policy(struct cli *c, int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0) {
		fputs(policy_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? EX_USAGE : 0;
	}
	if (cli_wants_help(argc, argv)) {
		fputs(policy_usage, stdout);
		return 0;
	}
	if (strcmp(argv[1], "check") == 0)
		return policy_check(argc, argv);
	if (strcmp(argv[1], "show") == 0)
		return policy_show(c, argc, argv);
	if (strcmp(argv[1], "reload") == 0)
		return policy_reload(c);
	return cli_usage(policy_usage, "unknown policy command '%s'", argv[1]);
}
