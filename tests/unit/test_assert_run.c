/* test_assert_run.c — the offline gate (src/analyze/assert_run.h): a saved
 * trace read through the metrics sink, its explicit GPU spans, its
 * program's end, and results that stay valid after the metrics are gone. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "assert_run.h"
#include "config.h"
#include "diag.h"

static char *write_trace(const char *text)
{
	char *path = strdup("/tmp/renacer-assert-run-XXXXXX");
	cr_assert_not_null(path);
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	size_t n = strlen(text);
	cr_assert_eq(write(fd, text, n), (ssize_t)n);
	close(fd);
	return path;
}

static struct config *load(const char *toml)
{
	char err[1024];
	struct config *cfg = config_load_buffer("test.toml", toml, strlen(toml), err, sizeof(err));
	cr_assert_not_null(cfg, "config: %s", err);
	return cfg;
}

static const char trace_text[] =
	"{\"version\":\"0.1.0\",\"format\":\"renacer-json-v1\",\"schema\":2,\n"
	" \"meta\":{\"command\":[\"a\"]},\n"
	" \"syscalls\":[\n"
	"{\"name\":\"write\",\"args\":[\"1\",\"\\\"x\\\"\",\"1\"],\"result\":1,\"pid\":10,\"tid\":10,"
	"\"ts_ns\":1000,\"duration_ns\":500,\"source\":{\"file\":\"src/x.c\",\"line\":7,\"function\":\"main\"}}\n"
	" ],\n"
	" \"processes\":[{\"pid\":10,\"ppid\":1,\"exe\":\"/bin/a\",\"start_ns\":0,\"end_ns\":5000,"
	"\"signal\":\"SIGSEGV\",\"core_dumped\":true}],\n"
	" \"gpu\":[{\"kind\":\"transfer\",\"ts_ns\":1,\"duration_ns\":300,\"bytes\":64},"
	"{\"kind\":\"kernel\",\"ts_ns\":400,\"duration_ns\":100}]\n"
	"}\n";

static const char toml_text[] =
	"[[assertion]]\n"
	"name = \"pcie\"\n"
	"type = \"anti_pattern\"\n"
	"pattern = \"PcieBottleneck\"\n"
	"threshold = 0.5\n"
	"[[assertion]]\n"
	"name = \"block\"\n"
	"type = \"anti_pattern\"\n"
	"pattern = \"BlockingMainThread\"\n"
	"threshold = 0.5\n"
	"max_block_ms = 100\n";

Test(assert_run, gpu_spans_source_and_program_end)
{
	char *path = write_trace(trace_text);
	struct config *cfg = load(toml_text);
	struct assert_trace t;
	cr_assert_eq(assert_run_trace(cfg, path, &t), RC_OK);
	cr_assert_eq(t.n, 2);
	/* The trace's GPU spans reach the metrics: transfer / (transfer + kernel). */
	cr_assert_eq(t.res[0].verdict, V_FAIL);
	cr_assert_float_eq(t.res[0].actual, 0.75, 1e-9);
	/* The source location outlives the metrics it came from. */
	cr_assert_str_eq(t.res[1].src_file, "src/x.c");
	cr_assert_eq(t.res[1].src_line, 7);
	/* The launched command's end, from the process table. */
	cr_assert_eq(t.prog.end, PROG_KILLED);
	cr_assert_eq(t.prog.signal, 11);
	cr_assert(t.prog.core_dumped);
	assert_trace_free(&t);
	config_free(cfg);
	unlink(path);
	free(path);
}

Test(assert_run, unreadable_trace, .init = cr_redirect_stderr)
{
	struct config *cfg = load(toml_text);
	struct assert_trace t;
	cr_assert_eq(assert_run_trace(cfg, "/nonexistent/trace.json", &t), RC_BAD_TRACE);
	cr_assert_eq(t.n, 0);
	assert_trace_free(&t);
	config_free(cfg);
	fflush(stderr);
	cr_assert_stderr_eq_str("renacer-c: /nonexistent/trace.json: cannot open: No such file or directory\n");
}

Test(assert_run, traces_gate, .init = cr_redirect_stderr)
{
	char *path = write_trace(trace_text);
	struct config *cfg = load(toml_text);
	const char *paths[] = {path, "/nonexistent/trace.json"};
	struct report_opts ro = {.format = REPORT_JSON, .output = NULL};
	/* The program was killed: the gate says RC_PROGRAM, worse than the
	 * unreadable second trace. */
	cr_assert_eq(assert_run_traces(cfg, paths, 2, &ro), RC_PROGRAM);
	config_free(cfg);
	unlink(path);
	free(path);
}
