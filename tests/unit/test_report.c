/* Unit tests for the assertion reports (src/analyze/report.c): the text
 * layout byte for byte against SPEC §8, JSON and JUnit that parse, GitHub
 * workflow commands with their escaping, and the gate's exit status. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report.h"

/* ------------------------------------------------------------------ */
/* The SPEC §8 sample as results                                       */

static struct assertion A_budget = {.name = "max_syscall_budget", .type = AT_SPAN_COUNT,
				    .fail_on_violation = true, .enabled = true, .line = 1, .col = 1};
static struct assertion A_pcie = {.name = "detect_pcie_bottleneck", .type = AT_ANTI_PATTERN,
				  .pattern = AP_PCIE_BOTTLENECK, .fail_on_violation = false, .enabled = true};
static struct assertion A_latency = {.name = "example_startup_latency", .type = AT_CRITICAL_PATH,
				     .fail_on_violation = true, .enabled = true};
static struct assertion A_strict = {.name = "ultra_strict_latency", .type = AT_CRITICAL_PATH,
				    .fail_on_violation = true, .enabled = false};
static struct assertion A_mem = {.name = "memory_budget", .type = AT_MEMORY_USAGE, .fail_on_violation = true,
				 .enabled = true};
static struct assertion A_god = {.name = "god_process", .type = AT_ANTI_PATTERN, .pattern = AP_GOD_PROCESS,
				 .fail_on_violation = true, .enabled = true};

static char s_pass[] = "87 spans <= 500";
static char s_warn[] = "confidence 0.81 >= 0.70 (GPU fds: /dev/nvidia0; 412 ioctls)";
static char s_fail[] = "125.4 ms > 100.0 ms";
static char e_fail[] = "Critical path: pid 4242 backend_detection 125.4 ms (write 61.0 ms at src/main.c:88)";
static char s_skip[] = "disabled";
static char s_mem[] = "48.0 MiB <= 64.0 MiB";
static char s_god[] = "not applicable (single process)";

static void sample(struct assertion_result r[6])
{
	memset(r, 0, 6 * sizeof(*r));
	r[0] = (struct assertion_result){.a = &A_budget, .verdict = V_PASS, .actual = 87, .budget = 500,
					 .unit = "spans", .higher_is_worse = true, .summary = s_pass};
	r[1] = (struct assertion_result){.a = &A_pcie, .verdict = V_WARN, .actual = 0.81, .budget = 0.70,
					 .unit = "confidence", .higher_is_worse = true, .summary = s_warn};
	r[2] = (struct assertion_result){.a = &A_latency, .verdict = V_FAIL, .actual = 125.4, .budget = 100,
					 .unit = "ms", .higher_is_worse = true, .summary = s_fail,
					 .evidence = e_fail, .src_file = "src/main.c", .src_line = 88};
	r[3] = (struct assertion_result){.a = &A_strict, .verdict = V_SKIP, .unit = "ms", .summary = s_skip};
	r[4] = (struct assertion_result){.a = &A_mem, .verdict = V_PASS, .actual = 50331648, .budget = 67108864,
					 .unit = "bytes", .higher_is_worse = true, .summary = s_mem};
	r[5] = (struct assertion_result){.a = &A_god, .verdict = V_PASS, .not_applicable = true,
					 .unit = "confidence", .higher_is_worse = true, .summary = s_god};
}

static char *render(enum report_format f, const struct assertion_result *r, size_t n)
{
	struct report_set set = {.trace = "trace.json", .results = r, .n = n};
	size_t len = 0;
	char *s = report_render(f, "renacer.toml", &set, 1, &len);
	cr_assert_not_null(s);
	cr_assert_eq(strlen(s), len);
	return s;
}

/* ------------------------------------------------------------------ */
/* text                                                                */

Test(report_text, spec_sample_exact)
{
	struct assertion_result r[6];
	sample(r);
	char *t = render(REPORT_TEXT, r, 4);
	cr_assert_str_eq(t, "PASS  max_syscall_budget: 87 spans <= 500\n"
			    "WARN  detect_pcie_bottleneck: confidence 0.81 >= 0.70 (GPU fds: /dev/nvidia0; 412 ioctls)\n"
			    "FAIL  example_startup_latency\n"
			    "      Actual:     125.4 ms\n"
			    "      Budget:     100.0 ms\n"
			    "      Regression: +25.4%\n"
			    "      Critical path: pid 4242 backend_detection 125.4 ms (write 61.0 ms at src/main.c:88)\n"
			    "SKIP  ultra_strict_latency: disabled\n"
			    "Result: FAIL (1 passed, 1 failed, 1 warning, 1 skipped)\n");
	free(t);
}

Test(report_text, spec_sample_totals)
{
	/* The SPEC's final line counts three passes: the sample's lines, in
	 * order, plus two more passing assertions. */
	struct assertion_result r[6];
	sample(r);
	char *t = render(REPORT_TEXT, r, 6);
	cr_assert_str_eq(t, "PASS  max_syscall_budget: 87 spans <= 500\n"
			    "WARN  detect_pcie_bottleneck: confidence 0.81 >= 0.70 (GPU fds: /dev/nvidia0; 412 ioctls)\n"
			    "FAIL  example_startup_latency\n"
			    "      Actual:     125.4 ms\n"
			    "      Budget:     100.0 ms\n"
			    "      Regression: +25.4%\n"
			    "      Critical path: pid 4242 backend_detection 125.4 ms (write 61.0 ms at src/main.c:88)\n"
			    "SKIP  ultra_strict_latency: disabled\n"
			    "PASS  memory_budget: 48.0 MiB <= 64.0 MiB\n"
			    "PASS  god_process: not applicable (single process)\n"
			    "Result: FAIL (3 passed, 1 failed, 1 warning, 1 skipped)\n");
	free(t);
}

Test(report_text, pluralisation_and_pass)
{
	struct assertion_result r[6];
	sample(r);
	struct assertion_result two[3] = {r[1], r[1], r[0]};
	char *t = render(REPORT_TEXT, two, 3);
	cr_assert(strstr(t, "Result: PASS (1 passed, 0 failed, 2 warnings, 0 skipped)\n"), "%s", t);
	free(t);
	t = render(REPORT_TEXT, NULL, 0);
	cr_assert_str_eq(t, "Result: PASS (0 passed, 0 failed, 0 warnings, 0 skipped)\n");
	free(t);
}

Test(report_text, fail_units_evidence_and_errors)
{
	struct assertion_result r[4];
	memset(r, 0, sizeof(r));
	char ev[] = "peak at pid 7 mmap\nsecond line\n";
	r[0] = (struct assertion_result){.a = &A_mem, .verdict = V_FAIL, .actual = 70 * 1048576.0,
					 .budget = 64 * 1048576.0, .unit = "bytes", .higher_is_worse = true,
					 .evidence = ev};
	r[1] = (struct assertion_result){.a = &A_budget, .verdict = V_FAIL, .actual = 1000, .budget = 999,
					 .unit = "spans", .higher_is_worse = true};
	struct assertion g = {.name = "golden_match", .type = AT_GOLDEN, .fail_on_violation = true, .enabled = true};
	char es[] = "cannot read baseline golden/x.json: No such file or directory";
	r[2] = (struct assertion_result){.a = &g, .verdict = V_ERROR, .unit = "similarity", .summary = es};
	struct assertion g2 = {.name = "golden_sim", .type = AT_GOLDEN, .fail_on_violation = true, .enabled = true};
	r[3] = (struct assertion_result){.a = &g2, .verdict = V_FAIL, .actual = 0.90, .budget = 0.95,
					 .unit = "similarity", .higher_is_worse = false};
	char *t = render(REPORT_TEXT, r, 4);
	cr_assert_str_eq(t, "FAIL  memory_budget\n"
			    "      Actual:     73400320 bytes (70.0 MiB)\n"
			    "      Budget:     67108864 bytes (64.0 MiB)\n"
			    "      Regression: +9.4%\n"
			    "      peak at pid 7 mmap\n"
			    "      second line\n"
			    "FAIL  max_syscall_budget\n"
			    "      Actual:     1000 spans\n"
			    "      Budget:     999 spans\n"
			    "      Regression: +0.1%\n"
			    "ERROR golden_match: cannot read baseline golden/x.json: No such file or directory\n"
			    "FAIL  golden_sim\n"
			    "      Actual:     0.90\n"
			    "      Budget:     0.95\n"
			    "      Regression: +5.3%\n"
			    "Result: FAIL (0 passed, 3 failed, 0 warnings, 0 skipped, 1 error)\n");
	free(t);

	/* A zero budget has no relative regression; a non-finite value
	 * falls back to the summary. */
	char s[] = "1 calls > 0 calls";
	struct assertion_result z = {.a = &A_budget, .verdict = V_FAIL, .actual = 1, .budget = 0, .unit = "calls",
				     .higher_is_worse = true, .summary = s};
	t = render(REPORT_TEXT, &z, 1);
	cr_assert_str_eq(t, "FAIL  max_syscall_budget\n"
			    "      Actual:     1 calls\n"
			    "      Budget:     0 calls\n"
			    "Result: FAIL (0 passed, 1 failed, 0 warnings, 0 skipped)\n");
	free(t);
	z.actual = NAN;
	t = render(REPORT_TEXT, &z, 1);
	cr_assert_str_eq(t, "FAIL  max_syscall_budget\n"
			    "      1 calls > 0 calls\n"
			    "Result: FAIL (0 passed, 1 failed, 0 warnings, 0 skipped)\n");
	free(t);
}

Test(report_text, several_traces)
{
	struct assertion_result r[6];
	sample(r);
	struct report_set sets[2] = {{.trace = "a.json", .results = r, .n = 1},
				     {.trace = "b\nc.json", .results = r + 3, .n = 1}};
	char *t = report_render(REPORT_TEXT, NULL, sets, 2, NULL);
	cr_assert_not_null(t);
	cr_assert_str_eq(t, "Trace: a.json\n"
			    "PASS  max_syscall_budget: 87 spans <= 500\n"
			    "Trace: b?c.json\n"
			    "SKIP  ultra_strict_latency: disabled\n"
			    "Result: PASS (1 passed, 0 failed, 0 warnings, 1 skipped)\n");
	free(t);
}

/* ------------------------------------------------------------------ */
/* exit status                                                         */

Test(report_gate, exit_codes)
{
	struct assertion_result r[6];
	sample(r);
	struct report_set s = {.results = r, .n = 6};
	cr_assert_eq(report_exit_code(&s, 1), 1);
	r[2].verdict = V_WARN;
	cr_assert_eq(report_exit_code(&s, 1), 0, "warnings pass");
	r[3].verdict = V_ERROR;
	cr_assert_eq(report_exit_code(&s, 1), 3);
	r[0].verdict = V_FAIL;
	cr_assert_eq(report_exit_code(&s, 1), 3, "an error outranks a failure");
	cr_assert_eq(report_exit_code(NULL, 0), 0);

	enum report_format f;
	cr_assert_eq(report_format_parse("junit", &f), 0);
	cr_assert_eq(f, REPORT_JUNIT);
	cr_assert_eq(report_format_parse("github", &f), 0);
	cr_assert_eq(f, REPORT_GITHUB);
	cr_assert_eq(report_format_parse("xml", &f), -1);
	cr_assert_eq(report_format_parse(NULL, &f), -1);
	cr_assert_str_eq(report_format_name(REPORT_JSON), "json");
}

/* ------------------------------------------------------------------ */
/* json                                                                */

Test(report_json, parses_with_totals)
{
	struct assertion_result r[6];
	sample(r);
	char *t = render(REPORT_JSON, r, 6);
	cJSON *doc = cJSON_Parse(t);
	cr_assert_not_null(doc, "invalid JSON:\n%s", t);
	cr_assert_str_eq(cJSON_GetObjectItem(doc, "result")->valuestring, "FAIL");
	cr_assert_eq(cJSON_GetObjectItem(doc, "exit_code")->valueint, 1);
	cr_assert_str_eq(cJSON_GetObjectItem(doc, "config")->valuestring, "renacer.toml");
	const cJSON *tot = cJSON_GetObjectItem(doc, "totals");
	cr_assert_eq(cJSON_GetObjectItem(tot, "passed")->valueint, 3);
	cr_assert_eq(cJSON_GetObjectItem(tot, "failed")->valueint, 1);
	cr_assert_eq(cJSON_GetObjectItem(tot, "warnings")->valueint, 1);
	cr_assert_eq(cJSON_GetObjectItem(tot, "skipped")->valueint, 1);
	cr_assert_eq(cJSON_GetObjectItem(tot, "errors")->valueint, 0);
	const cJSON *res = cJSON_GetObjectItem(doc, "results");
	cr_assert_eq(cJSON_GetArraySize(res), 6);
	const cJSON *f = cJSON_GetArrayItem(res, 2);
	cr_assert_str_eq(cJSON_GetObjectItem(f, "name")->valuestring, "example_startup_latency");
	cr_assert_str_eq(cJSON_GetObjectItem(f, "type")->valuestring, "critical_path");
	cr_assert_str_eq(cJSON_GetObjectItem(f, "verdict")->valuestring, "FAIL");
	cr_assert_str_eq(cJSON_GetObjectItem(f, "trace")->valuestring, "trace.json");
	cr_assert_float_eq(cJSON_GetObjectItem(f, "actual")->valuedouble, 125.4, 1e-9);
	cr_assert_float_eq(cJSON_GetObjectItem(f, "budget")->valuedouble, 100, 1e-9);
	cr_assert_float_eq(cJSON_GetObjectItem(f, "regression_pct")->valuedouble, 25.4, 1e-9);
	cr_assert_str_eq(cJSON_GetObjectItem(f, "src_file")->valuestring, "src/main.c");
	cr_assert_eq(cJSON_GetObjectItem(f, "src_line")->valueint, 88);
	const cJSON *ev = cJSON_GetObjectItem(f, "evidence");
	cr_assert_eq(cJSON_GetArraySize(ev), 1);
	cr_assert_str_eq(cJSON_GetArrayItem(ev, 0)->valuestring, e_fail);
	const cJSON *w = cJSON_GetArrayItem(res, 1);
	cr_assert_str_eq(cJSON_GetObjectItem(w, "pattern")->valuestring, "PcieBottleneck");
	cr_assert(cJSON_IsFalse(cJSON_GetObjectItem(w, "fail_on_violation")));
	cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetArrayItem(res, 5), "not_applicable")));
	cr_assert(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetArrayItem(res, 0), "src_file")));
	cJSON_Delete(doc);
	free(t);
}

Test(report_json, escapes_and_non_finite)
{
	struct assertion odd = {.name = "q\"uo\\te", .type = AT_TOTAL_TIME, .fail_on_violation = true,
				.enabled = true};
	char s[] = "tab\there \x01 and \xff byte";
	struct assertion_result r = {.a = &odd, .verdict = V_FAIL, .actual = INFINITY, .budget = NAN,
				     .unit = "ms", .summary = s};
	char *t = render(REPORT_JSON, &r, 1);
	cJSON *doc = cJSON_Parse(t);
	cr_assert_not_null(doc, "invalid JSON:\n%s", t);
	const cJSON *x = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "results"), 0);
	cr_assert_str_eq(cJSON_GetObjectItem(x, "name")->valuestring, "q\"uo\\te");
	cr_assert(cJSON_IsNull(cJSON_GetObjectItem(x, "actual")));
	cr_assert(cJSON_IsNull(cJSON_GetObjectItem(x, "budget")));
	cJSON_Delete(doc);
	free(t);
}

/* ------------------------------------------------------------------ */
/* junit                                                               */

/* Runs python3's XML parser over TEXT and returns its one-line summary
 * ("testcases=N failures=N skipped=N out=N names=a|b|..."), or NULL when
 * python3 is not available. Fails the test when the XML is not well formed. */
static char *py_junit(const char *text)
{
	char path[] = "/tmp/rjunitXXXXXX";
	int fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	size_t n = strlen(text);
	cr_assert_eq(write(fd, text, n), (ssize_t)n);
	close(fd);
	char cmd[1024];
	snprintf(cmd, sizeof(cmd),
		 "python3 -c 'import sys, xml.etree.ElementTree as E\n"
		 "r = E.parse(sys.argv[1]).getroot()\n"
		 "assert r.tag == \"testsuites\", r.tag\n"
		 "tc = r.findall(\"./testsuite/testcase\")\n"
		 "print(\"testcases=%%d failures=%%d skipped=%%d out=%%d names=%%s\" %% (len(tc),"
		 " len(r.findall(\"./testsuite/testcase/failure\")), len(r.findall(\"./testsuite/testcase/skipped\")),"
		 " len(r.findall(\"./testsuite/testcase/system-out\")), \"|\".join(t.get(\"name\") for t in tc)))' %s 2>&1",
		 path);
	FILE *p = popen(cmd, "r");
	cr_assert_not_null(p);
	static char out[4096];
	size_t got = fread(out, 1, sizeof(out) - 1, p);
	out[got] = '\0';
	int st = pclose(p);
	unlink(path);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
		return NULL; /* no python3: the structural checks above still ran */
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "python3 rejected the XML: %s\n%s", out, text);
	char *nl = strchr(out, '\n');
	if (nl)
		*nl = '\0';
	return out;
}

Test(report_junit, well_formed_one_testcase_each)
{
	struct assertion_result r[6];
	sample(r);
	char *t = render(REPORT_JUNIT, r, 6);
	cr_assert(!strncmp(t, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites", 50), "%s", t);
	cr_assert(strstr(t, "<testsuite name=\"trace.json\" tests=\"6\" failures=\"1\" errors=\"0\" skipped=\"1\""),
		  "%s", t);
	cr_assert(strstr(t, "<testcase name=\"example_startup_latency\" classname=\"renacer.critical_path\" "
			    "file=\"src/main.c\" line=\"88\">"),
		  "%s", t);
	cr_assert(strstr(t, "<failure message=\"125.4 ms &gt; 100.0 ms\" type=\"assertion\">"), "%s", t);
	cr_assert(strstr(t, "<skipped message=\"disabled\"/>"), "%s", t);
	char *py = py_junit(t);
	if (py)
		cr_assert_str_eq(py, "testcases=6 failures=1 skipped=1 out=4 names=max_syscall_budget|"
				     "detect_pcie_bottleneck|example_startup_latency|ultra_strict_latency|"
				     "memory_budget|god_process");
	free(t);
}

Test(report_junit, escaping_and_errors)
{
	struct assertion nasty = {.name = "a<b>&\"c'", .type = AT_GOLDEN, .fail_on_violation = true, .enabled = true};
	char s[] = "bad ]]> \x01\x02 \xc3\x28 <x> & \"q\" \xef\xbf\xbe ok \xc3\xa9";
	char ev[] = "line1 <tag>\nline2 & more";
	struct assertion_result r[2] = {
		{.a = &nasty, .verdict = V_ERROR, .summary = s, .evidence = ev, .src_file = "x\"y.c", .src_line = 3},
		{.a = &A_pcie, .verdict = V_WARN, .actual = 0.9, .budget = 0.7, .unit = "confidence",
		 .higher_is_worse = true, .summary = s_warn},
	};
	char *t = render(REPORT_JUNIT, r, 2);
	cr_assert(strstr(t, "name=\"a&lt;b&gt;&amp;&quot;c&apos;\""), "%s", t);
	cr_assert(strstr(t, "file=\"x&quot;y.c\" line=\"3\""), "%s", t);
	cr_assert(strstr(t, "type=\"error\""), "%s", t);
	cr_assert(strstr(t, "\xc3\xa9"), "valid UTF-8 is kept");
	cr_assert_null(strchr(t, '\x01'));
	char *py = py_junit(t);
	if (py)
		cr_assert_str_eq(py, "testcases=2 failures=1 skipped=0 out=1 names=a<b>&\"c'|detect_pcie_bottleneck");
	free(t);

	struct report_set sets[2] = {{.trace = "one.json", .results = r, .n = 1},
				     {.trace = NULL, .results = r + 1, .n = 1}};
	t = report_render(REPORT_JUNIT, NULL, sets, 2, NULL);
	cr_assert_not_null(t);
	cr_assert(strstr(t, "<testsuites name=\"renacer-c assert\" tests=\"2\" failures=\"1\""), "%s", t);
	cr_assert(strstr(t, "<testsuite name=\"live run\""), "%s", t);
	py = py_junit(t);
	if (py)
		cr_assert(!strncmp(py, "testcases=2 failures=1", 22), "%s", py);
	free(t);
}

/* ------------------------------------------------------------------ */
/* github                                                              */

Test(report_github, commands_and_locations)
{
	struct assertion_result r[6];
	sample(r);
	char *t = render(REPORT_GITHUB, r, 6);
	cr_assert_str_eq(t, "::warning title=detect_pcie_bottleneck::WARN detect_pcie_bottleneck: confidence 0.81 >= 0.70 "
			    "(GPU fds: /dev/nvidia0; 412 ioctls)%0AActual:     0.81%0ABudget:     0.70%0ARegression: +15.7%25\n"
			    "::error file=src/main.c,line=88,title=example_startup_latency::FAIL example_startup_latency: "
			    "125.4 ms > 100.0 ms%0AActual:     125.4 ms%0ABudget:     100.0 ms%0ARegression: +25.4%25%0A"
			    "Critical path: pid 4242 backend_detection 125.4 ms (write 61.0 ms at src/main.c:88)\n"
			    "Result: FAIL (3 passed, 1 failed, 1 warning, 1 skipped)\n");
	free(t);
}

Test(report_github, escaping)
{
	struct assertion odd = {.name = "a,b:c%d", .type = AT_SPAN_COUNT, .fail_on_violation = true, .enabled = true};
	char s[] = "100% over\r\nbudget, really: yes";
	struct assertion_result r = {.a = &odd, .verdict = V_FAIL, .actual = NAN, .budget = 1, .unit = "spans",
				     .summary = s, .src_file = "dir,x/f:1.c", .src_line = 0};
	char *t = render(REPORT_GITHUB, &r, 1);
	cr_assert_str_eq(t, "::error file=dir%2Cx/f%3A1.c,title=a%2Cb%3Ac%25d::FAIL a,b:c%25d: 100%25 over%0D%0Abudget, "
			    "really: yes\n"
			    "Result: FAIL (0 passed, 1 failed, 0 warnings, 0 skipped)\n");
	free(t);
}

/* ------------------------------------------------------------------ */
/* writing                                                             */

Test(report_write, atomic_file, .init = cr_redirect_stderr)
{
	struct assertion_result r[6];
	sample(r);
	char dir[] = "/tmp/rrepXXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	char path[128];
	snprintf(path, sizeof(path), "%s/report.xml", dir);
	struct report_set set = {.trace = "t.json", .results = r, .n = 6};
	struct report_opts ro = {.format = REPORT_JUNIT, .output = path};
	cr_assert_eq(report_write(&ro, "renacer.toml", &set, 1), 0);
	FILE *f = fopen(path, "r");
	cr_assert_not_null(f);
	char buf[8192];
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	char *want = report_render(REPORT_JUNIT, "renacer.toml", &set, 1, NULL);
	cr_assert_str_eq(buf, want);
	free(want);
	unlink(path);

	/* An unwritable destination fails without leaving files behind. */
	snprintf(path, sizeof(path), "%s/missing/report.xml", dir);
	cr_assert_eq(report_write(&ro, "renacer.toml", &set, 1), -1);
	fflush(stderr);
	cr_assert_stderr_neq_str("");
	cr_assert_eq(rmdir(dir), 0, "directory not empty");
}

/* ------------------------------------------------------------------ */
/* the program's end (issue 11)                                        */

static char *render_prog(enum report_format f, const struct assertion_result *r, size_t n,
			 const struct program_status *ps)
{
	struct report_set set = {.trace = "trace.json", .results = r, .n = n, .program = ps};
	char *s = report_render(f, "renacer.toml", &set, 1, NULL);
	cr_assert_not_null(s);
	return s;
}

/* The last line of S (without its newline). */
static const char *last_line(const char *s)
{
	static char line[512];
	size_t n = strlen(s);
	cr_assert(n && s[n - 1] == '\n', "report does not end with a newline: %s", s);
	const char *start = s + n - 1;
	while (start > s && start[-1] != '\n')
		start--;
	snprintf(line, sizeof(line), "%.*s", (int)(s + n - 1 - start), start);
	return line;
}

Test(report_program, text_last_line_and_result)
{
	struct assertion_result r[6];
	sample(r);
	const struct assertion_result pass[1] = {r[0]};
	static const struct {
		struct program_status ps;
		const char *line;
		const char *result;
		int exit;
	} cases[] = {
		{{.end = PROG_EXITED, .code = 0}, "Program: exit status 0", "Result: PASS", 0},
		{{.end = PROG_EXITED, .code = 3}, "Program: exit status 3, expected 0", "Result: FAIL", 4},
		{{.end = PROG_EXITED, .code = 3, .expect_exit = 3}, "Program: exit status 3 (expected)", "Result: PASS", 0},
		{{.end = PROG_EXITED, .code = 0, .expect_exit = 3}, "Program: exit status 0, expected 3", "Result: FAIL", 4},
		{{.end = PROG_KILLED, .signal = 11, .core_dumped = true},
		 "Program: killed by SIGSEGV (core dumped), expected exit status 0", "Result: FAIL", 4},
		{{.end = PROG_KILLED, .signal = 9, .expect_exit = 137},
		 "Program: killed by SIGKILL, expected exit status 137", "Result: FAIL", 4},
		{{.end = PROG_UNKNOWN}, "Program: exit status unknown (its end was not seen), expected 0", "Result: FAIL",
		 4},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *t = render_prog(REPORT_TEXT, pass, 1, &cases[i].ps);
		cr_assert_str_eq(last_line(t), cases[i].line);
		cr_assert(strstr(t, cases[i].result), "%s", t);
		struct report_set set = {.results = pass, .n = 1, .program = &cases[i].ps};
		cr_assert_eq(report_exit_code(&set, 1), cases[i].exit, "case %zu", i);
		cr_assert_eq(program_failed(&cases[i].ps), cases[i].exit == 4);
		free(t);
	}
	/* Not known: no line, the assertions alone decide. */
	struct program_status none = {.end = PROG_NONE, .code = 3};
	char *t = render_prog(REPORT_TEXT, pass, 1, &none);
	cr_assert_str_eq(t, "PASS  max_syscall_budget: 87 spans <= 500\n"
			    "Result: PASS (1 passed, 0 failed, 0 warnings, 0 skipped)\n");
	free(t);
	cr_assert(!program_failed(NULL));
	cr_assert(!program_failed(&none));
}

Test(report_program, outranks_failures_and_errors)
{
	struct assertion_result r[6];
	sample(r);
	struct program_status bad = {.end = PROG_EXITED, .code = 1};
	struct report_set s = {.results = r, .n = 6, .program = &bad};
	cr_assert_eq(report_exit_code(&s, 1), 4);
	r[3].verdict = V_ERROR;
	cr_assert_eq(report_exit_code(&s, 1), 4);
	/* One failed program among several traces fails the whole gate. */
	struct program_status good = {.end = PROG_EXITED};
	sample(r);
	struct report_set two[2] = {{.trace = "a.json", .results = r, .n = 1, .program = &good},
				    {.trace = "b.json", .results = r, .n = 1, .program = &bad}};
	cr_assert_eq(report_exit_code(two, 2), 4);
	char *t = report_render(REPORT_TEXT, NULL, two, 2, NULL);
	cr_assert_not_null(t);
	cr_assert_str_eq(t, "Trace: a.json\n"
			    "PASS  max_syscall_budget: 87 spans <= 500\n"
			    "Trace: b.json\n"
			    "PASS  max_syscall_budget: 87 spans <= 500\n"
			    "Result: FAIL (2 passed, 0 failed, 0 warnings, 0 skipped)\n"
			    "Program: a.json: exit status 0\n"
			    "Program: b.json: exit status 1, expected 0\n");
	free(t);
}

Test(report_program, json)
{
	struct assertion_result r[6];
	sample(r);
	struct program_status ps = {.end = PROG_KILLED, .signal = 11, .core_dumped = true};
	char *t = render_prog(REPORT_JSON, r, 1, &ps);
	cJSON *doc = cJSON_Parse(t);
	cr_assert_not_null(doc, "invalid JSON:\n%s", t);
	cr_assert_str_eq(cJSON_GetObjectItem(doc, "result")->valuestring, "FAIL");
	cr_assert_eq(cJSON_GetObjectItem(doc, "exit_code")->valueint, 4);
	const cJSON *tr = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "traces"), 0);
	cr_assert_str_eq(cJSON_GetObjectItem(tr, "result")->valuestring, "FAIL");
	const cJSON *p = cJSON_GetObjectItem(tr, "program");
	cr_assert_str_eq(cJSON_GetObjectItem(p, "status")->valuestring, "killed");
	cr_assert(cJSON_IsNull(cJSON_GetObjectItem(p, "exit_code")));
	cr_assert_str_eq(cJSON_GetObjectItem(p, "signal")->valuestring, "SIGSEGV");
	cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(p, "core_dumped")));
	cr_assert_eq(cJSON_GetObjectItem(p, "expect_exit")->valueint, 0);
	cr_assert(cJSON_IsFalse(cJSON_GetObjectItem(p, "ok")));
	cJSON_Delete(doc);
	free(t);

	struct program_status ok = {.end = PROG_EXITED, .code = 3, .expect_exit = 3};
	t = render_prog(REPORT_JSON, r, 1, &ok);
	doc = cJSON_Parse(t);
	cr_assert_not_null(doc, "invalid JSON:\n%s", t);
	cr_assert_eq(cJSON_GetObjectItem(doc, "exit_code")->valueint, 0);
	p = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "traces"), 0), "program");
	cr_assert_str_eq(cJSON_GetObjectItem(p, "status")->valuestring, "exited");
	cr_assert_eq(cJSON_GetObjectItem(p, "exit_code")->valueint, 3);
	cr_assert(cJSON_IsNull(cJSON_GetObjectItem(p, "signal")));
	cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(p, "ok")));
	cJSON_Delete(doc);
	free(t);

	t = render_prog(REPORT_JSON, r, 1, NULL);
	doc = cJSON_Parse(t);
	cr_assert_not_null(doc);
	cr_assert(cJSON_IsNull(
		cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "traces"), 0), "program")));
	cJSON_Delete(doc);
	free(t);
}

Test(report_program, junit_and_github)
{
	struct assertion_result r[6];
	sample(r);
	struct program_status bad = {.end = PROG_EXITED, .code = 3};
	char *t = render_prog(REPORT_JUNIT, r, 1, &bad);
	cr_assert(strstr(t, "<testsuites name=\"renacer-c assert\" tests=\"2\" failures=\"1\""), "%s", t);
	cr_assert(strstr(t, "<testcase name=\"program exit status\" classname=\"renacer.program\">\n"
			    "      <failure message=\"exit status 3, expected 0\" type=\"program\">"),
		  "%s", t);
	char *py = py_junit(t);
	if (py)
		cr_assert_str_eq(py, "testcases=2 failures=1 skipped=0 out=1 names=max_syscall_budget|program exit status");
	free(t);
	struct program_status good = {.end = PROG_EXITED};
	t = render_prog(REPORT_JUNIT, r, 1, &good);
	cr_assert(strstr(t, "tests=\"2\" failures=\"0\""), "%s", t);
	cr_assert(strstr(t, "<system-out>exit status 0</system-out>"), "%s", t);
	free(t);

	t = render_prog(REPORT_GITHUB, r, 1, &bad);
	cr_assert_str_eq(t, "::error title=program exit status::Program: exit status 3, expected 0\n"
			    "Result: FAIL (1 passed, 0 failed, 0 warnings, 0 skipped)\n"
			    "Program: exit status 3, expected 0\n");
	free(t);
}
