/* fuzz_toml.c — libFuzzer target for the TOML parser (src/analyze/toml.h).
 *
 * The input is parsed as a document; a tree is walked completely (every
 * key, string, array element) so that dangling or half-built nodes show up
 * under ASan, then freed. On error the message must be one line. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "toml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t sink_bytes;

static void walk(const struct toml_value *v, unsigned depth)
{
	if (!v)
		fuzz_broken("toml_parse", "NULL value in the tree");
	if (depth > TOML_MAX_DEPTH + 2)
		fuzz_broken("toml_parse", "nesting deeper than TOML_MAX_DEPTH");
	switch (v->type) {
	case TOML_TABLE:
		for (size_t i = 0; i < toml_table_len(v); i++) {
			const struct toml_kv *kv = toml_table_at(v, i);
			if (!kv || kv->name[kv->len] != '\0')
				fuzz_broken("toml_parse", "key missing or not NUL-terminated");
			/* the hashed lookup must find the key it lists (first
			 * match by name: keys are unique in a table) */
			if (toml_table_getn(v, kv->name, kv->len) != kv->value)
				fuzz_broken("toml_parse", "lookup does not find a listed key");
			sink_bytes += kv->len;
			walk(kv->value, depth + 1);
		}
		break;
	case TOML_ARRAY:
		for (size_t i = 0; i < toml_array_len(v); i++)
			walk(toml_array_at(v, i), depth + 1);
		break;
	case TOML_STRING: {
		const char *s;
		size_t len;
		if (!toml_get_string(v, &s, &len) || s[len] != '\0')
			fuzz_broken("toml_parse", "string not NUL-terminated");
		sink_bytes += len;
		break;
	}
	case TOML_INTEGER:
	case TOML_FLOAT:
	case TOML_BOOL:
		break;
	default:
		fuzz_broken("toml_parse", "unknown value type");
	}
	(void)toml_type_name(v->type);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct toml_error err;
	struct toml_value *root = toml_parse((const char *)data, size, "fuzz.toml", &err);
	if (root) {
		if (root->type != TOML_TABLE)
			fuzz_broken("toml_parse", "root is not a table");
		walk(root, 0);
		toml_free(root);
	} else {
		char msg[8192];
		toml_error_format(&err, msg, sizeof msg);
		if (err.msg[0] == '\0')
			fuzz_broken("toml_parse", "empty message");
		fuzz_one_line("toml_parse", msg);
	}
	return 0;
}
