/* test_otlp.c — OpenTelemetry export (--otlp-*, `renacer-c export`)
 * through the real binary, against a local OTLP/HTTP receiver
 * (tests/integration/otlp_receiver.py: loopback, a port the OS picks) and
 * checked by tests/integration/otlp_check.py against the OTLP JSON mapping
 * and the span tree: ids, parentage, times, attributes, counts equal to
 * the JSON trace of the same run. Needs python3 (skips otherwise). No
 * timing assertions. */
#include <criterion/criterion.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "harness.h"

TestSuite(otlp, .init = h_init, .fini = h_cleanup, .timeout = 120);

#define RECEIVER "tests/integration/otlp_receiver.py"
#define CHECKER "tests/integration/otlp_check.py"
#define MULTI "ls / >/dev/null; cat /nonexistent-otlp 2>/dev/null; echo done; exit 3"

struct receiver {
	struct h_proc proc;
	const char *out;        /* what it received, one request per line */
	const char *url;        /* http://127.0.0.1:PORT */
	bool running;
};

static const char *python3(void)
{
	const char *py = h_which("python3");
	if (!py)
		cr_skip_test("python3 is not installed");
	return py;
}

/* Start the receiver with ENV_ADD (RECV_FAIL=N, RECV_STALL=1, or NULL)
 * and wait until it listens. */
static void receiver_start(struct receiver *r, const char *env_add)
{
	const char *py = python3();
	static int n;
	n++;
	r->out = h_tmp_path(h_fmt("received%d", n));
	const char *portfile = h_tmp_path(h_fmt("port%d", n));
	struct h_cmd c = {
		.argv = H_ARGV(py, RECEIVER, r->out, portfile),
		.env_add = env_add ? H_ARGV(env_add) : NULL,
		.out = H_IO_NULL,
		.err = H_IO_NULL,
	};
	h_spawn(&c, &r->proc);
	r->running = true;
	char *port = NULL;
	for (int i = 0; i < 300 && !port; i++) {
		port = h_read_file(portfile, NULL);
		if (!port)
			usleep(20000);
	}
	cr_assert_not_null(port, "the receiver did not start");
	r->url = h_fmt("http://127.0.0.1:%s", port);
}

static void receiver_stop(struct receiver *r)
{
	if (!r->running)
		return;
	kill(-r->proc.pid, SIGKILL);
	kill(r->proc.pid, SIGKILL);
	struct h_res res;
	h_wait(&r->proc, 5000, &res);
	r->running = false;
}

/* A loopback port nobody listens on (bound, then closed). */
static const char *dead_url(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	cr_assert_geq(fd, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	cr_assert_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	cr_assert_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	close(fd);
	return h_fmt("http://127.0.0.1:%d", ntohs(a.sin_port));
}

/* renacer-c ARGS with ENV (NAME=VALUE..., NULL-terminated, may be NULL). */
static void rc_run_env(const char *const *args, const char *const *env, struct h_res *res)
{
	h_require_renacer();
	struct h_cmd c = {
		.argv = h_argv_join(H_ARGV(h_renacer()), args),
		.envp = h_clean_env(),
		.env_add = env,
		.out = H_IO_PIPE,
		.err = H_IO_PIPE,
		.timeout_ms = 60000,
	};
	h_run(&c, res);
	cr_assert(!res->timed_out, "renacer-c %s: timed out\nstderr:\n%.2000s", h_argv_str(args), res->err);
}

/* otlp_check.py on what R received, with ARGS; fails the test on a problem. */
static const char *check(const struct receiver *r, const char *const *args)
{
	struct h_cmd c = {
		.argv = h_argv_join(H_ARGV(python3(), CHECKER, r->out), args),
		.out = H_IO_PIPE,
		.err = H_IO_STDOUT,
		.timeout_ms = 60000,
	};
	struct h_res res;
	h_run(&c, &res);
	cr_assert_eq(res.code, 0, "otlp_check.py %s:\n%.4000s", h_argv_str(args), res.out ? res.out : "");
	return res.out;
}

/* The spans= count of a check's "ok" line. */
static long spans_of(const char *ok)
{
	const char *p = strstr(ok, "spans=");
	cr_assert_not_null(p, "%s", ok);
	return atol(p + 6);
}

Test(otlp, live_run_matches_the_json_trace)
{
	struct receiver r = { 0 };
	receiver_start(&r, NULL);
	const char *json = h_tmp_path("trace.json");
	struct h_res res;
	rc_run_env(H_ARGV("-f", "--format", "json", "-o", json, "--otlp-endpoint", r.url, "--", "sh", "-c", MULTI),
		   NULL, &res);
	receiver_stop(&r);
	cr_assert_eq(res.code, 3, "%s\n%s", h_describe(&res), res.err);
	cr_assert_str_eq(res.out, "done\n");
	cr_assert(strstr(res.err, "renacer-c: otlp: ") && strstr(res.err, " spans sent to http://127.0.0.1:"),
		  "%s", res.err);
	cr_assert_null(strstr(res.err, "dropped"), "%s", res.err);
	const char *ok = check(&r, H_ARGV("--json", json, "--fork", "--service", "sh"));
	cr_assert_gt(spans_of(ok), 10, "%s", ok);
	/* The failed openat of cat is there, as an error span. */
	const char *got = h_slurp(r.out, NULL);
	cr_assert(strstr(got, "\"error.type\", \"value\": {\"stringValue\": \"ENOENT\"}"), "no ENOENT span");
	cr_assert(strstr(got, "\"status\": {\"code\": 2"), "no error status");
	cr_assert(strstr(got, "\"name\": \"exec\""), "no exec event");
}

Test(otlp, gzip_and_headers)
{
	struct receiver r = { 0 };
	receiver_start(&r, NULL);
	struct h_res res;
	rc_run_env(H_ARGV("--otlp-endpoint", h_fmt("%s/", r.url), "--otlp-compression", "gzip", "--otlp-header",
			  "X-Api-Key=s3cret", "--otlp-header", "X-Tenant=t1", "-o", "/dev/null", "--", "true"),
		   NULL, &res);
	receiver_stop(&r);
	cr_assert_eq(res.code, 0, "%s", res.err);
	check(&r, H_ARGV("--gzip", "--header", "x-api-key=s3cret", "--header", "x-tenant=t1"));
}

Test(otlp, environment_variables)
{
	struct receiver r = { 0 };
	receiver_start(&r, NULL);
	struct h_res res;
	rc_run_env(H_ARGV("--otlp-timeout", "10s", "-o", "/dev/null", "--", "true"),
		   H_ARGV(h_fmt("OTEL_EXPORTER_OTLP_ENDPOINT=%s", r.url), "OTEL_EXPORTER_OTLP_HEADERS=x-env=a%20b,x-two=2",
			  "OTEL_SERVICE_NAME=svc-env", "OTEL_RESOURCE_ATTRIBUTES=deployment.environment=ci,team=perf"),
		   &res);
	cr_assert_eq(res.code, 0, "%s", res.err);
	check(&r, H_ARGV("--service", "svc-env", "--header", "x-env=a b", "--header", "x-two=2", "--resource",
			 "deployment.environment=ci", "--resource", "team=perf"));
	/* The per-signal endpoint is used as it is: no /v1/traces appended. */
	unlink(r.out);
	rc_run_env(H_ARGV("--otlp-timeout", "10s", "-o", "/dev/null", "--", "true"),
		   H_ARGV(h_fmt("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=%s/custom/traces", r.url),
			  "OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:9/unused"),
		   &res);
	receiver_stop(&r);
	cr_assert_eq(res.code, 0, "%s", res.err);
	check(&r, H_ARGV("--path", "/custom/traces", "--service", "true"));
}

Test(otlp, traceparent_is_joined)
{
	struct receiver r = { 0 };
	receiver_start(&r, NULL);
	const char *tid = "4bf92f3577b34da6a3ce929d0e0e4736", *sid = "00f067aa0ba902b7";
	struct h_res res;
	rc_run_env(H_ARGV("--otlp-endpoint", r.url, "-o", "/dev/null", "--", "true"),
		   H_ARGV(h_fmt("TRACEPARENT=00-%s-%s-01", tid, sid)), &res);
	receiver_stop(&r);
	cr_assert_eq(res.code, 0, "%s", res.err);
	check(&r, H_ARGV("--traceparent", tid, sid));
}

Test(otlp, retried_after_503_nothing_lost)
{
	struct receiver r = { 0 };
	receiver_start(&r, "RECV_FAIL=2");
	const char *json = h_tmp_path("trace.json");
	struct h_res res;
	rc_run_env(H_ARGV("-f", "--format", "json", "-o", json, "--otlp-endpoint", r.url, "--otlp-timeout", "20s",
			  "--", "sh", "-c", MULTI),
		   NULL, &res);
	receiver_stop(&r);
	cr_assert_eq(res.code, 3, "%s", res.err);
	cr_assert_null(strstr(res.err, "dropped"), "%s", res.err);
	check(&r, H_ARGV("--json", json));
	size_t n;
	const char *rej = h_slurp(h_fmt("%s.rejected", r.out), &n);
	cr_assert_str_eq(rej, "503\n503\n");
}

Test(otlp, receiver_down_changes_nothing)
{
	const char *url = dead_url();
	struct h_res plain, exp;
	rc_run_env(H_ARGV("-f", "-o", "/dev/null", "--", "sh", "-c", MULTI), NULL, &plain);
	rc_run_env(H_ARGV("-f", "-o", "/dev/null", "--otlp-endpoint", url, "--otlp-timeout", "1s", "--", "sh", "-c",
			  MULTI),
		   NULL, &exp);
	cr_assert_eq(exp.code, plain.code, "%s", exp.err);
	cr_assert_eq(exp.code, 3);
	cr_assert_str_eq(exp.out, plain.out);
	cr_assert(strstr(exp.err, h_fmt("renacer-c: otlp: 0 spans sent to %s/v1/traces, ", url)) &&
			  strstr(exp.err, " dropped\n"),
		  "%s", exp.err);
}

Test(otlp, required_with_receiver_down_exits_1)
{
	struct h_res res;
	rc_run_env(H_ARGV("--otlp-endpoint", dead_url(), "--otlp-timeout", "1s", "--otlp-required", "-o", "/dev/null",
			  "--", "true"),
		   NULL, &res);
	cr_assert_eq(res.code, 1, "%s\n%s", h_describe(&res), res.err);
	cr_assert(strstr(res.err, " dropped"), "%s", res.err);
	/* Without --otlp-required the program's status stands. */
	rc_run_env(H_ARGV("--otlp-endpoint", dead_url(), "--otlp-timeout", "1s", "-o", "/dev/null", "--", "true"),
		   NULL, &res);
	cr_assert_eq(res.code, 0, "%s", res.err);
}

Test(otlp, stalled_receiver_is_bounded)
{
	struct receiver r = { 0 };
	receiver_start(&r, "RECV_STALL=1");
	struct h_res res;
	rc_run_env(H_ARGV("--otlp-endpoint", r.url, "--otlp-timeout", "1s", "-o", "/dev/null", "--", "sh", "-c",
			  "echo hi"),
		   NULL, &res);
	receiver_stop(&r);
	cr_assert_eq(res.code, 0, "%s", res.err);
	cr_assert_str_eq(res.out, "hi\n");
	cr_assert(strstr(res.err, " dropped\n"), "%s", res.err);
}

Test(otlp, multi_process_program_unaffected)
{
	struct receiver r = { 0 };
	receiver_start(&r, NULL);
	const char *script = "for i in 1 2 3; do ls / | head -n 1; done; (echo sub; exit 0); exit 7";
	struct h_res plain, exp;
	rc_run_env(H_ARGV("-f", "-o", "/dev/null", "--", "sh", "-c", script), NULL, &plain);
	rc_run_env(H_ARGV("-f", "-o", "/dev/null", "--otlp-endpoint", r.url, "--", "sh", "-c", script), NULL, &exp);
	receiver_stop(&r);
	cr_assert_eq(plain.code, 7);
	cr_assert_eq(exp.code, plain.code, "%s", exp.err);
	cr_assert_str_eq(exp.out, plain.out);
	check(&r, H_ARGV("--fork"));
}

Test(otlp, status_filter_decides_the_syscall_spans)
{
	struct receiver r = { 0 };
	receiver_start(&r, NULL);
	const char *json = h_tmp_path("failed.json");
	struct h_res res;
	rc_run_env(H_ARGV("-f", "-e", "status=failed", "--otlp-endpoint", r.url, "-o", json, "--format", "json", "--",
			  "sh", "-c", MULTI),
		   NULL, &res);
	receiver_stop(&r);
	cr_assert_eq(res.code, 3, "%s", res.err);
	check(&r, H_ARGV("--only-failed"));
}

Test(otlp, export_saved_trace)
{
	struct receiver r = { 0 };
	receiver_start(&r, NULL);
	const char *json = h_tmp_path("saved.json");
	struct h_res res;
	rc_run_env(H_ARGV("-f", "--format", "json", "-o", json, "--", "sh", "-c", MULTI), NULL, &res);
	cr_assert_eq(res.code, 3, "%s", res.err);
	rc_run_env(H_ARGV("export", "--otlp-endpoint", r.url, "--otlp-compression", "gzip", json), NULL, &res);
	receiver_stop(&r);
	cr_assert_eq(res.code, 0, "%s", res.err);
	cr_assert(strstr(res.err, "renacer-c: otlp: ") && strstr(res.err, " spans sent to "), "%s", res.err);
	check(&r, H_ARGV("--json", json, "--fork", "--gzip", "--service", "sh"));
}

Test(otlp, export_errors)
{
	struct h_res res;
	rc_run_env(H_ARGV("export"), NULL, &res);
	cr_assert_eq(res.code, 2, "%s", res.err);
	rc_run_env(H_ARGV("export", "--otlp-endpoint", dead_url(), h_tmp_path("missing.json")), NULL, &res);
	cr_assert_eq(res.code, 3, "%s", res.err);
	rc_run_env(H_ARGV("export", "--otlp-endpoint", dead_url(), "--otlp-timeout", "1s", "--otlp-required",
			  "tests/data/renacer_v1_pretty.json"),
		   NULL, &res);
	cr_assert_eq(res.code, 1, "%s", res.err);
	rc_run_env(H_ARGV("--otlp-compression", "zstd", "--", "true"), NULL, &res);
	cr_assert_eq(res.code, 2, "%s", res.err);
	rc_run_env(H_ARGV("--otlp-header", "novalue", "--", "true"), NULL, &res);
	cr_assert_eq(res.code, 2, "%s", res.err);
}

Test(otlp, source_attributes_and_signal_events)
{
	struct receiver r = { 0 };
	receiver_start(&r, NULL);
	struct h_res res;
	rc_run_env(H_ARGV("-s", "--otlp-endpoint", r.url, "-o", "/dev/null", "--", h_fixture("sigusr1")), NULL, &res);
	receiver_stop(&r);
	cr_assert_eq(res.code, 0, "%s", res.err);
	check(&r, H_ARGV("--service", "sigusr1"));
	const char *got = h_slurp(r.out, NULL);
	cr_assert(strstr(got, "{\"key\": \"code.filepath\", \"value\": {\"stringValue\": \"tests/fixtures/sigusr1.c\"}}"),
		  "no code.filepath of the fixture");
	cr_assert(strstr(got, "\"key\": \"code.lineno\""), "no code.lineno");
	cr_assert(strstr(got, "{\"key\": \"code.function\", \"value\": {\"stringValue\": \"main\"}}"), "no code.function");
	cr_assert(strstr(got, "\"name\": \"signal\"") && strstr(got, "\"stringValue\": \"SIGUSR1\""),
		  "no SIGUSR1 event");
}
