/* tzif.h — TZif files, the compiled zones of the system's time-zone
 * database (RFC 8536, versions 1 to 4), read from memory and checked
 * before anything in them is believed. */
#ifndef SP_TZIF_H
#define SP_TZIF_H

#include "tzrule.h"

#include "../util/err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tzif {
	size_t n;       /* transitions */
	int64_t *at;    /* their instants, strictly ascending */
	int *off;       /* the UTC offset from each one on, seconds east */
	int off0;       /* the offset before the first: time type 0's */
	bool has_rule;  /* the footer's rule holds from the last one on */
	struct tzrule rule;
};

/* Reads the `len` bytes of a TZif file: the 64-bit data of versions 2 to
 * 4 and their footer, or a version 1 file's 32-bit data. SP_EINVAL with
 * a message that names `zone` and what is wrong (truncated, bad magic,
 * counts the file cannot hold, leap seconds, a footer that is not a
 * POSIX TZ string). `out` is untouched on failure; tzif_free frees it. */
int tzif_parse(struct tzif *out, const unsigned char *data, size_t len,
	       const char *zone, struct sp_err *err);
void tzif_free(struct tzif *t);
/* The UTC offset in force at `instant`, seconds east. */
int tzif_offset(const struct tzif *t, int64_t instant);
/* The first transition strictly after `instant`, listed or from the
 * footer's rule: its instant and the offset from then on (which may equal
 * the one before: a change of name or of isdst alone). False when there
 * is none. */
bool tzif_next(const struct tzif *t, int64_t instant, int64_t *at,
	       int *off);

#endif
