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
 *     struct report_opts ro = {.format = REPORT_TEXT, .output = NULL};
 *     int gate = assert_evaluate_and_report(cfg, m, NULL, &ro);
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
 * NULL for a live run). Returns the gate's exit status: 0 pass (warnings
 * allowed), 1 a gating failure, 3 an assertion could not be evaluated
 * (unreadable golden baseline); also 1 when out of memory or when the
 * report could not be written (message on stderr). */
int assert_evaluate_and_report(const struct config *cfg, struct metrics *m, const char *label,
			       const struct report_opts *ro);

#endif
