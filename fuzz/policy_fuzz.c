/* policy_fuzz.c — any bytes as a policy pack: problems reported, never
 * a crash, a hang or a leak. Seeds: the .yaml files in policies/. */
#include "../src/core/policy.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct policy_report r;
	struct policy *p = NULL;

	if (size > (1 << 20))
		return 0;
	policy_report_init(&r);
	if (policy_parse(&p, (const char *)data, size, "fuzz.yaml", NULL, &r) == 0)
		policy_free(p);
	policy_report_free(&r);
	return 0;
}
