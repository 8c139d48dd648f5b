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

/* Matches the format at text; the length matched, or 0. */
static size_t
match_at(const char *f, const char *text, char *out, size_t size)
{
	const char *t = text;
	size_t o = 0;

	while (*f) {
		int need = 0;
		bool more = false;

		if (strncmp(f, "{yyyy}", 6) == 0) {
			need = 4;
			f += 6;
		} else if (strncmp(f, "{yy}", 4) == 0 || strncmp(f, "{mm}", 4) == 0) {
			need = 2;
			f += 4;
		} else if (strncmp(f, "{seq:", 5) == 0 && f[6] == '}') {
			need = f[5] - '0';
			more = true;
			f += 7;
		}
		if (need) {
			int k = 0;

			while (t[k] >= '0' && t[k] <= '9' && (more || k < need))
				k++;
			if (k < need)
				return 0;
			for (int i = 0; i < k; i++) {
				if (o + 1 < size)
					out[o++] = t[i];
			}
			t += k;
			continue;
		}
		{
			char a = *f, b = *t;

			if (a >= 'a' && a <= 'z')
				a = (char)(a - 32);
			if (b >= 'a' && b <= 'z')
				b = (char)(b - 32);
			if (b == '\0' || a != b)
				return 0;
			if (o + 1 < size)
				out[o++] = *f;
			f++;
			t++;
		}
	}
	/* Not the prefix of a longer number. */
	if (*t >= '0' && *t <= '9')
		return 0;
	if (size)
		out[o < size ? o : size - 1] = '\0';
	return (size_t)(t - text);
}

bool
folio_find(char *out, size_t size, const char *format, const char *text)
{
	for (const char *t = text; *t; t++) {
		/* A folio starts a word. */
		if (t > text && ((t[-1] >= 'A' && t[-1] <= 'Z') ||
				 (t[-1] >= 'a' && t[-1] <= 'z') ||
				 (t[-1] >= '0' && t[-1] <= '9')))
			continue;
		if (match_at(format, t, out, size))
			return true;
	}
	return false;
}
