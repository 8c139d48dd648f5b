/* cmd_report.c — soporte report sla. */
#include "cli.h"

#include "../util/civil.h"
#include "../util/str.h"
#include "../zone/zone.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

static const char report_usage[] =
	"usage: soporte report sla --from DATE --to DATE [--pack ID] [--csv|--json]\n"
	"       soporte report hours [--expiring DAYS] [--pack ID] [--csv|--json]\n"
	"hours: per contract, hours consumed and left, and the contracts whose\n"
	"term ends within DAYS (default 30) (REP-2).\n"
	"SLA compliance (SLA-6, REP-1) of the tickets created from DATE to DATE\n"
	"(both included, in the provider's zone), per priority and agent: how\n"
	"many met, breached or are still running, and the business minutes\n"
	"used by the clocks that stopped (average and longest).\n";

static void
pct(char out[16], const struct sla_figures *f)
{
	int done = f->met + f->breached;

	if (done == 0)
		snprintf(out, 16, "-");
	else
		snprintf(out, 16, "%d%%", (f->met * 100 + done / 2) / done);
}

static long long
avg(const struct sla_figures *f)
{
	return f->stopped ? (long long)(f->total_minutes / f->stopped) : 0;
}

/* printf's widths count bytes; names are UTF-8. */
static void
pad(const char *s, int width)
{
	int cols = 0;

	for (const char *p = s; *p && cols < width; p++) {
		putchar(*p);
		if (((unsigned char)p[1] & 0xc0) != 0x80)
			cols++;
	}
	for (; cols < width; cols++)
		putchar(' ');
}

static int
parse_day(struct app *app, const char *s, int64_t *out, bool end)
{
	struct civil_date d;

	if (s == NULL || civil_parse_date(&d, s))
		return -1;
	*out = zone_from_local(app->zone, (civil_days(d.y, d.m, d.d) + end) *
					  86400);
	return 0;
}

static void
csv_field(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"')
			putchar('"');
		putchar(*s);
	}
	putchar('"');
}

/* REP-2: hours consumed and left per contract; those expiring soon. */
static int
report_hours(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "expiring", required_argument, NULL, 'e' },
		{ "pack", required_argument, NULL, 'p' },
		{ "csv", no_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct hours_report_row *rows;
	struct sp_err err = { 0 };
	struct app *app;
	struct arena a;
	int64_t days = 30;
	bool csv = false;
	json_t *l;
	size_t n;
	int ch, rc;

	optind = 0;
	while ((ch = getopt_long(argc - 1, argv + 1, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'e':
			if (str_to_i64(&days, optarg, 0,
				       APP_REPORT_EXPIRING_MAX))
				return cli_usage(report_usage, "--expiring "
						 "takes a number of days");
			break;
		case 'p': c->provider = optarg; break;
		case 'c': csv = true; break;
		case 'j': c->json = true; break;
		default: return cli_usage(report_usage, "bad option");
		}
	}
	if ((rc = cli_open(c, &app)))
		return rc;
	arena_init(&a, 0);
	if (app_report_hours(app, &a, &rows, &n, &c->who, NULL, (int)days,
			     c->now, &err)) {
		arena_free(&a);
		app_close(app);
		return cli_fail(&err);
	}
	if (csv)
		printf("contract,organization,plan,state,bank_minutes,"
		       "consumed_minutes,left_minutes,ends_at,expiring\n");
	else if (!c->json)
		printf("%-22s %-24s %-16s %-10s %7s %7s %7s  %-10s\n", "CONTRACT",
		       "CUSTOMER", "PLAN", "STATE", "HOURS", "USED", "LEFT",
		       "ENDS");
	l = json_array();
	for (size_t i = 0; i < n; i++) {
		const struct hours_report_row *r = &rows[i];
		const struct contract_status *s = &r->s;
		char end[32];

		cli_time(app, s->c.ends_at, end);
		if (c->json) {
			json_array_append_new(l, app_hours_row_json(app, r));
		} else if (csv) {
			csv_field(s->c.number);
			putchar(',');
			csv_field(r->organization);
			printf(",%s,%s,%lld,%lld,%lld,%s,%s\n", s->c.plan,
			       s->c.state, (long long)s->c.bank_minutes,
			       (long long)s->consumed, (long long)r->left, end,
			       r->expiring ? "yes" : "no");
		} else {
			printf("%-22s ", s->c.number);
			pad(r->organization, 24);
			printf(" %-16s %-10s %4lld:%02lld %4lld:%02lld "
			       "%4lld:%02lld  %.10s%s\n", s->c.plan, s->c.state,
			       (long long)(s->c.bank_minutes / 60),
			       (long long)(s->c.bank_minutes % 60),
			       (long long)(s->consumed / 60),
			       (long long)(s->consumed % 60),
			       (long long)(s->balance / 60),
			       (long long)(s->balance % 60), end,
			       r->expiring ? "  expiring soon" : "");
		}
	}
	if (c->json)
		cli_print_json(json_pack("{s:s, s:I, s:o}", "provider",
					 app->policy->id, "expiring_days",
					 (json_int_t)days, "contracts", l));
	else
		json_decref(l);
	arena_free(&a);
	app_close(app);
	return 0;
}

int
cli_report(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "pack", required_argument, NULL, 'p' },
		{ "csv", no_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *from_s = NULL, *to_s = NULL;
	bool csv = false;
	struct sla_report_row *rows;
	struct sp_err err = { 0 };
	struct app *app;
	struct arena a;
	int64_t from, to;
	size_t n;
	int ch, rc;

	if (argc < 2 || cli_wants_help(argc, argv)) {
		fputs(report_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? EX_USAGE : 0;
	}
	if (strcmp(c->who.kind, "contact") == 0)
		return cli_usage(report_usage, "reports are the provider's; a "
				 "customer sees its contracts with 'contract "
				 "list'");
	if (strcmp(argv[1], "hours") == 0)
		return report_hours(c, argc, argv);
	if (strcmp(argv[1], "sla") != 0)
		return cli_usage(report_usage, "unknown report '%s'", argv[1]);
	optind = 0;
	while ((ch = getopt_long(argc - 1, argv + 1, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'f': from_s = optarg; break;
		case 't': to_s = optarg; break;
		case 'p': c->provider = optarg; break;
		case 'c': csv = true; break;
		case 'j': c->json = true; break;
		default: return cli_usage(report_usage, "bad option");
		}
	}
	if ((rc = cli_open(c, &app)))
		return rc;
	if (parse_day(app, from_s, &from, false) ||
	    parse_day(app, to_s, &to, true)) {
		app_close(app);
		return cli_usage(report_usage, "--from and --to take dates "
				 "YYYY-MM-DD");
	}
	arena_init(&a, 0);
	if (app_report_sla(app, &a, &rows, &n, from, to, c->now, &err)) {
		arena_free(&a);
		app_close(app);
		return cli_fail(&err);
	}
	if (c->json) {
		json_t *l = json_array();

		for (size_t i = 0; i < n; i++)
			json_array_append_new(l, json_pack(
				"{s:s, s:s, s:i, s:o, s:o}", "priority",
				rows[i].priority, "agent", rows[i].agent,
				"tickets", rows[i].tickets, "first_response",
				app_sla_figures_json(&rows[i].first_response),
				"resolution",
				app_sla_figures_json(&rows[i].resolution)));
		cli_print_json(json_pack("{s:s, s:s, s:s, s:o}", "provider",
					 app->policy->id, "from", from_s, "to",
					 to_s, "rows", l));
	} else if (csv) {
		printf("priority,agent,tickets,fr_met,fr_breached,fr_running,"
		       "fr_avg_minutes,fr_max_minutes,res_met,res_breached,"
		       "res_running,res_avg_minutes,res_max_minutes\n");
		for (size_t i = 0; i < n; i++) {
			const struct sla_figures *f = &rows[i].first_response,
						 *r = &rows[i].resolution;

			csv_field(rows[i].priority);
			putchar(',');
			csv_field(rows[i].agent);
			printf(",%d,%d,%d,%d,%lld,%lld,%d,%d,%d,%lld,%lld\n",
			       rows[i].tickets, f->met, f->breached, f->running,
			       avg(f), (long long)f->max_minutes, r->met,
			       r->breached, r->running, avg(r),
			       (long long)r->max_minutes);
		}
	} else {
		printf("SLA compliance, %s, %s to %s (business minutes)\n\n",
		       app->policy->provider.short_name, from_s, to_s);
		printf("%-10s %-22s %7s | %-26s | %-26s\n", "", "", "",
		       "first response", "resolution");
		printf("%-10s %-22s %7s | %4s %4s %4s %5s %5s | %4s %4s %4s %5s %5s\n",
		       "priority", "agent", "tickets", "met", "miss", "run",
		       "in %", "avg", "met", "miss", "run", "in %", "avg");
		for (size_t i = 0; i < n; i++) {
			const struct sla_figures *f = &rows[i].first_response,
						 *r = &rows[i].resolution;
			char p1[16], p2[16];

			pct(p1, f);
			pct(p2, r);
			printf("%-10s ", rows[i].priority);
			pad(strcmp(rows[i].agent, "*") == 0 ? "(all)" :
			    rows[i].agent, 22);
			printf(" %7d | %4d %4d %4d %5s %5lld | "
			       "%4d %4d %4d %5s %5lld\n", rows[i].tickets, f->met,
			       f->breached, f->running, p1, avg(f), r->met,
			       r->breached, r->running, p2, avg(r));
		}
	}
	arena_free(&a);
	app_close(app);
	return 0;
}
