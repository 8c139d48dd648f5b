/* tzif_fuzz.c — any bytes as a zone file (TZif) and as a footer's TZ
 * string: refused with a message, or read and then asked for offsets and
 * changes at any instant, the extremes included. */
#include "../src/zone/tzif.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
ask(const struct tzif *t)
{
	static const int64_t at[] = { INT64_MIN, -4000000000000LL, 0,
		946684800, 3471292800, 4000000000000LL, INT64_MAX };
	int64_t when = 946080000, next;
	int off;

	for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
		(void)tzif_offset(t, at[i]);
		(void)tzif_next(t, at[i], &next, &off);
	}
	for (int k = 0; k < 200 && tzif_next(t, when, &next, &off); k++)
		when = next;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tzif t;
	struct tzrule r;
	char *text;

	if (size > (1 << 20))
		return 0;
	if (tzif_parse(&t, data, size, "Fuzz/Zone", NULL) == 0) {
		ask(&t);
		tzif_free(&t);
	}
	text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (tzrule_parse(&r, text, NULL) == 0) {
		t = (struct tzif){ .has_rule = true, .rule = r };
		ask(&t);
	}
	free(text);
	return 0;
}
