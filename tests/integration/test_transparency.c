/* test_transparency.c — tracing must never change what the program does:
 * for every filter mode, with and without -f, multi-process
 * workloads print the same stdout and end with the same status as when
 * run untraced; the seccomp filter never breaks untraced children nor
 * strips setuid programs of their privileges; a failed exec is reported
 * by renacer-c, not through the program's trace. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"

TestSuite(transparency, .init = h_init, .fini = h_cleanup, .timeout = 60);

#define NNP_NOTICE "renacer-c: seccomp filter installed with no_new_privs"
#define NEEDS_F_NOTICE "renacer-c: --seccomp-bpf needs -f"

/* ------------------------------------------------------------------ */
/* helpers                                                             */

/* A filter mode ("": no -e) with or without -f. Held by value: Criterion
 * copies parameters into the test's own process, where pointers into
 * this one would dangle. */
struct tcase {
	char filter[32];
	bool follow;
};

static const struct tcase cases[] = {
	{ "", false },                    { "", true },
	{ "trace=openat,execve", false }, { "trace=openat,execve", true },
	{ "trace=%file", false },         { "trace=%file", true },
	{ "trace=%process", false },      { "trace=%process", true },
	{ "trace=!write", false },        { "trace=!write", true },
	{ "trace=/^open", false },        { "trace=/^open", true },
};

#define NCASES (sizeof(cases) / sizeof(cases[0]))

static const char *case_str(const struct tcase *c)
{
	return h_fmt("%s%s", c->follow ? "-f " : "", *c->filter ? h_fmt("-e '%s'", c->filter) : "(no filter)");
}

/* argv with stdout and stderr captured, clean environment. */
static void run_cmd(const char *const *argv, const char *cwd, struct h_res *r)
{
	struct h_cmd c = {
		.argv = argv,
		.envp = h_clean_env(),
		.out = H_IO_PIPE,
		.err = H_IO_PIPE,
		.cwd = cwd,
	};
	h_run(&c, r);
	cr_assert(!r->timed_out, "%s: timed out\nstderr:\n%.2000s", h_argv_str(argv), r->err);
}

/* renacer-c [-f] [-e FILTER] -o TRACE -- argv */
static const char *const *traced_argv(const struct tcase *c, const char *const *argv)
{
	const char *const *a = H_ARGV(h_renacer(), "-o", h_tmp_path("trace"));
	if (c->follow)
		a = h_argv_join(a, H_ARGV("-f"));
	if (*c->filter)
		a = h_argv_join(a, H_ARGV("-e", c->filter));
	return h_argv_join(h_argv_join(a, H_ARGV("--")), argv);
}

/* TEXT without lines starting with PREFIX (harness-owned). */
static const char *drop_lines(const char *text, const char *prefix)
{
	const char *out = "";
	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t n = nl ? (size_t)(nl - text + 1) : strlen(text);
		if (strncmp(text, prefix, strlen(prefix)) != 0)
			out = h_fmt("%s%.*s", out, (int)n, text);
		text += n;
	}
	return out;
}

static size_t count_substr(const char *s, const char *needle)
{
	size_t n = 0;
	for (const char *p = s; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* The workload gives the same stdout, stderr and exit status traced as
 * untraced. (Not being root, -f would add the no_new_privs notice: the
 * only line stderr may gain.) */
static void same_as_untraced(const struct tcase *c, const char *const *argv, const char *cwd)
{
	h_require_renacer();
	struct h_res plain, traced;
	run_cmd(argv, cwd, &plain);
	cr_assert_eq(plain.code, 0, "untraced %s: %s\n%s", h_argv_str(argv), h_describe(&plain), plain.err);
	run_cmd(traced_argv(c, argv), cwd, &traced);
	const char *what = h_fmt("%s under renacer-c %s", h_argv_str(argv), case_str(c));
	cr_assert_eq(traced.code, plain.code, "%s: %s, untraced %s\nstderr:\n%s", what, h_describe(&traced),
		     h_describe(&plain), traced.err);
	cr_assert(traced.out_len == plain.out_len && !memcmp(traced.out, plain.out, plain.out_len),
		  "%s: stdout differs\n--- untraced:\n%s\n--- traced:\n%s\n--- stderr:\n%s", what, plain.out,
		  traced.out, traced.err);
	cr_assert_str_eq(drop_lines(traced.err, NNP_NOTICE), plain.err, "%s: stderr differs", what);
}

static void write_text(const char *path, const char *text)
{
	h_write_file(path, text, strlen(text));
}

/* A three-file C project whose `make run` builds and runs a program. */
static const char *make_project(void)
{
	const char *dir = h_tmp_path("proj");
	cr_assert_eq(mkdir(dir, 0755), 0, "mkdir %s", dir);
	write_text(h_fmt("%s/a.c", dir), "int a(void) { return 1; }\n");
	write_text(h_fmt("%s/b.c", dir), "int b(void) { return 2; }\n");
	write_text(h_fmt("%s/main.c", dir),
		   "#include <stdio.h>\nint a(void);\nint b(void);\n"
		   "int main(void) { printf(\"a=%d b=%d\\n\", a(), b()); return 0; }\n");
	write_text(h_fmt("%s/Makefile", dir),
		   "run: prog\n\t./prog\n"
		   "prog: a.o b.o main.o\n\tcc -o prog a.o b.o main.o\n"
		   "%.o: %.c\n\tcc -c -o $@ $<\n");
	return dir;
}

static bool running_as_root(void)
{
	return geteuid() == 0;
}

/* ------------------------------------------------------------------ */
/* Multi-process workloads: every filter mode, with and without -f     */

ParameterizedTestParameters(transparency, sh_pipeline)
{
	return cr_make_param_array(struct tcase, (struct tcase *)cases, NCASES);
}

ParameterizedTest(struct tcase *c, transparency, sh_pipeline)
{
	same_as_untraced(c, H_ARGV("/bin/sh", "-c", "ls /etc/hostname /etc | sort | head -5; echo x"), NULL);
}

ParameterizedTestParameters(transparency, make_c_project)
{
	return cr_make_param_array(struct tcase, (struct tcase *)cases, NCASES);
}

ParameterizedTest(struct tcase *c, transparency, make_c_project)
{
	if (!h_which("make") || !h_which("cc"))
		cr_skip_test("make or cc is not installed");
	const char *dir = make_project();
	/* -B: both runs compile everything */
	same_as_untraced(c, H_ARGV("make", "-B", "-s", "--no-print-directory", "run"), dir);
}

ParameterizedTestParameters(transparency, python_subprocess)
{
	return cr_make_param_array(struct tcase, (struct tcase *)cases, NCASES);
}

ParameterizedTest(struct tcase *c, transparency, python_subprocess)
{
	const char *py = h_which("python3");
	if (!py)
		cr_skip_test("python3 is not installed");
	same_as_untraced(c, H_ARGV(py, "-c", "import subprocess; subprocess.run([\"echo\", \"hi\"])"), NULL);
}

/* ------------------------------------------------------------------ */
/* Privileges                                                          */

/* A set-user-ID program keeps its privileges under the in-kernel filter
 * (root needs no no_new_privs to install it). */
Test(transparency, setuid_passwd_as_root)
{
	const char *passwd = h_which("passwd");
	const char *setpriv = h_which("setpriv");
	struct stat st;
	if (!running_as_root() || !passwd || !setpriv || stat(passwd, &st) != 0 || !(st.st_mode & S_ISUID))
		cr_skip_test("needs root, a set-user-ID passwd and setpriv");
	const struct tcase c = { "trace=execve", true };
	same_as_untraced(&c, H_ARGV(setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", passwd, "-S",
				    "nobody"),
			 NULL);
}

/* As root the filter goes in without no_new_privs, and no notice. */
Test(transparency, no_new_privs_not_set_as_root)
{
	if (!running_as_root())
		cr_skip_test("needs root");
	h_require_renacer();
	struct h_res r;
	run_cmd(H_ARGV(h_renacer(), "-f", "-e", "trace=openat", "-o", h_tmp_path("trace"), "--",
		       h_fixture("tr_nnp")),
		NULL, &r);
	cr_assert_eq(r.code, 0, "%s\n%s", h_describe(&r), r.err);
	cr_assert_str_eq(r.out, "0\n", "no_new_privs was set in the traced program; stderr:\n%s", r.err);
	cr_assert_str_eq(r.err, "", "no notice expected as root");
}

/* Without CAP_SYS_ADMIN the kernel demands no_new_privs: renacer-c sets it
 * and says so once (not with -q). Run as nobody through setpriv. */
Test(transparency, no_new_privs_needed_is_announced)
{
	const char *setpriv = h_which("setpriv");
	if (!running_as_root() || !setpriv)
		cr_skip_test("needs root and setpriv to become an unprivileged user");
	h_require_renacer();
	const char *const *as_nobody = H_ARGV(setpriv, "--reuid=65534", "--regid=65534", "--clear-groups");
	const char *const *trace = H_ARGV(h_renacer(), "-f", "-e", "trace=openat", "-o", "/dev/null");
	const char *const *prog = H_ARGV("--", h_fixture("tr_nnp"));
	struct h_res r;
	run_cmd(h_argv_join(as_nobody, h_argv_join(trace, prog)), "/", &r);
	cr_assert_eq(r.code, 0, "%s\n%s", h_describe(&r), r.err);
	cr_assert_str_eq(r.out, "1\n", "stderr:\n%s", r.err);
	cr_assert_eq(count_substr(r.err, NNP_NOTICE), 1, "one notice expected:\n%s", r.err);
	run_cmd(h_argv_join(as_nobody, h_argv_join(h_argv_join(trace, H_ARGV("-q")), prog)), "/", &r);
	cr_assert_eq(r.code, 0, "%s\n%s", h_describe(&r), r.err);
	cr_assert_str_eq(r.err, "", "-q: no notice expected");
}

/* ------------------------------------------------------------------ */
/* --seccomp-bpf without -f                                            */

Test(transparency, seccomp_bpf_without_f_falls_back)
{
	h_require_renacer();
	const char *const *trace = H_ARGV(h_renacer(), "--seccomp-bpf", "-e", "trace=openat", "-o",
					  h_tmp_path("trace"));
	const char *const *prog = H_ARGV("--", "/bin/sh", "-c", "ls /etc/hostname | cat; echo x");
	struct h_res r;
	run_cmd(h_argv_join(trace, prog), NULL, &r);
	cr_assert_eq(r.code, 0, "%s\n%s", h_describe(&r), r.err);
	cr_assert_str_eq(r.out, "/etc/hostname\nx\n", "stderr:\n%s", r.err);
	cr_assert_eq(count_substr(r.err, NEEDS_F_NOTICE), 1, "one notice expected:\n%s", r.err);
	cr_assert_str_eq(drop_lines(r.err, NEEDS_F_NOTICE), "", "only the notice expected:\n%s", r.err);
	run_cmd(h_argv_join(h_argv_join(trace, H_ARGV("-q")), prog), NULL, &r);
	cr_assert_eq(r.code, 0, "%s\n%s", h_describe(&r), r.err);
	cr_assert_str_eq(r.out, "/etc/hostname\nx\n");
	cr_assert_str_eq(r.err, "", "-q: no notice expected");
}

/* ------------------------------------------------------------------ */
/* Exec failure                                                        */

/* An executable file the kernel cannot run (ENOEXEC). */
static const char *garbage_program(void)
{
	const char *f = h_tmp_path("garbage");
	h_write_file(f, "\x01\x02garbage\n", 10);
	cr_assert_eq(chmod(f, 0755), 0);
	return f;
}

static void check_exec_failure(const char *const *opts)
{
	h_require_renacer();
	const char *trace = h_tmp_path("trace");
	const char *f = garbage_program();
	struct h_res r;
	run_cmd(h_argv_join(h_argv_join(H_ARGV(h_renacer(), "-o", trace), opts), H_ARGV("--", f)), NULL, &r);
	const char *what = h_argv_str(opts);
	cr_assert_eq(r.code, 126, "%s: %s\n%s", what, h_describe(&r), r.err);
	cr_assert_str_eq(drop_lines(r.err, NNP_NOTICE), "renacer-c: exec: Exec format error\n", "%s", what);
	const char *text = h_slurp(trace, NULL);
	cr_assert(!strstr(text, "write(2"), "%s: the child's message is in the trace:\n%s", what, text);
	cr_assert(!strstr(text, "exit_group("), "%s: the child's exit is in the trace:\n%s", what, text);
	cr_assert(strstr(text, "+++ exited with 126 +++"), "%s: its end is reported:\n%s", what, text);
}

Test(transparency, exec_failure_reported_by_renacer)
{
	check_exec_failure(H_ARGV(NULL));
	const char *text = h_slurp(h_tmp_path("trace"), NULL);
	cr_assert(strstr(text, "execve(") && strstr(text, "= -1 ENOEXEC (Exec format error)"),
		  "the failed execve is shown, as strace does:\n%s", text);
	check_exec_failure(H_ARGV("-f", "-e", "trace=%process"));
	check_exec_failure(H_ARGV("-e", "trace=openat"));
}
