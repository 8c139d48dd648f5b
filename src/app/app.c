/* app.c — opening a provider: its database, its pack, its zone. */
#include "app.h"

#include "../util/buf.h"
#include "../util/str.h"
#include "../zone/zone.h"
#include "app_internal.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct actor app_system = { "system", 0 };

#define PACK_MAX_BYTES (1 << 20)

int
app_pack_read(char **out_text, size_t *out_len, const char *dir,
	      const char *pack_id, struct sp_err *err)
{
	char path[4096];
	struct buf b;
	FILE *f;
	char chunk[8192];
	size_t n;

	if (!str_is_id(pack_id, POLICY_ID_MAX))
		return sp_err_set(err, SP_EINVAL, "pack", "'%s' is not a pack "
				  "id (lowercase letters, digits, _)", pack_id);
	snprintf(path, sizeof path, "%s/%s.yaml", dir ? dir : "policies",
		 pack_id);
	f = fopen(path, "rb");
	if (f == NULL)
		return sp_err_set(err, errno == ENOENT ? SP_ENOTFOUND : SP_EIO,
				  "pack", "no pack '%s': cannot read %s (%s)",
				  pack_id, path, strerror(errno));
	buf_init(&b, PACK_MAX_BYTES);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (buf_add(&b, chunk, n)) {
			fclose(f);
			buf_free(&b);
			return sp_err_set(err, SP_ETOOBIG, "pack", "%s is "
					  "larger than %d bytes", path,
					  PACK_MAX_BYTES);
		}
	if (ferror(f)) {
		fclose(f);
		buf_free(&b);
		return sp_err_set(err, SP_EIO, "pack", "error reading %s", path);
	}
	fclose(f);
	*out_text = buf_detach(&b, out_len);
	return 0;
}

void
app__sha256_hex(char out[65], const void *data, size_t len)
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, data, len);
	sodium_bin2hex(out, 65, h, sizeof h);
}

/* Reads and checks the pack file; the report gets every problem. */
static int
pack_load(char **text, size_t *len, struct policy **pol, const char *dir,
	  const char *pack_id, struct policy_report *report,
	  struct sp_err *err)
{
	char file[4096];
	int rc = app_pack_read(text, len, dir, pack_id, err);

	if (rc)
		return rc;
	snprintf(file, sizeof file, "%s/%s.yaml", dir ? dir : "policies",
		 pack_id);
	rc = policy_parse(pol, *text, *len, file, pack_id, report);
	if (rc) {
		free(*text);
		*text = NULL;
		return sp_err_set(err, SP_EINVAL, "pack", "pack '%s' has %d "
				  "problem(s); run 'soporte policy check %s'",
				  pack_id, report->count, file);
	}
	return 0;
}

int
app_init(const char *db_path, const char *dir, const char *pack_id,
	 int64_t now, struct policy_report *report, struct sp_err *err)
{
	struct store *s = NULL;
	struct policy *pol = NULL;
	struct provider_row row = { 0 };
	struct arena a;
	char *text = NULL, sha[65];
	size_t len;
	int64_t id;
	int rc;

	arena_init(&a, 0);
	if ((rc = pack_load(&text, &len, &pol, dir, pack_id, report, err)))
		return rc;
	if ((rc = store_open(&s, db_path, true, err)))
		goto out;
	if ((rc = store_begin(s, err)))
		goto out;
	if (store_provider_get(s, &a, &row, 0, pack_id, NULL) == 0) {
		store_rollback(s);
		rc = sp_err_set(err, SP_ECONFLICT, "pack", "%s already holds "
				"provider '%s'; use 'soporte policy reload' to "
				"load a changed pack", db_path, pack_id);
		goto out;
	}
	app__sha256_hex(sha, text, len);
	row = (struct provider_row){ 0, pack_id, pol->provider.name, text,
				     sha, now };
	if ((rc = store_provider_add(s, &id, &row, err)))
		goto fail;
	{
		struct event_row ev = { 0, id, 0, "provider", id, now,
					"system", 0, "provider.created", NULL,
					NULL };
		char after[160];

		snprintf(after, sizeof after, "{\"pack\":\"%s\",\"sha256\":"
			 "\"%s\"}", pack_id, sha);
		ev.after = after;
		if ((rc = store_event_add(s, NULL, &ev, err)))
			goto fail;
	}
	for (size_t i = 0; i < pol->nproducts; i++) {
		const struct product_def *pd = &pol->products[i];
		struct product_row pr = { 0, id, pd->id, pd->name, NULL, now };
		char eol[11];

		if (pd->has_eol) {
			struct civil_date c = civil_from_days(pd->eol_day);

			snprintf(eol, sizeof eol, "%04d-%02d-%02d", c.y, c.m,
				 c.d);
			pr.end_of_life = eol;
		}
		if ((rc = store_product_add(s, NULL, &pr, err)))
			goto fail;
	}
	rc = store_commit(s, err);
	goto out;
fail:
	store_rollback(s);
out:
	store_close(s);
	policy_free(pol);
	free(text);
	arena_free(&a);
	return rc;
}

int
app_pack_reload(struct app *app, const char *dir, int64_t now,
		struct policy_report *report, struct sp_err *err)
{
	struct policy *pol = NULL;
	struct provider_row row = { 0 };
	struct arena a;
	char *text = NULL, sha[65], before[160], after[160];
	size_t len;
	int rc;

	if (app->shared)
		return sp_err_set(err, SP_EINVAL, "pack", "the pack is in use "
				  "by another connection of this process");
	arena_init(&a, 0);
	if ((rc = pack_load(&text, &len, &pol, dir, app->policy->id, report,
			    err)))
		return rc;
	if ((rc = app__begin(app, err)))
		goto out;
	if ((rc = store_provider_get(app->store, &a, &row, app->provider_id,
				     NULL, err)))
		goto fail;
	snprintf(before, sizeof before, "{\"sha256\":\"%s\"}", row.pack_sha256);
	app__sha256_hex(sha, text, len);
	snprintf(after, sizeof after, "{\"sha256\":\"%s\"}", sha);
	row.name = pol->provider.name;
	row.pack_text = text;
	row.pack_sha256 = sha;
	row.loaded_at = now;
	if ((rc = store_provider_update(app->store, &row, err)))
		goto fail;
	{
		struct event_row ev = { 0, app->provider_id, 0, "provider",
					app->provider_id, now, "system", 0,
					"provider.pack_reloaded", before, after };

		if ((rc = store_event_add(app->store, NULL, &ev, err)))
			goto fail;
	}
	if ((rc = app__commit(app, err)))
		goto out;
	policy_free(app->policy);
	app->policy = pol;
	pol = NULL;
	app__free_calendars(app);
	if ((rc = app__build_calendars(app, err)))
		goto out;
	/* The new pack's windows and targets: every active ticket's timers
	 * are scheduled again (their clocks are recomputed from events). */
	rc = app__reschedule_all(app, now, err);
	goto out;
fail:
	app__rollback(app);
out:
	policy_free(pol);
	free(text);
	arena_free(&a);
	return rc;
}

int
app_open(struct app **out, const char *db_path, const char *pack_id,
	 struct sp_err *err)
{
	struct app *app;
	struct arena a;
	struct provider_row row, *rows;
	struct policy_report report;
	size_t n;
	int rc;

	if (sodium_init() < 0)
		return sp_err_set(err, SP_EIO, "sodium", "libsodium failed to "
				  "initialise");
	app = calloc(1, sizeof *app);
	if (app == NULL)
		return sp_err_set(err, SP_ENOMEM, "app", "out of memory");
	arena_init(&a, 0);
	policy_report_init(&report);
	if ((rc = store_open(&app->store, db_path, false, err)))
		goto fail;
	if (pack_id) {
		if ((rc = store_provider_get(app->store, &a, &row, 0, pack_id,
					     err)))
			goto fail;
	} else {
		if ((rc = store_provider_list(app->store, &a, &rows, &n, err)))
			goto fail;
		if (n != 1) {
			rc = sp_err_set(err, n ? SP_EINVAL : SP_ENOTFOUND,
					"provider", n ? "%s holds %zu providers; "
					"choose one with --provider ID" :
					"%s holds no provider; run 'soporte "
					"init --pack ID'", db_path, n);
			goto fail;
		}
		row = rows[0];
	}
	app->provider_id = row.id;
	if (policy_parse(&app->policy, row.pack_text, strlen(row.pack_text),
			 row.pack_id, row.pack_id, &report)) {
		rc = sp_err_set(err, SP_EFORMAT, "provider", "the pack stored "
				"for '%s' no longer passes this soporte's "
				"checks:\n%s", row.pack_id, report.text.ptr);
		goto fail;
	}
	if ((rc = zone_open(&app->zone,
			    app->policy->calendars[app->policy->sla.calendar].tz,
			    err)) ||
	    (rc = app__build_calendars(app, err)))
		goto fail;
	arena_free(&a);
	policy_report_free(&report);
	*out = app;
	return 0;
fail:
	arena_free(&a);
	policy_report_free(&report);
	app_close(app);
	return rc;
}

int
app_open_sibling(struct app **out, struct app *first, const char *db_path,
		 struct sp_err *err)
{
	struct app *app = calloc(1, sizeof *app);
	int rc;

	if (app == NULL)
		return sp_err_set(err, SP_ENOMEM, "app", "out of memory");
	if ((rc = store_open(&app->store, db_path, false, err))) {
		free(app);
		return rc;
	}
	/* The calendars are most of an app's memory (80 years of business
	 * hours): one copy for the process. */
	app->policy = first->policy;
	app->provider_id = first->provider_id;
	app->zone = first->zone;
	app->cal_business = first->cal_business;
	app->cal_weekdays = first->cal_weekdays;
	app->cal_natural = first->cal_natural;
	app->cals = first->cals;
	app->cal_after_hours = first->cal_after_hours;
	app->ncal_after_hours = first->ncal_after_hours;
	app->shared = app->borrowed = true;
	first->shared = true;
	*out = app;
	return 0;
}

void
app_close(struct app *app)
{
	if (app == NULL)
		return;
	store_close(app->store);
	free(app->topics);
	if (!app->borrowed) {
		policy_free(app->policy);
		zone_free(app->zone);
		app__free_calendars(app);
	}
	free(app);
}
