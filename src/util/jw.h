/* jw.h — writes one flat JSON object byte for byte as jansson's
 * json_dumps(obj, JSON_COMPACT | JSON_SORT_KEYS) would, without
 * building a json_t: the bodies of audit events, four of them per
 * ticket created, where json_pack and json_dumps cost about a tenth of
 * the request. */
#ifndef SP_JW_H
#define SP_JW_H

#include "buf.h"

#include <stdbool.h>
#include <stdint.h>

struct jw {
	struct buf b;
	const char *last; /* the previous key: keys must come sorted */
	bool refused;     /* a value json_pack would have refused */
	int rc;           /* the first append that failed */
};

void jw_init(struct jw *w);
/* Each adds one member; keys are given in strcmp order (an assert),
 * which is JSON_SORT_KEYS's. A NULL or non-UTF-8 string refuses the
 * object, as json_pack's "s" does. */
void jw_str(struct jw *w, const char *key, const char *value);
/* NULL writes null, as json_pack's "s?". */
void jw_str_or_null(struct jw *w, const char *key, const char *value);
void jw_int(struct jw *w, const char *key, int64_t value);
/* An array of n strings, each as jw_str's. */
void jw_strs(struct jw *w, const char *key, const char *const *values,
	     size_t n);
/* The object's text in *out (malloc'd; the caller frees it), or NULL
 * when a value was refused. 0, or SP_ENOMEM / SP_ETOOBIG with *out
 * NULL. w is freed either way. */
int jw_end(struct jw *w, char **out);
void jw_free(struct jw *w);

#endif
