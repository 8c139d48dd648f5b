/* test_app.c — the use cases on real SQLite files with the seed packs. */
#include "../src/app/app.h"
#include "fixture.h"
#include "test.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const unsigned char png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a,
				     '\n', 0, 0, 0, 0 };

/* A customer organization with one contact, and one agent. */
static bool
seed(struct app *app, int64_t now)
{
	struct sp_err err = { 0 };
	struct contact_input c = { "Ferretería López", "Luis", "López",
				   "222 555 0101", "Av. Juárez 10",
				   "luis@ferre.mx", NULL };
	struct contact_input c2 = { "Clínica Norte", "Sofía", "Navarro",
				    NULL, NULL, "sofia@clinica.mx", NULL };

	if (app_org_add(app, NULL, now, &app_system, "Ferretería López",
			NULL, &err) ||
	    app_org_add(app, NULL, now, &app_system, "Clínica Norte", NULL,
			&err) ||
	    app_contact_add(app, NULL, now, &app_system, &c, &err) ||
	    app_contact_add(app, NULL, now, &app_system, &c2, &err) ||
	    app_agent_add(app, NULL, now, &app_system, "Ana Torres",
			  "ana@prov.mx", "agent", &err)) {
		t_fail(__FILE__, __LINE__, "seed: %s", err.msg);
		return false;
	}
	return true;
}

/* A complete Intecnia request (description and screenshot, INT-3). */
static struct ticket_input
intecnia_request(const char *subject)
{
	struct ticket_input in = { 0 };

	in.contact = "luis@ferre.mx";
	in.channel = "email";
	in.category = "software";
	in.subject = subject;
	in.description = "El sistema no abre.";
	in.files[0] = (struct ticket_file){ "error.png", "image/png", png,
					    sizeof png };
	in.nfiles = 1;
	return in;
}

static int
count_events(struct app *app, const char *folio)
{
	struct ticket_view v;
	struct arena a;
	int n = -1;

	arena_init(&a, 0);
	if (app_ticket_view(app, &a, &v, folio, NULL) == 0)
		n = (int)v.nevents;
	arena_free(&a);
	return n;
}

static void
state_of(struct app *app, const char *folio, char *out, size_t size)
{
	struct ticket_row t;
	struct arena a;

	arena_init(&a, 0);
	out[0] = '\0';
	if (store_ticket_find(app->store, &a, &t, app->provider_id, folio,
			      NULL) == 0)
		snprintf(out, size, "%s", t.state);
	arena_free(&a);
}

/* INT-1: folios follow the pack's format and restart each year. */
static void
test_int1_folios_by_pack_format(void)
{
	int64_t now = fx_at("2026-12-31T23:30:00-06:00");
	struct app *app = fx_app("intecnia", now);
	struct ticket_opened o1, o2, o3;
	struct ticket_input in = intecnia_request("Falla");
	struct sp_err err = { 0 };

	CHECK(app != NULL);
	CHECK(seed(app, now));
	CHECK_INT(app_ticket_open(app, &o1, now, &app_system, &in, &err), 0);
	CHECK_INT(app_ticket_open(app, &o2, now + 60, &app_system, &in, &err), 0);
	/* 00:30 on January 1st in Mexico City: the provider's new year. */
	CHECK_INT(app_ticket_open(app, &o3, now + 3600, &app_system, &in, &err), 0);
	CHECK_STR(o1.folio, "INT-2026-00001");
	CHECK_STR(o2.folio, "INT-2026-00002");
	CHECK_STR(o3.folio, "INT-2027-00001");
	app_close(app);
}

/* INT-2: Intecnia takes email only, phone only for email faults. */
static void
test_int2_intecnia_channels(void)
{
	int64_t now = fx_at("2026-03-10T10:00:00-06:00");
	struct app *app = fx_app("intecnia", now);
	struct ticket_input in = intecnia_request("Falla");
	struct ticket_opened o;
	struct sp_err err = { 0 };

	CHECK(app != NULL);
	CHECK(seed(app, now));
	in.channel = "phone";
	CHECK_INT(app_ticket_open(app, &o, now, &app_system, &in, &err), SP_EINVAL);
	CHECK_STR(err.field, "channel");
	CHECK_HAS(err.msg, "INT-2");
	sp_err_clear(&err);
	in.category = "email_fault";
	CHECK_INT(app_ticket_open(app, &o, now, &app_system, &in, &err), 0);
	CHECK_STR(o.folio, "INT-2026-00001");
	app_close(app);
}

/* INT-3: a request missing required items is kept and waits on the
 * customer with a message listing them. */
static void
test_int3_missing_information_waits(void)
{
	int64_t now = fx_at("2026-05-04T10:00:00-06:00");
	struct app *app = fx_app("easi", now);
	struct ticket_input in = { 0 };
	struct ticket_opened o;
	struct ticket_view v;
	struct sp_err err = { 0 };
	struct arena a;

	CHECK(app != NULL);
	CHECK(seed(app, now));
	in.contact = "luis@ferre.mx";
	in.channel = "email";
	in.subject = "No timbra";
	in.description = "Marca error al timbrar";
	in.field_names[0] = "module";
	in.field_values[0] = "Facturación";
	in.nfields = 1;
	CHECK_INT(app_ticket_open(app, &o, now, &app_system, &in, &err), 0);
	CHECK_STR(o.state, "waiting_customer");
	CHECK_HAS(o.missing, "steps");
	CHECK_HAS(o.missing, "screenshot");
	CHECK_HAS(o.missing, "os_version");
	CHECK(strstr(o.missing, "module") == NULL);
	arena_init(&a, 0);
	CHECK_INT(app_ticket_view(app, &a, &v, o.folio, &err), 0);
	CHECK_INT(v.nmessages, 2);
	CHECK_STR(v.messages[1].kind, "system");
	CHECK_HAS(v.messages[1].body, "aún necesitamos");
	/* In words the customer reads, not the pack's field ids. */
	CHECK_HAS(v.messages[1].body, "la versión del sistema operativo");
	CHECK(strstr(v.messages[1].body, "os_version") == NULL);
	arena_free(&a);
	app_close(app);
}

/* INT-3: with everything EASI asks for, the ticket is simply new. */
static void
test_int3_complete_request_is_new(void)
{
	int64_t now = fx_at("2026-05-04T10:00:00-06:00");
	struct app *app = fx_app("easi", now);
	struct ticket_input in = { 0 };
	struct ticket_opened o;
	struct sp_err err = { 0 };
	static const char *const names[] = { "steps", "module", "system",
					      "system_version", "os_version" };

	CHECK(app != NULL);
	CHECK(seed(app, now));
	in.contact = "luis@ferre.mx";
	in.channel = "web";
	in.subject = "No timbra";
	in.description = "Marca error al timbrar";
	for (int i = 0; i < 5; i++) {
		in.field_names[i] = names[i];
		in.field_values[i] = "x";
	}
	in.nfields = 5;
	in.files[0] = (struct ticket_file){ "e.jpg", "image/jpeg", png, 4 };
	in.nfiles = 1;
	CHECK_INT(app_ticket_open(app, &o, now, &app_system, &in, &err), 0);
	CHECK_STR(o.state, "new");
	CHECK_STR(o.missing, "");
	app_close(app);
}

/* The body json_pack and json_dumps (sorted keys) wrote for an event. */
static bool
body_is(const char *got, json_t *want)
{
	char *text = json_dumps(want, JSON_COMPACT | JSON_SORT_KEYS);
	bool same = got && text && strcmp(got, text) == 0;

	if (!same)
		fprintf(stderr, "body %s, want %s\n", got ? got : "(null)",
			text ? text : "(null)");
	free(text);
	json_decref(want);
	return same;
}

/* The events a ticket's creation writes (jw, not json_t) hold the bytes
 * jansson wrote for them, escapes and UTF-8 included: the log's readers
 * (SLA, views, console, CLI) read them as before. */
static void
test_created_events_keep_jansson_bodies(void)
{
	int64_t now = fx_at("2026-05-04T10:00:00-06:00");
	struct app *app = fx_app("easi", now);
	struct ticket_input in = { 0 };
	struct ticket_opened o, o2;
	struct ticket_view v;
	struct sp_err err = { 0 };
	struct arena a;
	int seen = 0;

	CHECK(app != NULL);
	CHECK(seed(app, now));
	in.contact = "luis@ferre.mx";
	in.channel = "email";
	in.subject = "Dice \"error\"\tC:\\temp </b> — ñ € 😀";
	in.description = "Marca error al timbrar";
	in.files[0] = (struct ticket_file){ "captura \"1\" ñ.png", "image/png",
					    png, sizeof png };
	in.nfiles = 1;
	CHECK_INT(app_ticket_open(app, &o, now, &app_system, &in, &err), 0);
	CHECK_STR(o.state, "waiting_customer");
	arena_init(&a, 0);
	CHECK_INT(app_ticket_view(app, &a, &v, o.folio, &err), 0);
	CHECK_INT(v.nattachments, 1);
	for (size_t i = 0; i < v.nevents; i++) {
		const struct event_row *e = &v.events[i];
		const struct ticket_row *t = &v.t;

		if (strcmp(e->action, "ticket.created") == 0) {
			CHECK(e->before == NULL);
			CHECK(body_is(e->after, json_pack(
				"{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:I, "
				"s:I, s:I, s:I, s:I}", "id", (json_int_t)t->id,
				"folio", t->folio, "channel", t->channel,
				"category", t->category, "priority",
				t->priority, "state", "new", "subject",
				in.subject, "organization_id",
				(json_int_t)t->organization_id, "contact_id",
				(json_int_t)t->contact_id, "product_id",
				(json_int_t)t->product_id, "assignee_id",
				(json_int_t)t->assignee_id, "parent_id",
				(json_int_t)t->parent_id)));
			CHECK_HAS(e->after, "\\\"error\\\"\\tC:\\\\temp");
			seen |= 1;
		} else if (strcmp(e->action, "message.added") == 0) {
			const struct message_row *m = NULL;

			for (size_t k = 0; k < v.nmessages; k++)
				if (v.messages[k].id == e->entity_id)
					m = &v.messages[k];
			CHECK(m != NULL);
			CHECK(body_is(e->after, json_pack("{s:s, s:s?}",
				"kind", m->kind, "channel", m->channel)));
			seen |= m->channel ? 2 : 4;
		} else if (strcmp(e->action, "attachment.added") == 0) {
			const struct attachment_row *at = &v.attachments[0];

			CHECK(body_is(e->after, json_pack("{s:s, s:s, s:I, s:s}",
				"filename", at->filename, "mime", at->mime,
				"size", (json_int_t)at->size, "sha256",
				at->sha256)));
			seen |= 8;
		} else if (strcmp(e->action, "ticket.state") == 0) {
			CHECK(body_is(e->before, json_pack("{s:s}", "state",
							   "new")));
			CHECK(body_is(e->after, json_pack("{s:s, s:s}",
				"state", "waiting_customer", "reason",
				"missing_information")));
			seen |= 16;
		}
	}
	/* The customer's message has a channel, the system's none (null). */
	CHECK_INT(seen, 31);
	/* The same request again is flagged as a possible duplicate. */
	in.nfiles = 0;
	CHECK_INT(app_ticket_open(app, &o2, now + 60, &app_system, &in, &err),
		  0);
	CHECK_INT(app_ticket_view(app, &a, &v, o2.folio, &err), 0);
	seen = 0;
	for (size_t i = 0; i < v.nevents; i++)
		if (strcmp(v.events[i].action, "possible_duplicate") == 0) {
			CHECK(body_is(v.events[i].after, json_pack("{s:[s]}",
				"of", o.folio)));
			seen++;
		}
	CHECK_INT(seen, 1);
	arena_free(&a);
	app_close(app);
}

/* INT-6: an out-of-scope request is answered and closed, not dropped. */
static void
test_int6_out_of_scope_closed_with_answer(void)
{
	int64_t now = fx_at("2026-03-10T10:00:00-06:00");
	struct app *app = fx_app("intecnia", now);
	struct ticket_input in = intecnia_request("Configurar Windows");
	struct ticket_opened o;
	struct ticket_view v;
	struct sp_err err = { 0 };
	struct arena a;

	CHECK(app != NULL);
	CHECK(seed(app, now));
	in.category = "terceros";
	CHECK_INT(app_ticket_open(app, &o, now, &app_system, &in, &err), 0);
	CHECK(o.out_of_scope);
	CHECK_STR(o.state, "closed");
	arena_init(&a, 0);
	CHECK_INT(app_ticket_view(app, &a, &v, o.folio, &err), 0);
	CHECK_HAS(v.messages[v.nmessages - 1].body, "fuera del alcance");
	arena_free(&a);
	app_close(app);
}

/* INT-6: a product past its end of life gets no support. */
static void
test_int6_end_of_life_product(void)
{
	int64_t now = fx_at("2026-03-10T10:00:00-06:00");
	struct app *app = fx_app("intecnia", now);
	struct ticket_input in = intecnia_request("Conmutador viejo");
	struct ticket_opened o;
	struct sp_err err = { 0 };

	CHECK(app != NULL);
	CHECK(seed(app, now));
	CHECK_INT(app_product_add(app, NULL, now, &app_system, "conmutador_x",
				  "Conmutador X", "2025-12-31", &err), 0);
	CHECK_INT(app_product_add(app, NULL, now, &app_system, "firewall_y",
				  "Firewall Y", "2030-01-01", &err), 0);
	in.product = "conmutador_x";
	CHECK_INT(app_ticket_open(app, &o, now, &app_system, &in, &err), 0);
	CHECK(o.out_of_scope);
	in.product = "firewall_y";
	CHECK_INT(app_ticket_open(app, &o, now, &app_system, &in, &err), 0);
	CHECK(!o.out_of_scope);
	CHECK_STR(o.state, "new");
	app_close(app);
}

/* SLA-3: waiting on the customer ends when the customer answers. The
 * whole life is in the event log in order. */
static void
test_sla3_customer_reply_resumes_and_history_complete(void)
{
	int64_t now = fx_at("2026-03-10T10:00:00-06:00");
	struct app *app = fx_app("intecnia", now);
	struct ticket_input in = intecnia_request("Falla");
	struct ticket_opened o;
	struct ticket_view v;
	struct sp_err err = { 0 };
	struct arena a;
	struct actor ana = { "agent", 1 }, luis = { "contact", 1 };
	char st[32];
	const char *expect[] = { "new", "open", "waiting_customer", "open",
				 "resolved", "open" };
	int k = 1;

	CHECK(app != NULL);
	CHECK(seed(app, now));
	CHECK_INT(app_ticket_open(app, &o, now, &luis, &in, &err), 0);
	CHECK_INT(app_ticket_reply(app, now + 60, &ana, o.folio, "Revisamos",
				   false, &err), 0);
	state_of(app, o.folio, st, sizeof st);
	CHECK_STR(st, "open");
	CHECK_INT(app_ticket_act(app, now + 120, &ana, o.folio,
				 TA_WAIT_CUSTOMER, NULL, &err), 0);
	CHECK_INT(app_ticket_reply(app, now + 3600, &luis, o.folio,
				   "Ya instalé TeamViewer", false, &err), 0);
	state_of(app, o.folio, st, sizeof st);
	CHECK_STR(st, "open");
	CHECK_INT(app_ticket_act(app, now + 7200, &ana, o.folio, TA_RESOLVE,
				 NULL, &err), 0);
	CHECK_INT(app_ticket_act(app, now + 7300, &luis, o.folio, TA_REOPEN,
				 NULL, &err), 0);
	arena_init(&a, 0);
	CHECK_INT(app_ticket_view(app, &a, &v, o.folio, &err), 0);
	/* Rebuild the state sequence from the events alone. */
	CHECK_STR(v.events[0].action, "ticket.created");
	CHECK_HAS(v.events[0].after, "\"state\":\"new\"");
	for (size_t i = 0; i < v.nevents; i++) {
		char want[64];

		if (strcmp(v.events[i].action, "ticket.state") != 0)
			continue;
		CHECK(k < 6);
		snprintf(want, sizeof want, "\"state\":\"%s\"", expect[k - 1]);
		CHECK_HAS(v.events[i].before, want);
		snprintf(want, sizeof want, "\"state\":\"%s\"", expect[k]);
		CHECK_HAS(v.events[i].after, want);
		k++;
	}
	CHECK_INT(k, 6);
	CHECK_INT(v.t.resolved_at, 0);
	arena_free(&a);
	app_close(app);
}

/* An illegal transition is refused with a reason and changes nothing. */
static void
test_illegal_transition_changes_nothing(void)
{
	int64_t now = fx_at("2026-03-10T10:00:00-06:00");
	struct app *app = fx_app("intecnia", now);
	struct ticket_input in = intecnia_request("Falla");
	struct ticket_opened o;
	struct sp_err err = { 0 };
	struct actor ana = { "agent", 1 };
	int before;

	CHECK(app != NULL);
	CHECK(seed(app, now));
	CHECK_INT(app_ticket_open(app, &o, now, &app_system, &in, &err), 0);
	before = count_events(app, o.folio);
	CHECK_INT(app_ticket_act(app, now, &ana, o.folio, TA_CONFIRM, NULL,
				 &err), SP_ECONFLICT);
	CHECK_HAS(err.msg, "only a resolved ticket");
	CHECK_INT(count_events(app, o.folio), before);
	app_close(app);
}

/* PRIV-2: a customer sees only its own organization's tickets. */
static void
test_priv2_other_customer_cannot_touch(void)
{
	int64_t now = fx_at("2026-03-10T10:00:00-06:00");
	struct app *app = fx_app("intecnia", now);
	struct ticket_input in = intecnia_request("Falla");
	struct ticket_opened o;
	struct sp_err err = { 0 };
	struct actor sofia = { "contact", 2 };
	struct ticket_view v;
	struct arena a;

	CHECK(app != NULL);
	CHECK(seed(app, now));
	CHECK_INT(app_ticket_open(app, &o, now, &app_system, &in, &err), 0);
	CHECK_INT(app_ticket_reply(app, now, &sofia, o.folio, "hola", false,
				   &err), SP_ENOTFOUND);
	arena_init(&a, 0);
	CHECK_INT(app_ticket_view(app, &a, &v, o.folio, NULL), 0);
	CHECK_INT(v.nmessages, 1);
	arena_free(&a);
	app_close(app);
}

/* SLA-5: Intecnia's customer may ask for a higher priority, never a lower
 * one; an agent sets any. */
static void
test_sla5_customer_raises_priority(void)
{
	int64_t now = fx_at("2026-03-10T10:00:00-06:00");
	struct app *app = fx_app("intecnia", now);
	struct ticket_input in = intecnia_request("Falla");
	struct ticket_opened o;
	struct sp_err err = { 0 };
	struct actor luis = { "contact", 1 }, ana = { "agent", 1 };

	CHECK(app != NULL);
	CHECK(seed(app, now));
	in.priority = "sev3";
	CHECK_INT(app_ticket_open(app, &o, now, &luis, &in, &err), 0);
	CHECK_INT(app_ticket_set_priority(app, now, &luis, o.folio, "sev4",
					  NULL, &err), SP_EINVAL);
	sp_err_clear(&err);
	CHECK_INT(app_ticket_set_priority(app, now, &luis, o.folio, "sev2",
					  "Paró la facturación", &err), 0);
	CHECK_INT(app_ticket_set_priority(app, now, &ana, o.folio, "sev4",
					  NULL, &err), 0);
	app_close(app);
}

/* INT-4: one customer's duplicates merge; other customers' do not. */
static void
test_int4_merge_duplicates(void)
{
	int64_t now = fx_at("2026-03-10T10:00:00-06:00");
	struct app *app = fx_app("intecnia", now);
	struct ticket_input in = intecnia_request("Falla");
	struct ticket_opened a1, a2, b1;
	struct sp_err err = { 0 };
	struct actor ana = { "agent", 1 };
	struct transition_args args = { 0 };
	char st[32];

	CHECK(app != NULL);
	CHECK(seed(app, now));
	CHECK_INT(app_ticket_open(app, &a1, now, &app_system, &in, &err), 0);
	CHECK_INT(app_ticket_open(app, &a2, now, &app_system, &in, &err), 0);
	in.contact = "sofia@clinica.mx";
	CHECK_INT(app_ticket_open(app, &b1, now, &app_system, &in, &err), 0);
	args.target = b1.folio;
	CHECK_INT(app_ticket_act(app, now, &ana, a2.folio, TA_MERGE, &args,
				 &err), SP_ECONFLICT);
	sp_err_clear(&err);
	args.target = a2.folio;
	CHECK_INT(app_ticket_act(app, now, &ana, a2.folio, TA_MERGE, &args,
				 &err), SP_EINVAL);
	sp_err_clear(&err);
	args.target = a1.folio;
	CHECK_INT(app_ticket_act(app, now, &ana, a2.folio, TA_MERGE, &args,
				 &err), 0);
	state_of(app, a2.folio, st, sizeof st);
	CHECK_STR(st, "merged");
	CHECK_INT(app_ticket_reply(app, now, &ana, a2.folio, "x", false, &err),
		  SP_ECONFLICT);
	app_close(app);
}

/* Bad input is refused with the field named, and nothing is stored. */
static void
test_bad_input_stores_nothing(void)
{
	int64_t now = fx_at("2026-03-10T10:00:00-06:00");
	struct app *app = fx_app("intecnia", now);
	struct ticket_input in = intecnia_request("Falla");
	struct ticket_opened o;
	struct sp_err err = { 0 };
	struct ticket_row *rows;
	struct ticket_filter f = { 0 };
	struct arena a;
	size_t n;

	CHECK(app != NULL);
	CHECK(seed(app, now));
	in.subject = "caf\xe9 latin-1";
	CHECK_INT(app_ticket_open(app, &o, now, &app_system, &in, &err), SP_EINVAL);
	CHECK_STR(err.field, "subject");
	CHECK_HAS(err.msg, "UTF-8");
	sp_err_clear(&err);
	in = intecnia_request("Falla");
	in.priority = "urgentisima";
	CHECK_INT(app_ticket_open(app, &o, now, &app_system, &in, &err), SP_EINVAL);
	CHECK_STR(err.field, "priority");
	sp_err_clear(&err);
	in = intecnia_request("Falla");
	in.contact = "nadie@x.mx";
	CHECK_INT(app_ticket_open(app, &o, now, &app_system, &in, &err),
		  SP_ENOTFOUND);
	sp_err_clear(&err);
	in = intecnia_request("Falla");
	in.field_names[0] = "color_favorito";
	in.field_values[0] = "azul";
	in.nfields = 1;
	CHECK_INT(app_ticket_open(app, &o, now, &app_system, &in, &err), SP_EINVAL);
	arena_init(&a, 0);
	CHECK_INT(store_ticket_list(app->store, &a, &rows, &n, app->provider_id,
				    &f, NULL), 0);
	CHECK_INT(n, 0);
	/* The folio sequence was rolled back with the failed ticket. */
	CHECK_INT(app_ticket_open(app, &o, now, &app_system,
				  &(struct ticket_input){ 0 }, &err), SP_EINVAL);
	in = intecnia_request("Falla");
	CHECK_INT(app_ticket_open(app, &o, now, &app_system, &in, &err), 0);
	CHECK_STR(o.folio, "INT-2026-00001");
	arena_free(&a);
	app_close(app);
}

/* PRIV-1: the personal data kept for a contact, and nothing of it in the
 * event log (so an erasure leaves no copy). */
static void
test_priv1_contact_fields_kept_not_logged(void)
{
	int64_t now = fx_at("2026-03-10T10:00:00-06:00");
	struct app *app = fx_app("intecnia", now);
	struct contact_row c;
	struct event_row *ev;
	struct arena a;
	size_t n;

	CHECK(app != NULL);
	CHECK(seed(app, now));
	arena_init(&a, 0);
	CHECK_INT(store_contact_find(app->store, &a, &c, app->provider_id,
				     "LUIS@FERRE.MX", NULL), 0);
	CHECK_STR(c.name, "Luis");
	CHECK_STR(c.surname, "López");
	CHECK_STR(c.phone, "222 555 0101");
	CHECK_STR(c.address, "Av. Juárez 10");
	CHECK_INT(store_event_list(app->store, &a, &ev, &n, app->provider_id,
				   0, NULL), 0);
	for (size_t i = 0; i < n; i++)
		CHECK(ev[i].after == NULL || strstr(ev[i].after, "0101") == NULL);
	arena_free(&a);
	app_close(app);
}

static void
test_init_twice_refused_and_unknown_pack(void)
{
	int64_t now = fx_at("2026-03-10T10:00:00-06:00");
	struct app *app = fx_app("intecnia", now);
	struct policy_report r;
	struct sp_err err = { 0 };

	CHECK(app != NULL);
	app_close(app);
	policy_report_init(&r);
	CHECK_INT(app_init(fx_path("t.db"), fx_policies(), "intecnia", now, &r,
			   &err), SP_ECONFLICT);
	sp_err_clear(&err);
	CHECK_INT(app_init(fx_path("t.db"), fx_policies(), "nopack", now, &r,
			   &err), SP_ENOTFOUND);
	CHECK_HAS(err.msg, "no pack 'nopack'");
	sp_err_clear(&err);
	CHECK_INT(app_init(fx_path("t.db"), fx_policies(), "../etc", now, &r,
			   &err), SP_EINVAL);
	policy_report_free(&r);
}

/* Group commit: use cases in a batch commit together, one that fails
 * leaves the others, and nothing is seen from another connection (here
 * a sibling, sharing the pack and calendars) before the commit. */
static void
test_batch_commits_together_seen_after(void)
{
	int64_t now = fx_at("2026-03-10T10:00:00-06:00");
	struct app *app = fx_app("intecnia", now), *sib = NULL;
	struct ticket_input in = intecnia_request("Falla en caja");
	struct ticket_input bad = intecnia_request("Falla");
	struct ticket_opened a, b, c;
	struct ticket_view v;
	struct ticket_row t;
	struct policy_report rep;
	struct sp_err err = { 0 };
	struct arena ar;

	CHECK(app != NULL);
	CHECK(seed(app, now));
	CHECK_INT(app_open_sibling(&sib, app, fx_path("t.db"), &err), 0);
	CHECK_INT(app_batch_begin(app, &err), 0);
	CHECK_INT(app_ticket_open(app, &a, now, &app_system, &in, &err), 0);
	bad.priority = "urgente";
	CHECK_INT(app_ticket_open(app, &b, now, &app_system, &bad, &err),
		  SP_EINVAL);
	CHECK_INT(app_ticket_open(app, &c, now, &app_system, &in, &err), 0);
	arena_init(&ar, 0);
	CHECK_INT(store_ticket_find(sib->store, &ar, &t, sib->provider_id,
				    a.folio, NULL), SP_ENOTFOUND);
	CHECK_INT(app_batch_commit(app, &err), 0);
	CHECK(!app->in_tx);
	CHECK_STR(a.folio, "INT-2026-00001");
	CHECK_STR(c.folio, "INT-2026-00002");
	/* The sibling reads them, clocks and all, with the shared
	 * calendars. */
	CHECK_INT(app_ticket_view(sib, &ar, &v, c.folio, &err), 0);
	CHECK_STR(v.t.subject, "Falla en caja");
	{
		struct sla_status st;

		CHECK_INT(app_ticket_sla(sib, &st, &v.t, now + 3600, &err), 0);
	}
	arena_free(&ar);
	/* Neither may replace what the other reads. */
	policy_report_init(&rep);
	CHECK_INT(app_pack_reload(sib, fx_policies(), now, &rep, &err),
		  SP_EINVAL);
	CHECK_INT(app_pack_reload(app, fx_policies(), now, &rep, &err),
		  SP_EINVAL);
	policy_report_free(&rep);
	app_close(sib);
	app_close(app);
}

const struct test app_tests[] = {
	{ "created_events_keep_jansson_bodies",
	  test_created_events_keep_jansson_bodies },
	{ "batch_commits_together_seen_after",
	  test_batch_commits_together_seen_after },
	{ "int1_folios_by_pack_format", test_int1_folios_by_pack_format },
	{ "int2_intecnia_channels", test_int2_intecnia_channels },
	{ "int3_missing_information_waits", test_int3_missing_information_waits },
	{ "int3_complete_request_is_new", test_int3_complete_request_is_new },
	{ "int6_out_of_scope_closed_with_answer", test_int6_out_of_scope_closed_with_answer },
	{ "int6_end_of_life_product", test_int6_end_of_life_product },
	{ "sla3_customer_reply_resumes_and_history_complete", test_sla3_customer_reply_resumes_and_history_complete },
	{ "illegal_transition_changes_nothing", test_illegal_transition_changes_nothing },
	{ "priv2_other_customer_cannot_touch", test_priv2_other_customer_cannot_touch },
	{ "sla5_customer_raises_priority", test_sla5_customer_raises_priority },
	{ "int4_merge_duplicates", test_int4_merge_duplicates },
	{ "bad_input_stores_nothing", test_bad_input_stores_nothing },
	{ "priv1_contact_fields_kept_not_logged", test_priv1_contact_fields_kept_not_logged },
	{ "init_twice_refused_and_unknown_pack", test_init_twice_refused_and_unknown_pack },
	{ 0 },
};
