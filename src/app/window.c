/* window.c — when a pack's time window ends. */
#include "app_internal.h"

#include <stdint.h>

int64_t
app__window_end(struct app *app, int64_t from, const struct duration *d)
{
	(void)app;
	switch (d->unit) {
	case DUR_MINUTES:
		return from + d->n * 60;
	case DUR_HOURS:
		return from + d->n * 3600;
	case DUR_DAYS:
		return from + d->n * 86400;
	default:
		/* Business units need the calendar engine (core/bizcal). */
		return INT64_MAX;
	}
}
