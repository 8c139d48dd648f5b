#include "zone.h"

#include "../util/civil.h"
#include "../util/str.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/ucal.h>
#include <unicode/uclean.h>
#include <unicode/ustring.h>

struct zone {
	UCalendar *cal;
	char id[64];
};

static int
zone_uid(UChar *out, int32_t cap, const char *tzid)
{
	UErrorCode st = U_ZERO_ERROR;
	int32_t n;

	u_strFromUTF8(out, cap, &n, tzid, -1, &st);
	if (U_FAILURE(st) || n >= cap)
		return -1;
	return n;
}

bool
zone_exists(const char *tzid)
{
	UChar id[64], canon[64];
	UErrorCode st = U_ZERO_ERROR;
	UBool sys = 0;
	int32_t n;

	if (tzid == NULL || strlen(tzid) >= 64 || strcmp(tzid, "Etc/Unknown") == 0)
		return false;
	n = zone_uid(id, 64, tzid);
	if (n < 0)
		return false;
	ucal_getCanonicalTimeZoneID(id, n, canon, 64, &sys, &st);
	return U_SUCCESS(st) && sys;
}

int
zone_open(struct zone **out, const char *tzid, struct sp_err *err)
{
	UChar id[64];
	UErrorCode st = U_ZERO_ERROR;
	struct zone *z;
	int32_t n;

	if (!zone_exists(tzid))
		return sp_err_set(err, SP_EINVAL, "tz",
				  "unknown time zone '%s' (want an IANA name "
				  "such as America/Mexico_City)",
				  tzid ? tzid : "");
	n = zone_uid(id, 64, tzid);
	z = calloc(1, sizeof *z);
	if (z == NULL)
		return sp_err_set(err, SP_ENOMEM, "tz", "out of memory");
	z->cal = ucal_open(id, n, "en_US_POSIX", UCAL_GREGORIAN, &st);
	if (U_FAILURE(st)) {
		free(z);
		return sp_err_set(err, SP_EINVAL, "tz",
				  "ICU cannot open time zone '%s': %s", tzid,
				  u_errorName(st));
	}
	/* Proleptic Gregorian: no Julian switch in 1582 to surprise us. */
	ucal_setGregorianChange(z->cal, -8.64e15, &st);
	str_copy(z->id, tzid, sizeof z->id);
	*out = z;
	return 0;
}

void
zone_free(struct zone *z)
{
	if (z == NULL)
		return;
	if (z->cal)
		ucal_close(z->cal);
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
	UErrorCode st = U_ZERO_ERROR;
	int32_t raw, dst;

	ucal_setMillis(z->cal, (UDate)instant * 1000.0, &st);
	raw = ucal_get(z->cal, UCAL_ZONE_OFFSET, &st);
	dst = ucal_get(z->cal, UCAL_DST_OFFSET, &st);
	if (U_FAILURE(st))
		return 0;
	return (raw + dst) / 1000;
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
	u_cleanup();
}
