#include "intake.h"

#include "mime.h"

#include <stdio.h>
#include <string.h>

static bool
temporary(int code)
{
	return code == SP_EBUSY || code == SP_EIO || code == SP_ENOMEM;
}

static int
process(struct app *app, struct mail_outcome *out, int64_t now,
	int64_t raw_id, const void *raw, size_t len, struct sp_err *err)
{
	struct mime_msg *m = NULL;
	struct sp_err e = { 0 };
	int rc;

	if ((rc = mime_parse(&m, raw, len, &e))) {
		out->result = MAIL_QUARANTINED;
		snprintf(out->reason, sizeof out->reason, "%s", e.msg);
		return app_mail_quarantine(app, now, raw_id, e.msg, err);
	}
	rc = app_mail_accept(app, out, now, raw_id, &m->mail, &e);
	mime_free(m);
	if (rc == 0)
		return 0;
	if (temporary(rc)) {
		*err = e;
		return rc;
	}
	/* Refused by a rule (bad text, unknown category...): kept, with the
	 * reason, for an agent to look at and run again. */
	out->result = MAIL_QUARANTINED;
	out->raw_id = raw_id;
	snprintf(out->reason, sizeof out->reason, "%s", e.msg);
	return app_mail_quarantine(app, now, raw_id, e.msg, err);
}

int
mail_intake(struct app *app, struct mail_outcome *out, int64_t now,
	    const void *raw, size_t len, const char *source,
	    struct sp_err *err)
{
	struct raw_mail_row row;
	struct arena a;
	bool dup = false;
	int64_t id;
	int rc;

	memset(out, 0, sizeof *out);
	if ((rc = app_mail_store_raw(app, &id, &dup, now, raw, len, source,
				     err)))
		return rc;
	out->raw_id = id;
	if (dup) {
		/* Delivered again: done if it was taken; else (a retry after a
		 * temporary fault) processed now. */
		arena_init(&a, 0);
		rc = store_raw_mail_get(app->store, &a, &row, app->provider_id,
					id, false, err);
		if (rc == 0 && strcmp(row.state, "received") != 0) {
			out->result = MAIL_DUPLICATE;
			snprintf(out->reason, sizeof out->reason, "the same "
				 "bytes were delivered before (%s)", row.state);
		}
		arena_free(&a);
		if (rc || out->result == MAIL_DUPLICATE)
			return rc;
	}
	return process(app, out, now, id, raw, len, err);
}

int
mail_retry(struct app *app, struct mail_outcome *out, int64_t now,
	   int64_t raw_id, struct sp_err *err)
{
	struct raw_mail_row row;
	struct arena a;
	int rc;

	memset(out, 0, sizeof *out);
	out->raw_id = raw_id;
	arena_init(&a, 0);
	if ((rc = store_raw_mail_get(app->store, &a, &row, app->provider_id,
				     raw_id, true, err)) == 0) {
		if (strcmp(row.state, "received") && strcmp(row.state, "quarantined"))
			rc = sp_err_set(err, SP_ECONFLICT, "mail", "message %lld "
					"was %s already", (long long)raw_id,
					row.state);
		else
			rc = process(app, out, now, raw_id, row.data,
				     (size_t)row.size, err);
	}
	arena_free(&a);
	return rc;
}
