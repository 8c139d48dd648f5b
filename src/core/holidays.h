/* holidays.h — Mexico's statutory rest days, computed for any year. */
#ifndef SP_HOLIDAYS_H
#define SP_HOLIDAYS_H

#include <stdint.h>

struct holiday {
	int64_t day;      /* days since 1970-01-01 */
	const char *name; /* Spanish, as the law names it */
};

/* The rest days of the Ley Federal del Trabajo, art. 74, in year `y`:
 * January 1; the first Monday of February; the third Monday of March;
 * May 1; September 16; the third Monday of November; December 25; and
 * October 1 of each sexennial inauguration year from 2024 (December 1
 * before the 2024 reform, in 1976, 1982, ... 2018). The movable Mondays
 * apply from 2006 (the reform of 17 January 2006); before, the fixed
 * dates (February 5, March 21, November 20). Election days, which the
 * article also names, fall on Sundays and are left to each pack.
 * Writes up to 8 entries in date order; returns the count. */
int holidays_mx(struct holiday out[8], int y);

#endif
