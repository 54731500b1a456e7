/* report_int.h — private to the report writers (src/analyze/report*.c).
 *
 *   report.c         the pieces every format shares (verdict words, the
 *                    Result and Program lines, quantities, evidence), the
 *                    gate's exit status and the entry points
 *   report_text.c    the text layout (docs/design.md, "Assertions")
 *   report_json.c    one JSON object
 *   report_junit.c   JUnit XML
 *   report_github.c  GitHub workflow commands
 *
 * Every format renders into one sbuf (src/util/sbuf.h); an append that
 * runs out of memory sets its sticky oom flag. */
#ifndef RENACER_REPORT_INT_H
#define RENACER_REPORT_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "report.h"
#include "sbuf.h"

/* "PASS", "FAIL", "WARN", "SKIP", "ERROR". */
const char *report_verdict_word(enum verdict v);
/* The assertion's name ("?" when unknown) and type name. */
const char *report_name(const struct assertion_result *r);
const char *report_type(const struct assertion_result *r);
/* ps says how the program ended (not NULL, not PROG_NONE). */
bool report_program_known(const struct program_status *ps);
/* "exit status 3, expected 0", "killed by SIGSEGV (core dumped), expected
 * exit status 0", ...: what the Program line and the machine formats say. */
void report_put_program(struct sbuf *b, const struct program_status *ps);
/* "PASS" or "FAIL" for totals t. */
const char *report_result_word(const struct report_totals *t);
/* "Result: FAIL (3 passed, 1 failed, 1 warning, 1 skipped)\n" */
void report_put_result_line(struct sbuf *b, const struct report_totals *t);
/* How far past the budget, in percent of the budget (positive = worse).
 * false when it cannot be expressed (zero or non-finite budget). */
bool report_regression_pct(const struct assertion_result *r, double *pct);
/* Both actual and budget are finite. */
bool report_has_numbers(const struct assertion_result *r);
/* Append s with every control character replaced by repl (one line). */
void report_put_line(struct sbuf *b, const char *s, char repl);
/* The last lines: how each program ended, where known ("Program: TRACE:
 * ..." with several traces). */
void report_put_program_lines(struct sbuf *b, const struct report_set *sets, size_t nsets);
/* Evidence lines, each indented by indent. */
void report_put_evidence(struct sbuf *b, const char *ev, const char *indent);
/* The Actual/Budget/Regression lines of a FAIL (or a WARN in JUnit). */
void report_put_numbers(struct sbuf *b, const struct assertion_result *r, const char *indent);
/* The lines of a FAIL block below its header (optionally preceded by the
 * summary), as a malloc'd string; NULL when out of memory. */
char *report_fail_body(const struct assertion_result *r, bool with_summary);

/* The formats. */
void report_render_text(struct sbuf *b, const struct report_set *sets, size_t nsets);
void report_render_json(struct sbuf *b, const char *config_path, const struct report_set *sets, size_t nsets);
void report_render_junit(struct sbuf *b, const char *config_path, const struct report_set *sets, size_t nsets);
void report_render_github(struct sbuf *b, const struct report_set *sets, size_t nsets);

#endif
