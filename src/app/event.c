/* event.c — the audit trail every use case appends to. */
#include "app_internal.h"

#include "../util/str.h"

#include <stdlib.h>
#include <string.h>

/* Stores the event; frees the bodies. */
static int
add_event(struct app *app, int64_t now, const struct actor *who,
	  const char *entity, int64_t entity_id, int64_t ticket_id,
	  const char *action, char *before, char *after, struct sp_err *err)
{
	struct event_row ev = { 0 };
	int rc;

	ev.provider_id = app->provider_id;
	ev.ticket_id = ticket_id;
	ev.entity = entity;
	ev.entity_id = entity_id;
	ev.at = now;
	ev.actor_kind = who->kind;
	ev.actor_id = who->id;
	ev.action = action;
	ev.before = before;
	ev.after = after;
	rc = store_event_add(app->store, NULL, &ev, err);
	free(before);
	free(after);
	return rc;
}

int
app__event(struct app *app, int64_t now, const struct actor *who,
	   const char *entity, int64_t entity_id, int64_t ticket_id,
	   const char *action, json_t *before, json_t *after,
	   struct sp_err *err)
{
	char *b = NULL, *a = NULL;

	if (before)
		b = json_dumps(before, JSON_COMPACT | JSON_SORT_KEYS);
	if (after)
		a = json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(before);
	json_decref(after);
	if ((before && b == NULL) || (after && a == NULL)) {
		free(b);
		free(a);
		return sp_err_set(err, SP_ENOMEM, "event", "out of memory");
	}
	return add_event(app, now, who, entity, entity_id, ticket_id, action,
			 b, a, err);
}

/* A body jw refused is stored as none, as json_pack's NULL was. */
int
app__event_jw(struct app *app, int64_t now, const struct actor *who,
	      const char *entity, int64_t entity_id, int64_t ticket_id,
	      const char *action, struct jw *before, struct jw *after,
	      struct sp_err *err)
{
	char *b = NULL, *a = NULL;
	int rc = before ? jw_end(before, &b) : 0;
	int rc2 = after ? jw_end(after, &a) : 0;

	if (rc || rc2) {
		free(b);
		free(a);
		return sp_err_set(err, rc ? rc : rc2, "event", "the event's "
				  "body does not fit in memory");
	}
	return add_event(app, now, who, entity, entity_id, ticket_id, action,
			 b, a, err);
}

int
app__text(const char *field, const char *value, bool required, bool multiline,
	  size_t max, struct sp_err *err)
{
	size_t n;

	if (value == NULL || *value == '\0') {
		if (required)
			return sp_err_set(err, SP_EINVAL, field, "%s is "
					  "required", field);
		return 0;
	}
	n = strlen(value);
	if (n > max)
		return sp_err_set(err, SP_ETOOBIG, field, "%s is %zu bytes, "
				  "more than the %zu allowed", field, n, max);
	if (!str_utf8_valid(value, n))
		return sp_err_set(err, SP_EINVAL, field, "%s is not valid "
				  "UTF-8 text", field);
	if (!str_text_valid(value, n, multiline))
		return sp_err_set(err, SP_EINVAL, field, "%s holds control "
				  "characters%s", field,
				  multiline ? "" : " or line breaks");
	return 0;
}

/* Inside another transaction a use case is a savepoint: its failure
 * undoes its own writes only, as it would on its own. */
int
app__begin(struct app *app, struct sp_err *err)
{
	int rc;

	if (app->batch && !app->in_tx) {
		if ((rc = store_begin(app->store, err)))
			return rc;
		app->in_tx = true;
	}
	return app->in_tx ? store_savepoint(app->store, err) :
			    store_begin(app->store, err);
}

int
app__commit(struct app *app, struct sp_err *err)
{
	return app->in_tx ? store_release(app->store, err) :
			    store_commit(app->store, err);
}

void
app__rollback(struct app *app)
{
	if (app->in_tx)
		store_rollback_to(app->store);
	else
		store_rollback(app->store);
}

int
app_batch_begin(struct app *app, struct sp_err *err)
{
	if (app->batch || app->in_tx)
		return sp_err_set(err, SP_EINVAL, "transaction", "a batch or "
				  "a transaction is open already");
	app->batch = true;
	return 0;
}

int
app_batch_commit(struct app *app, struct sp_err *err)
{
	app->batch = false;
	if (!app->in_tx)
		return 0; /* nothing was written */
	app->in_tx = false;
	return store_commit(app->store, err);
}
