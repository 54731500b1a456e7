/* fuzz_config.c — libFuzzer target for the renacer.toml loader
 * (src/analyze/config.h: config_load_buffer). A loaded config is released;
 * a rejected one must come with a one-line FILE:LINE:COL message. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[1024];
	err[0] = '\0';
	struct config *c = config_load_buffer("fuzz.toml", (const char *)data, size, err, sizeof err);
	if (c) {
		for (size_t i = 0; i < c->n; i++) {
			const struct assertion *a = &c->items[i];
			if (!a->name)
				fuzz_broken("config_load_buffer", "assertion without a name");
			(void)strlen(a->name);
			(void)assertion_type_name(a->type);
			if (a->type == AT_ANTI_PATTERN)
				(void)anti_pattern_name(a->pattern);
		}
		config_free(c);
	} else {
		fuzz_one_line("config_load_buffer", err);
	}
	return 0;
}
