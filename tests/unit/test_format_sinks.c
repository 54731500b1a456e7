/* test_format_sinks.c — the CSV, HTML and Chrome trace-event sinks
 * (src/output/{csv,html,chrome}_sink.c), driven with hand-built events
 * that carry nasty strings: quotes, commas, CR/LF, markup, invalid UTF-8
 * and a 200 kB argument. */
#include <criterion/criterion.h>

#include <cJSON.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "format_sinks.h"
#include "source.h"
#include "writer.h"

/* ------------------------------------------------------------------ */
/* running a sink into a temporary file                                */

struct run {
	char path[64];
	struct writer w;
	struct sink *s;
};

static void run_open(struct run *r)
{
	strcpy(r->path, "/tmp/rc_fmt_sink_XXXXXX");
	int fd = mkstemp(r->path);
	cr_assert(fd >= 0, "mkstemp");
	close(fd);
	cr_assert_eq(writer_open(&r->w, r->path, false), 0);
}

/* finish + destroy + close; returns the file's bytes (malloc'd, NUL-added). */
static char *run_close(struct run *r, size_t *len)
{
	struct run_info ri = { .exit_code = 0, .wall_ns = 2500000, .interrupted = false };
	cr_assert_eq(r->s->finish(r->s->self, &ri), 0, "finish failed");
	r->s->destroy(r->s->self);
	cr_assert_eq(writer_close(&r->w), 0);
	FILE *f = fopen(r->path, "rb");
	cr_assert_not_null(f);
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

static void run_unlink(struct run *r)
{
	unlink(r->path);
}

/* ------------------------------------------------------------------ */
/* the event corpus                                                    */

#define BIG_LEN 200000

static char *big_arg;  /* "\"xxxx,\"\"...\"" 200 kB */
static const struct source_loc src_plain = { "src/main.c", 42, "main" };
static const struct source_loc src_comma = { "a,b.c", 3, "f" };
static const struct source_loc src_nasty = { "dir,with \"quote\"/a<b>.c", 7, NULL };

#define NASTY "\"a,b\\\"c\nd\r\ne\" <script>alert(1)</script> '&' \"x\"\"y\""
#define BADUTF "\"\xff\xfe \xc3( \xe2\x82 \xed\xa0\x80 ok \xc3\xa9 \xf0\x9f\x98\x80\""

struct spec {
	const char *name;
	long nr;
	pid_t pid, tid;
	const char *args[6];
	int nshown;
	int nargs;
	uint64_t raw[6];
	const char *ret_text;
	long result;
	int err;
	bool finished;
	uint64_t ts, dur;
	const struct source_loc *src;
	/* expected text */
	const char *x_args;
	const char *x_result;
};

static struct spec corpus[] = {
	{ "openat", 257, 100, 100, { "AT_FDCWD", "\"/etc/hosts\"", "O_RDONLY|O_CLOEXEC" }, 3, 4, { 0 },
	  "3", 3, 0, true, 1000, 5300, &src_plain, "AT_FDCWD, \"/etc/hosts\", O_RDONLY|O_CLOEXEC", "3" },
	{ "write", 1, 100, 100, { "1", NASTY, "42" }, 3, 3, { 0 }, "42", 42, 0, true, 9000, 1200, NULL,
	  "1, " NASTY ", 42", "42" },
	{ "write", 1, 100, 101, { "2", BADUTF, "9" }, 3, 3, { 0 }, "9", 9, 0, true, 9500, 800, &src_nasty,
	  "2, " BADUTF ", 9", "9" },
	{ "read", 0, 100, 101, { "3", NULL /* big */, "200000" }, 3, 3, { 0 }, "200000", 200000, 0, true,
	  12000, 70000, NULL, NULL, "200000" },
	{ "ioctl", 16, 100, 100, { NULL }, 0, 3, { 1, 0x5401, 0x7ffd1234 }, NULL, 0, 0, true, 20000, 10,
	  NULL, "0x1, 0x5401, 0x7ffd1234", "0" },
	{ "access", 21, 100, 100, { "\"/nope\"", "R_OK" }, 2, 2, { 0 }, NULL, -2, 2, true, 21000, 400, NULL,
	  "\"/nope\", R_OK", "-1 ENOENT" },
	{ "stat", 4, 100, 100, { "\"/x\"", "0x1234" }, 2, 2, { 0 }, "-1 ENOENT (No such file or directory)",
	  -2, 2, true, 22000, 300, NULL, "\"/x\", 0x1234", "-1 ENOENT (No such file or directory)" },
	{ "getpid", 39, 100, 100, { NULL }, 0, 0, { 0 }, "100", 100, 0, true, 23000, 100, NULL, "", "100" },
	{ "syscall_0x1b3", 0x1b3, 100, 101, { "0x1", "0x2", "0x3", "0x4", "0x5", "0x6" }, 6, 6, { 0 },
	  "-1 ENOSYS (Function not implemented)", -38, 38, true, 24000, 50, NULL,
	  "0x1, 0x2, 0x3, 0x4, 0x5, 0x6", "-1 ENOSYS (Function not implemented)" },
	{ "close", 3, 100, 101, { "3,4" }, 1, 1, { 0 }, "0 (a, b)", 0, 0, true, 24500, 0, &src_comma, "3,4",
	  "0 (a, b)" },
	{ "exit_group", 231, 100, 100, { "0" }, 1, 1, { 0 }, NULL, 0, 0, false, 30000, 0, NULL, "0", "?" },
};
#define NCORPUS (sizeof(corpus) / sizeof(corpus[0]))

static void corpus_init(void)
{
	if (!big_arg) {
		big_arg = malloc(BIG_LEN + 1);
		cr_assert_not_null(big_arg);
		for (size_t i = 0; i < BIG_LEN; i++)
			big_arg[i] = "x,\"y\n<&>'"[i % 10];
		big_arg[0] = '"';
		big_arg[BIG_LEN - 1] = '"';
		big_arg[BIG_LEN] = '\0';
	}
	corpus[3].args[1] = big_arg;
}

static void corpus_fini(void)
{
	free(big_arg);
	big_arg = NULL;
}

static char *expected_args(const struct spec *sp)
{
	if (sp->x_args)
		return strdup(sp->x_args);
	/* the big one: "3, " BIG ", 200000" */
	size_t n = strlen(big_arg) + 32;
	char *s = malloc(n);
	cr_assert_not_null(s);
	snprintf(s, n, "3, %s, 200000", big_arg);
	return s;
}

static struct event make_event(const struct spec *sp)
{
	struct event ev;
	memset(&ev, 0, sizeof ev);
	ev.pid = sp->pid;
	ev.tid = sp->tid;
	ev.nr = sp->nr;
	ev.name = sp->name;
	for (int i = 0; i < 6; i++) {
		ev.raw_args[i] = sp->raw[i];
		ev.arg_text[i] = sp->args[i];
	}
	ev.nargs = sp->nargs;
	ev.nshown = sp->nshown;
	ev.ret_text = sp->ret_text;
	ev.result = sp->result;
	ev.err = sp->err;
	ev.finished = sp->finished;
	ev.ts_ns = sp->ts;
	ev.duration_ns = sp->dur;
	ev.source = sp->src;
	return ev;
}

static void feed_corpus(struct sink *s)
{
	for (size_t i = 0; i < NCORPUS; i++) {
		struct event ev = make_event(&corpus[i]);
		s->syscall(s->self, &ev);
	}
}

static void feed_extras(struct sink *s)
{
	siginfo_t si;
	memset(&si, 0, sizeof si);
	si.si_signo = SIGCHLD;
	si.si_code = CLD_EXITED;
	si.si_pid = 4242;
	if (s->signal)
		s->signal(s->self, 101, 25000, &si);
	if (s->exited) {
		s->exited(s->self, 101, 26000, 0);       /* exited with 0 */
		s->exited(s->self, 100, 31000, SIGSEGV | 0x80); /* killed, core */
	}
	struct process_info p = { .pid = 100, .ppid = 1, .exe = "/usr/bin/<evil>&co", .start_ns = 0,
				  .end_ns = 31000, .exited = false, .signal = SIGSEGV, .core_dumped = true,
				  .utime_us = 10, .stime_us = 20, .maxrss_kb = 1234 };
	if (s->process_end)
		s->process_end(s->self, &p);
}

static char *const evil_cmd[] = { "./evil<b>", "a&b", "'q'", NULL };

static struct run_meta meta(bool with_source)
{
	struct run_meta m = { .command = evil_cmd, .start_unix_ns = 1700000000123456789ull,
			      .kernel = "6.1.0<x>", .host = "host\"&", .with_source = with_source };
	return m;
}

/* ------------------------------------------------------------------ */
/* a strict RFC 4180 reader (LF or CRLF record ends)                   */

struct csv_field {
	char *s;
	size_t len;
};
struct csv_rec {
	struct csv_field f[8];
	int n;
};

/* Returns the number of records (<= max) or -1 on a syntax error. */
static int csv_parse(const char *p, size_t len, struct csv_rec *recs, int max)
{
	size_t i = 0;
	int nrec = 0;
	while (i < len) {
		cr_assert(nrec < max, "too many CSV records");
		struct csv_rec *r = &recs[nrec++];
		r->n = 0;
		for (;;) {
			cr_assert(r->n < 8, "too many CSV fields");
			struct csv_field *f = &r->f[r->n++];
			f->s = malloc(len + 1);
			cr_assert_not_null(f->s);
			f->len = 0;
			if (i < len && p[i] == '"') {
				i++;
				for (;;) {
					if (i >= len)
						return -1; /* unterminated */
					if (p[i] == '"') {
						if (i + 1 < len && p[i + 1] == '"') {
							f->s[f->len++] = '"';
							i += 2;
							continue;
						}
						i++;
						break;
					}
					f->s[f->len++] = p[i++];
				}
			} else {
				while (i < len && p[i] != ',' && p[i] != '\n' && p[i] != '\r') {
					if (p[i] == '"')
						return -1; /* bare quote */
					f->s[f->len++] = p[i++];
				}
			}
			f->s[f->len] = '\0';
			if (i < len && p[i] == ',') {
				i++;
				continue;
			}
			if (i < len && p[i] == '\r')
				i++;
			if (i < len && p[i] != '\n')
				return -1;
			i++;
			break;
		}
	}
	return nrec;
}

static void csv_free(struct csv_rec *recs, int n)
{
	for (int i = 0; i < n; i++)
		for (int j = 0; j < recs[i].n; j++)
			free(recs[i].f[j].s);
}

static void expect_field(const struct csv_field *f, const char *want, const char *what, size_t row)
{
	size_t wl = strlen(want);
	cr_assert(f->len == wl && memcmp(f->s, want, wl) == 0,
		  "row %zu %s: got [%.200s] (%zu bytes), want [%.200s] (%zu bytes)", row, what, f->s, f->len,
		  want, wl);
}

static char *csv_render(bool with_dur, bool with_src, size_t *len)
{
	corpus_init();
	struct run r;
	run_open(&r);
	struct run_meta m = meta(with_src);
	r.s = csv_sink_new(&r.w, &m, with_dur);
	cr_assert_not_null(r.s);
	feed_corpus(r.s);
	feed_extras(r.s);
	char *out = run_close(&r, len);
	run_unlink(&r);
	return out;
}

TestSuite(format_sinks, .fini = corpus_fini);

Test(format_sinks, csv_header_variants)
{
	const char *want[4] = { "syscall,arguments,result\n", "syscall,arguments,result,duration\n",
				"syscall,arguments,result,source_location\n",
				"syscall,arguments,result,duration,source_location\n" };
	for (int k = 0; k < 4; k++) {
		struct run r;
		run_open(&r);
		struct run_meta m = meta(k >= 2);
		r.s = csv_sink_new(&r.w, &m, k & 1);
		cr_assert_not_null(r.s);
		size_t len;
		char *out = run_close(&r, &len);
		run_unlink(&r);
		cr_assert_str_eq(out, want[k]);
		free(out);
	}
}

Test(format_sinks, csv_round_trips_every_field)
{
	size_t len;
	char *out = csv_render(true, true, &len);
	static struct csv_rec recs[64];
	int n = csv_parse(out, len, recs, 64);
	cr_assert_eq(n, (int)NCORPUS + 1, "records: %d (signals and exits make no rows)", n);
	cr_assert_eq(recs[0].n, 5);
	expect_field(&recs[0].f[0], "syscall", "header", 0);
	expect_field(&recs[0].f[4], "source_location", "header", 0);
	for (size_t i = 0; i < NCORPUS; i++) {
		const struct spec *sp = &corpus[i];
		const struct csv_rec *rec = &recs[i + 1];
		cr_assert_eq(rec->n, 5, "row %zu: %d fields", i + 1, rec->n);
		expect_field(&rec->f[0], sp->name, "syscall", i + 1);
		char *xa = expected_args(sp);
		expect_field(&rec->f[1], xa, "arguments", i + 1);
		free(xa);
		expect_field(&rec->f[2], sp->x_result, "result", i + 1);
		char dur[32] = "";
		if (sp->finished)
			snprintf(dur, sizeof dur, "%lluus", (unsigned long long)(sp->dur / 1000));
		expect_field(&rec->f[3], dur, "duration", i + 1);
		char loc[128] = "";
		if (sp->src)
			snprintf(loc, sizeof loc, "%s:%u", sp->src->file, sp->src->line);
		expect_field(&rec->f[4], loc, "source_location", i + 1);
	}
	csv_free(recs, n);
	free(out);
}

Test(format_sinks, csv_quotes_only_when_needed)
{
	size_t len;
	char *out = csv_render(false, false, &len);
	cr_assert(strstr(out, "\ngetpid,,100\n") != NULL, "plain fields stay unquoted:\n%.300s", out);
	cr_assert(strstr(out, "\nexit_group,0,?\n") != NULL);
	cr_assert(strstr(out, "\nclose,\"3,4\",\"0 (a, b)\"\n") != NULL, "a lone comma is quoted");
	cr_assert(strstr(out, "\naccess,\"\"\"/nope\"\", R_OK\",-1 ENOENT\n") != NULL);
	cr_assert(strstr(out, "\nopenat,\"AT_FDCWD, \"\"/etc/hosts\"\", O_RDONLY|O_CLOEXEC\",3\n") != NULL);
	free(out);
}

/* Python's csv module reads the file back to the same bytes. */
Test(format_sinks, csv_python_reads_it_back)
{
	if (access("/usr/bin/python3", X_OK) != 0 && system("command -v python3 >/dev/null 2>&1") != 0)
		cr_skip_test("python3 not available");
	corpus_init();
	struct run r;
	run_open(&r);
	struct run_meta m = meta(true);
	r.s = csv_sink_new(&r.w, &m, true);
	cr_assert_not_null(r.s);
	feed_corpus(r.s);
	size_t len;
	char *out = run_close(&r, &len);
	free(out);
	char cmd[512];
	snprintf(cmd, sizeof cmd,
		 "python3 -c 'import csv,sys\n"
		 "csv.field_size_limit(sys.maxsize)\n"
		 "f=open(sys.argv[1],newline=\"\",encoding=\"utf-8\",errors=\"surrogateescape\")\n"
		 "for row in csv.reader(f):\n"
		 " print(len(row),\" \".join(x.encode(\"utf-8\",\"surrogateescape\").hex() for x in row))' %s",
		 r.path);
	FILE *p = popen(cmd, "r");
	cr_assert_not_null(p);
	size_t cap = 4u << 20;
	char *line = malloc(cap);
	cr_assert_not_null(line);
	size_t row = 0;
	while (fgets(line, (int)cap, p)) {
		line[strcspn(line, "\n")] = '\0';
		if (row == 0) {
			cr_assert(strncmp(line, "5 ", 2) == 0, "header: %s", line);
			row++;
			continue;
		}
		cr_assert(row <= NCORPUS, "extra row %zu", row);
		const struct spec *sp = &corpus[row - 1];
		char *xa = expected_args(sp);
		char dur[32] = "";
		if (sp->finished)
			snprintf(dur, sizeof dur, "%lluus", (unsigned long long)(sp->dur / 1000));
		char loc[128] = "";
		if (sp->src)
			snprintf(loc, sizeof loc, "%s:%u", sp->src->file, sp->src->line);
		const char *fields[5] = { sp->name, xa, sp->x_result, dur, loc };
		size_t need = 16;
		for (int k = 0; k < 5; k++)
			need += 2 * strlen(fields[k]) + 1;
		char *want = malloc(need);
		cr_assert_not_null(want);
		size_t o = (size_t)sprintf(want, "5");
		for (int k = 0; k < 5; k++) {
			want[o++] = ' ';
			for (const unsigned char *c = (const unsigned char *)fields[k]; *c; c++)
				o += (size_t)sprintf(want + o, "%02x", *c);
		}
		want[o] = '\0';
		cr_assert(strcmp(line, want) == 0, "row %zu differs after python csv:\n got %.300s\nwant %.300s",
			  row, line, want);
		free(want);
		free(xa);
		row++;
	}
	int st = pclose(p);
	run_unlink(&r);
	free(line);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "python3 failed");
	cr_assert_eq(row, NCORPUS + 1, "python read %zu rows", row);
}

/* ------------------------------------------------------------------ */
/* HTML                                                                */

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* Whole buffer is well-formed UTF-8. */
static bool valid_utf8(const unsigned char *p, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = p[i];
		size_t k;
		uint32_t cp, min;
		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xc2 && c <= 0xdf) {
			k = 1, cp = c & 0x1f, min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			k = 2, cp = c & 0x0f, min = 0x800;
		} else if (c >= 0xf0 && c <= 0xf4) {
			k = 3, cp = c & 0x07, min = 0x10000;
		} else {
			return false;
		}
		for (size_t j = 1; j <= k; j++) {
			if (i + j >= n || (p[i + j] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (p[i + j] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += k + 1;
	}
	return true;
}

static char *html_render(size_t *len)
{
	corpus_init();
	struct run r;
	run_open(&r);
	struct run_meta m = meta(true);
	r.s = html_sink_new(&r.w, &m);
	cr_assert_not_null(r.s);
	feed_corpus(r.s);
	feed_extras(r.s);
	char *out = run_close(&r, len);
	run_unlink(&r);
	return out;
}

Test(format_sinks, html_escapes_everything_from_the_tracee)
{
	size_t len;
	char *out = html_render(&len);
	cr_assert_eq(strlen(out), len, "NUL byte in the page");
	cr_assert(strstr(out, "<script>alert") == NULL, "unescaped tracee markup");
	cr_assert(strstr(out, "&lt;script&gt;alert(1)&lt;/script&gt;") != NULL);
	cr_assert(strstr(out, " &#39;&amp;&#39; ") != NULL, "quotes and ampersand escaped");
	cr_assert(strstr(out, "&quot;a,b\\&quot;c\nd\r\ne&quot;") != NULL);
	/* the command, host, kernel and exe are escaped too */
	cr_assert(strstr(out, "<title>renacer-c: ./evil&lt;b&gt; a&amp;b &#39;q&#39;</title>") != NULL,
		  "title:\n%.600s", out);
	cr_assert(strstr(out, "host&quot;&amp;") != NULL);
	cr_assert(strstr(out, "6.1.0&lt;x&gt;") != NULL);
	cr_assert(strstr(out, "/usr/bin/&lt;evil&gt;&amp;co") != NULL);
	cr_assert(strstr(out, "dir,with &quot;quote&quot;/a&lt;b&gt;.c:7") != NULL);
	/* exactly one script element: ours */
	cr_assert_eq(count(out, "<script"), 1);
	cr_assert_eq(count(out, "</script>"), 1);
	/* invalid UTF-8 became U+FFFD; valid sequences survived */
	cr_assert(valid_utf8((const unsigned char *)out, len), "page is not valid UTF-8");
	cr_assert(strstr(out, "&#xFFFD;&#xFFFD; &#xFFFD;( ") != NULL);
	cr_assert(strstr(out, " ok \xc3\xa9 \xf0\x9f\x98\x80&quot;") != NULL);
	free(out);
}

Test(format_sinks, html_is_self_contained_and_balanced)
{
	size_t len;
	char *out = html_render(&len);
	cr_assert(strncmp(out, "<!DOCTYPE html>\n", 16) == 0);
	cr_assert(len > 8 && strcmp(out + len - 8, "</html>\n") == 0);
	cr_assert(strstr(out, "src=") == NULL, "no src attributes at all");
	cr_assert(strstr(out, "href=\"http") == NULL && strstr(out, "href='http") == NULL &&
			  strstr(out, "href=\"//") == NULL,
		  "no external links");
	cr_assert_eq(count(out, "href="), count(out, "href=\"#"), "only in-page anchors");
	cr_assert(strstr(out, "url(") == NULL && strstr(out, "@import") == NULL);
	cr_assert(strstr(out, "Content-Security-Policy") != NULL);
	const char *pairs[][2] = { { "<table", "</table>" }, { "<thead", "</thead>" }, { "<tbody", "</tbody>" },
				   { "<tr", "</tr>" },       { "<td", "</td>" },       { "<th", "</th>" },
				   { "<section", "</section>" } };
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		/* "<th" also matches "<thead": subtract */
		size_t open = count(out, pairs[i][0]);
		if (strcmp(pairs[i][0], "<th") == 0)
			open -= count(out, "<thead");
		size_t close = count(out, pairs[i][1]);
		cr_assert_eq(open, close, "%s: %zu open, %zu close", pairs[i][0], open, close);
	}
	/* the call table: one row per call, signal, exit; 7 cells each */
	const char *t = strstr(out, "<table class=\"sortable\" id=\"calls\">");
	cr_assert_not_null(t);
	const char *body = strstr(t, "<tbody>");
	const char *end = strstr(t, "</tbody>");
	cr_assert(body && end && body < end);
	size_t rows = 0;
	for (const char *p = body; (p = strstr(p, "<tr")) && p < end; p++) {
		const char *rend = strstr(p, "</tr>");
		cr_assert_not_null(rend);
		size_t cells = 0;
		for (const char *c = p; (c = strstr(c, "<td")) && c < rend; c++)
			cells++;
		cr_assert_eq(cells, 7, "row %zu has %zu cells", rows, cells);
		rows++;
	}
	cr_assert_eq(rows, NCORPUS + 3, "rows: %zu", rows);
	/* summary: totals and per-syscall rows */
	cr_assert(strstr(out, "<section id=\"summary\">") != NULL);
	cr_assert(strstr(out, "<tr><th>calls</th><td>11</td></tr>") != NULL);
	cr_assert(strstr(out, "<tr><th>errors</th><td>3</td></tr>") != NULL);
	cr_assert(strstr(out, "<tr><th>unfinished</th><td>1</td></tr>") != NULL);
	/* read took 70 us of 78160 ns in total: first row of the time table */
	const char *bys = strstr(out, "id=\"bysyscall\"");
	cr_assert_not_null(bys);
	const char *first = strstr(bys, "<tbody>\n<tr><td>");
	cr_assert_not_null(first);
	const char *want_first = "<tbody>\n<tr><td>89.56</td><td>0.000070</td><td>70</td><td>1</td><td></td>"
				 "<td>read</td></tr>";
	cr_assert(strncmp(first, want_first, strlen(want_first)) == 0, "%.200s", first);
	cr_assert(strstr(out, "<td>total</td>") != NULL);
	cr_assert(strstr(out, "killed by SIGSEGV (core dumped)") != NULL);
	free(out);
}

Test(format_sinks, html_empty_run_is_a_complete_page)
{
	struct run r;
	run_open(&r);
	struct run_meta m = { .attached = (const pid_t[]){ 12, 34 }, .nattached = 2 };
	r.s = html_sink_new(&r.w, &m);
	cr_assert_not_null(r.s);
	size_t len;
	char *out = run_close(&r, &len);
	run_unlink(&r);
	cr_assert(strstr(out, "<title>renacer-c: -p 12,34</title>") != NULL);
	cr_assert(strstr(out, "<tr><th>calls</th><td>0</td></tr>") != NULL);
	cr_assert(strcmp(out + len - 8, "</html>\n") == 0);
	free(out);
}

/* ------------------------------------------------------------------ */
/* Chrome trace events                                                 */

static cJSON *chrome_parse(const char *text)
{
	cJSON *root = cJSON_Parse(text);
	cr_assert_not_null(root, "not JSON near: %.120s", cJSON_GetErrorPtr() ? cJSON_GetErrorPtr() : "?");
	cJSON *evs = cJSON_GetObjectItemCaseSensitive(root, "traceEvents");
	cr_assert(cJSON_IsArray(evs));
	return root;
}

struct tid_ts {
	double tid, ts;
};

/* Per-tid ts never decrease; every X event has dur >= 0; all numbers finite. */
static void chrome_check_order(const cJSON *root)
{
	const cJSON *evs = cJSON_GetObjectItemCaseSensitive(root, "traceEvents");
	struct tid_ts last[64];
	size_t nlast = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, evs)
	{
		const cJSON *ph = cJSON_GetObjectItemCaseSensitive(e, "ph");
		cr_assert(cJSON_IsString(ph));
		const cJSON *pid = cJSON_GetObjectItemCaseSensitive(e, "pid");
		const cJSON *tid = cJSON_GetObjectItemCaseSensitive(e, "tid");
		cr_assert(cJSON_IsNumber(pid) && cJSON_IsNumber(tid));
		if (strcmp(ph->valuestring, "M") == 0)
			continue;
		const cJSON *name = cJSON_GetObjectItemCaseSensitive(e, "name");
		cr_assert(cJSON_IsString(name));
		const cJSON *ts = cJSON_GetObjectItemCaseSensitive(e, "ts");
		cr_assert(cJSON_IsNumber(ts) && isfinite(ts->valuedouble) && ts->valuedouble >= 0);
		if (strcmp(ph->valuestring, "X") == 0) {
			const cJSON *dur = cJSON_GetObjectItemCaseSensitive(e, "dur");
			cr_assert(cJSON_IsNumber(dur) && isfinite(dur->valuedouble) && dur->valuedouble >= 0);
		} else {
			cr_assert_str_eq(ph->valuestring, "i");
			const cJSON *sc = cJSON_GetObjectItemCaseSensitive(e, "s");
			cr_assert(cJSON_IsString(sc) && strcmp(sc->valuestring, "t") == 0);
		}
		size_t k;
		for (k = 0; k < nlast; k++)
			if (last[k].tid == tid->valuedouble)
				break;
		if (k == nlast) {
			cr_assert(nlast < 64);
			last[nlast].tid = tid->valuedouble;
			last[nlast].ts = ts->valuedouble;
			nlast++;
		} else {
			cr_assert(ts->valuedouble >= last[k].ts, "tid %.0f went back: %f after %f", tid->valuedouble,
				  ts->valuedouble, last[k].ts);
			last[k].ts = ts->valuedouble;
		}
	}
}

static const cJSON *find_meta(const cJSON *root, const char *what, int tid)
{
	const cJSON *evs = cJSON_GetObjectItemCaseSensitive(root, "traceEvents");
	const cJSON *e, *found = NULL;
	cJSON_ArrayForEach(e, evs)
	{
		const cJSON *ph = cJSON_GetObjectItemCaseSensitive(e, "ph");
		const cJSON *name = cJSON_GetObjectItemCaseSensitive(e, "name");
		const cJSON *t = cJSON_GetObjectItemCaseSensitive(e, "tid");
		if (strcmp(ph->valuestring, "M") == 0 && strcmp(name->valuestring, what) == 0 &&
		    (int)t->valuedouble == tid)
			found = e; /* the last one wins, as in the viewers */
	}
	return found;
}

static const char *meta_name(const cJSON *m)
{
	cr_assert_not_null(m);
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(m, "args");
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(a, "name");
	cr_assert(cJSON_IsString(n));
	return n->valuestring;
}

static char *chrome_render(size_t *len)
{
	corpus_init();
	struct run r;
	run_open(&r);
	struct run_meta m = meta(true);
	r.s = chrome_sink_new(&r.w, &m);
	cr_assert_not_null(r.s);
	feed_corpus(r.s);
	feed_extras(r.s);
	char *out = run_close(&r, len);
	run_unlink(&r);
	return out;
}

Test(format_sinks, chrome_is_valid_trace_json)
{
	size_t len;
	char *out = chrome_render(&len);
	cJSON *root = chrome_parse(out);
	chrome_check_order(root);
	const cJSON *evs = cJSON_GetObjectItemCaseSensitive(root, "traceEvents");
	size_t i = 0, nx = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, evs)
	{
		const char *ph = cJSON_GetObjectItemCaseSensitive(e, "ph")->valuestring;
		if (strcmp(ph, "X") != 0)
			continue;
		cr_assert(i < NCORPUS);
		const struct spec *sp = &corpus[i++];
		nx++;
		cr_assert_str_eq(cJSON_GetObjectItemCaseSensitive(e, "name")->valuestring, sp->name);
		cr_assert_str_eq(cJSON_GetObjectItemCaseSensitive(e, "cat")->valuestring, "syscall");
		cr_assert_eq((int)cJSON_GetObjectItemCaseSensitive(e, "pid")->valuedouble, sp->pid);
		cr_assert_eq((int)cJSON_GetObjectItemCaseSensitive(e, "tid")->valuedouble, sp->tid);
		double ts = cJSON_GetObjectItemCaseSensitive(e, "ts")->valuedouble;
		double dur = cJSON_GetObjectItemCaseSensitive(e, "dur")->valuedouble;
		cr_assert(fabs(ts - (double)sp->ts / 1000.0) < 1e-6, "ts %f", ts);
		cr_assert(fabs(dur - (double)sp->dur / 1000.0) < 1e-6, "dur %f", dur);
		const cJSON *args = cJSON_GetObjectItemCaseSensitive(e, "args");
		const cJSON *a = cJSON_GetObjectItemCaseSensitive(args, "args");
		const cJSON *res = cJSON_GetObjectItemCaseSensitive(args, "result");
		cr_assert(cJSON_IsString(a) && cJSON_IsString(res));
		cr_assert_str_eq(res->valuestring, sp->x_result);
		if (sp->x_args != corpus[2].x_args) { /* the invalid UTF-8 one is \u00XX-escaped */
			char *xa = expected_args(sp);
			cr_assert(strcmp(a->valuestring, xa) == 0, "args of %s: %.200s", sp->name, a->valuestring);
			free(xa);
		}
		const cJSON *nr = cJSON_GetObjectItemCaseSensitive(args, "nr");
		cr_assert(cJSON_IsNumber(nr) && (long)nr->valuedouble == sp->nr);
		const cJSON *src = cJSON_GetObjectItemCaseSensitive(args, "source");
		if (sp->src) {
			char loc[128];
			snprintf(loc, sizeof loc, "%s:%u", sp->src->file, sp->src->line);
			cr_assert(cJSON_IsString(src) && strcmp(src->valuestring, loc) == 0);
		} else {
			cr_assert_null(src);
		}
		if (!sp->finished)
			cr_assert(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(args, "unfinished")));
	}
	cr_assert_eq(nx, NCORPUS);
	/* the invalid bytes were escaped as \u00XX, never raw */
	cr_assert(strstr(out, "\\u00ff\\u00fe \\u00c3( \\u00e2\\u0082 \\u00ed\\u00a0\\u0080 ok \xc3\xa9") !=
		  NULL);
	/* names: the first process after the command, threads too */
	cr_assert_str_eq(meta_name(find_meta(root, "process_name", 100)), "evil<b>");
	cr_assert_str_eq(meta_name(find_meta(root, "thread_name", 100)), "evil<b>");
	cr_assert_str_eq(meta_name(find_meta(root, "thread_name", 101)), "thread 101");
	/* signal and exits are instant events */
	cr_assert(strstr(out, "{\"ph\":\"i\",\"s\":\"t\",\"cat\":\"signal\",\"name\":\"SIGCHLD\",\"ts\":25.000,"
			      "\"pid\":100,\"tid\":101,") != NULL,
		  "%s", out);
	cr_assert(strstr(out, "\"name\":\"killed by SIGSEGV (core dumped)\"") != NULL);
	const cJSON *od = cJSON_GetObjectItemCaseSensitive(root, "otherData");
	cr_assert(cJSON_IsObject(od));
	const cJSON *cmd = cJSON_GetObjectItemCaseSensitive(od, "command");
	cr_assert(cJSON_IsArray(cmd) && cJSON_GetArraySize(cmd) == 3);
	cr_assert_str_eq(cJSON_GetArrayItem(cmd, 0)->valuestring, "./evil<b>");
	cJSON_Delete(root);
	free(out);
}

static void emit(struct sink *s, pid_t pid, pid_t tid, uint64_t ts, uint64_t dur, bool fin)
{
	struct spec sp = { .name = "futex", .nr = 202, .pid = pid, .tid = tid, .nshown = 0, .nargs = 0,
			   .ret_text = fin ? "0" : NULL, .finished = fin, .ts = ts, .dur = fin ? dur : 0 };
	struct event ev = make_event(&sp);
	s->syscall(s->self, &ev);
}

/* Several threads and processes, completion order; the exec-from-thread
 * case where an earlier entry arrives after a later one on the same tid. */
Test(format_sinks, chrome_per_tid_time_never_goes_back)
{
	struct run r;
	run_open(&r);
	struct run_meta m = { .command = (char *const[]){ "/usr/bin/prog", NULL } };
	r.s = chrome_sink_new(&r.w, &m);
	cr_assert_not_null(r.s);
	emit(r.s, 10, 10, 1000, 5000, true);   /* 10: [1000, 6000) */
	emit(r.s, 10, 11, 2000, 500, true);    /* 11: [2000, 2500) */
	emit(r.s, 10, 12, 1500, 3000, true);   /* 12: [1500, 4500) */
	emit(r.s, 10, 11, 2600, 100, true);
	emit(r.s, 10, 10, 6100, 0, false);     /* leader dies in a call at 6100 */
	r.s->superseded(r.s->self, 10, 7000, 12); /* thread 12 exec'd... */
	emit(r.s, 10, 10, 5000, 2000, true);   /* ...its execve, entered at 5000, now as tid 10 */
	emit(r.s, 20, 20, 3000, 10, true);     /* a second process */
	r.s->exited(r.s->self, 20, 4000, 0);
	struct process_info p = { .pid = 20, .exe = "/bin/ls", .exited = true };
	r.s->process_end(r.s->self, &p);
	size_t len;
	char *out = run_close(&r, &len);
	run_unlink(&r);
	cJSON *root = chrome_parse(out);
	chrome_check_order(root);
	cr_assert(strstr(out, "\"ts\":6.100,\"dur\":2.000,\"pid\":10,\"tid\":10,") != NULL, "%s", out);
	cr_assert(strstr(out, "\"entry_ts_ns\":5000}") != NULL);
	cr_assert_str_eq(meta_name(find_meta(root, "process_name", 10)), "prog");
	cr_assert_str_eq(meta_name(find_meta(root, "process_name", 20)), "ls");
	cr_assert_str_eq(meta_name(find_meta(root, "thread_name", 11)), "thread 11");
	cJSON_Delete(root);
	free(out);
}

Test(format_sinks, chrome_empty_run_is_valid)
{
	struct run r;
	run_open(&r);
	r.s = chrome_sink_new(&r.w, NULL);
	cr_assert_not_null(r.s);
	size_t len;
	char *out = run_close(&r, &len);
	run_unlink(&r);
	cJSON *root = chrome_parse(out);
	cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(root, "traceEvents")), 0);
	cJSON_Delete(root);
	free(out);
}

/* Many events: the sinks' memory does not grow (buffers are reused); all
 * three outputs stay well-formed. */
Test(format_sinks, many_events_stream)
{
	struct run r[3];
	struct run_meta m = meta(false);
	for (int k = 0; k < 3; k++)
		run_open(&r[k]);
	r[0].s = csv_sink_new(&r[0].w, &m, true);
	r[1].s = html_sink_new(&r[1].w, &m);
	r[2].s = chrome_sink_new(&r[2].w, &m);
	for (int k = 0; k < 3; k++)
		cr_assert_not_null(r[k].s);
	for (int i = 0; i < 20000; i++) {
		pid_t tid = 500 + i % 7;
		for (int k = 0; k < 3; k++)
			emit(r[k].s, 500, tid, (uint64_t)i * 1000, 700, true);
	}
	size_t len[3];
	char *out[3];
	for (int k = 0; k < 3; k++) {
		out[k] = run_close(&r[k], &len[k]);
		run_unlink(&r[k]);
	}
	cr_assert_eq(count(out[0], "\n"), 20001);
	/* calls, the one per-syscall row and its total */
	cr_assert_eq(count(out[1], "<tr><td>"), 20000 + 2);
	cJSON *root = chrome_parse(out[2]);
	chrome_check_order(root);
	cJSON_Delete(root);
	for (int k = 0; k < 3; k++)
		free(out[k]);
}
