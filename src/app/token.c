/* token.c — API tokens for integrations: random, shown once, kept as
 * their SHA-256 only. */
#include "app_internal.h"

#include "../util/str.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

int
app_token_create(struct app *app, char out_token[80], int64_t now,
		 const struct actor *who, const char *kind, const char *key,
		 const char *name, struct sp_err *err)
{
	struct token_row t = { 0 };
	struct arena a;
	unsigned char raw[32];
	char token[80], sha[65];
	int64_t id;
	int rc;

	if ((rc = app__role_at_least(app, who, ROLE_ADMIN,
				      "creating an API token", err)) ||
	    (rc = app__text("name", name, true, false, 100, err)))
		return rc;
	if (kind == NULL || (strcmp(kind, "agent") && strcmp(kind, "contact")))
		return sp_err_set(err, SP_EINVAL, "kind", "a token acts as an "
				  "agent or a contact");
	arena_init(&a, 0);
	if ((rc = app__begin(app, err)))
		goto out;
	if (strcmp(kind, "agent") == 0) {
		struct agent_row ag;

		rc = store_agent_find(app->store, &a, &ag, app->provider_id,
				      key ? key : "", err);
		t.actor_id = ag.id;
	} else {
		struct contact_row c;

		rc = store_contact_find(app->store, &a, &c, app->provider_id,
					key ? key : "", err);
		t.actor_id = c.id;
	}
	if (rc)
		goto fail;
	randombytes_buf(raw, sizeof raw);
	memcpy(token, "sp_", 3);
	sodium_bin2hex(token + 3, sizeof token - 3, raw, sizeof raw);
	app__sha256_hex(sha, token, strlen(token));
	t.provider_id = app->provider_id;
	t.actor_kind = kind;
	t.name = name;
	t.sha256 = sha;
	t.created_at = now;
	if ((rc = store_token_add(app->store, &id, &t, err)) ||
	    (rc = app__event(app, now, who, "token", id, 0, "token.created",
			     NULL, json_pack("{s:s, s:I, s:s}", "actor_kind",
					     kind, "actor_id",
					     (json_int_t)t.actor_id, "name",
					     name), err)))
		goto fail;
	rc = app__commit(app, err);
	if (rc == 0)
		str_copy(out_token, token, 80);
	goto out;
fail:
	app__rollback(app);
out:
	sodium_memzero(raw, sizeof raw);
	arena_free(&a);
	return rc;
}

int
app_token_check(struct app *app, struct actor *out, const char *token,
		struct sp_err *err)
{
	struct token_row t;
	struct arena a;
	char sha[65];
	int rc;

	if (token == NULL || strncmp(token, "sp_", 3) != 0 ||
	    strlen(token) != 67)
		return sp_err_set(err, SP_ENOTFOUND, "authorization", "not a "
				  "soporte API token");
	/* Looked up by its hash: the comparison of secrets is the
	 * database's equality on a digest, not on the token. */
	app__sha256_hex(sha, token, strlen(token));
	arena_init(&a, 0);
	rc = store_token_find(app->store, &a, &t, sha, NULL);
	if (rc == 0 && t.provider_id != app->provider_id)
		rc = SP_ENOTFOUND;
	if (rc == 0) {
		out->kind = strcmp(t.actor_kind, "agent") == 0 ? "agent" : "contact";
		out->id = t.actor_id;
	}
	arena_free(&a);
	if (rc == 0 && !app__actor_active(app, out, NULL))
		return sp_err_set(err, SP_ENOTFOUND, "authorization", "this "
				  "token's person is switched off");
	if (rc)
		return sp_err_set(err, SP_ENOTFOUND, "authorization", "unknown "
				  "or revoked API token");
	return 0;
}
