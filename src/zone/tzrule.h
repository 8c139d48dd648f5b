/* tzrule.h — the POSIX TZ strings that end TZif files (RFC 8536 section
 * 3.3): "CST6", "PST8PDT,M3.2.0,M11.1.0", "<-04>4<-03>,M9.1.6/24,M4.1.6/24".
 * They give a zone's rules after its last listed transition. */
#ifndef SP_TZRULE_H
#define SP_TZRULE_H

#include <stdbool.h>
#include <stdint.h>

/* When in a year a change happens, in local time. */
struct tzrule_date {
	char kind;  /* 'J': day 1..365, never counting 29 February;
	             * 'n': day 0..365, counting it; 'M': month.week.weekday */
	int day;    /* 'J' and 'n': the day; 'M': weekday, 0 = Sunday */
	int month;  /* 'M': 1..12 */
	int week;   /* 'M': 1..5, 5 = the last in the month */
	int time;   /* seconds after local midnight, -167 h..167 h */
};

struct tzrule {
	int std;        /* UTC offset of standard time, seconds east */
	bool has_dst;
	int dst;        /* UTC offset of daylight time */
	struct tzrule_date start, end; /* daylight time's; start is read in
	                                * standard time, end in daylight */
};

/* Parses a whole TZ string. 0, or SP_EINVAL with `*why` saying what is
 * wrong ("a month outside 1..12"). */
int tzrule_parse(struct tzrule *out, const char *s, const char **why);
/* The UTC offset the rule gives at `instant`. */
int tzrule_offset(const struct tzrule *r, int64_t instant);
/* The first change strictly after `instant`: its instant and the offset
 * from then on. False when the rule has no daylight time. */
bool tzrule_next(const struct tzrule *r, int64_t instant, int64_t *at,
		 int *off);

#endif
