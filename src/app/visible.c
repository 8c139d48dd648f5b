/* visible.c — the directory, contracts, quotes and invoices as an actor
 * may see them (PRIV-2): agents and the system see everything; a
 * customer contact sees only its own organization's, and anything else
 * answers exactly like a missing row. */
#include "app_internal.h"

#include <stdio.h>
#include <string.h>

/* The organization whose rows `who` sees: 0 for everything (agents, the
 * system), a contact's own, or -1 for nothing (a contact without an
 * organization: contracts and documents belong to organizations). */
static int
scope(struct app *app, const struct actor *who, int64_t *org,
      struct sp_err *err)
{
	int64_t own = 0, contact_only = 0;
	int rc;

	*org = -1;
	if (strcmp(who->kind, "agent") == 0 || strcmp(who->kind, "system") == 0) {
		*org = 0;
		return 0;
	}
	if (strcmp(who->kind, "contact") != 0)
		return 0;
	/* Whoever sees only their own tickets (a customer user, a contact
	 * without an organization) sees none of the contracts and
	 * documents, which belong to organizations. */
	if ((rc = app_visible_org(app, who, &own, &contact_only, err)) == 0 &&
	    own && !contact_only)
		*org = own;
	return rc;
}

static bool
sees(int64_t scope_org, int64_t row_org)
{
	return scope_org == 0 || (scope_org > 0 && scope_org == row_org);
}

/* An organization filter given by `who`: 0 for none; another
 * organization's answers like a missing one. */
static int
org_filter(struct app *app, struct arena *a, int64_t *out, int64_t scope_org,
	   const char *key, struct sp_err *err)
{
	struct org_row o;
	int rc;

	*out = scope_org > 0 ? scope_org : 0;
	if (key == NULL || *key == '\0')
		return 0;
	if ((rc = store_org_find(app->store, a, &o, app->provider_id, key,
				 err)))
		return rc;
	if (!sees(scope_org, o.id))
		return sp_err_set(err, SP_ENOTFOUND, "organization",
				  "no organization '%s'", key);
	*out = o.id;
	return 0;
}

int
app_org_list_as(struct app *app, struct arena *a, struct org_row **out,
		size_t *n, const struct actor *who, struct sp_err *err)
{
	struct org_row *rows;
	size_t cnt, k = 0;
	int64_t org;
	int rc;

	if ((rc = scope(app, who, &org, err)) ||
	    (rc = store_org_list(app->store, a, &rows, &cnt, app->provider_id,
				 err)))
		return rc;
	for (size_t i = 0; i < cnt; i++)
		if (sees(org, rows[i].id))
			rows[k++] = rows[i];
	*out = rows;
	*n = k;
	return 0;
}

int
app_org_get_as(struct app *app, struct arena *a, struct org_row *out,
	       const char *key, const struct actor *who, struct sp_err *err)
{
	struct org_row o;
	int64_t org;
	int rc;

	if (key == NULL || *key == '\0')
		return sp_err_set(err, SP_EINVAL, "organization", "which "
				  "organization? give its id or name");
	if ((rc = scope(app, who, &org, err)) ||
	    (rc = store_org_find(app->store, a, &o, app->provider_id, key, err)))
		return rc;
	if (!sees(org, o.id))
		return sp_err_set(err, SP_ENOTFOUND, "organization",
				  "no organization '%s'", key);
	*out = o;
	return 0;
}

int
app_contact_list_as(struct app *app, struct arena *a,
		    struct contact_row **out, size_t *n,
		    const char *organization, const struct actor *who,
		    struct sp_err *err)
{
	struct contact_row *rows;
	size_t cnt;
	int64_t org, filter;
	int rc;

	if ((rc = scope(app, who, &org, err)))
		return rc;
	if (org < 0) {
		/* A contact without an organization sees itself only. */
		struct contact_row *me = arena_calloc(a, 1, sizeof *me);

		if (me == NULL)
			return sp_err_set(err, SP_ENOMEM, "contacts",
					  "out of memory");
		if ((organization && *organization) ||
		    strcmp(who->kind, "contact") != 0) {
			*out = me;
			*n = 0;
			return organization && *organization ?
			       sp_err_set(err, SP_ENOTFOUND, "organization",
					  "no organization '%s'",
					  organization) : 0;
		}
		if ((rc = store_contact_get(app->store, a, me, app->provider_id,
					    who->id, err)))
			return rc;
		*out = me;
		*n = 1;
		return 0;
	}
	if ((rc = org_filter(app, a, &filter, org, organization, err)) ||
	    (rc = store_contact_list(app->store, a, &rows, &cnt,
				     app->provider_id, filter, err)))
		return rc;
	*out = rows;
	*n = cnt;
	return 0;
}

int
app_contract_status_as(struct app *app, struct arena *a,
		       struct contract_status *out, const char *key,
		       int64_t now, const struct actor *who, struct sp_err *err)
{
	struct contract_status st;
	int64_t org;
	int rc;

	if ((rc = scope(app, who, &org, err)) ||
	    (rc = app_contract_status(app, a, &st, key, now, err)))
		return rc;
	if (!sees(org, st.c.organization_id))
		return sp_err_set(err, SP_ENOTFOUND, "contract",
				  "no contract '%s'", key);
	*out = st;
	return 0;
}

int
app_contract_list_as(struct app *app, struct arena *a,
		     struct contract_status **out, size_t *n,
		     const char *organization, int64_t now,
		     const struct actor *who, struct sp_err *err)
{
	int64_t org, filter;
	char key[32];
	int rc;

	if ((rc = scope(app, who, &org, err)))
		return rc;
	if (org < 0) {
		*out = arena_calloc(a, 1, sizeof **out);
		*n = 0;
		return organization && *organization ?
		       sp_err_set(err, SP_ENOTFOUND, "organization",
				  "no organization '%s'", organization) : 0;
	}
	if ((rc = org_filter(app, a, &filter, org, organization, err)))
		return rc;
	snprintf(key, sizeof key, "%lld", (long long)filter);
	return app_contract_list(app, a, out, n, filter ? key : NULL, now, err);
}

int
app_quote_get_as(struct app *app, struct arena *a, struct quote_row *out,
		 const char *key, const struct actor *who, struct sp_err *err)
{
	struct quote_row q;
	int64_t org;
	int rc;

	if (key == NULL || *key == '\0')
		return sp_err_set(err, SP_EINVAL, "quote", "which quote? give "
				  "its number");
	if ((rc = scope(app, who, &org, err)) ||
	    (rc = store_quote_find(app->store, a, &q, app->provider_id, key,
				   err)))
		return rc;
	if (!sees(org, q.organization_id))
		return sp_err_set(err, SP_ENOTFOUND, "quote", "no quote '%s'",
				  key);
	*out = q;
	return 0;
}

int
app_quote_list_as(struct app *app, struct arena *a, struct quote_row **out,
		  size_t *n, const char *ticket, const char *organization,
		  const struct actor *who, struct sp_err *err)
{
	struct quote_row *rows;
	size_t cnt, k = 0;
	int64_t org, filter, ticket_id = 0;
	int rc;

	if ((rc = scope(app, who, &org, err)))
		return rc;
	if (org < 0) {
		*out = arena_calloc(a, 1, sizeof **out);
		*n = 0;
		return 0;
	}
	if (ticket && *ticket) {
		struct ticket_row t;

		if ((rc = store_ticket_find(app->store, a, &t, app->provider_id,
					    ticket, err)))
			return rc;
		if (!sees(org, t.organization_id))
			return sp_err_set(err, SP_ENOTFOUND, "ticket",
					  "no ticket '%s'", ticket);
		ticket_id = t.id;
	}
	if ((rc = org_filter(app, a, &filter, org, organization, err)) ||
	    (rc = store_quote_list(app->store, a, &rows, &cnt, app->provider_id,
				   ticket_id, filter, err)))
		return rc;
	for (size_t i = 0; i < cnt; i++)
		if (sees(org, rows[i].organization_id))
			rows[k++] = rows[i];
	*out = rows;
	*n = k;
	return 0;
}

int
app_invoice_get_as(struct app *app, struct arena *a, struct invoice_row *out,
		   const char *key, const struct actor *who, struct sp_err *err)
{
	struct invoice_row r;
	int64_t org;
	int rc;

	if (key == NULL || *key == '\0')
		return sp_err_set(err, SP_EINVAL, "invoice", "which invoice? "
				  "give its number");
	if ((rc = scope(app, who, &org, err)) ||
	    (rc = store_invoice_find(app->store, a, &r, app->provider_id, key,
				     err)))
		return rc;
	if (!sees(org, r.organization_id))
		return sp_err_set(err, SP_ENOTFOUND, "invoice",
				  "no invoice '%s'", key);
	*out = r;
	return 0;
}

int
app_invoice_list_as(struct app *app, struct arena *a,
		    struct invoice_row **out, size_t *n,
		    const char *organization, const struct actor *who,
		    struct sp_err *err)
{
	struct invoice_row *rows;
	size_t cnt, k = 0;
	int64_t org, filter;
	int rc;

	if ((rc = scope(app, who, &org, err)))
		return rc;
	if (org < 0) {
		*out = arena_calloc(a, 1, sizeof **out);
		*n = 0;
		return 0;
	}
	if ((rc = org_filter(app, a, &filter, org, organization, err)) ||
	    (rc = store_invoice_list(app->store, a, &rows, &cnt,
				     app->provider_id, filter, err)))
		return rc;
	for (size_t i = 0; i < cnt; i++)
		if (sees(org, rows[i].organization_id))
			rows[k++] = rows[i];
	*out = rows;
	*n = k;
	return 0;
}

int
app_contract_ledger(struct app *app, struct arena *a,
		    struct ledger_entry **out, size_t *n,
		    const struct contract_row *c, struct sp_err *err)
{
	struct ledger_row *rows;
	struct ledger_entry *e;
	size_t cnt;
	int64_t balance = 0;
	int rc;

	if ((rc = store_ledger_list(app->store, a, &rows, &cnt, c->id, err)))
		return rc;
	e = arena_calloc(a, cnt + 1, sizeof *e);
	if (e == NULL)
		return sp_err_set(err, SP_ENOMEM, "ledger", "out of memory");
	for (size_t i = 0; i < cnt; i++) {
		balance += rows[i].minutes;
		e[i].l = rows[i];
		e[i].balance = balance;
		if (rows[i].attendance_id &&
		    store_attendance_get(app->store, a, &e[i].at,
					 app->provider_id,
					 rows[i].attendance_id, NULL) == 0) {
			struct ticket_row t;

			e[i].has_attendance = true;
			if (store_ticket_get(app->store, a, &t, app->provider_id,
					     e[i].at.ticket_id, NULL) == 0)
				e[i].folio = t.folio;
		}
	}
	*out = e;
	*n = cnt;
	return 0;
}
