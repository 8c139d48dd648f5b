/* ics.h — iCalendar (.ics) import and export of closed days, through
 * libical, which is loaded at the first call rather than linked: each
 * function returns SP_EIO, with a message saying to install Debian's
 * libical3, when libical.so.3 cannot be loaded. */
#ifndef SP_ICS_H
#define SP_ICS_H

#include "../util/err.h"

#include <stddef.h>
#include <stdint.h>

struct ics_day {
	int64_t day; /* days since 1970-01-01 */
	char *name;
};

/* Reads every day an iCalendar file's events cover (all-day events,
 * multi-day spans and yearly or other recurrences up to 2079). Days come
 * sorted, each once. Limits: 4 MiB of file, 20,000 days. */
int ics_read_days(struct ics_day **out, size_t *n, const char *path,
		  struct sp_err *err);
int ics_parse_days(struct ics_day **out, size_t *n, const char *text,
		   struct sp_err *err);
void ics_days_free(struct ics_day *days, size_t n);
/* An iCalendar file with one all-day event per day; caller frees. */
int ics_write_days(char **out, const int64_t *days, size_t n,
		   const char *calendar_name, struct sp_err *err);

#endif
