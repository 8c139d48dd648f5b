/* sorted.h — lookups in ascending arrays of instants (a zone's changes,
 * a calendar's opening intervals). */
#ifndef SP_SORTED_H
#define SP_SORTED_H

#include <stddef.h>
#include <stdint.h>

/* How many of the n ascending values are at or before x: the index of
 * the first one after it. */
static inline size_t
sorted_count_upto(const int64_t *v, size_t n, int64_t x)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid] <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

#endif
