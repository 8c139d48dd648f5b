/* report.c — SLA compliance (SLA-6, REP-1). */
#include "app_internal.h"

#include <stdlib.h>
#include <string.h>

static void
count(struct sla_figures *f, const struct sla_clock *k)
{
	if (k->stopped_at) {
		f->stopped++;
		f->total_minutes += k->elapsed / 60;
		if (k->elapsed / 60 > f->max_minutes)
			f->max_minutes = k->elapsed / 60;
	}
	if (k->state == SLA_NONE)
		return;
	f->tickets++;
	switch (k->state) {
	case SLA_MET:
		f->met++;
		break;
	case SLA_BREACHED:
		f->breached++;
		break;
	default:
		f->running++;
	}
}

/* By priority in the pack's order, the total first, then agents. */
static int
cmp_row(const void *x, const void *y)
{
	const struct sla_report_row *a = x, *b = y;
	if (a->priority_index != b->priority_index)
		return a->priority_index - b->priority_index;
	if ((strcmp(a->agent, "*") == 0) != (strcmp(b->agent, "*") == 0))
		return strcmp(a->agent, "*") == 0 ? -1 : 1;
	return strcmp(a->agent, b->agent);
}

static struct sla_report_row *
row_for(struct sla_report_row *rows, size_t *n, size_t cap,
	const char *priority, const char *agent)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp(rows[i].priority, priority) == 0 &&
		    strcmp(rows[i].agent, agent) == 0)
			return &rows[i];
	if (*n >= cap)
		return NULL;
	rows[*n].priority = priority;
	rows[*n].agent = agent;
	return &rows[(*n)++];
}

int
app_report_sla(struct app *app, struct arena *a, struct sla_report_row **out,
	       size_t *n, int64_t from, int64_t to, int64_t now,
	       struct sp_err *err)
{
	struct ticket_filter f = { .created_from = from, .created_to = to,
				   .limit = 1000000 };
	struct ticket_row *t;
	struct agent_row *ag;
	struct sla_report_row *rows;
	size_t nt, nag, k = 0, cap;
	int rc;

	if (to <= from)
		return sp_err_set(err, SP_EINVAL, "to", "the period ends "
				  "before it starts");
	if ((rc = store_ticket_list(app->store, a, &t, &nt, app->provider_id,
				    &f, err)) ||
	    (rc = store_agent_list(app->store, a, &ag, &nag, app->provider_id,
				   err)))
		return rc;
	cap = app->policy->npriorities * (nag + 2);
	rows = arena_calloc(a, cap + 1, sizeof *rows);
	if (rows == NULL)
		return sp_err_set(err, SP_ENOMEM, "report", "out of memory");
	/* Totals per priority first, in the pack's order. */
	for (size_t p = 0; p < app->policy->npriorities; p++)
		row_for(rows, &k, cap, app->policy->priorities[p].id, "*");
	for (size_t i = 0; i < nt; i++) {
		struct sla_status st;
		const char *agent = "-";
		struct sla_report_row *r[2];

		if (strcmp(t[i].state, "merged") == 0)
			continue;
		if ((rc = app_ticket_sla(app, &st, &t[i], now, err)))
			return rc;
		for (size_t g = 0; g < nag; g++)
			if (ag[g].id == t[i].assignee_id)
				agent = ag[g].name;
		r[0] = row_for(rows, &k, cap,
			       app->policy->priorities[st.priority].id, "*");
		r[1] = row_for(rows, &k, cap,
			       app->policy->priorities[st.priority].id, agent);
		for (int j = 0; j < 2; j++) {
			if (r[j] == NULL)
				continue;
			r[j]->tickets++;
			count(&r[j]->first_response, &st.first_response);
			count(&r[j]->resolution, &st.resolution);
		}
	}
	for (size_t i = 0; i < k; i++)
		rows[i].priority_index =
			policy_priority_index(app->policy, rows[i].priority);
	qsort(rows, k, sizeof *rows, cmp_row);
	*out = rows;
	*n = k;
	return 0;
}
