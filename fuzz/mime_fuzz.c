/* mime_fuzz.c — any bytes as an email: parsed or refused, never a crash,
 * a hang or a leak. Seeds: the .eml files in tests/mail/. */
#include "../src/mail/mime.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mime_msg *m = NULL;

	if (size > (4 << 20))
		return 0;
	if (mime_parse(&m, data, size, NULL) == 0)
		mime_free(m);
	return 0;
}
