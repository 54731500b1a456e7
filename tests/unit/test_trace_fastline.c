/* test_trace_fastline.c — the trace reader's fast path for json_sink
 * record lines (src/analyze/trace_fastline.c) against its cJSON path.
 *
 * Every record line is parsed both ways and the events are compared field
 * by field:
 *  - fast: trace_fastline_parse on the line, and trace_read_file on a file
 *    holding it (the reader then takes the fast path);
 *  - cJSON: trace_read_file on the same line with a space after its '{'
 *    (insignificant to JSON, but not json_sink's exact layout, so the
 *    reader parses it with cJSON and to_event).
 * Corpus: tests/data/fastline_corpus.json (records of real traces: ls, sh,
 * the fixtures, with -s and --compress=rle), traces made now with
 * $RENACER_C when it is there, hand-written tricky lines, and random
 * mutations of all of them. Lines outside the layout must come back "not
 * handled", and the reader then answers exactly as for the cJSON form
 * (same return code, same message). */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "trace_fastline_int.h"
#include "source.h"
#include "trace_reader.h"

/* ------------------------------------------------------------------ */
/* Deep copies of events                                                */

struct rec {
	struct event ev;
	char *name;
	char *args[EVENT_MAX_ARGS];
	char *module;
	char *ret_text;
	char *src_file, *src_fn;
	unsigned src_line;
	bool has_src;
};

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static void rec_take(struct rec *r, const struct event *ev)
{
	memset(r, 0, sizeof(*r));
	r->ev = *ev;
	r->name = dup_or_null(ev->name);
	for (int i = 0; i < EVENT_MAX_ARGS; i++)
		r->args[i] = dup_or_null(ev->arg_text[i]);
	r->module = dup_or_null(ev->module);
	r->ret_text = dup_or_null(ev->ret_text);
	if (ev->source) {
		r->has_src = true;
		r->src_file = dup_or_null(ev->source->file);
		r->src_fn = dup_or_null(ev->source->function);
		r->src_line = ev->source->line;
	}
}

static void rec_free(struct rec *r)
{
	free(r->name);
	for (int i = 0; i < EVENT_MAX_ARGS; i++)
		free(r->args[i]);
	free(r->module);
	free(r->ret_text);
	free(r->src_file);
	free(r->src_fn);
	memset(r, 0, sizeof(*r));
}

static bool str_eq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* Field-by-field; what differs, or NULL. */
static const char *rec_diff(const struct rec *a, const struct rec *b)
{
	const struct event *x = &a->ev, *y = &b->ev;
	if (x->pid != y->pid)
		return "pid";
	if (x->tid != y->tid)
		return "tid";
	if (x->nr != y->nr)
		return "nr";
	if (!str_eq(a->name, b->name))
		return "name";
	for (int i = 0; i < EVENT_MAX_ARGS; i++)
		if (x->raw_args[i] != y->raw_args[i])
			return "raw_args";
	if (x->nargs != y->nargs)
		return "nargs";
	for (int i = 0; i < EVENT_MAX_ARGS; i++)
		if (!str_eq(a->args[i], b->args[i]))
			return "arg_text";
	if (x->nshown != y->nshown)
		return "nshown";
	if (!str_eq(a->ret_text, b->ret_text))
		return "ret_text";
	if (x->result != y->result)
		return "result";
	if (x->err != y->err)
		return "err";
	if (x->finished != y->finished)
		return "finished";
	if (x->ts_ns != y->ts_ns)
		return "ts_ns";
	if (x->duration_ns != y->duration_ns)
		return "duration_ns";
	if (x->ip != y->ip)
		return "ip";
	if (!str_eq(a->module, b->module))
		return "module";
	if (a->has_src != b->has_src)
		return "source";
	if (a->has_src && (!str_eq(a->src_file, b->src_file) || !str_eq(a->src_fn, b->src_fn) ||
			   a->src_line != b->src_line))
		return "source fields";
	if ((x->frames != NULL) != (y->frames != NULL) || x->nframes != y->nframes)
		return "frames";
	if (x->rle_count != y->rle_count || x->rle_last_ts_ns != y->rle_last_ts_ns ||
	    x->rle_last_duration_ns != y->rle_last_duration_ns ||
	    x->rle_duration_total_ns != y->rle_duration_total_ns ||
	    x->rle_duration_min_ns != y->rle_duration_min_ns || x->rle_duration_max_ns != y->rle_duration_max_ns)
		return "rle";
	return NULL;
}

/* ------------------------------------------------------------------ */
/* The reader on one line                                               */

struct one {
	struct sink sink;
	int n;
	struct rec r;
};

static void one_syscall(void *self, const struct event *ev)
{
	struct one *o = self;
	if (o->n++ == 0)
		rec_take(&o->r, ev);
}

static char tmpdir[64];
static char tpath[128];

static void setup(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/renacer-fl-XXXXXX");
	cr_assert_not_null(mkdtemp(tmpdir));
	snprintf(tpath, sizeof(tpath), "%s/t.json", tmpdir);
}

static void teardown(void)
{
	unlink(tpath);
	char p[160];
	snprintf(p, sizeof(p), "%s/live.json", tmpdir);
	unlink(p);
	rmdir(tmpdir);
}

TestSuite(trace_fastline, .init = setup, .fini = teardown);

#define HDR                                                                                                     \
	"{\"version\":\"0.1.0\",\"format\":\"renacer-json-v1\",\"schema\":2,\n"                                 \
	" \"meta\":{\"tracer\":\"renacer-c\"},\n"                                                               \
	" \"syscalls\":[\n"
#define TAIL " ],\n \"processes\":[],\n \"summary\":{\"total_syscalls\":1}\n}\n"

/* Read a trace whose only record is line[0, n) (with " " after its '{'
 * when spaced). Returns the reader's rc; *r gets the event when there is
 * one, err the message. */
static int read_line(const char *line, size_t n, bool spaced, struct rec *r, char *err, size_t errlen)
{
	FILE *f = fopen(tpath, "w");
	cr_assert_not_null(f);
	fputs(HDR, f);
	if (spaced && n > 0 && line[0] == '{') {
		fputs("{ ", f);
		fwrite(line + 1, 1, n - 1, f);
	} else {
		fwrite(line, 1, n, f);
	}
	fputs("\n" TAIL, f);
	cr_assert_eq(fclose(f), 0);
	struct one o;
	memset(&o, 0, sizeof(o));
	o.sink = (struct sink){ .self = &o, .syscall = one_syscall };
	struct sink *sinks[] = { &o.sink };
	struct trace_summary sum;
	int rc = trace_read_file(tpath, sinks, 1, &sum, err, errlen);
	trace_summary_free(&sum);
	if (rc == TRACE_OK)
		cr_assert_eq(o.n, 1, "one record expected, got %d", o.n);
	*r = o.r;
	return rc;
}

/* The line must be handled, and equal to the cJSON path both directly and
 * through the reader. */
static void check_same(struct trace_fastline *fl, const char *line, size_t n, const char *what)
{
	struct event ev;
	bool comma = true;
	int frc = trace_fastline_parse(fl, line, n, &ev, &comma);
	cr_assert_eq(frc, TRACE_FASTLINE_OK, "%s: not handled: %.*s", what, (int)(n > 300 ? 300 : n), line);
	cr_assert(!comma, "%s: comma", what);
	struct rec fast, slow, viaread;
	rec_take(&fast, &ev);
	char err[512];
	int rc = read_line(line, n, true, &slow, err, sizeof(err));
	cr_assert_eq(rc, TRACE_OK, "%s: the cJSON path fails: %s\n%.*s", what, err, (int)(n > 300 ? 300 : n), line);
	const char *d = rec_diff(&fast, &slow);
	cr_assert_null(d, "%s: %s differs from the cJSON path: %.*s", what, d ? d : "", (int)(n > 300 ? 300 : n),
		       line);
	rc = read_line(line, n, false, &viaread, err, sizeof(err));
	cr_assert_eq(rc, TRACE_OK, "%s: %s", what, err);
	d = rec_diff(&viaread, &slow);
	cr_assert_null(d, "%s: %s differs through the reader: %.*s", what, d ? d : "", (int)(n > 300 ? 300 : n),
		       line);
	rec_free(&fast);
	rec_free(&slow);
	rec_free(&viaread);
}

/* Either not handled (then the reader must answer as the cJSON path does),
 * or handled and equal. Returns whether it was handled. */
static bool check_any(struct trace_fastline *fl, const char *line, size_t n, const char *what)
{
	struct event ev;
	bool comma;
	if (trace_fastline_parse(fl, line, n, &ev, &comma) == TRACE_FASTLINE_OK) {
		/* A handled line is a valid record, so its cJSON twin is too. */
		if (!comma) {
			check_same(fl, line, n, what);
		} else {
			/* A trailing ',' is the reader's business; drop it. */
			size_t k = n;
			while (k && line[k - 1] != ',')
				k--;
			cr_assert(k > 0);
			k--;
			while (k && (line[k - 1] == ' ' || line[k - 1] == '\t' || line[k - 1] == '\r'))
				k--;
			check_same(fl, line, k, what);
		}
		return true;
	}
	/* Not handled: the reader must give what the cJSON path gives. Only
	 * meaningful for lines that start with '{"' (the spaced twin). */
	if (n >= 2 && line[0] == '{' && line[1] == '"' && !memchr(line, '\n', n)) {
		struct rec a, b;
		char ea[512], eb[512];
		int ra = read_line(line, n, false, &a, ea, sizeof(ea));
		int rb = read_line(line, n, true, &b, eb, sizeof(eb));
		cr_assert_eq(ra, rb, "%s: rc %d vs %d (%s | %s)", what, ra, rb, ea, eb);
		if (ra == TRACE_OK) {
			const char *d = rec_diff(&a, &b);
			cr_assert_null(d, "%s: %s differs", what, d ? d : "");
		} else {
			/* Messages name the same line; the column-free text must match. */
			cr_assert_str_eq(ea, eb, "%s", what);
		}
		rec_free(&a);
		rec_free(&b);
	}
	return false;
}

/* ------------------------------------------------------------------ */
/* Corpora                                                              */

struct lines {
	char **v;
	size_t n, cap;
};

static void lines_add(struct lines *l, const char *s, size_t n)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 256;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		cr_assert_not_null(l->v);
	}
	char *c = malloc(n + 1);
	cr_assert_not_null(c);
	memcpy(c, s, n);
	c[n] = '\0';
	l->v[l->n++] = c;
}

static void lines_free(struct lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* Record lines of a file: every line starting with '{"' that is not the
 * header (all of a .jsonl corpus; the records of a trace), without a
 * trailing ','. */
static size_t load_records(struct lines *l, const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	char *buf = NULL;
	size_t cap = 0, before = l->n;
	ssize_t len;
	while ((len = getline(&buf, &cap, f)) >= 0) {
		while (len && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
			len--;
		if (len && buf[len - 1] == ',')
			len--;
		if (len < 2 || buf[0] != '{' || buf[1] != '"' || !strncmp(buf, "{\"version\"", 10))
			continue;
		lines_add(l, buf, (size_t)len);
	}
	free(buf);
	fclose(f);
	return l->n - before;
}

static void load_corpus(struct lines *l)
{
	size_t n = load_records(l, "tests/data/fastline_corpus.json");
	if (!n)
		n = load_records(l, "../tests/data/fastline_corpus.json");
	cr_assert(n > 100, "tests/data/fastline_corpus.json: %zu records", n);
}

/* Hand-written lines that must be handled. */
#define TAILF ",\"pid\":7,\"tid\":8,\"ts_ns\":100,\"duration_ns\":20,\"duration_us\":0,\"ip\":\"0x401000\","
#define RAW6 "\"raw_args\":[\"0x3\",\"0x0\",\"0x0\",\"0x0\",\"0x0\",\"0x0\"]"
static const char *const good_lines[] = {
	/* escapes */
	"{\"name\":\"write\",\"nr\":1,\"args\":[\"1\",\"\\\"a\\\\b\\/c\\b\\f\\n\\r\\t\\\"\",\"9\"]," RAW6
	",\"result\":9,\"errno\":null" TAILF "\"module\":\"/lib/libc.so.6\"}",
	/* unicode: \u escapes (1, 2, 3 bytes, a surrogate pair, the byte-value
	 * convention for invalid UTF-8), raw UTF-8, raw invalid bytes, \u0000 */
	"{\"name\":\"openat\",\"nr\":257,\"args\":[\"AT_FDCWD\",\"\\\"\\u0041\\u00e9\\u20ac\\ud83d\\ude00\\u00ff\\u0001"
	"\\u007f\\uFFFD\\uD7FF\\uE000\\\"\",\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\",\"\xff\xfe\x80\"]," RAW6
	",\"result\":3,\"errno\":null" TAILF "\"module\":\"\\u006c\\u0069\\u0062c\"}",
	"{\"name\":\"openat\",\"nr\":257,\"args\":[\"a\\u0000b\",\"\"]," RAW6 ",\"result\":3,\"errno\":null" TAILF
	"\"module\":null}",
	/* negative results, errno names, numbers, E-number errno */
	"{\"name\":\"openat\",\"nr\":257,\"args\":[]," RAW6 ",\"result\":-2,\"errno\":\"ENOENT\"" TAILF
	"\"module\":null}",
	"{\"name\":\"read\",\"nr\":0,\"args\":[]," RAW6 ",\"result\":-11,\"errno\":\"EAGAIN\"" TAILF "\"module\":null}",
	"{\"name\":\"read\",\"nr\":0,\"args\":[]," RAW6 ",\"result\":-512,\"errno\":\"ERESTARTSYS\"" TAILF
	"\"module\":null}",
	"{\"name\":\"read\",\"nr\":0,\"args\":[]," RAW6 ",\"result\":-4095,\"errno\":\"E4095\"" TAILF "\"module\":null}",
	"{\"name\":\"read\",\"nr\":0,\"args\":[]," RAW6 ",\"result\":-35,\"errno\":\"EDEADLOCK\"" TAILF "\"module\":null}",
	"{\"name\":\"read\",\"nr\":0,\"args\":[]," RAW6 ",\"result\":-5,\"errno\":\"ENOSUCHNAME\"" TAILF "\"module\":null}",
	"{\"name\":\"read\",\"nr\":0,\"args\":[]," RAW6 ",\"result\":-2,\"errno\":\"EPERM\"" TAILF "\"module\":null}",
	"{\"name\":\"read\",\"nr\":0,\"args\":[]," RAW6 ",\"result\":-2,\"errno\":null" TAILF "\"module\":null}",
	"{\"name\":\"read\",\"nr\":0,\"args\":[]," RAW6 ",\"result\":5,\"errno\":\"EIO\"" TAILF "\"module\":null}",
	"{\"name\":\"lseek\",\"nr\":8,\"args\":[]," RAW6 ",\"result\":-9223372036854775808,\"errno\":null" TAILF
	"\"module\":null}",
	"{\"name\":\"lseek\",\"nr\":8,\"args\":[]," RAW6 ",\"result\":9223372036854775807,\"errno\":null" TAILF
	"\"module\":null}",
	"{\"name\":\"lseek\",\"nr\":8,\"args\":[]," RAW6 ",\"result\":-0,\"errno\":null" TAILF "\"module\":null}",
	"{\"name\":\"lseek\",\"nr\":8,\"args\":[]," RAW6 ",\"result\":007,\"errno\":null" TAILF "\"module\":null}",
	/* long numbers go through strtod, as in cJSON */
	"{\"name\":\"getpid\",\"nr\":39,\"args\":[]," RAW6
	",\"result\":1,\"errno\":null,\"pid\":1,\"tid\":1,\"ts_ns\":12345678901234567,\"duration_ns\":9007199254740993,"
	"\"duration_us\":18446744073709551615,\"ip\":\"0xffffffffffffffff\",\"module\":null}",
	"{\"name\":\"getpid\",\"nr\":39,\"args\":[]," RAW6
	",\"result\":1,\"errno\":null,\"pid\":1,\"tid\":1,\"ts_ns\":18446744073709551616,\"duration_ns\":0,"
	"\"duration_us\":0,\"ip\":\"0x0\",\"module\":null}",
	/* unfinished, null result, unfinished with a result, unfinished false */
	"{\"name\":\"exit_group\",\"nr\":231,\"args\":[\"0\"]," RAW6 ",\"result\":null,\"errno\":null" TAILF
	"\"module\":null,\"unfinished\":true}",
	"{\"name\":\"read\",\"nr\":0,\"args\":[\"0\"]," RAW6 ",\"result\":-4,\"errno\":\"EINTR\"" TAILF
	"\"module\":null,\"unfinished\":true}",
	"{\"name\":\"read\",\"nr\":0,\"args\":[\"0\"]," RAW6 ",\"result\":null,\"errno\":null" TAILF
	"\"module\":null,\"unfinished\":false}",
	/* source objects */
	"{\"name\":\"write\",\"nr\":1,\"args\":[\"1\"]," RAW6 ",\"result\":1,\"errno\":null" TAILF
	"\"module\":\"/bin/x\",\"source\":{\"file\":\"src/m\\u00e9.c\",\"line\":4294967295,\"function\":\"main\"}}",
	"{\"name\":\"write\",\"nr\":1,\"args\":[\"1\"]," RAW6 ",\"result\":1,\"errno\":null" TAILF
	"\"module\":\"/bin/x\",\"source\":{\"file\":\"a.c\",\"line\":0,\"function\":null},\"unfinished\":true}",
	"{\"name\":\"write\",\"nr\":1,\"args\":[\"1\"]," RAW6 ",\"result\":1,\"errno\":null" TAILF
	"\"module\":\"/bin/x\",\"source\":{\"file\":null,\"line\":3,\"function\":\"f\"}}",
	/* pid/tid 0 (defaults), unknown numbers, few raw args, hex case */
	"{\"name\":\"syscall_0x3e7\",\"nr\":999,\"args\":[\"1\",\"2\"],\"raw_args\":[\"0xAbC\"],\"result\":0,"
	"\"errno\":null,\"pid\":0,\"tid\":0,\"ts_ns\":0,\"duration_ns\":0,\"duration_us\":0,\"ip\":\"0x0\","
	"\"module\":null}",
	"{\"name\":\"syscall_0x3e7\",\"nr\":999,\"args\":[],\"raw_args\":[\"0x1\",\"0x2\",\"0x3\"],\"result\":0,"
	"\"errno\":null,\"pid\":5,\"tid\":0,\"ts_ns\":0,\"duration_ns\":0,\"duration_us\":0,\"ip\":\"0x0\","
	"\"module\":null}",
	"{\"name\":\"\",\"nr\":-1,\"args\":[],\"raw_args\":[],\"result\":0,\"errno\":null,\"pid\":2147483647,"
	"\"tid\":2147483647,\"ts_ns\":0,\"duration_ns\":0,\"duration_us\":0,\"ip\":\"0x0\",\"module\":\"\"}",
	"{\"name\":\"mmap\",\"nr\":9,\"args\":[\"NULL\",\"4096\",\"PROT_READ\",\"MAP_PRIVATE\",\"3\",\"0\"],"
	"\"raw_args\":[\"0x0\",\"0x1000\",\"0x1\",\"0x2\",\"0x3\",\"0x0\"],\"result\":139758947549184,"
	"\"errno\":null" TAILF "\"module\":null}",
	/* rle runs */
	"{\"rle\":{\"count\":5000,\"first_ts_ns\":100,\"last_ts_ns\":900000,\"duration_ns_total\":1000000,"
	"\"duration_ns_min\":20,\"duration_ns_max\":700,\"duration_ns_last\":300},\"name\":\"getppid\",\"nr\":110,"
	"\"args\":[]," RAW6 ",\"result\":4000,\"errno\":null" TAILF "\"module\":null}",
	"{\"rle\":{\"count\":2,\"first_ts_ns\":100,\"last_ts_ns\":200,\"duration_ns_total\":40,"
	"\"duration_ns_min\":20,\"duration_ns_max\":20},\"name\":\"close\",\"nr\":3,"
	"\"args\":[\"3\"]," RAW6 ",\"result\":-9,\"errno\":\"EBADF\"" TAILF
	"\"module\":null,\"source\":{\"file\":\"a.c\",\"line\":1,\"function\":\"f\"}}",
	"{\"rle\":{\"count\":1,\"first_ts_ns\":100,\"last_ts_ns\":100,\"duration_ns_total\":20,"
	"\"duration_ns_min\":20,\"duration_ns_max\":20,\"duration_ns_last\":20},\"name\":\"close\",\"nr\":3,"
	"\"args\":[\"3\"]," RAW6 ",\"result\":0,\"errno\":null" TAILF "\"module\":null}",
};

/* Lines outside the layout (or invalid): never handled. */
#define GOODHEAD "{\"name\":\"read\",\"nr\":0,\"args\":[\"3\"]," RAW6 ",\"result\":1,\"errno\":null"
static const char *const bad_lines[] = {
	"",
	"{",
	"{}",
	"{\"name\":\"read\"}",
	/* another key order, an extra key, a missing key */
	"{\"nr\":0,\"name\":\"read\",\"args\":[]," RAW6 ",\"result\":1,\"errno\":null" TAILF "\"module\":null}",
	GOODHEAD TAILF "\"module\":null,\"foo\":1}",
	GOODHEAD ",\"pid\":7,\"tid\":8,\"ts_ns\":100,\"duration_ns\":20,\"duration_us\":0,\"module\":null}",
	GOODHEAD TAILF "\"module\":null,\"unfinished\":true,\"source\":{\"file\":\"a\",\"line\":1,\"function\":null}}",
	/* whitespace inside */
	GOODHEAD TAILF "\"module\": null}",
	"{ \"name\":\"read\",\"nr\":0,\"args\":[]," RAW6 ",\"result\":1,\"errno\":null" TAILF "\"module\":null}",
	/* numbers */
	GOODHEAD TAILF "\"module\":null,\"source\":{\"file\":\"a\",\"line\":1.5,\"function\":null}}",
	"{\"name\":\"read\",\"nr\":0,\"args\":[]," RAW6 ",\"result\":1e3,\"errno\":null" TAILF "\"module\":null}",
	"{\"name\":\"read\",\"nr\":+1,\"args\":[]," RAW6 ",\"result\":1,\"errno\":null" TAILF "\"module\":null}",
	"{\"name\":\"read\",\"nr\":0,\"args\":[]," RAW6
	",\"result\":1,\"errno\":null,\"pid\":7,\"tid\":8,\"ts_ns\":-1,\"duration_ns\":20,\"duration_us\":0,"
	"\"ip\":\"0x0\",\"module\":null}",
	"{\"name\":\"read\",\"nr\":0,\"args\":[]," RAW6
	",\"result\":1,\"errno\":null,\"pid\":-7,\"tid\":8,\"ts_ns\":1,\"duration_ns\":20,\"duration_us\":0,"
	"\"ip\":\"0x0\",\"module\":null}",
	"{\"name\":\"read\",\"nr\":0,\"args\":[]," RAW6
	",\"result\":1,\"errno\":null,\"pid\":2147483648,\"tid\":8,\"ts_ns\":1,\"duration_ns\":20,"
	"\"duration_us\":0,\"ip\":\"0x0\",\"module\":null}",
	"{\"name\":\"read\",\"nr\":0,\"args\":[]," RAW6
	",\"result\":1,\"errno\":null,\"pid\":7,\"tid\":8,\"ts_ns\":"
	"1000000000000000000000000000000000000000000000000000000000000000000,\"duration_ns\":20,"
	"\"duration_us\":0,\"ip\":\"0x0\",\"module\":null}",
	"{\"name\":\"read\",\"nr\":0,\"args\":[]," RAW6
	",\"result\":1,\"errno\":null,\"pid\":7,\"tid\":8,\"ts_ns\":36893488147419103232,\"duration_ns\":20,"
	"\"duration_us\":0,\"ip\":\"0x0\",\"module\":null}",
	/* args and raw_args */
	"{\"name\":\"read\",\"nr\":0,\"args\":[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\"]," RAW6
	",\"result\":1,\"errno\":null" TAILF "\"module\":null}",
	"{\"name\":\"read\",\"nr\":0,\"args\":[1]," RAW6 ",\"result\":1,\"errno\":null" TAILF "\"module\":null}",
	"{\"name\":\"read\",\"nr\":0,\"args\":[],\"raw_args\":[\"31\"],\"result\":1,\"errno\":null" TAILF
	"\"module\":null}",
	"{\"name\":\"read\",\"nr\":0,\"args\":[],\"raw_args\":[\"0x\"],\"result\":1,\"errno\":null" TAILF
	"\"module\":null}",
	"{\"name\":\"read\",\"nr\":0,\"args\":[],\"raw_args\":[\"0x10000000000000000\"],\"result\":1,\"errno\":null"
	TAILF "\"module\":null}",
	"{\"name\":\"read\",\"nr\":0,\"args\":[],\"raw_args\":[\"0x1\",],\"result\":1,\"errno\":null" TAILF
	"\"module\":null}",
	"{\"name\":\"read\",\"nr\":0,\"args\":null," RAW6 ",\"result\":1,\"errno\":null" TAILF "\"module\":null}",
	/* escapes cJSON rejects or reads oddly */
	"{\"name\":\"re\\xad\",\"nr\":0,\"args\":[]," RAW6 ",\"result\":1,\"errno\":null" TAILF "\"module\":null}",
	"{\"name\":\"re\\u12G4\",\"nr\":0,\"args\":[]," RAW6 ",\"result\":1,\"errno\":null" TAILF "\"module\":null}",
	"{\"name\":\"re\\udc00\",\"nr\":0,\"args\":[]," RAW6 ",\"result\":1,\"errno\":null" TAILF "\"module\":null}",
	"{\"name\":\"re\\ud800x\",\"nr\":0,\"args\":[]," RAW6 ",\"result\":1,\"errno\":null" TAILF "\"module\":null}",
	"{\"name\":\"re\\ud800\\u0041\",\"nr\":0,\"args\":[]," RAW6 ",\"result\":1,\"errno\":null" TAILF
	"\"module\":null}",
	"{\"na\\u006de\":\"read\",\"nr\":0,\"args\":[]," RAW6 ",\"result\":1,\"errno\":null" TAILF "\"module\":null}",
	/* errno the reader rejects; errno of another type */
	"{\"name\":\"read\",\"nr\":0,\"args\":[]," RAW6 ",\"result\":1,\"errno\":\"ENOSUCHNAME\"" TAILF
	"\"module\":null}",
	"{\"name\":\"read\",\"nr\":0,\"args\":[]," RAW6 ",\"result\":-2,\"errno\":2" TAILF "\"module\":null}",
	/* unfinished of another type, source with an extra key */
	GOODHEAD TAILF "\"module\":null,\"unfinished\":1}",
	GOODHEAD TAILF "\"module\":null,\"source\":{\"file\":\"a\",\"line\":1,\"function\":null,\"col\":2}}",
	GOODHEAD TAILF "\"module\":null,\"source\":{\"file\":\"a\",\"line\":4294967296,\"function\":null}}",
	/* trailing garbage, truncation, double comma */
	GOODHEAD TAILF "\"module\":null} x",
	GOODHEAD TAILF "\"module\":null},,",
	GOODHEAD TAILF "\"module\":null}}",
	GOODHEAD TAILF "\"module\":nul",
	GOODHEAD TAILF "\"module\":\"abc",
	GOODHEAD TAILF "\"module\":\"abc\\",
	/* rle the reader rejects, or outside the layout */
	"{\"rle\":{\"count\":0,\"first_ts_ns\":100,\"last_ts_ns\":100,\"duration_ns_total\":20,"
	"\"duration_ns_min\":20,\"duration_ns_max\":20},\"name\":\"close\",\"nr\":3,\"args\":[]," RAW6
	",\"result\":0,\"errno\":null" TAILF "\"module\":null}",
	"{\"rle\":{\"count\":3,\"first_ts_ns\":100,\"last_ts_ns\":300,\"duration_ns_total\":60,"
	"\"duration_ns_min\":20,\"duration_ns_max\":20},\"name\":\"close\",\"nr\":3,\"args\":[]," RAW6
	",\"result\":null,\"errno\":null" TAILF "\"module\":null,\"unfinished\":true}",
	"{\"rle\":{\"count\":3,\"first_ts_ns\":99,\"last_ts_ns\":300,\"duration_ns_total\":60,"
	"\"duration_ns_min\":20,\"duration_ns_max\":20},\"name\":\"close\",\"nr\":3,\"args\":[]," RAW6
	",\"result\":0,\"errno\":null" TAILF "\"module\":null}",
	"{\"rle\":{\"count\":3,\"first_ts_ns\":100,\"last_ts_ns\":300,\"duration_ns_total\":60,"
	"\"duration_ns_min\":20,\"duration_ns_max\":20,\"duration_ns_last\":21},\"name\":\"close\",\"nr\":3,"
	"\"args\":[]," RAW6 ",\"result\":0,\"errno\":null" TAILF "\"module\":null}",
	"{\"rle\":{\"count\":3,\"first_ts_ns\":100,\"last_ts_ns\":300,\"duration_ns_total\":60,"
	"\"duration_ns_min\":20,\"duration_ns_max\":20,\"duration_ns_last\":null},\"name\":\"close\",\"nr\":3,"
	"\"args\":[]," RAW6 ",\"result\":0,\"errno\":null" TAILF "\"module\":null}",
	"{\"rle\":{\"count\":3,\"first_ts_ns\":100},\"name\":\"close\",\"nr\":3,\"args\":[]," RAW6
	",\"result\":0,\"errno\":null" TAILF "\"module\":null}",
	"{\"name\":\"close\",\"rle\":{\"count\":1,\"first_ts_ns\":100,\"last_ts_ns\":100,\"duration_ns_total\":20,"
	"\"duration_ns_min\":20,\"duration_ns_max\":20},\"nr\":3,\"args\":[]," RAW6
	",\"result\":0,\"errno\":null" TAILF "\"module\":null}",
};

Test(trace_fastline, corpus_equals_cjson_path)
{
	struct lines l = { 0 };
	load_corpus(&l);
	struct trace_fastline fl = { 0 };
	bool saw_rle = false, saw_src = false, saw_unf = false, saw_err = false;
	for (size_t i = 0; i < l.n; i++) {
		check_same(&fl, l.v[i], strlen(l.v[i]), "corpus");
		saw_rle |= !strncmp(l.v[i], "{\"rle\"", 6);
		saw_src |= strstr(l.v[i], "\"source\":{") != NULL;
		saw_unf |= strstr(l.v[i], "\"unfinished\":true") != NULL;
		saw_err |= strstr(l.v[i], "\"errno\":\"") != NULL;
	}
	cr_assert(saw_rle && saw_src && saw_unf && saw_err, "the corpus lacks a kind of record");
	trace_fastline_free(&fl);
	lines_free(&l);
}

Test(trace_fastline, tricky_lines_equal_cjson_path)
{
	struct trace_fastline fl = { 0 };
	for (size_t i = 0; i < sizeof(good_lines) / sizeof(good_lines[0]); i++) {
		char what[32];
		snprintf(what, sizeof(what), "good_lines[%zu]", i);
		check_same(&fl, good_lines[i], strlen(good_lines[i]), what);
	}
	trace_fastline_free(&fl);
}

Test(trace_fastline, decoding)
{
	struct trace_fastline fl = { 0 };
	struct event ev;
	bool comma;
	const char *l = good_lines[1];
	cr_assert_eq(trace_fastline_parse(&fl, l, strlen(l), &ev, &comma), TRACE_FASTLINE_OK);
	/* As cJSON does: \u00XX is the code point U+00XX in UTF-8. */
	cr_assert_str_eq(ev.arg_text[1], "\"A\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xc3\xbf\x01\x7f\xef\xbf\xbd"
					 "\xed\x9f\xbf\xee\x80\x80\"");
	cr_assert_str_eq(ev.arg_text[2], "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
	cr_assert_str_eq(ev.arg_text[3], "\xff\xfe\x80");
	cr_assert_str_eq(ev.module, "libc");
	l = good_lines[0];
	cr_assert_eq(trace_fastline_parse(&fl, l, strlen(l), &ev, &comma), TRACE_FASTLINE_OK);
	cr_assert_str_eq(ev.arg_text[1], "\"a\\b/c\b\f\n\r\t\"");
	cr_assert_eq(ev.nshown, 3);
	cr_assert_eq(ev.nargs, 3);
	cr_assert_str_eq(ev.ret_text, "9");
	l = good_lines[3];
	cr_assert_eq(trace_fastline_parse(&fl, l, strlen(l), &ev, &comma), TRACE_FASTLINE_OK);
	cr_assert_eq(ev.err, 2);
	cr_assert_eq(ev.result, -2);
	cr_assert_str_eq(ev.ret_text, "-1 ENOENT (No such file or directory)");
	/* the comma after a record, and whitespace around it */
	char buf[1024];
	snprintf(buf, sizeof(buf), "%s \t,\r ", good_lines[3]);
	cr_assert_eq(trace_fastline_parse(&fl, buf, strlen(buf), &ev, &comma), TRACE_FASTLINE_OK);
	cr_assert(comma);
	cr_assert_eq(trace_fastline_parse(&fl, good_lines[3], strlen(good_lines[3]), &ev, &comma), TRACE_FASTLINE_OK);
	cr_assert(!comma);
	/* rle */
	l = good_lines[sizeof(good_lines) / sizeof(good_lines[0]) - 3];
	cr_assert_eq(trace_fastline_parse(&fl, l, strlen(l), &ev, &comma), TRACE_FASTLINE_OK);
	cr_assert_eq(ev.rle_count, 5000);
	cr_assert_eq(ev.rle_last_duration_ns, 300);
	cr_assert_eq(event_end_ns(&ev), 900300);
	trace_fastline_free(&fl);
}

Test(trace_fastline, other_layouts_not_handled)
{
	struct trace_fastline fl = { 0 };
	for (size_t i = 0; i < sizeof(bad_lines) / sizeof(bad_lines[0]); i++) {
		struct event ev;
		bool comma;
		int rc = trace_fastline_parse(&fl, bad_lines[i], strlen(bad_lines[i]), &ev, &comma);
		cr_assert_eq(rc, TRACE_FASTLINE_NOT_HANDLED, "bad_lines[%zu] was handled: %s", i, bad_lines[i]);
		char what[32];
		snprintf(what, sizeof(what), "bad_lines[%zu]", i);
		cr_assert(!check_any(&fl, bad_lines[i], strlen(bad_lines[i]), what));
	}
	/* Every prefix of a good line (a truncated record) too. */
	const char *l = good_lines[0];
	for (size_t n = 0; n < strlen(l); n++) {
		struct event ev;
		bool comma;
		cr_assert_eq(trace_fastline_parse(&fl, l, n, &ev, &comma), TRACE_FASTLINE_NOT_HANDLED, "prefix %zu", n);
	}
	trace_fastline_free(&fl);
}

/* xorshift */
static uint32_t rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* Random mutations of good lines: whatever the fast path accepts must
 * read the same through cJSON; what it refuses must read the same as the
 * cJSON form through the reader. */
Test(trace_fastline, mutations, .timeout = 120)
{
	struct lines l = { 0 };
	load_corpus(&l);
	for (size_t i = 0; i < sizeof(good_lines) / sizeof(good_lines[0]); i++)
		lines_add(&l, good_lines[i], strlen(good_lines[i]));
	static const char alphabet[] = "{}[]\",:\\/u0123456789abcdefABCDEF-+.eExnulltruefalse \t\x80\xff";
	struct trace_fastline fl = { 0 };
	uint32_t seed = 0x2545f491u;
	size_t handled = 0, total = 0;
	char buf[8192];
	for (int round = 0; round < 6000; round++) {
		const char *src = l.v[rnd(&seed) % l.n];
		size_t n = strlen(src);
		if (n >= sizeof(buf) - 16)
			continue;
		memcpy(buf, src, n);
		int edits = 1 + (int)(rnd(&seed) % 3);
		for (int k = 0; k < edits && n > 2; k++) {
			size_t at = 2 + rnd(&seed) % (n - 2);
			char c = alphabet[rnd(&seed) % (sizeof(alphabet) - 1)];
			switch (rnd(&seed) % 4) {
			case 0: /* replace */
				buf[at] = c;
				break;
			case 1: /* insert */
				memmove(buf + at + 1, buf + at, n - at);
				buf[at] = c;
				n++;
				break;
			case 2: /* delete */
				memmove(buf + at, buf + at + 1, n - at - 1);
				n--;
				break;
			default: /* truncate */
				n = at;
				break;
			}
		}
		if (memchr(buf, '\n', n) || memchr(buf, '\0', n))
			continue;
		/* The reader trims; keep the mutated line trimmed too. */
		while (n && (buf[n - 1] == ' ' || buf[n - 1] == '\t'))
			n--;
		total++;
		if (check_any(&fl, buf, n, "mutation"))
			handled++;
	}
	cr_log_info("mutations: %zu of %zu handled by the fast path", handled, total);
	cr_assert(handled > 0 && handled < total);
	trace_fastline_free(&fl);
	lines_free(&l);
}

/* Traces made now with the binary, when the test environment has it. */
Test(trace_fastline, live_traces)
{
	const char *bin = getenv("RENACER_C");
	const char *fx = getenv("FIXTURES_DIR");
	if (!bin || access(bin, X_OK) != 0) {
		cr_log_info("RENACER_C not set or not built: live traces skipped");
		return;
	}
	char out[160];
	snprintf(out, sizeof(out), "%s/live.json", tmpdir);
	const char *cmds[] = {
		"-f --format json -o %s -- ls /",
		"-f -s --format json -o %s -- sh -c 'echo hi; ls /nonexistent; cat /etc/hostname; true'",
		"-f --compress=rle --format json -o %s -- %s/getppid_n 2000",
		"-f -s --format json -o %s -- %s/threads4",
		"-f --format json -o %s -- %s/segv",
	};
	struct trace_fastline fl = { 0 };
	size_t checked = 0;
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (strstr(cmds[i], "%s/") && !fx)
			continue;
		char args[512], cmd[1024];
		snprintf(args, sizeof(args), cmds[i], out, fx ? fx : "");
		snprintf(cmd, sizeof(cmd), "'%s' %s >/dev/null 2>&1", bin, args);
		unlink(out);
		(void)!system(cmd);
		struct lines l = { 0 };
		size_t n = load_records(&l, out);
		for (size_t k = 0; k < n; k++)
			check_same(&fl, l.v[k], strlen(l.v[k]), args);
		checked += n;
		lines_free(&l);
	}
	cr_log_info("live traces: %zu records checked", checked);
	trace_fastline_free(&fl);
}
