/* test_billing.c — what attendances debit, on the seed packs' plans
 * (BILL-2..6), and properties over random attendances. */
#include "../src/app/app.h"
#include "../src/core/billing.h"
#include "../src/util/civil.h"
#include "fixture.h"
#include "test.h"

#include <stdlib.h>

struct pk {
	char *text;
	struct policy *p;
	struct bizcal *ah[4];
};

static bool
pk_load(struct pk *k, const char *id)
{
	struct policy_report r;
	size_t len;

	memset(k, 0, sizeof *k);
	policy_report_init(&r);
	if (app_pack_read(&k->text, &len, fx_policies(), id, NULL) ||
	    policy_parse(&k->p, k->text, len, id, id, &r)) {
		policy_report_free(&r);
		t_fail(__FILE__, __LINE__, "cannot load pack %s", id);
		return false;
	}
	policy_report_free(&r);
	for (size_t i = 0; i < k->p->nafter_hours && i < 4; i++) {
		struct bizcal_spec s = { 0 };

		s.tz = k->p->calendars[k->p->sla.calendar].tz;
		s.week = &k->p->after_hours[i].week;
		if (bizcal_build(&k->ah[i], &s, 2025, 2028, NULL))
			return false;
	}
	return true;
}

static void
pk_free(struct pk *k)
{
	for (int i = 0; i < 4; i++)
		bizcal_free(k->ah[i]);
	policy_free(k->p);
	free(k->text);
}

static int64_t
debit(struct pk *k, const char *plan, const char *start, int64_t minutes,
      enum modality m, bool warranty, int qq_used, struct bill_result *r)
{
	struct attendance_in in = { 0 };
	const struct plan_def *pl = &k->p->plans[policy_plan_index(k->p, plan)];
	int w = pl->billing.after_hours_window;

	in.start = fx_at(start);
	in.minutes = minutes;
	in.modality = m;
	in.warranty = warranty;
	in.quick_questions_used = qq_used;
	if (billing_debit(r, pl, &in, w >= 0 ? k->ah[w] : NULL, NULL))
		return -1;
	return r->debit_minutes;
}

/* BILL-2, BILL-3: EASI on-site local visit of 50 minutes on a póliza:
 * 2 h minimum, x 4/3 on site, +10 %, up to 10 minutes: 180. */
static void
test_bill3_easi_onsite_local_50_min_poliza(void)
{
	struct pk k;
	struct bill_result r;

	CHECK(pk_load(&k, "easi"));
	CHECK_INT(debit(&k, "poliza", "2026-05-04T10:00:00-06:00", 50,
			MOD_ONSITE_LOCAL, false, 0, &r), 180);
	CHECK_INT(r.nsteps, 4);
	CHECK_STR(r.steps[0].rule, "minimum");
	CHECK_STR(r.steps[1].rule, "modality_factor");
	CHECK_STR(r.steps[2].rule, "report_overhead");
	CHECK_STR(r.steps[3].rule, "rounding");
	/* Out of town: 4 h minimum. */
	CHECK_INT(debit(&k, "poliza", "2026-05-04T10:00:00-06:00", 50,
			MOD_ONSITE_FOREIGN, false, 0, &r), 4 * 60 * 4 / 3 * 11 / 10 + 8);
	pk_free(&k);
}

/* BILL-2 (Impera): whole hours, no fractions: 61 minutes is 2 hours. */
static void
test_bill2_impera_61_minutes_is_two_hours(void)
{
	struct pk k;
	struct bill_result r;

	CHECK(pk_load(&k, "impera"));
	CHECK_INT(debit(&k, "basica", "2026-05-04T10:00:00-06:00", 61,
			MOD_REMOTE, false, 0, &r), 120);
	CHECK_INT(debit(&k, "basica", "2026-05-04T10:00:00-06:00", 60,
			MOD_REMOTE, false, 0, &r), 60);
	pk_free(&k);
}

/* BILL-4: a visit from 17:30 to 19:10 on EASI's calendar: the 2 h block
 * runs to 19:30, 90 minutes of it after 18:00 count 1.5. */
static void
test_bill4_easi_visit_across_1800(void)
{
	struct pk k;
	struct bill_result r;

	CHECK(pk_load(&k, "easi"));
	CHECK_INT(debit(&k, "poliza", "2026-05-04T17:30:00-06:00", 100,
			MOD_ONSITE_LOCAL, false, 0, &r), 250);
	CHECK_INT(r.after_hours_seconds, 90 * 60);
	CHECK_STR(r.steps[1].rule, "after_hours");
	/* The bill eval example: remote, 17:10 for 95 minutes. */
	CHECK_INT(debit(&k, "poliza", "2026-05-04T17:10:00-06:00", 95,
			MOD_REMOTE, false, 0, &r), 130);
	/* Iguala rounds per minute. */
	CHECK_INT(debit(&k, "iguala", "2026-05-04T10:00:00-06:00", 95,
			MOD_REMOTE, false, 0, &r), 105);
	/* Per event: 30-minute blocks, 30 minimum. */
	CHECK_INT(debit(&k, "por_evento", "2026-05-04T10:00:00-06:00", 10,
			MOD_REMOTE, false, 0, &r), 30);
	pk_free(&k);
}

/* BILL-5 (EASI): quick questions by phone or chat of up to 20 minutes
 * are free three times a week; the fourth is charged, and any remote
 * connection is billable. */
static void
test_bill5_easi_quick_questions(void)
{
	struct pk k;
	struct bill_result r;

	CHECK(pk_load(&k, "easi"));
	CHECK_INT(debit(&k, "poliza", "2026-05-04T10:00:00-06:00", 15,
			MOD_PHONE, false, 0, &r), 0);
	CHECK(r.quick_question);
	CHECK_INT(debit(&k, "poliza", "2026-05-04T10:00:00-06:00", 15,
			MOD_CHAT, false, 2, &r), 0);
	CHECK_INT(debit(&k, "poliza", "2026-05-04T10:00:00-06:00", 15,
			MOD_PHONE, false, 3, &r), 20);
	CHECK(!r.quick_question);
	CHECK_INT(debit(&k, "poliza", "2026-05-04T10:00:00-06:00", 21,
			MOD_PHONE, false, 0, &r), 30);
	CHECK_INT(debit(&k, "poliza", "2026-05-04T10:00:00-06:00", 5,
			MOD_REMOTE, false, 0, &r), 10);
	pk_free(&k);
}

/* BILL-6: warranty work is free (EASI, Intecnia). */
static void
test_bill6_warranty_is_free(void)
{
	struct pk k;
	struct bill_result r;

	CHECK(pk_load(&k, "intecnia"));
	CHECK_INT(debit(&k, "empresarial", "2026-05-04T10:00:00-06:00", 240,
			MOD_ONSITE_LOCAL, true, 0, &r), 0);
	CHECK(r.free);
	CHECK_STR(r.steps[0].policy, "BILL-6");
	/* Intecnia per event: 1-hour events. */
	CHECK_INT(debit(&k, "por_evento", "2026-05-04T10:00:00-06:00", 61,
			MOD_REMOTE, false, 0, &r), 120);
	pk_free(&k);
}

/* Properties over random attendances on every plan of every pack:
 * never less than the time worked unless free; more work never debits
 * less; the result is a multiple of the plan's rounding. */
static void
test_bill2_properties_random(void)
{
	static const char *const packs[] = { "easi", "intecnia", "impera",
					     "ideasys", "isys" };
	uint64_t s = 0x2545f4914f6cdd1dULL;

	for (size_t pi = 0; pi < 5; pi++) {
		struct pk k;

		CHECK(pk_load(&k, packs[pi]));
		for (size_t pl = 0; pl < k.p->nplans; pl++) {
			const struct plan_def *plan = &k.p->plans[pl];
			int w = plan->billing.after_hours_window;

			for (int i = 0; i < 2000; i++) {
				struct attendance_in in = { 0 };
				struct bill_result a, b;

				s ^= s << 13;
				s ^= s >> 7;
				s ^= s << 17;
				in.start = fx_at("2026-01-05T00:00:00-06:00") +
					   (int64_t)(s % (300 * 1440)) * 60;
				in.minutes = 1 + (int64_t)(s >> 20) % 600;
				in.modality = (enum modality)((s >> 40) % MOD_COUNT);
				in.quick_questions_used = 3;
				CHECK_INT(billing_debit(&a, plan, &in,
							w >= 0 ? k.ah[w] : NULL,
							NULL), 0);
				in.minutes++;
				CHECK_INT(billing_debit(&b, plan, &in,
							w >= 0 ? k.ah[w] : NULL,
							NULL), 0);
				if (!a.free)
					CHECK(a.debit_minutes >= in.minutes - 1);
				if (!a.free && !b.free)
					CHECK(b.debit_minutes >= a.debit_minutes);
				CHECK_INT(a.debit_minutes %
						  plan->billing.rounding_minutes, 0);
			}
		}
		pk_free(&k);
	}
}

const struct test billing_tests[] = {
	{ "bill3_easi_onsite_local_50_min_poliza", test_bill3_easi_onsite_local_50_min_poliza },
	{ "bill2_impera_61_minutes_is_two_hours", test_bill2_impera_61_minutes_is_two_hours },
	{ "bill4_easi_visit_across_1800", test_bill4_easi_visit_across_1800 },
	{ "bill5_easi_quick_questions", test_bill5_easi_quick_questions },
	{ "bill6_warranty_is_free", test_bill6_warranty_is_free },
	{ "bill2_properties_random", test_bill2_properties_random },
	{ 0 },
};
