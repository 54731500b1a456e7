/* fuzz_filter.c — libFuzzer target for -e expressions and durations
 * (src/filter/filter.h).
 *
 * The input, cut at NUL bytes into pieces (at most 4), is applied piece by
 * piece to one filter with filter_parse_expr, as repeated -e options would
 * be; every piece also goes through filter_parse_status and parse_duration.
 * Contracts checked: a refused expression leaves the filter unchanged and
 * comes with a one-line message. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool same(const struct filter *a, const struct filter *b)
{
	return memcmp(a->trace, b->trace, sizeof a->trace) == 0 &&
	       a->trace_unknown == b->trace_unknown && a->narrowed == b->narrowed &&
	       a->status == b->status && a->slower_than_ns == b->slower_than_ns;
}

static void check_err(const char *what, int rc, const char *err)
{
	if (rc != 0 && rc != -1)
		fuzz_broken(what, "returned neither 0 nor -1");
	if (rc == -1)
		fuzz_one_line(what, err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0; /* -e arguments are short; long regexes only slow regcomp */
	char *buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';

	struct filter f;
	filter_init(&f);
	char err[512];
	size_t off = 0;
	for (int piece = 0; piece < 4 && off <= size; piece++) {
		const char *expr = buf + off;
		size_t len = strlen(expr);

		struct filter before = f;
		err[0] = '\0';
		int rc = filter_parse_expr(&f, expr, err, sizeof err);
		check_err("filter_parse_expr", rc, err);
		if (rc != 0 && !same(&before, &f))
			fuzz_broken("filter_parse_expr", "a refused expression changed the filter");

		struct filter st = f;
		err[0] = '\0';
		rc = filter_parse_status(&st, expr, err, sizeof err);
		check_err("filter_parse_status", rc, err);
		if (rc != 0 && !same(&st, &f))
			fuzz_broken("filter_parse_status", "a refused set changed the filter");
		if (rc == 0 && (st.status & ~(unsigned)ST_ALL))
			fuzz_broken("filter_parse_status", "status bits outside ST_ALL");

		uint64_t ns = 12345;
		err[0] = '\0';
		rc = parse_duration(expr, &ns, err, sizeof err);
		check_err("parse_duration", rc, err);

		for (long nr = -1; nr <= FILTER_MAX_NR; nr += 97)
			(void)filter_traces(&f, nr);
		off += len + 1;
	}
	free(buf);
	return 0;
}
