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
	RUN(65, NULL, "--db", db, "--as", "contact:luis@ferreterialopez.mx",
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

const struct test directory_tests[] = {
	{ "contact_and_agent_set_and_switch_off",
	  test_contact_and_agent_set_and_switch_off },
	{ 0 },
};
