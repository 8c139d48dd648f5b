/* window.c — the provider's calendars, and when a pack's windows end. */
#include "app_internal.h"

#include <stdint.h>
#include <stdlib.h>

int
app__build_calendars(struct app *app, struct sp_err *err)
{
	const struct calendar_def *cd =
		&app->policy->calendars[app->policy->sla.calendar];
	struct week all = { 0 };
	struct bizcal_spec natural = { 0 };
	int rc;

	for (int d = 0; d < 7; d++) {
		all.iv[d][0] = (struct interval){ 0, 1440 };
		all.n[d] = 1;
	}
	natural.tz = cd->tz;
	natural.week = &all;
	if ((rc = bizcal_from_policy(&app->cal_business, cd, false, err)) ||
	    (rc = bizcal_from_policy(&app->cal_weekdays, cd, true, err)) ||
	    (rc = bizcal_build(&app->cal_natural, &natural, BIZCAL_FIRST_YEAR,
			       BIZCAL_LAST_YEAR, err)))
		return rc;
	app->cal_after_hours = calloc(app->policy->nafter_hours + 1,
				      sizeof *app->cal_after_hours);
	if (app->cal_after_hours == NULL)
		return sp_err_set(err, SP_ENOMEM, "calendar", "out of memory");
	for (size_t i = 0; i < app->policy->nafter_hours; i++) {
		struct bizcal_spec ah = { 0 };

		ah.tz = cd->tz;
		ah.week = &app->policy->after_hours[i].week;
		if ((rc = bizcal_build(&app->cal_after_hours[i], &ah,
				       BIZCAL_FIRST_YEAR, BIZCAL_LAST_YEAR,
				       err)))
			return rc;
		app->ncal_after_hours = i + 1;
	}
	app->cals.business = app->cal_business;
	app->cals.weekdays = app->cal_weekdays;
	app->cals.natural = app->cal_natural;
	return 0;
}

void
app__free_calendars(struct app *app)
{
	bizcal_free(app->cal_business);
	bizcal_free(app->cal_weekdays);
	bizcal_free(app->cal_natural);
	for (size_t i = 0; i < app->ncal_after_hours; i++)
		bizcal_free(app->cal_after_hours[i]);
	free(app->cal_after_hours);
	app->cal_after_hours = NULL;
	app->ncal_after_hours = 0;
	app->cal_business = app->cal_weekdays = app->cal_natural = NULL;
}

int64_t
app__window_end(struct app *app, int64_t from, const struct duration *d)
{
	int64_t end;

	if (sla_window_end(&end, &app->cals, d, from, NULL))
		return INT64_MAX;
	return end;
}

const struct duration *
app__delivery_window(struct app *app, const struct ticket_row *t,
		     const struct duration *usual)
{
	const struct policy *p = app->policy;
	int c = t->category ? policy_category_index(p, t->category) : -1;

	if (c >= 0 && p->categories[c].project &&
	    p->windows.project_defects.unit != DUR_NONE)
		return &p->windows.project_defects;
	return usual;
}
