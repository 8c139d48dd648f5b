/* topic.h — is this request about the same thing as that one? (INT-4:
 * one topic per ticket; likely duplicates from one customer are flagged
 * for an agent to merge.) Words of a subject, folded and cut to a crude
 * stem, compared by overlap. Pure: no I/O, no clock. */
#ifndef SP_TOPIC_H
#define SP_TOPIC_H

#include <stdbool.h>
#include <stddef.h>

#define TOPIC_WORDS 24
#define TOPIC_STEM 6   /* "timbra", "timbrar", "timbrado" share "timbra" */

struct topic {
	int n;
	char w[TOPIC_WORDS][TOPIC_STEM + 1];
};

/* The subject's significant words: lower case, accents folded (á → a,
 * ñ → n), words of one or two letters and common Spanish and English
 * stop words dropped, each cut to TOPIC_STEM bytes and padded with
 * NULs to its TOPIC_STEM + 1, no repeats. */
void topic_of(struct topic *out, const char *subject);

/* True when two subjects are likely the same topic: at least two stems
 * shared and they cover at least 60 % of the shorter subject, or both
 * reduce to the same single stem. */
bool topic_same(const struct topic *a, const struct topic *b);

#endif
