/* assert_run.c — the assertions of a renacer.toml run over a measured
 * program and written as a report: the one path behind the live
 * `--assert` and the offline `renacer-c assert` (assert_run.h; see
 * docs/design.md, "Assertions" and "Exit statuses").
 *
 * Offline, a saved trace is read into the metrics sink
 * (metrics_read_trace, which also takes the trace's explicit GPU spans)
 * next to a small sink that keeps the process table: the program's end
 * comes from it. For a launched command (meta.command present) the main
 * process is the one whose ppid is not another traced process (the
 * earliest to start if several). An attach-mode trace, or one without a
 * process table, has no program to judge. */
#include "assert_run.h"

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "diag.h"
#include "intern.h"
#include "metrics.h"
#include "trace_reader.h"
#include "vec.h"

/* ------------------------------------------------------------------ */
/* Evaluation and the report                                           */

void assert_program_status(struct program_status *ps, const struct config *cfg, bool launched, bool done,
			   int wstatus)
{
	memset(ps, 0, sizeof(*ps));
	ps->expect_exit = cfg ? cfg->expect_exit : 0;
	if (!launched)
		ps->end = PROG_NONE;
	else if (!done)
		ps->end = PROG_UNKNOWN;
	else if (WIFEXITED(wstatus)) {
		ps->end = PROG_EXITED;
		ps->code = WEXITSTATUS(wstatus);
	} else if (WIFSIGNALED(wstatus)) {
		ps->end = PROG_KILLED;
		ps->signal = WTERMSIG(wstatus);
		ps->core_dumped = WCOREDUMP(wstatus);
	} else {
		ps->end = PROG_UNKNOWN;
	}
}

int assert_evaluate_and_report(const struct config *cfg, struct metrics *m, const char *label,
			       const struct program_status *ps, const struct report_opts *ro)
{
	struct assertion_result *res = NULL;
	size_t n = 0;
	if (rules_evaluate(cfg, m, &res, &n) != 0) {
		diag("out of memory while evaluating assertions");
		return RC_FAIL;
	}
	struct report_set set = {.trace = label, .results = res, .n = n, .program = ps};
	int status = report_exit_code(&set, 1);
	if (report_write(ro, cfg ? cfg->path : NULL, &set, 1) != 0 && status == RC_OK)
		status = RC_FAIL;
	results_free(res, n);
	return status;
}

/* ------------------------------------------------------------------ */
/* The program's end, from a trace's process table                     */

struct proc_end {
	pid_t pid, ppid;
	uint64_t start_ns;
	bool exited;
	int code, signal;
	bool core_dumped;
};

/* A sink that keeps the process records (memory grows with processes). */
struct procs_sink {
	struct sink sink;
	struct proc_end *v;
	size_t n, cap;
	bool oom;
};

static void procs_end(void *self, const struct process_info *p)
{
	struct procs_sink *s = self;
	if (!vec_grow(&s->v, &s->cap, s->n + 1, sizeof(*s->v))) {
		s->oom = true;
		return;
	}
	s->v[s->n++] = (struct proc_end){.pid = p->pid, .ppid = p->ppid, .start_ns = p->start_ns,
					 .exited = p->exited, .code = p->exit_code, .signal = p->signal,
					 .core_dumped = p->core_dumped};
}

static void procs_destroy(void *self)
{
	struct procs_sink *s = self;
	free(s->v);
}

static int cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;
	return (x > y) - (x < y);
}

/* The launched command's process: a root (its ppid is no traced
 * process: the tracer launched it), the earliest to start when attached
 * children or orphans make several. NULL when there are no records
 * (*oom set when out of memory). */
static const struct proc_end *main_process(const struct procs_sink *s, bool *oom)
{
	if (!s->n)
		return NULL;
	pid_t *pids = malloc(s->n * sizeof(*pids));
	if (!pids) {
		*oom = true;
		return NULL;
	}
	for (size_t i = 0; i < s->n; i++)
		pids[i] = s->v[i].pid;
	qsort(pids, s->n, sizeof(*pids), cmp_pid);
	const struct proc_end *best = NULL;
	for (size_t i = 0; i < s->n; i++) {
		const struct proc_end *p = &s->v[i];
		if (p->ppid != p->pid && bsearch(&p->ppid, pids, s->n, sizeof(*pids), cmp_pid))
			continue;
		if (!best || p->start_ns < best->start_ns)
			best = p;
	}
	free(pids);
	return best;
}

/* Fill t->prog from the records of a trace. Returns RC_OK, or RC_FAIL
 * when out of memory (message on stderr). */
static int program_from_trace(const struct config *cfg, const struct trace_summary *ts,
			      const struct procs_sink *ps, struct assert_trace *t)
{
	assert_program_status(&t->prog, cfg, false, false, 0);
	if (!ts->command)
		return RC_OK; /* attach mode, or not a renacer-c trace: nothing to judge */
	bool oom = false;
	const struct proc_end *p = main_process(ps, &oom);
	if (oom || ps->oom) {
		diag("out of memory");
		return RC_FAIL;
	}
	if (!p)
		return RC_OK;
	if (p->exited) {
		t->prog.end = PROG_EXITED;
		t->prog.code = p->code;
	} else {
		t->prog.end = PROG_KILLED;
		t->prog.signal = p->signal;
		t->prog.core_dumped = p->core_dumped;
	}
	return RC_OK;
}

/* ------------------------------------------------------------------ */
/* Saved traces                                                        */

/* The results' source locations point into the metrics, which go before
 * the report is written: give t its own copies. 0, or -1 on OOM. */
static int keep_sources(struct assert_trace *t)
{
	for (size_t i = 0; i < t->n; i++) {
		if (!t->res[i].src_file)
			continue;
		if (!t->strs && !(t->strs = intern_new()))
			return -1;
		const char *c = intern(t->strs, t->res[i].src_file);
		if (!c)
			return -1;
		t->res[i].src_file = c;
	}
	return 0;
}

int assert_run_trace(const struct config *cfg, const char *path, struct assert_trace *t)
{
	memset(t, 0, sizeof(*t));
	t->path = path;
	struct metrics *m = metrics_new(cfg);
	if (!m) {
		diag("out of memory");
		return RC_FAIL;
	}
	struct sink *s = metrics_sink(m);
	struct procs_sink procs = {.sink = {.self = &procs, .process_end = procs_end, .destroy = procs_destroy}};
	struct sink *extra = &procs.sink;
	struct trace_summary ts;
	char err[1024];
	int status = RC_OK;
	int rc = metrics_read_trace(m, path, &extra, 1, &ts, err, sizeof(err));
	if (rc != TRACE_OK) {
		diag("%s", err);
		status = rc == TRACE_ERR_NOMEM ? RC_FAIL : RC_BAD_TRACE;
	} else {
		struct run_info ri;
		trace_summary_run_info(&ts, &ri);
		if (s->finish(s->self, &ri) != 0) {
			status = RC_FAIL; /* the sink said why */
		} else if (rules_evaluate(cfg, m, &t->res, &t->n) != 0) {
			diag("out of memory while evaluating assertions");
			status = RC_FAIL;
		} else if (keep_sources(t) != 0) {
			diag("out of memory");
			status = RC_FAIL;
		} else {
			status = program_from_trace(cfg, &ts, &procs, t);
		}
	}
	trace_summary_free(&ts);
	s->destroy(s->self);
	procs_destroy(&procs);
	return status;
}

void assert_trace_free(struct assert_trace *t)
{
	if (!t)
		return;
	results_free(t->res, t->n);
	intern_free(t->strs);
	t->res = NULL;
	t->n = 0;
	t->strs = NULL;
}

int assert_run_traces(const struct config *cfg, const char *const *paths, size_t n, const struct report_opts *ro)
{
	struct assert_trace *te = calloc(n ? n : 1, sizeof(*te));
	struct report_set *sets = calloc(n ? n : 1, sizeof(*sets));
	if (!te || !sets) {
		diag("out of memory");
		free(te);
		free(sets);
		return RC_FAIL;
	}
	int status = RC_OK;
	size_t nsets = 0;
	for (size_t i = 0; i < n; i++) {
		int rc = assert_run_trace(cfg, paths[i], &te[i]);
		if (rc > status)
			status = rc;
		if (rc == RC_OK)
			sets[nsets++] = (struct report_set){.trace = te[i].path, .results = te[i].res, .n = te[i].n,
							    .program = &te[i].prog};
	}
	if (nsets) {
		int gate = report_exit_code(sets, nsets);
		if (gate > status)
			status = gate;
		if (report_write(ro, cfg->path, sets, nsets) != 0 && status == RC_OK)
			status = RC_FAIL;
	}
	for (size_t i = 0; i < n; i++)
		assert_trace_free(&te[i]);
	free(te);
	free(sets);
	return status;
}
