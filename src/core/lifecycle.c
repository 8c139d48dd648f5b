#include "lifecycle.h"

#include <string.h>

static const char *const state_names[TS_COUNT] = {
	"new", "open", "waiting_customer", "waiting_third_party",
	"scheduled", "resolved", "closed", "merged",
};

static const char *const action_names[TA_COUNT] = {
	"assign", "agent_reply", "customer_reply", "wait_customer",
	"wait_third_party", "schedule", "resume", "resolve", "confirm",
	"reopen", "close", "merge",
};

const char *
lifecycle_state_name(enum ticket_state s)
{
	return (unsigned)s < TS_COUNT ? state_names[s] : "?";
}

int
lifecycle_state_parse(const char *s)
{
	for (int i = 0; i < TS_COUNT; i++)
		if (strcmp(s, state_names[i]) == 0)
			return i;
	return -1;
}

const char *
lifecycle_action_name(enum ticket_action a)
{
	return (unsigned)a < TA_COUNT ? action_names[a] : "?";
}

bool
lifecycle_is_active(enum ticket_state s)
{
	return s != TS_CLOSED && s != TS_MERGED;
}

static int
refuse(struct sp_err *err, enum ticket_state from, enum ticket_action a,
       const char *why)
{
	return sp_err_set(err, SP_ECONFLICT, "state",
			  "cannot %s a ticket that is %s: %s",
			  action_names[a], state_names[from], why);
}

int
lifecycle_next(enum ticket_state *out, enum ticket_state from,
	       enum ticket_action a, const struct lifecycle_ctx *ctx,
	       struct sp_err *err)
{
	enum ticket_state to = from;
	bool waiting = from == TS_WAITING_CUSTOMER ||
		       from == TS_WAITING_THIRD_PARTY;
	bool working = from == TS_NEW || from == TS_OPEN || waiting ||
		       from == TS_SCHEDULED;

	if ((unsigned)from >= TS_COUNT || (unsigned)a >= TA_COUNT)
		return sp_err_set(err, SP_EINVAL, "state", "unknown state or action");
	if (from == TS_MERGED)
		return refuse(err, from, a, "it was merged; act on the ticket "
			      "it was merged into");
	if (from == TS_CLOSED && a != TA_REOPEN && a != TA_MERGE)
		return refuse(err, from, a, "it is closed; reopen it inside "
			      "the reopen window or open a new ticket linked "
			      "to it (CLO-3)");

	switch (a) {
	case TA_ASSIGN:
	case TA_AGENT_REPLY:
		to = from == TS_NEW ? TS_OPEN : from;
		break;
	case TA_CUSTOMER_REPLY:
		/* SLA-3: the customer's answer ends a wait on them; CLO-1: any
		 * reply to a resolved ticket keeps it open. */
		if (from == TS_WAITING_CUSTOMER)
			to = TS_OPEN;
		else if (from == TS_RESOLVED) {
			if (ctx->now > ctx->reopen_deadline)
				return refuse(err, from, a, "the reopen window "
					      "has ended; a new ticket linked to "
					      "this one is needed (CLO-3)");
			to = TS_OPEN;
		}
		break;
	case TA_WAIT_CUSTOMER:
	case TA_WAIT_THIRD_PARTY: {
		enum ticket_state w = a == TA_WAIT_CUSTOMER ?
			TS_WAITING_CUSTOMER : TS_WAITING_THIRD_PARTY;

		if (!working)
			return refuse(err, from, a, "only a ticket being "
				      "worked on can wait");
		if (from == w)
			return refuse(err, from, a, "it is already waiting");
		to = w;
		break;
	}
	case TA_SCHEDULE:
		if (!working || from == TS_SCHEDULED)
			return refuse(err, from, a, from == TS_SCHEDULED ?
				      "it is already scheduled" :
				      "only a ticket being worked on can be "
				      "scheduled");
		to = TS_SCHEDULED;
		break;
	case TA_RESUME:
		if (!waiting && from != TS_SCHEDULED)
			return refuse(err, from, a, "it is not waiting or "
				      "scheduled");
		to = TS_OPEN;
		break;
	case TA_RESOLVE:
		if (!working)
			return refuse(err, from, a, "it is already resolved");
		to = TS_RESOLVED;
		break;
	case TA_CONFIRM:
		if (from != TS_RESOLVED)
			return refuse(err, from, a, "only a resolved ticket "
				      "can be confirmed");
		to = TS_CLOSED;
		break;
	case TA_REOPEN:
		if (from != TS_RESOLVED && from != TS_CLOSED)
			return refuse(err, from, a, "it is still open");
		if (ctx->now > ctx->reopen_deadline)
			return refuse(err, from, a, "the reopen window has "
				      "ended; open a new ticket linked to this "
				      "one (CLO-3)");
		to = TS_OPEN;
		break;
	case TA_CLOSE:
		to = TS_CLOSED;
		break;
	case TA_MERGE:
		to = TS_MERGED;
		break;
	default:
		return sp_err_set(err, SP_EINVAL, "action", "unknown action");
	}
	*out = to;
	return 0;
}
