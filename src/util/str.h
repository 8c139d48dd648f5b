/* str.h — checked parsing and small string helpers. */
#ifndef SP_STR_H
#define SP_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Whole string must be a base-10 integer in [min, max]. 0 or SP_EINVAL. */
int str_to_i64(int64_t *out, const char *s, int64_t min, int64_t max);
/* Well-formed UTF-8 (no overlongs, no surrogates, no NUL inside n). */
bool str_utf8_valid(const char *s, size_t n);
/* Like str_utf8_valid and free of control characters other than TAB, LF
 * and CR: what a name, subject or note may hold. */
bool str_text_valid(const char *s, size_t n, bool multiline);
/* An identifier: [a-z][a-z0-9_]*, at most `max` bytes. */
bool str_is_id(const char *s, size_t max);
bool str_eq(const char *a, const char *b);
/* strdup that never returns NULL for a NULL input: returns NULL then. */
char *str_dup(const char *s);
/* Copies at most size-1 bytes and terminates; returns strlen(src). */
size_t str_copy(char *dst, const char *src, size_t size);
/* Damerau-free edit distance, capped at `cap` (for "did you mean"). */
unsigned str_distance(const char *a, const char *b, unsigned cap);

#endif
