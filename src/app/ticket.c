/* ticket.c — opening, answering and moving tickets through their life. */
#include "app_internal.h"

#include "../core/folio.h"
#include "../util/str.h"
#include "../zone/zone.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SUBJECT_MAX 300
#define BODY_MAX (256 * 1024)

static int check_file(const char *filename, const char *mime, size_t size,
		      struct sp_err *err);
static int attach(struct app *app, int64_t *out_id, int64_t now,
		  const struct actor *who, const struct ticket_row *t,
		  const char *filename, const char *mime, const void *data,
		  size_t size, struct sp_err *err);

static bool
is_customer(const struct actor *who)
{
	return strcmp(who->kind, "contact") == 0;
}

static bool
is_agent(const struct actor *who)
{
	return strcmp(who->kind, "agent") == 0;
}

/* The body of ticket.created; jw wants the keys sorted. */
static void
ticket_json(struct jw *w, const struct ticket_row *t)
{
	jw_init(w);
	jw_int(w, "assignee_id", t->assignee_id);
	jw_str(w, "category", t->category);
	jw_str(w, "channel", t->channel);
	jw_int(w, "contact_id", t->contact_id);
	jw_str(w, "folio", t->folio);
	jw_int(w, "id", t->id);
	jw_int(w, "organization_id", t->organization_id);
	jw_int(w, "parent_id", t->parent_id);
	jw_str(w, "priority", t->priority);
	jw_int(w, "product_id", t->product_id);
	jw_str(w, "state", t->state);
	jw_str(w, "subject", t->subject);
}

int
app__message_ex(struct app *app, int64_t *out_id, int64_t now,
		const struct ticket_row *t, const struct message_row *in,
		bool notify, struct sp_err *err)
{
	struct message_row m = *in;
	struct jw body;
	int64_t id;
	int rc;

	m.provider_id = app->provider_id;
	m.ticket_id = t->id;
	m.created_at = now;
	if ((rc = store_message_add(app->store, &id, &m, err)))
		return rc;
	if (out_id)
		*out_id = id;
	/* The body lives in the message; the event says who added which. */
	jw_init(&body);
	jw_str_or_null(&body, "channel", m.channel);
	jw_str(&body, "kind", m.kind);
	if ((rc = app__event_jw(app, now,
				&(struct actor){ m.author_kind, m.author_id },
				"message", id, t->id, "message.added", NULL,
				&body, err)))
		return rc;
	/* What the customer should read goes out by email too (outbox, in
	 * this same transaction). */
	if (notify && strcmp(m.kind, "public") == 0 &&
	    strcmp(m.author_kind, "contact") != 0)
		return app__notify_contact(app, now, t, "message", m.body, err);
	return 0;
}

int
app__message(struct app *app, int64_t *out_id, int64_t now,
	     const struct ticket_row *t, const char *kind,
	     const char *author_kind, int64_t author_id, const char *channel,
	     const char *body, struct sp_err *err)
{
	struct message_row m = { 0 };

	m.kind = kind;
	m.author_kind = author_kind;
	m.author_id = author_id;
	m.channel = channel;
	m.body = body;
	return app__message_ex(app, out_id, now, t, &m, true, err);
}

static int
state_in(const char *json)
{
	json_t *j = json ? json_loads(json, 0, NULL) : NULL;
	int st = j ? lifecycle_state_parse(json_string_value(
			     json_object_get(j, "state"))) : -1;

	json_decref(j);
	return st;
}

int
app__last_move(struct app *app, struct arena *a, int64_t ticket_id,
	       unsigned from, enum ticket_state to, int64_t until, int64_t *at,
	       struct sp_err *err)
{
	struct event_row *e;
	size_t n;
	int rc;

	*at = 0;
	if ((rc = store_event_list(app->store, a, &e, &n, app->provider_id,
				   ticket_id, err)))
		return rc;
	for (size_t i = 0; i < n; i++) {
		int before;

		if (e[i].at > until || strcmp(e[i].action, "ticket.state") != 0 ||
		    state_in(e[i].after) != (int)to)
			continue;
		before = state_in(e[i].before);
		if (before >= 0 && (from & (1u << before)))
			*at = e[i].at;
	}
	return 0;
}

/* SCH-7 (Impera): the customer who sent credentials for remote access
 * is reminded, when the ticket is resolved, to change them. */
static int
credential_reminder(struct app *app, struct arena *a, int64_t now,
		    const struct ticket_row *t, struct sp_err *err)
{
	struct message_row *m;
	size_t n;
	bool sent = false;
	int rc;

	if (!app->policy->intake.credential_reminder)
		return 0;
	if ((rc = store_message_list(app->store, a, &m, &n, t->id, err)))
		return rc;
	for (size_t i = 0; i < n && !sent; i++)
		if (strcmp(m[i].author_kind, "contact") == 0 &&
		    app__mentions_credentials(m[i].body))
			sent = true;
	if (!sent)
		return 0;
	return app__message(app, NULL, now, t, "public", "system", 0, NULL,
			    "Le recordamos cambiar de inmediato las contraseñas "
			    "que compartió para la conexión remota (SCH-7). / "
			    "Please change the passwords you shared for the "
			    "remote connection now (SCH-7).", err);
}

/* Moves t to `to`, recording the change. Timestamps follow the state. */
static int
set_state(struct app *app, int64_t now, const struct actor *who,
	  struct ticket_row *t, enum ticket_state to, const char *reason,
	  struct sp_err *err)
{
	const char *from = t->state;
	const char *name = lifecycle_state_name(to);
	struct jw before, after;

	if (strcmp(from, name) == 0)
		return 0;
	t->state = name;
	if (to == TS_RESOLVED)
		t->resolved_at = now;
	if (to == TS_CLOSED || to == TS_MERGED)
		t->closed_at = now;
	if (to == TS_OPEN) {
		t->closed_at = 0;
	}
	jw_init(&before);
	jw_str(&before, "state", from);
	jw_init(&after);
	jw_str_or_null(&after, "reason", reason);
	jw_str(&after, "state", name);
	return app__event_jw(app, now, who, "ticket", t->id, t->id,
			     "ticket.state", &before, &after, err);
}

int64_t
app_reopen_deadline(struct app *app, const struct ticket_row *t)
{
	const struct duration *d = app__delivery_window(app, t,
			&app->policy->windows.reopen);
	int64_t from = t->resolved_at ? t->resolved_at : t->closed_at;

	if (d->unit == DUR_NONE || from == 0)
		return INT64_MAX;
	return app__window_end(app, from, d);
}

static int
load_ticket(struct app *app, struct arena *a, struct ticket_row *t,
	    const char *key, const struct actor *who, struct sp_err *err)
{
	int rc;

	if (key == NULL || *key == '\0')
		return sp_err_set(err, SP_EINVAL, "ticket", "which ticket? "
				  "give its folio or id");
	rc = store_ticket_find(app->store, a, t, app->provider_id, key, err);
	if (rc)
		return rc;
	/* PRIV-2: a customer sees only its own organization's tickets; a
	 * foreign ticket answers exactly like a missing one. */
	if (is_customer(who)) {
		struct contact_row c;

		if (store_contact_get(app->store, a, &c, app->provider_id,
				      who->id, NULL) ||
		    (c.organization_id && !app__customer_user(&c) ?
		     c.organization_id != t->organization_id :
		     c.id != t->contact_id))
			return sp_err_set(err, SP_ENOTFOUND, "ticket",
					  "no ticket '%s'", key);
	}
	return 0;
}

static const char *
lang_of(struct app *app, const struct contact_row *c)
{
	if (c && c->lang)
		return c->lang;
	return app->policy->provider.locale &&
	       strncmp(app->policy->provider.locale, "en", 2) == 0 ? "en" : "es";
}

/* INT-3: which of the pack's required items the request lacks. */
static void
missing_fields(struct app *app, const struct ticket_input *in,
	       const struct contact_row *c, const struct org_row *org,
	       const char *lang, char *out, size_t size, char *labels,
	       size_t lsize)
{
	unsigned req = app->policy->required;
	size_t len = 0, llen = 0;

	out[0] = '\0';
	labels[0] = '\0';
	for (int f = 0; f < RF_COUNT; f++) {
		const char *name = policy_field_name((enum req_field)f);
		bool have = false;

		if (!(req & (1u << f)))
			continue;
		switch (f) {
		case RF_NAME: have = c->name && *c->name; break;
		case RF_SURNAME: have = c->surname && *c->surname; break;
		case RF_EMAIL: have = c->email && *c->email; break;
		case RF_PHONE: have = c->phone && *c->phone; break;
		case RF_COMPANY: have = org != NULL; break;
		case RF_CATEGORY: have = in->category != NULL; break;
		case RF_PRIORITY: have = in->priority != NULL; break;
		case RF_SUBJECT: have = in->subject && *in->subject; break;
		case RF_DESCRIPTION: have = in->description && *in->description; break;
		case RF_SCREENSHOT:
			/* INT-3: PNG or JPG, as Impera asks. */
			for (int i = 0; i < in->nfiles; i++)
				if (strcmp(in->files[i].mime, "image/png") == 0 ||
				    strcmp(in->files[i].mime, "image/jpeg") == 0)
					have = true;
			break;
		case RF_PRODUCT: have = in->product != NULL; break;
		default:
			for (int i = 0; i < in->nfields; i++)
				if (strcmp(in->field_names[i], name) == 0 &&
				    in->field_values[i] && *in->field_values[i])
					have = true;
		}
		if (!have && len + strlen(name) + 3 < size)
			len += (size_t)snprintf(out + len, size - len, "%s%s",
						len ? ", " : "", name);
		if (!have) {
			const char *l = policy_field_label((enum req_field)f,
							   lang);

			if (llen + strlen(l) + 3 < lsize)
				llen += (size_t)snprintf(labels + llen,
							 lsize - llen, "%s%s",
							 llen ? "; " : "", l);
		}
	}
}

static int
check_channel(struct app *app, enum channel ch, int category,
	      struct sp_err *err)
{
	const struct policy *p = app->policy;
	char list[128] = "";
	size_t len = 0;

	if (p->channels & (1u << ch))
		return 0;
	for (size_t i = 0; i < p->nchannel_exceptions; i++)
		if (p->channel_exceptions[i].channel == ch &&
		    p->channel_exceptions[i].category == category)
			return 0;
	for (int c = 0; c < CH_COUNT; c++)
		if (p->channels & (1u << c))
			len += (size_t)snprintf(list + len, sizeof list - len,
						"%s%s", len ? ", " : "",
						policy_channel_name((enum channel)c));
	return sp_err_set(err, SP_EINVAL, "channel", "%s does not take "
			  "requests by %s; its official channels are: %s "
			  "(INT-2)", p->provider.short_name,
			  policy_channel_name(ch), list);
}

static int
quiet_system_message(struct app *app, int64_t now, const struct ticket_row *t,
		     const char *body, struct sp_err *err)
{
	struct message_row m = { 0 };

	m.kind = "system";
	m.author_kind = "system";
	m.body = body;
	return app__message_ex(app, NULL, now, t, &m, false, err);
}

/* `sla`: the ticket's clocks if already computed, or NULL; c: the
 * ticket's contact. */
static int
acknowledge(struct app *app, int64_t now, const struct ticket_row *t,
	    const struct contact_row *c, const struct sla_status *sla,
	    const char *lang, const char *extra, struct sp_err *err)
{
	const struct policy *p = app->policy;
	int pri = policy_priority_index(p, t->priority);
	const struct priority_def *pd = &p->priorities[pri < 0 ? 0 : pri];
	bool en = lang && strcmp(lang, "en") == 0;
	struct sla_status st;
	char body[2048], target[80], due[32] = "";
	size_t len;

	if (sla)
		st = *sla;
	if (sla || app_ticket_sla(app, &st, t, now, NULL) == 0) {
		const struct sla_clock *k = st.first_response.state != SLA_NONE ?
			&st.first_response : &st.resolution;

		if (k->due)
			zone_format(app->zone, k->due, due);
		policy_duration_text(target, sizeof target, &k->target, lang);
	} else {
		str_copy(target, "-", sizeof target);
	}
	len = (size_t)snprintf(body, sizeof body, en ?
		"We received your request.\nFolio: %s\nSubject: %s\n"
		"Priority: %s\nService level: %s %s%s%s\n"
		"Please keep the folio in the subject of your replies." :
		"Recibimos su solicitud.\nFolio: %s\nAsunto: %s\n"
		"Prioridad: %s\nNivel de servicio: %s %s%s%s\n"
		"Conserve el folio en el asunto de sus respuestas.",
		t->folio, t->subject, policy_text(&pd->name, lang),
		pd->first_response.unit != DUR_NONE ?
		(en ? "first response within" : "primera respuesta en") :
		(en ? "resolution within" : "resolución en"), target,
		due[0] ? (en ? ", due " : ", vence ") : "", due);
	if (extra && *extra && len < sizeof body)
		snprintf(body + len, sizeof body - len, "\n\n%s", extra);
	return app__notify_contact_row(app, now, t, c, "ack", body, err);
}

/* INT-4: one topic per ticket. A new ticket on the topic of one of the
 * customer's active ones is flagged for the agents (an event the ticket
 * page shows, with a merge at hand); it is still opened: the customer
 * may mean something else, and nothing they send is dropped. */
static int
flag_duplicates(struct app *app, struct arena *a, int64_t now,
		const struct ticket_row *t, struct sp_err *err)
{
	struct ticket_row *same;
	const char *of[5];
	struct jw body;
	size_t n;
	int rc = app_ticket_similar(app, a, &same, &n, now, t->organization_id,
				    t->contact_id, t->subject, t->id, err);

	if (rc || n == 0)
		return rc;
	for (size_t i = 0; i < n && i < 5; i++)
		of[i] = same[i].folio;
	jw_init(&body);
	jw_strs(&body, "of", of, n < 5 ? n : 5);
	return app__event_jw(app, now, &app_system, "ticket", t->id, t->id,
			     "possible_duplicate", NULL, &body, err);
}

int
app_ticket_open(struct app *app, struct ticket_opened *out, int64_t now,
		const struct actor *who, const struct ticket_input *in,
		struct sp_err *err)
{
	const struct policy *p = app->policy;
	struct ticket_row t = { 0 };
	struct contact_row c;
	struct org_row org;
	struct product_row prod;
	struct arena a;
	struct civil_date day;
	char folio[64], period[16], missing[256], ack_extra[600] = "";
	char missing_labels[400];
	int64_t seq, local, id;
	int ch, cat, pri, rc;
	bool have_org = false, out_of_scope = false, sla_done = false;
	struct sla_status sla;
	struct jw created;
	json_t *fields;
	char *fields_text = NULL;
	const char *lang;

	if ((rc = app__text("subject", in->subject, true, false, SUBJECT_MAX,
			    err)) ||
	    (rc = app__text("description", in->description, false, true,
			    BODY_MAX, err)))
		return rc;
	if (in->contact == NULL || *in->contact == '\0')
		return sp_err_set(err, SP_EINVAL, "contact", "who asks? give "
				  "the contact's id or email");
	ch = policy_channel_parse(in->channel ? in->channel : "");
	if (ch < 0)
		return sp_err_set(err, SP_EINVAL, "channel", "channel '%s' is "
				  "not one of: email, web, phone, whatsapp, "
				  "video, chat, remote, onsite",
				  in->channel ? in->channel : "");
	cat = in->category ? policy_category_index(p, in->category) : 0;
	if (cat < 0)
		return sp_err_set(err, SP_EINVAL, "category", "%s has no "
				  "category '%s'", p->provider.short_name,
				  in->category);
	if (in->priority) {
		pri = policy_priority_index(p, in->priority);
		if (pri < 0)
			return sp_err_set(err, SP_EINVAL, "priority", "%s has "
					  "no priority '%s'",
					  p->provider.short_name, in->priority);
	} else {
		pri = (int)(policy_default_priority(p) - p->priorities);
	}
	if ((rc = check_channel(app, (enum channel)ch, cat, err)))
		return rc;
	if (in->nfiles < 0 || in->nfiles > 8)
		return sp_err_set(err, SP_ETOOBIG, "files", "at most 8 files "
				  "with a request");
	for (int i = 0; i < in->nfiles; i++)
		if ((rc = check_file(in->files[i].filename, in->files[i].mime,
				     in->files[i].size, err)))
			return rc;
	if (in->nfields < 0 || in->nfields > APP_MAX_FIELDS)
		return sp_err_set(err, SP_ETOOBIG, "fields", "at most %d "
				  "extra fields", APP_MAX_FIELDS);
	fields = json_object();
	for (int i = 0; i < in->nfields; i++) {
		bool known = false;

		for (int f = 0; f < RF_COUNT; f++)
			if (strcmp(in->field_names[i],
				   policy_field_name((enum req_field)f)) == 0)
				known = true;
		if (!known) {
			json_decref(fields);
			return sp_err_set(err, SP_EINVAL, in->field_names[i],
					  "'%s' is not a ticket field; see "
					  "required_fields in "
					  "docs/policy-packs.md",
					  in->field_names[i]);
		}
		if ((rc = app__text(in->field_names[i], in->field_values[i],
				    false, true, 4000, err))) {
			json_decref(fields);
			return rc;
		}
		json_object_set_new(fields, in->field_names[i],
				    json_string(in->field_values[i] ?
						in->field_values[i] : ""));
	}
	fields_text = json_dumps(fields, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(fields);
	arena_init(&a, 0);
	if ((rc = app__begin(app, err)))
		goto out;
	if ((rc = store_contact_find(app->store, &a, &c, app->provider_id,
				     in->contact, err)))
		goto fail;
	if (is_customer(who) && who->id != c.id) {
		rc = sp_err_set(err, SP_EINVAL, "contact", "a customer opens "
				"tickets in their own name");
		goto fail;
	}
	if (c.organization_id &&
	    store_org_get(app->store, &a, &org, app->provider_id,
			  c.organization_id, err) == 0)
		have_org = true;
	t.provider_id = app->provider_id;
	t.contact_id = c.id;
	t.organization_id = c.organization_id;
	if (in->parent) {
		struct ticket_row par;

		if ((rc = store_ticket_find(app->store, &a, &par,
					    app->provider_id, in->parent, err)))
			goto fail;
		if (par.organization_id != t.organization_id) {
			rc = sp_err_set(err, SP_EINVAL, "parent", "ticket %s "
					"belongs to another customer", par.folio);
			goto fail;
		}
		t.parent_id = par.id;
	}
	if (in->product) {
		if ((rc = store_product_find(app->store, &a, &prod,
					     app->provider_id, in->product,
					     err)))
			goto fail;
		t.product_id = prod.id;
	}
	/* INT-1: the folio's sequence and period come from the provider's
	 * calendar day, not UTC's. */
	local = zone_to_local(app->zone, now);
	day = civil_from_days(local >= 0 ? local / 86400 : (local - 86399) / 86400);
	folio_period(period, p->folio.reset, day.y, day.m);
	if ((rc = store_folio_next(app->store, &seq, app->provider_id, period,
				   err)))
		goto fail;
	if ((rc = folio_format(folio, sizeof folio, p->folio.format, seq,
			       day.y, day.m))) {
		rc = sp_err_set(err, rc, "folio", "folio format '%s' does not "
				"fit", p->folio.format);
		goto fail;
	}
	t.folio = folio;
	/* The contract it runs on: plan targets and queue rank (SLA-2,
	 * SLA-4); attendances draw from the banks when logged. */
	app__ticket_contract(app, &a, t.organization_id, now, &t.contract_id);
	t.channel = policy_channel_name((enum channel)ch);
	t.category = p->categories[cat].id;
	t.priority = p->priorities[pri].id;
	t.state = lifecycle_state_name(TS_NEW);
	t.subject = in->subject;
	t.fields = fields_text;
	t.created_at = t.updated_at = now;
	t.version = 1;
	if ((rc = store_ticket_add(app->store, &id, &t, err)))
		goto fail;
	t.id = id;
	ticket_json(&created, &t);
	if ((rc = app__event_jw(app, now, who, "ticket", id, id,
				"ticket.created", NULL, &created, err)) ||
	    (rc = flag_duplicates(app, &a, now, &t, err)))
		goto fail;
	{
		struct message_row m = { 0 };

		m.kind = "public";
		m.author_kind = "contact";
		m.author_id = c.id;
		m.channel = t.channel;
		/* INT-3: a request with no description is kept; the pack's
		 * required fields ask for it. */
		m.body = in->description && *in->description ? in->description
							     : in->subject;
		m.email_message_id = in->email_message_id;
		if ((rc = app__message_ex(app, NULL, now, &t, &m, false, err)))
			goto fail;
	}
	for (int i = 0; i < in->nfiles; i++) {
		int64_t att;

		if ((rc = attach(app, &att, now, who, &t, in->files[i].filename,
				 in->files[i].mime, in->files[i].data,
				 in->files[i].size, err)))
			goto fail;
	}
	lang = lang_of(app, &c);

	/* INT-6: out of scope is answered and closed, never dropped. */
	if (p->categories[cat].out_of_scope)
		out_of_scope = true;
	if (t.product_id && prod.end_of_life && !p->scope.end_of_life_supported) {
		struct civil_date eol;

		if (civil_parse_date(&eol, prod.end_of_life) == 0 &&
		    civil_days(eol.y, eol.m, eol.d) <
			    civil_days(day.y, day.m, day.d))
			out_of_scope = true;
	}
	missing_fields(app, in, &c, have_org ? &org : NULL, lang, missing,
		       sizeof missing, missing_labels, sizeof missing_labels);
	if (out_of_scope) {
		const char *msg = strcmp(lang, "en") == 0 ?
			"This request is outside the support we provide "
			"(product or service not supplied by us, third-party "
			"product, or a product past its end of life). The "
			"ticket is closed; contact us for a special contract." :
			"Esta solicitud está fuera del alcance del soporte "
			"(producto o servicio no suministrado por nosotros, "
			"producto de terceros o producto descontinuado). El "
			"ticket se cierra; contáctenos para un contrato "
			"especial.";

		if ((rc = quiet_system_message(app, now, &t, msg, err)) ||
		    (rc = set_state(app, now, &app_system, &t, TS_CLOSED,
				    "out_of_scope", err)))
			goto fail;
		str_copy(ack_extra, msg, sizeof ack_extra);
	} else if (missing[0]) {
		/* INT-3: kept, and waiting on the customer for the rest. */
		char msg[512];

		snprintf(msg, sizeof msg, strcmp(lang, "en") == 0 ?
			 "To attend your request we still need: %s. Please "
			 "reply with this information." :
			 "Para atender su solicitud aún necesitamos: %s. Por "
			 "favor responda con esta información.", missing_labels);
		if ((rc = quiet_system_message(app, now, &t, msg, err)) ||
		    (rc = set_state(app, now, &app_system, &t,
				    TS_WAITING_CUSTOMER, "missing_information",
				    err)))
			goto fail;
		str_copy(ack_extra, msg, sizeof ack_extra);
	}
	if (strcmp(t.state, "new") != 0) {
		t.version = 1;
		if ((rc = store_ticket_update(app->store, &t, err)))
			goto fail;
	}
	if ((rc = app__schedule_sla(app, &t, now, &sla, &sla_done, err)))
		goto fail;
	/* INT-5: the requester hears back with the folio and the service
	 * level that applies. */
	if (p->intake.ack && (rc = acknowledge(app, now, &t, &c,
					       sla_done ? &sla : NULL, lang,
					       ack_extra, err)))
		goto fail;
	if ((rc = app__commit(app, err)))
		goto out;
	memset(out, 0, sizeof *out);
	out->id = id;
	str_copy(out->folio, folio, sizeof out->folio);
	str_copy(out->state, t.state, sizeof out->state);
	str_copy(out->missing, missing, sizeof out->missing);
	out->out_of_scope = out_of_scope;
	goto out;
fail:
	app__rollback(app);
out:
	free(fields_text);
	arena_free(&a);
	return rc;
}

static int reply(struct app *app, int64_t now, const struct actor *who,
		 const char *key, const char *body, bool internal,
		 const char *email_message_id, const char *channel,
		 struct sp_err *err);

int
app_ticket_reply(struct app *app, int64_t now, const struct actor *who,
		 const char *key, const char *body, bool internal,
		 struct sp_err *err)
{
	return reply(app, now, who, key, body, internal, NULL, NULL, err);
}

int
app__reply_email(struct app *app, int64_t now, const struct actor *who,
		 const char *key, const char *body,
		 const char *email_message_id, struct sp_err *err)
{
	return reply(app, now, who, key, body, false, email_message_id,
		     "email", err);
}

static int
reply(struct app *app, int64_t now, const struct actor *who, const char *key,
      const char *body, bool internal, const char *email_message_id,
      const char *channel, struct sp_err *err)
{
	struct ticket_row t;
	struct arena a;
	struct lifecycle_ctx ctx = { now, INT64_MAX };
	enum ticket_state from, to;
	int rc;

	if ((rc = app__text("body", body, true, true, BODY_MAX, err)))
		return rc;
	if (internal && !is_agent(who))
		return sp_err_set(err, SP_EINVAL, "kind", "only agents write "
				  "internal notes");
	arena_init(&a, 0);
	if ((rc = app__begin(app, err)))
		goto out;
	if ((rc = load_ticket(app, &a, &t, key, who, err)))
		goto fail;
	from = (enum ticket_state)lifecycle_state_parse(t.state);
	to = from;
	if (!internal) {
		enum ticket_action act = is_customer(who) ? TA_CUSTOMER_REPLY
							  : TA_AGENT_REPLY;

		ctx.reopen_deadline = app_reopen_deadline(app, &t);
		if ((rc = lifecycle_next(&to, from, act, &ctx, err)))
			goto fail;
	} else if (!lifecycle_is_active(from)) {
		rc = sp_err_set(err, SP_ECONFLICT, "state", "ticket %s is %s; "
				"notes go on active tickets", t.folio, t.state);
		goto fail;
	}
	{
		struct message_row m = { 0 };

		m.kind = internal ? "internal" : "public";
		m.author_kind = who->kind;
		m.author_id = who->id;
		m.channel = channel;
		m.body = body;
		m.email_message_id = email_message_id;
		if ((rc = app__message_ex(app, NULL, now, &t, &m, true, err)))
			goto fail;
	}
	t.updated_at = now;
	if (to != from && (rc = set_state(app, now, who, &t, to,
					  is_customer(who) ? "customer_reply"
							   : "agent_reply",
					  err)))
		goto fail;
	if ((rc = store_ticket_update(app->store, &t, err)) ||
	    (rc = app__schedule(app, &t, now, err)))
		goto fail;
	rc = app__commit(app, err);
	goto out;
fail:
	app__rollback(app);
out:
	arena_free(&a);
	return rc;
}

static int
act_merge(struct app *app, struct arena *a, int64_t now,
	  const struct actor *who, struct ticket_row *t, const char *target,
	  struct sp_err *err)
{
	struct ticket_row into;
	char msg[256];
	int rc;

	if (target == NULL || *target == '\0')
		return sp_err_set(err, SP_EINVAL, "into", "merge into which "
				  "ticket? give its folio");
	if ((rc = store_ticket_find(app->store, a, &into, app->provider_id,
				    target, err)))
		return rc;
	if (into.id == t->id)
		return sp_err_set(err, SP_EINVAL, "into", "a ticket cannot be "
				  "merged into itself");
	if (!lifecycle_is_active(lifecycle_state_parse(into.state)))
		return sp_err_set(err, SP_ECONFLICT, "into", "ticket %s is %s; "
				  "merge into an active ticket", into.folio,
				  into.state);
	if (into.organization_id != t->organization_id)
		return sp_err_set(err, SP_ECONFLICT, "into", "tickets %s and "
				  "%s belong to different customers (INT-4 "
				  "merges one customer's duplicates)",
				  t->folio, into.folio);
	t->merged_into = into.id;
	snprintf(msg, sizeof msg, "Fusionado con %s / Merged into %s",
		 into.folio, into.folio);
	if ((rc = app__message(app, NULL, now, t, "system", "system", 0, NULL,
			      msg, err)))
		return rc;
	snprintf(msg, sizeof msg, "%s se fusionó con este ticket / %s was "
		 "merged into this ticket", t->folio, t->folio);
	if ((rc = app__message(app, NULL, now, &into, "system", "system", 0,
			      NULL, msg, err)))
		return rc;
	return app__event(app, now, who, "ticket", t->id, t->id,
			  "ticket.merged", NULL,
			  json_pack("{s:I, s:s}", "into", (json_int_t)into.id,
				    "into_folio", into.folio), err);
}

static int
act_assign(struct app *app, struct arena *a, int64_t now,
	   const struct actor *who, struct ticket_row *t, const char *agent,
	   struct sp_err *err)
{
	struct agent_row ag;
	int64_t before = t->assignee_id;
	int rc;

	if (agent == NULL || *agent == '\0')
		return sp_err_set(err, SP_EINVAL, "agent", "assign to whom? "
				  "give the agent's id or email");
	if ((rc = store_agent_find(app->store, a, &ag, app->provider_id, agent,
				   err)))
		return rc;
	if (!ag.active)
		return sp_err_set(err, SP_ECONFLICT, "agent", "agent %s is not "
				  "active", ag.email);
	t->assignee_id = ag.id;
	return app__event(app, now, who, "ticket", t->id, t->id,
			  "ticket.assigned",
			  json_pack("{s:I}", "assignee_id", (json_int_t)before),
			  json_pack("{s:I}", "assignee_id", (json_int_t)ag.id),
			  err);
}

int
app__act(struct app *app, struct arena *a, int64_t now,
	 const struct actor *who, struct ticket_row *t,
	 enum ticket_action action, const struct transition_args *args,
	 struct sp_err *err)
{
	static const struct transition_args none = { 0 };
	struct lifecycle_ctx ctx = { now, INT64_MAX };
	enum ticket_state from, to;
	int rc;

	if (args == NULL)
		args = &none;
	from = (enum ticket_state)lifecycle_state_parse(t->state);
	ctx.reopen_deadline = app_reopen_deadline(app, t);
	if ((rc = lifecycle_next(&to, from, action, &ctx, err)))
		return rc;
	if (action == TA_ASSIGN &&
	    (rc = act_assign(app, a, now, who, t, args->agent, err)))
		return rc;
	if (action == TA_MERGE &&
	    (rc = act_merge(app, a, now, who, t, args->target, err)))
		return rc;
	/* An agent's reason is what the customer is told (what we wait
	 * for, how it was resolved), and so is the system's (closed for
	 * lack of an answer, CLO-1/CLO-2); a customer's own is a system
	 * line, not echoed back to them. */
	if (args->reason && *args->reason &&
	    (rc = app__message(app, NULL, now, t,
			       is_agent(who) || strcmp(who->kind, "system") == 0 ?
			       "public" : "system", who->kind,
			       who->id, NULL, args->reason, err)))
		return rc;
	if (action == TA_REOPEN)
		t->resolved_at = 0;
	t->updated_at = now;
	if ((rc = set_state(app, now, who, t, to, args->reason, err)) ||
	    (rc = store_ticket_update(app->store, t, err)))
		return rc;
	if (to == TS_RESOLVED && (rc = credential_reminder(app, a, now, t, err)))
		return rc;
	return app__schedule(app, t, now, err);
}

static bool
customer_may(enum ticket_action action)
{
	return action == TA_CONFIRM || action == TA_REOPEN;
}

bool
app_ticket_can(struct app *app, const struct ticket_row *t,
	       const struct actor *who, enum ticket_action action, int64_t now)
{
	struct lifecycle_ctx ctx = { now, app_reopen_deadline(app, t) };
	enum ticket_state to;
	int from = lifecycle_state_parse(t->state);

	if (from < 0 || (is_customer(who) && !customer_may(action)))
		return false;
	return lifecycle_next(&to, (enum ticket_state)from, action, &ctx,
			      NULL) == 0;
}

int
app_ticket_act(struct app *app, int64_t now, const struct actor *who,
	       const char *key, enum ticket_action action,
	       const struct transition_args *args, struct sp_err *err)
{
	struct ticket_row t;
	struct arena a;
	int rc;

	if (is_customer(who) && !customer_may(action))
		return sp_err_set(err, SP_EINVAL, "action", "a customer may "
				  "confirm or reopen a ticket, not %s it",
				  lifecycle_action_name(action));
	if (args && (rc = app__text("reason", args->reason, false, true, 2000,
				    err)))
		return rc;
	arena_init(&a, 0);
	if ((rc = app__begin(app, err)))
		goto out;
	if ((rc = load_ticket(app, &a, &t, key, who, err)))
		goto fail;
	if (args && args->expect_version && args->expect_version != t.version) {
		rc = sp_err_set(err, SP_ECONFLICT, "version", "ticket %s "
				"changed since version %lld (now %lld); reload "
				"and retry", t.folio,
				(long long)args->expect_version,
				(long long)t.version);
		goto fail;
	}
	if ((rc = app__act(app, &a, now, who, &t, action, args, err)))
		goto fail;
	rc = app__commit(app, err);
	goto out;
fail:
	app__rollback(app);
out:
	arena_free(&a);
	return rc;
}

int
app_ticket_set_priority(struct app *app, int64_t now, const struct actor *who,
			const char *key, const char *priority,
			const char *reason, struct sp_err *err)
{
	const struct policy *p = app->policy;
	struct ticket_row t;
	struct arena a;
	int to, from, rc;
	const char *before;

	to = policy_priority_index(p, priority ? priority : "");
	if (to < 0)
		return sp_err_set(err, SP_EINVAL, "priority", "%s has no "
				  "priority '%s'", p->provider.short_name,
				  priority ? priority : "");
	if ((rc = app__text("reason", reason, false, true, 2000, err)))
		return rc;
	arena_init(&a, 0);
	if ((rc = app__begin(app, err)))
		goto out;
	if ((rc = load_ticket(app, &a, &t, key, who, err)))
		goto fail;
	if (!lifecycle_is_active(lifecycle_state_parse(t.state))) {
		rc = sp_err_set(err, SP_ECONFLICT, "state", "ticket %s is %s",
				t.folio, t.state);
		goto fail;
	}
	from = policy_priority_index(p, t.priority);
	/* SLA-5: the customer may ask for a higher priority, never lower
	 * one to game the queue, and only where the pack allows it. */
	if (is_customer(who) && (!p->sla.customer_may_raise_priority ||
				 (from >= 0 && to >= from))) {
		rc = sp_err_set(err, SP_EINVAL, "priority",
				p->sla.customer_may_raise_priority ?
				"a customer may only raise the priority" :
				"%s does not let customers change the "
				"priority", p->provider.short_name);
		goto fail;
	}
	if (from == to) {
		rc = 0;
		app__rollback(app);
		goto out;
	}
	before = t.priority;
	t.priority = p->priorities[to].id;
	t.updated_at = now;
	if ((rc = app__event(app, now, who, "ticket", t.id, t.id,
			     "ticket.priority",
			     json_pack("{s:s}", "priority", before),
			     json_pack("{s:s, s:s?}", "priority", t.priority,
				       "reason", reason), err)) ||
	    (rc = store_ticket_update(app->store, &t, err)) ||
	    (rc = app__schedule(app, &t, now, err)))
		goto fail;
	rc = app__commit(app, err);
	goto out;
fail:
	app__rollback(app);
out:
	arena_free(&a);
	return rc;
}

int
app_ticket_view(struct app *app, struct arena *a, struct ticket_view *v,
		const char *key, struct sp_err *err)
{
	return app_ticket_view_as(app, a, v, key, &app_system, err);
}

int
app_visible_org(struct app *app, const struct actor *who, int64_t *org,
		int64_t *contact_only, struct sp_err *err)
{
	struct contact_row c;
	struct arena a;
	int rc = 0;

	*org = 0;
	*contact_only = 0;
	if (!is_customer(who))
		return 0;
	arena_init(&a, 0);
	if ((rc = store_contact_get(app->store, &a, &c, app->provider_id,
				    who->id, err)) == 0) {
		*org = c.organization_id;
		if (c.organization_id == 0 || app__customer_user(&c))
			*contact_only = c.id;
	}
	arena_free(&a);
	return rc;
}

int
app_ticket_view_as(struct app *app, struct arena *a, struct ticket_view *v,
		   const char *key, const struct actor *who,
		   struct sp_err *err)
{
	struct contact_row c;
	struct org_row o;
	struct agent_row ag;
	struct product_row pr;
	int rc;

	memset(v, 0, sizeof *v);
	if ((rc = load_ticket(app, a, &v->t, key, who, err)) ||
	    (rc = store_message_list(app->store, a, &v->messages,
				     &v->nmessages, v->t.id, err)) ||
	    (rc = store_event_list(app->store, a, &v->events, &v->nevents,
				   app->provider_id, v->t.id, err)) ||
	    (rc = store_attachment_list(app->store, a, &v->attachments,
					&v->nattachments, v->t.id, err)) ||
	    (rc = store_timer_list(app->store, a, &v->timers, &v->ntimers,
				   v->t.id, err)))
		return rc;
	if (is_customer(who)) {
		size_t k = 0;

		for (size_t i = 0; i < v->nmessages; i++)
			if (strcmp(v->messages[i].kind, "internal") != 0)
				v->messages[k++] = v->messages[i];
		v->nmessages = k;
		v->nevents = 0;
		v->ntimers = 0;
	}
	if (v->t.contact_id && store_contact_get(app->store, a, &c,
						 app->provider_id,
						 v->t.contact_id, NULL) == 0) {
		v->contact_name = c.name;
		v->contact_email = c.email;
	}
	if (v->t.organization_id &&
	    store_org_get(app->store, a, &o, app->provider_id,
			  v->t.organization_id, NULL) == 0)
		v->organization_name = o.name;
	if (v->t.assignee_id &&
	    store_agent_get(app->store, a, &ag, app->provider_id,
			    v->t.assignee_id, NULL) == 0)
		v->assignee_name = ag.name;
	if (v->t.product_id &&
	    store_product_get(app->store, a, &pr, app->provider_id,
			      v->t.product_id, NULL) == 0)
		v->product_name = pr.name;
	return 0;
}

static int
check_file(const char *filename, const char *mime, size_t size,
	   struct sp_err *err)
{
	int rc;

	if (size > APP_ATTACHMENT_MAX)
		return sp_err_set(err, SP_ETOOBIG, "attachment", "%s is %zu "
				  "bytes; the limit is %d", filename, size,
				  APP_ATTACHMENT_MAX);
	if ((rc = app__text("filename", filename, true, false, 255, err)) ||
	    (rc = app__text("mime", mime, true, false, 100, err)))
		return rc;
	if (strchr(filename, '/') || strchr(filename, '\\'))
		return sp_err_set(err, SP_EINVAL, "filename", "a file name "
				  "holds no path: '%s'", filename);
	return 0;
}

/* Inside the caller's transaction. */
static int
attach(struct app *app, int64_t *out_id, int64_t now, const struct actor *who,
       const struct ticket_row *t, const char *filename, const char *mime,
       const void *data, size_t size, struct sp_err *err)
{
	struct attachment_row r = { 0 };
	struct jw body;
	char sha[65];
	int rc;

	app__sha256_hex(sha, data, size);
	r.provider_id = app->provider_id;
	r.ticket_id = t->id;
	r.filename = filename;
	r.mime = mime;
	r.sha256 = sha;
	r.size = (int64_t)size;
	r.created_at = now;
	if ((rc = store_attachment_add(app->store, out_id, &r, data, err)))
		return rc;
	jw_init(&body);
	jw_str(&body, "filename", filename);
	jw_str(&body, "mime", mime);
	jw_str(&body, "sha256", sha);
	jw_int(&body, "size", (int64_t)size);
	return app__event_jw(app, now, who, "attachment", *out_id, t->id,
			     "attachment.added", NULL, &body, err);
}

int
app_ticket_attach(struct app *app, int64_t *out_id, int64_t now,
		  const struct actor *who, const char *key,
		  const char *filename, const char *mime, const void *data,
		  size_t size, struct sp_err *err)
{
	struct ticket_row t;
	struct arena a;
	int64_t id = 0;
	int rc;

	if ((rc = check_file(filename, mime, size, err)))
		return rc;
	arena_init(&a, 0);
	if ((rc = app__begin(app, err)))
		goto out;
	if ((rc = load_ticket(app, &a, &t, key, who, err)) ||
	    (rc = attach(app, &id, now, who, &t, filename, mime, data, size,
			 err)))
		goto fail;
	rc = app__commit(app, err);
	if (rc == 0 && out_id)
		*out_id = id;
	goto out;
fail:
	app__rollback(app);
out:
	arena_free(&a);
	return rc;
}

int
app_ticket_follow_up(struct app *app, struct ticket_opened *out, int64_t now,
		     const struct actor *who, const char *key,
		     const char *body, struct sp_err *err)
{
	struct ticket_row t;
	struct arena a;
	struct ticket_input in = { 0 };
	char subject[400], parent[64], idbuf[32];
	enum ticket_state st;
	int64_t deadline;
	int rc;

	memset(out, 0, sizeof *out);
	if (!is_customer(who))
		return app_ticket_reply(app, now, who, key, body, false, err);
	arena_init(&a, 0);
	rc = load_ticket(app, &a, &t, key, who, err);
	if (rc) {
		arena_free(&a);
		return rc;
	}
	st = (enum ticket_state)lifecycle_state_parse(t.state);
	deadline = app_reopen_deadline(app, &t);
	if (st == TS_CLOSED && now <= deadline) {
		/* CLO-3: inside the window the same ticket comes back. */
		arena_free(&a);
		if ((rc = app_ticket_act(app, now, who, key, TA_REOPEN, NULL,
					 err)))
			return rc;
		return app_ticket_reply(app, now, who, key, body, false, err);
	}
	if (st != TS_CLOSED && !(st == TS_RESOLVED && now > deadline)) {
		arena_free(&a);
		return app_ticket_reply(app, now, who, key, body, false, err);
	}
	/* CLO-3: past the window the customer's message opens a new ticket
	 * linked to the old one. */
	snprintf(subject, sizeof subject, "%.290s (sigue de %s)", t.subject,
		 t.folio);
	str_copy(parent, t.folio, sizeof parent);
	snprintf(idbuf, sizeof idbuf, "%lld", (long long)who->id);
	in.contact = idbuf;
	in.channel = t.channel;
	in.category = t.category;
	in.priority = t.priority;
	in.subject = subject;
	in.description = body;
	in.parent = parent;
	rc = app_ticket_open(app, out, now, who, &in, err);
	arena_free(&a);
	return rc;
}
