/* test_formats.c — `--format csv|html|chrome` end to end against
 * $RENACER_C: CSV rows agree with the text trace
 * and read back with Python's csv module; HTML escapes what the tracee
 * prints and links nothing outside; Chrome trace events parse and keep
 * per-thread time monotonic for a multi-threaded program; every format is
 * complete after SIGINT to the tracer. */
#include <criterion/criterion.h>

#include <cJSON.h>
#include <dirent.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

TestSuite(formats, .init = h_init, .fini = h_cleanup, .timeout = 120);

/* renacer-c ARGS..., stdout to /dev/null (the tracee's), stderr captured */
static void rc(const char *const *args, struct h_res *r)
{
	h_require_renacer();
	struct h_cmd c = {
		.argv = h_argv_join(H_ARGV(h_renacer()), args),
		.envp = h_clean_env(),
		.out = H_IO_NULL,
		.err = H_IO_PIPE,
	};
	h_run(&c, r);
	cr_assert(!r->timed_out, "renacer-c %s: timed out", h_argv_str(args));
	cr_assert_eq(r->code, 0, "renacer-c %s: %s\nstderr:\n%.2000s", h_argv_str(args), h_describe(r), r->err);
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* Python 3 reads CSV at PATH; stdout: one line per record, "NFIELDS NAME".
 * Returns NULL (test skipped) when python3 is missing. */
static const char *python_csv(const char *path)
{
	static const char script[] =
		"import csv,sys\n"
		"csv.field_size_limit(sys.maxsize)\n"
		"with open(sys.argv[1],newline='',encoding='utf-8',errors='surrogateescape') as f:\n"
		"  for row in csv.reader(f, strict=True):\n"
		"    print(len(row), row[0])\n";
	struct h_cmd c = {
		.argv = H_ARGV("python3", "-c", script, path),
		.out = H_IO_PIPE,
		.err = H_IO_PIPE,
	};
	struct h_res r;
	h_run(&c, &r);
	if (r.exec_errno)
		cr_skip_test("python3 is not installed");
	cr_assert(!r.timed_out && r.code == 0, "python3 csv could not read %s: %s\n%.2000s", path, h_describe(&r),
		  r.err);
	return r.out;
}

/* No temporary "NAME.tmp.PID" left next to the output. */
static void no_leftovers(void)
{
	DIR *d = opendir(h_tmpdir());
	cr_assert_not_null(d);
	struct dirent *e;
	while ((e = readdir(d)))
		cr_assert(strstr(e->d_name, ".tmp.") == NULL, "leftover temporary file %s", e->d_name);
	closedir(d);
}

/* ------------------------------------------------------------------ */
/* CSV                                                                 */

static void csv_case(const char *const *prog, bool with_T)
{
	const char *txt = h_tmp_path("t.txt");
	const char *csv = h_tmp_path("t.csv");
	struct h_res r;
	rc(h_argv_join(H_ARGV("-f", "-o", txt, "--"), prog), &r);
	rc(h_argv_join(with_T ? H_ARGV("-f", "-T", "--format", "csv", "-o", csv, "--")
			      : H_ARGV("-f", "--format", "csv", "-o", csv, "--"),
		       prog),
	   &r);
	no_leftovers();

	/* text trace: the syscall lines, in order */
	const struct h_trace *t = h_parse_trace_file(txt);
	size_t ncalls = 0;
	for (size_t i = 0; i < t->nlines; i++)
		if (t->lines[i].kind == H_LINE_CALL)
			ncalls++;

	size_t len;
	const char *raw = h_slurp(csv, &len);
	const char *hdr = with_T ? "syscall,arguments,result,duration\n" : "syscall,arguments,result\n";
	cr_assert(strncmp(raw, hdr, strlen(hdr)) == 0, "header: %.80s", raw);

	const char *py = python_csv(csv);
	size_t rows = 0, nf = with_T ? 4 : 3;
	const char *p = py;
	size_t ti = 0;
	while (*p) {
		const char *nl = strchr(p, '\n');
		cr_assert_not_null(nl);
		char *end;
		unsigned long fields = strtoul(p, &end, 10);
		cr_assert_eq(fields, nf, "record %zu has %lu fields", rows, fields);
		const char *name = end + 1;
		size_t nlen = (size_t)(nl - name);
		if (rows > 0) {
			/* same syscall as the text trace's line, one for one (single
			 * task programs: the order is fixed) */
			while (ti < t->nlines && t->lines[ti].kind != H_LINE_CALL)
				ti++;
			if (ti < t->nlines && t->ntasks == 1) {
				const char *tn = t->lines[ti].name;
				cr_assert(strlen(tn) == nlen && strncmp(tn, name, nlen) == 0,
					  "row %zu is %.*s, the text trace has %s", rows, (int)nlen, name, tn);
			}
			ti++;
		}
		rows++;
		p = nl + 1;
	}
	cr_assert_eq(rows - 1, ncalls, "CSV has %zu rows, the text trace %zu syscall lines", rows - 1, ncalls);
}

Test(formats, csv_rows_match_the_text_trace)
{
	csv_case(H_ARGV(h_fixture("deterministic")), false);
}

Test(formats, csv_with_durations)
{
	csv_case(H_ARGV(h_fixture("deterministic")), true);
	size_t len;
	const char *raw = h_slurp(h_tmp_path("t.csv"), &len);
	/* failed opens: quoted arguments, strace's errno result, a duration */
	cr_assert(strstr(raw, "\nopenat,\"AT_FDCWD, \"\"/nonexistent\"\", O_RDONLY\",-1 ENOENT (No such file or "
			      "directory),") != NULL,
		  "%.3000s", raw);
}

/* execve's arguments hold a comma and quotes: quoted and read back */
Test(formats, csv_quotes_nasty_arguments)
{
	const char *echo = h_which("echo");
	cr_assert_not_null(echo);
	csv_case(H_ARGV(echo, "a,b\"c", "<x>"), false);
	const char *raw = h_slurp(h_tmp_path("t.csv"), NULL);
	cr_assert(strstr(raw, "\"\"a,b\\\"\"c\"\"") != NULL, "execve's argv, quoted:\n%.600s", raw);
}

/* ------------------------------------------------------------------ */
/* HTML                                                                */

Test(formats, html_escapes_what_the_tracee_prints)
{
	const char *o = h_tmp_path("t.html");
	struct h_res r;
	rc(H_ARGV("-f", "--format", "html", "-o", o, "--", "sh", "-c", "echo \"<script>alert(1)</script>\""), &r);
	no_leftovers();
	size_t len;
	const char *html = h_slurp(o, &len);
	cr_assert(strncmp(html, "<!DOCTYPE html>", 15) == 0);
	cr_assert(len > 8 && strcmp(html + len - 8, "</html>\n") == 0, "page not closed");
	cr_assert(strstr(html, "<script>alert") == NULL, "tracee markup reached the page unescaped");
	cr_assert(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;") != NULL, "the write is missing");
	cr_assert_eq(count(html, "<script"), 1, "only the page's own script");
	cr_assert(strstr(html, "src=") == NULL, "no src attributes");
	cr_assert(strstr(html, "href=\"http") == NULL && strstr(html, "href='http") == NULL &&
			  strstr(html, "href=\"//") == NULL,
		  "no external links");
	cr_assert_eq(count(html, "href="), count(html, "href=\"#"), "only in-page anchors");
	cr_assert_eq(count(html, "<table"), count(html, "</table>"));
	cr_assert_eq(count(html, "<tr"), count(html, "</tr>"));
	cr_assert_eq(count(html, "<td"), count(html, "</td>"));
	cr_assert(strstr(html, "<section id=\"summary\">") != NULL);
	cr_assert(strstr(html, "<td>write</td>") != NULL || strstr(html, ">write<") != NULL);
}

/* ------------------------------------------------------------------ */
/* Chrome trace events                                                 */

struct last_ts {
	int tid;
	double ts;
};

/* Parse, check every event and the per-tid order; returns the number of
 * X events and (via *ntids) distinct tids with X events. */
static size_t chrome_check(const char *path, size_t *ntids, const char **pname)
{
	size_t len;
	const char *text = h_slurp(path, &len);
	cJSON *root = cJSON_ParseWithLength(text, len);
	cr_assert_not_null(root, "%s is not JSON (near %.80s)", path,
			   cJSON_GetErrorPtr() ? cJSON_GetErrorPtr() : "?");
	const cJSON *evs = cJSON_GetObjectItemCaseSensitive(root, "traceEvents");
	cr_assert(cJSON_IsArray(evs));
	struct last_ts last[256];
	size_t nlast = 0, nx = 0;
	*pname = NULL;
	const cJSON *e;
	cJSON_ArrayForEach(e, evs)
	{
		const cJSON *ph = cJSON_GetObjectItemCaseSensitive(e, "ph");
		const cJSON *name = cJSON_GetObjectItemCaseSensitive(e, "name");
		const cJSON *pid = cJSON_GetObjectItemCaseSensitive(e, "pid");
		const cJSON *tid = cJSON_GetObjectItemCaseSensitive(e, "tid");
		cr_assert(cJSON_IsString(ph) && cJSON_IsString(name) && cJSON_IsNumber(pid) && cJSON_IsNumber(tid));
		if (!strcmp(ph->valuestring, "M")) {
			if (!strcmp(name->valuestring, "process_name") && !*pname) {
				const cJSON *a = cJSON_GetObjectItemCaseSensitive(e, "args");
				const cJSON *n = cJSON_GetObjectItemCaseSensitive(a, "name");
				cr_assert(cJSON_IsString(n));
				*pname = h_fmt("%s", n->valuestring);
			}
			continue;
		}
		const cJSON *ts = cJSON_GetObjectItemCaseSensitive(e, "ts");
		cr_assert(cJSON_IsNumber(ts) && isfinite(ts->valuedouble) && ts->valuedouble >= 0);
		if (!strcmp(ph->valuestring, "X")) {
			const cJSON *dur = cJSON_GetObjectItemCaseSensitive(e, "dur");
			cr_assert(cJSON_IsNumber(dur) && isfinite(dur->valuedouble) && dur->valuedouble >= 0);
			const cJSON *args = cJSON_GetObjectItemCaseSensitive(e, "args");
			cr_assert(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(args, "args")));
			cr_assert(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(args, "result")));
			nx++;
		} else {
			cr_assert_str_eq(ph->valuestring, "i");
		}
		int t = (int)tid->valuedouble;
		size_t k;
		for (k = 0; k < nlast && last[k].tid != t; k++)
			;
		if (k == nlast) {
			cr_assert(nlast < 256);
			last[nlast].tid = t;
			last[nlast].ts = ts->valuedouble;
			nlast++;
		} else {
			cr_assert(ts->valuedouble >= last[k].ts, "tid %d went back in time: %.3f after %.3f", t,
				  ts->valuedouble, last[k].ts);
			last[k].ts = ts->valuedouble;
		}
	}
	cJSON_Delete(root);
	*ntids = nlast;
	return nx;
}

Test(formats, chrome_threads_keep_time_order)
{
	const char *fix = h_fixture("threads4");
	const char *o = h_tmp_path("t.json");
	const char *txt = h_tmp_path("t.txt");
	struct h_res r;
	for (int i = 0; i < 3; i++) { /* thread timing varies: a few runs */
		rc(H_ARGV("-f", "--format", "chrome", "-o", o, "--", fix), &r);
		no_leftovers();
		size_t ntids;
		const char *pname;
		size_t nx = chrome_check(o, &ntids, &pname);
		cr_assert_geq(ntids, 5, "run %d: %zu threads in the trace", i, ntids);
		cr_assert_gt(nx, 20);
		cr_assert(pname && !strcmp(pname, "threads4"), "process_name %s", pname ? pname : "(none)");
	}
	/* as many complete events as the text trace has calls (same program,
	 * futex calls excepted: their number depends on contention) */
	rc(H_ARGV("-f", "-o", txt, "--", fix), &r);
	const struct h_trace *t = h_parse_trace_file(txt);
	size_t ncalls = 0;
	/* calls, not lines: an "<unfinished ...>" line and its resumption are one */
	for (size_t k = 0; k < t->ntasks; k++)
		for (size_t i = 0; i < t->tasks[k].ncalls; i++)
			if (strcmp(t->tasks[k].calls[i].name, "futex") != 0)
				ncalls++;
	size_t len;
	const char *json = h_slurp(o, &len);
	size_t nx = count(json, "{\"ph\":\"X\"") - count(json, "\"name\":\"futex\"");
	cr_assert_eq(nx, ncalls, "chrome: %zu calls (futex aside), text: %zu", nx, ncalls);
}

Test(formats, chrome_processes_and_threads)
{
	const char *o = h_tmp_path("spawn.json");
	struct h_res r;
	rc(H_ARGV("-f", "--format", "chrome", "-o", o, "--", "sh", "-c", "ls / >/dev/null; true"), &r);
	size_t ntids;
	const char *pname;
	chrome_check(o, &ntids, &pname);
	cr_assert_geq(ntids, 2);
	cr_assert(pname && !strcmp(pname, "sh"), "first process_name %s", pname ? pname : "(none)");
	const char *json = h_slurp(o, NULL);
	cr_assert(strstr(json, "\"args\":{\"name\":\"ls\"}") != NULL, "the child is named after ls");
}

/* ------------------------------------------------------------------ */
/* SIGINT to the tracer: every format is complete                      */

static void sigint_case(const char *fmt, const char *name)
{
	h_require_renacer();
	const char *o = h_tmp_path(name);
	struct h_cmd tc = { .argv = H_ARGV(h_renacer(), "--format", fmt, "-o", o, "--", h_fixture("sleeper")),
			    .out = H_IO_PIPE,
			    .err = H_IO_PIPE };
	struct h_proc tr;
	h_spawn(&tc, &tr);
	const char *line = h_read_line(&tr, 5000);
	pid_t pid = (pid_t)atoi(line);
	if (pid <= 0) {
		kill(-tr.pid, SIGKILL);
		cr_assert_fail("sleeper printed no pid under renacer-c: '%s'", line);
	}
	usleep(200 * 1000);
	cr_assert_eq(kill(tr.pid, SIGINT), 0);
	/* The tracer may stop at once or, like strace, keep tracing a launched
	 * program until it ends: end the sleeper after a moment either way. */
	usleep(300 * 1000);
	kill(pid, SIGTERM);
	struct h_res res;
	h_wait(&tr, 10000, &res);
	cr_assert(!res.timed_out, "renacer-c did not finish after SIGINT");
	no_leftovers();
	size_t len;
	const char *text = h_slurp(o, &len);
	cr_assert_gt(len, 0);
	if (!strcmp(fmt, "chrome")) {
		size_t ntids;
		const char *pname;
		cr_assert_gt(chrome_check(o, &ntids, &pname), 0);
	} else if (!strcmp(fmt, "html")) {
		cr_assert(strcmp(text + len - 8, "</html>\n") == 0, "page not closed");
		cr_assert(strstr(text, "nanosleep") != NULL);
	} else {
		cr_assert(strncmp(text, "syscall,arguments,result\n", 25) == 0);
		cr_assert(text[len - 1] == '\n', "partial last row");
		python_csv(o);
	}
}

Test(formats, sigint_leaves_complete_chrome)
{
	sigint_case("chrome", "int.json");
}

Test(formats, sigint_leaves_complete_html)
{
	sigint_case("html", "int.html");
}

Test(formats, sigint_leaves_complete_csv)
{
	sigint_case("csv", "int.csv");
}
