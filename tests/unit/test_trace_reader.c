/* test_trace_reader.c — the JSON trace reader: streamed layout, renacer's
 * pretty v1 files, errors with file:line, type validation, a 1M-record
 * trace in flat memory, and a json_sink -> reader round trip. */
#include <criterion/criterion.h>

#include <cjson/cJSON.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "format_sinks.h"
#include "source.h"
#include "trace_reader.h"
#include "writer.h"

/* ------------------------------------------------------------------ */
/* A sink that keeps deep copies of what it is fed.                     */

struct rec {
	struct event ev;
	char *name;
	char *args[EVENT_MAX_ARGS];
	char *module;
	char *ret_text;
	struct source_loc src;
	bool has_src;
};

struct proc_rec {
	struct process_info pi;
	char *exe;
};

struct collector {
	struct sink sink;
	struct rec *recs;
	size_t n, cap;
	struct proc_rec procs[16];
	size_t nprocs;
	uint64_t count; /* counting only (keep == false) */
	bool keep;
};

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static void col_syscall(void *self, const struct event *ev)
{
	struct collector *c = self;
	c->count++;
	if (!c->keep)
		return;
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->recs = realloc(c->recs, c->cap * sizeof(*c->recs));
		cr_assert_not_null(c->recs);
	}
	struct rec *r = &c->recs[c->n++];
	memset(r, 0, sizeof(*r));
	r->ev = *ev;
	r->name = dup_or_null(ev->name);
	for (int i = 0; i < EVENT_MAX_ARGS; i++)
		r->args[i] = dup_or_null(ev->arg_text[i]);
	r->module = dup_or_null(ev->module);
	r->ret_text = dup_or_null(ev->ret_text);
	if (ev->source) {
		r->has_src = true;
		r->src.file = dup_or_null(ev->source->file);
		r->src.function = dup_or_null(ev->source->function);
		r->src.line = ev->source->line;
	}
}

static void col_process_end(void *self, const struct process_info *p)
{
	struct collector *c = self;
	if (c->nprocs < 16) {
		c->procs[c->nprocs].pi = *p;
		c->procs[c->nprocs].exe = dup_or_null(p->exe);
		c->nprocs++;
	}
}

static void col_init(struct collector *c, bool keep)
{
	memset(c, 0, sizeof(*c));
	c->keep = keep;
	c->sink.self = c;
	c->sink.syscall = col_syscall;
	c->sink.process_end = col_process_end;
}

static void col_free(struct collector *c)
{
	for (size_t i = 0; i < c->n; i++) {
		struct rec *r = &c->recs[i];
		free(r->name);
		for (int k = 0; k < EVENT_MAX_ARGS; k++)
			free(r->args[k]);
		free(r->module);
		free(r->ret_text);
		free((char *)r->src.file);
		free((char *)r->src.function);
	}
	free(c->recs);
	for (size_t i = 0; i < c->nprocs; i++)
		free(c->procs[i].exe);
	memset(c, 0, sizeof(*c));
}

/* ------------------------------------------------------------------ */
/* Temp files                                                           */

static char tmpdir[64];

static void setup(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/renacer-tr-XXXXXX");
	cr_assert_not_null(mkdtemp(tmpdir));
}

static void teardown(void)
{
	char cmd[128];
	/* Only our own mkdtemp directory. */
	snprintf(cmd, sizeof(cmd), "%s", tmpdir);
	const char *names[] = { "t.json", "big.json", "rt.json", NULL };
	for (int i = 0; names[i]; i++) {
		char p[160];
		snprintf(p, sizeof(p), "%s/%s", tmpdir, names[i]);
		unlink(p);
	}
	rmdir(cmd);
}

static const char *tpath(const char *name)
{
	static char p[3][160];
	static int k;
	k = (k + 1) % 3;
	snprintf(p[k], sizeof(p[k]), "%s/%s", tmpdir, name);
	return p[k];
}

static const char *write_text(const char *name, const char *text)
{
	const char *p = tpath(name);
	FILE *f = fopen(p, "w");
	cr_assert_not_null(f);
	cr_assert_eq(fwrite(text, 1, strlen(text), f), strlen(text));
	cr_assert_eq(fclose(f), 0);
	return p;
}

TestSuite(trace_reader, .init = setup, .fini = teardown);

/* A small trace in json_sink's layout (hand-written). */
#define STREAM_HDR                                                                                              \
	"{\"version\":\"0.1.0\",\"format\":\"renacer-json-v1\",\"schema\":2,\n"                                 \
	" \"meta\":{\"tracer\":\"renacer-c\",\"command\":[\"cat\",\"/etc/hosts\"],\"start_unix_ns\":1,"          \
	"\"kernel\":\"6.1.0\",\"host\":\"h\"},\n"                                                               \
	" \"syscalls\":[\n"
#define REC1                                                                                                    \
	"{\"name\":\"openat\",\"nr\":257,\"args\":[\"AT_FDCWD\",\"\\\"/etc/hosts\\\"\",\"O_RDONLY\"],"           \
	"\"raw_args\":[\"0xffffffffffffff9c\",\"0x55d1c0a0\",\"0x0\",\"0x0\",\"0x0\",\"0x0\"],\"result\":3,"    \
	"\"errno\":null,\"pid\":4242,\"tid\":4243,\"ts_ns\":120034,\"duration_ns\":5300,\"duration_us\":5,"       \
	"\"ip\":\"0x7f3a1c2e4d5b\",\"module\":\"libc.so.6\",\"source\":{\"file\":\"main.c\",\"line\":42,"       \
	"\"function\":\"main\"}}"
#define REC2                                                                                                    \
	"{\"name\":\"openat\",\"nr\":257,\"args\":[\"AT_FDCWD\",\"\\\"/nope\\\"\",\"O_RDONLY\"],"                \
	"\"raw_args\":[\"0xffffffffffffff9c\",\"0x1\",\"0x0\",\"0x0\",\"0x0\",\"0x0\"],\"result\":-2,"         \
	"\"errno\":\"ENOENT\",\"pid\":4242,\"tid\":4242,\"ts_ns\":130000,\"duration_ns\":4000,\"duration_us\":4," \
	"\"ip\":\"0x7f3a1c2e4d5b\",\"module\":null}"
#define REC3                                                                                                    \
	"{\"name\":\"exit_group\",\"nr\":231,\"args\":[\"0\"],\"raw_args\":[\"0x0\",\"0x0\",\"0x0\",\"0x0\","     \
	"\"0x0\",\"0x0\"],\"result\":null,\"errno\":null,\"pid\":4242,\"tid\":4242,\"ts_ns\":140000,"            \
	"\"duration_ns\":0,\"duration_us\":0,\"ip\":\"0x0\",\"module\":null,\"unfinished\":true}"
#define STREAM_TAIL                                                                                             \
	" ],\n"                                                                                                 \
	" \"processes\":[{\"pid\":4242,\"ppid\":4241,\"exe\":\"/usr/bin/cat\",\"start_ns\":0,\"end_ns\":880021," \
	"\"exit_code\":null,\"signal\":\"SIGKILL\",\"utime_us\":310,\"stime_us\":540,\"maxrss_kb\":1820}],\n"   \
	" \"gpu\":[{\"kind\":\"transfer\",\"ts_ns\":10,\"duration_ns\":20,\"bytes\":4096},"                     \
	"{\"kind\":\"kernel\",\"ts_ns\":40,\"duration_ns\":50}],\n"                                             \
	" \"summary\":{\"total_syscalls\":3,\"total_time_us\":9,\"errors\":1,\"wall_time_us\":1204,"            \
	"\"exit_code\":137}\n"                                                                                  \
	"}\n"

static const char stream_doc[] = STREAM_HDR REC1 ",\n" REC2 ",\n" REC3 "\n" STREAM_TAIL;

Test(trace_reader, streamed_layout)
{
	const char *p = write_text("t.json", stream_doc);
	struct collector c;
	col_init(&c, true);
	struct sink *sinks[] = { &c.sink };
	struct trace_summary ts;
	char err[512];
	int rc = trace_read_file(p, sinks, 1, &ts, err, sizeof(err));
	cr_assert_eq(rc, TRACE_OK, "%s", err);
	cr_assert(ts.streamed);
	cr_assert_str_eq(ts.format, "renacer-json-v1");
	cr_assert_str_eq(ts.version, "0.1.0");
	cr_assert_eq(ts.schema, 2);
	cr_assert_eq(ts.ncommand, 2);
	cr_assert_str_eq(ts.command[0], "cat");
	cr_assert_str_eq(ts.command[1], "/etc/hosts");
	cr_assert_eq(ts.nrecords, 3);
	cr_assert_eq(ts.nerrors, 1);
	cr_assert_eq(ts.total_ns, 9300);
	cr_assert(ts.has_summary && ts.has_exit_code && ts.has_wall_time_us);
	cr_assert_eq(ts.total_syscalls, 3);
	cr_assert_eq(ts.exit_code, 137);
	cr_assert_eq(ts.wall_time_us, 1204);
	cr_assert_eq(ts.ngpu, 2);
	cr_assert_eq(ts.gpu[0].kind, TRACE_GPU_TRANSFER);
	cr_assert_eq(ts.gpu[0].bytes, 4096);
	cr_assert_eq(ts.gpu[1].kind, TRACE_GPU_KERNEL);
	cr_assert_eq(ts.gpu[1].ts_ns, 40);
	cr_assert_eq(ts.gpu[1].duration_ns, 50);

	cr_assert_eq(c.n, 3);
	const struct rec *r = &c.recs[0];
	cr_assert_str_eq(r->name, "openat");
	cr_assert_eq(r->ev.nr, 257);
	cr_assert_eq(r->ev.nshown, 3);
	cr_assert_str_eq(r->args[0], "AT_FDCWD");
	cr_assert_str_eq(r->args[1], "\"/etc/hosts\"");
	cr_assert_eq(r->ev.raw_args[0], 0xffffffffffffff9cull);
	cr_assert_eq(r->ev.raw_args[1], 0x55d1c0a0ull);
	cr_assert_eq(r->ev.result, 3);
	cr_assert_eq(r->ev.err, 0);
	cr_assert(r->ev.finished);
	cr_assert_eq(r->ev.pid, 4242);
	cr_assert_eq(r->ev.tid, 4243);
	cr_assert_eq(r->ev.ts_ns, 120034);
	cr_assert_eq(r->ev.duration_ns, 5300);
	cr_assert_eq(r->ev.ip, 0x7f3a1c2e4d5bull);
	cr_assert_str_eq(r->module, "libc.so.6");
	cr_assert(r->has_src);
	cr_assert_str_eq(r->src.file, "main.c");
	cr_assert_eq(r->src.line, 42);
	cr_assert_str_eq(r->src.function, "main");
	cr_assert_str_eq(r->ret_text, "3");

	r = &c.recs[1];
	cr_assert_eq(r->ev.result, -2);
	cr_assert_eq(r->ev.err, ENOENT);
	cr_assert_null(r->module);
	cr_assert_not(r->has_src);
	cr_assert_str_eq(r->ret_text, "-1 ENOENT (No such file or directory)");

	r = &c.recs[2];
	cr_assert_str_eq(r->name, "exit_group");
	cr_assert_not(r->ev.finished);
	cr_assert_eq(r->ev.err, 0);
	cr_assert_str_eq(r->ret_text, "?");

	cr_assert_eq(c.nprocs, 1);
	cr_assert_eq(c.procs[0].pi.pid, 4242);
	cr_assert_eq(c.procs[0].pi.ppid, 4241);
	cr_assert_str_eq(c.procs[0].exe, "/usr/bin/cat");
	cr_assert_not(c.procs[0].pi.exited);
	cr_assert_eq(c.procs[0].pi.signal, SIGKILL);
	cr_assert_eq(c.procs[0].pi.end_ns, 880021);
	cr_assert_eq(c.procs[0].pi.maxrss_kb, 1820);

	struct run_info ri;
	trace_summary_run_info(&ts, &ri);
	cr_assert_eq(ri.exit_code, 137);
	cr_assert_eq(ri.wall_ns, 1204000);
	trace_summary_free(&ts);
	col_free(&c);
}

Test(trace_reader, renacer_v1_pretty_fixture)
{
	const char *p = "tests/data/renacer_v1_pretty.json";
	if (access(p, R_OK) != 0)
		p = "../tests/data/renacer_v1_pretty.json";
	struct collector c;
	col_init(&c, true);
	struct sink *sinks[] = { &c.sink };
	struct trace_summary ts;
	char err[512];
	int rc = trace_read_file(p, sinks, 1, &ts, err, sizeof(err));
	cr_assert_eq(rc, TRACE_OK, "%s", err);
	cr_assert_not(ts.streamed);
	cr_assert_eq(ts.schema, 0);
	cr_assert_eq(ts.nrecords, 8);
	cr_assert_eq(c.n, 8);
	cr_assert_eq(ts.total_syscalls, 8);
	cr_assert_eq(ts.total_time_us, 32);
	cr_assert(ts.has_exit_code);
	cr_assert_eq(ts.exit_code, 0);
	cr_assert_not(ts.has_wall_time_us);
	cr_assert_eq(ts.nerrors, 2);

	const char *names[] = { "brk", "openat", "openat", "read", "write", "close", "access", "exit_group" };
	const long nrs[] = { 12, 257, 257, 0, 1, 3, 21, 231 };
	uint64_t ts_ns = 0;
	for (size_t i = 0; i < 8; i++) {
		const struct rec *r = &c.recs[i];
		cr_assert_str_eq(r->name, names[i]);
		cr_assert_eq(r->ev.nr, nrs[i], "%s: nr %ld", names[i], r->ev.nr);
		cr_assert_eq(r->ev.pid, 1);
		cr_assert_eq(r->ev.tid, 1);
		cr_assert_eq(r->ev.nshown, 3);
		cr_assert_eq(r->ev.ts_ns, ts_ns, "%s: ts %lu want %lu", names[i], (unsigned long)r->ev.ts_ns,
			     (unsigned long)ts_ns);
		ts_ns += r->ev.duration_ns;
	}
	cr_assert_eq(c.recs[0].ev.result, 94558203650048L);
	cr_assert_eq(c.recs[1].ev.raw_args[0], 0xffffff9cull);
	cr_assert_eq(c.recs[1].ev.raw_args[2], 0x80000ull);
	cr_assert_str_eq(c.recs[1].args[1], "0x7ffd3a1c2e40");
	cr_assert_eq(c.recs[1].ev.duration_ns, 5000);
	cr_assert_eq(c.recs[2].ev.err, ENOENT);
	cr_assert_eq(c.recs[6].ev.err, ENOENT);
	cr_assert(c.recs[3].has_src);
	cr_assert_str_eq(c.recs[3].src.file, "src/main.c");
	cr_assert_eq(c.recs[3].src.line, 42);
	cr_assert_str_eq(c.recs[4].src.function, "print_greeting");
	cr_assert_not(c.recs[5].has_src);
	trace_summary_free(&ts);
	col_free(&c);
}

/* Read text and expect a format error whose message starts with PREFIX
 * (the path is prepended) and contains WHAT. */
static void expect_error(const char *text, const char *prefix, const char *what)
{
	const char *p = write_text("t.json", text);
	char err[512];
	struct trace_summary ts;
	int rc = trace_read_file(p, NULL, 0, &ts, err, sizeof(err));
	trace_summary_free(&ts);
	cr_assert_eq(rc, TRACE_ERR_FORMAT, "rc %d for %s", rc, text);
	char want[256];
	snprintf(want, sizeof(want), "%s%s", p, prefix);
	cr_assert(!strncmp(err, want, strlen(want)), "error '%s' does not start with '%s'", err, want);
	cr_assert(strstr(err, what), "error '%s' does not mention '%s'", err, what);
}

Test(trace_reader, truncated_files)
{
	/* Cut inside the second record (line 5). */
	char doc[sizeof(stream_doc)];
	const char *rec2 = strstr(stream_doc, "{\"name\":\"openat\",\"nr\":257,\"args\":[\"AT_FDCWD\",\"\\\"/nope");
	cr_assert_not_null(rec2);
	size_t cut = (size_t)(rec2 - stream_doc) + 40;
	memcpy(doc, stream_doc, cut);
	doc[cut] = '\0';
	expect_error(doc, ":5: ", "truncated");

	/* Cut right after a complete record line: the array is not closed. */
	cut = (size_t)(rec2 - stream_doc);
	memcpy(doc, stream_doc, cut);
	doc[cut] = '\0';
	expect_error(doc, ":4: ", "not closed");

	/* Cut after "],": the document is not closed. */
	const char *close = strstr(stream_doc, " ],\n");
	cut = (size_t)(close - stream_doc) + 4;
	memcpy(doc, stream_doc, cut);
	doc[cut] = '\0';
	expect_error(doc, ":7: ", "truncated");

	/* Cut inside the summary. */
	const char *sum = strstr(stream_doc, "\"wall_time_us\"");
	cut = (size_t)(sum - stream_doc);
	memcpy(doc, stream_doc, cut);
	doc[cut] = '\0';
	expect_error(doc, ":10: ", "truncated");

	/* Pretty-printed and truncated: full parse, line of the end. */
	expect_error("{\n  \"format\": \"renacer-json-v1\",\n  \"syscalls\": [\n    {\n      \"name\": \"read\",\n",
		     ":5: ", "truncated");
	/* Empty file. */
	expect_error("", ": ", "empty");
	expect_error("\n\n", ": ", "empty");
}

Test(trace_reader, invalid_json)
{
	expect_error(STREAM_HDR REC1 ",\n{\"name\":\"read\",,}\n ],\n \"summary\":{}\n}\n", ":5: ", "invalid JSON");
	expect_error(STREAM_HDR REC1 "\n" REC2 "\n ],\n \"summary\":{}\n}\n", ":5: ", "missing ','");
	expect_error(STREAM_HDR REC1 ",\n ],\n \"summary\":{}\n}\n", ":5: ", "',' after the last record");
	expect_error(STREAM_HDR REC1 " x\n ],\n \"summary\":{}\n}\n", ":4: ", "unexpected text");
	expect_error(STREAM_HDR REC1 "\n ],\n \"summary\":{} junk\n}\n", ":6: ", "invalid JSON");
	expect_error("{\n  \"syscalls\": [\n    {\"name\": \"read\"} {}\n  ]\n}\n", ":3: ", "invalid JSON");
	expect_error("[1,2,3]\n", ": ", "must be a JSON object");
	expect_error("{\"version\":\"0.1.0\"}\n", ": ", "no \"syscalls\" array");
	expect_error("{\"traceEvents\":[],\"format\":\"chrome\",\"syscalls\":[]}", ": ", "not a renacer-json-v1");
}

Test(trace_reader, wrong_types_name_the_key)
{
	expect_error(STREAM_HDR "{\"name\":\"read\",\"result\":\"3\"}\n ],\n \"summary\":{}\n}\n", ":4: ",
		     "\"result\" must be an integer, not a string");
	expect_error(STREAM_HDR "{\"name\":3}\n ],\n}\n", ":4: ", "\"name\" must be a string");
	expect_error(STREAM_HDR "{\"name\":\"read\",\"pid\":\"x\"}\n ],\n}\n", ":4: ", "\"pid\"");
	expect_error(STREAM_HDR "{\"name\":\"read\",\"ts_ns\":-5}\n ],\n}\n", ":4: ", "\"ts_ns\" is out of range");
	expect_error(STREAM_HDR "{\"name\":\"read\",\"duration_ns\":1.5}\n ],\n}\n", ":4: ",
		     "\"duration_ns\" must be an integer");
	expect_error(STREAM_HDR "{\"name\":\"read\",\"args\":\"x\"}\n ],\n}\n", ":4: ", "\"args\" must be an array");
	expect_error(STREAM_HDR "{\"name\":\"read\",\"args\":[1]}\n ],\n}\n", ":4: ", "\"args\"[0] must be a string");
	expect_error(STREAM_HDR "{\"name\":\"read\",\"args\":[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\"]}\n ],\n}\n",
		     ":4: ", "more than 6");
	expect_error(STREAM_HDR "{\"name\":\"read\",\"raw_args\":[\"zz\"]}\n ],\n}\n", ":4: ", "\"raw_args\"");
	expect_error(STREAM_HDR "{\"name\":\"read\",\"ip\":true}\n ],\n}\n", ":4: ", "\"ip\"");
	expect_error(STREAM_HDR "{\"name\":\"read\",\"source\":{\"file\":1}}\n ],\n}\n", ":4: ", "\"file\"");
	expect_error(STREAM_HDR "{\"name\":\"read\",\"errno\":[]}\n ],\n}\n", ":4: ", "\"errno\"");
	expect_error(STREAM_HDR "{\"name\":\"read\",\"unfinished\":1}\n ],\n}\n", ":4: ", "\"unfinished\"");
	expect_error(STREAM_HDR "{\"args\":[]}\n ],\n}\n", ":4: ", "no \"name\"");
	expect_error(STREAM_HDR "[1]\n ],\n}\n", ":4: ", "must be an object");
	expect_error(STREAM_HDR " ],\n \"summary\":{\"exit_code\":\"0\"}\n}\n", ":4: ", "\"exit_code\"");
	expect_error(STREAM_HDR " ],\n \"processes\":{}\n}\n", ":4: ", "\"processes\" must be an array");
	expect_error(STREAM_HDR " ],\n \"processes\":[{\"pid\":\"1\"}]\n}\n", ":4: ", "processes[0]: \"pid\"");
	expect_error(STREAM_HDR " ],\n \"gpu\":[{\"kind\":\"dma\"}]\n}\n", ":4: ", "gpu[0]");
	expect_error(STREAM_HDR " ],\n \"gpu\":[{\"kind\":\"kernel\",\"bytes\":\"1\"}]\n}\n", ":4: ", "\"bytes\"");
	/* Full-parse mode names the record index. */
	expect_error("{\"syscalls\":[{\"name\":\"read\"},{\"name\":\"read\",\"result\":[]}]}", ": syscalls[1]: ",
		     "\"result\"");
	expect_error("{\"format\":7,\"syscalls\":[]}", ": ", "\"format\" must be a string");
	expect_error("{\"meta\":{\"command\":[1]},\"syscalls\":[]}", ": ", "\"command\"");
}

Test(trace_reader, empty_syscalls)
{
	const char *docs[] = {
		STREAM_HDR " ],\n \"processes\":[],\n \"summary\":{\"total_syscalls\":0,\"exit_code\":0}\n}\n",
		"{\"format\":\"renacer-json-v1\",\"syscalls\":[]}",
		"{\n  \"syscalls\": [],\n  \"summary\": {\"total_syscalls\": 0}\n}\n",
	};
	for (size_t i = 0; i < 3; i++) {
		const char *p = write_text("t.json", docs[i]);
		struct collector c;
		col_init(&c, true);
		struct sink *sinks[] = { &c.sink };
		struct trace_summary ts;
		char err[512];
		cr_assert_eq(trace_read_file(p, sinks, 1, &ts, err, sizeof(err)), TRACE_OK, "%zu: %s", i, err);
		cr_assert_eq(ts.nrecords, 0);
		cr_assert_eq(c.n, 0);
		cr_assert_eq(ts.streamed, i == 0);
		trace_summary_free(&ts);
		col_free(&c);
	}
}

Test(trace_reader, compact_header_multiline_records_fall_back)
{
	const char *p = write_text("t.json", "{\"format\":\"renacer-json-v1\",\"syscalls\":[\n"
					     "{\n\"name\":\"read\",\n\"result\":5}\n]}\n");
	struct collector c;
	col_init(&c, true);
	struct sink *sinks[] = { &c.sink };
	struct trace_summary ts;
	char err[512];
	cr_assert_eq(trace_read_file(p, sinks, 1, &ts, err, sizeof(err)), TRACE_OK, "%s", err);
	cr_assert_not(ts.streamed);
	cr_assert_eq(c.n, 1);
	cr_assert_eq(c.recs[0].ev.result, 5);
	trace_summary_free(&ts);
	col_free(&c);
}

Test(trace_reader, missing_file)
{
	char err[512];
	int rc = trace_read_file(tpath("does-not-exist.json"), NULL, 0, NULL, err, sizeof(err));
	cr_assert_eq(rc, TRACE_ERR_IO);
	cr_assert(strstr(err, "does-not-exist.json: cannot open"), "%s", err);
}

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RENACER_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define RENACER_ASAN 1
#endif

static bool under_asan(void)
{
#ifdef RENACER_ASAN
	return true;
#else
	return false;
#endif
}

static long maxrss_kb(void)
{
	struct rusage ru;
	cr_assert_eq(getrusage(RUSAGE_SELF, &ru), 0);
	return ru.ru_maxrss;
}

Test(trace_reader, million_records_flat_memory, .timeout = 120)
{
	const char *p = tpath("big.json");
	FILE *f = fopen(p, "w");
	cr_assert_not_null(f);
	setvbuf(f, NULL, _IOFBF, 1 << 20);
	fputs(STREAM_HDR, f);
	const unsigned long n = 1000000;
	for (unsigned long i = 0; i < n; i++)
		fprintf(f,
			"{\"name\":\"getppid\",\"nr\":110,\"args\":[],\"raw_args\":[\"0x0\",\"0x0\",\"0x0\",\"0x0\","
			"\"0x0\",\"0x0\"],\"result\":1,\"errno\":null,\"pid\":7,\"tid\":7,\"ts_ns\":%lu,"
			"\"duration_ns\":300,\"duration_us\":0,\"ip\":\"0x401000\",\"module\":\"/tmp/a.out\"}%s\n",
			i * 1000, i + 1 < n ? "," : "");
	fprintf(f, " ],\n \"processes\":[],\n \"summary\":{\"total_syscalls\":%lu,\"exit_code\":0}\n}\n", n);
	cr_assert_eq(ferror(f), 0);
	cr_assert_eq(fclose(f), 0);

	struct collector c;
	col_init(&c, false);
	struct sink *sinks[] = { &c.sink };
	struct trace_summary ts;
	char err[512];
	long before = maxrss_kb();
	int rc = trace_read_file(p, sinks, 1, &ts, err, sizeof(err));
	long after = maxrss_kb();
	unlink(p);
	cr_assert_eq(rc, TRACE_OK, "%s", err);
	cr_assert(ts.streamed);
	cr_assert_eq(c.count, n);
	cr_assert_eq(ts.nrecords, n);
	cr_assert_eq(ts.total_syscalls, n);
	cr_assert_eq(ts.total_ns, 300ull * n);
	/* AddressSanitizer's quarantine keeps freed memory resident; the
	 * bound is checked in the plain build (make unit). */
	if (!under_asan())
		cr_assert_lt(after - before, 64 * 1024, "peak RSS grew by %ld kB", after - before);
	trace_summary_free(&ts);
}

/* ------------------------------------------------------------------ */
/* json_sink -> file -> reader                                          */

Test(trace_reader, json_sink_round_trip)
{
	const char *p = tpath("rt.json");
	struct writer w;
	cr_assert_eq(writer_open(&w, p, true), 0);
	char *argv[] = { "prog", "arg with \"quotes\"", "caf\xc3\xa9", NULL };
	struct run_meta meta = {
		.command = argv,
		.start_unix_ns = 1700000000123456789ull,
		.kernel = "6.1.0-test",
		.host = "host\\name",
		.with_source = true,
	};
	struct sink *js = json_sink_new(&w, &meta, false);
	cr_assert_not_null(js);

	struct source_loc loc = { .file = "src/main.c", .line = 42, .function = "main" };
	struct source_loc loc2 = { .file = "weird \"file\".c", .line = 7, .function = NULL };
	struct event evs[5];
	memset(evs, 0, sizeof(evs));
	evs[0] = (struct event){ .pid = 100, .tid = 100, .nr = 257, .name = "openat",
				 .raw_args = { 0xffffffffffffff9cull, 0x55d1c0a0, 0x80000, 0, 0, 0 },
				 .nargs = 4, .arg_text = { "AT_FDCWD", "\"/etc/hosts\"", "O_RDONLY|O_CLOEXEC" },
				 .nshown = 3, .result = 3, .finished = true, .ts_ns = 1000, .duration_ns = 5300,
				 .ip = 0x7f3a1c2e4d5bull, .module = "/usr/lib/x86_64-linux-gnu/libc.so.6",
				 .source = &loc };
	evs[1] = (struct event){ .pid = 100, .tid = 101, .nr = 1, .name = "write",
				 .raw_args = { 1, 0x1234, 6, 0, 0, 0 }, .nargs = 3,
				 .arg_text = { "1", "\"tab\\there \\n\\x01\\\\ \xe2\x82\xac\"", "6" }, .nshown = 3,
				 .result = 6, .finished = true, .ts_ns = 7000, .duration_ns = 999,
				 .ip = 0x401000, .module = NULL, .source = &loc2 };
	evs[2] = (struct event){ .pid = 100, .tid = 100, .nr = 257, .name = "openat",
				 .raw_args = { 0xffffffffffffff9cull, 0x1, 0, 0, 0, 0 }, .nargs = 4,
				 .arg_text = { "AT_FDCWD", "\"/nope\"", "O_RDONLY" }, .nshown = 3, .result = -2,
				 .err = ENOENT, .finished = true, .ts_ns = 9000, .duration_ns = 4000, .ip = 0x10 };
	/* Decoding off: no arg text, args written as raw hex. */
	evs[3] = (struct event){ .pid = 200, .tid = 200, .nr = 0, .name = "read",
				 .raw_args = { 3, 0x7ffd0000, 4096, 0, 0, 0 }, .nargs = 3, .nshown = 3,
				 .result = 4096, .finished = true, .ts_ns = 20000, .duration_ns = 12345, .ip = 0x20 };
	evs[4] = (struct event){ .pid = 100, .tid = 100, .nr = 231, .name = "exit_group",
				 .raw_args = { 0 }, .nargs = 1, .arg_text = { "0" }, .nshown = 1,
				 .finished = false, .ts_ns = 30000, .duration_ns = 0, .ip = 0x30 };
	for (int i = 0; i < 5; i++)
		js->syscall(js->self, &evs[i]);
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	si.si_signo = SIGCHLD;
	si.si_code = CLD_EXITED;
	js->signal(js->self, 100, 15000, &si);
	struct process_info p1 = { .pid = 200, .ppid = 100, .exe = "/bin/true", .start_ns = 10000, .end_ns = 25000,
				   .exited = true, .exit_code = 3, .utime_us = 1, .stime_us = 2, .maxrss_kb = 1000 };
	struct process_info p2 = { .pid = 100, .ppid = 1, .exe = NULL, .start_ns = 0, .end_ns = 31000,
				   .exited = false, .signal = SIGSEGV, .core_dumped = true, .utime_us = 10,
				   .stime_us = 20, .maxrss_kb = 2000 };
	js->process_end(js->self, &p1);
	js->process_end(js->self, &p2);
	struct run_info ri = { .exit_code = 139, .wall_ns = 31500, .interrupted = false };
	cr_assert_eq(js->finish(js->self, &ri), 0);
	cr_assert_eq(writer_close(&w), 0);
	js->destroy(js->self);

	/* The whole file is one valid JSON document in the documented layout. */
	FILE *f = fopen(p, "r");
	cr_assert_not_null(f);
	char *text = calloc(1, 65536);
	cr_assert_not_null(text);
	size_t len = fread(text, 1, 65535, f);
	fclose(f);
	cJSON *doc = cJSON_Parse(text);
	cr_assert_not_null(doc, "invalid JSON:\n%s", text);
	cJSON_Delete(doc);
	cr_assert(!strncmp(text, "{\"version\":\"0.1.0\",\"format\":\"renacer-json-v1\",\"schema\":2,\n \"meta\":{",
			   62), "%s", text);
	cr_assert_not_null(strstr(text, "\n \"syscalls\":[\n{\"name\":\"openat\",\"nr\":257,\"args\":[\"AT_FDCWD\","));
	cr_assert_eq(text[len - 1], '\n');
	/* SPEC key order of a record. */
	const char *order[] = { "\"name\":", "\"nr\":", "\"args\":", "\"raw_args\":", "\"result\":", "\"errno\":",
				"\"pid\":", "\"tid\":", "\"ts_ns\":", "\"duration_ns\":", "\"duration_us\":",
				"\"ip\":", "\"module\":", "\"source\":" };
	const char *line = strstr(text, "{\"name\":\"openat\"");
	const char *pos = line;
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		const char *q = strstr(pos, order[i]);
		cr_assert_not_null(q, "%s", order[i]);
		cr_assert(q < strchr(line, '\n'), "%s not in the first record", order[i]);
		pos = q;
	}
	cr_assert_not_null(strstr(text, "\"result\":null,\"errno\":null"));
	cr_assert_not_null(strstr(text, "\"unfinished\":true}"));
	cr_assert_not_null(strstr(text, "\"errno\":\"ENOENT\""));
	cr_assert_not_null(strstr(text, "\"args\":[\"0x3\",\"0x7ffd0000\",\"0x1000\"]"));
	cr_assert_not_null(strstr(text, "\"signal\":\"SIGSEGV\""));
	cr_assert_not_null(strstr(text, "\"summary\":{\"total_syscalls\":5,\"total_time_us\":22,\"errors\":1,"
					"\"wall_time_us\":31,\"exit_code\":139}\n}\n"));
	free(text);

	struct collector c;
	col_init(&c, true);
	struct sink *sinks[] = { &c.sink };
	struct trace_summary ts;
	char err[512];
	cr_assert_eq(trace_read_file(p, sinks, 1, &ts, err, sizeof(err)), TRACE_OK, "%s", err);
	cr_assert(ts.streamed);
	cr_assert_eq(ts.ncommand, 3);
	for (int i = 0; i < 3; i++)
		cr_assert_str_eq(ts.command[i], argv[i]);
	cr_assert_eq(c.n, 5);
	for (int i = 0; i < 5; i++) {
		const struct event *e = &evs[i];
		const struct rec *r = &c.recs[i];
		cr_assert_str_eq(r->name, e->name);
		cr_assert_eq(r->ev.nr, e->nr);
		cr_assert_eq(r->ev.pid, e->pid);
		cr_assert_eq(r->ev.tid, e->tid);
		cr_assert_eq(r->ev.nargs, e->nargs, "%d: nargs %d vs %d", i, r->ev.nargs, e->nargs);
		cr_assert_eq(r->ev.nshown, e->nshown);
		for (int k = 0; k < EVENT_MAX_ARGS; k++)
			cr_assert_eq(r->ev.raw_args[k], e->raw_args[k], "%d: raw_args[%d]", i, k);
		for (int k = 0; k < e->nshown; k++) {
			if (e->arg_text[k]) {
				cr_assert_str_eq(r->args[k], e->arg_text[k], "%d: arg %d", i, k);
			} else {
				char hex[32];
				snprintf(hex, sizeof(hex), "0x%llx", (unsigned long long)e->raw_args[k]);
				cr_assert_str_eq(r->args[k], hex);
			}
		}
		cr_assert_eq(r->ev.finished, e->finished);
		cr_assert_eq(r->ev.result, e->result);
		cr_assert_eq(r->ev.err, e->err);
		cr_assert_eq(r->ev.ts_ns, e->ts_ns);
		cr_assert_eq(r->ev.duration_ns, e->duration_ns);
		cr_assert_eq(r->ev.ip, e->ip);
		if (e->module)
			cr_assert_str_eq(r->module, e->module);
		else
			cr_assert_null(r->module);
		cr_assert_eq(r->has_src, e->source != NULL);
		if (e->source) {
			cr_assert_str_eq(r->src.file, e->source->file);
			cr_assert_eq(r->src.line, e->source->line);
			if (e->source->function)
				cr_assert_str_eq(r->src.function, e->source->function);
			else
				cr_assert_null(r->src.function);
		}
	}
	cr_assert_eq(c.nprocs, 2);
	cr_assert_eq(c.procs[0].pi.pid, 200);
	cr_assert_eq(c.procs[0].pi.ppid, 100);
	cr_assert_str_eq(c.procs[0].exe, "/bin/true");
	cr_assert(c.procs[0].pi.exited);
	cr_assert_eq(c.procs[0].pi.exit_code, 3);
	cr_assert_eq(c.procs[0].pi.start_ns, 10000);
	cr_assert_eq(c.procs[0].pi.end_ns, 25000);
	cr_assert_eq(c.procs[0].pi.utime_us, 1);
	cr_assert_eq(c.procs[0].pi.stime_us, 2);
	cr_assert_eq(c.procs[0].pi.maxrss_kb, 1000);
	cr_assert_null(c.procs[1].exe);
	cr_assert_not(c.procs[1].pi.exited);
	cr_assert_eq(c.procs[1].pi.signal, SIGSEGV);
	cr_assert(c.procs[1].pi.core_dumped);
	cr_assert_eq(c.procs[1].pi.maxrss_kb, 2000);
	cr_assert_eq(ts.total_syscalls, 5);
	cr_assert_eq(ts.errors, 1);
	cr_assert_eq(ts.total_time_us, (5300 + 999 + 4000 + 12345) / 1000);
	cr_assert_eq(ts.wall_time_us, 31);
	cr_assert_eq(ts.exit_code, 139);
	trace_summary_free(&ts);
	col_free(&c);
}

/* The JSON is complete even when nothing was traced and no run_info is
 * meaningful (an interrupted run still calls finish). */
Test(trace_reader, json_sink_empty_and_interrupted)
{
	const char *p = tpath("rt.json");
	struct writer w;
	cr_assert_eq(writer_open(&w, p, true), 0);
	pid_t pids[] = { 11, 12 };
	struct run_meta meta = { .attached = pids, .nattached = 2 };
	struct sink *js = json_sink_new(&w, &meta, false);
	cr_assert_not_null(js);
	struct run_info ri = { .exit_code = 130, .wall_ns = 5, .interrupted = true };
	cr_assert_eq(js->finish(js->self, &ri), 0);
	cr_assert_eq(writer_close(&w), 0);
	js->destroy(js->self);
	struct trace_summary ts;
	char err[512];
	cr_assert_eq(trace_read_file(p, NULL, 0, &ts, err, sizeof(err)), TRACE_OK, "%s", err);
	cr_assert(ts.streamed);
	cr_assert_eq(ts.nrecords, 0);
	cr_assert_eq(ts.exit_code, 130);
	cr_assert_null(ts.command);
	trace_summary_free(&ts);
	FILE *f = fopen(p, "r");
	char text[4096] = { 0 };
	cr_assert_not_null(f);
	cr_assert_gt(fread(text, 1, sizeof(text) - 1, f), 0);
	fclose(f);
	cr_assert_not_null(strstr(text, "\"attached\":[11,12]"), "%s", text);
	cr_assert_not_null(strstr(text, "\"interrupted\":true"), "%s", text);
	cJSON *doc = cJSON_Parse(text);
	cr_assert_not_null(doc, "%s", text);
	cJSON_Delete(doc);
}

/* Arbitrary bytes in every string field (invalid UTF-8, controls, quotes,
 * very long arguments) still give one valid JSON document that the reader
 * takes back record for record. */
Test(trace_reader, json_sink_arbitrary_bytes)
{
	const char *p = tpath("rt.json");
	struct writer w;
	cr_assert_eq(writer_open(&w, p, true), 0);
	struct run_meta meta = { .host = "h\xff\x01", .kernel = "k\"" };
	struct sink *js = json_sink_new(&w, &meta, false);
	cr_assert_not_null(js);
	srand(12345);
	static char strs[8][200000];
	const int n = 300;
	for (int i = 0; i < n; i++) {
		for (int k = 0; k < 8; k++) {
			size_t len = (size_t)(rand() % (k == 0 && i % 50 == 0 ? 199999 : 64));
			for (size_t j = 0; j < len; j++)
				strs[k][j] = (char)(1 + rand() % 255);
			strs[k][len] = '\0';
		}
		struct source_loc loc = { .file = strs[6], .line = (unsigned)i, .function = strs[7] };
		struct event ev = { .pid = 1 + i % 3, .tid = 1 + i % 5, .nr = i % 400, .name = strs[5],
				    .nargs = 6, .nshown = 5, .arg_text = { strs[0], strs[1], strs[2], NULL, strs[3] },
				    .result = -(i % 40), .err = i % 40, .finished = i % 7 != 0,
				    .ts_ns = (uint64_t)i * 10, .duration_ns = 3, .module = strs[4],
				    .source = i % 2 ? &loc : NULL };
		js->syscall(js->self, &ev);
	}
	struct run_info ri = { 0 };
	cr_assert_eq(js->finish(js->self, &ri), 0);
	cr_assert_eq(writer_close(&w), 0);
	js->destroy(js->self);

	FILE *f = fopen(p, "r");
	cr_assert_not_null(f);
	cr_assert_eq(fseek(f, 0, SEEK_END), 0);
	long size = ftell(f);
	rewind(f);
	char *text = malloc((size_t)size + 1);
	cr_assert_not_null(text);
	cr_assert_eq(fread(text, 1, (size_t)size, f), (size_t)size);
	text[size] = '\0';
	fclose(f);
	cJSON *doc = cJSON_Parse(text);
	cr_assert_not_null(doc, "invalid JSON near %.60s", cJSON_GetErrorPtr());
	cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "syscalls")), n);
	cJSON_Delete(doc);
	free(text);

	struct collector c;
	col_init(&c, false);
	struct sink *sinks[] = { &c.sink };
	struct trace_summary ts;
	char err[512];
	cr_assert_eq(trace_read_file(p, sinks, 1, &ts, err, sizeof(err)), TRACE_OK, "%s", err);
	cr_assert(ts.streamed);
	cr_assert_eq(c.count, (uint64_t)n);
	trace_summary_free(&ts);
}
