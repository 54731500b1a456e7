/* report.h — render assertion results (docs/design.md, "Assertions") for
 * people and for CI.
 *
 * Formats:
 *   text    the documented layout: one PASS/WARN/SKIP line per assertion, a
 *           FAIL/ERROR block with Actual/Budget/Regression and evidence
 *           lines indented 6 spaces, then
 *           "Result: PASS|FAIL (N passed, N failed, N warning(s), N skipped)"
 *           (", N error(s)" is added only when there are errors), then,
 *           where the program's end is known, the last line(s):
 *           "Program: exit status 0", "Program: exit status 3, expected 0",
 *           "Program: exit status 3 (expected)" (with expect_exit = 3),
 *           "Program: killed by SIGSEGV (core dumped), expected exit status 0",
 *           "Program: exit status unknown (its end was not seen), expected 0";
 *           with several traces each is "Program: TRACE: ...". Result is
 *           FAIL when the program failed, even with every assertion passed.
 *   json    one object: {"format":"renacer-c-assert","result","exit_code",
 *           "config","totals":{...},"traces":[{"trace","result","totals",
 *           "program"}],"results":[{...,"trace",...}]}; "program" is null
 *           or {"status":"exited"|"killed"|"unknown","exit_code","signal",
 *           "core_dumped","expect_exit","ok"}.
 *   junit   <testsuites> with one <testsuite> per trace and one <testcase>
 *           per assertion: <failure> for FAIL and ERROR, <skipped/> for
 *           SKIP, WARN passes with a <system-out>; where the program's end
 *           is known, one more <testcase name="program exit status"
 *           classname="renacer.program">, a <failure> when it failed.
 *   github  workflow commands: ::error for FAIL/ERROR, ::warning for WARN
 *           (file=,line= only when the result has a source location), then
 *           a plain "Result: ..." line and the "Program: ..." line(s) (a
 *           failed program is also an ::error).
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
	const struct program_status *program;   /* how the program ended; NULL: not known (PROG_NONE) */
};

struct report_totals {
	size_t passed, failed, warnings, skipped, errors;
	size_t programs_failed;  /* sets whose program failed (program_failed) */
};

void report_count(const struct report_set *sets, size_t nsets, struct report_totals *t);

/* The gate (enum rc_exit, diag.h): RC_PROGRAM (4) when any set's program
 * failed (program_failed), else RC_BAD_TRACE (3) when any result is
 * V_ERROR, else RC_FAIL (1) when any is V_FAIL, else RC_OK (warnings and
 * skips pass). */
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
