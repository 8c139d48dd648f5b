#include "zone.h"

#include "../util/civil.h"
#include "../util/str.h"

#include <libical/ical.h>
#include <stdlib.h>
#include <string.h>

/* Zones come from the system's time-zone database (/usr/share/zoneinfo,
 * kept current by the tzdata package) through libical. ICU 72 as shipped
 * in Debian 12 carries its own copy, tzdata 2022e, which still gives
 * Mexico City daylight saving time after Mexico abolished it in October
 * 2022; an SLA engine for Mexican providers cannot run on that. */
struct zone {
	icaltimezone *tz; /* libical's, shared and cached; not ours to free */
	char id[64];
	/* The offsets between TABLE_LO and TABLE_HI as a list of changes,
	 * read from libical once at open: a business calendar converts
	 * tens of thousands of instants when it is built, and a binary
	 * search here is far cheaper than libical's lookup each time. */
	int off0;       /* the offset at TABLE_LO */
	size_t n;       /* changes */
	int64_t *at;    /* the first instant of each new offset, ascending */
	int *off;
};

/* 1999-12-25 to 2080-01-10 UTC: the years a calendar is built for
 * (bizcal.h), with some days either side for local-time readings. */
#define TABLE_LO 946080000LL
#define TABLE_HI 3472070400LL

static int
ical_offset(icaltimezone *tz, int64_t instant)
{
	struct icaltimetype tt = icaltime_from_timet_with_zone(
		(time_t)instant, 0, icaltimezone_get_utc_timezone());
	int dst = 0;

	return icaltimezone_get_utc_offset_of_utc_time(tz, &tt, &dst);
}

/* Samples the offset each day and bisects to the second where it
 * changes. Two changes within one day would be missed; no zone has
 * had them in these years. */
static int
zone_table(struct zone *z)
{
	size_t cap = 0;
	int prev = ical_offset(z->tz, TABLE_LO);

	z->off0 = prev;
	for (int64_t t = TABLE_LO + 86400; t <= TABLE_HI; t += 86400) {
		int o = ical_offset(z->tz, t);
		int64_t lo = t - 86400, hi = t;

		if (o == prev)
			continue;
		while (hi - lo > 1) {
			int64_t mid = lo + (hi - lo) / 2;

			if (ical_offset(z->tz, mid) == prev)
				lo = mid;
			else
				hi = mid;
		}
		if (z->n == cap) {
			size_t nc = cap ? cap * 2 : 64;
			int64_t *at = realloc(z->at, nc * sizeof *at);
			int *off;

			if (at == NULL)
				return SP_ENOMEM;
			z->at = at;
			off = realloc(z->off, nc * sizeof *off);
			if (off == NULL)
				return SP_ENOMEM;
			z->off = off;
			cap = nc;
		}
		z->at[z->n] = hi;
		z->off[z->n++] = o;
		prev = o;
	}
	return 0;
}

static icaltimezone *
zone_lookup(const char *tzid)
{
	if (tzid == NULL || *tzid == '\0' || strlen(tzid) >= 64 ||
	    strchr(tzid, ' ') || strstr(tzid, ".."))
		return NULL;
	/* libical keeps a process-wide cache of the zones it has read. */
	return icaltimezone_get_builtin_timezone(tzid);
}

bool
zone_exists(const char *tzid)
{
	return zone_lookup(tzid) != NULL;
}

int
zone_open(struct zone **out, const char *tzid, struct sp_err *err)
{
	icaltimezone *tz = zone_lookup(tzid);
	struct zone *z;

	if (tz == NULL)
		return sp_err_set(err, SP_EINVAL, "tz",
				  "unknown time zone '%s' (want an IANA name "
				  "such as America/Mexico_City)",
				  tzid ? tzid : "");
	z = calloc(1, sizeof *z);
	if (z == NULL)
		return sp_err_set(err, SP_ENOMEM, "tz", "out of memory");
	z->tz = tz;
	str_copy(z->id, tzid, sizeof z->id);
	if (zone_table(z)) {
		zone_free(z);
		return sp_err_set(err, SP_ENOMEM, "tz", "out of memory");
	}
	*out = z;
	return 0;
}

void
zone_free(struct zone *z)
{
	if (z == NULL)
		return;
	free(z->at);
	free(z->off);
	free(z);
}

const char *
zone_id(const struct zone *z)
{
	return z->id;
}

int
zone_offset(struct zone *z, int64_t instant)
{
	size_t lo = 0, hi = z->n;

	if (instant < TABLE_LO || instant > TABLE_HI)
		return ical_offset(z->tz, instant);
	/* The last change at or before the instant. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (z->at[mid] <= instant)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? z->off[lo - 1] : z->off0;
}

int64_t
zone_to_local(struct zone *z, int64_t instant)
{
	return instant + zone_offset(z, instant);
}

int64_t
zone_from_local(struct zone *z, int64_t local)
{
	/* Try the offsets in force a day either side: a reading matches an
	 * offset when converting back gives it. The first offset before the
	 * reading wins for a repeated hour; a skipped reading has no match
	 * and moves forward by the jump. */
	int before = zone_offset(z, local - 86400);
	int after = zone_offset(z, local + 86400);
	int64_t t;

	t = local - before;
	if (zone_offset(z, t) == before)
		return t;
	t = local - after;
	if (zone_offset(z, t) == after)
		return t;
	/* Skipped by a jump forward: the same distance past the jump. */
	return local - before;
}

void
zone_format(struct zone *z, int64_t instant, char out[32])
{
	civil_format(out, instant, zone_offset(z, instant));
}

int
zone_parse(struct zone *z, int64_t *out, const char *s)
{
	bool has;
	int64_t t;

	if (civil_parse_local(&t, &has, s))
		return SP_EINVAL;
	*out = has ? t : zone_from_local(z, t);
	return 0;
}

void
zone_cleanup(void)
{
	icaltimezone_free_builtin_timezones();
}
