/* test_rle.c — --compress=rle (issue 7): the run predicate and key
 * (src/output/rle.c), the JSON sink's run records, the reader's "rle"
 * object, and every consumer (summary table, metrics, golden sequence)
 * giving the same answers for the compressed and the uncompressed trace
 * of the same constructed event stream. */
#include <criterion/criterion.h>

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "event.h"
#include "format_sinks.h"
#include "golden.h"
#include "options.h"
#include "rle.h"
#include "metrics.h"
#include "sink.h"
#include "source.h"
#include "summary_sink.h"
#include "syscall_table.h"
#include "trace_reader.h"
#include "writer.h"

/* ------------------------------------------------------------------ */
/* Temporary files                                                     */

#define MAXTMP 16
static char tmp_paths[MAXTMP][64];
static int ntmp;

static const char *tmp_path(void)
{
	cr_assert_lt(ntmp, MAXTMP);
	char *p = tmp_paths[ntmp++];
	strcpy(p, "/tmp/rc_rle_XXXXXX");
	int fd = mkstemp(p);
	cr_assert(fd >= 0, "mkstemp");
	close(fd);
	return p;
}

static void fini(void)
{
	for (int i = 0; i < ntmp; i++)
		unlink(tmp_paths[i]);
	ntmp = 0;
}

TestSuite(rle, .fini = fini);

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	cr_assert_not_null(f, "%s", path);
	cr_assert_eq(fseek(f, 0, SEEK_END), 0);
	long n = ftell(f);
	cr_assert(n >= 0);
	rewind(f);
	char *buf = malloc((size_t)n + 1);
	cr_assert_not_null(buf);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return buf;
}

/* ------------------------------------------------------------------ */
/* Building events                                                     */

struct es {
	pid_t pid, tid;           /* tid 0: pid */
	const char *name;
	uint64_t a[6];
	const char *t[6];         /* arg_text */
	int nshown;
	long result;              /* negative errno = failure */
	bool unfinished;
	uint64_t ts, dur;         /* ns */
	uint64_t ip;
	const char *file;
	unsigned line;
};

static void feed(struct sink *s, struct es e)
{
	struct event ev;
	memset(&ev, 0, sizeof(ev));
	struct source_loc loc = { .file = e.file, .line = e.line, .function = "main" };
	ev.pid = e.pid;
	ev.tid = e.tid ? e.tid : e.pid;
	ev.nr = syscall_by_name(e.name);
	cr_assert(ev.nr >= 0, "unknown syscall %s", e.name);
	ev.name = e.name;
	memcpy(ev.raw_args, e.a, sizeof(ev.raw_args));
	const struct syscall_info *si = syscall_lookup(ev.nr);
	ev.nargs = si ? si->nargs : 6;
	for (int i = 0; i < 6; i++)
		ev.arg_text[i] = e.t[i];
	ev.nshown = e.nshown;
	ev.finished = !e.unfinished;
	ev.result = ev.finished ? e.result : 0;
	ev.err = ev.finished && e.result < 0 && e.result >= -4095 ? (int)-e.result : 0;
	ev.ts_ns = e.ts;
	ev.duration_ns = ev.finished ? e.dur : 0;
	ev.ip = e.ip ? e.ip : 0x401000;
	ev.module = "/usr/bin/loop";
	ev.source = e.file ? &loc : NULL;
	s->syscall(s->self, &ev);
}

#define EV(...) feed(S, (struct es){ __VA_ARGS__ })

/* What the stream's main getppid run should record. */
struct expect_run {
	uint64_t count, first_ts, last_ts, total, min, max, last;
};

static uint64_t clock_ns;

/* Next call: starts a little after the previous one ended. */
static uint64_t at(uint64_t dur)
{
	uint64_t t = clock_ns;
	clock_ns += dur + 700;
	return t;
}

/* The mixed stream (calls, records when compressed):
 *   execve, openat                                     2 calls, 2 records
 *   5000 getppid at loop.c:9                           1 record
 *   3 getppid at loop.c:12 (another call site)         1 record
 *   50 read(3) > 0, then read(3) = 0 (EOF)             2 records
 *   10 ioctl(3, 0x5401) ENOTTY, 5 EINVAL, 4 0x5402     3 records
 *   6 getppid alternating between tids 50 and 51       6 records
 *   3 identical mmap, 2 close, 2 identical openat      7 records
 *   20 write(1) = 1                                    1 record
 *   exit_group (unfinished)                            1 record
 * = 5109 calls, 24 records. */
#define MIXED_CALLS 5109u
#define MIXED_RECORDS 24u

static void mixed_stream(struct sink *S, struct expect_run *x)
{
	clock_ns = 1000;
	uint64_t d;
	d = 90000;
	EV(.pid = 50, .name = "execve", .t = { "\"/usr/bin/loop\"", "[\"loop\"]", "0x7ffc0000" }, .nshown = 3,
	   .a = { 0x1000, 0x2000, 0x3000 }, .result = 0, .ts = at(d), .dur = d);
	d = 4000;
	EV(.pid = 50, .name = "openat", .t = { "AT_FDCWD", "\"/data\"", "O_RDONLY" }, .nshown = 3,
	   .a = { (uint64_t)-100, 0x5000, 0 }, .result = 3, .ts = at(d), .dur = d, .file = "loop.c", .line = 5);
	memset(x, 0, sizeof(*x));
	for (int i = 0; i < 5000; i++) {
		d = 300 + (uint64_t)((i * 7919) % 1000) + (i == 1234 ? 150000 : 0);
		uint64_t ts = at(d);
		/* the unused argument registers differ from call to call */
		EV(.pid = 50, .name = "getppid", .a = { (uint64_t)i, 7 }, .result = 49, .ts = ts, .dur = d,
		   .file = "loop.c", .line = 9);
		if (!x->count) {
			x->first_ts = ts;
			x->min = x->max = d;
		}
		x->count++;
		x->last_ts = ts;
		x->last = d;
		x->total += d;
		if (d < x->min)
			x->min = d;
		if (d > x->max)
			x->max = d;
	}
	for (int i = 0; i < 3; i++) {
		d = 400;
		EV(.pid = 50, .name = "getppid", .result = 49, .ts = at(d), .dur = d, .file = "loop.c", .line = 12);
	}
	for (int i = 0; i < 50; i++) {
		d = 2000 + (uint64_t)i;
		char buf[32];
		snprintf(buf, sizeof(buf), "\"chunk %d\"...", i);
		EV(.pid = 50, .name = "read", .a = { 3, 0x6000, 4096 }, .t = { "3", buf, "4096" }, .nshown = 3,
		   .result = 4096 - i, .ts = at(d), .dur = d, .file = "loop.c", .line = 20);
	}
	d = 1000;
	EV(.pid = 50, .name = "read", .a = { 3, 0x6000, 4096 }, .t = { "3", "\"\"", "4096" }, .nshown = 3, .result = 0,
	   .ts = at(d), .dur = d, .file = "loop.c", .line = 20);
	for (int i = 0; i < 19; i++) {
		d = 150;
		uint64_t req = i < 15 ? 0x5401 : 0x5402;
		long res = i < 10 ? -25 : i < 15 ? -22 : -25;
		EV(.pid = 50, .name = "ioctl", .a = { 3, req, 0x7000 }, .t = { "3", i < 15 ? "TCGETS" : "TCSETS", "0x7000" },
		   .nshown = 3, .result = res, .ts = at(d), .dur = d, .file = "loop.c", .line = 30);
	}
	for (int i = 0; i < 6; i++) {
		d = 500;
		EV(.pid = 50, .tid = i % 2 ? 51 : 50, .name = "getppid", .result = 49, .ts = at(d), .dur = d,
		   .file = "loop.c", .line = 9);
	}
	for (int i = 0; i < 3; i++) {
		d = 3000;
		EV(.pid = 50, .name = "mmap", .a = { 0, 4096, 3, 0x22, (uint64_t)-1, 0 },
		   .t = { "NULL", "4096", "PROT_READ|PROT_WRITE", "MAP_PRIVATE|MAP_ANONYMOUS", "-1", "0" }, .nshown = 6,
		   .result = 0x7f0000000000 + 4096 * 4 * i, .ts = at(d), .dur = d, .file = "loop.c", .line = 40);
	}
	for (int i = 0; i < 2; i++) {
		d = 800;
		EV(.pid = 50, .name = "close", .a = { 3 }, .t = { "3" }, .nshown = 1, .result = i ? -9 : 0, .ts = at(d),
		   .dur = d, .file = "loop.c", .line = 41);
	}
	for (int i = 0; i < 2; i++) {
		d = 4000;
		EV(.pid = 50, .name = "openat", .t = { "AT_FDCWD", "\"/nope\"", "O_RDONLY" }, .nshown = 3,
		   .a = { (uint64_t)-100, 0x5000, 0 }, .result = -2, .ts = at(d), .dur = d, .file = "loop.c", .line = 42);
	}
	for (int i = 0; i < 20; i++) {
		d = 1500;
		EV(.pid = 50, .name = "write", .a = { 1, 0x8000, 1 }, .t = { "1", "\"x\"", "1" }, .nshown = 3, .result = 1,
		   .ts = at(d), .dur = d, .file = "loop.c", .line = 50);
	}
	EV(.pid = 50, .name = "exit_group", .a = { 0 }, .t = { "0" }, .nshown = 1, .unfinished = true, .ts = at(0));
	struct process_info pi = { .pid = 50, .ppid = 1, .exe = "/usr/bin/loop", .start_ns = 0, .end_ns = clock_ns,
				   .exited = true, .utime_us = 10, .stime_us = 20, .maxrss_kb = 1000 };
	S->process_end(S->self, &pi);
}

/* Run gen through a JSON sink into a new temporary file. */
static const char *write_trace(void (*gen)(struct sink *, struct expect_run *), bool compress, bool with_source,
			       struct expect_run *x)
{
	const char *path = tmp_path();
	struct writer w;
	cr_assert_eq(writer_open(&w, path, false), 0);
	char *cmd[] = { (char *)"loop", NULL };
	struct run_meta m = { .command = cmd, .start_unix_ns = 1, .kernel = "6.1.0", .host = "h",
			      .with_source = with_source };
	struct sink *s = json_sink_new(&w, &m, compress);
	cr_assert_not_null(s);
	struct expect_run dummy;
	gen(s, x ? x : &dummy);
	struct run_info ri = { .exit_code = 0, .wall_ns = clock_ns };
	cr_assert_eq(s->finish(s->self, &ri), 0);
	s->destroy(s->self);
	cr_assert_eq(writer_close(&w), 0);
	return path;
}

/* The record lines of a trace (between "syscalls":[ and ]), trailing ','
 * removed; *n set. Strings point into text (modified). */
static char **record_lines(char *text, size_t *n)
{
	size_t cap = 64;
	char **out = malloc(cap * sizeof(*out));
	cr_assert_not_null(out);
	*n = 0;
	char *p = strstr(text, "\"syscalls\":[\n");
	cr_assert_not_null(p);
	p += strlen("\"syscalls\":[\n");
	while (*p && *p != ' ') {
		char *e = strchr(p, '\n');
		cr_assert_not_null(e);
		*e = '\0';
		if (e > p && e[-1] == ',')
			e[-1] = '\0';
		if (*n == cap) {
			cap *= 2;
			out = realloc(out, cap * sizeof(*out));
			cr_assert_not_null(out);
		}
		out[(*n)++] = p;
		p = e + 1;
	}
	return out;
}

static uint64_t jnum(const cJSON *o, const char *key)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
	cr_assert(cJSON_IsNumber(it), "no number \"%s\"", key);
	return (uint64_t)it->valuedouble;
}

/* ------------------------------------------------------------------ */
/* The predicate                                                       */

Test(rle, mergeable_predicate)
{
	static const char *const never[] = { "mmap", "munmap", "mremap", "brk", "mprotect", "madvise", "shmat",
					     "shmdt", "fork", "vfork", "clone", "clone3", "execve", "execveat",
					     "exit", "exit_group", "wait4", "waitid", "kill", "tkill", "tgkill",
					     "open", "openat", "openat2", "creat", "close", "close_range", "dup",
					     "dup2", "dup3", "fcntl", "socket", "socketpair", "accept", "accept4",
					     "pipe", "pipe2", "eventfd", "eventfd2", "signalfd", "signalfd4",
					     "timerfd_create", "epoll_create", "epoll_create1", "inotify_init",
					     "inotify_init1", "memfd_create", "pidfd_open", "userfaultfd",
					     "perf_event_open", "fanotify_init", "io_uring_setup" };
	for (size_t i = 0; i < sizeof(never) / sizeof(never[0]); i++) {
		long nr = syscall_by_name(never[i]);
		cr_assert(nr >= 0, "%s not in the table", never[i]);
		cr_expect(!rle_mergeable(nr), "%s must never merge", never[i]);
	}
	static const char *const ok[] = { "getppid", "read", "write", "ioctl", "lseek", "fstat", "poll",
					  "nanosleep", "futex", "sendto", "recvfrom", "getpid" };
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		cr_expect(rle_mergeable(syscall_by_name(ok[i])), "%s should merge", ok[i]);
	cr_expect(!rle_mergeable(-1));
	cr_expect(!rle_mergeable(100000));
	/* every fd-returning call is excluded, listed or not */
	for (unsigned nr = 0; nr < syscall_table_size; nr++) {
		const struct syscall_info *si = syscall_lookup(nr);
		if (si && si->name && si->ret == RK_FD)
			cr_expect(!rle_mergeable(nr), "%s returns an fd", si->name);
	}
}

Test(rle, result_class)
{
	struct event ev;
	memset(&ev, 0, sizeof(ev));
	ev.finished = true;
	ev.result = 4096;
	cr_expect_eq(rle_result_class(&ev), 1);
	ev.result = 12;
	cr_expect_eq(rle_result_class(&ev), 1);
	ev.result = 0;
	cr_expect_eq(rle_result_class(&ev), 0);
	ev.result = -2;
	ev.err = 2;
	cr_expect_eq(rle_result_class(&ev), 2);
	ev.result = -25;
	ev.err = 25;
	cr_expect_eq(rle_result_class(&ev), 25);
}

/* ------------------------------------------------------------------ */
/* The JSON sink                                                       */

Test(rle, json_sink_runs_and_splits)
{
	struct expect_run x;
	const char *cp = write_trace(mixed_stream, true, true, &x);
	const char *up = write_trace(mixed_stream, false, true, NULL);
	size_t clen, ulen;
	char *ctext = slurp(cp, &clen);
	char *utext = slurp(up, &ulen);
	cr_assert(strstr(ctext, "\"summary\":{\"total_syscalls\":5109,"), "%s", strstr(ctext, "\"summary\""));
	cr_assert(strstr(utext, "\"summary\":{\"total_syscalls\":5109,"));
	/* the compressed file is valid JSON */
	cJSON *doc = cJSON_Parse(ctext);
	cr_assert_not_null(doc, "compressed trace is not valid JSON");
	cJSON_Delete(doc);

	size_t nc, nu;
	char **cl = record_lines(ctext, &nc);
	char **ul = record_lines(utext, &nu);
	cr_assert_eq(nu, MIXED_CALLS);
	cr_assert_eq(nc, MIXED_RECORDS, "records: %zu", nc);

	/* Each compressed record, its rle member removed, is the uncompressed
	 * record of the run's first call, in place; counts add up. */
	static const uint64_t counts[MIXED_RECORDS] = { 1, 1, 5000, 3, 50, 1, 10, 5, 4, 1, 1, 1, 1, 1, 1,
							1, 1, 1, 1, 1, 1, 1, 20, 1 };
	size_t j = 0;
	for (size_t i = 0; i < nc; i++) {
		uint64_t count = 1;
		const char *body = cl[i];
		char *fixed = NULL;
		if (!strncmp(cl[i], "{\"rle\":{", 8)) {
			cJSON *o = cJSON_Parse(cl[i]);
			cr_assert_not_null(o, "record %zu: %s", i, cl[i]);
			count = jnum(cJSON_GetObjectItemCaseSensitive(o, "rle"), "count");
			cr_expect_gt(count, 1, "a run of one is a plain record");
			/* the rle member comes first */
			cr_expect_str_eq(o->child->string, "rle");
			cJSON_Delete(o);
			const char *close = strstr(cl[i], "},");
			cr_assert_not_null(close);
			fixed = malloc(strlen(close) + 2);
			cr_assert_not_null(fixed);
			fixed[0] = '{';
			strcpy(fixed + 1, close + 2);
			body = fixed;
		}
		cr_expect_eq(count, counts[i], "record %zu: count %llu, expected %llu: %.120s", i,
			     (unsigned long long)count, (unsigned long long)counts[i], cl[i]);
		cr_assert_lt(j, nu);
		cr_expect_str_eq(body, ul[j], "record %zu is not the first call of its run", i);
		free(fixed);
		j += count;
	}
	cr_expect_eq(j, nu);

	/* the 5000-call run */
	cJSON *o = cJSON_Parse(cl[2]);
	cr_assert_not_null(o);
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(o, "rle");
	cr_expect_eq(jnum(r, "count"), 5000);
	cr_expect_eq(jnum(r, "first_ts_ns"), x.first_ts);
	cr_expect_eq(jnum(r, "last_ts_ns"), x.last_ts);
	cr_expect_eq(jnum(r, "duration_ns_total"), x.total);
	cr_expect_eq(jnum(r, "duration_ns_min"), x.min);
	cr_expect_eq(jnum(r, "duration_ns_max"), x.max);
	cr_expect_eq(jnum(r, "duration_ns_last"), x.last);
	cr_expect_eq(jnum(o, "ts_ns"), x.first_ts);
	cr_expect_str_eq(cJSON_GetObjectItemCaseSensitive(o, "name")->valuestring, "getppid");
	cJSON_Delete(o);

	free(cl);
	free(ul);
	free(ctext);
	free(utext);
}

/* Without -s, the call site is the instruction pointer only. */
static void site_stream(struct sink *S, struct expect_run *x)
{
	(void)x;
	clock_ns = 0;
	for (int i = 0; i < 4; i++)
		EV(.pid = 9, .name = "getppid", .result = 1, .ts = at(10), .dur = 10, .ip = 0x1000, .file = "a.c",
		   .line = (unsigned)(i < 2 ? 1 : 2));
	for (int i = 0; i < 4; i++)
		EV(.pid = 9, .name = "getppid", .result = 1, .ts = at(10), .dur = 10, .ip = i < 2 ? 0x2000 : 0x3000);
}

Test(rle, call_site_source_or_ip)
{
	/* with -s: the source line splits (a.c:1, a.c:2), then the ip does */
	char *t = slurp(write_trace(site_stream, true, true, NULL), NULL);
	size_t n;
	char **l = record_lines(t, &n);
	cr_expect_eq(n, 4);
	free(l);
	free(t);
	/* without -s: the source is not part of the record nor of the key */
	t = slurp(write_trace(site_stream, true, false, NULL), NULL);
	l = record_lines(t, &n);
	cr_expect_eq(n, 3);
	cr_expect(strstr(l[0], "\"count\":4"), "%s", l[0]);
	free(l);
	free(t);
}

/* Nothing to merge: every call differs from the one before. */
static void distinct_stream(struct sink *S, struct expect_run *x)
{
	(void)x;
	clock_ns = 0;
	for (int i = 0; i < 40; i++) {
		EV(.pid = 9, .name = "getppid", .result = 1, .ts = at(10), .dur = 10, .file = "a.c", .line = 3);
		EV(.pid = 9, .name = "write", .a = { 1, 0x10, 2 }, .t = { "1", "\"hi\"", "2" }, .nshown = 3, .result = 2,
		   .ts = at(20), .dur = 20);
		EV(.pid = 9, .tid = 10, .name = "getppid", .result = 1, .ts = at(10), .dur = 10, .file = "a.c", .line = 3);
		EV(.pid = 9, .name = "mmap", .a = { 0, 4096, 3, 0x22, (uint64_t)-1, 0 }, .result = 0x7f0000000000,
		   .ts = at(10), .dur = 10);
		EV(.pid = 9, .name = "mmap", .a = { 0, 4096, 3, 0x22, (uint64_t)-1, 0 }, .result = 0x7f0000000000,
		   .ts = at(10), .dur = 10);
		EV(.pid = 9, .name = "close", .a = { 5 }, .result = -9, .ts = at(10), .dur = 10);
		EV(.pid = 9, .name = "close", .a = { 5 }, .result = -9, .ts = at(10), .dur = 10);
		EV(.pid = 9, .name = "openat", .a = { (uint64_t)-100, 0x10 }, .t = { "AT_FDCWD", "\"/x\"", "O_RDONLY" },
		   .nshown = 3, .result = -2, .ts = at(10), .dur = 10);
		EV(.pid = 9, .name = "openat", .a = { (uint64_t)-100, 0x10 }, .t = { "AT_FDCWD", "\"/x\"", "O_RDONLY" },
		   .nshown = 3, .result = -2, .ts = at(10), .dur = 10);
		EV(.pid = 9, .name = "read", .a = { 3, 0x10, 5 }, .result = 5, .ts = at(10), .dur = 10);
		EV(.pid = 9, .name = "read", .a = { 4, 0x10, 5 }, .result = 5, .ts = at(10), .dur = 10);
		EV(.pid = 9, .name = "read", .a = { 4, 0x10, 5 }, .result = -11, .ts = at(10), .dur = 10);
		EV(.pid = 9, .name = "read", .a = { 4, 0x10, 5 }, .result = -4, .ts = at(10), .dur = 10);
	}
	EV(.pid = 9, .name = "exit_group", .a = { 0 }, .unfinished = true, .ts = at(0));
}

Test(rle, runs_of_one_are_byte_identical)
{
	size_t clen, ulen;
	char *c = slurp(write_trace(distinct_stream, true, true, NULL), &clen);
	char *u = slurp(write_trace(distinct_stream, false, true, NULL), &ulen);
	cr_expect_eq(clen, ulen);
	cr_expect(clen == ulen && !memcmp(c, u, clen), "compressed output differs without any run");
	cr_expect_null(strstr(c, "\"rle\""));
	free(c);
	free(u);
}

/* ------------------------------------------------------------------ */
/* The reader                                                          */

struct cap {
	struct sink sink;
	struct event ev[MIXED_RECORDS + 4];
	size_t n;
};

static void cap_syscall(void *self, const struct event *ev)
{
	struct cap *c = self;
	if (c->n < sizeof(c->ev) / sizeof(c->ev[0]))
		c->ev[c->n] = *ev; /* pointers are not kept past the call */
	c->n++;
}

Test(rle, reader_fills_rle_fields)
{
	struct expect_run x;
	const char *cp = write_trace(mixed_stream, true, true, &x);
	struct cap c = { .sink = { .syscall = cap_syscall } };
	c.sink.self = &c;
	struct sink *s = &c.sink;
	struct trace_summary ts;
	char err[512];
	cr_assert_eq(trace_read_file(cp, &s, 1, &ts, err, sizeof(err)), TRACE_OK, "%s", err);
	cr_expect_eq(c.n, MIXED_RECORDS);
	cr_expect_eq(ts.nrecords, MIXED_RECORDS);
	cr_expect_eq(ts.ncalls, MIXED_CALLS);
	cr_expect_eq(ts.total_syscalls, MIXED_CALLS);
	const struct event *e = &c.ev[2];
	cr_expect_eq(e->rle_count, 5000);
	cr_expect_eq(e->ts_ns, x.first_ts);
	cr_expect_eq(e->rle_last_ts_ns, x.last_ts);
	cr_expect_eq(e->rle_duration_total_ns, x.total);
	cr_expect_eq(e->rle_duration_min_ns, x.min);
	cr_expect_eq(e->rle_duration_max_ns, x.max);
	cr_expect_eq(e->rle_last_duration_ns, x.last);
	cr_expect_eq(event_calls(e), 5000);
	cr_expect_eq(event_end_ns(e), x.last_ts + x.last);
	cr_expect_eq(c.ev[0].rle_count, 0, "a plain record is no run");
	cr_expect_eq(c.ev[6].rle_count, 10);
	cr_expect_eq(c.ev[6].err, 25);

	/* the reader's counters equal those of the uncompressed trace */
	struct trace_summary tu;
	const char *up = write_trace(mixed_stream, false, true, NULL);
	cr_assert_eq(trace_read_file(up, NULL, 0, &tu, err, sizeof(err)), TRACE_OK, "%s", err);
	cr_expect_eq(tu.nrecords, MIXED_CALLS);
	cr_expect_eq(tu.ncalls, MIXED_CALLS);
	cr_expect_eq(ts.nerrors, tu.nerrors);
	cr_expect_eq(ts.total_ns, tu.total_ns);
	cr_expect_eq(ts.end_ns, tu.end_ns);
	trace_summary_free(&ts);
	trace_summary_free(&tu);
}

#define HDR                                                                                                    \
	"{\"version\":\"0.1.0\",\"format\":\"renacer-json-v1\",\"schema\":2,\n"                                 \
	" \"meta\":{\"tracer\":\"renacer-c\",\"start_unix_ns\":1},\n"                                           \
	" \"syscalls\":[\n"
#define TAIL " ],\n \"processes\":[],\n \"summary\":{\"total_syscalls\":3,\"exit_code\":0}\n}\n"
#define REC(rle, rest) "{" rle "\"name\":\"getppid\",\"result\":1,\"pid\":1,\"tid\":1" rest "}\n"

static void expect_bad(const char *record, const char *what)
{
	const char *path = tmp_path();
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fprintf(f, "%s%s%s", HDR, record, TAIL);
	fclose(f);
	char err[512];
	int rc = trace_read_file(path, NULL, 0, NULL, err, sizeof(err));
	cr_expect_eq(rc, TRACE_ERR_FORMAT, "accepted: %s", record);
	char where[128];
	snprintf(where, sizeof(where), "%s:4: \"rle\"", path);
	cr_expect(strstr(err, where), "no FILE:LINE \"rle\" in '%s'", err);
	cr_expect(strstr(err, what), "'%s' does not say '%s'", err, what);
}

#define RLE_OK "\"count\":3,\"first_ts_ns\":10,\"last_ts_ns\":50,\"duration_ns_total\":30,\"duration_ns_min\":5,\"duration_ns_max\":20"

Test(rle, reader_validates_rle)
{
	expect_bad(REC("\"rle\":[1],", ",\"ts_ns\":10,\"duration_ns\":5"), "must be an object");
	expect_bad(REC("\"rle\":{\"count\":\"3\"},", ""), "\"count\" must be an integer");
	expect_bad(REC("\"rle\":{\"count\":3},", ""), "\"first_ts_ns\" is missing");
	expect_bad(REC("\"rle\":{\"count\":3,\"first_ts_ns\":-1},", ""), "\"first_ts_ns\" is out of range");
	expect_bad(REC("\"rle\":{\"count\":3.5,\"first_ts_ns\":1},", ""), "\"count\" must be an integer");
	expect_bad(REC("\"rle\":{\"count\":0,\"first_ts_ns\":10,\"last_ts_ns\":50,\"duration_ns_total\":30,"
		       "\"duration_ns_min\":5,\"duration_ns_max\":20},",
		       ""),
		   "\"count\" must be at least 1");
	expect_bad(REC("\"rle\":{\"count\":3,\"first_ts_ns\":60,\"last_ts_ns\":50,\"duration_ns_total\":30,"
		       "\"duration_ns_min\":5,\"duration_ns_max\":20},",
		       ""),
		   "\"last_ts_ns\" is before \"first_ts_ns\"");
	expect_bad(REC("\"rle\":{\"count\":3,\"first_ts_ns\":10,\"last_ts_ns\":50,\"duration_ns_total\":30,"
		       "\"duration_ns_min\":25,\"duration_ns_max\":20},",
		       ""),
		   "\"duration_ns_min\" is greater than \"duration_ns_max\"");
	expect_bad(REC("\"rle\":{\"count\":3,\"first_ts_ns\":10,\"last_ts_ns\":50,\"duration_ns_total\":15,"
		       "\"duration_ns_min\":5,\"duration_ns_max\":20},",
		       ""),
		   "\"duration_ns_total\" is less than \"duration_ns_max\"");
	expect_bad(REC("\"rle\":{" RLE_OK ",\"duration_ns_last\":21},", ",\"ts_ns\":10,\"duration_ns\":5"),
		   "\"duration_ns_last\" is outside");
	expect_bad(REC("\"rle\":{" RLE_OK "},", ",\"ts_ns\":11,\"duration_ns\":5"),
		   "\"first_ts_ns\" differs from the record's \"ts_ns\"");
	expect_bad(REC("\"rle\":{" RLE_OK "},", ",\"ts_ns\":10,\"duration_ns\":4"), "\"duration_ns\" is outside");
	expect_bad(REC("\"rle\":{" RLE_OK "},", ",\"ts_ns\":10,\"duration_ns\":5,\"unfinished\":true"),
		   "an unfinished call cannot be a run");

	/* valid: read back, the run's end bounded by last + max without
	 * duration_ns_last; ts_ns may be absent */
	const char *path = tmp_path();
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fprintf(f, "%s%s%s", HDR, REC("\"rle\":{" RLE_OK "},", ",\"duration_ns\":5"), TAIL);
	fclose(f);
	struct trace_summary ts;
	char err[512];
	cr_assert_eq(trace_read_file(path, NULL, 0, &ts, err, sizeof(err)), TRACE_OK, "%s", err);
	cr_expect_eq(ts.nrecords, 1);
	cr_expect_eq(ts.ncalls, 3);
	cr_expect_eq(ts.total_ns, 30);
	cr_expect_eq(ts.end_ns, 70);
	trace_summary_free(&ts);
}

/* ------------------------------------------------------------------ */
/* Consumers: the same answers for both traces                         */

static char *summary_of(const char *trace)
{
	const char *out = tmp_path();
	struct writer w;
	cr_assert_eq(writer_open(&w, out, false), 0);
	struct filter filter;
	filter_init(&filter);
	struct sink *s = summary_sink_new(&w, &filter, SORT_TIME);
	cr_assert_not_null(s);
	struct trace_summary ts;
	char err[512];
	cr_assert_eq(trace_read_file(trace, &s, 1, &ts, err, sizeof(err)), TRACE_OK, "%s", err);
	struct run_info ri;
	trace_summary_run_info(&ts, &ri);
	cr_assert_eq(s->finish(s->self, &ri), 0);
	s->destroy(s->self);
	trace_summary_free(&ts);
	cr_assert_eq(writer_close(&w), 0);
	return slurp(out, NULL);
}

Test(rle, summary_table_is_the_same)
{
	char *c = summary_of(write_trace(mixed_stream, true, true, NULL));
	char *u = summary_of(write_trace(mixed_stream, false, true, NULL));
	cr_expect_str_eq(c, u);
	cr_expect(strstr(c, "5009           getppid"), "%s", c);
	free(c);
	free(u);
}

static struct metrics *metrics_of(const char *trace)
{
	struct metrics *m = metrics_new(NULL);
	cr_assert_not_null(m);
	struct sink *s = metrics_sink(m);
	struct trace_summary ts;
	char err[512];
	cr_assert_eq(trace_read_file(trace, &s, 1, &ts, err, sizeof(err)), TRACE_OK, "%s", err);
	struct run_info ri;
	trace_summary_run_info(&ts, &ri);
	cr_assert_eq(s->finish(s->self, &ri), 0);
	trace_summary_free(&ts);
	return m;
}

Test(rle, metrics_are_the_same)
{
	struct metrics *c = metrics_of(write_trace(mixed_stream, true, true, NULL));
	struct metrics *u = metrics_of(write_trace(mixed_stream, false, true, NULL));
	regex_t re;
	cr_assert_eq(regcomp(&re, "^getppid$", REG_EXTENDED | REG_NOSUB), 0);
	cr_expect_eq(metrics_span_count(c, NULL), metrics_span_count(u, NULL));
	cr_expect_eq(metrics_span_count(c, &re), 5009);
	cr_expect_eq(metrics_span_count(u, &re), 5009);
	regfree(&re);
	static const char *const names[] = { "getppid", "read", "ioctl", "write", "mmap", "close", "openat",
					     "exit_group" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct syscall_stats a, b;
		metrics_syscall_stats(c, names[i], &a);
		metrics_syscall_stats(u, names[i], &b);
		cr_expect_eq(a.calls, b.calls, "%s calls", names[i]);
		cr_expect_eq(a.finished, b.finished, "%s finished", names[i]);
		cr_expect_eq(a.errors, b.errors, "%s errors", names[i]);
		cr_expect_eq(a.time_ns, b.time_ns, "%s time", names[i]);
	}
	cr_expect_eq(metrics_total_time_ns(c), metrics_total_time_ns(u));
	for (uint64_t min_run = 1; min_run <= 6000; min_run = min_run * 3 + 1) {
		struct loop_info a, b;
		metrics_tight_loop(c, NULL, min_run, &a);
		metrics_tight_loop(u, NULL, min_run, &b);
		cr_expect_eq(a.calls, b.calls, "min_run %llu", (unsigned long long)min_run);
		cr_expect_eq(a.in_runs, b.in_runs, "min_run %llu", (unsigned long long)min_run);
		cr_expect_eq(a.longest, b.longest);
		cr_expect(a.confidence == b.confidence);
		cr_expect_str_eq(a.longest_name, b.longest_name);
	}
	struct io_info ia, ib;
	metrics_io_rate(c, NULL, &ia);
	metrics_io_rate(u, NULL, &ib);
	cr_expect_eq(ia.io_calls, ib.io_calls);
	cr_expect_eq(ia.io_calls, 71);
	cr_expect_eq(ia.wall_ns, ib.wall_ns);
	cr_expect(ia.rate == ib.rate);
	struct block_info ba, bb;
	metrics_main_block(c, NULL, &ba);
	metrics_main_block(u, NULL, &bb);
	cr_expect_eq(ba.duration_ns, bb.duration_ns, "longest main-thread call");
	cr_expect_str_eq(ba.call, bb.call);
	cr_expect_str_eq(ba.call, "getppid", "the run's longest call is the longest");
	struct critical_path pa, pb;
	cr_assert_eq(metrics_critical_path(c, NULL, &pa), 0);
	cr_assert_eq(metrics_critical_path(u, NULL, &pb), 0);
	cr_expect_eq(pa.start_ns, pb.start_ns);
	cr_expect_eq(pa.end_ns, pb.end_ns);
	cr_assert_eq(pa.nseg, pb.nseg);
	for (size_t i = 0; i < pa.nseg; i++) {
		cr_expect_eq(pa.seg[i].longest_ns, pb.seg[i].longest_ns);
		cr_expect_str_eq(pa.seg[i].longest, pb.seg[i].longest);
	}
	critical_path_free(&pa);
	critical_path_free(&pb);
	metrics_free(c);
	metrics_free(u);
}

Test(rle, golden_similarity_is_one)
{
	struct golden_seq *c, *u;
	char err[512];
	cr_assert_eq(golden_seq_load(write_trace(mixed_stream, true, true, NULL), &c, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(golden_seq_load(write_trace(mixed_stream, false, true, NULL), &u, err, sizeof(err)), 0, "%s",
		     err);
	cr_expect_eq(golden_seq_len(c), golden_seq_len(u));
	cr_expect_gt(golden_seq_len(c), 5000);
	cr_expect_eq(golden_seq_records(c), MIXED_RECORDS);
	cr_expect(golden_similarity(c, u) == 1.0, "similarity %f", golden_similarity(c, u));
	struct golden_diff d;
	cr_assert_eq(golden_diff(c, u, NULL, &d), 0);
	cr_expect_eq(d.nhunks, 0);
	golden_diff_free(&d);
	golden_seq_free(c);
	golden_seq_free(u);
}

/* ------------------------------------------------------------------ */
/* Options                                                             */

static enum parse_result parse(const char *const *args)
{
	int argc = 0;
	while (args[argc])
		argc++;
	struct options o;
	enum parse_result r = options_parse(&o, argc, (char **)args);
	bool on = o.compress_rle;
	options_free(&o);
	return r == PARSE_OK && !on ? PARSE_EXIT_OK /* parsed, but not on */ : r;
}

Test(rle, options)
{
	cr_expect_eq(parse((const char *const[]){ "renacer-c", "--format", "json", "--compress=rle", "true", NULL }),
		     PARSE_OK);
	cr_expect_eq(parse((const char *const[]){ "renacer-c", "--compress", "rle", "--format=json", "true", NULL }),
		     PARSE_OK);
	cr_expect_eq(parse((const char *const[]){ "renacer-c", "--compress=rle", "true", NULL }), PARSE_USAGE);
	cr_expect_eq(parse((const char *const[]){ "renacer-c", "--format=csv", "--compress=rle", "true", NULL }),
		     PARSE_USAGE);
	cr_expect_eq(parse((const char *const[]){ "renacer-c", "--format=json", "--compress=zstd", "true", NULL }),
		     PARSE_USAGE);
	cr_expect_eq(parse((const char *const[]){ "renacer-c", "--format=json", "--compress=", "true", NULL }),
		     PARSE_USAGE);
	cr_expect_eq(parse((const char *const[]){ "renacer-c", "--format=json", "--compress", NULL }), PARSE_USAGE);
	cr_expect_eq(parse((const char *const[]){ "renacer-c", "--format=json", "true", NULL }), PARSE_EXIT_OK);
}
