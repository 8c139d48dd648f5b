/* test_directory.c — changing people and switching them off: a contact
 * who left the customer, an agent who left the provider, keep their
 * history but lose their sessions and API tokens at once. */
#include "fixture.h"
#include "fx_http.h"
#include "test.h"

#include <string.h>

#define RUN(status, ...)                                                \
	do {                                                            \
		struct fx_run r_;                                       \
		int st_ = fx_cli(&r_, __VA_ARGS__);                     \
		if (st_ != (status))                                    \
			t_fail(__FILE__, __LINE__, "exit %d, want %d: %s", \
			       st_, status, r_.err.ptr ? r_.err.ptr : ""); \
		fx_run_free(&r_);                                       \
	} while (0)

static void
test_contact_and_agent_set_and_switch_off(void)
{
	struct fx_server s = { 0 };
	struct fx_reply r;
	char agent[80], customer[80], other[80], cookie[80], csrf[64];
	const char *db = fx_path("dir.db");
	struct fx_run out;

	CHECK(fx_demo_tokens(db, agent, customer, other));
	CHECK(fx_demo_passwords(db, "intecnia"));
	/* Bad input names what is wrong; nothing changes. */
	RUN(64, NULL, "--db", db, "contact", "set", "luis@ferreterialopez.mx",
	    "--active", "maybe", NULL);
	RUN(65, NULL, "--db", db, "contact", "set", "luis@ferreterialopez.mx",
	    "--lang", "fr", NULL);
	RUN(65, NULL, "--db", db, "contact", "set", "luis@ferreterialopez.mx",
	    "--email", "no-es-correo", NULL);
	RUN(65, NULL, "--db", db, "agent", "set", "ana.torres@intecnia.example",
	    "--role", "jefa", NULL);
	RUN(66, NULL, "--db", db, "contact", "set", "nadie@x.mx", "--lang", "en",
	    NULL);
	RUN(77, NULL, "--db", db, "--as", "contact:luis@ferreterialopez.mx",
	    "contact", "set", "luis@ferreterialopez.mx", "--lang", "en", NULL);
	/* A change: phone cleared, language switched. */
	RUN(0, NULL, "--db", db, "contact", "set", "luis@ferreterialopez.mx",
	    "--phone", "", "--lang", "en", NULL);
	CHECK_INT(fx_cli(&out, NULL, "--db", db, "--json", "contact", "list",
			 NULL), 0);
	CHECK_HAS(out.out.ptr, "\"phone\": null,\n    \"address\": null,\n    "
		  "\"organization_id\": 1,\n    \"lang\": \"en\"");
	fx_run_free(&out);

	if (!fx_serve_or_fail(&s, db))
		return;
	CHECK(fx_sign_in(&s, "email=luis%40ferreterialopez.mx&password="
			 "clave-del-cliente-1", cookie, csrf, "/console"));
	CHECK_INT(fx_http(&r, &s, "GET", "/api/v1/tickets", customer, NULL,
			  NULL), 200);
	buf_free(&r.body);
	/* Switched off: the token and the open session stop at once, and
	 * signing in again is refused like a wrong password. */
	RUN(0, NULL, "--db", db, "contact", "set", "luis@ferreterialopez.mx",
	    "--active", "no", NULL);
	CHECK_INT(fx_http(&r, &s, "GET", "/api/v1/tickets", customer, NULL,
			  NULL), 401);
	CHECK_HAS(r.body.ptr, "switched off");
	buf_free(&r.body);
	CHECK_INT(fx_form(&r, &s, "/console", cookie, NULL), 303);
	buf_free(&r.body);
	CHECK_INT(fx_login(&r, &s, "email=luis%40ferreterialopez"
			  ".mx&password=clave-del-cliente-1"), 401);
	buf_free(&r.body);
	/* The same for an agent; switched on again, the token works. */
	RUN(0, NULL, "--db", db, "agent", "set", "ana.torres@intecnia.example",
	    "--active", "no", NULL);
	CHECK_INT(fx_http(&r, &s, "GET", "/api/v1/tickets", agent, NULL, NULL),
		  401);
	buf_free(&r.body);
	RUN(0, NULL, "--db", db, "agent", "set", "ana.torres@intecnia.example",
	    "--active", "yes", "--role", "quality_lead", NULL);
	CHECK_INT(fx_http(&r, &s, "GET", "/api/v1/tickets", agent, NULL, NULL),
		  200);
	buf_free(&r.body);
	CHECK_INT(fx_serve_stop(&s), 0);
	/* The role changed with the switch back on. */
	CHECK_INT(fx_cli(&out, NULL, "--db", db, "--json", "agent", "list", NULL),
		  0);
	CHECK_HAS(out.out.ptr, "\"role\": \"quality_lead\"");
	fx_run_free(&out);
}

/* The staff's roles rank their acts (docs/admin.md, Roles): money acts
 * need an operations manager, the staff itself and API tokens an admin;
 * an agent sets their own password. A refusal exits 77 (EX_NOPERM),
 * names the role needed, and changes nothing. */
static void
test_roles_rank_money_and_admin_acts(void)
{
	const char *db = fx_path("roles.db");
	const char *ana = "agent:ana.torres@intecnia.example";
	const char *diego = "agent:diego.salas@intecnia.example";
	struct fx_run out;

	CHECK_INT(fx_cli(&out, NULL, "--db", db, "--policies", fx_policies(),
			 "demo", NULL), 0);
	fx_run_free(&out);
	/* A plain agent: no promotion, no new agent, no token, no one
	 * else's password, no contract. */
	CHECK_INT(fx_cli(&out, NULL, "--db", db, "--as", ana, "agent", "set",
			 "ana.torres@intecnia.example", "--role", "admin", NULL),
		  77);
	CHECK_HAS(out.err.ptr, "changing an agent needs the role admin or "
		  "above; ana.torres@intecnia.example is agent");
	fx_run_free(&out);
	RUN(77, NULL, "--db", db, "--as", ana, "agent", "add", "--name", "Eva",
	    "--email", "eva@intecnia.example", NULL);
	RUN(77, NULL, "--db", db, "--as", ana, "token", "create", "--agent",
	    "ana.torres@intecnia.example", "--name", "mío", NULL);
	RUN(77, "otra-clave-larga-1\n", "--db", db, "--as", ana, "agent",
	    "password", "bruno.mendez@intecnia.example", NULL);
	RUN(0, "mi-clave-larga-1\n", "--db", db, "--as", ana, "agent",
	    "password", "ana.torres@intecnia.example", NULL);
	RUN(0, "clave-cliente-1\n", "--db", db, "--as", ana, "contact",
	    "password", "luis@ferreterialopez.mx", NULL);
	RUN(77, NULL, "--db", db, "--as", ana, "contract", "add", "--org",
	    "Ferretería López", "--plan", "basica", NULL);
	/* The operations manager sells contracts but does not run the
	 * staff; an admin does. */
	RUN(0, NULL, "--db", db, "--as", diego, "contract", "add", "--org",
	    "Ferretería López", "--plan", "basica", NULL);
	RUN(77, NULL, "--db", db, "--as", diego, "agent", "set",
	    "ana.torres@intecnia.example", "--role", "admin", NULL);
	RUN(0, NULL, "--db", db, "agent", "set", "diego.salas@intecnia.example",
	    "--role", "admin", NULL);
	RUN(0, NULL, "--db", db, "--as", diego, "agent", "set",
	    "ana.torres@intecnia.example", "--role", "quality_lead", NULL);
	RUN(0, NULL, "--db", db, "--as", diego, "token", "create", "--agent",
	    "ana.torres@intecnia.example", "--name", "integración", NULL);
	/* Only the admin's change took: Ana is a quality lead, no one
	 * else became admin, and one contract was added. */
	CHECK_INT(fx_cli(&out, NULL, "--db", db, "--json", "agent", "list",
			 NULL), 0);
	CHECK_HAS(out.out.ptr, "\"role\": \"quality_lead\"");
	CHECK(strstr(out.out.ptr, "eva@") == NULL);
	{
		const char *p = strstr(out.out.ptr, "\"role\": \"admin\"");

		CHECK(p != NULL && strstr(p + 1, "\"role\": \"admin\"") == NULL);
	}
	fx_run_free(&out);
}

const struct test directory_tests[] = {
	{ "roles_rank_money_and_admin_acts",
	  test_roles_rank_money_and_admin_acts },
	{ "contact_and_agent_set_and_switch_off",
	  test_contact_and_agent_set_and_switch_off },
	{ 0 },
};
