/* app_internal.h — shared between app/ files, not beyond. */
#ifndef SP_APP_INTERNAL_H
#define SP_APP_INTERNAL_H

#include "../util/civil.h"
#include "app.h"

#include <jansson.h>

void app__sha256_hex(char out[65], const void *data, size_t len);

/* Appends an audit event; before/after are consumed (json_decref'd). */
int app__event(struct app *app, int64_t now, const struct actor *who,
	       const char *entity, int64_t entity_id, int64_t ticket_id,
	       const char *action, json_t *before, json_t *after,
	       struct sp_err *err);

/* Checks a text input: present when required, valid UTF-8 without
 * control characters, at most max bytes. */
int app__text(const char *field, const char *value, bool required,
	      bool multiline, size_t max, struct sp_err *err);

/* The instant a window of `d` ends when it starts at `from`. */
int64_t app__window_end(struct app *app, int64_t from,
			const struct duration *d);

#endif
