/* ics_fuzz.c — any text as an iCalendar file of holidays. */
#include "../src/zone/ics.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ics_day *days = NULL;
	size_t n = 0;
	char *text;

	if (size > (1 << 20))
		return 0;
	text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (ics_parse_days(&days, &n, text, NULL) == 0)
		ics_days_free(days, n);
	free(text);
	return 0;
}
