/* test_lifecycle.c — core/lifecycle: the ticket state machine. Every
 * (state, action) pair is decided here, with a reason when refused. */
#include "test.h"

#include "../src/core/lifecycle.h"
#include "../src/util/err.h"

#define X (-1) /* refused: SP_ECONFLICT with a reason */

enum { NEW_ = TS_NEW, OPN = TS_OPEN, WCU = TS_WAITING_CUSTOMER,
       WTP = TS_WAITING_THIRD_PARTY, SCH = TS_SCHEDULED, RES = TS_RESOLVED,
       CLO = TS_CLOSED, MRG = TS_MERGED };

/* expected[state][action] with the reopen window still open. Columns:
 * assign agent_reply customer_reply wait_customer wait_third_party schedule
 * resume resolve confirm reopen close merge */
static const int expected[TS_COUNT][TA_COUNT] = {
	[TS_NEW] =
	{ OPN, OPN, NEW_, WCU, WTP, SCH, X, RES, X, X, CLO, MRG },
	[TS_OPEN] =
	{ OPN, OPN, OPN, WCU, WTP, SCH, X, RES, X, X, CLO, MRG },
	/* SLA-3: the customer's reply ends the wait on them. */
	[TS_WAITING_CUSTOMER] =
	{ WCU, WCU, OPN, X, WTP, SCH, OPN, RES, X, X, CLO, MRG },
	/* A customer's reply does not end a wait on a third party. */
	[TS_WAITING_THIRD_PARTY] =
	{ WTP, WTP, WTP, WCU, X, SCH, OPN, RES, X, X, CLO, MRG },
	[TS_SCHEDULED] =
	{ SCH, SCH, SCH, WCU, WTP, X, OPN, RES, X, X, CLO, MRG },
	/* CLO-1: a reply to a resolved ticket reopens it; confirming
	 * closes it. */
	[TS_RESOLVED] =
	{ RES, RES, OPN, X, X, X, X, X, CLO, OPN, CLO, MRG },
	/* CLO-3: a closed ticket can only be reopened (inside the window)
	 * or folded into another. */
	[TS_CLOSED] =
	{ X, X, X, X, X, X, X, X, X, OPN, X, MRG },
	[TS_MERGED] =
	{ X, X, X, X, X, X, X, X, X, X, X, X },
};

static const struct lifecycle_ctx open_window = { 1000, 2000 };

static void
every_state_action_pair_has_the_expected_outcome(void)
{
	int checked = 0;

	for (int s = 0; s < TS_COUNT; s++)
		for (int a = 0; a < TA_COUNT; a++) {
			enum ticket_state out = TS_COUNT; /* sentinel */
			struct sp_err e = { 0 };
			int want = expected[s][a];
			int rc = lifecycle_next(&out, (enum ticket_state)s,
						(enum ticket_action)a,
						&open_window, &e);
			const char *sn = lifecycle_state_name((enum ticket_state)s);
			const char *an = lifecycle_action_name((enum ticket_action)a);

			checked++;
			if (want == X) {
				if (rc != SP_ECONFLICT)
					t_fail(__FILE__, __LINE__, "%s + %s: rc %d "
					       "(to %s), want a refusal", sn, an,
					       rc, lifecycle_state_name(out));
				else if (e.code != SP_ECONFLICT ||
					 e.msg[0] == '\0')
					t_fail(__FILE__, __LINE__, "%s + %s: "
					       "refused without a reason", sn, an);
				else if (out != TS_COUNT)
					t_fail(__FILE__, __LINE__, "%s + %s: out "
					       "written on refusal", sn, an);
			} else if (rc != 0) {
				t_fail(__FILE__, __LINE__, "%s + %s refused: %s",
				       sn, an, e.msg);
			} else if ((int)out != want) {
				t_fail(__FILE__, __LINE__, "%s + %s -> %s, want %s",
				       sn, an, lifecycle_state_name(out),
				       lifecycle_state_name((enum ticket_state)want));
			}
		}
	CHECK_INT(checked, TS_COUNT * TA_COUNT);
}

/* SLA-3 */
static void
sla3_customer_reply_ends_waiting_customer(void)
{
	enum ticket_state out = TS_COUNT;
	struct sp_err e = { 0 };

	CHECK_INT(lifecycle_next(&out, TS_WAITING_CUSTOMER, TA_CUSTOMER_REPLY,
				 &open_window, &e), 0);
	CHECK_INT(out, TS_OPEN);
	/* … but an agent's note while waiting does not restart the clock. */
	CHECK_INT(lifecycle_next(&out, TS_WAITING_CUSTOMER, TA_AGENT_REPLY,
				 &open_window, &e), 0);
	CHECK_INT(out, TS_WAITING_CUSTOMER);
}

/* CLO-3 */
static void
clo3_reopen_refused_after_deadline_allowed_at_it(void)
{
	static const enum ticket_state from[] = { TS_RESOLVED, TS_CLOSED };

	for (size_t i = 0; i < 2; i++) {
		struct lifecycle_ctx at = { 5000, 5000 }, after = { 5001, 5000 },
				     before = { 4999, 5000 };
		enum ticket_state out = TS_COUNT;
		struct sp_err e = { 0 };

		CHECK_INT(lifecycle_next(&out, from[i], TA_REOPEN, &before, &e), 0);
		CHECK_INT(out, TS_OPEN);
		out = TS_COUNT;
		CHECK_INT(lifecycle_next(&out, from[i], TA_REOPEN, &at, &e), 0);
		CHECK_INT(out, TS_OPEN);
		out = TS_COUNT;
		CHECK_INT(lifecycle_next(&out, from[i], TA_REOPEN, &after, &e),
			  SP_ECONFLICT);
		CHECK_INT(out, TS_COUNT);
		CHECK_HAS(e.msg, "CLO-3");
		CHECK_HAS(e.msg, "new ticket");
	}
}

/* CLO-3, CLO-1: a reply after the window does not reopen a resolved
 * ticket; a new linked ticket is needed. */
static void
clo3_customer_reply_after_deadline_is_refused(void)
{
	struct lifecycle_ctx at = { 5000, 5000 }, after = { 5001, 5000 };
	enum ticket_state out = TS_COUNT;
	struct sp_err e = { 0 };

	CHECK_INT(lifecycle_next(&out, TS_RESOLVED, TA_CUSTOMER_REPLY, &at, &e), 0);
	CHECK_INT(out, TS_OPEN);
	out = TS_COUNT;
	CHECK_INT(lifecycle_next(&out, TS_RESOLVED, TA_CUSTOMER_REPLY, &after,
				 &e), SP_ECONFLICT);
	CHECK_INT(out, TS_COUNT);
	CHECK_HAS(e.msg, "CLO-3");
}

/* CLO-3: a pack without a reopen window never closes it. */
static void
clo3_no_window_means_reopen_always_allowed(void)
{
	struct lifecycle_ctx ctx = { INT64_MAX - 1, INT64_MAX };
	enum ticket_state out = TS_COUNT;

	CHECK_INT(lifecycle_next(&out, TS_CLOSED, TA_REOPEN, &ctx, NULL), 0);
	CHECK_INT(out, TS_OPEN);
	ctx.now = INT64_MAX;
	CHECK_INT(lifecycle_next(&out, TS_RESOLVED, TA_REOPEN, &ctx, NULL), 0);
	CHECK_INT(out, TS_OPEN);
}

/* INT-4: a merged ticket lives on in the one it was merged into. */
static void
int4_merged_ticket_refuses_every_action(void)
{
	struct lifecycle_ctx ctx = { 0, INT64_MAX };

	for (int a = 0; a < TA_COUNT; a++) {
		enum ticket_state out = TS_COUNT;
		struct sp_err e = { 0 };

		CHECK_INT(lifecycle_next(&out, TS_MERGED, (enum ticket_action)a,
					 &ctx, &e), SP_ECONFLICT);
		CHECK_INT(out, TS_COUNT);
		CHECK_HAS(e.msg, "merged");
		CHECK_HAS(e.msg, lifecycle_action_name((enum ticket_action)a));
	}
}

static void
refusals_name_the_action_and_state(void)
{
	enum ticket_state out = TS_COUNT;
	struct sp_err e = { 0 };

	CHECK_INT(lifecycle_next(&out, TS_OPEN, TA_CONFIRM, &open_window, &e),
		  SP_ECONFLICT);
	CHECK_STR(e.field, "state");
	CHECK_HAS(e.msg, "confirm");
	CHECK_HAS(e.msg, "open");
	sp_err_clear(&e);
	CHECK_INT(lifecycle_next(&out, TS_WAITING_CUSTOMER, TA_WAIT_CUSTOMER,
				 &open_window, &e), SP_ECONFLICT);
	CHECK_HAS(e.msg, "already waiting");
	/* A NULL err is allowed. */
	CHECK_INT(lifecycle_next(&out, TS_CLOSED, TA_ASSIGN, &open_window, NULL),
		  SP_ECONFLICT);
}

static void
unknown_state_or_action_is_invalid(void)
{
	enum ticket_state out = TS_NEW;
	struct sp_err e = { 0 };

	CHECK_INT(lifecycle_next(&out, TS_COUNT, TA_ASSIGN, &open_window, &e),
		  SP_EINVAL);
	sp_err_clear(&e);
	CHECK_INT(lifecycle_next(&out, TS_OPEN, TA_COUNT, &open_window, &e),
		  SP_EINVAL);
	CHECK_INT(lifecycle_next(&out, (enum ticket_state)-1, TA_ASSIGN,
				 &open_window, &e), SP_EINVAL);
	CHECK_INT(out, TS_NEW);
}

static void
names_round_trip_and_activity(void)
{
	static const char *const states[] = { "new", "open", "waiting_customer",
		"waiting_third_party", "scheduled", "resolved", "closed",
		"merged" };

	for (int s = 0; s < TS_COUNT; s++) {
		CHECK_STR(lifecycle_state_name((enum ticket_state)s), states[s]);
		CHECK_INT(lifecycle_state_parse(states[s]), s);
		CHECK_INT(lifecycle_is_active((enum ticket_state)s),
			  s != TS_CLOSED && s != TS_MERGED);
	}
	CHECK_INT(lifecycle_state_parse("Open"), -1);
	CHECK_INT(lifecycle_state_parse(""), -1);
	CHECK_STR(lifecycle_state_name(TS_COUNT), "?");
	CHECK_STR(lifecycle_action_name(TA_CUSTOMER_REPLY), "customer_reply");
	CHECK_STR(lifecycle_action_name(TA_COUNT), "?");
	for (int a = 0; a < TA_COUNT; a++)
		CHECK(strcmp(lifecycle_action_name((enum ticket_action)a), "?"));
}

const struct test lifecycle_tests[] = {
	{ "every_state_action_pair_has_the_expected_outcome",
	  every_state_action_pair_has_the_expected_outcome },
	{ "sla3_customer_reply_ends_waiting_customer",
	  sla3_customer_reply_ends_waiting_customer },
	{ "clo3_reopen_refused_after_deadline_allowed_at_it",
	  clo3_reopen_refused_after_deadline_allowed_at_it },
	{ "clo3_customer_reply_after_deadline_is_refused",
	  clo3_customer_reply_after_deadline_is_refused },
	{ "clo3_no_window_means_reopen_always_allowed",
	  clo3_no_window_means_reopen_always_allowed },
	{ "int4_merged_ticket_refuses_every_action",
	  int4_merged_ticket_refuses_every_action },
	{ "refusals_name_the_action_and_state",
	  refusals_name_the_action_and_state },
	{ "unknown_state_or_action_is_invalid",
	  unknown_state_or_action_is_invalid },
	{ "names_round_trip_and_activity", names_round_trip_and_activity },
	{ 0 },
};
