/* test_assert.c — `renacer-c assert` against the real binary (SPEC §8):
 * every configuration error class exits 5 with one `renacer-c:
 * FILE:LINE:COL: message` line, a truncated trace exits 3, usage errors
 * exit 2, and a trace written by `--format json` passes (0), fails (1) or
 * warns (0) by its budgets, in every report format. */
#include <criterion/criterion.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

TestSuite(assert_cmd, .init = h_init, .fini = h_cleanup, .timeout = 120);

/* ------------------------------------------------------------------ */
/* helpers                                                             */

static const char *write_tmp(const char *name, const char *text)
{
	const char *p = h_tmp_path(name);
	h_write_file(p, text, strlen(text));
	return p;
}

/* A JSON trace of `getppid_many N` written by the real binary. */
static const char *getppid_trace(const char *name, int n)
{
	const char *jpath = h_tmp_path(name);
	struct h_res r;
	h_rc_run(H_ARGV("-f", "--format", "json", "-o", jpath, "--", h_fixture("getppid_many"), h_fmt("%d", n)), &r, 60000, 0);
	cr_assert_eq(r.code, 0, "tracing getppid_many: %s\nstderr:\n%.2000s", h_describe(&r), r.err);
	return jpath;
}

static void expect_config_error(const char *toml, unsigned line, unsigned col, const char *msg)
{
	const char *cfg = write_tmp("renacer.toml", toml);
	const char *trace = getppid_trace("cfgerr.json", 1);
	struct h_res r;
	h_rc_run(H_ARGV("assert", "--config", cfg, trace), &r, 60000, 0);
	const char *want = h_fmt("renacer-c: %s:%u:%u: %s\n", cfg, line, col, msg);
	cr_assert_eq(r.code, 5, "expected exit 5 for '%s', got %s\nstderr:\n%s", msg, h_describe(&r), r.err);
	cr_assert_str_eq(r.err, want);
	cr_assert_eq(r.out_len, 0, "stdout: %s", r.out);
}

static const char *budget_config(const char *extra)
{
	return h_fmt("[[assertion]]\n"
		     "name = \"getppid_budget\"\n"
		     "type = \"span_count\"\n"
		     "span_name_pattern = \"^getppid$\"\n"
		     "%s\n",
		     extra);
}

/* ------------------------------------------------------------------ */
/* configuration errors: exit 5, FILE:LINE:COL, one line               */

Test(assert_cmd, config_misspelt_table)
{
	expect_config_error("# budget\n[[assertions]]\nname = \"x\"\ntype = \"span_count\"\nmax_spans = 1\n", 2, 3,
			    "unknown table 'assertions' (did you mean 'assertion'?)");
}

Test(assert_cmd, config_misspelt_key)
{
	expect_config_error("[[assertion]]\nname = \"x\"\ntype = \"span_count\"\nmax_span = 5\n", 4, 1,
			    "unknown key 'max_span' for type span_count (did you mean 'max_spans'?)");
}

Test(assert_cmd, config_wrong_type)
{
	expect_config_error("[[assertion]]\nname = \"x\"\ntype = \"span_count\"\nmax_spans = \"lots\"\n", 4, 13,
			    "max_spans: expected a number, got string");
}

Test(assert_cmd, config_unterminated_string)
{
	expect_config_error("[[assertion]]\nname = \"x\ntype = \"span_count\"\n", 2, 8,
			    "unterminated string (newline before the closing quote)");
}

Test(assert_cmd, config_bad_regex)
{
	expect_config_error("[[assertion]]\nname = \"x\"\ntype = \"anti_pattern\"\npattern = \"TightLoop\"\n"
			    "process_name_pattern = \"[z-a]\"\n",
			    5, 24, "process_name_pattern: invalid regular expression '[z-a]': Invalid range end");
}

Test(assert_cmd, config_unknown_pattern)
{
	expect_config_error("[[assertion]]\nname = \"x\"\ntype = \"anti_pattern\"\npattern = \"TightLop\"\n", 4, 11,
			    "unknown anti-pattern 'TightLop' (did you mean 'TightLoop'?)");
}

Test(assert_cmd, config_unknown_type)
{
	expect_config_error("[[assertion]]\nname = \"x\"\ntype = \"memory\"\n", 3, 8,
			    "unknown assertion type 'memory' (did you mean 'memory_usage'?)");
}

Test(assert_cmd, config_missing_key_duplicate_range)
{
	expect_config_error("[[assertion]]\nname = \"x\"\ntype = \"critical_path\"\n", 1, 1,
			    "assertion 'x' (type critical_path): missing required key 'max_duration_ms'");
	expect_config_error("[[assertion]]\nname = \"x\"\ntype = \"total_time\"\nmax_time_ms = 1\n"
			    "[[assertion]]\nname = \"x\"\ntype = \"total_time\"\nmax_time_ms = 1\n",
			    6, 8, "duplicate assertion name 'x' (first defined at line 1)");
	expect_config_error("[[assertion]]\nname = \"x\"\ntype = \"anti_pattern\"\npattern = \"GodProcess\"\n"
			    "threshold = 80\n",
			    5, 13, "threshold: must be between 0 and 1, got 80");
	expect_config_error("[[assertion]]\nname = \"x\"\ntype = \"total_time\"\nmax_time_ms = 1\nenabled = 1\n", 5,
			    11, "enabled: expected a boolean (true or false), got integer");
}

Test(assert_cmd, config_missing_file)
{
	const char *trace = getppid_trace("t.json", 1);
	const char *cfg = h_tmp_path("nope.toml");
	struct h_res r;
	h_rc_run(H_ARGV("assert", "--config", cfg, trace), &r, 60000, 0);
	cr_assert_eq(r.code, 5, "%s\n%s", h_describe(&r), r.err);
	cr_assert(!strncmp(r.err, h_fmt("renacer-c: %s: ", cfg), strlen(cfg) + 13), "%s", r.err);
	cr_assert_eq(strchr(r.err, '\n') - r.err, (long)r.err_len - 1, "one line: %s", r.err);

	/* The default is ./renacer.toml, relative to the working directory. */
	struct h_cmd c = {
		.argv = H_ARGV(h_renacer(), "assert", trace),
		.envp = h_clean_env(),
		.out = H_IO_PIPE,
		.err = H_IO_PIPE,
		.cwd = h_tmpdir(),
	};
	h_run(&c, &r);
	cr_assert_eq(r.code, 5, "%s\n%s", h_describe(&r), r.err);
	cr_assert(!strncmp(r.err, "renacer-c: ./renacer.toml: ", 27), "%s", r.err);
	write_tmp("renacer.toml", budget_config("max_spans = 5"));
	h_run(&c, &r);
	cr_assert_eq(r.code, 0, "%s\n%s", h_describe(&r), r.err);
}

/* ------------------------------------------------------------------ */
/* usage and unreadable traces                                         */

Test(assert_cmd, usage_errors)
{
	const char *cfg = write_tmp("renacer.toml", budget_config("max_spans = 5"));
	struct h_res r;
	h_rc_run(H_ARGV("assert", "--config", cfg), &r, 60000, 0);
	cr_assert_eq(r.code, 2, "no trace: %s", h_describe(&r));
	cr_assert(strstr(r.err, "usage: renacer-c assert"), "%s", r.err);
	h_rc_run(H_ARGV("assert", "--bogus", "t.json"), &r, 60000, 0);
	cr_assert_eq(r.code, 2, "unknown option: %s", h_describe(&r));
	cr_assert(strstr(r.err, "--bogus"), "%s", r.err);
	h_rc_run(H_ARGV("assert", "--format", "xml", "t.json"), &r, 60000, 0);
	cr_assert_eq(r.code, 2, "bad format: %s", h_describe(&r));
	h_rc_run(H_ARGV("assert", "t.json", "--config"), &r, 60000, 0);
	cr_assert_eq(r.code, 2, "missing value: %s", h_describe(&r));
	h_rc_run(H_ARGV("assert", "--help"), &r, 60000, 0);
	cr_assert_eq(r.code, 0);
	cr_assert(strstr(r.out, "usage: renacer-c assert"), "%s", r.out);
}

Test(assert_cmd, truncated_and_missing_trace)
{
	const char *cfg = write_tmp("renacer.toml", budget_config("max_spans = 5000"));
	const char *trace = getppid_trace("full.json", 200);
	size_t len;
	char *text = h_slurp(trace, &len);
	cr_assert_gt(len, 200);
	const char *cut = h_tmp_path("cut.json");
	h_write_file(cut, text, len / 2);
	struct h_res r;
	h_rc_run(H_ARGV("assert", "--config", cfg, cut), &r, 60000, 0);
	cr_assert_eq(r.code, 3, "truncated: %s\n%s", h_describe(&r), r.err);
	cr_assert(strstr(r.err, "renacer-c: ") && strstr(r.err, "cut.json"), "%s", r.err);

	h_rc_run(H_ARGV("assert", "--config", cfg, h_tmp_path("absent.json")), &r, 60000, 0);
	cr_assert_eq(r.code, 3, "missing: %s\n%s", h_describe(&r), r.err);

	/* With a good trace too, the good one is still reported; the worst
	 * status wins. */
	h_rc_run(H_ARGV("assert", "--config", cfg, trace, cut), &r, 60000, 0);
	cr_assert_eq(r.code, 3, "%s\n%s", h_describe(&r), r.err);
	cr_assert(strstr(r.err, "PASS  getppid_budget"), "%s", r.err);
}

/* ------------------------------------------------------------------ */
/* verdicts on a real trace                                            */

Test(assert_cmd, span_budget_boundary)
{
	const char *trace = getppid_trace("g.json", 1000);
	struct h_res r;

	const char *cfg = write_tmp("pass.toml", budget_config("max_spans = 1000"));
	h_rc_run(H_ARGV("assert", "--config", cfg, trace), &r, 60000, 0);
	cr_assert_eq(r.code, 0, "equal to the budget passes: %s\n%s", h_describe(&r), r.err);
	cr_assert(!strncmp(r.err, "PASS  getppid_budget", 20), "%s", r.err);
	cr_assert(strstr(r.err, "\nResult: PASS (1 passed, 0 failed, 0 warnings, 0 skipped)\n"), "%s", r.err);
	cr_assert_eq(r.out_len, 0, "the report goes to stderr");

	cfg = write_tmp("fail.toml", budget_config("max_spans = 999"));
	h_rc_run(H_ARGV("assert", "--config", cfg, trace), &r, 60000, 0);
	cr_assert_eq(r.code, 1, "over the budget fails: %s\n%s", h_describe(&r), r.err);
	cr_assert(!strncmp(r.err, "FAIL  getppid_budget\n      Actual:     1000 spans\n      Budget:     999 spans\n"
				  "      Regression: +0.1%\n",
			   95),
		  "%s", r.err);
	cr_assert(strstr(r.err, "\nResult: FAIL (0 passed, 1 failed, 0 warnings, 0 skipped)\n"), "%s", r.err);

	cfg = write_tmp("warn.toml", budget_config("max_spans = 999\nfail_on_violation = false"));
	h_rc_run(H_ARGV("assert", "--config", cfg, trace), &r, 60000, 0);
	cr_assert_eq(r.code, 0, "a warning passes the gate: %s\n%s", h_describe(&r), r.err);
	cr_assert(!strncmp(r.err, "WARN  getppid_budget", 20), "%s", r.err);
	cr_assert(strstr(r.err, "Result: PASS (0 passed, 0 failed, 1 warning, 0 skipped)\n"), "%s", r.err);

	cfg = write_tmp("skip.toml", h_fmt("%s[[assertion]]\nname = \"t\"\ntype = \"total_time\"\n"
					   "max_time_ms = 60000\n",
					   budget_config("max_spans = 1\nenabled = false")));
	h_rc_run(H_ARGV("assert", "--config", cfg, trace), &r, 60000, 0);
	cr_assert_eq(r.code, 0, "%s\n%s", h_describe(&r), r.err);
	cr_assert(!strncmp(r.err, "SKIP  getppid_budget: disabled\n", 31), "%s", r.err);

	/* A config that checks nothing (empty, or every assertion disabled)
	 * is a configuration error, not a pass (issue 11). */
	cfg = write_tmp("empty.toml", "# nothing yet\n");
	h_rc_run(H_ARGV("assert", "--config", cfg, trace), &r, 60000, 0);
	cr_assert_eq(r.code, 5, "%s\n%s", h_describe(&r), r.err);
	cr_assert_str_eq(r.err, h_fmt("renacer-c: %s: no enabled assertions: a gate that checks nothing cannot pass\n",
				      cfg));
	cfg = write_tmp("off.toml", budget_config("max_spans = 1\nenabled = false"));
	h_rc_run(H_ARGV("assert", "--config", cfg, trace), &r, 60000, 0);
	cr_assert_eq(r.code, 5, "%s\n%s", h_describe(&r), r.err);
	cr_assert_str_eq(r.err, h_fmt("renacer-c: %s: no enabled assertions: a gate that checks nothing cannot pass\n",
				      cfg));
}

Test(assert_cmd, several_traces_worst_wins)
{
	const char *small = getppid_trace("small.json", 10);
	const char *big = getppid_trace("big.json", 1000);
	const char *cfg = write_tmp("c.toml", budget_config("max_spans = 500"));
	struct h_res r;
	h_rc_run(H_ARGV("assert", "--config", cfg, small, big), &r, 60000, 0);
	cr_assert_eq(r.code, 1, "%s\n%s", h_describe(&r), r.err);
	cr_assert(strstr(r.err, h_fmt("Trace: %s\nPASS  getppid_budget", small)), "%s", r.err);
	cr_assert(strstr(r.err, h_fmt("Trace: %s\nFAIL  getppid_budget", big)), "%s", r.err);
	cr_assert(strstr(r.err, "Result: FAIL (1 passed, 1 failed, 0 warnings, 0 skipped)\n"), "%s", r.err);
}

Test(assert_cmd, report_formats)
{
	const char *trace = getppid_trace("g.json", 1000);
	const char *cfg = write_tmp("c.toml", h_fmt("%s\n"
						    "[[assertion]]\nname = \"quick\"\ntype = \"critical_path\"\n"
						    "max_duration_ms = 60000\n"
						    "[[assertion]]\nname = \"off\"\ntype = \"total_time\"\n"
						    "max_time_ms = 0\nenabled = false\n",
						    budget_config("max_spans = 999")));
	struct h_res r;

	/* json, into a file (atomically; nothing on stderr). */
	const char *rep = h_tmp_path("report.json");
	h_rc_run(H_ARGV("assert", "--config", cfg, "--format", "json", "-o", rep, trace), &r, 60000, 0);
	cr_assert_eq(r.code, 1, "%s\n%s", h_describe(&r), r.err);
	cr_assert_eq(r.err_len, 0, "stderr: %s", r.err);
	size_t len;
	char *text = h_slurp(rep, &len);
	cJSON *doc = cJSON_ParseWithLength(text, len);
	cr_assert_not_null(doc, "invalid JSON report:\n%s", text);
	cr_assert_str_eq(cJSON_GetObjectItem(doc, "result")->valuestring, "FAIL");
	cr_assert_eq(cJSON_GetObjectItem(doc, "exit_code")->valueint, 1);
	const cJSON *res = cJSON_GetObjectItem(doc, "results");
	cr_assert_eq(cJSON_GetArraySize(res), 3);
	const cJSON *first = cJSON_GetArrayItem(res, 0);
	cr_assert_str_eq(cJSON_GetObjectItem(first, "verdict")->valuestring, "FAIL");
	cr_assert_eq(cJSON_GetObjectItem(first, "actual")->valuedouble, 1000);
	cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(res, 1), "verdict")->valuestring, "PASS");
	cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(res, 2), "verdict")->valuestring, "SKIP");
	cJSON_Delete(doc);

	/* junit: one testcase per assertion and one for the program's end;
	 * python's parser agrees when present. */
	rep = h_tmp_path("report.xml");
	h_rc_run(H_ARGV("assert", "--config", cfg, "--format=junit", "--output", rep, trace), &r, 60000, 0);
	cr_assert_eq(r.code, 1, "%s\n%s", h_describe(&r), r.err);
	text = h_slurp(rep, &len);
	cr_assert(strstr(text, "<testcase name=\"getppid_budget\""), "%s", text);
	cr_assert(strstr(text, "<failure "), "%s", text);
	cr_assert(strstr(text, "<skipped "), "%s", text);
	const char *py = h_which("python3");
	if (py) {
		struct h_cmd c = {
			.argv = H_ARGV(py, "-c",
				       "import sys, xml.etree.ElementTree as E\n"
				       "r = E.parse(sys.argv[1]).getroot()\n"
				       "print(len(r.findall('./testsuite/testcase')),"
				       " len(r.findall('./testsuite/testcase/failure')))",
				       rep),
			.out = H_IO_PIPE,
			.err = H_IO_PIPE,
		};
		h_run(&c, &r);
		cr_assert_eq(r.code, 0, "python3 rejected the JUnit XML: %s", r.err);
		/* Three assertions plus the program's exit status (0: passes). */
		cr_assert_str_eq(r.out, "4 1\n");
	}

	/* github: workflow commands on stderr. */
	h_rc_run(H_ARGV("assert", "--config", cfg, "--format", "github", trace), &r, 60000, 0);
	cr_assert_eq(r.code, 1, "%s\n%s", h_describe(&r), r.err);
	cr_assert(strstr(r.err, "::error "), "%s", r.err);
	cr_assert(strstr(r.err, "title=getppid_budget::FAIL getppid_budget"), "%s", r.err);
	cr_assert(strstr(r.err, "\nResult: FAIL (1 passed, 1 failed, 0 warnings, 1 skipped)\n"), "%s", r.err);
}
