/* test_policy.c — core/policy: policy packs (docs/policy-packs.md).
 * policy_tests parse small packs written inline; policy_pack_tests load
 * the real packs in $SOPORTE_POLICIES and expect no problem at all. */
#include "test.h"

#include "../src/core/lifecycle.h"
#include "../src/core/policy.h"
#include "../src/util/civil.h"
#include "../src/util/err.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>

/* A small pack that exercises every kind of value. Two calendars and two
 * after-hours windows, so references must resolve to index 1, not to a
 * default 0. */
static const char mini[] =
	"pack: mini\n"
	"format: 1\n"
	"provider:\n"
	"  name: \"Mini Soporte, S.A. de C.V.\"\n"
	"  short_name: \"Mini\"\n"
	"  email: \"soporte@mini.example\"\n"
	"  phones: [\"+52 55 1234 5678\"]\n"
	"  locale: es-MX\n"
	"folio:\n"
	"  format: \"MIN-{yyyy}-{seq:5}\"\n"
	"  reset: yearly\n"
	"calendars:\n"
	"  tijuana:\n"
	"    tz: America/Tijuana\n"
	"    week:\n"
	"      mon: [\"08:00-17:00\"]\n"
	"  office:\n"
	"    tz: America/Mexico_City\n"
	"    mexican_holidays: true\n"
	"    week:\n"
	"      mon: [\"09:00-14:00\", \"16:00-19:00\"]\n"
	"      tue: [\"09:00-18:00\"]\n"
	"      fri: [\"09:00-24:00\"]\n"
	"      sat: []\n"
	"    holidays:\n"
	"      - {date: 2026-12-12, name: \"Virgen de Guadalupe\"}\n"
	"      - 2026-12-24\n"
	"    exceptions:\n"
	"      - {date: 2026-12-26, hours: [\"10:00-13:00\"], name: \"Sábado especial\"}\n"
	"after_hours:\n"
	"  weekend:\n"
	"    week:\n"
	"      sat: [\"09:00-12:00\"]\n"
	"  evenings:\n"
	"    name: {es: \"Noches\", en: \"Evenings\"}\n"
	"    week:\n"
	"      mon: [\"18:00-24:00\"]\n"
	"priorities:\n"
	"  - id: high\n"
	"    name: {es: \"Alta\", en: \"High\"}\n"
	"    first_response: \"1 business_hours\"\n"
	"  - id: low\n"
	"    name: \"Baja\"\n"
	"    first_response: \"12 business_hours\"\n"
	"    resolution: \"3 business_days\"\n"
	"    default: true\n"
	"sla:\n"
	"  calendar: office\n"
	"  pause_on: [waiting_customer, scheduled]\n"
	"  warn_at: [50, 80]\n"
	"  escalation:\n"
	"    ladder: [agent, quality_lead, operations_manager]\n"
	"    on_breach: true\n"
	"  queue_order: [plan_rank, due, created]\n"
	"plans:\n"
	"  - id: evento\n"
	"    name: \"Por evento\"\n"
	"    kind: per_event\n"
	"    term: \"1 events\"\n"
	"    rank: 0\n"
	"    billing:\n"
	"      rounding_minutes: 30\n"
	"      minimum_minutes: 30\n"
	"  - id: poliza\n"
	"    name: {es: \"Póliza\"}\n"
	"    kind: bank\n"
	"    hours: [5, 20]\n"
	"    term: \"6 months\"\n"
	"    rank: 1\n"
	"    price_centavos: 150000\n"
	"    targets:\n"
	"      low: {first_response: \"30 minutes\"}\n"
	"    billing:\n"
	"      rounding_minutes: 10\n"
	"      report_overhead_percent: 10\n"
	"      after_hours: {window: evenings, factor: 1.5}\n"
	"      modalities:\n"
	"        onsite_local: {minimum_minutes: 120, factor: \"4/3\", travel_expenses: true}\n"
	"windows:\n"
	"  reopen: \"3 business_days\"\n"
	"  reopen_free_minutes: 60\n"
	"  auto_accept: \"24 hours\"\n"
	"channels:\n"
	"  accepted: [email, web]\n"
	"  exceptions:\n"
	"    - {channel: phone, category: correo, note: \"Falla del correo\"}\n"
	"categories:\n"
	"  - id: soporte\n"
	"    name: \"Soporte\"\n"
	"  - id: correo\n"
	"    name: \"Correo\"\n"
	"    out_of_scope: false\n";

/* The pack with exactly one occurrence of `from` replaced by `to`; NULL
 * if `from` is not there exactly once (a broken test, reported). */
static char *
variant(const char *base, const char *from, const char *to)
{
	const char *at = strstr(base, from);
	size_t lb = strlen(base), lf = strlen(from), lt = strlen(to);
	char *s;

	if (at == NULL || strstr(at + 1, from) != NULL) {
		t_fail(__FILE__, __LINE__, "variant: '%s' is not in the pack "
		       "exactly once", from);
		return NULL;
	}
	s = malloc(lb - lf + lt + 1);
	if (s == NULL)
		return NULL;
	memcpy(s, base, (size_t)(at - base));
	memcpy(s + (at - base), to, lt);
	memcpy(s + (at - base) + lt, at + lf, lb - (size_t)(at - base) - lf + 1);
	return s;
}

/* Line and column (1-based, columns in characters as libyaml counts
 * them) of the first occurrence of `needle` in `text`. */
static bool
where(const char *text, const char *needle, int *line, int *col)
{
	const char *at = strstr(text, needle);

	if (at == NULL)
		return false;
	*line = 1;
	*col = 1;
	for (const char *p = text; p < at; p++) {
		if (*p == '\n') {
			++*line;
			*col = 1;
		} else if (((unsigned char)*p & 0xc0) != 0x80) {
			++*col;
		}
	}
	return true;
}

/* The report has a line "FILE:L:C: ..." holding `frag`, where L:C is the
 * position of `needle` in `text`, `skip` characters on. */
static bool
reported_at(const struct policy_report *r, const char *file, const char *text,
	    const char *needle, int skip, const char *frag)
{
	char head[160];
	int line, col;
	const char *p = r->text.ptr;

	if (!where(text, needle, &line, &col))
		return false;
	col += skip;
	snprintf(head, sizeof head, "%s:%d:%d: ", file, line, col);
	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);
		char one[1024];

		snprintf(one, sizeof one, "%.*s", (int)n, p);
		if (strncmp(one, head, strlen(head)) == 0 && strstr(one, frag))
			return true;
		p += n + (eol != NULL);
	}
	return false;
}

#define CHECK_PROBLEM_AT(rep, txt, ndl, skip, frag)                         \
	do {                                                                \
		if (!reported_at((rep), "mini.yaml", (txt), (ndl), (skip),  \
				 (frag))) {                                 \
			int l_ = 0, c_ = 0;                                 \
			where((txt), (ndl), &l_, &c_);                      \
			t_fail(__FILE__, __LINE__, "want mini.yaml:%d:%d: " \
			       "... \"%s\"; report:\n%s", l_, c_ + (skip),  \
			       (frag), (rep)->text.ptr);                   \
			goto out;                                           \
		}                                                           \
	} while (0)
#define CHECK_PROBLEM(rep, txt, ndl, frag)                                  \
	CHECK_PROBLEM_AT(rep, txt, ndl, 0, frag)

/* Parses a variant expecting failure; the caller checks the report. */
struct bad {
	char *text;
	struct policy_report r;
	struct policy *p;
	int rc;
};

static bool
parse_bad(struct bad *b, const char *from, const char *to)
{
	b->p = NULL;
	policy_report_init(&b->r);
	b->text = variant(mini, from, to);
	if (b->text == NULL)
		return false;
	b->rc = policy_parse(&b->p, b->text, strlen(b->text), "mini.yaml",
			     "mini", &b->r);
	if (b->rc != SP_EINVAL || b->p != NULL || b->r.count < 1) {
		t_fail(__FILE__, __LINE__, "'%s' -> '%s' was accepted (rc %d)",
		       from, to, b->rc);
		return false;
	}
	return true;
}

static void
bad_free(struct bad *b)
{
	free(b->text);
	policy_free(b->p);
	policy_report_free(&b->r);
}

/* ---- a valid pack ---------------------------------------------------- */

static void
minimal_pack_parses_and_fields_land(void)
{
	struct policy_report r;
	struct policy *p = NULL;
	const struct calendar_def *c;
	const struct plan_def *pl;

	policy_report_init(&r);
	CHECK_INT(policy_parse(&p, mini, strlen(mini), "mini.yaml", "mini", &r), 0);
	if (r.count)
		t_fail(__FILE__, __LINE__, "problems:\n%s", r.text.ptr);
	CHECK(p != NULL);
	CHECK_STR(p->id, "mini");
	CHECK_INT(p->format, 1);
	CHECK_STR(p->provider.name, "Mini Soporte, S.A. de C.V.");
	CHECK_STR(p->provider.locale, "es-MX");
	CHECK_INT(p->provider.nphones, 1);
	CHECK_STR(p->provider.phones[0], "+52 55 1234 5678");
	CHECK_STR(p->folio.format, "MIN-{yyyy}-{seq:5}");
	CHECK_INT(p->folio.reset, FOLIO_YEARLY);

	/* SLA-1: week intervals in minutes of the day. */
	CHECK_INT(p->ncalendars, 2);
	c = &p->calendars[1];
	CHECK_STR(c->id, "office");
	CHECK_STR(c->tz, "America/Mexico_City");
	CHECK(c->mexican_holidays);
	CHECK_INT(c->week.n[0], 2);
	CHECK_INT(c->week.iv[0][0].start, 9 * 60);
	CHECK_INT(c->week.iv[0][0].end, 14 * 60);
	CHECK_INT(c->week.iv[0][1].start, 16 * 60);
	CHECK_INT(c->week.iv[0][1].end, 19 * 60);
	CHECK_INT(c->week.n[1], 1);
	CHECK_INT(c->week.iv[1][0].end, 18 * 60);
	CHECK_INT(c->week.n[2], 0); /* wed missing: closed */
	CHECK_INT(c->week.n[4], 1);
	CHECK_INT(c->week.iv[4][0].end, 24 * 60);
	CHECK_INT(c->week.n[5], 0); /* sat: [] */
	CHECK_INT(c->nholidays, 2);
	CHECK_INT(c->holidays[0].day, civil_days(2026, 12, 12));
	CHECK_STR(c->holidays[0].name, "Virgen de Guadalupe");
	CHECK_INT(c->holidays[1].day, civil_days(2026, 12, 24));
	CHECK_INT(c->nexceptions, 1);
	CHECK_INT(c->exceptions[0].day, civil_days(2026, 12, 26));
	CHECK_INT(c->exceptions[0].n, 1);
	CHECK_INT(c->exceptions[0].iv[0].start, 10 * 60);
	CHECK_STR(c->exceptions[0].name, "Sábado especial");

	CHECK_INT(p->nafter_hours, 2);
	CHECK_STR(p->after_hours[1].id, "evenings");
	CHECK_STR(policy_text(&p->after_hours[1].name, "en"), "Evenings");
	CHECK_STR(policy_text(&p->after_hours[1].name, "es"), "Noches");
	CHECK_INT(p->after_hours[1].week.iv[0][0].start, 18 * 60);

	/* SLA-2: durations, bound to the SLA calendar. */
	CHECK_INT(p->npriorities, 2);
	CHECK_STR(p->priorities[0].id, "high");
	CHECK_INT(p->priorities[0].first_response.n, 1);
	CHECK_INT(p->priorities[0].first_response.unit, DUR_BUSINESS_HOURS);
	CHECK_INT(p->priorities[0].first_response.calendar, 1);
	CHECK_INT(p->priorities[0].resolution.unit, DUR_NONE);
	CHECK_INT(p->priorities[1].resolution.n, 3);
	CHECK_INT(p->priorities[1].resolution.unit, DUR_BUSINESS_DAYS);
	CHECK(!p->priorities[0].is_default);
	CHECK(p->priorities[1].is_default);
	CHECK(policy_default_priority(p) == &p->priorities[1]);
	CHECK_STR(policy_text(&p->priorities[1].name, "en"), "Baja"); /* falls back */
	CHECK_INT(policy_priority_index(p, "low"), 1);
	CHECK_INT(policy_priority_index(p, "urgent"), -1);

	/* SLA-3..5 */
	CHECK_INT(p->sla.calendar, 1);
	CHECK_INT(p->sla.pause_mask,
		  (1u << TS_WAITING_CUSTOMER) | (1u << TS_SCHEDULED));
	CHECK_INT(p->sla.nwarn, 2);
	CHECK_INT(p->sla.warn_at[1], 80);
	CHECK_INT(p->sla.nladder, 3);
	CHECK_INT(p->sla.ladder[2], ROLE_OPS_MANAGER);
	CHECK(p->sla.on_breach);
	CHECK_INT(p->sla.nqueue, 3);
	CHECK_INT(p->sla.queue[1], QKEY_DUE);

	/* PLAN, BILL */
	CHECK_INT(p->nplans, 2);
	CHECK_INT(policy_plan_index(p, "poliza"), 1);
	pl = &p->plans[1];
	CHECK_INT(pl->kind, PLAN_BANK);
	CHECK_INT(pl->nhours, 2);
	CHECK_INT(pl->hours[1], 20);
	CHECK_INT(pl->nterm, 1);
	CHECK_INT(pl->term[0].n, 6);
	CHECK_INT(pl->term[0].unit, DUR_MONTHS);
	CHECK_INT(pl->rank, 1);
	CHECK_INT(pl->price_centavos, 150000);
	CHECK_INT(p->plans[0].price_centavos, -1);
	CHECK_INT(p->plans[0].term[0].unit, DUR_EVENTS);
	CHECK_INT(p->plans[0].billing.minimum_minutes, 30);
	CHECK_INT(pl->ntargets, 1);
	CHECK_INT(pl->targets[0].priority, 1);
	CHECK_INT(pl->targets[0].first_response.n, 30);
	CHECK_INT(pl->targets[0].first_response.unit, DUR_MINUTES);
	CHECK_INT(pl->billing.rounding_minutes, 10);
	CHECK_INT(pl->billing.report_overhead_percent, 10);
	CHECK(pl->billing.warranty_free); /* default true */
	CHECK_INT(pl->billing.after_hours_window, 1);
	CHECK_INT(p->plans[0].billing.after_hours_window, -1);
	/* BILL-3: 1.5 is exactly 3/2; "4/3" is exactly 4/3. */
	CHECK(pl->billing.after_hours_factor.den > 0);
	CHECK_INT(pl->billing.after_hours_factor.num * 2,
		  pl->billing.after_hours_factor.den * 3);
	CHECK(pl->billing.modality[MOD_ONSITE_LOCAL].set);
	CHECK_INT(pl->billing.modality[MOD_ONSITE_LOCAL].factor.num, 4);
	CHECK_INT(pl->billing.modality[MOD_ONSITE_LOCAL].factor.den, 3);
	CHECK_INT(pl->billing.modality[MOD_ONSITE_LOCAL].minimum_minutes, 120);
	CHECK(pl->billing.modality[MOD_ONSITE_LOCAL].travel_expenses);
	CHECK(!pl->billing.modality[MOD_REMOTE].set);
	CHECK_INT(pl->billing.modality[MOD_REMOTE].factor.num, 1);
	CHECK_INT(pl->billing.modality[MOD_REMOTE].factor.den, 1);

	/* CLO-3, CLO-1 */
	CHECK_INT(p->windows.reopen.n, 3);
	CHECK_INT(p->windows.reopen.unit, DUR_BUSINESS_DAYS);
	CHECK_INT(p->windows.reopen.calendar, 1);
	CHECK_INT(p->windows.reopen_free_minutes, 60);
	CHECK_INT(p->windows.auto_accept.unit, DUR_HOURS);
	CHECK_INT(p->windows.warranty.unit, DUR_NONE);

	/* INT-2 */
	CHECK_INT(p->channels, (1u << CH_EMAIL) | (1u << CH_WEB));
	CHECK_INT(p->nchannel_exceptions, 1);
	CHECK_INT(p->channel_exceptions[0].channel, CH_PHONE);
	CHECK_INT(p->channel_exceptions[0].category, 1);
	CHECK_INT(p->ncategories, 2);
	CHECK_INT(policy_category_index(p, "correo"), 1);

	/* Defaults of optional sections. */
	CHECK_INT(p->billing.iva_percent, 16);
	CHECK(p->intake.ack);
	CHECK_INT(p->nproducts, 0);
	policy_free(p);
	policy_report_free(&r);
}

static void
minimal_pack_without_expected_id_parses(void)
{
	struct policy_report r;
	struct policy *p = NULL;

	policy_report_init(&r);
	CHECK_INT(policy_parse(&p, mini, strlen(mini), "x.yaml", NULL, &r), 0);
	CHECK_INT(r.count, 0);
	CHECK_STR(p->id, "mini");
	policy_free(p);
	policy_report_free(&r);
}

/* BILL-3: factors are exact ratios, decimals up to 4 places. */
static void
bill3_factors_are_exact_ratios(void)
{
	static const struct {
		const char *text;
		int64_t num, den;
	} ok[] = {
		{ "1.5", 3, 2 }, { "\"4/3\"", 4, 3 }, { "2", 2, 1 },
		{ "1.3333", 13333, 10000 }, { "0.5", 1, 2 }, { "10", 10, 1 },
		{ "\"10/1\"", 10, 1 },
	};

	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		char to[64];
		char *text;
		struct policy_report r;
		struct policy *p = NULL;
		const struct ratio *f;

		snprintf(to, sizeof to, "factor: %s}", ok[i].text);
		text = variant(mini, "factor: 1.5}", to);
		CHECK(text != NULL);
		policy_report_init(&r);
		if (policy_parse(&p, text, strlen(text), "mini.yaml", "mini",
				 &r) != 0) {
			t_fail(__FILE__, __LINE__, "factor %s refused:\n%s",
			       ok[i].text, r.text.ptr);
		} else {
			f = &p->plans[1].billing.after_hours_factor;
			if (f->den <= 0 || f->num * ok[i].den != f->den * ok[i].num)
				t_fail(__FILE__, __LINE__, "factor %s = %lld/%lld",
				       ok[i].text, (long long)f->num,
				       (long long)f->den);
		}
		policy_free(p);
		policy_report_free(&r);
		free(text);
	}
}

static void
bill3_bad_factors_are_refused(void)
{
	static const char *const bad[] = {
		"0", "0.0", "-1.5", "10.5", "\"21/2\"", "1.23456", "\"4/0\"",
		"\"/3\"", "\"1/2/3\"", "x", "\"1.5x\"", "\".5\"", "\"1.\"",
	};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char to[64];
		struct bad b;

		snprintf(to, sizeof to, "factor: %s}", bad[i]);
		if (!parse_bad(&b, "factor: 1.5}", to)) {
			bad_free(&b);
			t_fail(__FILE__, __LINE__, "factor %s", bad[i]);
			continue;
		}
		if (!reported_at(&b.r, "mini.yaml", b.text, to, 8, "factor"))
			t_fail(__FILE__, __LINE__, "factor %s: report:\n%s",
			       bad[i], b.r.text.ptr);
		bad_free(&b);
	}
}

/* ---- each kind of mistake, with its place --------------------------- */

static void
unknown_key_suggests_the_closest(void)
{
	struct bad b;

	if (!parse_bad(&b, "  short_name:", "  shortname:"))
		goto out;
	CHECK_PROBLEM(&b.r, b.text, "shortname:",
		      "unknown key 'shortname' in provider (did you mean "
		      "'short_name'?)");
	bad_free(&b);
	if (!parse_bad(&b, "priorities:\n  - id: high\n",
		       "priorities:\n  - id: high\n    resolutoin: \"2 days\"\n"))
		goto out;
	CHECK_PROBLEM(&b.r, b.text, "resolutoin", "did you mean 'resolution'");
	bad_free(&b);
	/* Far from every key: no guess, still refused. */
	if (!parse_bad(&b, "format: 1\n", "format: 1\nzzzzzzzz: 2\n"))
		goto out;
	CHECK_PROBLEM(&b.r, b.text, "zzzzzzzz", "unknown key 'zzzzzzzz'");
	CHECK(strstr(b.r.text.ptr, "did you mean") == NULL);
out:
	bad_free(&b);
}

static void
missing_required_key_is_reported_on_its_map(void)
{
	struct bad b;

	if (!parse_bad(&b, "  email: \"soporte@mini.example\"\n", ""))
		goto out;
	CHECK_PROBLEM(&b.r, b.text, "name: \"Mini",
		      "provider is missing required key 'email'");
	CHECK_INT(b.r.count, 1);
	bad_free(&b);
	if (!parse_bad(&b, "      rounding_minutes: 10\n", ""))
		goto out;
	CHECK_PROBLEM(&b.r, b.text, "report_overhead_percent",
		      "missing required key 'rounding_minutes'");
	bad_free(&b);
	/* A required top-level section. */
	if (!parse_bad(&b, "channels:\n  accepted: [email, web]\n  exceptions:\n"
		       "    - {channel: phone, category: correo, note: \"Falla del correo\"}\n",
		       ""))
		goto out;
	CHECK_PROBLEM(&b.r, b.text, "pack: mini", "missing required key 'channels'");
out:
	bad_free(&b);
}

static void
wrong_type_is_reported_at_the_value(void)
{
	struct bad b;

	if (!parse_bad(&b, "    rank: 1\n", "    rank: [1]\n"))
		goto out;
	CHECK_PROBLEM(&b.r, b.text, "[1]", "rank must be a value, not a list");
	bad_free(&b);
	if (!parse_bad(&b, "    rank: 1\n", "    rank: uno\n"))
		goto out;
	CHECK_PROBLEM(&b.r, b.text, "uno", "rank must be a whole number");
	bad_free(&b);
	if (!parse_bad(&b, "    mexican_holidays: true\n",
		       "    mexican_holidays: si\n"))
		goto out;
	CHECK_PROBLEM(&b.r, b.text, "si\n", "must be true or false");
	bad_free(&b);
	if (!parse_bad(&b, "  accepted: [email, web]", "  accepted: email"))
		goto out;
	CHECK_PROBLEM(&b.r, b.text, "email\n", "channels.accepted must be a list");
	bad_free(&b);
	if (!parse_bad(&b, "  accepted: [email, web]", "  accepted: [email, fax]"))
		goto out;
	CHECK_PROBLEM(&b.r, b.text, "fax", "'fax' is not one of: email, web");
	bad_free(&b);
	if (!parse_bad(&b, "format: 1\n", "format: 2\n"))
		goto out;
	CHECK_PROBLEM(&b.r, b.text, "2\n", "format must be a whole number from 1 to 1");
out:
	bad_free(&b);
}

/* SLA-1 */
static void
sla1_interval_ending_before_start_is_refused(void)
{
	struct bad b;

	if (!parse_bad(&b, "tue: [\"09:00-18:00\"]", "tue: [\"14:00-09:00\"]"))
		goto out;
	CHECK_PROBLEM(&b.r, b.text, "\"14:00-09:00\"",
		      "interval '14:00-09:00' ends before it starts");
	bad_free(&b);
	if (!parse_bad(&b, "tue: [\"09:00-18:00\"]", "tue: [\"09:00-18:60\"]"))
		goto out;
	CHECK_PROBLEM(&b.r, b.text, "\"09:00-18:60\"", "not HH:MM");
	bad_free(&b);
	if (!parse_bad(&b, "tue: [\"09:00-18:00\"]", "tue: [\"9-18\"]"))
		goto out;
	CHECK_PROBLEM(&b.r, b.text, "\"9-18\"", "HH:MM-HH:MM");
	bad_free(&b);
	if (!parse_bad(&b, "tue: [\"09:00-18:00\"]", "tue: [\"24:00-24:00\"]"))
		goto out;
	CHECK_PROBLEM(&b.r, b.text, "\"24:00-24:00\"", "interval");
out:
	bad_free(&b);
}

/* SLA-1 */
static void
sla1_overlapping_intervals_are_refused(void)
{
	struct bad b;

	if (!parse_bad(&b, "tue: [\"09:00-18:00\"]",
		       "tue: [\"09:00-14:00\", \"13:00-18:00\"]"))
		goto out;
	CHECK_PROBLEM(&b.r, b.text, "\"13:00-18:00\"", "overlaps");
	bad_free(&b);
	/* Out of order counts too. */
	if (!parse_bad(&b, "tue: [\"09:00-18:00\"]",
		       "tue: [\"16:00-18:00\", \"09:00-14:00\"]"))
		goto out;
	CHECK_PROBLEM(&b.r, b.text, "\"09:00-14:00\"]", "in order");
out:
	bad_free(&b);
}

static void
sla1_adjacent_intervals_are_fine(void)
{
	char *text = variant(mini, "tue: [\"09:00-18:00\"]",
			     "tue: [\"09:00-14:00\", \"14:00-18:00\"]");
	struct policy_report r;
	struct policy *p = NULL;

	CHECK(text != NULL);
	policy_report_init(&r);
	CHECK_INT(policy_parse(&p, text, strlen(text), "mini.yaml", "mini", &r), 0);
	CHECK_INT(p->calendars[1].week.n[1], 2);
	policy_free(p);
	policy_report_free(&r);
	free(text);
}

/* SLA-1 */
static void
sla1_unknown_time_zone_is_refused(void)
{
	struct bad b;

	if (!parse_bad(&b, "tz: America/Mexico_City", "tz: Mars/Olympus"))
		goto out;
	CHECK_PROBLEM(&b.r, b.text, "Mars/Olympus",
		      "unknown time zone 'Mars/Olympus'");
	CHECK_INT(b.r.count, 1);
out:
	bad_free(&b);
}

static void
duration_unit_must_suit_its_key(void)
{
	struct bad b;

	if (!parse_bad(&b, "term: \"6 months\"", "term: \"6 business_hours\""))
		goto out;
	CHECK_PROBLEM(&b.r, b.text, "\"6 business_hours\"",
		      "term cannot be counted in business_hours; use one of: "
		      "months, events");
	bad_free(&b);
	if (!parse_bad(&b, "first_response: \"1 business_hours\"",
		       "first_response: \"1 months\""))
		goto out;
	CHECK_PROBLEM(&b.r, b.text, "\"1 months\"",
		      "first_response cannot be counted in months");
	bad_free(&b);
	if (!parse_bad(&b, "reopen: \"3 business_days\"",
		       "reopen: \"3 fortnights\""))
		goto out;
	CHECK_PROBLEM(&b.r, b.text, "\"3 fortnights\"",
		      "must be a number and a unit");
	bad_free(&b);
	if (!parse_bad(&b, "reopen: \"3 business_days\"",
		       "reopen: \"-3 business_days\""))
		goto out;
	CHECK_PROBLEM(&b.r, b.text, "\"-3 business_days\"",
		      "must be a number and a unit");
out:
	bad_free(&b);
}

/* BILL-4 */
static void
bill4_plan_naming_missing_after_hours_window_is_refused(void)
{
	struct bad b;

	if (!parse_bad(&b, "window: evenings", "window: nights"))
		goto out;
	CHECK_PROBLEM(&b.r, b.text, "nights",
		      "no after_hours 'nights' is defined in this pack");
	CHECK_INT(b.r.count, 1);
out:
	bad_free(&b);
}

static void
other_unknown_references_are_refused(void)
{
	struct bad b;

	if (!parse_bad(&b, "  calendar: office", "  calendar: oficina"))
		goto out;
	CHECK_PROBLEM(&b.r, b.text, "oficina", "no calendar 'oficina'");
	bad_free(&b);
	if (!parse_bad(&b, "      low: {first_response",
		       "      urgent: {first_response"))
		goto out;
	CHECK_PROBLEM(&b.r, b.text, "urgent", "no priority 'urgent'");
	bad_free(&b);
	if (!parse_bad(&b, "category: correo,", "category: email,"))
		goto out;
	CHECK_PROBLEM(&b.r, b.text, "email, note", "no category 'email'");
out:
	bad_free(&b);
}

/* SLA-2 */
static void
sla2_two_default_priorities_are_refused(void)
{
	struct bad b;

	if (!parse_bad(&b, "    first_response: \"1 business_hours\"\n",
		       "    first_response: \"1 business_hours\"\n"
		       "    default: true\n"))
		goto out;
	CHECK_PROBLEM(&b.r, b.text, "- id: high",
		      "exactly one priority must be 'default: true' (found 2)");
	bad_free(&b);
	if (!parse_bad(&b, "    default: true\n", ""))
		goto out;
	CHECK_PROBLEM(&b.r, b.text, "- id: high", "(found 0)");
out:
	bad_free(&b);
}

static void
duplicate_ids_are_refused(void)
{
	struct bad b;

	if (!parse_bad(&b, "  - id: low\n", "  - id: high\n"))
		goto out;
	CHECK_PROBLEM(&b.r, b.text, "high\n    name: \"Baja\"",
		      "priority 'high' is defined twice");
out:
	bad_free(&b);
}

static void
pack_id_must_match_the_file_name(void)
{
	struct bad b;

	if (!parse_bad(&b, "pack: mini", "pack: otro"))
		goto out;
	CHECK_PROBLEM(&b.r, b.text, "otro",
		      "pack id 'otro' does not match the file name 'mini'");
	CHECK_INT(b.r.count, 1);
	bad_free(&b);
	if (!parse_bad(&b, "pack: mini", "pack: Mini"))
		goto out;
	CHECK_PROBLEM(&b.r, b.text, "Mini\n", "is not an id");
out:
	bad_free(&b);
}

/* INT-1 */
static void
int1_folio_format_needs_seq_once(void)
{
	struct bad b;

	if (!parse_bad(&b, "\"MIN-{yyyy}-{seq:5}\"", "\"MIN-{yyyy}-0001\""))
		goto out;
	CHECK_PROBLEM(&b.r, b.text, "\"MIN-{yyyy}-0001\"",
		      "folio.format needs {seq:N} exactly once");
	bad_free(&b);
	if (!parse_bad(&b, "\"MIN-{yyyy}-{seq:5}\"",
		       "\"MIN-{seq:3}-{seq:5}-{yyyy}\""))
		goto out;
	CHECK_PROBLEM(&b.r, b.text, "\"MIN-{seq:3}", "exactly once");
	bad_free(&b);
	if (!parse_bad(&b, "\"MIN-{yyyy}-{seq:5}\"", "\"MIN-{yyyy}-{seq:2}\""))
		goto out;
	CHECK_PROBLEM(&b.r, b.text, "\"MIN-{yyyy}-{seq:2}\"", "N from 3 to 9");
	bad_free(&b);
	if (!parse_bad(&b, "\"MIN-{yyyy}-{seq:5}\"", "\"min-{yyyy}-{seq:5}\""))
		goto out;
	CHECK_PROBLEM(&b.r, b.text, "\"min-", "may hold only A-Z");
	bad_free(&b);
	/* A yearly reset without the year would repeat numbers. */
	if (!parse_bad(&b, "\"MIN-{yyyy}-{seq:5}\"", "\"MIN-{seq:5}\""))
		goto out;
	CHECK_PROBLEM(&b.r, b.text, "\"MIN-{seq:5}\"", "yearly needs {yyyy}");
	bad_free(&b);
	if (!parse_bad(&b, "  reset: yearly", "  reset: monthly"))
		goto out;
	CHECK_PROBLEM(&b.r, b.text, "\"MIN-{yyyy}", "monthly needs {mm}");
out:
	bad_free(&b);
}

static void
invalid_utf8_is_refused(void)
{
	struct bad b;

	if (!parse_bad(&b, "name: \"Baja\"", "name: \"Baj\xe1\""))
		goto out;
	CHECK_PROBLEM(&b.r, b.text, "\xe1\"", "not valid UTF-8");
	CHECK_INT(b.r.count, 1);
	bad_free(&b);
	/* An overlong encoding is as bad as a stray byte. */
	if (!parse_bad(&b, "name: \"Soporte\"", "name: \"Sop\xc0\xafrte\""))
		goto out;
	CHECK_PROBLEM(&b.r, b.text, "\xc0\xaf", "not valid UTF-8");
out:
	bad_free(&b);
}

static void
yaml_syntax_error_carries_line_and_column(void)
{
	struct bad b;

	if (!parse_bad(&b, "  accepted: [email, web]\n",
		       "  accepted: [email, web\n"))
		goto out;
	/* libyaml notices the missing ']' at the next line's ':'. */
	CHECK_PROBLEM_AT(&b.r, b.text, "  exceptions:\n    - {channel", 12,
			 "flow sequence");
	CHECK_INT(b.r.count, 1);
	bad_free(&b);
	if (!parse_bad(&b, "  reset: yearly\n", "  reset: yearly\n   oops: 1\n"))
		goto out;
	CHECK_PROBLEM_AT(&b.r, b.text, "oops: 1", 4,
			 "mapping values are not allowed");
	bad_free(&b);
	/* Duplicate keys are a parse error too, naming both lines. */
	if (!parse_bad(&b, "format: 1\n", "format: 1\npack: mini\n"))
		goto out;
	CHECK_PROBLEM(&b.r, b.text, "pack: mini\nprovider",
		      "key 'pack' appears twice (first at line 1)");
out:
	bad_free(&b);
}

static void
several_problems_are_all_reported(void)
{
	char *t1 = NULL, *t2 = NULL, *t3 = NULL;
	struct policy_report r;
	struct policy *p = NULL;

	policy_report_init(&r);
	t1 = variant(mini, "  short_name:", "  shortname:");
	t2 = t1 ? variant(t1, "tue: [\"09:00-18:00\"]", "tue: [\"14:00-09:00\"]") : NULL;
	t3 = t2 ? variant(t2, "window: evenings", "window: nights") : NULL;
	CHECK(t3 != NULL);
	CHECK_INT(policy_parse(&p, t3, strlen(t3), "mini.yaml", "mini", &r),
		  SP_EINVAL);
	CHECK(p == NULL);
	/* unknown key + the missing short_name + interval + reference */
	CHECK_INT(r.count, 4);
	CHECK_PROBLEM(&r, t3, "shortname", "did you mean 'short_name'");
	CHECK_PROBLEM(&r, t3, "name: \"Mini", "missing required key 'short_name'");
	CHECK_PROBLEM(&r, t3, "\"14:00-09:00\"", "ends before it starts");
	CHECK_PROBLEM(&r, t3, "nights", "no after_hours 'nights'");
	{
		/* One line per problem, each "file:line:col: message". */
		int lines = 0;

		for (const char *s = r.text.ptr; *s; s++)
			lines += *s == '\n';
		CHECK_INT(lines, r.count);
	}
out:
	policy_report_free(&r);
	free(t1);
	free(t2);
	free(t3);
}

static void
names_of_enumerations(void)
{
	char out[48];
	struct duration d = { 8, DUR_BUSINESS_HOURS, 0 };

	CHECK_INT(policy_channel_parse("whatsapp"), CH_WHATSAPP);
	CHECK_INT(policy_channel_parse("fax"), -1);
	CHECK_STR(policy_channel_name(CH_ONSITE), "onsite");
	CHECK_INT(policy_role_parse("quality_lead"), ROLE_QUALITY_LEAD);
	CHECK_STR(policy_role_name(ROLE_OPS_MANAGER), "operations_manager");
	CHECK_STR(policy_modality_name(MOD_ONSITE_FOREIGN), "onsite_foreign");
	CHECK_STR(policy_field_name(RF_LICENSE_PROOF), "license_proof");
	CHECK_STR(policy_plan_kind_name(PLAN_SUPPORT), "support_plan");
	CHECK_STR(policy_dur_unit_name(DUR_WEEKDAY_HOURS), "weekday_hours");
	policy_duration_format(out, sizeof out, &d);
	CHECK_STR(out, "8 business_hours");
	d.unit = DUR_NONE;
	policy_duration_format(out, sizeof out, &d);
	CHECK_STR(out, "none");
}

/* ---- the real packs ---------------------------------------------------- */

static bool
ends_with(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);

	return ls > lx && strcmp(s + ls - lx, suffix) == 0;
}

static char *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *s = NULL;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (s = malloc((size_t)n + 1)) != NULL) {
		*len = fread(s, 1, (size_t)n, f);
		s[*len] = '\0';
		if (*len != (size_t)n) {
			free(s);
			s = NULL;
		}
	}
	fclose(f);
	return s;
}

static void
every_pack_in_policies_loads_without_problems(void)
{
	const char *dir = getenv("SOPORTE_POLICIES");
	struct dirent *de;
	DIR *d;
	int packs = 0;

	if (dir == NULL || *dir == '\0') {
		fprintf(stderr, "    (SOPORTE_POLICIES not set: skipped)\n");
		return;
	}
	d = opendir(dir);
	if (d == NULL) {
		t_fail(__FILE__, __LINE__, "SOPORTE_POLICIES=%s: %s", dir,
		       strerror(errno));
		return;
	}
	while ((de = readdir(d)) != NULL) {
		char path[4096], id[256];
		struct policy_report r;
		struct policy *p = NULL;
		size_t len = 0, n;
		char *text;
		int rc;

		if (de->d_name[0] == '.' || !ends_with(de->d_name, ".yaml"))
			continue;
		packs++;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		n = strlen(de->d_name) - 5;
		snprintf(id, sizeof id, "%.*s", (int)n, de->d_name);
		text = read_file(path, &len);
		if (text == NULL) {
			t_fail(__FILE__, __LINE__, "%s: cannot read: %s", path,
			       strerror(errno));
			continue;
		}
		policy_report_init(&r);
		rc = policy_parse(&p, text, len, de->d_name, id, &r);
		if (rc != 0 || r.count != 0 || p == NULL)
			t_fail(__FILE__, __LINE__, "%s: rc %d, %d problem(s):\n%s",
			       de->d_name, rc, r.count, r.text.ptr);
		else if (strcmp(p->id, id) != 0)
			t_fail(__FILE__, __LINE__, "%s: id '%s'", de->d_name,
			       p->id);
		policy_free(p);
		policy_report_free(&r);
		free(text);
	}
	closedir(d);
	if (packs == 0)
		t_fail(__FILE__, __LINE__, "SOPORTE_POLICIES=%s holds no *.yaml "
		       "pack", dir);
}

const struct test policy_tests[] = {
	{ "minimal_pack_parses_and_fields_land",
	  minimal_pack_parses_and_fields_land },
	{ "minimal_pack_without_expected_id_parses",
	  minimal_pack_without_expected_id_parses },
	{ "bill3_factors_are_exact_ratios", bill3_factors_are_exact_ratios },
	{ "bill3_bad_factors_are_refused", bill3_bad_factors_are_refused },
	{ "unknown_key_suggests_the_closest", unknown_key_suggests_the_closest },
	{ "missing_required_key_is_reported_on_its_map",
	  missing_required_key_is_reported_on_its_map },
	{ "wrong_type_is_reported_at_the_value",
	  wrong_type_is_reported_at_the_value },
	{ "sla1_interval_ending_before_start_is_refused",
	  sla1_interval_ending_before_start_is_refused },
	{ "sla1_overlapping_intervals_are_refused",
	  sla1_overlapping_intervals_are_refused },
	{ "sla1_adjacent_intervals_are_fine", sla1_adjacent_intervals_are_fine },
	{ "sla1_unknown_time_zone_is_refused", sla1_unknown_time_zone_is_refused },
	{ "duration_unit_must_suit_its_key", duration_unit_must_suit_its_key },
	{ "bill4_plan_naming_missing_after_hours_window_is_refused",
	  bill4_plan_naming_missing_after_hours_window_is_refused },
	{ "other_unknown_references_are_refused",
	  other_unknown_references_are_refused },
	{ "sla2_two_default_priorities_are_refused",
	  sla2_two_default_priorities_are_refused },
	{ "duplicate_ids_are_refused", duplicate_ids_are_refused },
	{ "pack_id_must_match_the_file_name", pack_id_must_match_the_file_name },
	{ "int1_folio_format_needs_seq_once", int1_folio_format_needs_seq_once },
	{ "invalid_utf8_is_refused", invalid_utf8_is_refused },
	{ "yaml_syntax_error_carries_line_and_column",
	  yaml_syntax_error_carries_line_and_column },
	{ "several_problems_are_all_reported", several_problems_are_all_reported },
	{ "names_of_enumerations", names_of_enumerations },
	{ 0 },
};

const struct test policy_pack_tests[] = {
	{ "every_pack_in_policies_loads_without_problems",
	  every_pack_in_policies_loads_without_problems },
	{ 0 },
};
