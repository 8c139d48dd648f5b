/* login.c — people signing in: argon2id passwords, sessions with their
 * CSRF tokens, throttled failures. */
#include "app_internal.h"

#include "../util/str.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define LOGIN_WINDOW (15 * 60)
#define LOGIN_MAX_FAILURES 5
#define SESSION_SECONDS (12 * 3600)
/* argon2id with 16 MiB: costly for a guesser, light for the server. */
#define PW_OPSLIMIT 3
#define PW_MEMLIMIT ((size_t)16 << 20)

static int
find_person(struct app *app, struct arena *a, const char *kind,
	    const char *key, int64_t *id, struct sp_err *err)
{
	if (strcmp(kind, "agent") == 0) {
		struct agent_row r;
		int rc = store_agent_find(app->store, a, &r, app->provider_id,
					  key, err);

		if (rc == 0 && !r.active)
			rc = sp_err_set(err, SP_ENOTFOUND, "email", "%s is "
					"switched off", key);
		*id = rc == 0 ? r.id : 0;
		return rc;
	} else {
		struct contact_row r;
		int rc = store_contact_find(app->store, a, &r, app->provider_id,
					    key, err);

		if (rc == 0 && !r.active)
			rc = sp_err_set(err, SP_ENOTFOUND, "email", "%s is "
					"switched off", key);
		*id = rc == 0 ? r.id : 0;
		return rc;
	}
}

bool
app__actor_active(struct app *app, const struct actor *who, char lang[4])
{
	struct arena a;
	bool on = false;

	arena_init(&a, 0);
	if (strcmp(who->kind, "agent") == 0) {
		struct agent_row r;

		on = store_agent_get(app->store, &a, &r, app->provider_id,
				     who->id, NULL) == 0 && r.active;
		if (on && lang)
			str_copy(lang, r.lang, 4);
	} else if (strcmp(who->kind, "contact") == 0) {
		struct contact_row r;

		on = store_contact_get(app->store, &a, &r, app->provider_id,
				       who->id, NULL) == 0 && r.active;
		if (on && lang)
			str_copy(lang, r.lang, 4);
	}
	arena_free(&a);
	return on;
}

/* Any agent sets a customer's password or their own; another agent's
 * is set by an admin. */
static int
may_set_password(struct app *app, const struct actor *who, const char *kind,
		 int64_t id, struct sp_err *err)
{
	if (strcmp(kind, "agent") != 0 ||
	    (strcmp(who->kind, "agent") == 0 && who->id == id))
		return 0;
	return app__role_at_least(app, who, ROLE_ADMIN,
				  "setting another agent's password", err);
}

int
app_password_set(struct app *app, int64_t now, const struct actor *who,
		 const char *kind, const char *key, const char *password,
		 struct sp_err *err)
{
	char hash[crypto_pwhash_STRBYTES];
	struct arena a;
	int64_t id;
	int rc;

	if ((rc = app__staff_only(who, "setting a password", err)))
		return rc;
	if (password == NULL || strlen(password) < 10 || strlen(password) > 200)
		return sp_err_set(err, SP_EINVAL, "password", "a password has "
				  "10 to 200 characters");
	if (!str_utf8_valid(password, strlen(password)))
		return sp_err_set(err, SP_EINVAL, "password", "the password is "
				  "not valid UTF-8");
	if (crypto_pwhash_str(hash, password, strlen(password), PW_OPSLIMIT,
			      PW_MEMLIMIT) != 0)
		return sp_err_set(err, SP_ENOMEM, "password", "not enough "
				  "memory to hash the password");
	arena_init(&a, 0);
	if ((rc = app__begin(app, err)))
		goto out;
	if ((rc = find_person(app, &a, kind, key ? key : "", &id, err)) ||
	    (rc = may_set_password(app, who, kind, id, err)) ||
	    (rc = store_password_set(app->store, kind, id, hash, err)) ||
	    (rc = app__event(app, now, who, kind, id, 0, "password.set", NULL,
			     NULL, err))) {
		app__rollback(app);
		goto out;
	}
	rc = app__commit(app, err);
out:
	sodium_memzero(hash, sizeof hash);
	arena_free(&a);
	return rc;
}

static void
random_hex(char *out, size_t bytes)
{
	unsigned char r[32];

	randombytes_buf(r, bytes);
	sodium_bin2hex(out, bytes * 2 + 1, r, bytes);
	sodium_memzero(r, sizeof r);
}

int
app_login(struct app *app, struct login *out, int64_t now, const char *email,
	  const char *password, struct sp_err *err)
{
	static const char *const kinds[2] = { "agent", "contact" };
	const char *hash = NULL;
	struct arena a;
	int failures = 0, rc;
	int64_t id = 0;
	const char *kind = NULL;

	memset(out, 0, sizeof *out);
	if (email == NULL || *email == '\0' || password == NULL ||
	    strlen(email) > 254 || strlen(password) > 200)
		return sp_err_set(err, SP_EINVAL, "email", "give your email and "
				  "password");
	arena_init(&a, 0);
	if ((rc = store_login_failures(app->store, &failures, app->provider_id,
				       email, now - LOGIN_WINDOW, err)))
		goto out;
	if (failures >= LOGIN_MAX_FAILURES) {
		rc = sp_err_set(err, SP_EBUSY, "email", "too many failed "
				"attempts for this address; wait 15 minutes");
		goto out;
	}
	for (int k = 0; k < 2 && hash == NULL; k++)
		if (find_person(app, &a, kinds[k], email, &id, NULL) == 0) {
			kind = kinds[k];
			store_password_get(app->store, &a, &hash, kind, id, NULL);
		}
	/* The same work and the same answer whether or not the address
	 * exists: no way to learn who has an account. */
	if (hash == NULL ||
	    crypto_pwhash_str_verify(hash, password, strlen(password)) != 0) {
		if (hash == NULL) {
			char dummy[crypto_pwhash_STRBYTES];

			if (crypto_pwhash_str(dummy, password, strlen(password),
					      PW_OPSLIMIT, PW_MEMLIMIT) != 0)
				dummy[0] = '\0';
		}
		store_login_failure(app->store, app->provider_id, email, now, NULL);
		rc = sp_err_set(err, SP_ENOTFOUND, "email", "wrong email or "
				"password");
		goto out;
	}
	{
		struct session_row s = { 0 };
		char sha[65];

		random_hex(out->cookie, 32);
		random_hex(out->csrf, 24);
		app__sha256_hex(sha, out->cookie, strlen(out->cookie));
		s.provider_id = app->provider_id;
		s.sha256 = sha;
		s.actor_kind = kind;
		s.actor_id = id;
		s.csrf = out->csrf;
		s.created_at = now;
		s.expires_at = now + SESSION_SECONDS;
		if ((rc = app__begin(app, err)))
			goto out;
		if ((rc = store_session_add(app->store, &s, err)) ||
		    (rc = app__event(app, now, &(struct actor){ kind, id }, kind,
				     id, 0, "login", NULL, NULL, err))) {
			app__rollback(app);
			goto out;
		}
		if ((rc = app__commit(app, err)))
			goto out;
		out->who = (struct actor){ kind, id };
	}
out:
	arena_free(&a);
	return rc;
}

int
app_session(struct app *app, struct login *out, int64_t now,
	    const char *cookie, struct sp_err *err)
{
	struct session_row s;
	struct arena a;
	char sha[65];
	int rc;

	memset(out, 0, sizeof *out);
	if (cookie == NULL || strlen(cookie) != 64)
		return sp_err_set(err, SP_ENOTFOUND, "session", "not signed in");
	app__sha256_hex(sha, cookie, 64);
	arena_init(&a, 0);
	rc = store_session_find(app->store, &a, &s, sha, NULL);
	if (rc == 0 && (s.expires_at <= now || s.provider_id != app->provider_id))
		rc = SP_ENOTFOUND;
	if (rc == 0) {
		out->who = (struct actor){ strcmp(s.actor_kind, "agent") == 0 ?
					   "agent" : "contact", s.actor_id };
		/* Switched off since signing in: the session ends now. */
		if (!app__actor_active(app, &out->who, out->lang))
			rc = SP_ENOTFOUND;
	}
	if (rc == 0) {
		str_copy(out->csrf, s.csrf, sizeof out->csrf);
		str_copy(out->cookie, cookie, sizeof out->cookie);
	}
	arena_free(&a);
	if (rc)
		return sp_err_set(err, SP_ENOTFOUND, "session", "not signed in "
				  "(or the session expired)");
	return 0;
}

int
app_logout(struct app *app, const char *cookie, struct sp_err *err)
{
	char sha[65];

	if (cookie == NULL || strlen(cookie) != 64)
		return 0;
	app__sha256_hex(sha, cookie, 64);
	return store_session_delete(app->store, sha, err);
}
