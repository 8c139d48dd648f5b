/* zone.h — IANA time zones from the system's database: the TZif files
 * under /usr/share/zoneinfo (or $TZDIR), read and checked by zone/ itself,
 * so that offsets agree with glibc's reading of the same files. */
#ifndef SP_ZONE_H
#define SP_ZONE_H

#include "../util/err.h"

#include <stdbool.h>
#include <stdint.h>

struct zone;

/* The longest zone name accepted; IANA's are under 32 bytes. */
#define ZONE_ID_MAX 63

/* Opens `tzid` ("America/Mexico_City"); SP_EINVAL, with a message that
 * names the zone and what is wrong, if the name is not a plain IANA name
 * (no "..", no leading "/", only A-Z a-z 0-9 / _ + -), if the zone
 * directory has no such file, or if the file is not a sound TZif file. */
int zone_open(struct zone **out, const char *tzid, struct sp_err *err);
void zone_free(struct zone *z);
const char *zone_id(const struct zone *z);
/* Whether zone_open would succeed: the same checks and the same reader. */
bool zone_exists(const char *tzid);

/* UTC offset in seconds in force at `instant` (standard + daylight). */
int zone_offset(struct zone *z, int64_t instant);
/* The instant of a wall-clock reading (`local` = the reading as seconds
 * since 1970-01-01T00:00 of that clock). A reading skipped by a DST jump
 * maps to the instant after the jump; a repeated one to its first
 * occurrence. */
int64_t zone_from_local(struct zone *z, int64_t local);
/* The wall-clock reading at `instant`, as seconds since the local epoch. */
int64_t zone_to_local(struct zone *z, int64_t instant);
/* ISO 8601 with the offset in force: "2026-03-17T18:30:00-06:00". */
void zone_format(struct zone *z, int64_t instant, char out[32]);
/* Parses an instant: with an explicit offset taken as is, without one as a
 * wall-clock reading in z. */
int zone_parse(struct zone *z, int64_t *out, const char *s);

#endif
