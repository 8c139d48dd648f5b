/* folio.h — human-readable ticket numbers from a pack's format (INT-1). */
#ifndef SP_FOLIO_H
#define SP_FOLIO_H

#include "policy.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The period a sequence runs in: "" (never resets), "2026", "2026-03". */
void folio_period(char out[16], enum folio_reset reset, int year, int month);
/* Expands `format` ("INT-{yyyy}-{seq:5}") for sequence number `seq`; a
 * number wider than its digits grows rather than wraps. SP_ETOOBIG if
 * the result does not fit in `size`. */
int folio_format(char *out, size_t size, const char *format, int64_t seq,
		 int year, int month);

/* Finds the first folio of `format` inside `text` (an email subject):
 * tokens match digits ({yyyy} 4, {yy} and {mm} 2, {seq:N} N or more),
 * literal characters match case-insensitively. Returns true and the
 * folio as written in the format's case. */
bool folio_find(char *out, size_t size, const char *format, const char *text);

#endif
