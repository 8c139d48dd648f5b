#include "billing.h"

#include <stdio.h>
#include <string.h>

static int64_t
gcd(int64_t a, int64_t b)
{
	while (b) {
		int64_t t = a % b;

		a = b;
		b = t;
	}
	return a < 0 ? -a : a;
}

struct frac {
	int64_t num, den;
};

static struct frac
fr(int64_t num, int64_t den)
{
	int64_t g = gcd(num, den);

	if (g > 1) {
		num /= g;
		den /= g;
	}
	return (struct frac){ num, den };
}

static struct frac
fr_add(struct frac a, struct frac b)
{
	return fr(a.num * b.den + b.num * a.den, a.den * b.den);
}

static struct frac
fr_mul(struct frac a, struct ratio r)
{
	return fr(a.num * r.num, a.den * r.den);
}

double
billing_minutes(int64_t num, int64_t den)
{
	return den ? (double)num / (double)den / 60.0 : 0.0;
}

int
billing_modality_parse(const char *s)
{
	for (int m = 0; m < MOD_COUNT; m++)
		if (strcmp(s, policy_modality_name((enum modality)m)) == 0)
			return m;
	return -1;
}

static struct bill_step *
step(struct bill_result *r, const char *rule, const char *policy,
     struct frac before, struct frac after, const char *detail)
{
	static struct bill_step sink;
	struct bill_step *s;

	if (r->nsteps >= BILLING_MAX_STEPS)
		return &sink;
	s = &r->steps[r->nsteps++];
	s->rule = rule;
	s->policy = policy;
	s->before_num = before.num;
	s->before_den = before.den;
	s->after_num = after.num;
	s->after_den = after.den;
	snprintf(s->detail, sizeof s->detail, "%s", detail ? detail : "");
	return s;
}

void
billing_step_text(char *out, size_t size, const struct bill_step *s,
		  const char *lang)
{
	bool en = lang && strncmp(lang, "en", 2) == 0;

	if (strcmp(s->rule, "warranty") == 0)
		snprintf(out, size, en ? "warranty: free of charge" :
			 "garantía: sin costo");
	else if (strcmp(s->rule, "quick_question") == 0)
		snprintf(out, size, en ? "free quick question (%lld of %lld "
			 "this week)" : "consulta rápida sin costo (%lld de "
			 "%lld esta semana)", (long long)s->num,
			 (long long)s->den);
	else if (strcmp(s->rule, "reopen_free") == 0)
		snprintf(out, size, en ? "reopened fault: %lld min free (up to "
			 "%lld min)" : "falla reabierta: %lld min sin costo "
			 "(hasta %lld min)", (long long)s->num, (long long)s->x);
	else if (strcmp(s->rule, "minimum") == 0)
		snprintf(out, size, en ? "minimum of %lld min" :
			 "mínimo de %lld min", (long long)s->x);
	else if (strcmp(s->rule, "after_hours") == 0)
		snprintf(out, size, en ? "%lld min after hours count x%lld/%lld"
			 : "%lld min fuera de horario cuentan x%lld/%lld",
			 (long long)s->x, (long long)s->num, (long long)s->den);
	else if (strcmp(s->rule, "modality_factor") == 0)
		snprintf(out, size, en ? "on site counts x%lld/%lld" :
			 "en sitio cuenta x%lld/%lld", (long long)s->num,
			 (long long)s->den);
	else if (strcmp(s->rule, "report_overhead") == 0)
		snprintf(out, size, en ? "+%lld%% for this consumption report" :
			 "+%lld%% por este reporte de consumo", (long long)s->x);
	else if (strcmp(s->rule, "rounding") == 0)
		snprintf(out, size, en ? "rounded up to multiples of %lld min" :
			 "redondeo hacia arriba a múltiplos de %lld min",
			 (long long)s->x);
	else
		snprintf(out, size, "%s", s->detail);
}

int
billing_debit(struct bill_result *r, const struct plan_def *plan,
	      const struct attendance_in *in, const struct bizcal *ah,
	      struct sp_err *err)
{
	const struct plan_billing *b = &plan->billing;
	const struct modality_rule *mr;
	struct frac v, prev;
	struct bill_step *st;
	int64_t worked, block, minimum;
	char d[96];

	memset(r, 0, sizeof *r);
	if (in->minutes < 1 || in->minutes > 7 * 24 * 60)
		return sp_err_set(err, SP_EINVAL, "minutes", "an attendance "
				  "lasts from 1 minute to 7 days, not %lld",
				  (long long)in->minutes);
	if ((unsigned)in->modality >= MOD_COUNT)
		return sp_err_set(err, SP_EINVAL, "modality", "unknown modality");
	if (b->rounding_minutes < 1)
		return sp_err_set(err, SP_EINVAL, "plan", "plan '%s' has no "
				  "rounding", plan->id);
	worked = in->minutes * 60;
	v = fr(worked, 1);
	/* 1. Free work. */
	if (in->warranty && b->warranty_free) {
		r->free = true;
		step(r, "warranty", "BILL-6", v, fr(0, 1),
		     "warranty work is free");
		return 0;
	}
	if (b->quick_questions && (b->qq_modalities & (1u << in->modality)) &&
	    in->minutes <= b->qq_max_minutes &&
	    in->quick_questions_used < b->qq_per_week) {
		r->free = true;
		r->quick_question = true;
		snprintf(d, sizeof d, "free quick question %d of %d this week",
			 in->quick_questions_used + 1, b->qq_per_week);
		st = step(r, "quick_question", "BILL-5", v, fr(0, 1), d);
		st->num = in->quick_questions_used + 1;
		st->den = b->qq_per_week;
		return 0;
	}
	/* 2. Minimum. */
	mr = &b->modality[in->modality];
	minimum = b->minimum_minutes;
	if (mr->set && mr->minimum_minutes > minimum)
		minimum = mr->minimum_minutes;
	block = worked;
	if (minimum * 60 > block) {
		block = minimum * 60;
		prev = v;
		v = fr(block, 1);
		snprintf(d, sizeof d, "minimum %lld min (%s)",
			 (long long)minimum, policy_modality_name(in->modality));
		step(r, "minimum", "BILL-3", prev, v, d)->x = minimum;
	}
	/* 3. After hours: the part of [start, start + block) inside the
	 * window counts factor times. */
	if (ah && b->after_hours_window >= 0) {
		int64_t out_h = bizcal_between(ah, in->start, in->start + block,
					       NULL, 0);

		r->after_hours_seconds = out_h;
		if (out_h > 0) {
			struct frac extra = fr_mul(fr(out_h, 1),
				(struct ratio){ b->after_hours_factor.num -
						b->after_hours_factor.den,
						b->after_hours_factor.den });

			prev = v;
			v = fr_add(v, extra);
			snprintf(d, sizeof d, "%lld min after hours x %lld/%lld",
				 (long long)(out_h / 60),
				 (long long)b->after_hours_factor.num,
				 (long long)b->after_hours_factor.den);
			st = step(r, "after_hours", "BILL-4", prev, v, d);
			st->x = out_h / 60;
			st->num = b->after_hours_factor.num;
			st->den = b->after_hours_factor.den;
		}
	}
	/* 4. Modality factor (on site counts more remote time). */
	if (mr->set && mr->factor.num != mr->factor.den) {
		prev = v;
		v = fr_mul(v, mr->factor);
		snprintf(d, sizeof d, "%s x %lld/%lld",
			 policy_modality_name(in->modality),
			 (long long)mr->factor.num, (long long)mr->factor.den);
		st = step(r, "modality_factor", "BILL-3", prev, v, d);
		st->num = mr->factor.num;
		st->den = mr->factor.den;
	}
	/* 5. Report overhead. */
	if (b->report_overhead_percent > 0) {
		prev = v;
		v = fr_mul(v, (struct ratio){ 100 + b->report_overhead_percent,
					     100 });
		snprintf(d, sizeof d, "+%d%% for the consumption report",
			 b->report_overhead_percent);
		step(r, "report_overhead", "BILL-3", prev, v, d)->x =
			b->report_overhead_percent;
	}
	/* 6. Rounding, always up: never less than the time worked. */
	{
		int64_t unit = (int64_t)b->rounding_minutes * 60;
		int64_t units = (v.num + v.den * unit - 1) / (v.den * unit);

		prev = v;
		v = fr(units * unit, 1);
		r->debit_minutes = units * b->rounding_minutes;
		snprintf(d, sizeof d, "up to a multiple of %d min",
			 b->rounding_minutes);
		step(r, "rounding", "BILL-2", prev, v, d)->x =
			b->rounding_minutes;
	}
	return 0;
}
