/* ics.c — closed days to and from iCalendar, through libical loaded at
 * the first call. */
#include "ics.h"

#include "../util/buf.h"
#include "../util/civil.h"
#include "../util/str.h"

#include <dlfcn.h>
#include <libical/ical.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ICS_MAX_BYTES (4 << 20)
#define ICS_MAX_DAYS 20000
#define ICS_LAST_DAY_YEAR 2079

/* libical is loaded at the first ics_* call, not linked: only the
 * command line's calendar import and export read or write .ics files,
 * and linking it would map libical and the ICU and libstdc++ it depends
 * on into every soporte process, the server included (5.7 MiB of its
 * RSS; docs/benchmarks.md). Its headers still give each function's type,
 * so a call through the table is checked as a direct call would be. */
#define ICS_LIBRARY "libical.so.3"
#define ICS_FUNCTIONS(X) \
	X(icalcomponent_add_component) \
	X(icalcomponent_add_property) \
	X(icalcomponent_as_ical_string_r) \
	X(icalcomponent_free) \
	X(icalcomponent_get_dtend) \
	X(icalcomponent_get_dtstart) \
	X(icalcomponent_get_first_component) \
	X(icalcomponent_get_first_property) \
	X(icalcomponent_get_next_component) \
	X(icalcomponent_get_summary) \
	X(icalcomponent_isa) \
	X(icalcomponent_new) \
	X(icalparser_parse_string) \
	X(icalproperty_get_rrule) \
	X(icalproperty_new_dtend) \
	X(icalproperty_new_dtstamp) \
	X(icalproperty_new_dtstart) \
	X(icalproperty_new_prodid) \
	X(icalproperty_new_summary) \
	X(icalproperty_new_transp) \
	X(icalproperty_new_uid) \
	X(icalproperty_new_version) \
	X(icalproperty_new_x) \
	X(icalproperty_set_x_name) \
	X(icalrecur_iterator_free) \
	X(icalrecur_iterator_new) \
	X(icalrecur_iterator_next) \
	X(icaltime_is_null_time) \
	X(icaltime_null_date) \
	X(icaltimezone_get_utc_timezone)

static struct {
#define X(name) __typeof__(name) *name;
	ICS_FUNCTIONS(X)
#undef X
} ical;

static pthread_once_t ical_once = PTHREAD_ONCE_INIT;
static bool ical_ready;
static char ical_why[300]; /* why it could not be loaded */

/* Once per process, and kept loaded. pthread_once rather than a flag:
 * the command line is single-threaded, but the server's threads must
 * stay safe should a handler ever read a calendar. */
static void
ical_load(void)
{
	void *h = dlopen(ICS_LIBRARY, RTLD_NOW | RTLD_LOCAL);

	if (h == NULL) {
		snprintf(ical_why, sizeof ical_why, "%s", dlerror());
		return;
	}
#define X(name)                                                         \
	ical.name = (__typeof__(ical.name))dlsym(h, #name);             \
	if (ical.name == NULL) {                                        \
		snprintf(ical_why, sizeof ical_why, "%s has no %s",     \
			 ICS_LIBRARY, #name);                           \
		dlclose(h);                                             \
		return;                                                 \
	}
	ICS_FUNCTIONS(X)
#undef X
	ical_ready = true;
}

static int
ical_open(struct sp_err *err)
{
	pthread_once(&ical_once, ical_load);
	if (ical_ready)
		return 0;
	return sp_err_set(err, SP_EIO, "ics", "iCalendar files need libical, "
			  "which cannot be loaded (%s); install Debian's "
			  "libical3 (apt-get install libical3)", ical_why);
}

static int64_t
day_of(struct icaltimetype t)
{
	return civil_days(t.year, t.month, t.day);
}

static int
push(struct ics_day **v, size_t *n, size_t *cap, int64_t day,
     const char *name)
{
	if (*n >= ICS_MAX_DAYS)
		return SP_ETOOBIG;
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 64;
		struct ics_day *b = realloc(*v, nc * sizeof *b);

		if (b == NULL)
			return SP_ENOMEM;
		*v = b;
		*cap = nc;
	}
	(*v)[*n].day = day;
	(*v)[*n].name = strdup(name && *name ? name : "Cerrado");
	if ((*v)[*n].name == NULL)
		return SP_ENOMEM;
	(*n)++;
	return 0;
}

static int
cmp_day(const void *a, const void *b)
{
	const struct ics_day *x = a, *y = b;

	return (x->day > y->day) - (x->day < y->day);
}

void
ics_days_free(struct ics_day *days, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(days[i].name);
	free(days);
}

/* Each recurrence of an event up to ICS_LAST_DAY_YEAR, `span` days each. */
static int
push_recurrences(struct ics_day **v, size_t *n, size_t *cap,
		 icalproperty *rr, struct icaltimetype s, int64_t span,
		 const char *name, struct sp_err *err)
{
	icalrecur_iterator *it;
	struct icaltimetype t;
	int rc = 0;

	it = ical.icalrecur_iterator_new(ical.icalproperty_get_rrule(rr), s);
	if (it == NULL)
		return sp_err_set(err, SP_EINVAL, "ics", "event '%s' has a "
				  "recurrence libical cannot expand",
				  name ? name : "?");
	while (rc == 0) {
		t = ical.icalrecur_iterator_next(it);
		if (ical.icaltime_is_null_time(t) || t.year > ICS_LAST_DAY_YEAR)
			break;
		for (int64_t k = 0; k < span && rc == 0; k++)
			rc = push(v, n, cap, day_of(t) + k, name);
	}
	ical.icalrecur_iterator_free(it);
	return rc;
}

/* The days one event covers: its span, once or at each recurrence. */
static int
push_event(struct ics_day **v, size_t *n, size_t *cap, icalcomponent *ev,
	   struct sp_err *err)
{
	struct icaltimetype s = ical.icalcomponent_get_dtstart(ev);
	struct icaltimetype e = ical.icalcomponent_get_dtend(ev);
	const char *name = ical.icalcomponent_get_summary(ev);
	icalproperty *rr = ical.icalcomponent_get_first_property(
		ev, ICAL_RRULE_PROPERTY);
	int64_t span = 1;
	int rc = 0;

	if (ical.icaltime_is_null_time(s))
		return sp_err_set(err, SP_EINVAL, "ics", "an event ('%s') has "
				  "no DTSTART", name ? name : "?");
	if (!ical.icaltime_is_null_time(e) && s.is_date) {
		span = day_of(e) - day_of(s);
		if (span < 1)
			span = 1;
	}
	if (span > 366)
		return sp_err_set(err, SP_EINVAL, "ics", "event '%s' spans "
				  "%lld days; at most 366", name ? name : "?",
				  (long long)span);
	if (rr)
		rc = push_recurrences(v, n, cap, rr, s, span, name, err);
	else
		for (int64_t k = 0; k < span && rc == 0; k++)
			rc = push(v, n, cap, day_of(s) + k, name);
	if (rc == SP_ETOOBIG)
		return sp_err_set(err, rc, "ics", "more than %d days",
				  ICS_MAX_DAYS);
	if (rc == SP_ENOMEM)
		return sp_err_set(err, rc, "ics", "out of memory");
	return rc;
}

/* Sorted, each day once (the first name wins). */
static size_t
sort_days(struct ics_day *v, size_t n)
{
	size_t k = 0;

	qsort(v, n, sizeof *v, cmp_day);
	for (size_t i = 0; i < n; i++) {
		if (k > 0 && v[k - 1].day == v[i].day) {
			free(v[i].name);
			continue;
		}
		v[k++] = v[i];
	}
	return k;
}

int
ics_parse_days(struct ics_day **out, size_t *n_out, const char *text,
	       struct sp_err *err)
{
	icalcomponent *root, *ev;
	struct ics_day *v = NULL;
	size_t n = 0, cap = 0;
	int rc;

	if ((rc = ical_open(err)))
		return rc;
	if (!str_utf8_valid(text, strlen(text)))
		return sp_err_set(err, SP_EINVAL, "ics", "the calendar is not "
				  "valid UTF-8");
	root = ical.icalparser_parse_string(text);
	if (root == NULL)
		return sp_err_set(err, SP_EINVAL, "ics", "not an iCalendar "
				  "file (no BEGIN:VCALENDAR found)");
	/* The file may be a lone VEVENT rather than a VCALENDAR. */
	if (ical.icalcomponent_isa(root) == ICAL_VEVENT_COMPONENT)
		rc = push_event(&v, &n, &cap, root, err);
	else
		for (ev = ical.icalcomponent_get_first_component(
			     root, ICAL_VEVENT_COMPONENT);
		     ev && rc == 0;
		     ev = ical.icalcomponent_get_next_component(
			     root, ICAL_VEVENT_COMPONENT))
			rc = push_event(&v, &n, &cap, ev, err);
	ical.icalcomponent_free(root);
	if (rc) {
		ics_days_free(v, n);
		return rc;
	}
	*out = v;
	*n_out = sort_days(v, n);
	return 0;
}

int
ics_read_days(struct ics_day **out, size_t *n, const char *path,
	      struct sp_err *err)
{
	FILE *f;
	struct buf b;
	char chunk[8192];
	size_t got;
	int rc;

	if ((rc = ical_open(err)))
		return rc;
	f = fopen(path, "rb");
	if (f == NULL)
		return sp_err_set(err, SP_ENOTFOUND, "ics", "cannot read %s",
				  path);
	buf_init(&b, ICS_MAX_BYTES);
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (buf_add(&b, chunk, got)) {
			fclose(f);
			buf_free(&b);
			return sp_err_set(err, SP_ETOOBIG, "ics", "%s is larger "
					  "than 4 MiB", path);
		}
	fclose(f);
	rc = ics_parse_days(out, n, b.ptr, err);
	buf_free(&b);
	return rc;
}

static struct icaltimetype
ical_date(int64_t day)
{
	struct civil_date d = civil_from_days(day);
	struct icaltimetype t = ical.icaltime_null_date();

	t.year = d.y;
	t.month = d.m;
	t.day = d.d;
	return t;
}

/* One closed day as an all-day event. */
static icalcomponent *
day_event(int64_t day)
{
	icalcomponent *ev = ical.icalcomponent_new(ICAL_VEVENT_COMPONENT);
	struct icaltimetype s = ical_date(day), st = s;
	char uid[64];

	if (ev == NULL)
		return NULL;
	snprintf(uid, sizeof uid, "%04d%02d%02d-closed@soporte", s.year,
		 s.month, s.day);
	/* DTSTAMP fixed to the day itself: the same calendar always
	 * exports to the same bytes. */
	st.is_date = 0;
	st.hour = st.minute = st.second = 0;
	st.zone = ical.icaltimezone_get_utc_timezone();
	ical.icalcomponent_add_property(ev, ical.icalproperty_new_uid(uid));
	ical.icalcomponent_add_property(ev, ical.icalproperty_new_dtstamp(st));
	ical.icalcomponent_add_property(ev, ical.icalproperty_new_dtstart(s));
	ical.icalcomponent_add_property(
		ev, ical.icalproperty_new_dtend(ical_date(day + 1)));
	ical.icalcomponent_add_property(
		ev, ical.icalproperty_new_summary("Cerrado / Closed"));
	ical.icalcomponent_add_property(
		ev, ical.icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
	return ev;
}

int
ics_write_days(char **out, const int64_t *days, size_t n, const char *name,
	       struct sp_err *err)
{
	icalcomponent *cal;
	icalproperty *calname;
	char *text;
	int rc;

	if ((rc = ical_open(err)))
		return rc;
	cal = ical.icalcomponent_new(ICAL_VCALENDAR_COMPONENT);
	if (cal == NULL)
		return sp_err_set(err, SP_ENOMEM, "ics", "out of memory");
	ical.icalcomponent_add_property(cal,
					ical.icalproperty_new_version("2.0"));
	ical.icalcomponent_add_property(cal, ical.icalproperty_new_prodid(
		"-//soporte//closed days//ES"));
	calname = ical.icalproperty_new_x(name ? name : "soporte");
	ical.icalproperty_set_x_name(calname, "X-WR-CALNAME");
	ical.icalcomponent_add_property(cal, calname);
	for (size_t i = 0; i < n; i++) {
		icalcomponent *ev = day_event(days[i]);

		if (ev == NULL) {
			ical.icalcomponent_free(cal);
			return sp_err_set(err, SP_ENOMEM, "ics",
					  "out of memory");
		}
		ical.icalcomponent_add_component(cal, ev);
	}
	text = ical.icalcomponent_as_ical_string_r(cal);
	ical.icalcomponent_free(cal);
	if (text == NULL)
		return sp_err_set(err, SP_ENOMEM, "ics", "out of memory");
	*out = text;
	return 0;
}
