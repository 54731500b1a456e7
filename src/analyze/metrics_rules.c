/* metrics_rules.c — every renacer.toml assertion type evaluated over a
 * struct metrics (docs/design.md, "Assertions"); summaries and evidence
 * for the report. */
#include "metrics.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "golden.h"
#include "sbuf.h"

/* Hand b's string over (NULL when nothing was appended); false on
 * out-of-memory. */
static bool take(struct sbuf *b, char **out)
{
	if (b->oom) {
		sbuf_free(b);
		*out = NULL;
		return false;
	}
	*out = b->p;
	*b = (struct sbuf)SBUF_INIT;
	return true;
}

/* "500", "0.5" */
static void fmt_num(char *buf, size_t n, double v)
{
	if (v == floor(v) && fabs(v) < 1e15)
		snprintf(buf, n, "%.0f", v);
	else
		snprintf(buf, n, "%g", v);
}

static void fmt_ms(char *buf, size_t n, double ms)
{
	if (ms != 0 && fabs(ms) < 1)
		snprintf(buf, n, "%.3f ms", ms);
	else
		snprintf(buf, n, "%.1f ms", ms);
}

static void fmt_bytes(char *buf, size_t n, double v)
{
	if (v >= 1024.0 * 1024 * 1024)
		snprintf(buf, n, "%.1f GiB", v / (1024.0 * 1024 * 1024));
	else if (v >= 1024.0 * 1024)
		snprintf(buf, n, "%.1f MiB", v / (1024.0 * 1024));
	else if (v >= 1024.0)
		snprintf(buf, n, "%.1f KiB", v / 1024.0);
	else
		snprintf(buf, n, "%.0f B", v);
}

/* " at FILE:LINE" or "" */
static void fmt_at(char *buf, size_t n, const char *file, unsigned line)
{
	if (file && line)
		snprintf(buf, n, " at %s:%u", file, line);
	else if (file)
		snprintf(buf, n, " at %s", file);
	else
		buf[0] = 0;
}

struct ctx {
	const struct config *cfg;
	struct metrics *m;
	struct sbuf sum, ev;
	bool oom;
};

static enum verdict violation_verdict(const struct assertion *a, bool violated)
{
	if (!violated)
		return V_PASS;
	return a->fail_on_violation ? V_FAIL : V_WARN;
}

static void not_applicable(struct assertion_result *r, struct sbuf *sum, const char *why)
{
	r->verdict = V_PASS;
	r->not_applicable = true;
	r->actual = NAN;
	sbuf_printf(sum, "not applicable: %s", why);
}

/* ------------------------------------------------------------------ */

static void eval_critical_path(struct ctx *c, const struct assertion *a, struct assertion_result *r)
{
	r->unit = "ms";
	r->budget = a->max_duration_ms;
	const regex_t *re = a->trace_name_pattern.set ? &a->trace_name_pattern.re : NULL;
	struct critical_path cp;
	int rc = metrics_critical_path(c->m, re, &cp);
	if (rc < 0) {
		c->oom = true;
		return;
	}
	if (rc > 0) {
		if (re) {
			char why[300];
			snprintf(why, sizeof(why), "no process matches trace_name_pattern \"%s\"",
				 a->trace_name_pattern.src ? a->trace_name_pattern.src : "");
			not_applicable(r, &c->sum, why);
		} else {
			not_applicable(r, &c->sum, "no processes in the trace");
		}
		return;
	}
	uint64_t wall = cp.end_ns - cp.start_ns;
	r->actual = (double)wall / 1e6;
	bool bad = r->actual > r->budget;
	r->verdict = violation_verdict(a, bad);
	char q[64], b[64];
	fmt_ms(q, sizeof(q), r->actual);
	fmt_ms(b, sizeof(b), r->budget);
	sbuf_printf(&c->sum, "%s %s %s (%zu process%s, %zu segment%s)", q, bad ? ">" : "<=", b, cp.nprocs,
	            cp.nprocs == 1 ? "" : "es", cp.nseg, cp.nseg == 1 ? "" : "s");

	const struct cp_segment *worst = NULL;
	const size_t show = 32;
	if (cp.nseg > 1)
		sbuf_printf(&c->ev, "Critical path (%zu segments, %s):", cp.nseg, q);
	for (size_t i = 0; i < cp.nseg; i++) {
		const struct cp_segment *s = &cp.seg[i];
		if (s->longest && s->src_file && (!worst || s->longest_ns > worst->longest_ns))
			worst = s;
		if (cp.nseg > show && i >= show - 1 && i < cp.nseg - 1) {
			if (i == show - 1)
				sbuf_printf(&c->ev, "\n  ... %zu more segments ...", cp.nseg - show);
			continue;
		}
		char d[64], l[64], at[300];
		fmt_ms(d, sizeof(d), (double)(s->end_ns - s->start_ns) / 1e6);
		if (cp.nseg == 1)
			sbuf_printf(&c->ev, "Critical path: pid %ld %s %s", (long)s->pid, s->exe, d);
		else
			sbuf_printf(&c->ev, "\n  pid %ld %s %s (+%.3f..+%.3f s)", (long)s->pid, s->exe, d,
			            (double)(s->start_ns - cp.start_ns) / 1e9, (double)(s->end_ns - cp.start_ns) / 1e9);
		if (s->longest) {
			fmt_ms(l, sizeof(l), (double)s->longest_ns / 1e6);
			fmt_at(at, sizeof(at), s->src_file, s->src_line);
			sbuf_printf(&c->ev, " (%s %s%s)", s->longest, l, at);
		}
	}
	if (worst) {
		r->src_file = worst->src_file;
		r->src_line = worst->src_line;
	}
	critical_path_free(&cp);
}

static void eval_span_count(struct ctx *c, const struct assertion *a, struct assertion_result *r)
{
	r->unit = "spans";
	r->budget = a->max_spans;
	const regex_t *re = a->span_name_pattern.set ? &a->span_name_pattern.re : NULL;
	uint64_t n = metrics_span_count(c->m, re);
	r->actual = (double)n;
	bool bad = r->actual > r->budget;
	r->verdict = violation_verdict(a, bad);
	char b[64];
	fmt_num(b, sizeof(b), r->budget);
	sbuf_printf(&c->sum, "%llu spans %s %s", (unsigned long long)n, bad ? ">" : "<=", b);
	if (re)
		sbuf_printf(&c->ev, "Completed syscalls matching span_name_pattern \"%s\": %llu",
		            a->span_name_pattern.src ? a->span_name_pattern.src : "", (unsigned long long)n);
}

static void eval_memory(struct ctx *c, const struct assertion *a, struct assertion_result *r)
{
	r->unit = "bytes";
	r->budget = a->max_bytes;
	char q[64], b[64];
	fmt_bytes(b, sizeof(b), r->budget);
	if (a->tracking_mode == TRACK_RSS) {
		struct rss_info ri;
		metrics_max_rss(c->m, &ri);
		if (!ri.maxrss_kb) {
			not_applicable(r, &c->sum, "the trace reports no maxrss (no process records)");
			return;
		}
		r->actual = (double)ri.maxrss_kb * 1024.0;
		bool bad = r->actual > r->budget;
		r->verdict = violation_verdict(a, bad);
		fmt_bytes(q, sizeof(q), r->actual);
		sbuf_printf(&c->sum, "maxrss %s %s %s (pid %ld %s)", q, bad ? ">" : "<=", b, (long)ri.pid,
		            ri.exe ? ri.exe : "?");
		sbuf_printf(&c->ev, "Largest maxrss: pid %ld %s %llu KiB", (long)ri.pid, ri.exe ? ri.exe : "?",
		            (unsigned long long)ri.maxrss_kb);
		return;
	}
	struct mem_peak mp;
	metrics_alloc_peak(c->m, &mp);
	r->actual = (double)mp.bytes;
	bool bad = r->actual > r->budget;
	r->verdict = violation_verdict(a, bad);
	fmt_bytes(q, sizeof(q), r->actual);
	sbuf_printf(&c->sum, "peak %s %s %s (live anonymous mappings + heap)", q, bad ? ">" : "<=", b);
	if (mp.bytes) {
		char at[300];
		fmt_at(at, sizeof(at), mp.src_file, mp.src_line);
		sbuf_printf(&c->ev, "Peak %s reached at +%.3f s by %s in pid %ld %s%s", q, (double)mp.ts_ns / 1e9,
		            mp.call ? mp.call : "?", (long)mp.pid, mp.exe ? mp.exe : "?", at);
		r->src_file = mp.src_file;
		r->src_line = mp.src_line;
	}
}

/* Confidence detectors: violation when confidence >= threshold. */
static void confidence_verdict(struct ctx *c, const struct assertion *a, struct assertion_result *r, double conf,
			       const char *detail)
{
	r->unit = "confidence";
	r->budget = a->threshold;
	r->actual = conf;
	bool bad = conf >= a->threshold;
	r->verdict = violation_verdict(a, bad);
	sbuf_printf(&c->sum, "confidence %.2f %s %.2f (%s)", conf, bad ? ">=" : "<", a->threshold, detail);
}

static void eval_god(struct ctx *c, const struct assertion *a, struct assertion_result *r, const regex_t *sel)
{
	struct god_info g;
	metrics_god_process(c->m, sel, &g);
	r->unit = "confidence";
	r->budget = a->threshold;
	if (g.nprocs < 2) {
		char why[128];
		snprintf(why, sizeof(why), "%zu process%s (GodProcess needs at least 2)", g.nprocs,
			 g.nprocs == 1 ? "" : "es");
		not_applicable(r, &c->sum, why);
		return;
	}
	if (!g.total_cpu_us) {
		not_applicable(r, &c->sum, "no CPU time recorded for the processes");
		return;
	}
	char d[256];
	snprintf(d, sizeof(d), "pid %ld %s: %.3f s of %.3f s CPU", (long)g.top_pid, g.top_exe,
		 (double)g.top_cpu_us / 1e6, (double)g.total_cpu_us / 1e6);
	confidence_verdict(c, a, r, g.confidence, d);
	sbuf_printf(&c->ev, "Busiest process: pid %ld %s holds %.1f%% of the CPU time of %zu processes", (long)g.top_pid,
	            g.top_exe, g.confidence * 100.0, g.nprocs);
}

static void eval_loop(struct ctx *c, const struct assertion *a, struct assertion_result *r, const regex_t *sel)
{
	uint64_t min_run = a->min_run >= 1 ? (uint64_t)a->min_run : 1000;
	struct loop_info l;
	metrics_tight_loop(c->m, sel, min_run, &l);
	r->unit = "confidence";
	r->budget = a->threshold;
	if (!l.calls) {
		not_applicable(r, &c->sum, "no syscalls");
		return;
	}
	char d[256];
	if (l.longest_name)
		snprintf(d, sizeof(d), "longest run: %s x%llu in tid %ld", l.longest_name,
			 (unsigned long long)l.longest, (long)l.longest_tid);
	else
		snprintf(d, sizeof(d), "no runs");
	confidence_verdict(c, a, r, l.confidence, d);
	char at[300];
	fmt_at(at, sizeof(at), l.src_file, l.src_line);
	sbuf_printf(&c->ev, "%llu of %llu calls are in runs of >= %llu identical calls; longest: %s x%llu in tid %ld%s",
	            (unsigned long long)l.in_runs, (unsigned long long)l.calls, (unsigned long long)min_run,
	      l.longest_name ? l.longest_name : "?", (unsigned long long)l.longest, (long)l.longest_tid, at);
	if (l.longest >= min_run) {
		r->src_file = l.src_file;
		r->src_line = l.src_line;
	}
}

static void eval_gpu(struct ctx *c, const struct assertion *a, struct assertion_result *r, const regex_t *sel)
{
	struct gpu_info g;
	metrics_gpu(c->m, sel, &g);
	r->unit = "confidence";
	r->budget = a->threshold;
	if (!g.have_spans && !g.have_fds) {
		not_applicable(r, &c->sum, "no GPU activity (no GPU device fds, no GPU spans)");
		return;
	}
	char d[512];
	if (g.have_spans) {
		char t[64], k[64];
		fmt_ms(t, sizeof(t), (double)g.transfer_ns / 1e6);
		fmt_ms(k, sizeof(k), (double)g.kernel_ns / 1e6);
		snprintf(d, sizeof(d), "GPU spans: transfer %s, kernel %s", t, k);
	} else {
		size_t o = (size_t)snprintf(d, sizeof(d), "GPU fds: ");
		for (size_t i = 0; i < g.npaths && o < sizeof(d); i++)
			o += (size_t)snprintf(d + o, sizeof(d) - o, "%s%s", i ? ", " : "", g.paths[i]);
		if (o < sizeof(d))
			snprintf(d + o, sizeof(d) - o, "; %llu ioctls", (unsigned long long)g.ioctls);
	}
	confidence_verdict(c, a, r, g.confidence, d);
	if (g.have_spans) {
		char t[64], k[64], by[64];
		fmt_ms(t, sizeof(t), (double)g.transfer_ns / 1e6);
		fmt_ms(k, sizeof(k), (double)g.kernel_ns / 1e6);
		fmt_bytes(by, sizeof(by), (double)g.transfer_bytes);
		sbuf_printf(&c->ev, "%zu transfers (%s, %s) vs %zu kernels (%s): transfer share %.2f", g.ntransfer, t, by,
		            g.nkernel, k, g.confidence);
	}
	if (g.have_fds) {
		char t[64], w[64];
		fmt_ms(t, sizeof(t), (double)g.gpu_ns / 1e6);
		fmt_ms(w, sizeof(w), (double)g.wall_ns / 1e6);
		sbuf_printf(&c->ev, "%spid %ld %s: %s of %s wall time in %llu syscalls on GPU fds (%llu ioctls)",
		            g.have_spans ? "\n" : "", (long)g.pid, g.exe, t, w, (unsigned long long)g.gpu_calls,
		      (unsigned long long)g.ioctls);
	}
}

static void eval_io(struct ctx *c, const struct assertion *a, struct assertion_result *r, const regex_t *sel)
{
	struct io_info io;
	metrics_io_rate(c->m, sel, &io);
	r->unit = "ops/s";
	r->budget = a->max_ops_per_sec;
	if (!io.nprocs) {
		not_applicable(r, &c->sum, "no processes");
		return;
	}
	if (!io.wall_ns) {
		not_applicable(r, &c->sum, "zero wall time");
		return;
	}
	r->actual = io.rate;
	bool bad = io.rate > a->max_ops_per_sec;
	r->verdict = violation_verdict(a, bad);
	double conf = a->max_ops_per_sec > 0 ? fmin(1.0, io.rate / a->max_ops_per_sec) : (io.rate > 0 ? 1.0 : 0.0);
	char b[64];
	fmt_num(b, sizeof(b), a->max_ops_per_sec);
	sbuf_printf(&c->sum, "%.1f I/O calls/s %s %s (%llu calls in %.3f s; confidence %.2f)", io.rate, bad ? ">" : "<=", b,
	            (unsigned long long)io.io_calls, (double)io.wall_ns / 1e9, conf);
	sbuf_printf(&c->ev, "%llu I/O calls over %.3f s of wall time in %zu process%s", (unsigned long long)io.io_calls,
	            (double)io.wall_ns / 1e9, io.nprocs, io.nprocs == 1 ? "" : "es");
}

static void eval_block(struct ctx *c, const struct assertion *a, struct assertion_result *r, const regex_t *sel)
{
	struct block_info bi;
	metrics_main_block(c->m, sel, &bi);
	r->unit = "ms";
	r->budget = a->max_block_ms;
	if (!bi.found) {
		not_applicable(r, &c->sum, "no finished main-thread syscalls");
		return;
	}
	r->actual = (double)bi.duration_ns / 1e6;
	bool bad = r->actual > r->budget;
	r->verdict = violation_verdict(a, bad);
	char q[64], b[64], at[300];
	fmt_ms(q, sizeof(q), r->actual);
	fmt_ms(b, sizeof(b), r->budget);
	fmt_at(at, sizeof(at), bi.src_file, bi.src_line);
	double conf = r->budget > 0 ? fmin(1.0, r->actual / r->budget) : 1.0;
	sbuf_printf(&c->sum, "%s blocked the main thread %s %s %s (pid %ld %s; confidence %.2f)", bi.call, q, bad ? ">" : "<=",
	            b, (long)bi.pid, bi.exe, conf);
	sbuf_printf(&c->ev, "Longest main-thread call: %s %s%s (pid %ld %s, +%.3f s)", bi.call, q, at, (long)bi.pid, bi.exe,
	            (double)bi.ts_ns / 1e9);
	r->src_file = bi.src_file;
	r->src_line = bi.src_line;
}

static void eval_anti(struct ctx *c, const struct assertion *a, struct assertion_result *r)
{
	const regex_t *sel = a->process_name_pattern.set ? &a->process_name_pattern.re : NULL;
	switch (a->pattern) {
	case AP_GOD_PROCESS:
		eval_god(c, a, r, sel);
		break;
	case AP_TIGHT_LOOP:
		eval_loop(c, a, r, sel);
		break;
	case AP_PCIE_BOTTLENECK:
		eval_gpu(c, a, r, sel);
		break;
	case AP_EXCESSIVE_IO:
		eval_io(c, a, r, sel);
		break;
	case AP_BLOCKING_MAIN_THREAD:
		eval_block(c, a, r, sel);
		break;
	}
	if (sel && r->not_applicable)
		sbuf_printf(&c->sum, " among processes matching \"%s\"",
		            a->process_name_pattern.src ? a->process_name_pattern.src : "");
}

static void eval_syscall_count(struct ctx *c, const struct assertion *a, struct assertion_result *r)
{
	struct syscall_stats st;
	metrics_syscall_stats(c->m, a->syscall, &st);
	r->unit = "calls";
	r->budget = a->max_count;
	r->actual = (double)st.calls;
	bool bad = r->actual > r->budget;
	r->verdict = violation_verdict(a, bad);
	char b[64], t[64];
	fmt_num(b, sizeof(b), r->budget);
	fmt_ms(t, sizeof(t), (double)st.time_ns / 1e6);
	const char *name = a->syscall ? a->syscall : "?";
	sbuf_printf(&c->sum, "%s: %llu calls %s %s", name, (unsigned long long)st.calls, bad ? ">" : "<=", b);
	sbuf_printf(&c->ev, "%s: %llu calls, %llu errors, %s", name, (unsigned long long)st.calls,
	            (unsigned long long)st.errors, t);
}

static void eval_syscall_pct(struct ctx *c, const struct assertion *a, struct assertion_result *r)
{
	struct syscall_stats st;
	metrics_syscall_stats(c->m, a->syscall, &st);
	uint64_t total = metrics_total_time_ns(c->m);
	r->unit = "%";
	r->budget = a->max_percentage;
	if (!total) {
		not_applicable(r, &c->sum, "no time spent in syscalls");
		return;
	}
	r->actual = 100.0 * (double)st.time_ns / (double)total;
	bool bad = r->actual > r->budget;
	r->verdict = violation_verdict(a, bad);
	char t[64], tt[64];
	fmt_ms(t, sizeof(t), (double)st.time_ns / 1e6);
	fmt_ms(tt, sizeof(tt), (double)total / 1e6);
	const char *name = a->syscall ? a->syscall : "?";
	sbuf_printf(&c->sum, "%s: %.1f%% of syscall time %s %g%%", name, r->actual, bad ? ">" : "<=", r->budget);
	sbuf_printf(&c->ev, "%s: %s of %s total syscall time (%llu call%s)", name, t, tt, (unsigned long long)st.calls,
	            st.calls == 1 ? "" : "s");
}

static void eval_total_time(struct ctx *c, const struct assertion *a, struct assertion_result *r)
{
	uint64_t total = metrics_total_time_ns(c->m);
	r->unit = "ms";
	r->budget = a->max_time_ms;
	r->actual = (double)total / 1e6;
	bool bad = r->actual > r->budget;
	r->verdict = violation_verdict(a, bad);
	char q[64], b[64];
	fmt_ms(q, sizeof(q), r->actual);
	fmt_ms(b, sizeof(b), r->budget);
	sbuf_printf(&c->sum, "%s in syscalls %s %s", q, bad ? ">" : "<=", b);
}

static void eval_golden(struct ctx *c, const struct assertion *a, struct assertion_result *r)
{
	r->unit = "similarity";
	r->budget = a->min_similarity;
	r->higher_is_worse = false;
	const struct golden_seq *cur = metrics_golden_seq(c->m);
	if (!cur) {
		r->verdict = V_ERROR;
		sbuf_printf(&c->sum, "the run's golden sequence was not collected (metrics created without this config)");
		return;
	}
	const char *bl = a->baseline ? a->baseline : "";
	struct sbuf pb = SBUF_INIT;
	if (bl[0] == '/' || !c->cfg->dir || !c->cfg->dir[0])
		sbuf_printf(&pb, "%s", bl);
	else
		sbuf_printf(&pb, "%s/%s", c->cfg->dir, bl);
	char *path = sbuf_take(&pb, NULL);
	if (!path) {
		c->oom = true;
		return;
	}
	struct golden_seq *base = NULL;
	char err[512] = "";
	int rc = golden_seq_load(path, &base, err, sizeof(err));
	if (rc != 0 || !base) {
		r->verdict = V_ERROR;
		sbuf_printf(&c->sum, "cannot read baseline %s: %s", path, err[0] ? err : "unreadable");
		free(path);
		golden_seq_free(base);
		return;
	}
	double sim = golden_similarity(base, cur);
	r->actual = sim;
	bool bad = sim < a->min_similarity;
	r->verdict = violation_verdict(a, bad);
	sbuf_printf(&c->sum, "similarity %.2f %s %.2f (baseline %s)", sim, bad ? "<" : ">=", a->min_similarity, bl);
	sbuf_printf(&c->ev, "Baseline %s: %zu observable calls; this run: %zu", path, golden_seq_len(base),
	            golden_seq_len(cur));
	free(path);
	golden_seq_free(base);
}

int rules_evaluate(const struct config *cfg, struct metrics *m, struct assertion_result **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!cfg || !cfg->n)
		return metrics_oom(m) ? -1 : 0;
	if (metrics_oom(m))
		return -1;
	struct assertion_result *res = calloc(cfg->n, sizeof(*res));
	if (!res)
		return -1;
	for (size_t i = 0; i < cfg->n; i++) {
		const struct assertion *a = &cfg->items[i];
		struct assertion_result *r = &res[i];
		struct ctx c = {.cfg = cfg, .m = m};
		r->a = a;
		r->higher_is_worse = true;
		r->actual = NAN;
		r->budget = NAN;
		if (!a->enabled) {
			r->verdict = V_SKIP;
			sbuf_printf(&c.sum, "disabled");
		} else {
			switch (a->type) {
			case AT_CRITICAL_PATH: eval_critical_path(&c, a, r); break;
			case AT_SPAN_COUNT: eval_span_count(&c, a, r); break;
			case AT_MEMORY_USAGE: eval_memory(&c, a, r); break;
			case AT_ANTI_PATTERN: eval_anti(&c, a, r); break;
			case AT_SYSCALL_COUNT: eval_syscall_count(&c, a, r); break;
			case AT_SYSCALL_PERCENTAGE: eval_syscall_pct(&c, a, r); break;
			case AT_TOTAL_TIME: eval_total_time(&c, a, r); break;
			case AT_GOLDEN: eval_golden(&c, a, r); break;
			}
		}
		bool ok1 = take(&c.sum, &r->summary);
		bool ok2 = take(&c.ev, &r->evidence);
		if (c.oom || !ok1 || !ok2 || metrics_oom(m)) {
			results_free(res, i + 1);
			return -1;
		}
	}
	*out = res;
	*n = cfg->n;
	return 0;
}

void results_free(struct assertion_result *r, size_t n)
{
	if (!r)
		return;
	for (size_t i = 0; i < n; i++) {
		free(r[i].summary);
		free(r[i].evidence);
	}
	free(r);
}
