/* directory.c — customers (organizations, contacts), agents, products. */
#include "app_internal.h"

#include "../util/str.h"

#include <string.h>

#define NAME_MAX_BYTES 200
#define FIELD_MAX_BYTES 500

/* Runs `body` in one transaction with its event. */
static int
finish(struct app *app, int rc, struct sp_err *err)
{
	if (rc) {
		app__rollback(app);
		return rc;
	}
	return app__commit(app, err);
}

int
app_org_add(struct app *app, int64_t *out_id, int64_t now,
	    const struct actor *who, const char *name, const char *tax_id,
	    struct sp_err *err)
{
	struct org_row r = { 0, app->provider_id, name, tax_id, now };
	int64_t id = 0;
	int rc;

	if ((rc = app__text("name", name, true, false, NAME_MAX_BYTES, err)) ||
	    (rc = app__text("tax_id", tax_id, false, false, 20, err)))
		return rc;
	if ((rc = app__begin(app, err)))
		return rc;
	rc = store_org_add(app->store, &id, &r, err);
	if (rc == 0)
		rc = app__event(app, now, who, "organization", id, 0,
				"organization.created", NULL,
				json_pack("{s:s, s:s?}", "name", name, "tax_id",
					  tax_id), err);
	if ((rc = finish(app, rc, err)) == 0 && out_id)
		*out_id = id;
	return rc;
}

static bool
email_plausible(const char *e)
{
	const char *at = strchr(e, '@');

	return at && at != e && strchr(at + 1, '.') && !strchr(at + 1, '@') &&
	       !strpbrk(e, " \t<>,;\"") && at[1] != '.' &&
	       e[strlen(e) - 1] != '.';
}

/* A contact's fields, when given (name only when `need_name`). */
static int
check_contact(const struct contact_input *in, bool need_name,
	      struct sp_err *err)
{
	int rc;

	if ((rc = app__text("name", in->name, need_name, false, NAME_MAX_BYTES,
			    err)) ||
	    (rc = app__text("surname", in->surname, false, false,
			    NAME_MAX_BYTES, err)) ||
	    (rc = app__text("phone", in->phone, false, false, 40, err)) ||
	    (rc = app__text("address", in->address, false, true,
			    FIELD_MAX_BYTES, err)) ||
	    (rc = app__text("email", in->email, false, false, 254, err)))
		return rc;
	if (in->name && *in->name == '\0')
		return sp_err_set(err, SP_EINVAL, "name", "a contact keeps a name");
	if (in->email && *in->email && !email_plausible(in->email))
		return sp_err_set(err, SP_EINVAL, "email", "'%s' is not an "
				  "email address", in->email);
	if (in->lang && strcmp(in->lang, "es") && strcmp(in->lang, "en"))
		return sp_err_set(err, SP_EINVAL, "lang", "lang must be es or "
				  "en, not '%s'", in->lang);
	return 0;
}

int
app_contact_add(struct app *app, int64_t *out_id, int64_t now,
		const struct actor *who, const struct contact_input *in,
		struct sp_err *err)
{
	struct contact_row r = { 0 };
	struct org_row org;
	struct arena a;
	int64_t id = 0;
	int rc;

	if ((rc = check_contact(in, true, err)))
		return rc;
	arena_init(&a, 0);
	if ((rc = app__begin(app, err)))
		goto out;
	if (in->organization && *in->organization) {
		rc = store_org_find(app->store, &a, &org, app->provider_id,
				    in->organization, err);
		if (rc)
			goto done;
		r.organization_id = org.id;
	}
	r.provider_id = app->provider_id;
	r.name = in->name;
	r.surname = in->surname;
	r.phone = in->phone;
	r.address = in->address;
	r.email = in->email && *in->email ? in->email : NULL;
	r.lang = in->lang ? in->lang :
		 (app->policy->provider.locale &&
		  strcmp(app->policy->provider.locale, "en") == 0 ? "en" : "es");
	r.created_at = now;
	rc = store_contact_add(app->store, &id, &r, err);
	/* PRIV-1: the event records that personal data was collected, not
	 * the data itself, so an erasure later leaves no copy behind. */
	if (rc == 0)
		rc = app__event(app, now, who, "contact", id, 0,
				"contact.created", NULL,
				json_pack("{s:I}", "organization_id",
					  (json_int_t)r.organization_id), err);
done:
	if ((rc = finish(app, rc, err)) == 0 && out_id)
		*out_id = id;
out:
	arena_free(&a);
	return rc;
}

int
app_agent_add(struct app *app, int64_t *out_id, int64_t now,
	      const struct actor *who, const char *name, const char *email,
	      const char *role, struct sp_err *err)
{
	struct agent_row r = { 0, app->provider_id, name, email,
			       role ? role : "agent", true, now, "es" };
	int64_t id = 0;
	int rc;

	if ((rc = app__role_at_least(app, who, ROLE_ADMIN, "adding an agent",
				     err)) ||
	    (rc = app__text("name", name, true, false, NAME_MAX_BYTES, err)) ||
	    (rc = app__text("email", email, true, false, 254, err)))
		return rc;
	if (!email_plausible(email))
		return sp_err_set(err, SP_EINVAL, "email", "'%s' is not an "
				  "email address", email);
	if (policy_role_parse(r.role) < 0)
		return sp_err_set(err, SP_EINVAL, "role", "role '%s' is not "
				  "one of: agent, quality_lead, "
				  "operations_manager, admin", r.role);
	if ((rc = app__begin(app, err)))
		return rc;
	rc = store_agent_add(app->store, &id, &r, err);
	if (rc == 0)
		rc = app__event(app, now, who, "agent", id, 0, "agent.created",
				NULL, json_pack("{s:s, s:s}", "name", name,
						"role", r.role), err);
	if ((rc = finish(app, rc, err)) == 0 && out_id)
		*out_id = id;
	return rc;
}

int
app_product_add(struct app *app, int64_t *out_id, int64_t now,
		const struct actor *who, const char *code, const char *name,
		const char *end_of_life, struct sp_err *err)
{
	struct product_row r = { 0, app->provider_id, code, name, end_of_life,
				 now };
	struct civil_date c;
	int64_t id = 0;
	int rc;

	if (!str_is_id(code ? code : "", POLICY_ID_MAX))
		return sp_err_set(err, SP_EINVAL, "code", "product code '%s' "
				  "must be lowercase letters, digits and _",
				  code ? code : "");
	if ((rc = app__text("name", name, true, false, NAME_MAX_BYTES, err)))
		return rc;
	if (end_of_life && civil_parse_date(&c, end_of_life))
		return sp_err_set(err, SP_EINVAL, "end_of_life", "'%s' is not "
				  "a date (YYYY-MM-DD)", end_of_life);
	if ((rc = app__begin(app, err)))
		return rc;
	rc = store_product_add(app->store, &id, &r, err);
	if (rc == 0)
		rc = app__event(app, now, who, "product", id, 0,
				"product.created", NULL,
				json_pack("{s:s, s:s, s:s?}", "code", code,
					  "name", name, "end_of_life",
					  end_of_life), err);
	if ((rc = finish(app, rc, err)) == 0 && out_id)
		*out_id = id;
	return rc;
}

/* "" clears an optional field; NULL keeps it. */
static const char *
change(const char *now, const char *to)
{
	if (to == NULL)
		return now;
	return *to ? to : NULL;
}

bool
app__customer_user(const struct contact_row *c)
{
	return c->role && strcmp(c->role, "user") == 0;
}

int
app_contact_set(struct app *app, int64_t now, const struct actor *who,
		const char *key, const struct contact_input *in,
		const char *role, int active, struct sp_err *err)
{
	struct contact_row r;
	struct org_row org;
	struct arena a;
	json_t *before;
	int rc;

	if ((rc = app__staff_only(who, "changing a contact", err)) ||
	    (rc = check_contact(in, false, err)))
		return rc;
	if (role && strcmp(role, "user") && strcmp(role, "admin"))
		return sp_err_set(err, SP_EINVAL, "role", "a customer's role is "
				  "user (their own tickets) or admin (the "
				  "organization's), not '%s'", role);
	arena_init(&a, 0);
	if ((rc = app__begin(app, err)))
		goto out;
	if ((rc = store_contact_find(app->store, &a, &r, app->provider_id,
				     key ? key : "", err)))
		goto done;
	before = json_pack("{s:I, s:s, s:b}", "organization_id",
			   (json_int_t)r.organization_id, "lang", r.lang,
			   "active", r.active);
	if (in->organization && *in->organization) {
		if ((rc = store_org_find(app->store, &a, &org, app->provider_id,
					 in->organization, err))) {
			json_decref(before);
			goto done;
		}
		r.organization_id = org.id;
	} else if (in->organization) {
		r.organization_id = 0;
	}
	r.name = in->name ? in->name : r.name;
	r.surname = change(r.surname, in->surname);
	r.phone = change(r.phone, in->phone);
	r.address = change(r.address, in->address);
	r.email = change(r.email, in->email);
	r.lang = in->lang ? in->lang : r.lang;
	r.role = role ? role : r.role;
	if (active >= 0)
		r.active = active != 0;
	rc = store_contact_update(app->store, &r, err);
	/* PRIV-1: which fields changed, not their values. */
	if (rc == 0)
		rc = app__event(app, now, who, "contact", r.id, 0,
				"contact.changed", before,
				json_pack("{s:I, s:s, s:s, s:b, s:b}", "organization_id",
					  (json_int_t)r.organization_id, "lang",
					  r.lang, "role", r.role, "active", r.active,
					  "personal_data",
					  in->name || in->surname || in->phone ||
					  in->address || in->email), err);
	else
		json_decref(before);
done:
	rc = finish(app, rc, err);
out:
	arena_free(&a);
	return rc;
}

int
app_agent_set(struct app *app, int64_t now, const struct actor *who,
	      const char *key, const char *name, const char *email,
	      const char *role, const char *lang, int active,
	      struct sp_err *err)
{
	struct agent_row r;
	struct arena a;
	json_t *before;
	int rc;

	if ((rc = app__role_at_least(app, who, ROLE_ADMIN,
				      "changing an agent", err)) ||
	    (rc = app__text("name", name, false, false, NAME_MAX_BYTES, err)) ||
	    (rc = app__text("email", email, false, false, 254, err)))
		return rc;
	if ((name && *name == '\0') || (email && !email_plausible(email)))
		return sp_err_set(err, SP_EINVAL, name && *name == '\0' ? "name" :
				  "email", "an agent keeps a name and an email "
				  "address");
	if (role && policy_role_parse(role) < 0)
		return sp_err_set(err, SP_EINVAL, "role", "role '%s' is not "
				  "one of: agent, quality_lead, "
				  "operations_manager, admin", role);
	if (lang && strcmp(lang, "es") && strcmp(lang, "en"))
		return sp_err_set(err, SP_EINVAL, "lang", "lang must be es or "
				  "en, not '%s'", lang);
	arena_init(&a, 0);
	if ((rc = app__begin(app, err)))
		goto out;
	if ((rc = store_agent_find(app->store, &a, &r, app->provider_id,
				   key ? key : "", err)))
		goto done;
	before = json_pack("{s:s, s:s, s:b}", "name", r.name, "role", r.role,
			   "active", r.active);
	r.name = name ? name : r.name;
	r.email = email ? email : r.email;
	r.role = role ? role : r.role;
	r.lang = lang ? lang : r.lang;
	if (active >= 0)
		r.active = active != 0;
	rc = store_agent_update(app->store, &r, err);
	if (rc == 0)
		rc = app__event(app, now, who, "agent", r.id, 0, "agent.changed",
				before, json_pack("{s:s, s:s, s:b}", "name", r.name,
						  "role", r.role, "active",
						  r.active), err);
	else
		json_decref(before);
done:
	rc = finish(app, rc, err);
out:
	arena_free(&a);
	return rc;
}
