/* test_json.c — `--format json` (docs/design.md, 'Trace format (JSON)') and `renacer-c summary` against
 * the real binary: valid JSON in every ending (normal, error exit, SIGINT
 * to the tracer, SIGKILL to the tracee), records that agree with the text
 * trace, the -c table re-rendered from a saved trace byte for byte, and
 * flat memory over a million calls. */
#include <criterion/criterion.h>

#include <cjson/cJSON.h>
#include <glob.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

TestSuite(json, .init = h_init, .fini = h_cleanup, .timeout = 120);

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define JT_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define JT_ASAN 1
#endif

/* ------------------------------------------------------------------ */
/* helpers                                                             */

static cJSON *kept_json[64];
static size_t nkept_json;

static void json_fini(void)
{
	for (size_t i = 0; i < nkept_json; i++)
		cJSON_Delete(kept_json[i]);
	nkept_json = 0;
	h_cleanup();
}

/* Parse PATH with cJSON (fails the test when invalid); freed at fini. */
static const cJSON *load_json(const char *path)
{
	size_t len;
	char *text = h_slurp(path, &len);
	cr_assert_gt(len, 0, "%s is empty", path);
	cJSON *doc = cJSON_ParseWithLength(text, len);
	cr_assert_not_null(doc, "%s is not valid JSON near: %.80s", path,
			   cJSON_GetErrorPtr() ? cJSON_GetErrorPtr() : "?");
	cr_assert(cJSON_IsObject(doc));
	cr_assert_lt(nkept_json, 64);
	kept_json[nkept_json++] = doc;
	return doc;
}

static void python_validates(const char *path)
{
	const char *py = h_which("python3");
	if (!py)
		return; /* optional second parser */
	struct h_cmd c = {
		.argv = H_ARGV(py, "-m", "json.tool", path),
		.envp = h_clean_env(),
		.out = H_IO_NULL,
		.err = H_IO_PIPE,
		.timeout_ms = 60000,
	};
	struct h_res r;
	h_run(&c, &r);
	cr_assert_eq(r.code, 0, "python3 -m json.tool %s: %s", path, r.err);
}

static const cJSON *get(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	cr_assert_not_null(v, "missing key \"%s\"", key);
	return v;
}

/* Structural checks of docs/design.md, 'Trace format (JSON)' on a whole document; returns the number
 * of syscall records. */
static int check_document(const cJSON *doc)
{
	cr_assert_str_eq(get(doc, "version")->valuestring, "0.1.0");
	cr_assert_str_eq(get(doc, "format")->valuestring, "renacer-json-v1");
	cr_assert_eq(get(doc, "schema")->valueint, 2);
	const cJSON *meta = get(doc, "meta");
	cr_assert_str_eq(get(meta, "tracer")->valuestring, "renacer-c");
	cr_assert(cJSON_IsNumber(get(meta, "start_unix_ns")));
	const cJSON *calls = get(doc, "syscalls");
	cr_assert(cJSON_IsArray(calls));
	const cJSON *c;
	int n = 0;
	cJSON_ArrayForEach(c, calls)
	{
		cr_assert(cJSON_IsString(get(c, "name")));
		cr_assert(cJSON_IsNumber(get(c, "nr")));
		cr_assert(cJSON_IsArray(get(c, "args")));
		cr_assert_eq(cJSON_GetArraySize(get(c, "raw_args")), 6);
		const cJSON *res = get(c, "result");
		cr_assert(cJSON_IsNumber(res) || cJSON_IsNull(res));
		if (cJSON_IsNull(res))
			cr_assert(cJSON_IsTrue(get(c, "unfinished")));
		const cJSON *en = get(c, "errno");
		cr_assert(cJSON_IsString(en) || cJSON_IsNull(en));
		cr_assert(cJSON_IsNumber(get(c, "pid")));
		cr_assert(cJSON_IsNumber(get(c, "tid")));
		cr_assert(cJSON_IsNumber(get(c, "ts_ns")));
		cr_assert(cJSON_IsNumber(get(c, "duration_ns")));
		cr_assert(cJSON_IsNumber(get(c, "duration_us")));
		cr_assert(cJSON_IsString(get(c, "ip")));
		const cJSON *m = get(c, "module");
		cr_assert(cJSON_IsString(m) || cJSON_IsNull(m));
		n++;
	}
	cr_assert(cJSON_IsArray(get(doc, "processes")));
	const cJSON *sum = get(doc, "summary");
	cr_assert_eq(get(sum, "total_syscalls")->valuedouble, (double)n, "total_syscalls %g, records %d",
		     get(sum, "total_syscalls")->valuedouble, n);
	cr_assert(cJSON_IsNumber(get(sum, "total_time_us")));
	cr_assert(cJSON_IsNumber(get(sum, "errors")));
	cr_assert(cJSON_IsNumber(get(sum, "wall_time_us")));
	cr_assert(cJSON_IsNumber(get(sum, "exit_code")));
	return n;
}

/* The records as an strace-style text trace ("[pid N] name() = R" and a
 * "+++" line per process), for h_compare_traces. */
static struct h_trace *records_as_text(const cJSON *doc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	cr_assert_not_null(f);
	const cJSON *c;
	cJSON_ArrayForEach(c, get(doc, "syscalls"))
	{
		const char *name = get(c, "name")->valuestring;
		long tid = (long)get(c, "tid")->valuedouble;
		const cJSON *res = get(c, "result");
		const cJSON *en = get(c, "errno");
		if (cJSON_IsNull(res))
			fprintf(f, "[pid %5ld] %s() = ?\n", tid, name);
		else if (cJSON_IsString(en))
			fprintf(f, "[pid %5ld] %s() = -1 %s (x)\n", tid, name, en->valuestring);
		else
			fprintf(f, "[pid %5ld] %s() = %.0f\n", tid, name, res->valuedouble);
	}
	cJSON_ArrayForEach(c, get(doc, "processes"))
	{
		long pid = (long)get(c, "pid")->valuedouble;
		const cJSON *sig = get(c, "signal");
		if (cJSON_IsString(sig))
			fprintf(f, "[pid %5ld] +++ killed by %s%s +++\n", pid, sig->valuestring,
				cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "core_dumped")) ? " (core dumped)"
												 : "");
		else
			fprintf(f, "[pid %5ld] +++ exited with %d +++\n", pid, get(c, "exit_code")->valueint);
	}
	cr_assert_eq(fclose(f), 0);
	h_keep(buf);
	return h_parse_trace(buf, len);
}

/* Text after the start of the -c table in TEXT (the tracee may have
 * written to the same stderr before it). */
static const char *table_of(const char *text)
{
	const char *t = strstr(text, "% time ");
	cr_assert_not_null(t, "no -c table in:\n%.2000s", text);
	return t;
}

/* ------------------------------------------------------------------ */
/* 1. the oracle programs: valid JSON, totals, agreement with text      */

struct prog {
	const char *label;
	const char *const *argv;
	int code;
};

static const struct prog progs[] = {
	{ "true", H_ARGV("/bin/true"), 0 },
	{ "ls", H_ARGV("ls", "/"), 0 },
	{ "cat", H_ARGV("cat", "/etc/hostname"), 0 },
	{ "sh-fail", H_ARGV("sh", "-c", "cat /nonexistent; exit 3"), 3 },
};

Test(json, oracle_programs_agree_with_text, .fini = json_fini)
{
	for (size_t i = 0; i < sizeof(progs) / sizeof(progs[0]); i++) {
		const struct prog *p = &progs[i];
		if (!strcmp(p->label, "cat") && access("/etc/hostname", R_OK) != 0)
			continue;
		const char *jpath = h_tmp_path(h_fmt("%s.json", p->label));
		const char *tpath = h_tmp_path(h_fmt("%s.txt", p->label));
		struct h_res r;
		h_rc_run(h_argv_join(H_ARGV("-f", "--format", "json", "-o", jpath, "--"), p->argv), &r, 0, 0);
		cr_assert_eq(r.code, p->code, "%s: json run %s\n%s", p->label, h_describe(&r), r.err);
		h_rc_run(h_argv_join(H_ARGV("-f", "-o", tpath, "--"), p->argv), &r, 0, 0);
		cr_assert_eq(r.code, p->code, "%s: text run %s\n%s", p->label, h_describe(&r), r.err);

		const cJSON *doc = load_json(jpath);
		int n = check_document(doc);
		cr_assert_gt(n, 0, "%s: no records", p->label);
		cr_assert_eq(get(get(doc, "summary"), "exit_code")->valueint, p->code);
		python_validates(jpath);
		/* The temporary file was renamed into place. */
		glob_t g;
		cr_assert_eq(glob(h_fmt("%s.tmp.*", jpath), 0, NULL, &g), GLOB_NOMATCH, "%s: temporary file left",
			     p->label);
		globfree(&g);

		const char *report = NULL;
		struct h_trace *from_json = records_as_text(doc);
		struct h_trace *text = h_parse_trace_file(tpath);
		cr_assert(h_compare_traces(from_json, "json", text, "text", &report), "%s: %s", p->label,
			  report);
	}
}

/* ------------------------------------------------------------------ */
/* 2. renacer-c summary == the live -c table of the same run            */

static void summary_matches_live(const char *label, const char *const *argv, const char *sortby)
{
	const char *jpath = h_tmp_path(h_fmt("%s.json", label));
	struct h_res live;
	const char *const *pre = sortby ? H_ARGV("-f", "-C", "-S", sortby, "--format", "json", "-o", jpath, "--")
					: H_ARGV("-f", "-C", "--format", "json", "-o", jpath, "--");
	h_rc_run(h_argv_join(pre, argv), &live, 0, 0);
	const char *live_table = table_of(live.err);

	struct h_res off;
	h_rc_run(sortby ? H_ARGV("summary", "-S", sortby, jpath) : H_ARGV("summary", jpath), &off, 0, 0);
	cr_assert_eq(off.code, 0, "summary %s: %s\n%s", jpath, h_describe(&off), off.err);
	cr_assert_str_eq(off.out, live_table, "%s: live table:\n%s\nfrom the trace:\n%s", label, live_table,
			 off.out);

	const char *why = NULL;
	struct h_summary *s = h_parse_summary(off.out, &why);
	cr_assert_not_null(s, "%s: summary table is malformed: %s", label, why);

	/* Calls and errors per name, computed from the records. */
	const cJSON *doc = load_json(jpath);
	check_document(doc);
	unsigned long total_calls = 0, total_errors = 0;
	for (size_t i = 0; i < s->nrows; i++) {
		unsigned long calls = 0, errors = 0;
		const cJSON *c;
		cJSON_ArrayForEach(c, get(doc, "syscalls"))
		{
			if (strcmp(get(c, "name")->valuestring, s->rows[i].name) || cJSON_IsNull(get(c, "result")))
				continue;
			calls++;
			if (cJSON_IsString(get(c, "errno")))
				errors++;
		}
		cr_assert_eq(s->rows[i].calls, calls, "%s: %s calls %lu vs %lu records", label, s->rows[i].name,
			     s->rows[i].calls, calls);
		cr_assert_eq(s->rows[i].errors, errors, "%s: %s errors", label, s->rows[i].name);
		total_calls += calls;
		total_errors += errors;
	}
	cr_assert_eq(s->total.calls, total_calls);
	cr_assert_eq(s->total.errors, total_errors);
}

Test(json, summary_reproduces_live_table, .fini = json_fini)
{
	summary_matches_live("det", H_ARGV(h_fixture("deterministic")), NULL);
	summary_matches_live("det-calls", H_ARGV(h_fixture("deterministic")), "calls");
	summary_matches_live("det-name", H_ARGV(h_fixture("deterministic")), "name");
	for (size_t i = 0; i < sizeof(progs) / sizeof(progs[0]); i++)
		summary_matches_live(progs[i].label, progs[i].argv, NULL);
}

Test(json, summary_deterministic_counts, .fini = json_fini)
{
	const char *jpath = h_tmp_path("det.json");
	struct h_res r;
	h_rc_run(H_ARGV("--format", "json", "-o", jpath, "--", h_fixture("deterministic")), &r, 0, 0);
	cr_assert_eq(r.code, 0, "%s", r.err);
	h_rc_run(H_ARGV("summary", jpath), &r, 0, 0);
	cr_assert_eq(r.code, 0, "%s", r.err);
	const char *why = NULL;
	struct h_summary *s = h_parse_summary(r.out, &why);
	cr_assert_not_null(s, "%s", why);
	const struct h_sumrow *row = h_summary_find(s, "getppid");
	cr_assert_not_null(row);
	cr_assert_eq(row->calls, 10);
	cr_assert_eq(row->errors, 0);
	row = h_summary_find(s, "write");
	cr_assert_not_null(row);
	cr_assert_eq(row->calls, 3);
	row = h_summary_find(s, "openat");
	cr_assert_not_null(row);
	cr_assert_geq(row->errors, 5);
}

Test(json, summary_errors_and_usage, .fini = json_fini)
{
	struct h_res r;
	h_rc_run(H_ARGV("summary"), &r, 0, 0);
	cr_assert_eq(r.code, 2, "%s", h_describe(&r));
	h_rc_run(H_ARGV("summary", "-S", "bogus", "x.json"), &r, 0, 0);
	cr_assert_eq(r.code, 2);
	h_rc_run(H_ARGV("summary", "a.json", "b.json"), &r, 0, 0);
	cr_assert_eq(r.code, 2);
	h_rc_run(H_ARGV("summary", h_tmp_path("missing.json")), &r, 0, 0);
	cr_assert_eq(r.code, 3);
	cr_assert(strstr(r.err, "renacer-c: "), "%s", r.err);

	/* A truncated trace: exit 3 and FILE:LINE in the message. */
	const char *full = h_tmp_path("full.json");
	h_rc_run(H_ARGV("--format", "json", "-o", full, "--", "/bin/true"), &r, 0, 0);
	cr_assert_eq(r.code, 0, "%s", r.err);
	size_t len;
	char *text = h_slurp(full, &len);
	const char *third = strchr(strchr(strchr(text, '\n') + 1, '\n') + 1, '\n') + 1; /* line 4 */
	const char *cut_at = third + 30;
	cr_assert_lt((size_t)(cut_at - text), len);
	const char *cut = h_tmp_path("cut.json");
	h_write_file(cut, text, (size_t)(cut_at - text));
	h_rc_run(H_ARGV("summary", cut), &r, 0, 0);
	cr_assert_eq(r.code, 3, "%s", h_describe(&r));
	cr_assert(strstr(r.err, h_fmt("%s:4: ", cut)), "%s", r.err);
	cr_assert_eq(r.out_len, 0, "nothing on stdout for a bad trace: %s", r.out);

	const char *bad = h_tmp_path("bad.json");
	h_write_file(bad, "{\"syscalls\":[{\"name\":\"read\",\"result\":\"x\"}]}", 43);
	h_rc_run(H_ARGV("summary", bad), &r, 0, 0);
	cr_assert_eq(r.code, 3);
	cr_assert(strstr(r.err, "\"result\""), "%s", r.err);
}

/* ------------------------------------------------------------------ */
/* 3. interrupted tracer, killed tracee                                 */

Test(json, sigint_leaves_complete_json, .fini = json_fini)
{
	h_require_renacer();
	const char *jpath = h_tmp_path("int.json");
	struct h_cmd c = {
		.argv = H_ARGV(h_renacer(), "--format", "json", "-o", jpath, "--", "sleep", "100"),
		.envp = h_clean_env(),
		.out = H_IO_PIPE,
		.err = H_IO_PIPE,
		.timeout_ms = 30000,
	};
	struct h_proc p;
	h_spawn(&c, &p);
	cr_assert_gt(p.pid, 0);
	/* Wait until sleep is inside nanosleep/clock_nanosleep: the
	 * temporary file has its first records by then (best effort). */
	usleep(500 * 1000);
	cr_assert_eq(kill(p.pid, SIGINT), 0);
	struct h_res r;
	h_wait(&p, 30000, &r);
	cr_assert(!r.timed_out, "renacer-c did not stop on SIGINT");
	const cJSON *doc = load_json(jpath);
	check_document(doc);
	python_validates(jpath);
	cr_assert(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(get(doc, "summary"), "interrupted")),
		  "summary.interrupted is not true");
}

Test(json, sigkill_tracee_in_processes, .fini = json_fini)
{
	const char *jpath = h_tmp_path("kill.json");
	struct h_res r;
	h_rc_run(H_ARGV("-f", "--format", "json", "-o", jpath, "--", "sh", "-c", "kill -9 $$"), &r, 0, 0);
	cr_assert_eq(r.code, 128 + SIGKILL, "%s\n%s", h_describe(&r), r.err);
	const cJSON *doc = load_json(jpath);
	check_document(doc);
	python_validates(jpath);
	cr_assert_eq(get(get(doc, "summary"), "exit_code")->valueint, 128 + SIGKILL);
	bool found = false;
	const cJSON *pr;
	cJSON_ArrayForEach(pr, get(doc, "processes"))
	{
		const cJSON *sig = get(pr, "signal");
		if (cJSON_IsString(sig) && !strcmp(sig->valuestring, "SIGKILL")) {
			found = true;
			cr_assert(cJSON_IsNull(get(pr, "exit_code")));
		}
	}
	cr_assert(found, "no process killed by SIGKILL in \"processes\"");
}

/* ------------------------------------------------------------------ */
/* 4. a million calls in flat memory                                    */

Test(json, million_getppid_flat_memory, .fini = json_fini, .timeout = 600)
{
	const char *jpath = h_tmp_path("big.json");
	struct h_res r;
	struct rusage before;
	cr_assert_eq(getrusage(RUSAGE_CHILDREN, &before), 0);
	h_rc_run(H_ARGV("--format", "json", "-o", jpath, "--", h_fixture("getppid_many"), "1000000"), &r, 540000, 0);
	cr_assert_eq(r.code, 0, "%s\n%s", h_describe(&r), r.err);
	struct rusage after;
	cr_assert_eq(getrusage(RUSAGE_CHILDREN, &after), 0);
	/* The largest reaped descendant: renacer-c (the tracee is tiny). */
	long kb = after.ru_maxrss;
#ifndef JT_ASAN
	cr_assert_lt(kb, 32 * 1024, "tracer peak RSS %ld kB", kb);
#else
	(void)kb; /* sanitizer shadow memory: the bound is for the plain build */
#endif
	/* Read it back through the streaming reader. */
	h_rc_run(H_ARGV("summary", "-S", "calls", jpath), &r, 300000, 0);
	cr_assert_eq(r.code, 0, "%s", r.err);
	const char *why = NULL;
	struct h_summary *s = h_parse_summary(r.out, &why);
	cr_assert_not_null(s, "%s", why);
	const struct h_sumrow *row = h_summary_find(s, "getppid");
	cr_assert_not_null(row);
	cr_assert_eq(row->calls, 1000000);
	unlink(jpath);
}
