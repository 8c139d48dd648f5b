#include "policy.h"

#include "../util/civil.h"
#include "../util/err.h"
#include "../util/str.h"
#include "../util/ytree.h"
#include "../zone/zone.h"
#include "lifecycle.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The loader walks the YAML tree once, reporting every problem it meets
 * and going on, so one run of `policy check` lists them all. References
 * between sections (a plan naming an after-hours window) are resolved in
 * a second pass once every id is known. */
struct ld {
	struct policy *p;
	struct policy_report *r;
	const char *file;
};

/* ---- names of enumerations ---------------------------------------- */

static const char *const channel_names[CH_COUNT] = {
	"email", "web", "phone", "whatsapp", "video", "chat", "remote", "onsite",
};
static const char *const role_names[ROLE_COUNT] = {
	"agent", "quality_lead", "operations_manager", "admin",
};
static const char *const modality_names[MOD_COUNT] = {
	"remote", "phone", "chat", "office", "onsite_local", "onsite_foreign",
};
static const char *const field_names[RF_COUNT] = {
	"name", "surname", "email", "phone", "company", "category", "priority",
	"subject", "description", "steps", "screenshot", "module", "system",
	"system_version", "os_version", "product", "license_proof",
};
/* What a customer reads when an item is missing (INT-3). */
static const char *const field_labels[2][RF_COUNT] = {
	{ "su nombre", "sus apellidos", "su correo electrónico",
	  "su teléfono", "su empresa", "la categoría", "la prioridad",
	  "el asunto", "la descripción del problema",
	  "los pasos para reproducir el error",
	  "capturas de pantalla (PNG o JPG)", "el módulo", "el sistema",
	  "la versión del sistema", "la versión del sistema operativo",
	  "el producto", "la factura o número de licencia" },
	{ "your name", "your surname", "your email address", "your phone",
	  "your company", "the category", "the priority", "the subject",
	  "a description of the problem", "the steps to reproduce the error",
	  "screenshots (PNG or JPG)", "the module", "the system",
	  "the system's version", "the operating system's version",
	  "the product", "the invoice or licence number" },
};
static const char *const kind_names[] = {
	"per_event", "bank", "retainer", "support_plan", "custom",
};
static const char *const unit_names[] = {
	"", "minutes", "hours", "days", "business_minutes", "business_hours",
	"business_days", "weekday_hours", "months", "events",
};
static const char *const day_names[7] = {
	"mon", "tue", "wed", "thu", "fri", "sat", "sun",
};
static const char *const queue_names[] = {
	"plan_rank", "priority", "due", "created",
};

static int
name_index(const char *const *names, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

const char *policy_channel_name(enum channel c) { return (unsigned)c < CH_COUNT ? channel_names[c] : "?"; }
int policy_channel_parse(const char *s) { return name_index(channel_names, CH_COUNT, s); }
const char *policy_role_name(enum role r) { return (unsigned)r < ROLE_COUNT ? role_names[r] : "?"; }
int policy_role_parse(const char *s) { return name_index(role_names, ROLE_COUNT, s); }
const char *policy_modality_name(enum modality m) { return (unsigned)m < MOD_COUNT ? modality_names[m] : "?"; }
const char *policy_field_name(enum req_field f) { return (unsigned)f < RF_COUNT ? field_names[f] : "?"; }

const char *
policy_field_label(enum req_field f, const char *lang)
{
	bool en = lang && strncmp(lang, "en", 2) == 0;

	return (unsigned)f < RF_COUNT ? field_labels[en][f] : "?";
}
const char *policy_plan_kind_name(enum plan_kind k) { return (unsigned)k <= PLAN_CUSTOM ? kind_names[k] : "?"; }
const char *policy_dur_unit_name(enum dur_unit u) { return (unsigned)u <= DUR_EVENTS ? unit_names[u] : "?"; }

const char *
policy_text(const struct i18n *t, const char *lang)
{
	if (lang && strncmp(lang, "en", 2) == 0 && t->en)
		return t->en;
	return t->es ? t->es : "";
}

void
policy_duration_format(char *out, size_t size, const struct duration *d)
{
	if (d->unit == DUR_NONE)
		snprintf(out, size, "none");
	else
		snprintf(out, size, "%lld %s", (long long)d->n,
			 unit_names[d->unit]);
}

void
policy_duration_text(char *out, size_t size, const struct duration *d,
		      const char *lang)
{
	static const char *const es[][2] = {
		{ "", "" }, { "minuto", "minutos" }, { "hora", "horas" },
		{ "día", "días" }, { "minuto hábil", "minutos hábiles" },
		{ "hora hábil", "horas hábiles" }, { "día hábil", "días hábiles" },
		{ "hora de día hábil", "horas de días hábiles" },
		{ "mes", "meses" }, { "evento", "eventos" },
	};
	static const char *const en[][2] = {
		{ "", "" }, { "minute", "minutes" }, { "hour", "hours" },
		{ "day", "days" }, { "business minute", "business minutes" },
		{ "business hour", "business hours" },
		{ "business day", "business days" },
		{ "hour of business days", "hours of business days" },
		{ "month", "months" }, { "event", "events" },
	};
	bool english = lang && strncmp(lang, "en", 2) == 0;

	if (d->unit == DUR_NONE || (unsigned)d->unit > DUR_EVENTS) {
		snprintf(out, size, "-");
		return;
	}
	snprintf(out, size, "%lld %s", (long long)d->n,
		 (english ? en : es)[d->unit][d->n == 1 ? 0 : 1]);
}

/* ---- reporting ---------------------------------------------------- */

static void problem(struct ld *ld, const struct ynode *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
problem(struct ld *ld, const struct ynode *at, const char *fmt, ...)
{
	va_list ap;

	buf_printf(&ld->r->text, "%s:%d:%d: ", ld->file, at ? at->line : 1,
		   at ? at->col : 1);
	va_start(ap, fmt);
	buf_vprintf(&ld->r->text, fmt, ap);
	va_end(ap);
	buf_addc(&ld->r->text, '\n');
	ld->r->count++;
}

void
policy_report_init(struct policy_report *r)
{
	buf_init(&r->text, 1 << 20);
	r->count = 0;
}

void
policy_report_free(struct policy_report *r)
{
	buf_free(&r->text);
	r->count = 0;
}

static void *
ld_alloc(struct ld *ld, size_t count, size_t size)
{
	void *p = arena_calloc(&ld->p->arena, count ? count : 1, size);

	if (p == NULL)
		problem(ld, NULL, "out of memory");
	return p;
}

static const char *
ld_strdup(struct ld *ld, const char *s)
{
	const char *p = arena_strdup(&ld->p->arena, s);

	if (p == NULL)
		problem(ld, NULL, "out of memory");
	return p;
}

/* ---- typed readers: each reports and returns false on bad input --- */

static const char *
kind_word(const struct ynode *n)
{
	return n->kind == YNODE_MAP ? "a map" :
	       n->kind == YNODE_SEQ ? "a list" : "a value";
}

static bool
want_map(struct ld *ld, const struct ynode *n, const char *what)
{
	if (n->kind == YNODE_MAP)
		return true;
	problem(ld, n, "%s must be a map of keys, not %s", what, kind_word(n));
	return false;
}

static bool
want_seq(struct ld *ld, const struct ynode *n, const char *what)
{
	if (n->kind == YNODE_SEQ)
		return true;
	problem(ld, n, "%s must be a list, not %s", what, kind_word(n));
	return false;
}

/* A list longer than the engine keeps is an error, never cut short. */
static bool
want_seq_max(struct ld *ld, const struct ynode *n, const char *what,
	     size_t max)
{
	if (n->kind != YNODE_SEQ) {
		problem(ld, n, "%s must be a list, not %s", what, kind_word(n));
		return false;
	}
	if (n->n > max) {
		problem(ld, n, "%s has %zu entries; at most %zu are allowed",
			what, n->n, max);
		return false;
	}
	return true;
}

static bool
want_scalar(struct ld *ld, const struct ynode *n, const char *what)
{
	if (n->kind == YNODE_SCALAR && !ytree_is_null(n))
		return true;
	problem(ld, n, "%s must be a value, not %s", what,
		n->kind == YNODE_SCALAR ? "empty" : kind_word(n));
	return false;
}

/* Reports keys not in `allowed` (with the closest one as a hint) and
 * `required` keys that are missing. Both lists end with NULL. */
static void
check_keys(struct ld *ld, const struct ynode *map, const char *what,
	   const char *const *allowed, const char *const *required)
{
	for (size_t i = 0; i < map->n; i++) {
		const char *k = map->keys[i]->str;
		const char *best = NULL;
		unsigned bestd = 3;
		bool ok = false;

		for (const char *const *a = allowed; *a; a++) {
			unsigned d;

			if (strcmp(*a, k) == 0) {
				ok = true;
				break;
			}
			d = str_distance(k, *a, 3);
			if (d < bestd) {
				bestd = d;
				best = *a;
			}
		}
		if (ok)
			continue;
		if (best)
			problem(ld, map->keys[i], "unknown key '%s' in %s "
				"(did you mean '%s'?)", k, what, best);
		else
			problem(ld, map->keys[i], "unknown key '%s' in %s", k,
				what);
	}
	for (const char *const *q = required; q && *q; q++)
		if (ytree_get(map, *q) == NULL)
			problem(ld, map, "%s is missing required key '%s'",
				what, *q);
}

static bool
get_text(struct ld *ld, const struct ynode *n, const char *what,
	 const char **out)
{
	if (!want_scalar(ld, n, what))
		return false;
	if (!str_text_valid(n->str, strlen(n->str), true)) {
		problem(ld, n, "%s is not valid UTF-8 text", what);
		return false;
	}
	*out = ld_strdup(ld, n->str);
	return *out != NULL;
}

static bool
get_id(struct ld *ld, const struct ynode *n, const char *what,
       const char **out)
{
	if (!want_scalar(ld, n, what))
		return false;
	if (!str_is_id(n->str, POLICY_ID_MAX)) {
		problem(ld, n, "%s '%s' is not an id (lowercase letters, "
			"digits and _, starting with a letter, at most %d)",
			what, n->str, POLICY_ID_MAX);
		return false;
	}
	*out = ld_strdup(ld, n->str);
	return *out != NULL;
}

static bool
get_int(struct ld *ld, const struct ynode *n, const char *what, int64_t min,
	int64_t max, int64_t *out)
{
	if (!want_scalar(ld, n, what))
		return false;
	if (!n->plain || str_to_i64(out, n->str, min, max)) {
		problem(ld, n, "%s must be a whole number from %lld to %lld, "
			"not '%s'", what, (long long)min, (long long)max,
			n->str);
		return false;
	}
	return true;
}

static bool
get_intv(struct ld *ld, const struct ynode *n, const char *what, int min,
	 int max, int *out)
{
	int64_t v;

	if (!get_int(ld, n, what, min, max, &v))
		return false;
	*out = (int)v;
	return true;
}

static bool
get_bool(struct ld *ld, const struct ynode *n, const char *what, bool *out)
{
	if (!want_scalar(ld, n, what))
		return false;
	if (n->plain && strcmp(n->str, "true") == 0)
		*out = true;
	else if (n->plain && strcmp(n->str, "false") == 0)
		*out = false;
	else {
		problem(ld, n, "%s must be true or false, not '%s'", what,
			n->str);
		return false;
	}
	return true;
}

static bool
get_enum(struct ld *ld, const struct ynode *n, const char *what,
	 const char *const *names, int count, int *out)
{
	int i;

	if (!want_scalar(ld, n, what))
		return false;
	i = name_index(names, count, n->str);
	if (i < 0) {
		struct buf b;

		buf_init(&b, 4096);
		for (int k = 0; k < count; k++)
			if (names[k][0])
				buf_printf(&b, "%s%s", b.len ? ", " : "",
					   names[k]);
		problem(ld, n, "%s '%s' is not one of: %s", what, n->str,
			b.ptr);
		buf_free(&b);
		return false;
	}
	*out = i;
	return true;
}

static bool
get_i18n(struct ld *ld, const struct ynode *n, const char *what,
	 struct i18n *out)
{
	static const char *const keys[] = { "es", "en", NULL };
	static const char *const req[] = { "es", NULL };
	struct ynode *v;

	if (n->kind == YNODE_SCALAR) {
		/* A bare string is Spanish only. */
		return get_text(ld, n, what, &out->es);
	}
	if (!want_map(ld, n, what))
		return false;
	check_keys(ld, n, what, keys, req);
	if ((v = ytree_get(n, "es")))
		get_text(ld, v, what, &out->es);
	if ((v = ytree_get(n, "en")))
		get_text(ld, v, what, &out->en);
	return out->es != NULL;
}

static bool
get_date(struct ld *ld, const struct ynode *n, const char *what,
	 int64_t *day)
{
	struct civil_date c;

	if (!want_scalar(ld, n, what))
		return false;
	if (civil_parse_date(&c, n->str)) {
		problem(ld, n, "%s '%s' is not a date (YYYY-MM-DD)", what,
			n->str);
		return false;
	}
	*day = civil_days(c.y, c.m, c.d);
	return true;
}

static bool
get_interval(struct ld *ld, const struct ynode *n, struct interval *out)
{
	char a[8], b[8];
	const char *dash;

	if (!want_scalar(ld, n, "an interval"))
		return false;
	dash = strchr(n->str, '-');
	if (dash == NULL || dash - n->str != 5 || strlen(dash + 1) != 5) {
		problem(ld, n, "interval '%s' must be written HH:MM-HH:MM",
			n->str);
		return false;
	}
	memcpy(a, n->str, 5);
	a[5] = '\0';
	memcpy(b, dash + 1, 6);
	if (civil_parse_hhmm(&out->start, a, false) ||
	    civil_parse_hhmm(&out->end, b, true)) {
		problem(ld, n, "interval '%s' has a time that is not HH:MM "
			"(00:00 to 23:59, or 24:00 as an end)", n->str);
		return false;
	}
	if (out->start >= out->end) {
		problem(ld, n, "interval '%s' ends before it starts", n->str);
		return false;
	}
	return true;
}

/* A day's intervals: ascending, not overlapping. */
static bool
get_day(struct ld *ld, const struct ynode *n, const char *what,
	struct interval *iv, int *count)
{
	int k = 0;

	*count = 0;
	if (!want_seq(ld, n, what))
		return false;
	if (n->n > POLICY_MAX_INTERVALS) {
		problem(ld, n, "%s has more than %d intervals", what,
			POLICY_MAX_INTERVALS);
		return false;
	}
	for (size_t i = 0; i < n->n; i++) {
		if (!get_interval(ld, n->items[i], &iv[k]))
			continue;
		if (k > 0 && iv[k].start < iv[k - 1].end) {
			problem(ld, n->items[i], "interval overlaps or comes "
				"before the previous one; list a day's "
				"intervals in order");
			continue;
		}
		k++;
	}
	*count = k;
	return true;
}

static bool
get_week(struct ld *ld, const struct ynode *n, const char *what,
	 struct week *w)
{
	static const char *const keys[] = { "mon", "tue", "wed", "thu",
					    "fri", "sat", "sun", NULL };

	memset(w, 0, sizeof *w);
	if (!want_map(ld, n, what))
		return false;
	check_keys(ld, n, what, keys, NULL);
	for (int d = 0; d < 7; d++) {
		struct ynode *v = ytree_get(n, day_names[d]);

		if (v && !ytree_is_null(v))
			get_day(ld, v, day_names[d], w->iv[d], &w->n[d]);
	}
	return true;
}

static bool
get_ratio(struct ld *ld, const struct ynode *n, const char *what,
	  struct ratio *out)
{
	const char *s, *slash, *dot;
	int64_t num, den = 1;

	if (!want_scalar(ld, n, what))
		return false;
	s = n->str;
	slash = strchr(s, '/');
	dot = strchr(s, '.');
	if (slash) {
		char a[32];
		size_t la = (size_t)(slash - s);

		if (la == 0 || la >= sizeof a)
			goto bad;
		memcpy(a, s, la);
		a[la] = '\0';
		if (str_to_i64(&num, a, 1, 1000000) ||
		    str_to_i64(&den, slash + 1, 1, 1000000))
			goto bad;
	} else if (dot) {
		char digitsbuf[32];
		size_t li = (size_t)(dot - s), lf = strlen(dot + 1);

		if (li == 0 || lf == 0 || lf > 4 || li + lf >= sizeof digitsbuf)
			goto bad;
		memcpy(digitsbuf, s, li);
		memcpy(digitsbuf + li, dot + 1, lf + 1);
		if (str_to_i64(&num, digitsbuf, 0, 100000000))
			goto bad;
		for (size_t i = 0; i < lf; i++)
			den *= 10;
	} else if (str_to_i64(&num, s, 0, 1000000)) {
		goto bad;
	}
	if (num <= 0 || num > 10 * den) {
		problem(ld, n, "%s '%s' must be more than 0 and at most 10",
			what, s);
		return false;
	}
	{
		/* Lowest terms: 1.5 is 3/2, as a person would write it. */
		int64_t a = num, b = den;

		while (b) {
			int64_t t = a % b;

			a = b;
			b = t;
		}
		num /= a;
		den /= a;
	}
	out->num = num;
	out->den = den;
	return true;
bad:
	problem(ld, n, "%s '%s' must be a number such as 1.5 or a ratio such "
		"as 4/3", what, s);
	return false;
}

/* A duration "N unit"; `units` is a mask of 1 << enum dur_unit allowed. */
static bool
get_duration(struct ld *ld, const struct ynode *n, const char *what,
	     unsigned units, struct duration *out)
{
	char num[24];
	const char *sp;
	int u;

	if (!want_scalar(ld, n, what))
		return false;
	sp = strchr(n->str, ' ');
	if (sp == NULL || (size_t)(sp - n->str) >= sizeof num)
		goto bad;
	memcpy(num, n->str, (size_t)(sp - n->str));
	num[sp - n->str] = '\0';
	u = name_index(unit_names, DUR_EVENTS + 1, sp + 1);
	if (u <= 0 || str_to_i64(&out->n, num, 0, 1000000))
		goto bad;
	if (!(units & (1u << u))) {
		struct buf b;

		buf_init(&b, 4096);
		for (int k = 1; k <= DUR_EVENTS; k++)
			if (units & (1u << k))
				buf_printf(&b, "%s%s", b.len ? ", " : "",
					   unit_names[k]);
		problem(ld, n, "%s cannot be counted in %s; use one of: %s",
			what, unit_names[u], b.ptr);
		buf_free(&b);
		return false;
	}
	out->unit = (enum dur_unit)u;
	out->calendar = -1;
	return true;
bad:
	problem(ld, n, "%s '%s' must be a number and a unit, such as "
		"'8 business_hours' or '3 business_days'", what, n->str);
	return false;
}

#define U(x) (1u << (x))
#define UNITS_TIME (U(DUR_MINUTES) | U(DUR_HOURS) | U(DUR_DAYS) |         \
		    U(DUR_BUSINESS_MINUTES) | U(DUR_BUSINESS_HOURS) |        \
		    U(DUR_BUSINESS_DAYS) | U(DUR_WEEKDAY_HOURS))
#define UNITS_TERM (U(DUR_MONTHS) | U(DUR_EVENTS))

static int
find_id(const char *id, const void *base, size_t count, size_t stride)
{
	for (size_t i = 0; i < count; i++) {
		const char *const *p = (const char *const *)(const void *)
			((const char *)base + i * stride);

		if (*p && strcmp(*p, id) == 0)
			return (int)i;
	}
	return -1;
}

/* Pending references, checked when every section has been read. */
struct ref {
	const struct ynode *at;
	const char *what; /* "calendar", "after_hours", "priority", "category" */
	const char *id;
	int *slot;
};

struct refs {
	struct ref items[256];
	int n;
};

static void
ref_add(struct ld *ld, struct refs *rs, const struct ynode *at,
	const char *what, int *slot)
{
	if (rs->n >= 256) {
		problem(ld, at, "too many references in one pack");
		return;
	}
	rs->items[rs->n++] = (struct ref){ at, what, at->str, slot };
}

/* ---- sections ------------------------------------------------------ */

static void
load_provider(struct ld *ld, const struct ynode *n)
{
	static const char *const keys[] = { "name", "short_name", "email",
		"phones", "website", "locale", "seed", NULL };
	static const char *const req[] = { "name", "short_name", "email",
					   "locale", NULL };
	struct policy *p = ld->p;
	struct ynode *v;

	if (!want_map(ld, n, "provider"))
		return;
	check_keys(ld, n, "provider", keys, req);
	if ((v = ytree_get(n, "name")))
		get_text(ld, v, "provider.name", &p->provider.name);
	if ((v = ytree_get(n, "short_name")))
		get_text(ld, v, "provider.short_name", &p->provider.short_name);
	if ((v = ytree_get(n, "email"))) {
		if (get_text(ld, v, "provider.email", &p->provider.email) &&
		    strchr(p->provider.email, '@') == NULL)
			problem(ld, v, "provider.email '%s' is not an email "
				"address", v->str);
	}
	if ((v = ytree_get(n, "website")))
		get_text(ld, v, "provider.website", &p->provider.website);
	if ((v = ytree_get(n, "seed")))
		get_text(ld, v, "provider.seed", &p->provider.seed);
	if ((v = ytree_get(n, "locale")) && want_scalar(ld, v, "provider.locale")) {
		if (strcmp(v->str, "es-MX") && strcmp(v->str, "en"))
			problem(ld, v, "provider.locale must be es-MX or en, "
				"not '%s'", v->str);
		else
			p->provider.locale = ld_strdup(ld, v->str);
	}
	if ((v = ytree_get(n, "phones")) && want_seq(ld, v, "provider.phones")) {
		p->provider.phones = ld_alloc(ld, v->n, sizeof(char *));
		for (size_t i = 0; p->provider.phones && i < v->n; i++)
			if (get_text(ld, v->items[i], "a phone",
				     &p->provider.phones[p->provider.nphones]))
				p->provider.nphones++;
	}
}

static void
load_folio(struct ld *ld, const struct ynode *n)
{
	static const char *const keys[] = { "format", "reset", NULL };
	static const char *const resets[] = { "never", "yearly", "monthly" };
	struct ynode *v;
	int r = 0;

	if (!want_map(ld, n, "folio"))
		return;
	check_keys(ld, n, "folio", keys, keys);
	if ((v = ytree_get(n, "reset")) &&
	    get_enum(ld, v, "folio.reset", resets, 3, &r))
		ld->p->folio.reset = (enum folio_reset)r;
	if ((v = ytree_get(n, "format")) && want_scalar(ld, v, "folio.format")) {
		int seq = 0, year = 0, month = 0;
		const char *s = v->str;

		for (; *s; s++) {
			if (*s == '{') {
				const char *e = strchr(s, '}');
				size_t len = e ? (size_t)(e - s - 1) : 0;

				if (e && len == 4 && strncmp(s + 1, "yyyy", 4) == 0)
					year++;
				else if (e && len == 2 && strncmp(s + 1, "yy", 2) == 0)
					year++;
				else if (e && len == 2 && strncmp(s + 1, "mm", 2) == 0)
					month++;
				else if (e && len == 5 && strncmp(s + 1, "seq:", 4) == 0 &&
					 s[5] >= '3' && s[5] <= '9')
					seq++;
				else {
					problem(ld, v, "folio.format has an unknown "
						"token near '%.12s'; use {yyyy}, {yy}, "
						"{mm} or {seq:N} with N from 3 to 9", s);
					return;
				}
				s = e;
			} else if (!((*s >= 'A' && *s <= 'Z') ||
				     (*s >= '0' && *s <= '9') || *s == '-' ||
				     *s == '/' || *s == '#')) {
				problem(ld, v, "folio.format may hold only A-Z, "
					"0-9, -, / and # besides its tokens, not "
					"'%c'", *s);
				return;
			}
		}
		if (seq != 1)
			problem(ld, v, "folio.format needs {seq:N} exactly once");
		else if (ld->p->folio.reset == FOLIO_YEARLY && !year)
			problem(ld, v, "folio.reset yearly needs {yyyy} or {yy} "
				"in the format, or numbers would repeat");
		else if (ld->p->folio.reset == FOLIO_MONTHLY && (!year || !month))
			problem(ld, v, "folio.reset monthly needs {mm} and "
				"{yyyy} or {yy} in the format");
		else
			ld->p->folio.format = ld_strdup(ld, v->str);
	}
}

static void
load_dated(struct ld *ld, const struct ynode *list, const char *what,
	   bool with_hours, struct dated_day **out, size_t *count)
{
	static const char *const hkeys[] = { "date", "name", NULL };
	static const char *const hreq[] = { "date", NULL };
	static const char *const ekeys[] = { "date", "name", "hours", NULL };
	static const char *const ereq[] = { "date", "hours", NULL };

	if (!want_seq(ld, list, what))
		return;
	*out = ld_alloc(ld, list->n, sizeof **out);
	if (*out == NULL)
		return;
	for (size_t i = 0; i < list->n; i++) {
		const struct ynode *it = list->items[i];
		struct dated_day *d = &(*out)[*count];
		struct ynode *v;

		if (it->kind == YNODE_SCALAR && !with_hours) {
			if (get_date(ld, it, what, &d->day))
				(*count)++;
			continue;
		}
		if (!want_map(ld, it, what))
			continue;
		check_keys(ld, it, what, with_hours ? ekeys : hkeys,
			   with_hours ? ereq : hreq);
		if ((v = ytree_get(it, "name")))
			get_text(ld, v, "name", &d->name);
		if (with_hours && (v = ytree_get(it, "hours")))
			get_day(ld, v, "hours", d->iv, &d->n);
		if ((v = ytree_get(it, "date")) &&
		    get_date(ld, v, what, &d->day)) {
			for (size_t k = 0; k < *count; k++)
				if ((*out)[k].day == d->day)
					problem(ld, v, "date %s is listed twice "
						"in %s", v->str, what);
			(*count)++;
		}
	}
}

static void
load_calendars(struct ld *ld, const struct ynode *n)
{
	static const char *const keys[] = { "tz", "week", "mexican_holidays",
		"holidays", "exceptions", NULL };
	static const char *const req[] = { "tz", "week", NULL };
	struct policy *p = ld->p;

	if (!want_map(ld, n, "calendars"))
		return;
	if (n->n == 0)
		problem(ld, n, "calendars needs at least one calendar");
	p->calendars = ld_alloc(ld, n->n, sizeof *p->calendars);
	if (p->calendars == NULL)
		return;
	for (size_t i = 0; i < n->n; i++) {
		struct calendar_def *c = &p->calendars[p->ncalendars];
		const struct ynode *cn = n->items[i];
		struct ynode *v;

		if (!get_id(ld, n->keys[i], "calendar id", &c->id) ||
		    !want_map(ld, cn, "a calendar"))
			continue;
		check_keys(ld, cn, "a calendar", keys, req);
		if ((v = ytree_get(cn, "tz")) && get_text(ld, v, "tz", &c->tz) &&
		    !zone_exists(c->tz))
			problem(ld, v, "unknown time zone '%s' (want an IANA "
				"name such as America/Mexico_City)", c->tz);
		if ((v = ytree_get(cn, "week")))
			get_week(ld, v, "week", &c->week);
		if ((v = ytree_get(cn, "mexican_holidays")))
			get_bool(ld, v, "mexican_holidays", &c->mexican_holidays);
		if ((v = ytree_get(cn, "holidays")))
			load_dated(ld, v, "holidays", false, &c->holidays,
				   &c->nholidays);
		if ((v = ytree_get(cn, "exceptions")))
			load_dated(ld, v, "exceptions", true, &c->exceptions,
				   &c->nexceptions);
		p->ncalendars++;
	}
}

static void
load_after_hours(struct ld *ld, const struct ynode *n)
{
	static const char *const keys[] = { "week", "name", NULL };
	static const char *const req[] = { "week", NULL };
	struct policy *p = ld->p;

	if (!want_map(ld, n, "after_hours"))
		return;
	p->after_hours = ld_alloc(ld, n->n, sizeof *p->after_hours);
	if (p->after_hours == NULL)
		return;
	for (size_t i = 0; i < n->n; i++) {
		struct after_hours_def *a = &p->after_hours[p->nafter_hours];
		struct ynode *v;

		if (!get_id(ld, n->keys[i], "after_hours id", &a->id) ||
		    !want_map(ld, n->items[i], "an after-hours window"))
			continue;
		check_keys(ld, n->items[i], "an after-hours window", keys, req);
		if ((v = ytree_get(n->items[i], "name")))
			get_i18n(ld, v, "name", &a->name);
		if ((v = ytree_get(n->items[i], "week")))
			get_week(ld, v, "week", &a->week);
		p->nafter_hours++;
	}
}

static void
load_priorities(struct ld *ld, const struct ynode *n)
{
	static const char *const keys[] = { "id", "name", "description",
		"first_response", "resolution", "default", NULL };
	static const char *const req[] = { "id", "name", NULL };
	struct policy *p = ld->p;
	int defaults = 0;

	if (!want_seq(ld, n, "priorities"))
		return;
	if (n->n == 0)
		problem(ld, n, "priorities needs at least one priority");
	p->priorities = ld_alloc(ld, n->n, sizeof *p->priorities);
	if (p->priorities == NULL)
		return;
	for (size_t i = 0; i < n->n; i++) {
		struct priority_def *pr = &p->priorities[p->npriorities];
		const struct ynode *it = n->items[i];
		struct ynode *v, *idn;

		if (!want_map(ld, it, "a priority"))
			continue;
		check_keys(ld, it, "a priority", keys, req);
		idn = ytree_get(it, "id");
		if (!idn || !get_id(ld, idn, "priority id", &pr->id))
			continue;
		if (find_id(pr->id, p->priorities, p->npriorities,
			    sizeof *pr) >= 0) {
			problem(ld, idn, "priority '%s' is defined twice",
				pr->id);
			continue;
		}
		if ((v = ytree_get(it, "name")))
			get_i18n(ld, v, "name", &pr->name);
		if ((v = ytree_get(it, "description")))
			get_i18n(ld, v, "description", &pr->description);
		if ((v = ytree_get(it, "first_response")))
			get_duration(ld, v, "first_response", UNITS_TIME,
				     &pr->first_response);
		if ((v = ytree_get(it, "resolution")))
			get_duration(ld, v, "resolution", UNITS_TIME,
				     &pr->resolution);
		if (!ytree_get(it, "first_response") &&
		    !ytree_get(it, "resolution"))
			problem(ld, it, "priority '%s' needs a first_response "
				"or a resolution target (SLA-2)", pr->id);
		if ((v = ytree_get(it, "default")) &&
		    get_bool(ld, v, "default", &pr->is_default) &&
		    pr->is_default)
			defaults++;
		p->npriorities++;
	}
	if (n->n > 0 && defaults != 1)
		problem(ld, n, "exactly one priority must be 'default: true' "
			"(found %d)", defaults);
}

static void
load_sla(struct ld *ld, const struct ynode *n, struct refs *rs)
{
	static const char *const keys[] = { "calendar", "pause_on", "warn_at",
		"escalation", "queue_order", NULL };
	static const char *const req[] = { "calendar", "pause_on",
					   "queue_order", NULL };
	static const char *const ekeys[] = { "ladder", "on_breach",
		"customer_may_request", "customer_may_raise_priority", NULL };
	static const char *const pausable[] = { "waiting_customer",
		"waiting_third_party", "scheduled" };
	static const int pause_state[] = { TS_WAITING_CUSTOMER,
		TS_WAITING_THIRD_PARTY, TS_SCHEDULED };
	struct sla_def *s = &ld->p->sla;
	struct ynode *v;

	if (!want_map(ld, n, "sla"))
		return;
	check_keys(ld, n, "sla", keys, req);
	if ((v = ytree_get(n, "calendar")) && want_scalar(ld, v, "sla.calendar"))
		ref_add(ld, rs, v, "calendar", &s->calendar);
	if ((v = ytree_get(n, "pause_on")) && want_seq(ld, v, "sla.pause_on"))
		for (size_t i = 0; i < v->n; i++) {
			int k;

			if (get_enum(ld, v->items[i], "a pause state",
				     pausable, 3, &k))
				s->pause_mask |= 1u << pause_state[k];
		}
	if ((v = ytree_get(n, "warn_at")) &&
	    want_seq_max(ld, v, "sla.warn_at", 8)) {
		for (size_t i = 0; i < v->n; i++) {
			int pct;

			if (!get_intv(ld, v->items[i], "a warning percent", 1,
				      99, &pct))
				continue;
			if (s->nwarn && pct <= s->warn_at[s->nwarn - 1]) {
				problem(ld, v->items[i], "warn_at percents must "
					"rise");
				continue;
			}
			s->warn_at[s->nwarn++] = pct;
		}
	}
	if ((v = ytree_get(n, "escalation")) && want_map(ld, v, "sla.escalation")) {
		struct ynode *w;

		check_keys(ld, v, "sla.escalation", ekeys, NULL);
		if ((w = ytree_get(v, "ladder")) &&
		    want_seq_max(ld, w, "ladder", ROLE_COUNT))
			for (size_t i = 0; i < w->n; i++) {
				int r;

				if (get_enum(ld, w->items[i], "a role",
					     role_names, ROLE_COUNT, &r))
					s->ladder[s->nladder++] = (enum role)r;
			}
		if ((w = ytree_get(v, "on_breach")))
			get_bool(ld, w, "on_breach", &s->on_breach);
		if ((w = ytree_get(v, "customer_may_request")))
			get_bool(ld, w, "customer_may_request",
				 &s->customer_may_request);
		if ((w = ytree_get(v, "customer_may_raise_priority")))
			get_bool(ld, w, "customer_may_raise_priority",
				 &s->customer_may_raise_priority);
	}
	if ((v = ytree_get(n, "queue_order")) &&
	    want_seq_max(ld, v, "sla.queue_order", 4)) {
		for (size_t i = 0; i < v->n; i++) {
			int k;

			if (get_enum(ld, v->items[i], "a queue key", queue_names,
				     4, &k))
				s->queue[s->nqueue++] = (enum queue_key)k;
		}
		if (v->n == 0)
			problem(ld, v, "sla.queue_order needs at least one key");
	}
}

static void
load_modalities(struct ld *ld, const struct ynode *n, struct plan_billing *b)
{
	static const char *const keys[] = { "minimum_minutes", "factor",
		"travel_expenses", NULL };

	if (!want_map(ld, n, "billing.modalities"))
		return;
	for (size_t i = 0; i < n->n; i++) {
		const struct ynode *it = n->items[i];
		struct modality_rule *m;
		struct ynode *v;
		int k;

		if (!get_enum(ld, n->keys[i], "a modality", modality_names,
			      MOD_COUNT, &k) ||
		    !want_map(ld, it, "a modality rule"))
			continue;
		m = &b->modality[k];
		m->set = true;
		check_keys(ld, it, "a modality rule", keys, NULL);
		if ((v = ytree_get(it, "minimum_minutes")))
			get_intv(ld, v, "minimum_minutes", 0, 24 * 60,
				 &m->minimum_minutes);
		if ((v = ytree_get(it, "factor")))
			get_ratio(ld, v, "factor", &m->factor);
		if ((v = ytree_get(it, "travel_expenses")))
			get_bool(ld, v, "travel_expenses", &m->travel_expenses);
	}
}

static void
load_billing_rules(struct ld *ld, const struct ynode *n, struct plan_billing *b,
		   struct refs *rs)
{
	static const char *const keys[] = { "rounding_minutes",
		"minimum_minutes", "after_hours", "modalities",
		"report_overhead_percent", "quick_questions", "warranty_free",
		NULL };
	static const char *const req[] = { "rounding_minutes", NULL };
	static const char *const ahkeys[] = { "window", "factor", NULL };
	static const char *const qqkeys[] = { "max_minutes", "per_week",
					      "modalities", NULL };
	struct ynode *v, *w;

	b->after_hours_window = -1;
	b->after_hours_factor = (struct ratio){ 1, 1 };
	b->warranty_free = true;
	for (int m = 0; m < MOD_COUNT; m++)
		b->modality[m].factor = (struct ratio){ 1, 1 };
	if (!want_map(ld, n, "billing"))
		return;
	check_keys(ld, n, "billing", keys, req);
	if ((v = ytree_get(n, "rounding_minutes")))
		get_intv(ld, v, "rounding_minutes", 1, 24 * 60,
			 &b->rounding_minutes);
	if ((v = ytree_get(n, "minimum_minutes")))
		get_intv(ld, v, "minimum_minutes", 0, 24 * 60,
			 &b->minimum_minutes);
	if ((v = ytree_get(n, "report_overhead_percent")))
		get_intv(ld, v, "report_overhead_percent", 0, 100,
			 &b->report_overhead_percent);
	if ((v = ytree_get(n, "warranty_free")))
		get_bool(ld, v, "warranty_free", &b->warranty_free);
	if ((v = ytree_get(n, "modalities")))
		load_modalities(ld, v, b);
	if ((v = ytree_get(n, "after_hours")) &&
	    want_map(ld, v, "billing.after_hours")) {
		check_keys(ld, v, "billing.after_hours", ahkeys, ahkeys);
		if ((w = ytree_get(v, "window")) &&
		    want_scalar(ld, w, "after_hours.window"))
			ref_add(ld, rs, w, "after_hours", &b->after_hours_window);
		if ((w = ytree_get(v, "factor")))
			get_ratio(ld, w, "after_hours.factor",
				  &b->after_hours_factor);
	}
	if ((v = ytree_get(n, "quick_questions")) &&
	    want_map(ld, v, "billing.quick_questions")) {
		check_keys(ld, v, "billing.quick_questions", qqkeys, qqkeys);
		b->quick_questions = true;
		if ((w = ytree_get(v, "max_minutes")))
			get_intv(ld, w, "max_minutes", 1, 600, &b->qq_max_minutes);
		if ((w = ytree_get(v, "per_week")))
			get_intv(ld, w, "per_week", 1, 100, &b->qq_per_week);
		if ((w = ytree_get(v, "modalities")) &&
		    want_seq(ld, w, "quick_questions.modalities"))
			for (size_t i = 0; i < w->n; i++) {
				int k;

				if (get_enum(ld, w->items[i], "a modality",
					     modality_names, MOD_COUNT, &k))
					b->qq_modalities |= 1u << k;
			}
	}
}

static void
load_plans(struct ld *ld, const struct ynode *n, struct refs *rs)
{
	static const char *const keys[] = { "id", "name", "kind", "hours",
		"term", "rank", "price_centavos", "included",
		"purchase_order_required", "estimate_required", "coverage",
		"targets", "billing", NULL };
	static const char *const req[] = { "id", "name", "kind", "term",
					   "rank", "billing", NULL };
	static const char *const inckeys[] = { "office_minutes",
					       "onsite_minutes", NULL };
	static const char *const tkeys[] = { "first_response", "resolution",
					     NULL };
	struct policy *p = ld->p;

	if (!want_seq(ld, n, "plans"))
		return;
	if (n->n == 0)
		problem(ld, n, "plans needs at least one plan");
	p->plans = ld_alloc(ld, n->n, sizeof *p->plans);
	if (p->plans == NULL)
		return;
	for (size_t i = 0; i < n->n; i++) {
		struct plan_def *pl = &p->plans[p->nplans];
		const struct ynode *it = n->items[i];
		struct ynode *v, *idn;
		int k;

		if (!want_map(ld, it, "a plan"))
			continue;
		check_keys(ld, it, "a plan", keys, req);
		idn = ytree_get(it, "id");
		if (!idn || !get_id(ld, idn, "plan id", &pl->id))
			continue;
		if (find_id(pl->id, p->plans, p->nplans, sizeof *pl) >= 0) {
			problem(ld, idn, "plan '%s' is defined twice", pl->id);
			continue;
		}
		pl->price_centavos = -1;
		if ((v = ytree_get(it, "name")))
			get_i18n(ld, v, "name", &pl->name);
		if ((v = ytree_get(it, "kind")) &&
		    get_enum(ld, v, "plan kind", kind_names, 5, &k))
			pl->kind = (enum plan_kind)k;
		if ((v = ytree_get(it, "hours"))) {
			if (v->kind == YNODE_SEQ) {
				if (!want_seq_max(ld, v, "hours", 8))
					continue;
				for (size_t h = 0; h < v->n; h++)
					if (get_intv(ld, v->items[h], "hours", 1,
						     100000, &pl->hours[pl->nhours]))
						pl->nhours++;
			} else if (get_intv(ld, v, "hours", 1, 100000,
					    &pl->hours[0])) {
				pl->nhours = 1;
			}
		}
		if ((v = ytree_get(it, "term"))) {
			if (v->kind == YNODE_SEQ) {
				if (!want_seq_max(ld, v, "term", 4))
					continue;
				for (size_t h = 0; h < v->n; h++)
					if (get_duration(ld, v->items[h], "term",
							 UNITS_TERM,
							 &pl->term[pl->nterm]))
						pl->nterm++;
			} else if (get_duration(ld, v, "term", UNITS_TERM,
						&pl->term[0])) {
				pl->nterm = 1;
			}
		}
		if ((v = ytree_get(it, "rank")))
			get_intv(ld, v, "rank", 0, 1000, &pl->rank);
		if ((v = ytree_get(it, "price_centavos")))
			get_int(ld, v, "price_centavos", 0, INT64_C(1) << 50,
				&pl->price_centavos);
		if ((v = ytree_get(it, "included")) &&
		    want_map(ld, v, "included")) {
			struct ynode *w;

			check_keys(ld, v, "included", inckeys, NULL);
			if ((w = ytree_get(v, "office_minutes")))
				get_intv(ld, w, "office_minutes", 0, 1000000,
					 &pl->office_minutes);
			if ((w = ytree_get(v, "onsite_minutes")))
				get_intv(ld, w, "onsite_minutes", 0, 1000000,
					 &pl->onsite_minutes);
		}
		if ((v = ytree_get(it, "purchase_order_required")))
			get_bool(ld, v, "purchase_order_required",
				 &pl->purchase_order_required);
		if ((v = ytree_get(it, "estimate_required")))
			get_bool(ld, v, "estimate_required",
				 &pl->estimate_required);
		if ((v = ytree_get(it, "coverage")) &&
		    get_week(ld, v, "coverage", &pl->coverage))
			pl->has_coverage = true;
		if ((v = ytree_get(it, "targets")) && want_map(ld, v, "targets")) {
			pl->targets = ld_alloc(ld, v->n, sizeof *pl->targets);
			for (size_t t = 0; pl->targets && t < v->n; t++) {
				struct plan_target *pt = &pl->targets[pl->ntargets];
				struct ynode *w;

				if (!want_map(ld, v->items[t], "a plan target"))
					continue;
				check_keys(ld, v->items[t], "a plan target",
					   tkeys, NULL);
				ref_add(ld, rs, v->keys[t], "priority",
					&pt->priority);
				if ((w = ytree_get(v->items[t], "first_response")))
					get_duration(ld, w, "first_response",
						     UNITS_TIME, &pt->first_response);
				if ((w = ytree_get(v->items[t], "resolution")))
					get_duration(ld, w, "resolution",
						     UNITS_TIME, &pt->resolution);
				pl->ntargets++;
			}
		}
		if ((v = ytree_get(it, "billing")))
			load_billing_rules(ld, v, &pl->billing, rs);
		p->nplans++;
	}
}

static void
load_windows(struct ld *ld, const struct ynode *n)
{
	static const char *const keys[] = { "reopen", "reopen_free_minutes",
		"auto_accept", "auto_close_resolved", "auto_close_waiting",
		"contact_attempts", "warranty", "project_defects",
		"no_show_tolerance", "cancellation", "invoice_delinquent",
		"invoice_due", NULL };
	static const char *const ckeys[] = { "count", "every", NULL };
	struct windows_def *w = &ld->p->windows;
	struct {
		const char *key;
		struct duration *d;
	} durs[] = {
		{ "reopen", &w->reopen },
		{ "auto_accept", &w->auto_accept },
		{ "auto_close_resolved", &w->auto_close_resolved },
		{ "auto_close_waiting", &w->auto_close_waiting },
		{ "warranty", &w->warranty },
		{ "project_defects", &w->project_defects },
		{ "no_show_tolerance", &w->no_show_tolerance },
		{ "cancellation", &w->cancellation },
		{ "invoice_delinquent", &w->invoice_delinquent },
		{ "invoice_due", &w->invoice_due },
	};
	struct ynode *v;

	if (!want_map(ld, n, "windows"))
		return;
	check_keys(ld, n, "windows", keys, NULL);
	for (size_t i = 0; i < sizeof durs / sizeof durs[0]; i++)
		if ((v = ytree_get(n, durs[i].key)))
			get_duration(ld, v, durs[i].key, UNITS_TIME, durs[i].d);
	if ((v = ytree_get(n, "reopen_free_minutes")))
		get_intv(ld, v, "reopen_free_minutes", 0, 100000,
			 &w->reopen_free_minutes);
	if ((v = ytree_get(n, "contact_attempts")) &&
	    want_map(ld, v, "contact_attempts")) {
		struct ynode *x;

		check_keys(ld, v, "contact_attempts", ckeys, ckeys);
		if ((x = ytree_get(v, "count")))
			get_intv(ld, x, "contact_attempts.count", 1, 20,
				 &w->contact_attempts);
		if ((x = ytree_get(v, "every")))
			get_duration(ld, x, "contact_attempts.every",
				     UNITS_TIME, &w->contact_every);
	}
}

static void
load_categories(struct ld *ld, const struct ynode *n)
{
	static const char *const keys[] = { "id", "name", "out_of_scope",
		"project", NULL };
	static const char *const req[] = { "id", "name", NULL };
	struct policy *p = ld->p;

	if (!want_seq(ld, n, "categories"))
		return;
	if (n->n == 0)
		problem(ld, n, "categories needs at least one category");
	p->categories = ld_alloc(ld, n->n, sizeof *p->categories);
	if (p->categories == NULL)
		return;
	for (size_t i = 0; i < n->n; i++) {
		struct category_def *c = &p->categories[p->ncategories];
		const struct ynode *it = n->items[i];
		struct ynode *v, *idn;

		if (!want_map(ld, it, "a category"))
			continue;
		check_keys(ld, it, "a category", keys, req);
		idn = ytree_get(it, "id");
		if (!idn || !get_id(ld, idn, "category id", &c->id))
			continue;
		if (find_id(c->id, p->categories, p->ncategories,
			    sizeof *c) >= 0) {
			problem(ld, idn, "category '%s' is defined twice",
				c->id);
			continue;
		}
		if ((v = ytree_get(it, "name")))
			get_i18n(ld, v, "name", &c->name);
		if ((v = ytree_get(it, "out_of_scope")))
			get_bool(ld, v, "out_of_scope", &c->out_of_scope);
		if ((v = ytree_get(it, "project")))
			get_bool(ld, v, "project", &c->project);
		p->ncategories++;
	}
}

static void
load_channels(struct ld *ld, const struct ynode *n, struct refs *rs)
{
	static const char *const keys[] = { "accepted", "exceptions", NULL };
	static const char *const req[] = { "accepted", NULL };
	static const char *const xkeys[] = { "channel", "category", "note", NULL };
	static const char *const xreq[] = { "channel", "category", NULL };
	struct policy *p = ld->p;
	struct ynode *v;

	if (!want_map(ld, n, "channels"))
		return;
	check_keys(ld, n, "channels", keys, req);
	if ((v = ytree_get(n, "accepted")) && want_seq(ld, v, "channels.accepted")) {
		for (size_t i = 0; i < v->n; i++) {
			int c;

			if (get_enum(ld, v->items[i], "a channel", channel_names,
				     CH_COUNT, &c))
				p->channels |= 1u << c;
		}
		if (v->n == 0)
			problem(ld, v, "channels.accepted needs at least one "
				"channel (INT-2)");
	}
	if ((v = ytree_get(n, "exceptions")) &&
	    want_seq(ld, v, "channels.exceptions")) {
		p->channel_exceptions = ld_alloc(ld, v->n,
						 sizeof *p->channel_exceptions);
		for (size_t i = 0; p->channel_exceptions && i < v->n; i++) {
			struct channel_exception *x =
				&p->channel_exceptions[p->nchannel_exceptions];
			const struct ynode *it = v->items[i];
			struct ynode *w;
			int c;

			if (!want_map(ld, it, "a channel exception"))
				continue;
			check_keys(ld, it, "a channel exception", xkeys, xreq);
			if ((w = ytree_get(it, "channel")) &&
			    get_enum(ld, w, "a channel", channel_names,
				     CH_COUNT, &c))
				x->channel = (enum channel)c;
			if ((w = ytree_get(it, "note")))
				get_text(ld, w, "note", &x->note);
			if ((w = ytree_get(it, "category")) &&
			    want_scalar(ld, w, "category"))
				ref_add(ld, rs, w, "category", &x->category);
			p->nchannel_exceptions++;
		}
	}
}

static void
load_required(struct ld *ld, const struct ynode *n)
{
	if (!want_seq(ld, n, "required_fields"))
		return;
	for (size_t i = 0; i < n->n; i++) {
		int f;

		if (get_enum(ld, n->items[i], "a required field", field_names,
			     RF_COUNT, &f))
			ld->p->required |= 1u << f;
	}
}

static void
load_scope(struct ld *ld, const struct ynode *n)
{
	static const char *const keys[] = { "end_of_life_supported",
		"third_party_excluded", "license_proof_required",
		"distributors_as_end_customers", NULL };
	struct policy *p = ld->p;
	struct ynode *v;

	if (!want_map(ld, n, "scope"))
		return;
	check_keys(ld, n, "scope", keys, NULL);
	if ((v = ytree_get(n, "end_of_life_supported")))
		get_bool(ld, v, "end_of_life_supported",
			 &p->scope.end_of_life_supported);
	if ((v = ytree_get(n, "license_proof_required")))
		get_bool(ld, v, "license_proof_required",
			 &p->scope.license_proof_required);
	if ((v = ytree_get(n, "distributors_as_end_customers")))
		get_bool(ld, v, "distributors_as_end_customers",
			 &p->scope.distributors_as_end_customers);
	if ((v = ytree_get(n, "third_party_excluded")) &&
	    want_seq(ld, v, "third_party_excluded")) {
		p->scope.third_party_excluded = ld_alloc(ld, v->n, sizeof(char *));
		for (size_t i = 0; p->scope.third_party_excluded && i < v->n; i++)
			if (get_text(ld, v->items[i], "a third-party product",
				     &p->scope.third_party_excluded[p->scope.nthird_party]))
				p->scope.nthird_party++;
	}
}

static void
load_billing(struct ld *ld, const struct ynode *n)
{
	static const char *const keys[] = { "iva_percent",
		"refund_min_block_hours", "refund_fee_percent",
		"overpayment_fee_percent", "refund_after_consumption",
		"invoice_cancel_at_month_end", NULL };
	struct policy *p = ld->p;
	struct ynode *v;

	if (!want_map(ld, n, "billing"))
		return;
	check_keys(ld, n, "billing", keys, NULL);
	if ((v = ytree_get(n, "iva_percent")))
		get_intv(ld, v, "iva_percent", 0, 100, &p->billing.iva_percent);
	if ((v = ytree_get(n, "refund_min_block_hours")))
		get_intv(ld, v, "refund_min_block_hours", 0, 100000,
			 &p->billing.refund_min_block_hours);
	if ((v = ytree_get(n, "refund_fee_percent")))
		get_intv(ld, v, "refund_fee_percent", 0, 100,
			 &p->billing.refund_fee_percent);
	if ((v = ytree_get(n, "overpayment_fee_percent")))
		get_intv(ld, v, "overpayment_fee_percent", 0, 100,
			 &p->billing.overpayment_fee_percent);
	if ((v = ytree_get(n, "refund_after_consumption")))
		get_bool(ld, v, "refund_after_consumption",
			 &p->billing.refund_after_consumption);
	if ((v = ytree_get(n, "invoice_cancel_at_month_end")))
		get_bool(ld, v, "invoice_cancel_at_month_end",
			 &p->billing.invoice_cancel_at_month_end);
}

static void
load_intake(struct ld *ld, const struct ynode *n)
{
	static const char *const keys[] = { "unknown_sender", "ack",
					    "duplicate_window",
					    "credential_reminder", NULL };
	static const char *const senders[] = { "create_contact",
					       "reply_instructions" };
	struct policy *p = ld->p;
	struct ynode *v;
	int k;

	if (!want_map(ld, n, "intake"))
		return;
	check_keys(ld, n, "intake", keys, NULL);
	if ((v = ytree_get(n, "unknown_sender")) &&
	    get_enum(ld, v, "intake.unknown_sender", senders, 2, &k))
		p->intake.unknown_sender = (enum unknown_sender)k;
	if ((v = ytree_get(n, "ack")))
		get_bool(ld, v, "intake.ack", &p->intake.ack);
	if ((v = ytree_get(n, "credential_reminder")))
		get_bool(ld, v, "intake.credential_reminder",
			 &p->intake.credential_reminder);
	if ((v = ytree_get(n, "duplicate_window")))
		get_duration(ld, v, "intake.duplicate_window", UNITS_TIME,
			     &p->intake.duplicate_window);
}

static void
load_products(struct ld *ld, const struct ynode *n)
{
	static const char *const keys[] = { "id", "name", "end_of_life", NULL };
	static const char *const req[] = { "id", "name", NULL };
	struct policy *p = ld->p;

	if (!want_seq(ld, n, "products"))
		return;
	p->products = ld_alloc(ld, n->n, sizeof *p->products);
	for (size_t i = 0; p->products && i < n->n; i++) {
		struct product_def *pd = &p->products[p->nproducts];
		const struct ynode *it = n->items[i];
		struct ynode *v, *idn;

		if (!want_map(ld, it, "a product"))
			continue;
		check_keys(ld, it, "a product", keys, req);
		idn = ytree_get(it, "id");
		if (!idn || !get_id(ld, idn, "product id", &pd->id))
			continue;
		if (find_id(pd->id, p->products, p->nproducts, sizeof *pd) >= 0) {
			problem(ld, idn, "product '%s' is defined twice", pd->id);
			continue;
		}
		if ((v = ytree_get(it, "name")))
			get_text(ld, v, "product name", &pd->name);
		if ((v = ytree_get(it, "end_of_life")) &&
		    get_date(ld, v, "end_of_life", &pd->eol_day))
			pd->has_eol = true;
		p->nproducts++;
	}
}

static void
resolve_refs(struct ld *ld, struct refs *rs)
{
	struct policy *p = ld->p;

	for (int i = 0; i < rs->n; i++) {
		struct ref *r = &rs->items[i];
		int k = -1;

		if (strcmp(r->what, "calendar") == 0)
			k = find_id(r->id, p->calendars, p->ncalendars,
				    sizeof *p->calendars);
		else if (strcmp(r->what, "after_hours") == 0)
			k = find_id(r->id, p->after_hours, p->nafter_hours,
				    sizeof *p->after_hours);
		else if (strcmp(r->what, "priority") == 0)
			k = find_id(r->id, p->priorities, p->npriorities,
				    sizeof *p->priorities);
		else if (strcmp(r->what, "category") == 0)
			k = find_id(r->id, p->categories, p->ncategories,
				    sizeof *p->categories);
		if (k < 0)
			problem(ld, r->at, "no %s '%s' is defined in this pack",
				r->what, r->id);
		else
			*r->slot = k;
	}
}

/* Durations in business units count on the SLA calendar. */
static void
bind_calendars(struct policy *p)
{
	struct duration *all[] = {
		&p->windows.reopen, &p->windows.auto_accept,
		&p->windows.auto_close_resolved, &p->windows.auto_close_waiting,
		&p->windows.warranty, &p->windows.project_defects,
		&p->windows.no_show_tolerance, &p->windows.cancellation,
		&p->windows.invoice_delinquent, &p->windows.invoice_due,
		&p->windows.contact_every, &p->intake.duplicate_window,
	};

	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		all[i]->calendar = p->sla.calendar;
	for (size_t i = 0; i < p->npriorities; i++) {
		p->priorities[i].first_response.calendar = p->sla.calendar;
		p->priorities[i].resolution.calendar = p->sla.calendar;
	}
	for (size_t i = 0; i < p->nplans; i++)
		for (size_t t = 0; t < p->plans[i].ntargets; t++) {
			p->plans[i].targets[t].first_response.calendar = p->sla.calendar;
			p->plans[i].targets[t].resolution.calendar = p->sla.calendar;
		}
}

static void
load_root(struct ld *ld, const struct ynode *root, const char *expect_id)
{
	static const char *const keys[] = { "pack", "format", "provider",
		"folio", "calendars", "after_hours", "priorities", "sla",
		"plans", "windows", "channels", "categories", "required_fields",
		"scope", "billing", "intake", "products", NULL };
	static const char *const req[] = { "pack", "format", "provider",
		"folio", "calendars", "priorities", "sla", "plans", "channels",
		"categories", NULL };
	struct refs *rs;
	struct ynode *v;
	int64_t fmt;

	if (!want_map(ld, root, "a policy pack"))
		return;
	rs = calloc(1, sizeof *rs);
	if (rs == NULL) {
		problem(ld, root, "out of memory");
		return;
	}
	check_keys(ld, root, "the pack", keys, req);
	if ((v = ytree_get(root, "pack")) && get_id(ld, v, "pack", &ld->p->id) &&
	    expect_id && strcmp(ld->p->id, expect_id) != 0)
		problem(ld, v, "pack id '%s' does not match the file name "
			"'%s'", ld->p->id, expect_id);
	if ((v = ytree_get(root, "format")) &&
	    get_int(ld, v, "format", 1, 1, &fmt))
		ld->p->format = (int)fmt;
	if ((v = ytree_get(root, "provider")))
		load_provider(ld, v);
	if ((v = ytree_get(root, "folio")))
		load_folio(ld, v);
	if ((v = ytree_get(root, "calendars")))
		load_calendars(ld, v);
	if ((v = ytree_get(root, "after_hours")))
		load_after_hours(ld, v);
	if ((v = ytree_get(root, "priorities")))
		load_priorities(ld, v);
	if ((v = ytree_get(root, "sla")))
		load_sla(ld, v, rs);
	if ((v = ytree_get(root, "categories")))
		load_categories(ld, v);
	if ((v = ytree_get(root, "plans")))
		load_plans(ld, v, rs);
	if ((v = ytree_get(root, "windows")))
		load_windows(ld, v);
	if ((v = ytree_get(root, "channels")))
		load_channels(ld, v, rs);
	if ((v = ytree_get(root, "required_fields")))
		load_required(ld, v);
	if ((v = ytree_get(root, "scope")))
		load_scope(ld, v);
	if ((v = ytree_get(root, "billing")))
		load_billing(ld, v);
	if ((v = ytree_get(root, "intake")))
		load_intake(ld, v);
	if ((v = ytree_get(root, "products")))
		load_products(ld, v);
	resolve_refs(ld, rs);
	bind_calendars(ld->p);
	free(rs);
}

/* Line and column (in characters, as libyaml counts them) of the first
 * byte at which `text` stops being valid UTF-8. */
static void
utf8_where(const char *text, size_t len, int *line, int *col)
{
	size_t i = 0;

	*line = 1;
	*col = 1;
	while (i < len) {
		size_t k = 1;

		/* One character: the shortest valid prefix of the rest. */
		while (k <= 4 && i + k <= len && !str_utf8_valid(text + i, k))
			k++;
		if (k > 4 || i + k > len)
			return;
		if (text[i] == '\n') {
			++*line;
			*col = 1;
		} else {
			++*col;
		}
		i += k;
	}
}

int
policy_parse(struct policy **out, const char *text, size_t len,
	     const char *file, const char *expect_id, struct policy_report *r)
{
	struct ld ld = { NULL, r, file };
	struct ynode *root = NULL;
	struct sp_err err = { 0 };
	struct policy *p;
	int before = r->count;

	if (!str_utf8_valid(text, len)) {
		int line, col;

		utf8_where(text, len, &line, &col);
		buf_printf(&r->text, "%s:%d:%d: the file is not valid UTF-8 "
			   "(save it as UTF-8)\n", file, line, col);
		r->count++;
		return SP_EINVAL;
	}
	if (ytree_parse(&root, text, len, &err)) {
		buf_printf(&r->text, "%s:%s\n", file, err.msg);
		r->count++;
		return SP_EINVAL;
	}
	p = calloc(1, sizeof *p);
	if (p == NULL) {
		ytree_free(root);
		return SP_ENOMEM;
	}
	arena_init(&p->arena, 64u << 20);
	p->windows.reopen_free_minutes = -1;
	p->intake.ack = true;
	p->billing.iva_percent = 16;
	ld.p = p;
	load_root(&ld, root, expect_id);
	ytree_free(root);
	if (r->count > before) {
		policy_free(p);
		return SP_EINVAL;
	}
	*out = p;
	return 0;
}

void
policy_free(struct policy *p)
{
	if (p == NULL)
		return;
	arena_free(&p->arena);
	free(p);
}

int
policy_priority_index(const struct policy *p, const char *id)
{
	return find_id(id, p->priorities, p->npriorities, sizeof *p->priorities);
}

int
policy_plan_index(const struct policy *p, const char *id)
{
	return find_id(id, p->plans, p->nplans, sizeof *p->plans);
}

int
policy_category_index(const struct policy *p, const char *id)
{
	return find_id(id, p->categories, p->ncategories, sizeof *p->categories);
}

const struct priority_def *
policy_default_priority(const struct policy *p)
{
	for (size_t i = 0; i < p->npriorities; i++)
		if (p->priorities[i].is_default)
			return &p->priorities[i];
	return p->npriorities ? &p->priorities[0] : NULL;
}
