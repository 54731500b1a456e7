/* assert_run.h — evaluate a loaded renacer.toml over a measured program and
 * write the report: the one code path behind the live
 * `renacer-c --assert FILE -- CMD` and the offline
 * `renacer-c assert TRACE...` (docs/design.md, "Assertions").
 *
 * Live use (main.c): the metrics sink rides along with the tracer's
 * other sinks, then
 *
 *     char err[1024];
 *     struct config *cfg = config_load(path, err, sizeof err);
 *     if (!cfg) { diag("%s", err); return RC_CONFIG; }
 *     struct metrics *m = metrics_new(cfg);
 *     struct sink *ms = metrics_sink(m);    // add to the tracer's sinks
 *     ... trace; the tracer calls ms->finish ...
 *     struct program_status ps;
 *     assert_program_status(&ps, cfg, launched, ended, wstatus);
 *     struct report_opts ro = {.format = REPORT_TEXT, .output = NULL};
 *     int gate = assert_evaluate_and_report(cfg, m, NULL, &ps, &ro);
 *     ms->destroy(ms->self);                // frees m
 *     config_free(cfg);
 *
 * Offline use (cmd_assert.c):
 *
 *     int status = assert_run_traces(cfg, paths, npaths, &ro);
 *
 * Exit statuses are enum rc_exit (diag.h): RC_OK pass (warnings
 * allowed), RC_FAIL a gating failure (also out of memory, or a report
 * that could not be written), RC_BAD_TRACE an unreadable trace or golden
 * baseline, RC_PROGRAM the program failed (program_failed: a status other
 * than cfg's expect_exit, a signal, an end not seen). Messages go to
 * stderr (diag).
 *
 * Ownership: nothing is kept; cfg and m stay the caller's. */
#ifndef RENACER_ASSERT_RUN_H
#define RENACER_ASSERT_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "report.h"
#include "verdict.h"

struct intern_tab;
struct metrics;

/* Evaluate every assertion of cfg over m (whose sink has finished) and
 * write the report as ro says (label: the trace path shown in reports,
 * NULL for a live run; ps: how the program ended, NULL when not known).
 * Returns the gate's exit status. */
int assert_evaluate_and_report(const struct config *cfg, struct metrics *m, const char *label,
			       const struct program_status *ps, const struct report_opts *ro);

/* How a live run's program ended: PROG_NONE when nothing was launched
 * (attach mode), PROG_UNKNOWN when its end was not seen (done false),
 * else from its wait(2) status; expect_exit from cfg (default 0). */
void assert_program_status(struct program_status *ps, const struct config *cfg, bool launched, bool done,
			   int wstatus);

/* One saved trace, measured and evaluated. */
struct assert_trace {
	const char *path;               /* borrowed */
	struct assertion_result *res;   /* one per assertion of the config; owned */
	size_t n;
	struct program_status prog;     /* PROG_NONE when the trace does not say */
	struct intern_tab *strs;        /* the results' src_file strings (owned) */
};

/* Read the saved trace at path through the metrics sink, evaluate cfg
 * over it and find how its program ended (from the process table, for a
 * trace of a launched command). Returns RC_OK with the results in *t, or
 * RC_BAD_TRACE (unreadable or invalid trace) or RC_FAIL (out of memory),
 * with a message on stderr. Release *t with assert_trace_free in every
 * case. */
int assert_run_trace(const struct config *cfg, const char *path, struct assert_trace *t);
void assert_trace_free(struct assert_trace *t);

/* `renacer-c assert`: each of the n traces measured and evaluated on its
 * own (assert_run_trace), one report over those that could be read,
 * written as ro says. Returns the worst exit status of the traces and of
 * the gate. */
int assert_run_traces(const struct config *cfg, const char *const *paths, size_t n, const struct report_opts *ro);

#endif
