/* policy.h — a provider's policy pack, parsed and checked (docs/policy-packs.md).
 * Pure: the caller reads the file; this turns its text into a struct
 * policy or a list of problems, each "file:line:col: message". */
#ifndef SP_POLICY_H
#define SP_POLICY_H

#include "../util/arena.h"
#include "../util/buf.h"

#include <stdbool.h>
#include <stdint.h>

#define POLICY_MAX_INTERVALS 8
#define POLICY_ID_MAX 40

enum dur_unit {
	DUR_NONE = 0,
	DUR_MINUTES, DUR_HOURS, DUR_DAYS,
	DUR_BUSINESS_MINUTES, DUR_BUSINESS_HOURS, DUR_BUSINESS_DAYS,
	DUR_WEEKDAY_HOURS, DUR_MONTHS, DUR_EVENTS,
};

struct duration {
	int64_t n;
	enum dur_unit unit; /* DUR_NONE: not set */
	int calendar;       /* index into policy.calendars */
};

struct i18n {
	const char *es;
	const char *en; /* falls back to es */
};

struct interval {
	int start, end; /* minutes of the day, start < end <= 1440 */
};

/* Index 0 = Monday … 6 = Sunday. */
struct week {
	int n[7];
	struct interval iv[7][POLICY_MAX_INTERVALS];
};

struct dated_day {
	int64_t day; /* days since 1970-01-01 */
	const char *name;
	int n; /* exceptions: the day's intervals */
	struct interval iv[POLICY_MAX_INTERVALS];
};

struct calendar_def {
	const char *id;
	const char *tz;
	struct week week;
	bool mexican_holidays;
	struct dated_day *holidays;
	size_t nholidays;
	struct dated_day *exceptions;
	size_t nexceptions;
};

struct after_hours_def {
	const char *id;
	struct i18n name;
	struct week week;
};

struct priority_def {
	const char *id;
	struct i18n name, description;
	struct duration first_response, resolution;
	bool is_default;
};

enum role { ROLE_AGENT, ROLE_QUALITY_LEAD, ROLE_OPS_MANAGER, ROLE_ADMIN, ROLE_COUNT };
enum queue_key { QKEY_PLAN_RANK, QKEY_PRIORITY, QKEY_DUE, QKEY_CREATED };

struct sla_def {
	int calendar;
	unsigned pause_mask; /* bits of enum ticket_state (lifecycle.h) */
	int warn_at[8];
	int nwarn;
	enum role ladder[ROLE_COUNT];
	int nladder;
	bool on_breach, customer_may_request, customer_may_raise_priority;
	enum queue_key queue[4];
	int nqueue;
};

enum plan_kind { PLAN_PER_EVENT, PLAN_BANK, PLAN_RETAINER, PLAN_SUPPORT, PLAN_CUSTOM };
enum modality {
	MOD_REMOTE, MOD_PHONE, MOD_CHAT, MOD_OFFICE, MOD_ONSITE_LOCAL,
	MOD_ONSITE_FOREIGN, MOD_COUNT
};

struct ratio {
	int64_t num, den; /* den > 0; 1/1 when unset */
};

struct modality_rule {
	bool set;
	int minimum_minutes;
	struct ratio factor;
	bool travel_expenses;
};

struct plan_billing {
	int rounding_minutes;
	int minimum_minutes;
	int after_hours_window; /* index into after_hours, -1 none */
	struct ratio after_hours_factor;
	struct modality_rule modality[MOD_COUNT];
	int report_overhead_percent;
	bool quick_questions;
	int qq_max_minutes, qq_per_week;
	unsigned qq_modalities; /* bits of enum modality */
	bool warranty_free;
};

struct plan_target {
	int priority;
	struct duration first_response, resolution;
};

struct plan_def {
	const char *id;
	struct i18n name;
	enum plan_kind kind;
	int hours[8];
	int nhours; /* 0: agreed per contract */
	struct duration term[4];
	int nterm;
	int rank;
	int64_t price_centavos; /* -1: not set */
	int office_minutes, onsite_minutes;
	bool purchase_order_required, estimate_required;
	bool has_coverage;
	struct week coverage;
	struct plan_target *targets;
	size_t ntargets;
	struct plan_billing billing;
};

struct windows_def {
	struct duration reopen, auto_accept, auto_close_resolved,
		auto_close_waiting, warranty, project_defects,
		no_show_tolerance, cancellation, invoice_delinquent, invoice_due;
	int reopen_free_minutes; /* -1: not set */
	int contact_attempts;    /* 0: not set */
	struct duration contact_every;
};

enum channel {
	CH_EMAIL, CH_WEB, CH_PHONE, CH_WHATSAPP, CH_VIDEO, CH_CHAT, CH_REMOTE,
	CH_ONSITE, CH_COUNT
};

struct channel_exception {
	enum channel channel;
	int category;
	const char *note;
};

struct category_def {
	const char *id;
	struct i18n name;
	bool out_of_scope;
	bool project; /* CLO-5: delivered work runs on windows.project_defects */
};

enum req_field {
	RF_NAME, RF_SURNAME, RF_EMAIL, RF_PHONE, RF_COMPANY, RF_CATEGORY,
	RF_PRIORITY, RF_SUBJECT, RF_DESCRIPTION, RF_STEPS, RF_SCREENSHOT,
	RF_MODULE, RF_SYSTEM, RF_SYSTEM_VERSION, RF_OS_VERSION, RF_PRODUCT,
	RF_LICENSE_PROOF, RF_COUNT
};

enum unknown_sender { UNKNOWN_CREATE_CONTACT, UNKNOWN_REPLY_INSTRUCTIONS };
enum folio_reset { FOLIO_NEVER, FOLIO_YEARLY, FOLIO_MONTHLY };

struct product_def {
	const char *id;
	const char *name;
	bool has_eol;
	int64_t eol_day;
};

struct policy {
	struct arena arena; /* owns every pointer below */
	const char *id;
	int format;
	struct {
		const char *name, *short_name, *email, *website, *locale, *seed;
		const char **phones;
		size_t nphones;
	} provider;
	struct {
		const char *format;
		enum folio_reset reset;
	} folio;
	struct calendar_def *calendars;
	size_t ncalendars;
	struct after_hours_def *after_hours;
	size_t nafter_hours;
	struct priority_def *priorities;
	size_t npriorities;
	struct sla_def sla;
	struct plan_def *plans;
	size_t nplans;
	struct windows_def windows;
	unsigned channels; /* bits of enum channel */
	struct channel_exception *channel_exceptions;
	size_t nchannel_exceptions;
	struct category_def *categories;
	size_t ncategories;
	unsigned required; /* bits of enum req_field */
	struct {
		bool end_of_life_supported, license_proof_required,
			distributors_as_end_customers;
		const char **third_party_excluded;
		size_t nthird_party;
	} scope;
	struct {
		int iva_percent;
		int refund_min_block_hours, refund_fee_percent,
			overpayment_fee_percent;
		bool refund_after_consumption, invoice_cancel_at_month_end;
	} billing;
	struct {
		enum unknown_sender unknown_sender;
		bool ack;
		/* SCH-7: on resolution, remind a customer who sent
		 * credentials to change them. */
		bool credential_reminder;
		struct duration duplicate_window;
	} intake;
	struct product_def *products;
	size_t nproducts;
};

/* Problems found in a pack: `text` holds one "file:line:col: message"
 * line each. */
struct policy_report {
	struct buf text;
	int count;
};

void policy_report_init(struct policy_report *r);
void policy_report_free(struct policy_report *r);

/* Parses and checks a pack. `file` names it in messages; `expect_id`, if
 * not NULL, is the id the pack must carry (its file name). Returns 0 and a
 * policy, or SP_EINVAL with every problem in `r`. */
int policy_parse(struct policy **out, const char *text, size_t len,
		 const char *file, const char *expect_id,
		 struct policy_report *r);
void policy_free(struct policy *p);

/* Lookups: NULL / -1 when absent. */
int policy_priority_index(const struct policy *p, const char *id);
int policy_plan_index(const struct policy *p, const char *id);
int policy_category_index(const struct policy *p, const char *id);
const struct priority_def *policy_default_priority(const struct policy *p);

/* Names of enumerations, as written in packs. */
const char *policy_channel_name(enum channel c);
int policy_channel_parse(const char *s); /* -1 unknown */
const char *policy_role_name(enum role r);
int policy_role_parse(const char *s);
const char *policy_modality_name(enum modality m);
const char *policy_field_name(enum req_field f);
/* The item as a customer reads it, in Spanish or English (lang "en"). */
const char *policy_field_label(enum req_field f, const char *lang);
const char *policy_plan_kind_name(enum plan_kind k);
const char *policy_dur_unit_name(enum dur_unit u);
/* "8 business_hours" into out (at least 48 bytes). */
void policy_duration_format(char *out, size_t size, const struct duration *d);
/* "8 horas hábiles" / "8 business hours", for people. */
void policy_duration_text(char *out, size_t size, const struct duration *d,
			  const char *lang);
/* Text in `lang` ("es"/"en"), falling back to Spanish. */
const char *policy_text(const struct i18n *t, const char *lang);

#endif
