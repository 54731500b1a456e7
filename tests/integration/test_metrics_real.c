/* test_metrics_real.c — the analyzer's measurements on real programs:
 * each fixture is traced by the real binary (`-f --format json`), the
 * saved trace is read back into the metrics sink (library level), and
 * renacer.toml assertions (config_load_buffer) are evaluated over it.
 *
 *  - mem64: 64 MiB mapped+touched, unmapped, 16 MiB mapped → allocation
 *    peak in [64, 72] MiB (not the 80 MiB sum), fails an rss budget of
 *    32 MiB;
 *  - godproc: GodProcess confidence >= 0.8 naming the CPU-burning child;
 *  - waitchild: the 300 ms child is on the critical path: fails 200 ms,
 *    passes 5000 ms, segments sum exactly to the wall time;
 *  - getppid_n: span_count ^getppid$ at exactly 1000 calls passes 1000
 *    and fails 999; TightLoop on 5000 consecutive calls. */
#include <criterion/criterion.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "harness.h"
#include "metrics.h"
#include "trace_reader.h"
#include "verdict.h"

TestSuite(metrics_real, .init = h_init, .fini = h_cleanup, .timeout = 120);

#define MIB (1024.0 * 1024.0)

/* Trace FIXTURE ARGS... into a JSON file; returns its path. */
static const char *trace_fixture(const char *name, const char *arg)
{
	h_require_renacer();
	const char *out = h_tmp_path(h_fmt("%s.json", name));
	const char *fx = h_fixture(name);
	const char *const *argv = arg ? H_ARGV(h_renacer(), "-f", "--format", "json", "-o", out, "--", fx, arg)
				      : H_ARGV(h_renacer(), "-f", "--format", "json", "-o", out, "--", fx);
	struct h_cmd c = {.argv = argv, .envp = h_clean_env(), .out = H_IO_PIPE, .err = H_IO_PIPE, .timeout_ms = 60000};
	struct h_res r;
	h_run(&c, &r);
	cr_assert_eq(r.code, 0, "tracing %s: %s\nstderr:\n%.2000s", name, h_describe(&r), r.err);
	return out;
}

struct run {
	struct config *cfg;
	struct metrics *m;
	struct sink *s;
	struct assertion_result *res;
	size_t n;
};

/* Read TRACE into a metrics sink and evaluate TOML over it. */
static void evaluate(const char *trace, const char *toml, struct run *run)
{
	char err[1024];
	memset(run, 0, sizeof(*run));
	run->cfg = config_load_buffer("test.toml", toml, strlen(toml), err, sizeof(err));
	cr_assert_not_null(run->cfg, "config: %s", err);
	run->m = metrics_new(run->cfg);
	cr_assert_not_null(run->m);
	run->s = metrics_sink(run->m);
	struct trace_summary ts;
	int rc = trace_read_file(trace, &run->s, 1, &ts, err, sizeof(err));
	cr_assert_eq(rc, TRACE_OK, "reading %s: %s", trace, err);
	cr_assert_eq(metrics_add_gpu_spans(run->m, ts.gpu, ts.ngpu), 0);
	struct run_info ri;
	trace_summary_run_info(&ts, &ri);
	trace_summary_free(&ts);
	cr_assert_eq(run->s->finish(run->s->self, &ri), 0);
	cr_assert_eq(rules_evaluate(run->cfg, run->m, &run->res, &run->n), 0);
	cr_assert_eq(run->n, run->cfg->n);
}

static void release(struct run *run)
{
	results_free(run->res, run->n);
	run->s->destroy(run->s->self);
	config_free(run->cfg);
}

static const struct assertion_result *find(const struct run *run, const char *name)
{
	for (size_t i = 0; i < run->n; i++)
		if (!strcmp(run->res[i].a->name, name))
			return &run->res[i];
	cr_assert_fail("no result named %s", name);
	return NULL;
}

static const char *vword(enum verdict v)
{
	static const char *const w[] = {"PASS", "FAIL", "WARN", "SKIP", "ERROR"};
	return w[v];
}

#define EXPECT_VERDICT(r, want)                                                                              \
	cr_expect_eq((r)->verdict, (want), "%s: expected %s, got %s: %s\n%s", (r)->a->name, vword(want),      \
		     vword((r)->verdict), (r)->summary ? (r)->summary : "", (r)->evidence ? (r)->evidence : "")

Test(metrics_real, mem64_peak_and_rss)
{
	const char *trace = trace_fixture("mem64", NULL);
	struct run run;
	evaluate(trace,
		 "[[assertion]]\nname = \"alloc\"\ntype = \"memory_usage\"\nmax_bytes = 75497472\n"
		 "[[assertion]]\nname = \"alloc_tight\"\ntype = \"memory_usage\"\nmax_bytes = 33554432\n"
		 "[[assertion]]\nname = \"rss\"\ntype = \"memory_usage\"\ntracking_mode = \"rss\"\nmax_bytes = 33554432\n",
		 &run);
	const struct assertion_result *a = find(&run, "alloc");
	EXPECT_VERDICT(a, V_PASS);
	cr_expect_geq(a->actual, 64 * MIB, "peak %.0f", a->actual);
	cr_expect_leq(a->actual, 72 * MIB, "peak %.0f (the 80 MiB sum would be a placeholder)", a->actual);
	cr_expect(a->evidence && strstr(a->evidence, "mmap"), "%s", a->evidence ? a->evidence : "");
	EXPECT_VERDICT(find(&run, "alloc_tight"), V_FAIL);
	const struct assertion_result *r = find(&run, "rss");
	EXPECT_VERDICT(r, V_FAIL);
	cr_expect_geq(r->actual, 64 * MIB, "maxrss %.0f", r->actual);
	release(&run);
}

/* pid of the first child the root process forked (the busy one). */
static long first_child(const char *trace)
{
	size_t len;
	char *text = h_slurp(trace, &len);
	cJSON *doc = cJSON_ParseWithLength(text, len);
	cr_assert_not_null(doc, "%s is not JSON", trace);
	const cJSON *calls = cJSON_GetObjectItemCaseSensitive(doc, "syscalls");
	const cJSON *c;
	long root = -1, child = -1;
	cJSON_ArrayForEach(c, calls)
	{
		const cJSON *pid = cJSON_GetObjectItemCaseSensitive(c, "pid");
		const cJSON *name = cJSON_GetObjectItemCaseSensitive(c, "name");
		const cJSON *res = cJSON_GetObjectItemCaseSensitive(c, "result");
		if (root < 0 && cJSON_IsNumber(pid))
			root = (long)pid->valuedouble;
		if (cJSON_IsNumber(pid) && (long)pid->valuedouble == root && cJSON_IsString(name) &&
		    (!strcmp(name->valuestring, "clone") || !strcmp(name->valuestring, "fork") ||
		     !strcmp(name->valuestring, "clone3")) &&
		    cJSON_IsNumber(res) && res->valuedouble > 0) {
			child = (long)res->valuedouble;
			break;
		}
	}
	cJSON_Delete(doc);
	cr_assert_gt(child, 0, "no fork in %s", trace);
	return child;
}

Test(metrics_real, godproc_names_the_busy_child)
{
	const char *trace = trace_fixture("godproc", NULL);
	long busy = first_child(trace);
	struct run run;
	evaluate(trace,
		 "[[assertion]]\nname = \"god\"\ntype = \"anti_pattern\"\npattern = \"GodProcess\"\nthreshold = 0.8\n"
		 "[[assertion]]\nname = \"god_warn\"\ntype = \"anti_pattern\"\npattern = \"GodProcess\"\n"
		 "threshold = 0.8\nfail_on_violation = false\n"
		 "[[assertion]]\nname = \"god_single\"\ntype = \"anti_pattern\"\npattern = \"GodProcess\"\n"
		 "process_name_pattern = \"^nothing$\"\n",
		 &run);
	const struct assertion_result *g = find(&run, "god");
	EXPECT_VERDICT(g, V_FAIL);
	cr_expect_geq(g->actual, 0.8, "confidence %.3f: %s", g->actual, g->summary);
	cr_expect(strstr(g->summary, h_fmt("pid %ld godproc", busy)), "expected pid %ld named: %s", busy, g->summary);
	EXPECT_VERDICT(find(&run, "god_warn"), V_WARN);
	const struct assertion_result *na = find(&run, "god_single");
	EXPECT_VERDICT(na, V_PASS);
	cr_expect(na->not_applicable);
	release(&run);
}

Test(metrics_real, godproc_single_process_not_applicable)
{
	const char *trace = trace_fixture("getppid_n", "10");
	struct run run;
	evaluate(trace, "[[assertion]]\nname = \"god\"\ntype = \"anti_pattern\"\npattern = \"GodProcess\"\nthreshold = 0\n",
		 &run);
	const struct assertion_result *g = find(&run, "god");
	EXPECT_VERDICT(g, V_PASS);
	cr_expect(g->not_applicable, "%s", g->summary);
	release(&run);
}

Test(metrics_real, waitchild_critical_path)
{
	const char *trace = trace_fixture("waitchild", NULL);
	struct run run;
	evaluate(trace,
		 "[[assertion]]\nname = \"tight\"\ntype = \"critical_path\"\nmax_duration_ms = 200\n"
		 "[[assertion]]\nname = \"loose\"\ntype = \"critical_path\"\nmax_duration_ms = 5000\n"
		 "[[assertion]]\nname = \"selected\"\ntype = \"critical_path\"\nmax_duration_ms = 5000\n"
		 "trace_name_pattern = \"^waitchild$\"\n"
		 "[[assertion]]\nname = \"none\"\ntype = \"critical_path\"\nmax_duration_ms = 1\n"
		 "trace_name_pattern = \"^nomatch$\"\n",
		 &run);
	const struct assertion_result *t = find(&run, "tight");
	EXPECT_VERDICT(t, V_FAIL);
	cr_expect_geq(t->actual, 300.0, "wall %.1f ms", t->actual);
	cr_expect(t->evidence && strstr(t->evidence, "nanosleep"), "%s", t->evidence ? t->evidence : "");
	EXPECT_VERDICT(find(&run, "loose"), V_PASS);
	EXPECT_VERDICT(find(&run, "selected"), V_PASS);
	cr_expect_eq(find(&run, "selected")->actual, t->actual);
	const struct assertion_result *none = find(&run, "none");
	EXPECT_VERDICT(none, V_PASS);
	cr_expect(none->not_applicable);

	struct critical_path cp;
	cr_assert_eq(metrics_critical_path(run.m, NULL, &cp), 0);
	cr_expect_eq(cp.nprocs, 2);
	uint64_t sum = 0;
	bool child_long = false;
	pid_t root = cp.seg[0].pid;
	for (size_t i = 0; i < cp.nseg; i++) {
		if (i)
			cr_expect_eq(cp.seg[i].start_ns, cp.seg[i - 1].end_ns);
		sum += cp.seg[i].end_ns - cp.seg[i].start_ns;
		if (cp.seg[i].pid != root && cp.seg[i].end_ns - cp.seg[i].start_ns >= 290000000ull)
			child_long = true;
	}
	cr_expect_eq(sum, cp.end_ns - cp.start_ns);
	cr_expect_eq((double)(cp.end_ns - cp.start_ns) / 1e6, t->actual);
	cr_expect(child_long, "the sleeping child is not on the critical path:\n%s", t->evidence);
	cr_expect_geq(cp.nseg, 3, "%s", t->evidence);
	critical_path_free(&cp);
	release(&run);
}

Test(metrics_real, getppid_span_budget_boundary)
{
	const char *trace = trace_fixture("getppid_n", NULL);
	struct run run;
	evaluate(trace,
		 "[[assertion]]\nname = \"at\"\ntype = \"span_count\"\nspan_name_pattern = \"^getppid$\"\nmax_spans = 1000\n"
		 "[[assertion]]\nname = \"below\"\ntype = \"span_count\"\nspan_name_pattern = \"^getppid$\"\nmax_spans = 999\n"
		 "[[assertion]]\nname = \"count\"\ntype = \"syscall_count\"\nsyscall = \"getppid\"\nmax_count = 1000\n",
		 &run);
	const struct assertion_result *at = find(&run, "at");
	EXPECT_VERDICT(at, V_PASS);
	cr_expect_eq(at->actual, 1000);
	cr_expect_str_eq(at->summary, "1000 spans <= 1000");
	const struct assertion_result *below = find(&run, "below");
	EXPECT_VERDICT(below, V_FAIL);
	cr_expect_str_eq(below->summary, "1000 spans > 999");
	EXPECT_VERDICT(find(&run, "count"), V_PASS);
	release(&run);
}

Test(metrics_real, getppid_tight_loop)
{
	const char *trace = trace_fixture("getppid_n", "5000");
	struct run run;
	evaluate(trace,
		 "[[assertion]]\nname = \"loop\"\ntype = \"anti_pattern\"\npattern = \"TightLoop\"\nthreshold = 0.8\n"
		 "[[assertion]]\nname = \"pcie\"\ntype = \"anti_pattern\"\npattern = \"PcieBottleneck\"\n",
		 &run);
	const struct assertion_result *l = find(&run, "loop");
	EXPECT_VERDICT(l, V_FAIL);
	cr_expect_geq(l->actual, 0.8);
	cr_expect(strstr(l->summary, "getppid x5000"), "%s", l->summary);
	const struct assertion_result *p = find(&run, "pcie");
	EXPECT_VERDICT(p, V_PASS);
	cr_expect(p->not_applicable);
	release(&run);
}
