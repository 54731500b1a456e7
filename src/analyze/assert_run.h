/* assert_run.h — evaluate a loaded renacer.toml over finished metrics and
 * write the report: the one code path behind `renacer-c assert TRACE...`
 * and the live `renacer-c --assert FILE -- CMD`.
 *
 * Live use (main.c):
 *
 *     char err[1024];
 *     struct config *cfg = config_load(path, err, sizeof err);
 *     if (!cfg) { fprintf(stderr, "renacer-c: %s\n", err); return 5; }
 *     struct metrics *m = metrics_new(cfg);
 *     struct sink *ms = metrics_sink(m);    // add to the tracer's sinks
 *     ... trace; the tracer calls ms->finish ...
 *     struct program_status ps;
 *     assert_program_status(&ps, cfg, launched, main_done, main_wstatus);
 *     struct report_opts ro = {.format = REPORT_TEXT, .output = NULL};
 *     int gate = assert_evaluate_and_report(cfg, m, NULL, &ps, &ro);
 *     ms->destroy(ms->self);                // frees m
 *     config_free(cfg);
 *
 * Ownership: nothing is kept; cfg and m stay the caller's. */
#ifndef RENACER_ASSERT_RUN_H
#define RENACER_ASSERT_RUN_H

#include "config.h"
#include "report.h"

struct metrics;

/* Evaluate every assertion of cfg over m (whose sink has finished) and
 * write the report as ro says (label: the trace path shown in reports,
 * NULL for a live run; ps: how the program ended, NULL when not known).
 * Returns the gate's exit status: 0 pass (warnings allowed), 1 a gating
 * failure, 3 an assertion could not be evaluated (unreadable golden
 * baseline), 4 the program failed (program_failed: a status other than
 * cfg's expect_exit, a signal, an end not seen); also 1 when out of
 * memory or when the report could not be written (message on stderr). */
int assert_evaluate_and_report(const struct config *cfg, struct metrics *m, const char *label,
			       const struct program_status *ps, const struct report_opts *ro);

/* How a live run's program ended: PROG_NONE when nothing was launched
 * (attach mode), PROG_UNKNOWN when its end was not seen (done false),
 * else from its wait(2) status; expect_exit from cfg (default 0). */
void assert_program_status(struct program_status *ps, const struct config *cfg, bool launched, bool done,
			   int wstatus);

#endif
