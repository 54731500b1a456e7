/* test_build.c — a fresh checkout builds with a plain `make` (issue 12).
 *
 * The repository's files are copied, with their working-tree content, into
 * a temporary directory: what `git ls-files` lists (tracked files, plus the
 * untracked ones that are not ignored, i.e. what the next commit would
 * hold), so the copy has no build output, like a new clone. There, `make -n`
 * without arguments must name build/renacer-c (the default goal is the
 * binary), and `make -j2` without arguments must build it:
 * build/renacer-c --version exits 0.
 *
 * make runs with the test's environment minus make's own variables and the
 * Makefile's (MAKEFLAGS, BUILD, CFLAGS, ...), which the `make integration`
 * running this suite exports: a plain `make`, as a newcomer would type it.
 *
 * The source tree is found through $RENACER_SRC_DIR, else two levels above
 * $SOURCE_SRC_DIR (<repo>/tests/source_fixtures, set by the Makefile), else
 * the current directory. Skipped when git or make is missing or the tree is
 * not a git checkout. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"

/* Long: a whole build of the project from scratch. */
#define BUILD_TIMEOUT_MS 280000

TestSuite(build, .init = h_init, .fini = h_cleanup, .timeout = 300);

/* ------------------------------------------------------------------ */
/* helpers                                                             */

/* mkdir -p of the directory part of PATH (which is under an existing
 * directory). */
static void make_parents(const char *path)
{
	char *p = h_keep(strdup(path));
	cr_assert(p);
	for (char *s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(p, 0755) != 0 && errno != EEXIST)
			cr_assert_fail("mkdir %s: %s", p, strerror(errno));
		*s = '/';
	}
}

static void copy_regular(const char *from, const char *to, mode_t mode)
{
	int in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		cr_assert_fail("open %s: %s", from, strerror(errno));
	int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (out < 0)
		cr_assert_fail("create %s: %s", to, strerror(errno));
	char buf[65536];
	for (;;) {
		ssize_t n = read(in, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			cr_assert_fail("read %s: %s", from, strerror(errno));
		if (n == 0)
			break;
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(out, buf + off, (size_t)(n - off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				cr_assert_fail("write %s: %s", to, strerror(errno));
			off += w;
		}
	}
	close(in);
	if (fchmod(out, mode & 07777) != 0)
		cr_assert_fail("chmod %s: %s", to, strerror(errno));
	if (close(out) != 0)
		cr_assert_fail("close %s: %s", to, strerror(errno));
}

/* Copy ROOT/REL to DEST/REL: a regular file (with its mode) or a symbolic
 * link; anything else (a submodule's directory) is left out. Returns false
 * when ROOT/REL does not exist (deleted in the working tree). */
static bool copy_entry(const char *root, const char *dest, const char *rel)
{
	const char *from = h_fmt("%s/%s", root, rel);
	const char *to = h_fmt("%s/%s", dest, rel);
	struct stat st;
	if (lstat(from, &st) != 0) {
		cr_assert(errno == ENOENT, "lstat %s: %s", from, strerror(errno));
		return false;
	}
	if (S_ISREG(st.st_mode)) {
		make_parents(to);
		copy_regular(from, to, st.st_mode);
		return true;
	}
	if (S_ISLNK(st.st_mode)) {
		char target[PATH_MAX];
		ssize_t n = readlink(from, target, sizeof target - 1);
		cr_assert(n >= 0, "readlink %s: %s", from, strerror(errno));
		target[n] = '\0';
		make_parents(to);
		cr_assert(symlink(target, to) == 0, "symlink %s: %s", to, strerror(errno));
		return true;
	}
	return false;
}

/* The test's environment without make's own variables and those of the
 * Makefile: what the make running the suite passes down. */
static const char *const *plain_env(void)
{
	static const char *const drop[] = {
		"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "GNUMAKEFLAGS", "MAKEFILES",
		"MAKE_TERMOUT", "MAKE_TERMERR", "BUILD", "OPT", "CFLAGS", "CPPFLAGS", "LDFLAGS",
		"LDLIBS", "EXTRA_CFLAGS", "EXTRA_LDFLAGS",
	};
	size_t n = 0;
	while (environ[n])
		n++;
	const char **env = h_keep(calloc(n + 1, sizeof *env));
	cr_assert(env);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const char *eq = strchr(environ[i], '=');
		size_t len = eq ? (size_t)(eq - environ[i]) : strlen(environ[i]);
		bool keep = true;
		for (size_t j = 0; j < sizeof drop / sizeof drop[0]; j++)
			if (strlen(drop[j]) == len && !strncmp(environ[i], drop[j], len))
				keep = false;
		if (keep)
			env[k++] = environ[i];
	}
	env[k] = NULL;
	return env;
}

/* The last 4000 bytes of a command's output, for failure messages. */
static const char *tail(const struct h_res *r)
{
	if (!r->out)
		return "";
	return r->out_len > 4000 ? r->out + r->out_len - 4000 : r->out;
}

/* ------------------------------------------------------------------ */
/* tests                                                               */

Test(build, plain_make_builds_the_binary_in_a_fresh_copy)
{
	const char *git = h_which("git");
	if (!git)
		cr_skip_test("git is not installed");
	const char *make = h_which("make");
	if (!make)
		cr_skip_test("make is not installed");
	const char *root = h_src_root();

	/* The file list, NUL-separated. */
	struct h_res r;
	struct h_cmd ls = {
		.argv = H_ARGV(git, "-C", root, "ls-files", "-z", "--cached", "--others",
			       "--exclude-standard"),
		.out = H_IO_PIPE,
		.err = H_IO_PIPE,
		.timeout_ms = 60000,
	};
	h_run(&ls, &r);
	cr_assert(!r.timed_out, "git ls-files timed out");
	if (r.code != 0)
		cr_skip_test("%s is not a git checkout (git ls-files: %s: %.500s)", root,
			     h_describe(&r), r.err ? r.err : "");

	const char *dest = h_tmp_path("src");
	cr_assert(mkdir(dest, 0755) == 0, "mkdir %s: %s", dest, strerror(errno));
	size_t copied = 0;
	for (size_t off = 0; off < r.out_len;) {
		const char *rel = r.out + off;
		size_t len = strlen(rel);
		off += len + 1;
		if (len && copy_entry(root, dest, rel))
			copied++;
	}
	cr_assert(copied > 0, "git ls-files listed nothing to copy");
	struct stat st;
	cr_assert(stat(h_fmt("%s/Makefile", dest), &st) == 0, "the Makefile was not copied");
	cr_assert(stat(h_fmt("%s/build", dest), &st) != 0, "the copy already has a build directory");

	/* make -n: the default goal is the binary. */
	struct h_res n;
	struct h_cmd dry = {
		.argv = H_ARGV(make, "-n"),
		.envp = plain_env(),
		.cwd = dest,
		.out = H_IO_PIPE,
		.err = H_IO_STDOUT,
		.timeout_ms = 60000,
	};
	h_run(&dry, &n);
	cr_assert(!n.timed_out, "make -n timed out");
	cr_assert(n.code == 0, "make -n: %s\n%s", h_describe(&n), tail(&n));
	cr_expect(strstr(n.out, "-o build/renacer-c"), "make -n does not build build/renacer-c:\n%s",
		  tail(&n));

	/* make -j2: the binary. */
	struct h_res b;
	struct h_cmd mk = {
		.argv = H_ARGV(make, "-j2"),
		.envp = plain_env(),
		.cwd = dest,
		.out = H_IO_PIPE,
		.err = H_IO_STDOUT,
		.timeout_ms = BUILD_TIMEOUT_MS,
	};
	h_run(&mk, &b);
	cr_assert(!b.timed_out, "make -j2 timed out after %d s", BUILD_TIMEOUT_MS / 1000);
	cr_assert(b.code == 0, "make -j2 in a fresh copy: %s\n%s", h_describe(&b), tail(&b));

	const char *bin = h_fmt("%s/build/renacer-c", dest);
	cr_assert(stat(bin, &st) == 0 && S_ISREG(st.st_mode) && access(bin, X_OK) == 0,
		  "make -j2 did not produce build/renacer-c:\n%s", tail(&b));
	struct h_res v;
	struct h_cmd ver = {
		.argv = H_ARGV(bin, "--version"),
		.out = H_IO_PIPE,
		.err = H_IO_PIPE,
	};
	h_run(&ver, &v);
	cr_assert(!v.timed_out && v.code == 0, "build/renacer-c --version: %s\n%s", h_describe(&v),
		  v.err ? v.err : "");
	cr_expect(v.out_len > 0, "build/renacer-c --version printed nothing");
}
