/* cmd_assert.c — `renacer-c assert [--config FILE] [--format FMT]
 * [-o REPORT] TRACE.json...`: evaluate renacer.toml over saved traces
 * (SPEC §8), with the same metrics sink and rules a live --assert run
 * uses (assert_evaluate_and_report is that shared path).
 *
 * Each trace is measured and evaluated on its own; one report covers
 * them all and the exit status is the worst: 0 pass (warnings allowed),
 * 1 a gating failure, 2 usage, 3 an unreadable/invalid trace or baseline,
 * 4 a traced program that failed (exit status other than expect_exit, or
 * killed by a signal), 5 a configuration error.
 *
 * The program's end comes from the trace's process table: for a launched
 * command (meta.command present) the main process is the one whose ppid
 * is not another traced process (the earliest to start if several). An
 * attach-mode trace, or one without a process table, has no program to
 * judge. */
#include "commands.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "assert_run.h"
#include "config.h"
#include "report.h"
#include "rules.h"
#include "optparse.h"
#include "trace_reader.h"


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
		fprintf(stderr, "renacer-c: out of memory while evaluating assertions\n");
		return 1;
	}
	struct report_set set = {.trace = label, .results = res, .n = n, .program = ps};
	int status = report_exit_code(&set, 1);
	if (report_write(ro, cfg ? cfg->path : NULL, &set, 1) != 0 && status == 0)
		status = 1;
	results_free(res, n);
	return status;
}

struct trace_eval {
	const char *path;
	struct assertion_result *res;
	size_t n;
	struct program_status prog;   /* PROG_NONE when the trace does not say */
};

/* ------------------------------------------------------------------ */
/* The program's end, from the trace's process table                  */

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
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct proc_end *v = realloc(s->v, cap * sizeof(*v));
		if (!v) {
			s->oom = true;
			return;
		}
		s->v = v;
		s->cap = cap;
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

/* Fill te->prog from the records, for a trace of a launched command. */
static int program_from_trace(const struct config *cfg, const struct trace_summary *ts,
			      const struct procs_sink *ps, struct trace_eval *te)
{
	assert_program_status(&te->prog, cfg, false, false, 0);
	if (!ts->command)
		return 0; /* attach mode, or not a renacer-c trace: nothing to judge */
	bool oom = false;
	const struct proc_end *p = main_process(ps, &oom);
	if (oom || ps->oom) {
		fprintf(stderr, "renacer-c: out of memory\n");
		return 1;
	}
	if (!p)
		return 0;
	if (p->exited) {
		te->prog.end = PROG_EXITED;
		te->prog.code = p->code;
	} else {
		te->prog.end = PROG_KILLED;
		te->prog.signal = p->signal;
		te->prog.core_dumped = p->core_dumped;
	}
	return 0;
}

/* Measure and evaluate one trace. Returns 0 (results in *te), 3 when the
 * trace cannot be read, 1 when out of memory. */
static int eval_trace(const struct config *cfg, struct trace_eval *te)
{
	struct metrics *m = metrics_new(cfg);
	if (!m) {
		fprintf(stderr, "renacer-c: out of memory\n");
		return 1;
	}
	struct sink *s = metrics_sink(m);
	if (!s) {
		metrics_free(m);
		fprintf(stderr, "renacer-c: out of memory\n");
		return 1;
	}
	struct procs_sink procs = {.sink = {.self = &procs, .process_end = procs_end, .destroy = procs_destroy}};
	struct sink *sinks[2] = {s, &procs.sink};
	struct trace_summary ts;
	char err[1024];
	int status = 0;
	int rc = trace_read_file(te->path, sinks, 2, &ts, err, sizeof(err));
	if (rc != TRACE_OK) {
		fprintf(stderr, "renacer-c: %s\n", err);
		status = rc == TRACE_ERR_NOMEM ? 1 : 3;
	} else if (metrics_add_gpu_spans(m, ts.gpu, ts.ngpu) != 0) {
		fprintf(stderr, "renacer-c: out of memory\n");
		status = 1;
	} else {
		struct run_info ri;
		trace_summary_run_info(&ts, &ri);
		if (s->finish(s->self, &ri) != 0) {
			status = 1;
		} else if (rules_evaluate(cfg, m, &te->res, &te->n) != 0) {
			fprintf(stderr, "renacer-c: out of memory while evaluating assertions\n");
			status = 1;
		} else {
			status = program_from_trace(cfg, &ts, &procs, te);
		}
	}
	trace_summary_free(&ts);
	s->destroy(s->self);
	procs_destroy(&procs);
	return status;
}

struct assert_args {
	const char *config;
	struct report_opts *ro;
	const char **traces;
	size_t n;
};

static enum optp_result assert_opt(void *ctx, const struct opt_def *d, const char *v, const char *as)
{
	struct assert_args *a = ctx;
	if (!d) {
		a->traces[a->n++] = v;
		return OPTP_OK;
	}
	switch (d->id) {
	case OPT_A_HELP:
		optp_help(OPTCMD_ASSERT, stdout);
		return OPTP_EXIT;
	case OPT_A_CONFIG:
		a->config = v;
		return OPTP_OK;
	case OPT_A_FORMAT:
		if (report_format_parse(v, &a->ro->format) != 0)
			return optp_usage(OPTCMD_ASSERT, "%s: unknown format '%s' (text, json, junit, github)", as, v);
		return OPTP_OK;
	case OPT_A_OUTPUT:
		if (!*v)
			return optp_usage(OPTCMD_ASSERT, "option '%s' requires an argument", as);
		a->ro->output = v;
		return OPTP_OK;
	default:
		return optp_usage(OPTCMD_ASSERT, "option '%s' is not handled", as);
	}
}

int cmd_assert(int argc, char **argv)
{
	const char *config_path = "./renacer.toml";
	struct report_opts ro = {.format = REPORT_TEXT, .output = NULL};

	const char **traces = calloc(argc > 0 ? (size_t)argc : 1, sizeof(*traces));
	if (!traces) {
		fprintf(stderr, "renacer-c: out of memory\n");
		return 1;
	}
	struct assert_args aa = { .config = config_path, .ro = &ro, .traces = traces, .n = 0 };
	struct optparse p = { .cmd = OPTCMD_ASSERT, .permute = true, .fn = assert_opt, .ctx = &aa };
	enum optp_result r = optp_parse(&p, argc, argv, NULL);
	if (r != OPTP_OK) {
		free(traces);
		if (r == OPTP_EXIT)
			return fflush(stdout) == 0 ? 0 : 1;
		return 2;
	}
	config_path = aa.config;
	size_t ntraces = aa.n;
	if (ntraces == 0) {
		free(traces);
		return optp_usage(OPTCMD_ASSERT, "%s", "missing TRACE.json");
	}

	char err[4608];
	struct config *cfg = config_load(config_path, err, sizeof(err));
	if (!cfg) {
		fprintf(stderr, "renacer-c: %s\n", err);
		free(traces);
		return 5;
	}

	struct trace_eval *te = calloc(ntraces, sizeof(*te));
	struct report_set *sets = calloc(ntraces, sizeof(*sets));
	if (!te || !sets) {
		fprintf(stderr, "renacer-c: out of memory\n");
		free(te);
		free(sets);
		free(traces);
		config_free(cfg);
		return 1;
	}
	int status = 0;
	size_t nsets = 0;
	for (size_t t = 0; t < ntraces; t++) {
		te[t].path = traces[t];
		int rc = eval_trace(cfg, &te[t]);
		if (rc > status)
			status = rc;
		if (rc == 0)
			sets[nsets++] = (struct report_set){.trace = te[t].path, .results = te[t].res, .n = te[t].n,
							    .program = &te[t].prog};
	}
	if (nsets) {
		int gate = report_exit_code(sets, nsets);
		if (gate > status)
			status = gate;
		if (report_write(&ro, cfg->path, sets, nsets) != 0 && status == 0)
			status = 1;
	}
	for (size_t t = 0; t < ntraces; t++)
		results_free(te[t].res, te[t].n);
	free(te);
	free(sets);
	free(traces);
	config_free(cfg);
	return status;
}
