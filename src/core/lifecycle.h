/* lifecycle.h — the ticket state machine. Pure: every transition is
 * decided here, with a reason when it is refused; app/ persists it. */
#ifndef SP_LIFECYCLE_H
#define SP_LIFECYCLE_H

#include "../util/err.h"

#include <stdbool.h>
#include <stdint.h>

enum ticket_state {
	TS_NEW,                 /* filed, nobody has taken it */
	TS_OPEN,                /* being worked on */
	TS_WAITING_CUSTOMER,    /* information, files or access asked for */
	TS_WAITING_THIRD_PARTY, /* an outside supplier */
	TS_SCHEDULED,           /* a session is booked */
	TS_RESOLVED,            /* awaiting the customer's confirmation */
	TS_CLOSED,
	TS_MERGED,              /* folded into another ticket */
	TS_COUNT
};

enum ticket_action {
	TA_ASSIGN,
	TA_AGENT_REPLY,
	TA_CUSTOMER_REPLY,
	TA_WAIT_CUSTOMER,
	TA_WAIT_THIRD_PARTY,
	TA_SCHEDULE,
	TA_RESUME,   /* the agent takes a waiting or scheduled ticket back */
	TA_RESOLVE,
	TA_CONFIRM,  /* the customer (or the auto-accept timer) accepts */
	TA_REOPEN,
	TA_CLOSE,
	TA_MERGE,
	TA_COUNT
};

struct lifecycle_ctx {
	int64_t now;
	/* Last instant at which a resolved or closed ticket may still be
	 * reopened (CLO-3); INT64_MAX when the pack sets no window. */
	int64_t reopen_deadline;
};

/* The state after `action`, or SP_ECONFLICT with a reason in err. A state
 * may stay the same (an agent's reply on an open ticket). */
int lifecycle_next(enum ticket_state *out, enum ticket_state from,
		   enum ticket_action action, const struct lifecycle_ctx *ctx,
		   struct sp_err *err);

const char *lifecycle_state_name(enum ticket_state s);
int lifecycle_state_parse(const char *s); /* -1 if unknown */
const char *lifecycle_action_name(enum ticket_action a);
/* Neither closed nor merged. */
bool lifecycle_is_active(enum ticket_state s);

#endif
