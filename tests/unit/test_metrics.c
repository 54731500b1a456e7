/* test_metrics.c — the analyzer's measurements and every assertion type
 * (SPEC §8) on hand-built event streams: each check measures what its
 * name says (a placeholder — anti_pattern always passing, memory =
 * 4096 × mmap calls, critical path = sum of durations, ignored regexes —
 * fails these tests), with pass / fail / warn / skip / not-applicable and
 * the boundary (equal to the budget passes) for every type. */
#include <criterion/criterion.h>

#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "event.h"
#include "metrics.h"
#include "sink.h"
#include "source.h"
#include "syscall_table.h"
#include "trace_reader.h"
#include "verdict.h"

#define MS(x) ((uint64_t)((x) * 1000000.0))
#define MIB (1024ull * 1024ull)
#define ANON 0x22u     /* MAP_PRIVATE | MAP_ANONYMOUS */
#define FILEMAP 0x2u   /* MAP_PRIVATE */

/* ------------------------------------------------------------------ */
/* Building streams                                                    */

struct ev_spec {
	pid_t pid, tid;            /* tid 0: same as pid */
	const char *name;
	double ts, dur;            /* ms */
	long result;
	uint64_t a[6];
	const char *t[6];          /* arg_text */
	bool unfinished;
	const char *file;
	unsigned line;
};

static void feed(struct sink *s, struct ev_spec e)
{
	struct event ev;
	memset(&ev, 0, sizeof(ev));
	struct source_loc loc = {.file = e.file, .line = e.line, .function = NULL};
	ev.pid = e.pid;
	ev.tid = e.tid ? e.tid : e.pid;
	ev.nr = syscall_by_name(e.name);
	ev.name = e.name;
	memcpy(ev.raw_args, e.a, sizeof(ev.raw_args));
	ev.nargs = 6;
	for (int i = 0; i < 6; i++)
		ev.arg_text[i] = e.t[i];
	ev.finished = !e.unfinished;
	ev.result = ev.finished ? e.result : 0;
	ev.err = ev.finished && e.result < 0 && e.result >= -4095 ? (int)-e.result : 0;
	ev.ts_ns = MS(e.ts);
	ev.duration_ns = ev.finished ? MS(e.dur) : 0;
	ev.source = e.file ? &loc : NULL;
	s->syscall(s->self, &ev);
}

static void pend(struct sink *s, pid_t pid, pid_t ppid, const char *exe, double start, double end, uint64_t cpu_us,
		 uint64_t maxrss_kb)
{
	struct process_info pi = {
		.pid = pid,
		.ppid = ppid,
		.exe = exe,
		.start_ns = MS(start),
		.end_ns = MS(end),
		.exited = true,
		.utime_us = cpu_us - cpu_us / 4,
		.stime_us = cpu_us / 4,
		.maxrss_kb = maxrss_kb,
	};
	s->process_end(s->self, &pi);
}

static struct metrics *M;
static struct sink *S;

#define EV(...) feed(S, (struct ev_spec){__VA_ARGS__})

static void fresh(void)
{
	if (M)
		metrics_free(M);
	M = metrics_new(NULL);
	cr_assert_not_null(M);
	S = metrics_sink(M);
	cr_assert_not_null(S);
}

/* ------------------------------------------------------------------ */
/* Assertions                                                          */

#define MAXPAT 64
static struct pattern *pats[MAXPAT];
static size_t npats;

static void set_pat(struct pattern *p, const char *src)
{
	memset(p, 0, sizeof(*p));
	p->set = true;
	p->src = strdup(src);
	cr_assert_not_null(p->src);
	cr_assert_eq(regcomp(&p->re, src, REG_EXTENDED | REG_NOSUB), 0, "bad test regex %s", src);
	cr_assert_lt(npats, MAXPAT);
	pats[npats] = malloc(sizeof(struct pattern));
	cr_assert_not_null(pats[npats]);
	*pats[npats++] = *p; /* freed (regex, src) at fini */
}

static struct assertion A(enum assertion_type t)
{
	struct assertion a;
	memset(&a, 0, sizeof(a));
	a.name = (char *)"t";
	a.type = t;
	a.enabled = true;
	a.fail_on_violation = true;
	a.threshold = 0.8;
	a.min_run = 1000;
	a.max_ops_per_sec = 10000;
	a.max_block_ms = 100;
	a.min_similarity = 0.95;
	return a;
}

static struct assertion AP(enum anti_pattern p)
{
	struct assertion a = A(AT_ANTI_PATTERN);
	a.pattern = p;
	return a;
}

struct r1 {
	enum verdict v;
	bool na;
	double actual, budget;
	char unit[32];
	char summary[1024];
	char evidence[4096];
	char src_file[256];
	unsigned src_line;
};

static struct r1 eval_in(struct metrics *m, const char *dir, struct assertion a)
{
	struct config cfg = {.path = (char *)"test.toml", .dir = (char *)dir, .items = &a, .n = 1};
	struct assertion_result *res = NULL;
	size_t n = 0;
	cr_assert_eq(rules_evaluate(&cfg, m, &res, &n), 0);
	cr_assert_eq(n, 1);
	cr_assert_eq(res[0].a, &a);
	struct r1 r;
	memset(&r, 0, sizeof(r));
	r.v = res[0].verdict;
	r.na = res[0].not_applicable;
	r.actual = res[0].actual;
	r.budget = res[0].budget;
	snprintf(r.unit, sizeof(r.unit), "%s", res[0].unit ? res[0].unit : "");
	snprintf(r.summary, sizeof(r.summary), "%s", res[0].summary ? res[0].summary : "");
	snprintf(r.evidence, sizeof(r.evidence), "%s", res[0].evidence ? res[0].evidence : "");
	snprintf(r.src_file, sizeof(r.src_file), "%s", res[0].src_file ? res[0].src_file : "");
	r.src_line = res[0].src_line;
	results_free(res, n);
	return r;
}

static struct r1 eval(struct assertion a)
{
	return eval_in(M, NULL, a);
}

static const char *vname(enum verdict v)
{
	static const char *const n[] = {"PASS", "FAIL", "WARN", "SKIP", "ERROR"};
	return n[v];
}

#define EXPECT(r, verdict)                                                                                    \
	cr_expect_eq((r).v, (verdict), "expected %s, got %s: %s | %s", vname(verdict), vname((r).v), (r).summary, \
		     (r).evidence)

/* The four verdicts around a budget field: equal passes, below fails,
 * below with fail_on_violation = false warns, disabled skips. */
#define BUDGET_VARIANTS(base, field, equal, below)                 \
	do {                                                       \
		struct assertion a_ = (base);                      \
		a_.field = (equal);                                \
		struct r1 r_ = eval(a_);                           \
		EXPECT(r_, V_PASS);                                \
		cr_expect(!r_.na);                                 \
		a_.field = (below);                                \
		r_ = eval(a_);                                     \
		EXPECT(r_, V_FAIL);                                \
		a_.fail_on_violation = false;                      \
		r_ = eval(a_);                                     \
		EXPECT(r_, V_WARN);                                \
		a_.enabled = false;                                \
		r_ = eval(a_);                                     \
		EXPECT(r_, V_SKIP);                                \
		cr_expect_str_eq(r_.summary, "disabled");          \
	} while (0)

/* Anti-pattern confidence: violation when confidence >= threshold (SPEC
 * §8), so a threshold equal to the confidence fails and one just above
 * passes. */
#define CONF_VARIANTS(base, conf)                                 \
	do {                                                      \
		struct assertion a_ = (base);                     \
		a_.threshold = (conf) + 0.001;                    \
		struct r1 r_ = eval(a_);                          \
		EXPECT(r_, V_PASS);                               \
		cr_expect(!r_.na);                                \
		a_.threshold = (conf);                            \
		r_ = eval(a_);                                    \
		EXPECT(r_, V_FAIL);                               \
		a_.fail_on_violation = false;                     \
		r_ = eval(a_);                                    \
		EXPECT(r_, V_WARN);                               \
		a_.enabled = false;                               \
		r_ = eval(a_);                                    \
		EXPECT(r_, V_SKIP);                               \
	} while (0)

static void fini(void)
{
	if (M)
		metrics_free(M);
	M = NULL;
	S = NULL;
	for (size_t i = 0; i < npats; i++) {
		regfree(&pats[i]->re);
		free(pats[i]->src);
		free(pats[i]);
	}
	npats = 0;
}

TestSuite(metrics, .init = fresh, .fini = fini);

/* ------------------------------------------------------------------ */
/* Allocations                                                         */

static void mem64_stream(void)
{
	uint64_t A1 = 0x7f0000000000ull, A2 = 0x7f1000000000ull;
	EV(.pid = 10, .name = "execve", .ts = 0, .dur = 1, .result = 0, .t = {"\"/usr/bin/mem64\""});
	EV(.pid = 10, .name = "brk", .ts = 1, .dur = 0.01, .result = 0x555555559000, .a = {0});
	/* a file mapping never counts */
	EV(.pid = 10, .name = "mmap", .ts = 1.5, .dur = 0.01, .result = 0x7e0000000000, .a = {0, 200 * MIB, 1, FILEMAP, 3, 0});
	EV(.pid = 10, .name = "mmap", .ts = 2, .dur = 0.1, .result = (long)A1, .a = {0, 64 * MIB, 3, ANON, (uint64_t)-1, 0},
	   .file = "mem64.c", .line = 20);
	EV(.pid = 10, .name = "munmap", .ts = 50, .dur = 1, .result = 0, .a = {A1, 64 * MIB});
	EV(.pid = 10, .name = "mmap", .ts = 60, .dur = 0.1, .result = (long)A2, .a = {0, 16 * MIB, 3, ANON, (uint64_t)-1, 0},
	   .file = "mem64.c", .line = 30);
	EV(.pid = 10, .name = "exit_group", .ts = 70, .unfinished = true);
}

Test(metrics, mmap_munmap_peak_is_64_not_80)
{
	mem64_stream();
	pend(S, 10, 1, "/usr/bin/mem64", 0, 71, 10000, 70 * 1024);
	struct mem_peak mp;
	metrics_alloc_peak(M, &mp);
	cr_expect_eq(mp.bytes, 64 * MIB, "peak %llu", (unsigned long long)mp.bytes);
	cr_expect_eq(mp.pid, 10);
	cr_expect_str_eq(mp.call, "mmap");
	cr_expect_str_eq(mp.src_file, "mem64.c");
	cr_expect_eq(mp.src_line, 20);
	cr_expect_str_eq(mp.exe, "mem64");

	struct assertion a = A(AT_MEMORY_USAGE);
	BUDGET_VARIANTS(a, max_bytes, 64.0 * MIB, 64.0 * MIB - 1);
	a.max_bytes = 72.0 * MIB;
	struct r1 r = eval(a);
	EXPECT(r, V_PASS);
	cr_expect_eq(r.actual, 64.0 * MIB);
	cr_expect_str_eq(r.unit, "bytes");
	cr_expect(strstr(r.summary, "64.0 MiB"), "%s", r.summary);
	cr_expect(strstr(r.evidence, "mmap") && strstr(r.evidence, "mem64.c:20"), "%s", r.evidence);
	cr_expect_str_eq(r.src_file, "mem64.c");
}

Test(metrics, page_rounding_partial_unmap_and_map_fixed)
{
	uint64_t B = 0x10000000;
	/* 10 pages + 1 byte rounds to 11 pages */
	EV(.pid = 1, .name = "mmap", .ts = 0, .result = (long)B, .a = {0, 10 * 4096 + 1, 3, ANON, (uint64_t)-1, 0});
	/* unmap 2 pages in the middle: 9 live */
	EV(.pid = 1, .name = "munmap", .ts = 1, .result = 0, .a = {B + 4 * 4096, 2 * 4096});
	/* unmapping a range that was never mapped changes nothing */
	EV(.pid = 1, .name = "munmap", .ts = 2, .result = 0, .a = {0x90000000, 100 * 4096});
	/* a failed munmap changes nothing */
	EV(.pid = 1, .name = "munmap", .ts = 2.5, .result = -22, .a = {B, 11 * 4096});
	/* MAP_FIXED file mapping over 3 anonymous pages replaces them: 6 live */
	EV(.pid = 1, .name = "mmap", .ts = 3, .result = (long)B, .a = {B, 3 * 4096, 1, FILEMAP | 0x10, 3, 0});
	/* a new 8-page mapping: 14 live, still below the 11-page peak? no: 6 + 8 = 14 > 11 */
	EV(.pid = 1, .name = "mmap", .ts = 4, .result = 0x20000000, .a = {0, 8 * 4096, 3, ANON, (uint64_t)-1, 0});
	struct mem_peak mp;
	metrics_alloc_peak(M, &mp);
	cr_expect_eq(mp.bytes, 14 * 4096ull, "peak %llu pages", (unsigned long long)mp.bytes / 4096);
	/* a failed mmap adds nothing */
	EV(.pid = 1, .name = "mmap", .ts = 5, .result = -12, .a = {0, 512 * MIB, 3, ANON, (uint64_t)-1, 0});
	metrics_alloc_peak(M, &mp);
	cr_expect_eq(mp.bytes, 14 * 4096ull);
}

Test(metrics, brk_heap_growth)
{
	uint64_t base = 0x555555559000ull;
	EV(.pid = 2, .name = "brk", .ts = 0, .result = (long)base, .a = {0});
	EV(.pid = 2, .name = "brk", .ts = 1, .result = (long)(base + 132 * 1024), .a = {base + 132 * 1024});
	EV(.pid = 2, .name = "brk", .ts = 2, .result = (long)(base + 3 * MIB), .a = {base + 3 * MIB});
	/* shrink, then a refused growth (brk returns the unchanged break) */
	EV(.pid = 2, .name = "brk", .ts = 3, .result = (long)(base + MIB), .a = {base + MIB});
	EV(.pid = 2, .name = "brk", .ts = 4, .result = (long)(base + MIB), .a = {base + 900 * MIB});
	struct mem_peak mp;
	metrics_alloc_peak(M, &mp);
	cr_expect_eq(mp.bytes, 3 * MIB);
	/* heap and mappings add up */
	EV(.pid = 2, .name = "mmap", .ts = 5, .result = 0x7f0000000000, .a = {0, 4 * MIB, 3, ANON, (uint64_t)-1, 0});
	metrics_alloc_peak(M, &mp);
	cr_expect_eq(mp.bytes, 5 * MIB);
}

Test(metrics, mremap_moves_and_resizes)
{
	uint64_t A1 = 0x7f0000000000ull, B = 0x7f2000000000ull;
	EV(.pid = 3, .name = "mmap", .ts = 0, .result = (long)A1, .a = {0, MIB, 3, ANON, (uint64_t)-1, 0});
	/* grow and move: 4 MiB live, not 5 */
	EV(.pid = 3, .name = "mremap", .ts = 1, .result = (long)B, .a = {A1, MIB, 4 * MIB, 1, 0});
	struct mem_peak mp;
	metrics_alloc_peak(M, &mp);
	cr_expect_eq(mp.bytes, 4 * MIB);
	/* the old range is gone: unmapping it frees nothing */
	EV(.pid = 3, .name = "munmap", .ts = 2, .result = 0, .a = {A1, MIB});
	EV(.pid = 3, .name = "mmap", .ts = 3, .result = 0x7f4000000000, .a = {0, 512 * 1024, 3, ANON, (uint64_t)-1, 0});
	metrics_alloc_peak(M, &mp);
	cr_expect_eq(mp.bytes, 4 * MIB + 512 * 1024);
	/* shrink in place to 1 MiB, then the freed space is reused */
	EV(.pid = 3, .name = "mremap", .ts = 4, .result = (long)B, .a = {B, 4 * MIB, MIB, 0, 0});
	EV(.pid = 3, .name = "mmap", .ts = 5, .result = 0x7f6000000000, .a = {0, 3 * MIB, 3, ANON, (uint64_t)-1, 0});
	metrics_alloc_peak(M, &mp);
	cr_expect_eq(mp.bytes, 4 * MIB + 512 * 1024);
	/* unmap the moved mapping: exactly 1 MiB leaves */
	EV(.pid = 3, .name = "munmap", .ts = 6, .result = 0, .a = {B, MIB});
	EV(.pid = 3, .name = "mmap", .ts = 7, .result = 0x7f8000000000, .a = {0, 1536 * 1024, 3, ANON, (uint64_t)-1, 0});
	metrics_alloc_peak(M, &mp);
	cr_expect_eq(mp.bytes, 5 * MIB, "peak %llu", (unsigned long long)mp.bytes);
	/* mremap of a file mapping stays uncounted */
	EV(.pid = 3, .name = "mmap", .ts = 8, .result = 0x7fa000000000, .a = {0, MIB, 1, FILEMAP, 3, 0});
	EV(.pid = 3, .name = "mremap", .ts = 9, .result = 0x7fc000000000, .a = {0x7fa000000000, MIB, 64 * MIB, 1, 0});
	metrics_alloc_peak(M, &mp);
	cr_expect_eq(mp.bytes, 5 * MIB);
}

Test(metrics, processes_sum_exec_clears_exit_leaves)
{
	/* two live processes: 10 + 10 */
	EV(.pid = 4, .name = "mmap", .ts = 0, .result = 0x10000000, .a = {0, 10 * MIB, 3, ANON, (uint64_t)-1, 0});
	EV(.pid = 5, .name = "mmap", .ts = 1, .result = 0x10000000, .a = {0, 10 * MIB, 3, ANON, (uint64_t)-1, 0});
	struct mem_peak mp;
	metrics_alloc_peak(M, &mp);
	cr_expect_eq(mp.bytes, 20 * MIB);
	/* 4 exits: its 10 MiB leave; 5 maps 10 more: 20, not 30 */
	EV(.pid = 4, .name = "exit_group", .ts = 2, .unfinished = true);
	EV(.pid = 5, .name = "mmap", .ts = 3, .result = 0x30000000, .a = {0, 10 * MIB, 3, ANON, (uint64_t)-1, 0});
	metrics_alloc_peak(M, &mp);
	cr_expect_eq(mp.bytes, 20 * MIB);
	/* exec drops 5's 20 MiB; 12 more after it: still 20 */
	EV(.pid = 5, .name = "execve", .ts = 4, .result = 0, .t = {"\"/bin/true\""});
	EV(.pid = 5, .name = "mmap", .ts = 5, .result = 0x30000000, .a = {0, 12 * MIB, 3, ANON, (uint64_t)-1, 0});
	metrics_alloc_peak(M, &mp);
	cr_expect_eq(mp.bytes, 20 * MIB);
	/* a forked child starts empty (copy-on-write pages are not new) */
	EV(.pid = 5, .name = "clone", .ts = 6, .dur = 0.1, .result = 6, .a = {0x1200011});
	EV(.pid = 6, .name = "mmap", .ts = 7, .result = 0x50000000, .a = {0, 9 * MIB, 3, ANON, (uint64_t)-1, 0});
	metrics_alloc_peak(M, &mp);
	cr_expect_eq(mp.bytes, 21 * MIB);
	cr_expect_eq(mp.pid, 6);
}

Test(metrics, rss_budget_and_not_applicable)
{
	struct assertion a = A(AT_MEMORY_USAGE);
	a.tracking_mode = TRACK_RSS;
	a.max_bytes = 32.0 * MIB;
	struct r1 r = eval(a);
	EXPECT(r, V_PASS);
	cr_expect(r.na, "no processes: rss not applicable: %s", r.summary);

	mem64_stream();
	pend(S, 10, 1, "/usr/bin/mem64", 0, 71, 10000, 70 * 1024);
	pend(S, 11, 10, "/usr/bin/helper", 0, 71, 10000, 3 * 1024);
	BUDGET_VARIANTS(a, max_bytes, 70.0 * MIB, 70.0 * MIB - 1);
	a.max_bytes = 32.0 * MIB;
	r = eval(a);
	EXPECT(r, V_FAIL);
	cr_expect_eq(r.actual, 70.0 * MIB);
	cr_expect(strstr(r.summary, "mem64"), "%s", r.summary);
}

Test(metrics, allocations_empty_trace_is_zero)
{
	struct assertion a = A(AT_MEMORY_USAGE);
	a.max_bytes = 0;
	struct r1 r = eval(a);
	EXPECT(r, V_PASS);
	cr_expect_eq(r.actual, 0);
}

/* ------------------------------------------------------------------ */
/* Critical path                                                       */

/* parent 100 forks child 101 (sleeps 300 ms), waits, writes, exits. */
static void waitchild_stream(bool ends_first)
{
	EV(.pid = 100, .name = "execve", .ts = 0, .dur = 1, .result = 0, .t = {"\"/usr/bin/waitchild\""});
	EV(.pid = 100, .name = "clone", .ts = 2, .dur = 1, .result = 101, .a = {0x1200011});
	EV(.pid = 101, .name = "clock_nanosleep", .ts = 3.5, .dur = 300, .result = 0, .file = "waitchild.c", .line = 20);
	EV(.pid = 101, .name = "exit_group", .ts = 303.6, .unfinished = true);
	if (ends_first)
		pend(S, 101, 100, "/usr/bin/waitchild", 2.5, 303.7, 1000, 1000);
	EV(.pid = 100, .name = "wait4", .ts = 4, .dur = 300, .result = 101, .a = {(uint64_t)-1});
	EV(.pid = 100, .name = "write", .ts = 305, .dur = 1, .result = 6, .a = {1}, .file = "waitchild.c", .line = 30);
	EV(.pid = 100, .name = "exit_group", .ts = 306.5, .unfinished = true);
	if (ends_first) {
		pend(S, 100, 1, "/usr/bin/waitchild", 0, 307, 2000, 1200);
	} else {
		pend(S, 100, 1, "/usr/bin/waitchild", 0, 307, 2000, 1200);
		pend(S, 101, 100, "/usr/bin/waitchild", 2.5, 303.7, 1000, 1000);
	}
}

static void expect_contiguous(const struct critical_path *cp)
{
	cr_assert_gt(cp->nseg, 0);
	uint64_t sum = 0;
	cr_expect_eq(cp->seg[0].start_ns, cp->start_ns);
	cr_expect_eq(cp->seg[cp->nseg - 1].end_ns, cp->end_ns);
	for (size_t i = 0; i < cp->nseg; i++) {
		cr_expect_geq(cp->seg[i].end_ns, cp->seg[i].start_ns);
		if (i)
			cr_expect_eq(cp->seg[i].start_ns, cp->seg[i - 1].end_ns, "gap before segment %zu", i);
		sum += cp->seg[i].end_ns - cp->seg[i].start_ns;
	}
	cr_expect_eq(sum, cp->end_ns - cp->start_ns, "segments sum to %llu, wall %llu", (unsigned long long)sum,
		     (unsigned long long)(cp->end_ns - cp->start_ns));
}

Test(metrics, critical_path_through_fork_exit_wait)
{
	waitchild_stream(true);
	struct critical_path cp;
	cr_assert_eq(metrics_critical_path(M, NULL, &cp), 0);
	cr_expect_eq(cp.start_ns, 0);
	cr_expect_eq(cp.end_ns, MS(307));
	cr_expect_eq(cp.nprocs, 2);
	expect_contiguous(&cp);
	cr_assert_eq(cp.nseg, 3);
	cr_expect_eq(cp.seg[0].pid, 100);
	cr_expect_eq(cp.seg[0].end_ns, MS(3)); /* the fork returned */
	cr_expect_str_eq(cp.seg[0].longest, "execve");
	cr_expect_eq(cp.seg[1].pid, 101);
	cr_expect_eq(cp.seg[1].end_ns, MS(303.7)); /* the child exited */
	cr_expect_str_eq(cp.seg[1].exe, "waitchild");
	cr_expect_str_eq(cp.seg[1].longest, "clock_nanosleep");
	cr_expect_eq(cp.seg[1].longest_ns, MS(300));
	cr_expect_str_eq(cp.seg[1].src_file, "waitchild.c");
	cr_expect_eq(cp.seg[2].pid, 100);
	cr_expect_str_eq(cp.seg[2].longest, "write"); /* not the wait4 */
	critical_path_free(&cp);

	/* not a sum of durations (which would be 603 ms) */
	struct assertion a = A(AT_CRITICAL_PATH);
	BUDGET_VARIANTS(a, max_duration_ms, 307.0, 306.9);
	a.max_duration_ms = 200;
	struct r1 r = eval(a);
	EXPECT(r, V_FAIL);
	cr_expect_eq(r.actual, 307.0);
	cr_expect(strstr(r.evidence, "pid 101 waitchild 300.7 ms") && strstr(r.evidence, "clock_nanosleep 300.0 ms at waitchild.c:20"),
		  "%s", r.evidence);
	cr_expect_str_eq(r.src_file, "waitchild.c");
	cr_expect_eq(r.src_line, 20);
	a.max_duration_ms = 5000;
	EXPECT(eval(a), V_PASS);
}

Test(metrics, critical_path_selection_and_not_applicable)
{
	struct assertion a = A(AT_CRITICAL_PATH);
	a.max_duration_ms = 1;
	struct r1 r = eval(a);
	EXPECT(r, V_PASS);
	cr_expect(r.na, "empty trace: %s", r.summary);

	/* the child execs "kid": selecting ^kid$ measures only its lifetime */
	EV(.pid = 100, .name = "clone", .ts = 0, .dur = 1, .result = 101, .a = {0x1200011});
	EV(.pid = 101, .name = "execve", .ts = 2, .dur = 1, .result = 0, .t = {"\"/opt/kid\""});
	EV(.pid = 101, .name = "read", .ts = 3, .dur = 50, .result = 0, .a = {0});
	EV(.pid = 101, .name = "exit_group", .ts = 60, .unfinished = true);
	EV(.pid = 100, .name = "wait4", .ts = 1.5, .dur = 59, .result = 101, .a = {(uint64_t)-1});
	EV(.pid = 100, .name = "exit_group", .ts = 90, .unfinished = true);

	set_pat(&a.trace_name_pattern, "^kid$");
	a.max_duration_ms = 58;
	r = eval(a);
	EXPECT(r, V_PASS);
	cr_expect_eq(r.actual, 58.0, "kid: first event 2 ms .. last exit 60 ms, got %f", r.actual);
	cr_expect(strstr(r.evidence, "Critical path: pid 101 kid 58.0 ms (read 50.0 ms)"), "%s", r.evidence);

	/* all processes: 0 .. 90 */
	a.trace_name_pattern.set = false;
	r = eval(a);
	cr_expect_eq(r.actual, 90.0);

	set_pat(&a.trace_name_pattern, "^nomatch$");
	r = eval(a);
	EXPECT(r, V_PASS);
	cr_expect(r.na);
	cr_expect(strstr(r.summary, "nomatch"), "%s", r.summary);
}

Test(metrics, critical_path_stays_in_parent_when_wait_did_not_block)
{
	/* the child is done at 10 ms; the parent computes until 100 ms and
	 * only then reaps it: the path is the parent's own time */
	EV(.pid = 1, .name = "clone", .ts = 0, .dur = 1, .result = 2, .a = {0x1200011});
	EV(.pid = 2, .name = "nanosleep", .ts = 1, .dur = 9, .result = 0);
	EV(.pid = 2, .name = "exit_group", .ts = 10, .unfinished = true);
	EV(.pid = 1, .name = "write", .ts = 50, .dur = 40, .result = 1, .a = {1});
	EV(.pid = 1, .name = "wait4", .ts = 100, .dur = 0.1, .result = 2, .a = {(uint64_t)-1});
	EV(.pid = 1, .name = "exit_group", .ts = 101, .unfinished = true);
	struct critical_path cp;
	cr_assert_eq(metrics_critical_path(M, NULL, &cp), 0);
	expect_contiguous(&cp);
	cr_expect_eq(cp.nseg, 1);
	cr_expect_eq(cp.seg[0].pid, 1);
	cr_expect_str_eq(cp.seg[0].longest, "write");
	critical_path_free(&cp);
}

Test(metrics, critical_path_orphan_outlives_parent_and_two_roots)
{
	/* 1 forks 2 and exits; 2 runs on until 200 ms */
	EV(.pid = 1, .name = "clone", .ts = 10, .dur = 1, .result = 2, .a = {0x1200011});
	EV(.pid = 1, .name = "exit_group", .ts = 20, .unfinished = true);
	EV(.pid = 2, .name = "read", .ts = 12, .dur = 180, .result = 0, .a = {0});
	EV(.pid = 2, .name = "exit_group", .ts = 200, .unfinished = true);
	/* an unrelated root that started first */
	EV(.pid = 9, .name = "getpid", .ts = 0, .dur = 1, .result = 9);
	EV(.pid = 9, .name = "exit_group", .ts = 5, .unfinished = true);
	struct critical_path cp;
	cr_assert_eq(metrics_critical_path(M, NULL, &cp), 0);
	expect_contiguous(&cp);
	cr_expect_eq(cp.end_ns - cp.start_ns, MS(200));
	cr_assert_eq(cp.nseg, 3);
	cr_expect_eq(cp.seg[0].pid, 0); /* (before pid 1) */
	cr_expect_eq(cp.seg[1].pid, 1);
	cr_expect_eq(cp.seg[2].pid, 2);
	cr_expect_eq(cp.seg[2].start_ns, MS(11));
	critical_path_free(&cp);
}

Test(metrics, critical_path_without_fork_edge_uses_ppid)
{
	/* the fork was not traced (-e filter): the child's ppid links it */
	EV(.pid = 1, .name = "read", .ts = 0, .dur = 2, .result = 1, .a = {0});
	EV(.pid = 2, .name = "nanosleep", .ts = 5, .dur = 100, .result = 0);
	EV(.pid = 2, .name = "exit_group", .ts = 106, .unfinished = true);
	EV(.pid = 1, .name = "wait4", .ts = 3, .dur = 104, .result = 2, .a = {(uint64_t)-1});
	EV(.pid = 1, .name = "exit_group", .ts = 110, .unfinished = true);
	pend(S, 2, 1, "/bin/kid", 4, 106.5, 0, 0);
	pend(S, 1, 0, "/bin/par", 0, 111, 0, 0);
	struct critical_path cp;
	cr_assert_eq(metrics_critical_path(M, NULL, &cp), 0);
	expect_contiguous(&cp);
	cr_assert_eq(cp.nseg, 3);
	cr_expect_eq(cp.seg[0].pid, 1);
	cr_expect_eq(cp.seg[1].pid, 2);
	cr_expect_eq(cp.seg[1].start_ns, MS(5));
	cr_expect_eq(cp.seg[1].end_ns, MS(106.5));
	cr_expect_str_eq(cp.seg[1].longest, "nanosleep");
	cr_expect_eq(cp.seg[2].pid, 1);
	critical_path_free(&cp);
}

Test(metrics, clone3_thread_is_not_a_process)
{
	/* clone3's flags are behind a pointer: the thread shows itself by
	 * its events (tid != pid) */
	EV(.pid = 1, .name = "clone3", .ts = 0, .dur = 1, .result = 5, .a = {0x7ffd0000, 88});
	EV(.pid = 1, .tid = 5, .name = "futex", .ts = 2, .dur = 50, .result = 0);
	EV(.pid = 1, .name = "exit_group", .ts = 60, .unfinished = true);
	cr_expect_eq(metrics_nprocesses(M, NULL), 1);
	struct critical_path cp;
	cr_assert_eq(metrics_critical_path(M, NULL, &cp), 0);
	cr_expect_eq(cp.nprocs, 1);
	cr_expect_eq(cp.nseg, 1);
	critical_path_free(&cp);
	/* later a real process reuses the number: no bogus fork edge */
	EV(.pid = 5, .name = "getpid", .ts = 70, .dur = 1, .result = 5);
	EV(.pid = 5, .name = "exit_group", .ts = 80, .unfinished = true);
	cr_assert_eq(metrics_critical_path(M, NULL, &cp), 0);
	expect_contiguous(&cp);
	cr_expect_eq(cp.nprocs, 2);
	critical_path_free(&cp);
}

static uint64_t rng_state = 88172645463325252ull;
static uint64_t rnd(uint64_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state % n;
}

/* A random process tree, each process forking, computing, and waiting for
 * (some of) its children in random order: the segments always tile the
 * wall time exactly. */
static void random_tree(pid_t pid, double *t, int depth, pid_t *next)
{
	int kids = depth < 3 ? (int)rnd(4) : 0;
	pid_t cp[4];
	double fork_at[4];
	for (int i = 0; i < kids; i++) {
		*t += (double)rnd(5);
		cp[i] = (*next)++;
		EV(.pid = pid, .name = "fork", .ts = *t, .dur = 0.5, .result = cp[i]);
		fork_at[i] = *t + 0.5;
		*t += 0.5;
	}
	EV(.pid = pid, .name = "read", .ts = *t, .dur = (double)rnd(20), .result = 1, .a = {0});
	double mine = *t + 20;
	for (int i = 0; i < kids; i++) {
		double ct = fork_at[i] + (double)rnd(3);
		random_tree(cp[i], &ct, depth + 1, next);
		double w = mine > ct ? mine : ct;
		if (rnd(4)) {
			EV(.pid = pid, .name = "wait4", .ts = mine, .dur = w - mine + 0.25, .result = cp[i], .a = {(uint64_t)-1});
			mine = w + 0.25;
		}
	}
	*t = mine + (double)rnd(7);
	EV(.pid = pid, .name = "exit_group", .ts = *t, .unfinished = true);
	*t += 0.1;
}

Test(metrics, critical_path_segments_always_sum_to_wall)
{
	for (int round = 0; round < 40; round++) {
		fresh();
		double t = (double)rnd(10);
		pid_t next = 1001;
		random_tree(1000, &t, 0, &next);
		struct critical_path cp;
		cr_assert_eq(metrics_critical_path(M, NULL, &cp), 0);
		expect_contiguous(&cp);
		critical_path_free(&cp);
	}
}

/* ------------------------------------------------------------------ */
/* span_count, syscall_count, syscall_percentage, total_time           */

Test(metrics, span_count_regex_boundary)
{
	for (int i = 0; i < 1000; i++)
		EV(.pid = 7, .name = "getppid", .ts = i * 0.01, .dur = 0.001, .result = 1);
	for (int i = 0; i < 30; i++)
		EV(.pid = 7, .name = "getpid", .ts = 20 + i * 0.01, .dur = 0.001, .result = 7);
	EV(.pid = 7, .name = "exit_group", .ts = 30, .unfinished = true);

	struct assertion a = A(AT_SPAN_COUNT);
	set_pat(&a.span_name_pattern, "^getppid$");
	BUDGET_VARIANTS(a, max_spans, 1000, 999);
	a.max_spans = 1000;
	struct r1 r = eval(a);
	cr_expect_str_eq(r.summary, "1000 spans <= 1000");
	a.max_spans = 999;
	r = eval(a);
	cr_expect_str_eq(r.summary, "1000 spans > 999");
	cr_expect_eq(r.actual, 1000);

	/* no pattern: every completed call (the unfinished exit_group is not a span) */
	a.span_name_pattern.set = false;
	a.max_spans = 1030;
	r = eval(a);
	EXPECT(r, V_PASS);
	cr_expect_eq(r.actual, 1030);
	a.max_spans = 1029;
	EXPECT(eval(a), V_FAIL);

	/* the regex is applied: ^getp matches both */
	set_pat(&a.span_name_pattern, "^getp");
	a.max_spans = 1029;
	r = eval(a);
	EXPECT(r, V_FAIL);
	cr_expect_eq(r.actual, 1030);
	set_pat(&a.span_name_pattern, "^nothing$");
	a.max_spans = 0;
	r = eval(a);
	EXPECT(r, V_PASS);
	cr_expect_eq(r.actual, 0);
}

Test(metrics, syscall_count_percentage_total_time)
{
	EV(.pid = 1, .name = "write", .ts = 0, .dur = 3, .result = 1, .a = {1});
	EV(.pid = 1, .name = "write", .ts = 5, .dur = 1, .result = -9, .a = {99});
	EV(.pid = 1, .name = "read", .ts = 10, .dur = 4, .result = 1, .a = {0});
	EV(.pid = 1, .name = "close", .ts = 20, .dur = 2, .result = 0, .a = {0});

	struct assertion c = A(AT_SYSCALL_COUNT);
	c.syscall = (char *)"write";
	BUDGET_VARIANTS(c, max_count, 2, 1);
	c.max_count = 2;
	cr_expect_str_eq(eval(c).summary, "write: 2 calls <= 2");
	c.syscall = (char *)"openat"; /* never called: 0 */
	c.max_count = 0;
	struct r1 r = eval(c);
	EXPECT(r, V_PASS);
	cr_expect_eq(r.actual, 0);

	/* write: 4 ms of 10 ms = 40 % */
	struct assertion p = A(AT_SYSCALL_PERCENTAGE);
	p.syscall = (char *)"write";
	BUDGET_VARIANTS(p, max_percentage, 40.0, 39.9);
	p.max_percentage = 40;
	r = eval(p);
	cr_expect(fabs(r.actual - 40.0) < 1e-9);
	cr_expect_str_eq(r.unit, "%");

	struct assertion t = A(AT_TOTAL_TIME);
	BUDGET_VARIANTS(t, max_time_ms, 10.0, 9.99);
	t.max_time_ms = 10;
	cr_expect_eq(eval(t).actual, 10.0);
}

Test(metrics, percentage_not_applicable_without_syscall_time)
{
	struct assertion p = A(AT_SYSCALL_PERCENTAGE);
	p.syscall = (char *)"write";
	p.max_percentage = 0;
	struct r1 r = eval(p);
	EXPECT(r, V_PASS);
	cr_expect(r.na, "%s", r.summary);
}

/* ------------------------------------------------------------------ */
/* TightLoop                                                           */

Test(metrics, tight_loop_5000_getppid)
{
	EV(.pid = 20, .name = "execve", .ts = 0, .dur = 1, .result = 0, .t = {"\"/usr/bin/loop\""});
	for (int i = 0; i < 5000; i++)
		EV(.pid = 20, .name = "getppid", .ts = 1 + i * 0.001, .dur = 0.0005, .result = 1, .file = "loop.c", .line = 9);
	for (int i = 0; i < 9; i++)
		EV(.pid = 20, .name = i % 2 ? "getpid" : "getuid", .ts = 10 + i, .dur = 0.001, .result = 0);
	struct loop_info l;
	metrics_tight_loop(M, NULL, 1000, &l);
	cr_expect_eq(l.calls, 5010);
	cr_expect_eq(l.in_runs, 5000);
	cr_expect_eq(l.longest, 5000);
	cr_expect_str_eq(l.longest_name, "getppid");
	cr_expect_eq(l.longest_tid, 20);

	struct assertion a = AP(AP_TIGHT_LOOP);
	CONF_VARIANTS(a, 5000.0 / 5010.0);
	a.threshold = 0.8;
	struct r1 r = eval(a);
	EXPECT(r, V_FAIL);
	cr_expect(strstr(r.summary, "getppid x5000"), "%s", r.summary);
	cr_expect_str_eq(r.src_file, "loop.c");
	/* min_run is per assertion: 5001 finds no run */
	a.min_run = 5001;
	r = eval(a);
	EXPECT(r, V_PASS);
	cr_expect_eq(r.actual, 0);
	a.min_run = 5000;
	EXPECT(eval(a), V_FAIL);

	/* process_name_pattern: none matches -> not applicable */
	set_pat(&a.process_name_pattern, "^other$");
	r = eval(a);
	EXPECT(r, V_PASS);
	cr_expect(r.na, "%s", r.summary);
	set_pat(&a.process_name_pattern, "^loop$");
	EXPECT(eval(a), V_FAIL);

	/* empty trace: not applicable */
	fresh();
	a.process_name_pattern.set = false;
	r = eval(a);
	EXPECT(r, V_PASS);
	cr_expect(r.na);
}

Test(metrics, tight_loop_keys_fd_ioctl_and_tid)
{
	/* same name, alternating fds: no run */
	for (int i = 0; i < 2000; i++)
		EV(.pid = 1, .name = "read", .ts = i * 0.01, .dur = 0.001, .result = 1, .a = {(uint64_t)(3 + i % 2)});
	struct loop_info l;
	metrics_tight_loop(M, NULL, 1000, &l);
	cr_expect_eq(l.in_runs, 0);
	cr_expect_eq(l.longest, 1);
	/* the same fd: a run */
	for (int i = 0; i < 1500; i++)
		EV(.pid = 1, .name = "read", .ts = 30 + i * 0.01, .dur = 0.001, .result = 1, .a = {5});
	/* ioctl on one fd with alternating requests: no run */
	for (int i = 0; i < 1200; i++)
		EV(.pid = 1, .name = "ioctl", .ts = 60 + i * 0.01, .dur = 0.001, .result = 0,
		   .a = {5, i % 2 ? 0x5401u : 0x5402u});
	metrics_tight_loop(M, NULL, 1000, &l);
	cr_expect_eq(l.in_runs, 1500);
	cr_expect_eq(l.calls, 4700);
	/* two threads interleaved: a run per tid */
	for (int i = 0; i < 2000; i++)
		EV(.pid = 1, .tid = (pid_t)(i % 2 ? 2 : 3), .name = "getppid", .ts = 90 + i * 0.01, .dur = 0.001, .result = 1);
	metrics_tight_loop(M, NULL, 1000, &l);
	cr_expect_eq(l.in_runs, 3500);
	metrics_tight_loop(M, NULL, 1001, &l);
	cr_expect_eq(l.in_runs, 1500);
}

Test(metrics, tight_loop_exact_threshold_is_a_violation)
{
	for (int i = 0; i < 750; i++)
		EV(.pid = 1, .name = "getppid", .ts = i * 0.01, .dur = 0.001, .result = 1);
	for (int i = 0; i < 250; i++)
		EV(.pid = 1, .name = i % 2 ? "getpid" : "getuid", .ts = 10 + i * 0.01, .dur = 0.001, .result = 1);
	struct assertion a = AP(AP_TIGHT_LOOP);
	a.min_run = 750;
	a.threshold = 0.75;
	struct r1 r = eval(a);
	cr_expect_eq(r.actual, 0.75);
	EXPECT(r, V_FAIL);
	cr_expect(strstr(r.summary, "confidence 0.75 >= 0.75"), "%s", r.summary);
	a.threshold = 0.76;
	EXPECT(eval(a), V_PASS);
}

/* ------------------------------------------------------------------ */
/* PcieBottleneck                                                      */

static void gpu_stream(const char *path)
{
	EV(.pid = 30, .name = "execve", .ts = 0, .dur = 1, .result = 0, .t = {"\"/usr/bin/trainer\""});
	EV(.pid = 30, .name = "openat", .ts = 1, .dur = 0.5, .result = 3, .a = {(uint64_t)-100}, .t = {"AT_FDCWD", "\"/etc/passwd\""});
	EV(.pid = 30, .name = "openat", .ts = 2, .dur = 0.5, .result = 5, .a = {(uint64_t)-100}, .t = {"AT_FDCWD", path});
	EV(.pid = 30, .name = "dup", .ts = 3, .dur = 0, .result = 6, .a = {5});
	/* 200 ioctls of 2 ms on fd 5 and 200 on its dup: 800 ms */
	for (int i = 0; i < 400; i++)
		EV(.pid = 30, .name = "ioctl", .ts = 10 + i * 2.2, .dur = 2, .result = 0, .a = {(uint64_t)(i % 2 ? 6 : 5), 0xc020462a});
	/* fd 3 is not a GPU fd */
	EV(.pid = 30, .name = "read", .ts = 900, .dur = 50, .result = 10, .a = {3});
	EV(.pid = 30, .name = "close", .ts = 950, .dur = 0, .result = 0, .a = {5});
	EV(.pid = 30, .name = "close", .ts = 951, .dur = 0, .result = 0, .a = {6});
	/* closed: no longer a GPU fd */
	EV(.pid = 30, .name = "ioctl", .ts = 952, .dur = 40, .result = -9, .a = {5, 0xc020462a});
	EV(.pid = 30, .name = "exit_group", .ts = 1000, .unfinished = true);
}

Test(metrics, pcie_gpu_fds)
{
	gpu_stream("\"/dev/nvidia0\"");
	struct gpu_info g;
	metrics_gpu(M, NULL, &g);
	cr_expect(g.have_fds);
	cr_expect(!g.have_spans);
	cr_expect_eq(g.ioctls, 400);
	cr_expect_eq(g.gpu_ns, MS(800));
	cr_expect_eq(g.wall_ns, MS(1000));
	cr_expect_eq(g.npaths, 1);
	cr_expect_str_eq(g.paths[0], "/dev/nvidia0");
	cr_expect(fabs(g.confidence - 0.8) < 1e-9);

	struct assertion a = AP(AP_PCIE_BOTTLENECK);
	a.threshold = 0.7;
	struct r1 r = eval(a);
	EXPECT(r, V_FAIL);
	cr_expect_str_eq(r.summary, "confidence 0.80 >= 0.70 (GPU fds: /dev/nvidia0; 400 ioctls)");
	CONF_VARIANTS(a, g.confidence);
}

Test(metrics, pcie_other_gpu_paths_and_exec)
{
	static const char *const paths[] = {"\"/dev/dri/renderD128\"", "\"/dev/kfd\"", "\"/dev/accel/accel0\""};
	for (size_t i = 0; i < 3; i++) {
		fresh();
		gpu_stream(paths[i]);
		struct gpu_info g;
		metrics_gpu(M, NULL, &g);
		cr_expect(g.have_fds, "%s", paths[i]);
		cr_expect(fabs(g.confidence - 0.8) < 1e-9);
	}
	/* /dev/nvidia-lookalikes elsewhere are not GPU devices */
	fresh();
	gpu_stream("\"/tmp/dev/nvidia0\"");
	struct assertion a = AP(AP_PCIE_BOTTLENECK);
	struct r1 r = eval(a);
	EXPECT(r, V_PASS);
	cr_expect(r.na, "%s", r.summary);
	/* exec forgets the fds */
	fresh();
	EV(.pid = 1, .name = "open", .ts = 0, .dur = 1, .result = 4, .t = {"\"/dev/nvidiactl\""});
	EV(.pid = 1, .name = "execve", .ts = 2, .dur = 1, .result = 0, .t = {"\"/bin/x\""});
	EV(.pid = 1, .name = "ioctl", .ts = 3, .dur = 90, .result = 0, .a = {4, 1});
	EV(.pid = 1, .name = "exit_group", .ts = 100, .unfinished = true);
	struct gpu_info g;
	metrics_gpu(M, NULL, &g);
	cr_expect_eq(g.gpu_ns, 0);
	/* fork copies them to the child; dup2 onto a GPU fd replaces it */
	fresh();
	EV(.pid = 1, .name = "openat", .ts = 0, .dur = 1, .result = 4, .t = {"AT_FDCWD", "\"/dev/nvidia0\""});
	EV(.pid = 1, .name = "fork", .ts = 2, .dur = 1, .result = 2);
	EV(.pid = 2, .name = "ioctl", .ts = 4, .dur = 50, .result = 0, .a = {4, 1});
	EV(.pid = 2, .name = "dup2", .ts = 55, .dur = 0, .result = 4, .a = {1, 4});
	EV(.pid = 2, .name = "ioctl", .ts = 56, .dur = 40, .result = 0, .a = {4, 1});
	EV(.pid = 2, .name = "exit_group", .ts = 104, .unfinished = true);
	EV(.pid = 1, .name = "wait4", .ts = 3, .dur = 102, .result = 2, .a = {(uint64_t)-1});
	metrics_gpu(M, NULL, &g);
	cr_expect_eq(g.pid, 2);
	cr_expect_eq(g.gpu_ns, MS(50));
	cr_expect_eq(g.ioctls, 1);
}

Test(metrics, pcie_explicit_gpu_spans)
{
	struct trace_gpu_span sp[] = {
		{TRACE_GPU_TRANSFER, MS(0), MS(50), 1 << 20},
		{TRACE_GPU_KERNEL, MS(50), MS(19), 0},
		{TRACE_GPU_TRANSFER, MS(70), MS(31), 1 << 20},
	};
	cr_assert_eq(metrics_add_gpu_spans(M, sp, 3), 0);
	struct gpu_info g;
	metrics_gpu(M, NULL, &g);
	cr_expect(g.have_spans);
	cr_expect_eq(g.transfer_ns, MS(81));
	cr_expect_eq(g.kernel_ns, MS(19));
	cr_expect(fabs(g.confidence - 0.81) < 1e-9);
	struct assertion a = AP(AP_PCIE_BOTTLENECK);
	a.threshold = 0.7;
	struct r1 r = eval(a);
	EXPECT(r, V_FAIL);
	cr_expect(strstr(r.summary, "confidence 0.81 >= 0.70 (GPU spans: transfer 81.0 ms, kernel 19.0 ms)"), "%s", r.summary);
	CONF_VARIANTS(a, g.confidence);
	/* spans win over fds */
	gpu_stream("\"/dev/nvidia0\"");
	metrics_gpu(M, NULL, &g);
	cr_expect(fabs(g.confidence - 0.81) < 1e-9);
}

Test(metrics, pcie_not_applicable_without_gpu)
{
	struct assertion a = AP(AP_PCIE_BOTTLENECK);
	a.threshold = 0;
	struct r1 r = eval(a);
	EXPECT(r, V_PASS);
	cr_expect(r.na);
	for (int i = 0; i < 100; i++)
		EV(.pid = 1, .name = "ioctl", .ts = i, .dur = 0.9, .result = 0, .a = {1, 0x5401});
	r = eval(a);
	EXPECT(r, V_PASS);
	cr_expect(r.na, "%s", r.summary);
	cr_expect(strstr(r.summary, "no GPU activity"), "%s", r.summary);
}

/* ------------------------------------------------------------------ */
/* GodProcess                                                          */

/* parent 40 forks a CPU burner 41 and a sleeper 42 and waits for both.
 * As from wait4's rusage, the parent's CPU time includes its reaped
 * children's. */
static void godproc_stream(bool ends_first)
{
	EV(.pid = 40, .name = "execve", .ts = 0, .dur = 1, .result = 0, .t = {"\"/usr/bin/godproc\""});
	EV(.pid = 40, .name = "clone", .ts = 1, .dur = 0.1, .result = 41, .a = {0x1200011});
	EV(.pid = 40, .name = "clone", .ts = 2, .dur = 0.1, .result = 42, .a = {0x1200011});
	EV(.pid = 41, .name = "exit_group", .ts = 401, .unfinished = true);
	if (ends_first)
		pend(S, 41, 40, "/usr/bin/godproc", 1, 401.2, 400000, 900);
	EV(.pid = 42, .name = "clock_nanosleep", .ts = 3, .dur = 400, .result = 0);
	EV(.pid = 42, .name = "exit_group", .ts = 403.5, .unfinished = true);
	if (ends_first)
		pend(S, 42, 40, "/usr/bin/godproc", 2, 403.6, 0, 800);
	EV(.pid = 40, .name = "wait4", .ts = 3, .dur = 398.5, .result = 41, .a = {41});
	EV(.pid = 40, .name = "wait4", .ts = 401.6, .dur = 2.2, .result = 42, .a = {42});
	EV(.pid = 40, .name = "exit_group", .ts = 404, .unfinished = true);
	pend(S, 40, 1, "/usr/bin/godproc", 0, 404.2, 410000, 1000);
	if (!ends_first) {
		pend(S, 41, 40, "/usr/bin/godproc", 1, 401.2, 400000, 900);
		pend(S, 42, 40, "/usr/bin/godproc", 2, 403.6, 0, 800);
	}
}

Test(metrics, god_process_names_the_busy_child)
{
	godproc_stream(true);
	struct god_info g;
	metrics_god_process(M, NULL, &g);
	cr_expect_eq(g.nprocs, 3);
	cr_expect_eq(g.top_pid, 41);
	cr_expect_eq(g.total_cpu_us, 410000);
	cr_expect_geq(g.confidence, 0.8);
	struct assertion a = AP(AP_GOD_PROCESS);
	struct r1 r = eval(a);
	EXPECT(r, V_FAIL);
	cr_expect(strstr(r.summary, "pid 41 godproc"), "%s", r.summary);
	CONF_VARIANTS(a, g.confidence);
}

Test(metrics, god_process_not_applicable_single_process)
{
	EV(.pid = 1, .name = "getpid", .ts = 0, .dur = 1, .result = 1);
	pend(S, 1, 0, "/bin/one", 0, 10, 1000000, 100);
	struct assertion a = AP(AP_GOD_PROCESS);
	a.threshold = 0;
	struct r1 r = eval(a);
	EXPECT(r, V_PASS);
	cr_expect(r.na);
	cr_expect(strstr(r.summary, "1 process"), "%s", r.summary);
	/* two processes, but the pattern selects one */
	pend(S, 2, 1, "/bin/two", 0, 10, 1000000, 100);
	r = eval(a);
	EXPECT(r, V_FAIL);
	cr_expect_eq(r.actual, 0.5);
	set_pat(&a.process_name_pattern, "^two$");
	r = eval(a);
	EXPECT(r, V_PASS);
	cr_expect(r.na);
}

/* ------------------------------------------------------------------ */
/* ExcessiveIO, BlockingMainThread                                     */

Test(metrics, excessive_io_rate)
{
	struct assertion a = AP(AP_EXCESSIVE_IO);
	struct r1 r = eval(a);
	EXPECT(r, V_PASS);
	cr_expect(r.na);
	/* 100 writes + 20 sendto over exactly 1 s; getpid is not I/O */
	for (int i = 0; i < 100; i++)
		EV(.pid = 50, .name = "write", .ts = i * 5, .dur = 0.01, .result = 1, .a = {1});
	for (int i = 0; i < 20; i++)
		EV(.pid = 50, .name = "sendto", .ts = 600 + i, .dur = 0.01, .result = 1, .a = {4});
	for (int i = 0; i < 500; i++)
		EV(.pid = 50, .name = "getpid", .ts = 700 + i * 0.1, .dur = 0.01, .result = 50);
	EV(.pid = 50, .name = "exit_group", .ts = 1000, .unfinished = true);
	struct io_info io;
	metrics_io_rate(M, NULL, &io);
	cr_expect_eq(io.io_calls, 120);
	cr_expect_eq(io.wall_ns, MS(1000));
	cr_expect(fabs(io.rate - 120.0) < 1e-9);
	BUDGET_VARIANTS(a, max_ops_per_sec, 120.0, 119.0);
	a.max_ops_per_sec = 100;
	r = eval(a);
	cr_expect_str_eq(r.unit, "ops/s");
	cr_expect(strstr(r.summary, "120.0 I/O calls/s > 100"), "%s", r.summary);
}

Test(metrics, blocking_main_thread)
{
	struct assertion a = AP(AP_BLOCKING_MAIN_THREAD);
	EV(.pid = 60, .name = "futex", .ts = 0, .dur = 500, .result = 0);            /* a wait: excluded */
	EV(.pid = 60, .name = "clock_nanosleep", .ts = 500, .dur = 500, .result = 0); /* a wait */
	struct r1 r = eval(a);
	EXPECT(r, V_PASS);
	cr_expect(r.na, "%s", r.summary);
	EV(.pid = 60, .tid = 61, .name = "write", .ts = 10, .dur = 900, .result = 1, .a = {1}); /* not the main thread */
	EV(.pid = 60, .name = "read", .ts = 1000, .dur = 150, .result = 1, .a = {0}, .file = "src/main.c", .line = 88);
	EV(.pid = 60, .name = "write", .ts = 1200, .dur = 20, .result = 1, .a = {1});
	struct block_info b;
	metrics_main_block(M, NULL, &b);
	cr_expect(b.found);
	cr_expect_str_eq(b.call, "read");
	cr_expect_eq(b.duration_ns, MS(150));
	BUDGET_VARIANTS(a, max_block_ms, 150.0, 149.9);
	a.max_block_ms = 100;
	r = eval(a);
	EXPECT(r, V_FAIL);
	cr_expect_str_eq(r.src_file, "src/main.c");
	cr_expect_eq(r.src_line, 88);
	cr_expect(strstr(r.evidence, "read 150.0 ms at src/main.c:88"), "%s", r.evidence);
}

/* ------------------------------------------------------------------ */
/* Golden                                                              */

static const char golden_a[] =
	"{\"syscalls\":["
	"{\"name\":\"openat\",\"args\":[\"AT_FDCWD\",\"\\\"/etc/hosts\\\"\",\"O_RDONLY\"],\"result\":3,\"pid\":1,\"ts_ns\":0,\"duration_ns\":1000},"
	"{\"name\":\"read\",\"args\":[\"3\",\"\\\"abc\\\"\",\"4096\"],\"result\":3,\"pid\":1,\"ts_ns\":2000,\"duration_ns\":1000},"
	"{\"name\":\"write\",\"args\":[\"1\",\"\\\"abc\\\"\",\"3\"],\"result\":3,\"pid\":1,\"ts_ns\":4000,\"duration_ns\":1000},"
	"{\"name\":\"close\",\"args\":[\"3\"],\"result\":0,\"pid\":1,\"ts_ns\":6000,\"duration_ns\":1000}"
	"]}\n";

static const char golden_b[] =
	"{\"syscalls\":["
	"{\"name\":\"openat\",\"args\":[\"AT_FDCWD\",\"\\\"/etc/passwd\\\"\",\"O_RDONLY\"],\"result\":3,\"pid\":1,\"ts_ns\":0,\"duration_ns\":1000},"
	"{\"name\":\"unlink\",\"args\":[\"\\\"/tmp/x\\\"\"],\"result\":0,\"pid\":1,\"ts_ns\":1000,\"duration_ns\":1000},"
	"{\"name\":\"read\",\"args\":[\"3\",\"\\\"abc\\\"\",\"4096\"],\"result\":3,\"pid\":1,\"ts_ns\":2000,\"duration_ns\":1000},"
	"{\"name\":\"write\",\"args\":[\"1\",\"\\\"abc\\\"\",\"3\"],\"result\":3,\"pid\":1,\"ts_ns\":4000,\"duration_ns\":1000},"
	"{\"name\":\"close\",\"args\":[\"3\"],\"result\":0,\"pid\":1,\"ts_ns\":6000,\"duration_ns\":1000}"
	"]}\n";

static char gdir[64];

static void write_text(const char *dir, const char *name, const char *text)
{
	char p[256];
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	cr_assert_not_null(f);
	cr_assert_eq(fputs(text, f) >= 0, true);
	cr_assert_eq(fclose(f), 0);
}

static void rm_text(const char *dir, const char *name)
{
	char p[256];
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	unlink(p);
}

Test(metrics, golden_similarity_error_and_verdicts)
{
	snprintf(gdir, sizeof(gdir), "/tmp/metrics_golden.XXXXXX");
	cr_assert_not_null(mkdtemp(gdir));
	write_text(gdir, "a.json", golden_a);
	write_text(gdir, "b.json", golden_b);

	struct assertion a = A(AT_GOLDEN);
	a.baseline = (char *)"a.json";
	struct config cfg = {.path = (char *)"r.toml", .dir = gdir, .items = &a, .n = 1};
	struct metrics *m = metrics_new(&cfg);
	cr_assert_not_null(m);
	struct sink *s = metrics_sink(m);
	char err[512];
	char path[256];
	snprintf(path, sizeof(path), "%s/a.json", gdir);
	struct trace_summary ts;
	cr_assert_eq(trace_read_file(path, &s, 1, &ts, err, sizeof(err)), TRACE_OK, "%s", err);
	trace_summary_free(&ts);
	struct run_info ri = {0};
	cr_assert_eq(s->finish(s->self, &ri), 0);
	cr_assert_not_null(metrics_golden_seq(m));

	/* the same trace: similarity 1, and 1.0 is the boundary */
	a.min_similarity = 1.0;
	struct r1 r = eval_in(m, gdir, a);
	EXPECT(r, V_PASS);
	cr_expect_eq(r.actual, 1.0);
	cr_expect_str_eq(r.unit, "similarity");

	/* a different baseline */
	a.baseline = (char *)"b.json";
	r = eval_in(m, gdir, a);
	EXPECT(r, V_FAIL);
	cr_expect_lt(r.actual, 1.0);
	cr_expect_gt(r.actual, 0.5);
	double sim = r.actual;
	a.min_similarity = sim;
	EXPECT(eval_in(m, gdir, a), V_PASS);
	a.min_similarity = sim + 0.01;
	EXPECT(eval_in(m, gdir, a), V_FAIL);
	a.fail_on_violation = false;
	EXPECT(eval_in(m, gdir, a), V_WARN);
	a.enabled = false;
	EXPECT(eval_in(m, gdir, a), V_SKIP);
	a.enabled = true;

	/* an absolute path ignores the config dir */
	a.baseline = path;
	a.min_similarity = 1.0;
	EXPECT(eval_in(m, "/nonexistent", a), V_PASS);

	/* unreadable baseline: ERROR, whatever fail_on_violation says */
	a.baseline = (char *)"missing.json";
	r = eval_in(m, gdir, a);
	EXPECT(r, V_ERROR);
	cr_expect(strstr(r.summary, "missing.json"), "%s", r.summary);
	s->destroy(s->self);

	/* metrics made without the config did not collect a sequence */
	a.baseline = (char *)"a.json";
	r = eval_in(M, gdir, a);
	EXPECT(r, V_ERROR);

	rm_text(gdir, "a.json");
	rm_text(gdir, "b.json");
	rmdir(gdir);
}

/* ------------------------------------------------------------------ */
/* Live and offline orders agree                                       */

static struct assertion all_types[16];
static size_t nall;

static void build_all(void)
{
	nall = 0;
	struct assertion a = A(AT_CRITICAL_PATH);
	a.max_duration_ms = 300;
	all_types[nall++] = a;
	a = A(AT_SPAN_COUNT);
	a.max_spans = 10;
	all_types[nall++] = a;
	a = A(AT_MEMORY_USAGE);
	a.max_bytes = 32.0 * MIB;
	all_types[nall++] = a;
	a.tracking_mode = TRACK_RSS;
	all_types[nall++] = a;
	for (int p = AP_GOD_PROCESS; p <= AP_BLOCKING_MAIN_THREAD; p++) {
		a = AP((enum anti_pattern)p);
		a.min_run = 2;
		all_types[nall++] = a;
	}
	a = A(AT_SYSCALL_COUNT);
	a.syscall = (char *)"wait4";
	a.max_count = 1;
	all_types[nall++] = a;
	a = A(AT_SYSCALL_PERCENTAGE);
	a.syscall = (char *)"clock_nanosleep";
	a.max_percentage = 40;
	all_types[nall++] = a;
	a = A(AT_TOTAL_TIME);
	a.max_time_ms = 100;
	all_types[nall++] = a;
}

static char *render_all(struct metrics *m)
{
	struct config cfg = {.path = (char *)"x.toml", .dir = (char *)".", .items = all_types, .n = nall};
	struct assertion_result *res;
	size_t n;
	cr_assert_eq(rules_evaluate(&cfg, m, &res, &n), 0);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	cr_assert_not_null(f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%d %d %.9g %s | %s\n", res[i].verdict, res[i].not_applicable, res[i].actual,
			res[i].summary ? res[i].summary : "", res[i].evidence ? res[i].evidence : "");
	fclose(f);
	results_free(res, n);
	return buf;
}

Test(metrics, process_end_before_or_after_events_agree)
{
	build_all();
	char *out[2];
	for (int order = 0; order < 2; order++) {
		fresh();
		godproc_stream(order == 0);
		mem64_stream();
		pend(S, 10, 1, "/usr/bin/mem64", 0, 71, 10000, 70 * 1024);
		struct run_info ri = {0};
		cr_assert_eq(S->finish(S->self, &ri), 0);
		out[order] = render_all(M);
	}
	cr_expect_str_eq(out[0], out[1]);
	cr_expect(strstr(out[0], "pid 41 godproc"), "%s", out[0]);
	free(out[0]);
	free(out[1]);

	for (int order = 0; order < 2; order++) {
		fresh();
		waitchild_stream(order == 0);
		out[order] = render_all(M);
	}
	cr_expect_str_eq(out[0], out[1]);
	free(out[0]);
	free(out[1]);
}

Test(metrics, results_free_null_and_empty_config)
{
	results_free(NULL, 0);
	struct config cfg = {0};
	struct assertion_result *res = (struct assertion_result *)1;
	size_t n = 7;
	cr_expect_eq(rules_evaluate(&cfg, M, &res, &n), 0);
	cr_expect_null(res);
	cr_expect_eq(n, 0);
}
