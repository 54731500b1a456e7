/* json_out.h — small helpers to write JSON text into an obuf.
 * No allocation; output is always valid UTF-8 JSON: bytes that are not
 * valid UTF-8 are written as \u00XX escapes of the byte value (so the
 * text round-trips losslessly as Latin-1 code points). */
#ifndef RENACER_JSON_OUT_H
#define RENACER_JSON_OUT_H

#include <stddef.h>
#include <string.h>
#include "obuf.h"

/* Append a quoted JSON string. */
void json_put_str(struct obuf *ob, const char *s, size_t len);

/* Append a quoted JSON string, or null for NULL. */
static inline void json_put_cstr(struct obuf *ob, const char *s)
{
	if (s)
		json_put_str(ob, s, strlen(s));
	else
		obuf_puts(ob, "null");
}

#endif
