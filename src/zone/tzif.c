/* tzif.c — the TZif reader: headers, the data block and the footer, each
 * count checked against the bytes that are really there. */
#include "tzif.h"

#include "../util/sorted.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEADER_BYTES 44
/* RFC 8536 asks UTC offsets to stay within -25 h and +26 h. */
#define OFFSET_MIN (-89999)
#define OFFSET_MAX 93599

struct header {
	int version; /* 1, 2, 3 or 4 */
	uint32_t isut, isstd, leap, time, type, chars;
};

/* Every refusal names the zone: "time zone 'X': what is wrong". */
static int __attribute__((format(printf, 3, 4)))
refuse(struct sp_err *err, const char *zone, const char *fmt, ...)
{
	char what[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	return sp_err_set(err, SP_EINVAL, "tz", "time zone '%.64s': %s", zone,
			  what);
}

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static int64_t
be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

static int
read_header(struct header *h, const unsigned char *p, size_t left,
	    const char *zone, struct sp_err *err)
{
	if (left >= 4 && memcmp(p, "TZif", 4) != 0)
		return refuse(err, zone, "not a TZif file (it does not begin "
			      "with \"TZif\")");
	if (left < HEADER_BYTES)
		return refuse(err, zone, "the file is truncated (%zu bytes "
			      "where a %d-byte TZif header should be)", left,
			      HEADER_BYTES);
	if (p[4] == 0)
		h->version = 1;
	else if (p[4] >= '2' && p[4] <= '4')
		h->version = p[4] - '0';
	else
		return refuse(err, zone, "unknown TZif version byte 0x%02x "
			      "(soporte reads versions 1 to 4)", p[4]);
	h->isut = be32(p + 20);
	h->isstd = be32(p + 24);
	h->leap = be32(p + 28);
	h->time = be32(p + 32);
	h->type = be32(p + 36);
	h->chars = be32(p + 40);
	if (h->type == 0 || h->type > 256)
		return refuse(err, zone, "the header counts %u time types (1 "
			      "to 256)", h->type);
	if ((h->isut != 0 && h->isut != h->type) ||
	    (h->isstd != 0 && h->isstd != h->type))
		return refuse(err, zone, "the header counts %u and %u "
			      "indicators for %u time types", h->isstd,
			      h->isut, h->type);
	if (h->chars == 0)
		return refuse(err, zone, "the header counts no bytes of "
			      "abbreviations");
	/* With leap seconds the file's instants are not POSIX time. */
	if (h->leap > 0)
		return refuse(err, zone, "the file counts leap seconds (a "
			      "right/ zone); use the zone of the same name "
			      "without right/");
	return 0;
}

/* Bytes of the data block after a header whose times take `tsize`
 * bytes (4 in version 1's block, 8 in the later one). At most 13 times
 * 2^32, which fits. */
static uint64_t
block_bytes(const struct header *h, unsigned tsize)
{
	return (uint64_t)h->time * (tsize + 1) + (uint64_t)h->type * 6 +
	       h->chars + (uint64_t)h->leap * (tsize + 4) + h->isstd + h->isut;
}

static int
check_block_fits(const struct header *h, unsigned tsize, size_t left,
		 const char *zone, struct sp_err *err)
{
	uint64_t need = block_bytes(h, tsize);

	if (need > left)
		return refuse(err, zone, "the file is truncated, or its header "
			      "lies: %u transitions, %u types, %u leap "
			      "seconds and %u bytes of abbreviations need "
			      "%llu bytes of %d-bit data, %zu are left",
			      h->time, h->type, h->leap, h->chars,
			      (unsigned long long)need, (int)tsize * 8, left);
	return 0;
}

/* Time types: each offset sane, each abbreviation inside the block. */
static int
read_types(int *utoff, const struct header *h, const unsigned char *p,
	   const char *zone, struct sp_err *err)
{
	for (uint32_t k = 0; k < h->type; k++, p += 6) {
		int32_t o = (int32_t)be32(p);

		if (o < OFFSET_MIN || o > OFFSET_MAX)
			return refuse(err, zone, "time type %u has a UTC "
				      "offset of %ld s, beyond -25 h..+26 h", k,
				      (long)o);
		if (p[4] > 1)
			return refuse(err, zone, "time type %u has isdst %u "
				      "(0 or 1)", k, p[4]);
		if (p[5] >= h->chars)
			return refuse(err, zone, "time type %u's abbreviation "
				      "starts at byte %u of %u", k, p[5],
				      h->chars);
		utoff[k] = o;
	}
	return 0;
}

/* Transitions: strictly ascending, each naming a type that exists. */
static int
read_transitions(struct tzif *t, const struct header *h, unsigned tsize,
		 const unsigned char *p, const int *utoff, const char *zone,
		 struct sp_err *err)
{
	const unsigned char *idx = p + (size_t)h->time * tsize;

	for (size_t i = 0; i < h->time; i++) {
		const unsigned char *q = p + i * tsize;
		int64_t at = tsize == 4 ? (int32_t)be32(q) : be64(q);

		if (i > 0 && at <= t->at[i - 1])
			return refuse(err, zone, "transition %zu is not after "
				      "the one before it", i);
		if (idx[i] >= h->type)
			return refuse(err, zone, "transition %zu names time "
				      "type %u of %u", i, idx[i], h->type);
		t->at[i] = at;
		t->off[i] = utoff[idx[i]];
	}
	return 0;
}

/* The data block after header h (which has no leap seconds). */
static int
read_block(struct tzif *t, const struct header *h, unsigned tsize,
	   const unsigned char *p, const char *zone, struct sp_err *err)
{
	const unsigned char *types = p + (size_t)h->time * (tsize + 1);
	const unsigned char *ind = types + (size_t)h->type * 6 + h->chars +
				   (size_t)h->leap * (tsize + 4);
	int utoff[256];
	int rc;

	for (size_t k = 0; k < (size_t)h->isstd + h->isut; k++)
		if (ind[k] > 1)
			return refuse(err, zone, "a standard/wall or UT/local "
				      "indicator is %u (0 or 1)", ind[k]);
	if ((rc = read_types(utoff, h, types, zone, err)))
		return rc;
	t->n = h->time;
	t->off0 = utoff[0];
	if (t->n == 0)
		return 0;
	t->at = malloc(t->n * sizeof *t->at);
	t->off = malloc(t->n * sizeof *t->off);
	if (t->at == NULL || t->off == NULL)
		return sp_err_set(err, SP_ENOMEM, "tz", "out of memory");
	return read_transitions(t, h, tsize, p, utoff, zone, err);
}

/* The footer of versions 2 to 4: "\n" a TZ string "\n", the file's last
 * bytes. An empty string means no rule. */
static int
read_footer(struct tzif *t, const unsigned char *p, size_t left,
	    const char *zone, struct sp_err *err)
{
	const unsigned char *end;
	const char *why = NULL;
	char *s;
	size_t n;
	int rc = 0;

	if (left == 0 || p[0] != '\n')
		return refuse(err, zone, "the file is truncated (no footer "
			      "after the 64-bit data)");
	end = memchr(p + 1, '\n', left - 1);
	if (end == NULL)
		return refuse(err, zone, "the file is truncated (its footer "
			      "does not end with a newline)");
	if (end != p + left - 1)
		return refuse(err, zone, "%zu bytes follow the footer",
			      (size_t)(p + left - 1 - end));
	n = (size_t)(end - p - 1);
	for (size_t i = 1; i <= n; i++)
		if (p[i] < 0x21 || p[i] > 0x7e)
			return refuse(err, zone, "its footer holds byte "
				      "0x%02x, which no TZ string has", p[i]);
	if (n == 0)
		return 0;
	s = malloc(n + 1);
	if (s == NULL)
		return sp_err_set(err, SP_ENOMEM, "tz", "out of memory");
	memcpy(s, p + 1, n);
	s[n] = '\0';
	if (tzrule_parse(&t->rule, s, &why))
		rc = refuse(err, zone, "its footer \"%.80s\" is not a POSIX "
			    "TZ string: %s", s, why);
	else
		t->has_rule = true;
	free(s);
	return rc;
}

/* Version 1: the 32-bit block is all there is. */
static int
parse_v1(struct tzif *t, const struct header *h, const unsigned char *p,
	 size_t left, const char *zone, struct sp_err *err)
{
	int rc;

	if ((rc = check_block_fits(h, 4, left, zone, err)))
		return rc;
	if (block_bytes(h, 4) != left)
		return refuse(err, zone, "%llu bytes follow the data",
			      (unsigned long long)(left - block_bytes(h, 4)));
	return read_block(t, h, 4, p, zone, err);
}

/* Versions 2 to 4: skip the 32-bit block, read the second header, the
 * 64-bit block and the footer. */
static int
parse_v2(struct tzif *t, const struct header *h1, const unsigned char *p,
	 size_t left, const char *zone, struct sp_err *err)
{
	struct header h;
	size_t skip;
	int rc;

	if ((rc = check_block_fits(h1, 4, left, zone, err)))
		return rc;
	skip = (size_t)block_bytes(h1, 4);
	p += skip;
	left -= skip;
	if ((rc = read_header(&h, p, left, zone, err)))
		return rc;
	if (h.version != h1->version)
		return refuse(err, zone, "its two headers say versions %d and "
			      "%d", h1->version, h.version);
	p += HEADER_BYTES;
	left -= HEADER_BYTES;
	if ((rc = check_block_fits(&h, 8, left, zone, err)) ||
	    (rc = read_block(t, &h, 8, p, zone, err)))
		return rc;
	skip = (size_t)block_bytes(&h, 8);
	return read_footer(t, p + skip, left - skip, zone, err);
}

int
tzif_parse(struct tzif *out, const unsigned char *data, size_t len,
	   const char *zone, struct sp_err *err)
{
	struct tzif t = { 0 };
	struct header h;
	int rc;

	if ((rc = read_header(&h, data, len, zone, err)))
		return rc;
	if (h.version == 1)
		rc = parse_v1(&t, &h, data + HEADER_BYTES, len - HEADER_BYTES,
			      zone, err);
	else
		rc = parse_v2(&t, &h, data + HEADER_BYTES, len - HEADER_BYTES,
			      zone, err);
	if (rc) {
		tzif_free(&t);
		return rc;
	}
	*out = t;
	return 0;
}

void
tzif_free(struct tzif *t)
{
	if (t == NULL)
		return;
	free(t->at);
	free(t->off);
	t->at = NULL;
	t->off = NULL;
	t->n = 0;
}

/* The number of transitions at or before `instant`. */
static size_t
count_until(const struct tzif *t, int64_t instant)
{
	return sorted_count_upto(t->at, t->n, instant);
}

/* RFC 8536: before the first transition, time type 0; from the last one
 * on, the footer's rule if there is one (and with no transitions at
 * all, the rule throughout). */
int
tzif_offset(const struct tzif *t, int64_t instant)
{
	size_t k = count_until(t, instant);

	if (t->has_rule && (t->n == 0 || k == t->n))
		return tzrule_offset(&t->rule, instant);
	return k == 0 ? t->off0 : t->off[k - 1];
}

bool
tzif_next(const struct tzif *t, int64_t instant, int64_t *at, int *off)
{
	size_t k = count_until(t, instant);

	if (k < t->n) {
		*at = t->at[k];
		/* The last transition hands over to the rule. */
		*off = t->has_rule && k == t->n - 1 ?
		       tzrule_offset(&t->rule, t->at[k]) : t->off[k];
		return true;
	}
	return t->has_rule && tzrule_next(&t->rule, instant, at, off);
}
