/* trace_fields.c — typed access to the fields of a JSON trace, and the
 * reader's error message. */
#include "trace_reader_int.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Messages                                                            */

void reader_error(struct reader *r, unsigned long line, const char *fmt, ...)
{
	if (!r->err || r->errlen == 0)
		return;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line)
		snprintf(r->err, r->errlen, "%s:%lu: %s", r->path, line, msg);
	else
		snprintf(r->err, r->errlen, "%s: %s", r->path, msg);
}

struct shown reader_show(const char *v)
{
	struct shown out;
	size_t i = 0;
	for (; v && v[i] && i < 40; i++) {
		unsigned char c = (unsigned char)v[i];
		out.s[i] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}
	if (v && v[i]) {
		memcpy(out.s + i, "...", 3);
		i += 3;
	}
	out.s[i] = '\0';
	return out;
}

const char *reader_type_name(const cJSON *it)
{
	if (cJSON_IsString(it))
		return "a string";
	if (cJSON_IsNumber(it))
		return "a number";
	if (cJSON_IsBool(it))
		return "a boolean";
	if (cJSON_IsNull(it))
		return "null";
	if (cJSON_IsArray(it))
		return "an array";
	if (cJSON_IsObject(it))
		return "an object";
	return "invalid";
}

/* ------------------------------------------------------------------ */
/* Typed field access. Each returns 0 when the key is absent (or null,
 * where allowed: *present tells), 1 when read, -1 with msg on a wrong
 * type. */

const cJSON *reader_field(const cJSON *obj, const char *key)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
	return it;
}

int reader_want_int(const cJSON *obj, const char *key, double lo, double hi, double *out, char *msg,
		    size_t msglen)
{
	const cJSON *it = reader_field(obj, key);
	if (!it || cJSON_IsNull(it))
		return 0;
	if (!cJSON_IsNumber(it)) {
		snprintf(msg, msglen, "\"%s\" must be an integer, not %s", key, reader_type_name(it));
		return -1;
	}
	double v = it->valuedouble;
	if (!isfinite(v) || floor(v) != v) {
		snprintf(msg, msglen, "\"%s\" must be an integer", key);
		return -1;
	}
	if (v < lo || v > hi) {
		snprintf(msg, msglen, "\"%s\" is out of range", key);
		return -1;
	}
	*out = v;
	return 1;
}

int reader_want_u64(const cJSON *obj, const char *key, uint64_t *out, char *msg, size_t msglen)
{
	double v;
	int rc = reader_want_int(obj, key, 0, D2_64, &v, msg, msglen);
	if (rc == 1)
		*out = v >= D2_64 ? UINT64_MAX : (uint64_t)v;
	return rc;
}

int reader_want_long(const cJSON *obj, const char *key, long *out, char *msg, size_t msglen)
{
	double v;
	int rc = reader_want_int(obj, key, -D2_63, D2_63, &v, msg, msglen);
	if (rc == 1)
		*out = v >= D2_63 ? LONG_MAX : (long)v;
	return rc;
}

int reader_want_i32(const cJSON *obj, const char *key, int *out, char *msg, size_t msglen)
{
	double v;
	int rc = reader_want_int(obj, key, (double)INT_MIN, (double)INT_MAX, &v, msg, msglen);
	if (rc == 1)
		*out = (int)v;
	return rc;
}

int reader_want_str(const cJSON *obj, const char *key, const char **out, char *msg, size_t msglen)
{
	const cJSON *it = reader_field(obj, key);
	if (!it || cJSON_IsNull(it))
		return 0;
	if (!cJSON_IsString(it) || !it->valuestring) {
		snprintf(msg, msglen, "\"%s\" must be a string, not %s", key, reader_type_name(it));
		return -1;
	}
	*out = it->valuestring;
	return 1;
}

int reader_want_bool(const cJSON *obj, const char *key, bool *out, char *msg, size_t msglen)
{
	const cJSON *it = reader_field(obj, key);
	if (!it || cJSON_IsNull(it))
		return 0;
	if (!cJSON_IsBool(it)) {
		snprintf(msg, msglen, "\"%s\" must be true or false, not %s", key, reader_type_name(it));
		return -1;
	}
	*out = cJSON_IsTrue(it);
	return 1;
}

/* "0x1f", "31", "-1" (two's complement) -> value. */
bool reader_parse_num(const char *s, uint64_t *out)
{
	if (!s || !*s)
		return false;
	const char *p = s;
	bool neg = false;
	if (*p == '-') {
		neg = true;
		p++;
	}
	if (*p < '0' || *p > '9')
		return false;
	errno = 0;
	char *end;
	unsigned long long v = strtoull(p, &end, 0);
	if (errno || *end)
		return false;
	*out = neg ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	return true;
}

/* A 64-bit value written as a hex string (or, leniently, a number). */
int reader_want_addr(const cJSON *it, const char *key, uint64_t *out, char *msg, size_t msglen)
{
	if (cJSON_IsString(it)) {
		if (!reader_parse_num(it->valuestring, out)) {
			snprintf(msg, msglen, "\"%s\" is not a number: \"%s\"", key, reader_show(it->valuestring).s);
			return -1;
		}
		return 1;
	}
	if (cJSON_IsNumber(it)) {
		double v = it->valuedouble;
		if (!isfinite(v) || floor(v) != v || v < -D2_63 || v >= D2_64) {
			snprintf(msg, msglen, "\"%s\" is out of range", key);
			return -1;
		}
		*out = v < 0 ? (uint64_t)(int64_t)v : (uint64_t)v;
		return 1;
	}
	snprintf(msg, msglen, "\"%s\" must be a hex string, not %s", key, reader_type_name(it));
	return -1;
}
