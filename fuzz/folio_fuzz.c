/* folio_fuzz.c — any subject line searched for a folio. */
#include "../src/core/folio.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char out[64], *text;

	if (size > 4096)
		return 0;
	text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	folio_find(out, sizeof out, "INT-{yyyy}-{seq:5}", text);
	folio_find(out, sizeof out, "EASI-{yy}{mm}-{seq:4}", text);
	free(text);
	return 0;
}
