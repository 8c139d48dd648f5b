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
};

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
	*out = z;
	return 0;
}

void
zone_free(struct zone *z)
{
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
	struct icaltimetype tt = icaltime_from_timet_with_zone(
		(time_t)instant, 0, icaltimezone_get_utc_timezone());
	int dst = 0;

	return icaltimezone_get_utc_offset_of_utc_time(z->tz, &tt, &dst);
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
