/* test_source_cli.c — source correlation through the real binary: -s names
 * the exact file:line and function of each call site (expected lines come
 * from @site markers in the fixture sources), -k lists the chain in
 * order, binaries without debug info trace exactly as without -s, and
 * threads and children get their own call sites. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

TestSuite(source_cli, .init = h_init, .fini = h_cleanup, .timeout = 120);

static const char *srcfix_dir(void)
{
	const char *d = getenv("SOURCE_FIXTURES_DIR");
	cr_assert(d && *d, "SOURCE_FIXTURES_DIR is not set (run through make)");
	return d;
}

static const char *srcfix_src(void)
{
	const char *d = getenv("SOURCE_SRC_DIR");
	cr_assert(d && *d, "SOURCE_SRC_DIR is not set (run through make)");
	return d;
}

/* Line of "@site:NAME" in FILE (relative to the fixture source dir). */
static unsigned site_line(const char *file, const char *name)
{
	size_t len;
	char *text = h_read_file(h_fmt("%s/%s", srcfix_src(), file), &len);
	cr_assert(text, "cannot read %s", file);
	const char *marker = h_fmt("@site:%s */", name);
	unsigned line = 1;
	for (const char *p = text; *p; p++) {
		if (*p == '\n')
			line++;
		else if (!strncmp(p, marker, strlen(marker)))
			return line;
	}
	cr_assert_fail("no marker %s in %s", marker, file);
	return 0;
}

/* renacer-c ARGS -- PROG; the trace (-o) is returned, and renacer-c's
 * own stderr in *err when err is not NULL. */
static char *trace_err(const char *const *args, const char *prog, int *code, const char **err)
{
	h_require_renacer();
	const char *out = h_tmp_path("trace.txt");
	struct h_cmd c = {
		.argv = h_argv_join(h_argv_join(H_ARGV(h_renacer(), "-o", out), args), H_ARGV("--", prog)),
		.envp = h_clean_env(),
		.out = H_IO_NULL,
		.err = H_IO_PIPE,
		.cwd = h_tmpdir(),
	};
	struct h_res r;
	h_run(&c, &r);
	cr_assert(!r.timed_out, "timed out: %s", h_argv_str(c.argv));
	*code = r.code;
	if (err)
		*err = h_keep(strdup(r.err ? r.err : ""));
	size_t len;
	char *t = h_read_file(out, &len);
	cr_assert(t, "no trace written");
	return t;
}

static char *trace(const char *const *args, const char *prog, int *code)
{
	return trace_err(args, prog, code, NULL);
}

/* The line of the first call `name(` in the trace whose text contains
 * `needle` (NULL: any). */
static const char *find_call(const char *text, const char *name, const char *needle)
{
	const char *pat = h_fmt("%s(", name);
	for (const char *p = text; p && *p;) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);
		const char *line = h_keep(strndup(p, n));
		const char *body = line;
		if (!strncmp(body, "[pid", 4)) {
			const char *close = strchr(body, ']');
			body = close ? close + 2 : body;
		} else if (*body >= '0' && *body <= '9') {
			/* -f -o FILE: strace's "PID  " prefix */
			while (*body >= '0' && *body <= '9')
				body++;
			while (*body == ' ')
				body++;
		}
		if (!strncmp(body, pat, strlen(pat)) && (!needle || strstr(line, needle)))
			return line;
		p = eol ? eol + 1 : NULL;
	}
	return NULL;
}

static void expect_site(const char *text, const char *call, const char *needle, const char *file,
			const char *site, const char *function)
{
	const char *line = find_call(text, call, needle);
	cr_assert(line, "no %s call%s%s in:\n%.3000s", call, needle ? " with " : "", needle ? needle : "", text);
	const char *want = h_fmt("%s:%u in %s]", file, site_line(file, site), function);
	cr_expect(strstr(line, want), "%s: expected ...%s\n  got: %s", call, want, line);
}

static void check_chain_with(const char *unwinder, const char *binary, bool with_dlopen)
{
	int code;
	const char *err;
	char *t = trace_err(H_ARGV("-s", h_fmt("--unwinder=%s", unwinder), "-e", "trace=chdir,write,openat,umask"),
			    h_fmt("%s/%s", srcfix_dir(), binary), &code, &err);
	/* Each unwinder finds every call site of the chain by itself. */
	cr_expect(!strstr(err, "fell back"), "%s: %s", binary, err);
	cr_assert_eq(code, 0, "%s exited %d", binary, code);
	expect_site(t, "chdir", NULL, "chain_b.c", "chdir", "f3");
	expect_site(t, "write", NULL, "chain_io.c", "write", "helper_write");
	expect_site(t, "openat", "/dev/null", "chain_io.c", "fopen", "helper_fopen");
	if (with_dlopen)
		expect_site(t, "umask", NULL, "chain_dl.c", "umask", "dl_func");
	/* The loader's own opens come from no user code: no suffix. */
	const char *libc = find_call(t, "openat", "libc.so.6");
	if (libc)
		cr_expect(!strstr(libc, " in "), "loader call got a source suffix: %s", libc);
}

static void check_chain(const char *binary, bool with_dlopen)
{
	check_chain_with("libdw", binary, with_dlopen);
	check_chain_with("libunwind", binary, with_dlopen);
}

Test(source_cli, chain_O0) { check_chain("chain_O0", true); }
Test(source_cli, chain_O2) { check_chain("chain_O2", true); }
Test(source_cli, chain_nopie) { check_chain("chain_nopie", true); }
Test(source_cli, chain_static) { check_chain("chain_static", false); }
Test(source_cli, chain_debuglink) { check_chain("chain_debuglink", true); }

static void check_stack(const char *unwinder)
{
	int code;
	char *t = trace(H_ARGV("-k", h_fmt("--unwinder=%s", unwinder), "-e", "trace=chdir"),
			h_fmt("%s/chain_O2", srcfix_dir()), &code);
	cr_assert_eq(code, 0);
	const char *want[] = { "(f3+", "(f2+", "(f1+", "(f0+", "(main+" };
	const char *files[] = { "chain_b.c", "chain_b.c", "chain_a.c", "chain_a.c", "chain_main.c" };
	const char *sites[] = { "chdir", "f3", "f2", "f1", "f0" };
	const char *p = strstr(t, "chdir(");
	cr_assert(p, "no chdir in:\n%s", t);
	for (int i = 0; i < 5; i++) {
		const char *q = strstr(p, want[i]);
		cr_assert(q, "frame %s missing after the previous one in:\n%s", want[i], t);
		const char *eol = strchr(q, '\n');
		const char *frame = h_keep(strndup(q, eol ? (size_t)(eol - q) : strlen(q)));
		const char *loc = h_fmt("%s:%u", files[i], site_line(files[i], sites[i]));
		cr_expect(strstr(frame, loc), "frame %s: expected %s, got %s", want[i], loc, frame);
		p = q;
	}
	cr_expect(strstr(t, " > /usr/lib/x86_64-linux-gnu/libc.so.6(chdir+") ||
		  strstr(t, " > /lib/x86_64-linux-gnu/libc.so.6(chdir+"),
		  "the libc frame is not printed strace style:\n%s", t);
}

Test(source_cli, stack_lists_the_chain_in_order)
{
	check_stack("libdw");
}

Test(source_cli, stack_lists_the_chain_in_order_libunwind)
{
	check_stack("libunwind");
}

/* The fallback fixture: each unwinder misses one of the two call sites
 * alone; with the other as fallback both are found, and the one stop that
 * fell back is reported on exit (not with -q). */
static void check_fallback(const char *unwinder, const char *other)
{
	int code;
	const char *err;
	const char *prog = h_fmt("%s/fallback", srcfix_dir());
	char *t = trace_err(H_ARGV("-s", h_fmt("--unwinder=%s", unwinder), "-e", "trace=chdir"), prog, &code, &err);
	cr_assert_eq(code, 0);
	expect_site(t, "chdir", "\"/\"", "fallback.c", "broken", "main");
	expect_site(t, "chdir", "\"/tmp\"", "fallback.c", "debug_frame", "main");
	const char *want = h_fmt("renacer-c: unwinding: 1 stop fell back from %s to %s\n", unwinder, other);
	cr_expect(strstr(err, want), "expected %s in stderr:\n%s", want, err);
	char *q = trace_err(H_ARGV("-q", "-s", h_fmt("--unwinder=%s", unwinder), "-e", "trace=chdir"), prog, &code, &err);
	cr_assert_eq(code, 0);
	cr_expect_str_eq(q, t);
	cr_expect(!strstr(err, "fell back"), "-q still reports: %s", err);
}

Test(source_cli, fallback_libdw_to_libunwind) { check_fallback("libdw", "libunwind"); }
Test(source_cli, fallback_libunwind_to_libdw) { check_fallback("libunwind", "libdw"); }

/* The default unwinder is the faster for the walk: libunwind for -s, libdw
 * for -k (the fallback line names the one that was tried first). */
Test(source_cli, default_unwinder_per_walk)
{
	int code;
	const char *err;
	const char *prog = h_fmt("%s/fallback", srcfix_dir());
	(void)trace_err(H_ARGV("-s", "-e", "trace=chdir"), prog, &code, &err);
	cr_assert_eq(code, 0);
	cr_expect(strstr(err, "fell back from libunwind to libdw"), "-s: %s", err);
	(void)trace_err(H_ARGV("-k", "-e", "trace=chdir"), prog, &code, &err);
	cr_assert_eq(code, 0);
	cr_expect(strstr(err, "fell back from libdw to libunwind"), "-k: %s", err);
	(void)trace_err(H_ARGV("--function-time", "-e", "trace=chdir"), prog, &code, &err);
	cr_assert_eq(code, 0);
	cr_expect(strstr(err, "fell back from libunwind to libdw"), "--function-time: %s", err);
}

Test(source_cli, unknown_unwinder_is_a_usage_error)
{
	h_require_renacer();
	struct h_cmd c = {
		.argv = H_ARGV(h_renacer(), "-s", "--unwinder=gdb", "--", "/bin/true"),
		.envp = h_clean_env(),
		.out = H_IO_NULL,
		.err = H_IO_PIPE,
	};
	struct h_res r;
	h_run(&c, &r);
	cr_assert_eq(r.code, 2, "%s", h_describe(&r));
	cr_expect(strstr(r.err, "--unwinder: unknown unwinder 'gdb' (libdw, libunwind)"), "%s", r.err);
}

/* Without debug info: the same lines as without -s, no suffix, exit 0
 * (only the binary's own calls: its dlopen'ed library has debug info). */
static void check_plain(const char *binary)
{
	int c1, c2;
	const char *prog = h_fmt("%s/%s", srcfix_dir(), binary);
	char *with = trace(H_ARGV("-q", "-s", "-e", "trace=chdir,write"), prog, &c1);
	char *without = trace(H_ARGV("-q", "-e", "trace=chdir,write"), prog, &c2);
	cr_assert_eq(c1, 0);
	cr_assert_eq(c2, 0);
	cr_expect_str_eq(with, without);
	cr_expect(!strstr(with, " in f3]"), "unexpected source suffix:\n%s", with);
}

Test(source_cli, stripped_traces_as_without_s) { check_plain("chain_stripped"); }
Test(source_cli, no_g_traces_as_without_s) { check_plain("chain_nog"); }

Test(source_cli, threads_get_their_own_sites)
{
	int code;
	char *t = trace(H_ARGV("-f", "-s", "-e", "trace=chdir"), h_fmt("%s/threads", srcfix_dir()), &code);
	cr_assert_eq(code, 0);
	expect_site(t, "chdir", "\"/tmp\"", "threads.c", "thread_b", "thread_b");
	unsigned a = site_line("threads.c", "thread_a"), m = site_line("threads.c", "thread_main");
	cr_expect(strstr(t, h_fmt("threads.c:%u in thread_a]", a)), "thread_a site missing:\n%s", t);
	cr_expect(strstr(t, h_fmt("threads.c:%u in main]", m)), "main site missing:\n%s", t);
}

Test(source_cli, fork_exec_children_get_their_own_sites)
{
	int code;
	char *t = trace(H_ARGV("-f", "-s", "-e", "trace=chdir"), h_fmt("%s/forkexec", srcfix_dir()), &code);
	cr_assert_eq(code, 0);
	expect_site(t, "chdir", "\"/tmp\"", "forkexec.c", "child", "child_before_exec");
	unsigned p = site_line("forkexec.c", "parent"), x = site_line("exec_target.c", "target");
	cr_expect(strstr(t, h_fmt("forkexec.c:%u in main]", p)), "parent site missing:\n%s", t);
	cr_expect(strstr(t, h_fmt("exec_target.c:%u in target_work]", x)), "exec'd program's site missing:\n%s", t);
}
