/* report.h — render assertion results (SPEC §8) for people and for CI.
 *
 * Formats:
 *   text    the SPEC §8 layout: one PASS/WARN/SKIP line per assertion, a
 *           FAIL/ERROR block with Actual/Budget/Regression and evidence
 *           lines indented 6 spaces, then
 *           "Result: PASS|FAIL (N passed, N failed, N warning(s), N skipped)"
 *           (", N error(s)" is added only when there are errors).
 *   json    one object: {"format":"renacer-c-assert","result","exit_code",
 *           "config","totals":{...},"results":[{...,"trace",...}]}.
 *   junit   <testsuites> with one <testsuite> per trace and one <testcase>
 *           per assertion: <failure> for FAIL and ERROR, <skipped/> for
 *           SKIP, WARN passes with a <system-out>.
 *   github  workflow commands: ::error for FAIL/ERROR, ::warning for WARN
 *           (file=,line= only when the result has a source location), then
 *           a plain "Result: ..." line.
 *
 * Several result sets (one per trace) may be rendered together; with more
 * than one the text format heads each block with "Trace: PATH" and the
 * final Result line counts all of them.
 *
 * Ownership: report_render returns a malloc'd string the caller frees;
 * nothing here keeps the results. */
#ifndef RENACER_REPORT_H
#define RENACER_REPORT_H

#include <stddef.h>
#include "verdict.h"

enum report_format { REPORT_TEXT, REPORT_JSON, REPORT_JUNIT, REPORT_GITHUB };

/* "text", "json", "junit", "github" → 0; anything else → -1. */
int report_format_parse(const char *s, enum report_format *out);
const char *report_format_name(enum report_format f);

/* The results of one trace (or of the live run). */
struct report_set {
	const char *trace;                      /* label, e.g. the trace path; NULL for a live run */
	const struct assertion_result *results; /* n entries (may be NULL when n == 0) */
	size_t n;
};

struct report_totals {
	size_t passed, failed, warnings, skipped, errors;
};

void report_count(const struct report_set *sets, size_t nsets, struct report_totals *t);

/* The gate: 3 when any result is V_ERROR, else 1 when any is V_FAIL,
 * else 0 (warnings and skips pass). */
int report_exit_code(const struct report_set *sets, size_t nsets);

/* The whole report as a NUL-terminated malloc'd string (*len set when
 * len is non-NULL), or NULL when out of memory. config_path may be NULL. */
char *report_render(enum report_format fmt, const char *config_path, const struct report_set *sets,
		    size_t nsets, size_t *len);

/* Where a report goes. */
struct report_opts {
	enum report_format format;
	const char *output;     /* file written atomically (writer.h), or NULL for stderr */
};

/* Render and write. Returns 0, or -1 with a message on stderr. */
int report_write(const struct report_opts *ro, const char *config_path, const struct report_set *sets,
		 size_t nsets);

#endif
