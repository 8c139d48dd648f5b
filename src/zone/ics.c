#include "ics.h"

#include "../util/buf.h"
#include "../util/civil.h"
#include "../util/str.h"

#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ICS_MAX_BYTES (4 << 20)
#define ICS_MAX_DAYS 20000
#define ICS_LAST_DAY_YEAR 2079

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

int
ics_parse_days(struct ics_day **out, size_t *n_out, const char *text,
	       struct sp_err *err)
{
	icalcomponent *root, *ev;
	struct ics_day *v = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;

	if (!str_utf8_valid(text, strlen(text)))
		return sp_err_set(err, SP_EINVAL, "ics", "the calendar is not "
				  "valid UTF-8");
	root = icalparser_parse_string(text);
	if (root == NULL)
		return sp_err_set(err, SP_EINVAL, "ics", "not an iCalendar "
				  "file (no BEGIN:VCALENDAR found)");
	ev = icalcomponent_isa(root) == ICAL_VEVENT_COMPONENT ? root :
	     icalcomponent_get_first_component(root, ICAL_VEVENT_COMPONENT);
	for (; ev && rc == 0;
	     ev = ev == root ? NULL :
		  icalcomponent_get_next_component(root, ICAL_VEVENT_COMPONENT)) {
		struct icaltimetype s = icalcomponent_get_dtstart(ev);
		struct icaltimetype e = icalcomponent_get_dtend(ev);
		const char *name = icalcomponent_get_summary(ev);
		icalproperty *rr = icalcomponent_get_first_property(
			ev, ICAL_RRULE_PROPERTY);
		int64_t span = 1;

		if (icaltime_is_null_time(s)) {
			rc = sp_err_set(err, SP_EINVAL, "ics", "an event ('%s') "
					"has no DTSTART", name ? name : "?");
			break;
		}
		if (!icaltime_is_null_time(e) && s.is_date) {
			span = day_of(e) - day_of(s);
			if (span < 1)
				span = 1;
		}
		if (span > 366) {
			rc = sp_err_set(err, SP_EINVAL, "ics", "event '%s' spans "
					"%lld days; at most 366", name ? name : "?",
					(long long)span);
			break;
		}
		if (rr) {
			struct icalrecurrencetype rule = icalproperty_get_rrule(rr);
			icalrecur_iterator *it = icalrecur_iterator_new(rule, s);
			struct icaltimetype t;

			if (it == NULL) {
				rc = sp_err_set(err, SP_EINVAL, "ics", "event '%s' "
						"has a recurrence libical cannot "
						"expand", name ? name : "?");
				break;
			}
			while (rc == 0 &&
			       !icaltime_is_null_time(t = icalrecur_iterator_next(it)) &&
			       t.year <= ICS_LAST_DAY_YEAR)
				for (int64_t k = 0; k < span && rc == 0; k++)
					rc = push(&v, &n, &cap, day_of(t) + k, name);
			icalrecur_iterator_free(it);
		} else {
			for (int64_t k = 0; k < span && rc == 0; k++)
				rc = push(&v, &n, &cap, day_of(s) + k, name);
		}
		if (rc == SP_ETOOBIG)
			rc = sp_err_set(err, rc, "ics", "more than %d days",
					ICS_MAX_DAYS);
		else if (rc == SP_ENOMEM)
			rc = sp_err_set(err, rc, "ics", "out of memory");
	}
	icalcomponent_free(root);
	if (rc) {
		ics_days_free(v, n);
		return rc;
	}
	qsort(v, n, sizeof *v, cmp_day);
	/* Each day once. */
	{
		size_t k = 0;

		for (size_t i = 0; i < n; i++) {
			if (k > 0 && v[k - 1].day == v[i].day) {
				free(v[i].name);
				continue;
			}
			v[k++] = v[i];
		}
		n = k;
	}
	*out = v;
	*n_out = n;
	return 0;
}

int
ics_read_days(struct ics_day **out, size_t *n, const char *path,
	      struct sp_err *err)
{
	FILE *f = fopen(path, "rb");
	struct buf b;
	char chunk[8192];
	size_t got;
	int rc;

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

int
ics_write_days(char **out, const int64_t *days, size_t n, const char *name,
	       struct sp_err *err)
{
	icalcomponent *cal = icalcomponent_new(ICAL_VCALENDAR_COMPONENT);
	char *text;

	if (cal == NULL)
		return sp_err_set(err, SP_ENOMEM, "ics", "out of memory");
	icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
	icalcomponent_add_property(cal, icalproperty_new_prodid(
		"-//soporte//closed days//ES"));
	icalcomponent_add_property(cal, icalproperty_new_x(name ? name : "soporte"));
	icalproperty_set_x_name(icalcomponent_get_first_property(
		cal, ICAL_X_PROPERTY), "X-WR-CALNAME");
	for (size_t i = 0; i < n; i++) {
		struct civil_date d = civil_from_days(days[i]);
		struct civil_date e = civil_from_days(days[i] + 1);
		icalcomponent *ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);
		struct icaltimetype s = icaltime_null_date(), t = icaltime_null_date();
		char uid[64];

		s.year = d.y;
		s.month = d.m;
		s.day = d.d;
		t.year = e.y;
		t.month = e.m;
		t.day = e.d;
		snprintf(uid, sizeof uid, "%04d%02d%02d-closed@soporte", d.y,
			 d.m, d.d);
		icalcomponent_add_property(ev, icalproperty_new_uid(uid));
		/* DTSTAMP fixed to the day itself: the same calendar always
		 * exports to the same bytes. */
		{
			struct icaltimetype st = s;

			st.is_date = 0;
			st.hour = st.minute = st.second = 0;
			st.zone = icaltimezone_get_utc_timezone();
			icalcomponent_add_property(ev, icalproperty_new_dtstamp(st));
		}
		icalcomponent_add_property(ev, icalproperty_new_dtstart(s));
		icalcomponent_add_property(ev, icalproperty_new_dtend(t));
		icalcomponent_add_property(ev, icalproperty_new_summary(
			"Cerrado / Closed"));
		icalcomponent_add_property(ev, icalproperty_new_transp(
			ICAL_TRANSP_TRANSPARENT));
		icalcomponent_add_component(cal, ev);
	}
	text = icalcomponent_as_ical_string_r(cal);
	icalcomponent_free(cal);
	if (text == NULL)
		return sp_err_set(err, SP_ENOMEM, "ics", "out of memory");
	*out = text;
	return 0;
}
