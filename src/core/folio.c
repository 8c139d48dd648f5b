#include "folio.h"

#include "../util/err.h"

#include <stdio.h>
#include <string.h>

void
folio_period(char out[16], enum folio_reset reset, int year, int month)
{
	switch (reset) {
	case FOLIO_YEARLY:
		snprintf(out, 16, "%04d", year);
		break;
	case FOLIO_MONTHLY:
		snprintf(out, 16, "%04d-%02d", year, month);
		break;
	default:
		out[0] = '\0';
	}
}

int
folio_format(char *out, size_t size, const char *f, int64_t seq, int year,
	     int month)
{
	size_t len = 0;
	char piece[32];

	if (size == 0)
		return SP_ETOOBIG;
	out[0] = '\0';
	while (*f) {
		const char *add = piece;
		size_t n;

		if (strncmp(f, "{yyyy}", 6) == 0) {
			snprintf(piece, sizeof piece, "%04d", year);
			f += 6;
		} else if (strncmp(f, "{yy}", 4) == 0) {
			snprintf(piece, sizeof piece, "%02d", year % 100);
			f += 4;
		} else if (strncmp(f, "{mm}", 4) == 0) {
			snprintf(piece, sizeof piece, "%02d", month);
			f += 4;
		} else if (strncmp(f, "{seq:", 5) == 0 && f[5] >= '1' &&
			   f[5] <= '9' && f[6] == '}') {
			int digits = f[5] - '0';

			/* Past its width the number simply grows: a folio
			 * must stay unique rather than wrap. */
			snprintf(piece, sizeof piece, "%0*lld", digits,
				 (long long)seq);
			f += 7;
		} else {
			piece[0] = *f++;
			piece[1] = '\0';
		}
		n = strlen(add);
		if (len + n + 1 > size)
			return SP_ETOOBIG;
		memcpy(out + len, add, n + 1);
		len += n;
	}
	return 0;
}
