/* test_live.c — a trace can be watched while the program runs: completed
 * lines reach the file within the live-output timer's period, a call that
 * blocks shows as "<unfinished ...>" (and later "<... NAME resumed>", as
 * strace prints them), a SIGKILLed tracer leaves everything up to shortly
 * before, and the tracer's own work at a stop is not charged to the call.
 * Output files are never redirected through a planted name. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

TestSuite(live, .init = h_init, .fini = h_cleanup, .timeout = 120);

/* Generous: these wait for something that should take ~50 ms. The point
 * is that without live output it never happens while the program runs. */
#define APPEAR_MS 5000

/* Poll PATH until it contains every needle, or ms pass. The content
 * (harness-owned) or NULL. */
static const char *wait_for(const char *path, const char *const *needles, int ms)
{
	double end = h_now() + ms / 1000.0;
	do {
		size_t len;
		char *s = h_read_file(path, &len);
		if (s) {
			bool all = true;
			for (int i = 0; needles[i]; i++)
				if (!strstr(s, needles[i]))
					all = false;
			if (all)
				return s;
		}
		usleep(20000);
	} while (h_now() < end);
	return NULL;
}

/* A FIFO the program reads as stdin; the test holds the write end, so the
 * program blocks in read(0) until the test writes. */
struct fifo_run {
	struct h_proc p;
	int wfd;
};

static void start_on_fifo(const char *const *argv, const char *trace, struct fifo_run *fr, bool trace_on_stderr)
{
	h_require_renacer();
	const char *fifo = h_tmp_path("stdin.fifo");
	cr_assert_eq(mkfifo(fifo, 0600), 0, "mkfifo: %s", strerror(errno));
	struct h_cmd c = {
		.argv = argv,
		.envp = h_clean_env(),
		.in_path = fifo,
		.out = H_IO_NULL,
		.err = trace_on_stderr ? H_IO_FILE : H_IO_NULL,
		.err_path = trace_on_stderr ? trace : NULL,
	};
	/* O_RDWR never blocks on a FIFO, and with a writer present the
	 * child's open for reading does not block either. */
	fr->wfd = open(fifo, O_RDWR | O_CLOEXEC);
	cr_assert(fr->wfd >= 0, "open fifo: %s", strerror(errno));
	h_spawn(&c, &fr->p);
}

static void finish_fifo(struct fifo_run *fr, const char *data, struct h_res *r)
{
	if (data)
		cr_assert_eq(write(fr->wfd, data, strlen(data)), (ssize_t)strlen(data));
	close(fr->wfd);
	h_wait(&fr->p, 20000, r);
	cr_assert(!r->timed_out, "timed out");
}

static void blocked_read_is_visible(bool on_stderr)
{
	const char *trace = h_tmp_path("t.txt");
	const char *const *argv = on_stderr ? H_ARGV(h_renacer(), "--", "cat")
					    : H_ARGV(h_renacer(), "-o", trace, "--", "cat");
	struct fifo_run fr;
	start_on_fifo(argv, trace, &fr, on_stderr);
	/* cat's first read(0) blocks: its entry must be in the file while it
	 * blocks, with every line before it. */
	const char *seen = wait_for(trace, H_ARGV("execve(", "read(0,  <unfinished ...>"), APPEAR_MS);
	if (!seen) {
		kill(fr.p.pid, SIGKILL);
		struct h_res r;
		finish_fifo(&fr, NULL, &r);
		size_t len;
		const char *now = h_read_file(trace, &len);
		cr_assert_fail("the blocked read(0) is not in the trace while it blocks; trace so far:\n%.3000s",
			       now ? now : "(no file)");
	}
	cr_assert(seen[strlen(seen) - 1] == '\n', "a torn line reached the file:\n%s", seen);
	struct h_res r;
	finish_fifo(&fr, "hello\n", &r);
	cr_assert_eq(r.code, 0, "%s", h_describe(&r));
	size_t len;
	const char *all = h_slurp(trace, &len);
	cr_assert(strstr(all, "<... read resumed>\"hello\\n\", 131072) = 6") ||
			  strstr(all, "<... read resumed>\"hello\\n\", "),
		  "no resumed read:\n%s", all);
	/* Merged, the calls read like strace's: read(0) = 6 then read(0) = 0. */
	struct h_trace *t = h_parse_trace(all, len);
	cr_assert_eq(t->ntasks, 1);
	size_t reads = 0;
	for (size_t i = 0; i < t->tasks[0].ncalls; i++)
		if (!strcmp(t->tasks[0].calls[i].name, "read") && strstr(t->tasks[0].calls[i].raw, "read(0,"))
			reads++;
	cr_assert_eq(reads, 2, "%s", all);
}

Test(live, blocked_call_visible_in_o_file_while_it_blocks)
{
	blocked_read_is_visible(false);
}

Test(live, blocked_call_visible_on_stderr_file_while_it_blocks)
{
	blocked_read_is_visible(true);
}

Test(live, sigkilled_tracer_leaves_the_trace_so_far)
{
	const char *trace = h_tmp_path("t.txt");
	struct fifo_run fr;
	start_on_fifo(H_ARGV(h_renacer(), "-f", "-o", trace, "--", "sh", "-c",
			     "echo live-marker-1 >/dev/null; exec cat"),
		      trace, &fr, false);
	const char *seen = wait_for(trace, H_ARGV("live-marker-1", "execve(\"/usr/bin/cat\""), APPEAR_MS);
	if (!seen) {
		kill(fr.p.pid, SIGKILL);
		struct h_res r;
		finish_fifo(&fr, NULL, &r);
		cr_assert_fail("the marker write never reached the trace while the program ran");
	}
	cr_assert_eq(kill(fr.p.pid, SIGKILL), 0);
	struct h_res r;
	finish_fifo(&fr, NULL, &r);
	cr_assert_eq(r.code, 128 + SIGKILL, "%s", h_describe(&r));
	size_t len;
	const char *all = h_slurp(trace, &len);
	cr_assert(strstr(all, "write(1, \"live-marker-1\\n\", 14) = 14") != NULL ||
			  strstr(all, "\"live-marker-1\\n\"") != NULL,
		  "%s", all);
	cr_assert(len > 0 && all[len - 1] == '\n', "the trace ends with a torn line:\n%s", all);
}

/* strace's own spelling of an interleaved pair, compared line for line. */
static const char *find_body(const struct h_trace *t, const char *prefix)
{
	for (size_t i = 0; i < t->nlines; i++)
		if (!strncmp(t->lines[i].body, prefix, strlen(prefix)))
			return t->lines[i].body;
	return NULL;
}

/* Runs of spaces as one: the result column's padding depends on the
 * width of the pid prefix, which differs between the two tools. */
static const char *squeeze(const char *s)
{
	char *o = h_keep(malloc(strlen(s) + 1));
	char *d = o;
	for (; *s; s++)
		if (!(*s == ' ' && s[1] == ' '))
			*d++ = *s;
	*d = '\0';
	return o;
}

Test(live, interleaved_threads_match_strace)
{
	if (!h_have_strace())
		cr_skip_test("strace is not installed (the oracle)");
	const char *fx = h_fixture("live_threads");
	const char *ours = h_tmp_path("ours.txt"), *theirs = h_tmp_path("strace.txt");
	struct h_res r;
	struct h_cmd c = { .argv = H_ARGV(h_renacer(), "-f", "-o", ours, fx), .envp = h_clean_env() };
	h_run(&c, &r);
	cr_assert_eq(r.code, 0, "%s", h_describe(&r));
	struct h_cmd s = { .argv = H_ARGV("strace", "-f", "-o", theirs, fx), .envp = h_clean_env() };
	h_run(&s, &r);
	cr_assert_eq(r.code, 0, "%s", h_describe(&r));
	struct h_trace *a = h_parse_trace_file(ours), *b = h_parse_trace_file(theirs);
	const char *const pairs[] = { "read(", "<... read resumed>" };
	for (int i = 0; i < 2; i++) {
		const char *x = find_body(a, pairs[i]), *y = find_body(b, pairs[i]);
		cr_assert(y, "strace printed no line starting %s", pairs[i]);
		cr_assert(x, "no line starting %s in:\n%s", pairs[i], h_slurp(ours, NULL));
		cr_assert_str_eq(squeeze(x), squeeze(y));
	}
	const char *report;
	cr_assert(h_compare_traces(a, "renacer-c", b, "strace", &report), "%s", report);
}

/* Sum of the -T durations in a trace, in seconds. */
static double total_T(const char *path)
{
	struct h_trace *t = h_parse_trace_file(path);
	double sum = 0;
	for (size_t i = 0; i < t->nlines; i++)
		if (t->lines[i].dur)
			sum += strtod(t->lines[i].dur, NULL);
	return sum;
}

/* -s unwinds (and, on first sight of a module, reads its DWARF) at the
 * entry stop, while the task waits: that is the tracer's time, not the
 * call's. Best of three runs each, so a busy machine does not decide. */
Test(live, source_lookup_not_charged_to_the_call)
{
	const char *fx = h_fixture("getppid_n");
	double best[2] = { 1e9, 1e9 };
	for (int run = 0; run < 3; run++)
		for (int with_s = 0; with_s < 2; with_s++) {
			const char *out = h_tmp_path(h_fmt("t%d%d.txt", run, with_s));
			struct h_cmd c = {
				.argv = with_s ? H_ARGV(h_renacer(), "-T", "-s", "-o", out, fx, "200")
					       : H_ARGV(h_renacer(), "-T", "-o", out, fx, "200"),
				.envp = h_clean_env(),
			};
			struct h_res r;
			h_run(&c, &r);
			cr_assert_eq(r.code, 0, "%s", h_describe(&r));
			double t = total_T(out);
			if (t < best[with_s])
				best[with_s] = t;
		}
	/* 1.2x plus 2 ms for scheduling noise; charging the DWARF loading
	 * to the calls costs tens of ms. */
	cr_assert(best[1] <= best[0] * 1.2 + 0.002, "-T total with -s %.6f s, without %.6f s", best[1], best[0]);
}

/* A name in a shared directory planted as a symlink to a victim file,
 * for every pid renacer-c may get: the structured writer must not follow
 * it (old code wrote FILE.tmp.PID with O_TRUNC and no O_EXCL). */
Test(live, planted_temporary_name_is_not_followed)
{
	h_require_renacer();
	const char *victim = h_tmp_path("victim");
	h_write_file(victim, "precious\n", 9);
	const char *out = h_tmp_path("out.json");
	long last = 0;
	FILE *f = fopen("/proc/sys/kernel/ns_last_pid", "r");
	if (f) {
		if (fscanf(f, "%ld", &last) != 1)
			last = 0;
		fclose(f);
	}
	cr_assert(last > 0, "cannot read ns_last_pid");
	for (long pid = last + 1; pid <= last + 400; pid++)
		cr_assert_eq(symlink(victim, h_fmt("%s.tmp.%ld", out, pid)), 0);
	struct h_cmd c = { .argv = H_ARGV(h_renacer(), "--format", "json", "-o", out, "--", "true"),
			   .envp = h_clean_env(), .err = H_IO_PIPE };
	struct h_res r;
	h_run(&c, &r);
	cr_assert_eq(r.code, 0, "%s: %s", h_describe(&r), r.err);
	size_t len;
	cr_assert_str_eq(h_slurp(victim, &len), "precious\n");
	struct stat st;
	cr_assert_eq(lstat(out, &st), 0);
	cr_assert(S_ISREG(st.st_mode));
	cr_assert(strstr(h_slurp(out, &len), "\"execve\""), "the trace is not complete");
	/* The planted links are still links (nothing renamed over them). */
	cr_assert_eq(lstat(h_fmt("%s.tmp.%ld", out, last + 1), &st), 0);
	cr_assert(S_ISLNK(st.st_mode));
}
