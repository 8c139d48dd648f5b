/* role.c — who may do what: the provider's staff against its customers,
 * and among the staff, the role an act needs (docs/admin.md, Roles). */
#include "app_internal.h"

#include <string.h>

/* Contracts, payments and refunds are the provider's acts: an agent's or
 * the system's, never a customer's. */
int
app__staff_only(const struct actor *who, const char *what, struct sp_err *err)
{
	if (strcmp(who->kind, "agent") == 0 || strcmp(who->kind, "system") == 0)
		return 0;
	return sp_err_set(err, SP_EPERM, "actor", "%s is done by the "
			  "provider's staff (--as agent:EMAIL), not by a "
			  "customer", what);
}

/* The roles are ranked as the escalation ladder climbs them (SLA-5): an
 * operations manager may do what an agent may, an admin everything. */
int
app__role_at_least(struct app *app, const struct actor *who, enum role least,
		   const char *what, struct sp_err *err)
{
	struct agent_row ag;
	struct arena a;
	int rc, role;

	if ((rc = app__staff_only(who, what, err)))
		return rc;
	if (strcmp(who->kind, "system") == 0)
		return 0;
	arena_init(&a, 0);
	rc = store_agent_get(app->store, &a, &ag, app->provider_id, who->id,
			     err);
	role = rc ? -1 : policy_role_parse(ag.role);
	if (rc == 0 && !ag.active)
		rc = sp_err_set(err, SP_EPERM, "actor", "%s: the agent %s is "
				"switched off", what, ag.email);
	else if (rc == 0 && role < (int)least)
		rc = sp_err_set(err, SP_EPERM, "actor", "%s needs the role %s "
				"or above; %s is %s", what,
				policy_role_name(least), ag.email, ag.role);
	arena_free(&a);
	return rc;
}
