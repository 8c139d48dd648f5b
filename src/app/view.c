/* view.c — tickets as JSON, for the command line and the API alike. */
#include "app_internal.h"

#include "../util/i18n.h"
#include "../zone/zone.h"

#include <stdio.h>
#include <string.h>

const char *
app_time(struct app *app, int64_t t, char out[32])
{
	if (t == 0) {
		snprintf(out, 32, "-");
		return out;
	}
	zone_format(app->zone, t, out);
	return out;
}

const char *
app_time_for(struct app *app, int64_t t, const char *lang, char out[40])
{
	if (t == 0) {
		snprintf(out, 40, "—");
		return out;
	}
	return i18n_datetime(lang, zone_to_local(app->zone, t), out);
}

const char *
app_date_for(struct app *app, int64_t t, const char *lang, char out[40])
{
	if (t == 0) {
		snprintf(out, 40, "—");
		return out;
	}
	return i18n_date(lang, zone_to_local(app->zone, t), out);
}

static json_t *
parsed_or_null(const char *text)
{
	json_t *v;

	if (text == NULL)
		return json_null();
	v = json_loads(text, JSON_DECODE_ANY, NULL);
	return v ? v : json_string(text);
}

json_t *
app_clock_json(struct app *app, const struct sla_clock *k)
{
	char due[32], stop[32], br[32], tgt[48];

	if (k->state == SLA_NONE)
		return json_null();
	policy_duration_format(tgt, sizeof tgt, &k->target);
	return json_pack("{s:s, s:s, s:I, s:I, s:s, s:s, s:s}",
			 "state", sla_clock_state_name(k->state),
			 "target", tgt,
			 "elapsed_minutes", (json_int_t)(k->elapsed / 60),
			 "target_minutes", (json_int_t)(k->target_seconds / 60),
			 "due", app_time(app, k->due, due),
			 "stopped_at", app_time(app, k->stopped_at, stop),
			 "breached_at", app_time(app, k->breached_at, br));
}

json_t *
app_ticket_json(struct app *app, const struct ticket_view *v, int64_t now)
{
	const struct ticket_row *t = &v->t;
	json_t *o, *msgs = json_array(), *evs = json_array(),
	       *atts = json_array(), *tms = json_array();
	char a[32], b[32], r[32], cl[32];

	o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s?, s:s?, s:s?,"
		      " s:s?, s:s?, s:s, s:s, s:s, s:s, s:I, s:o}",
		      "id", (json_int_t)t->id, "folio", t->folio,
		      "subject", t->subject, "state", t->state,
		      "priority", t->priority, "category", t->category,
		      "channel", t->channel,
		      "contact", v->contact_name, "contact_email", v->contact_email,
		      "organization", v->organization_name,
		      "assignee", v->assignee_name, "product", v->product_name,
		      "created_at", app_time(app, t->created_at, a),
		      "updated_at", app_time(app, t->updated_at, b),
		      "resolved_at", app_time(app, t->resolved_at, r),
		      "closed_at", app_time(app, t->closed_at, cl),
		      "version", (json_int_t)t->version,
		      "fields", parsed_or_null(t->fields));
	for (size_t i = 0; i < v->nmessages; i++) {
		const struct message_row *m = &v->messages[i];

		json_array_append_new(msgs, json_pack(
			"{s:I, s:s, s:s, s:I, s:s?, s:s, s:s}",
			"id", (json_int_t)m->id, "kind", m->kind,
			"author_kind", m->author_kind,
			"author_id", (json_int_t)m->author_id,
			"channel", m->channel, "body", m->body,
			"at", app_time(app, m->created_at, a)));
	}
	for (size_t i = 0; i < v->nevents; i++) {
		const struct event_row *e = &v->events[i];

		json_array_append_new(evs, json_pack(
			"{s:I, s:s, s:s, s:I, s:s, s:I, s:s, s:o, s:o}",
			"id", (json_int_t)e->id, "at", app_time(app, e->at, a),
			"actor_kind", e->actor_kind,
			"actor_id", (json_int_t)e->actor_id,
			"entity", e->entity, "entity_id", (json_int_t)e->entity_id,
			"action", e->action,
			"before", parsed_or_null(e->before),
			"after", parsed_or_null(e->after)));
	}
	for (size_t i = 0; i < v->nattachments; i++) {
		const struct attachment_row *at = &v->attachments[i];

		json_array_append_new(atts, json_pack(
			"{s:I, s:s, s:s, s:I, s:s}", "id", (json_int_t)at->id,
			"filename", at->filename, "mime", at->mime,
			"size", (json_int_t)at->size, "sha256", at->sha256));
	}
	for (size_t i = 0; i < v->ntimers; i++) {
		const struct timer_row *tm = &v->timers[i];

		json_array_append_new(tms, json_pack("{s:s, s:s, s:s}",
			"kind", tm->kind, "due_at", app_time(app, tm->due_at, a),
			"state", tm->state));
	}
	{
		struct sla_status st;

		if (app_ticket_sla(app, &st, t, now, NULL) == 0)
			json_object_set_new(o, "sla", json_pack("{s:o, s:o, s:i}",
				"first_response", app_clock_json(app, &st.first_response),
				"resolution", app_clock_json(app, &st.resolution),
				"escalation", app_escalation_level(app, t->id)));
	}
	json_object_set_new(o, "messages", msgs);
	json_object_set_new(o, "events", evs);
	json_object_set_new(o, "attachments", atts);
	json_object_set_new(o, "timers", tms);
	return o;
}

int
app_ticket_attachment(struct app *app, struct arena *a,
		      struct attachment_row *out, const void **data,
		      int64_t *size, const char *ticket, int64_t id,
		      const struct actor *who, struct sp_err *err)
{
	struct ticket_view v;
	int rc = app_ticket_view_as(app, a, &v, ticket, who, err);

	if (rc)
		return rc;
	for (size_t i = 0; i < v.nattachments; i++)
		if (v.attachments[i].id == id) {
			*out = v.attachments[i];
			return store_blob_get(app->store, a, data, size,
					      out->sha256, err);
		}
	return sp_err_set(err, SP_ENOTFOUND, "attachment", "ticket %s has no "
			  "attachment %lld", v.t.folio, (long long)id);
}
