#include "zone.h"

#include "tzif.h"

#include "../util/buf.h"
#include "../util/civil.h"
#include "../util/sorted.h"
#include "../util/str.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Zones come from the system's time-zone database (/usr/share/zoneinfo,
 * kept current by the tzdata package), read here from its TZif files as
 * glibc reads them. ICU 72 as shipped in Debian 12 carries its own copy,
 * tzdata 2022e, which still gives Mexico City daylight saving time after
 * Mexico abolished it in October 2022; an SLA engine for Mexican
 * providers cannot run on that. */
struct zone {
	struct tzif src; /* the file: answers outside the table */
	char id[ZONE_ID_MAX + 1];
	/* The offsets between TABLE_LO and TABLE_HI as a list of changes,
	 * built once at open: a business calendar converts tens of
	 * thousands of instants when it is built, and the footer's rule
	 * would otherwise be worked out again for each. */
	int off0;       /* the offset at TABLE_LO */
	size_t n;       /* changes */
	int64_t *at;    /* the first instant of each new offset, ascending */
	int *off;
};

/* 1999-12-25 to 2080-01-10 UTC: the years a calendar is built for
 * (bizcal.h), with some days either side for local-time readings. */
#define TABLE_LO 946080000LL
#define TABLE_HI 3472070400LL

/* A zone file is a few KiB; anything much larger is not one. */
#define ZONE_FILE_MAX (1 << 20)

static int
zone_push(struct zone *z, size_t *cap, int64_t at, int off)
{
	if (z->n == *cap) {
		size_t nc = *cap ? *cap * 2 : 64;
		int64_t *a = realloc(z->at, nc * sizeof *a);
		int *o;

		if (a == NULL)
			return SP_ENOMEM;
		z->at = a;
		o = realloc(z->off, nc * sizeof *o);
		if (o == NULL)
			return SP_ENOMEM;
		z->off = o;
		*cap = nc;
	}
	z->at[z->n] = at;
	z->off[z->n++] = off;
	return 0;
}

/* The file's transitions and its footer's rule between TABLE_LO and
 * TABLE_HI, keeping only those that change the offset. */
static int
zone_table(struct zone *z)
{
	size_t cap = 0;
	int64_t t = TABLE_LO, at;
	int off, prev = tzif_offset(&z->src, TABLE_LO);

	z->off0 = prev;
	while (tzif_next(&z->src, t, &at, &off) && at <= TABLE_HI) {
		if (off != prev && zone_push(z, &cap, at, off))
			return SP_ENOMEM;
		prev = off;
		t = at;
	}
	return 0;
}

#define ZONE_ID_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" \
	"0123456789/_+-"

/* A refused name as a message may show it: at most ZONE_ID_MAX bytes,
 * anything outside ZONE_ID_CHARS and '.' as '?'. */
static void
zone_shown(char out[ZONE_ID_MAX + 1], const char *tzid)
{
	size_t n = 0;

	for (; tzid[n] && n < ZONE_ID_MAX; n++)
		out[n] = strchr(ZONE_ID_CHARS ".", tzid[n]) ? tzid[n] : '?';
	out[n] = '\0';
}

/* An IANA name and nothing else: it becomes a path under the zone
 * directory, so no "..", no leading "/", no other characters. */
static int
zone_check_id(const char *tzid, struct sp_err *err)
{
	const char *want = "want an IANA name such as America/Mexico_City";
	char shown[ZONE_ID_MAX + 1];

	if (tzid == NULL || *tzid == '\0')
		return sp_err_set(err, SP_EINVAL, "tz", "no time zone given "
				  "(%s)", want);
	zone_shown(shown, tzid);
	if (strlen(tzid) > ZONE_ID_MAX)
		return sp_err_set(err, SP_EINVAL, "tz", "time zone '%s...' is "
				  "longer than %d bytes (%s)", shown,
				  ZONE_ID_MAX, want);
	if (tzid[0] == '/')
		return sp_err_set(err, SP_EINVAL, "tz", "time zone '%s' is a "
				  "path (%s)", shown, want);
	if (strstr(tzid, ".."))
		return sp_err_set(err, SP_EINVAL, "tz", "time zone '%s' climbs "
				  "out of the zone directory with '..' (%s)",
				  shown, want);
	if (tzid[strspn(tzid, ZONE_ID_CHARS)] != '\0')
		return sp_err_set(err, SP_EINVAL, "tz", "time zone '%s' has a "
				  "character outside A-Z a-z 0-9 / _ + - (%s)",
				  shown, want);
	return 0;
}

/* The zone directory: $TZDIR when set, as glibc reads it. */
static const char *
zone_dir(void)
{
	const char *d = getenv("TZDIR");

	return d && *d ? d : "/usr/share/zoneinfo";
}

/* The zone file's real path, which must lie inside the real zone
 * directory: a symbolic link may not lead out of it. Caller frees. */
static int
zone_path(char **out, const char *tzid, struct sp_err *err)
{
	const char *dir = zone_dir();
	char *rdir = NULL, *rfile = NULL;
	struct buf path;
	size_t n;
	int rc = 0;

	buf_init(&path, 4096);
	if (buf_printf(&path, "%s/%s", dir, tzid)) {
		rc = sp_err_set(err, SP_EINVAL, "tz", "time zone '%s': the "
				"path under %s is too long", tzid, dir);
		goto out;
	}
	rdir = realpath(dir, NULL);
	rfile = rdir ? realpath(path.ptr, NULL) : NULL;
	if (rdir == NULL) {
		rc = sp_err_set(err, SP_EINVAL, "tz", "unknown time zone '%s': "
				"the zone directory %s cannot be read (%s; "
				"install Debian's tzdata, or fix TZDIR)", tzid,
				dir, strerror(errno));
		goto out;
	}
	if (rfile == NULL && (errno == ENOENT || errno == ENOTDIR)) {
		rc = sp_err_set(err, SP_EINVAL, "tz", "unknown time zone '%s' "
				"(want an IANA name such as "
				"America/Mexico_City; %s has no %s)", tzid, dir,
				tzid);
		goto out;
	}
	if (rfile == NULL) {
		rc = sp_err_set(err, SP_EINVAL, "tz", "time zone '%s': cannot "
				"resolve %s (%s)", tzid, path.ptr,
				strerror(errno));
		goto out;
	}
	n = strlen(rdir);
	if (strncmp(rfile, rdir, n) != 0 ||
	    (rfile[n] != '/' && strcmp(rdir, "/") != 0)) {
		rc = sp_err_set(err, SP_EINVAL, "tz", "time zone '%s' leads "
				"out of the zone directory %s (to %s)", tzid,
				rdir, rfile);
		goto out;
	}
	*out = rfile;
	rfile = NULL;
out:
	free(rdir);
	free(rfile);
	buf_free(&path);
	return rc;
}

/* The whole of a regular file, at most ZONE_FILE_MAX bytes. */
static int
zone_slurp(struct buf *b, const char *tzid, const char *path,
	   struct sp_err *err)
{
	FILE *f = fopen(path, "rb");
	struct stat st = { 0 };
	char chunk[4096];
	size_t got;
	int rc = 0;

	if (f == NULL)
		return sp_err_set(err, SP_EINVAL, "tz", "time zone '%s': "
				  "cannot read %s (%s)", tzid, path,
				  strerror(errno));
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode))
		rc = sp_err_set(err, SP_EINVAL, "tz", "time zone '%s': %s is "
				"%s, not a zone file", tzid, path,
				S_ISDIR(st.st_mode) ? "a directory" :
				"not a regular file");
	while (rc == 0 && (got = fread(chunk, 1, sizeof chunk, f)) > 0) {
		rc = buf_add(b, chunk, got);
		if (rc == SP_ETOOBIG)
			rc = sp_err_set(err, SP_EINVAL, "tz", "time zone "
					"'%s': %s is larger than %d KiB, not a "
					"zone file", tzid, path,
					ZONE_FILE_MAX >> 10);
		else if (rc)
			rc = sp_err_set(err, rc, "tz", "out of memory");
	}
	if (rc == 0 && ferror(f))
		rc = sp_err_set(err, SP_EINVAL, "tz", "time zone '%s': cannot "
				"read %s", tzid, path);
	fclose(f);
	return rc;
}

/* Checks the name, finds the file, reads and checks it. */
static int
zone_load(struct tzif *out, const char *tzid, struct sp_err *err)
{
	char *path = NULL;
	struct buf b;
	int rc;

	if ((rc = zone_check_id(tzid, err)) ||
	    (rc = zone_path(&path, tzid, err)))
		return rc;
	buf_init(&b, ZONE_FILE_MAX);
	if ((rc = zone_slurp(&b, tzid, path, err)) == 0)
		rc = tzif_parse(out, (const unsigned char *)b.ptr, b.len, tzid,
				err);
	buf_free(&b);
	free(path);
	return rc;
}

bool
zone_exists(const char *tzid)
{
	struct tzif t;

	if (zone_load(&t, tzid, NULL))
		return false;
	tzif_free(&t);
	return true;
}

int
zone_open(struct zone **out, const char *tzid, struct sp_err *err)
{
	struct zone *z;
	int rc;

	z = calloc(1, sizeof *z);
	if (z == NULL)
		return sp_err_set(err, SP_ENOMEM, "tz", "out of memory");
	if ((rc = zone_load(&z->src, tzid, err))) {
		free(z);
		return rc;
	}
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
	tzif_free(&z->src);
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
	size_t k;

	if (instant < TABLE_LO || instant > TABLE_HI)
		return tzif_offset(&z->src, instant);
	/* The last change at or before the instant. */
	k = sorted_count_upto(z->at, z->n, instant);
	return k ? z->off[k - 1] : z->off0;
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
