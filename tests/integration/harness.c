/* harness.c — see harness.h. */
#include "harness.h"

#include <criterion/criterion.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/close_range.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* ------------------------------------------------------------------ */
/* Ownership: everything lives until h_cleanup().                      */

static void **kept;
static size_t nkept, capkept;
static char tmpdir_buf[PATH_MAX];
static bool have_tmpdir;

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		cr_assert_fail("harness: out of memory (%zu bytes)", n);
	return p;
}

static void *xrealloc(void *old, size_t n)
{
	void *p = realloc(old, n ? n : 1);
	if (!p)
		cr_assert_fail("harness: out of memory (%zu bytes)", n);
	return p;
}

void *h_keep(void *ptr)
{
	if (!ptr)
		return NULL;
	if (nkept == capkept) {
		size_t ncap = capkept ? capkept * 2 : 64;
		void **nk = realloc(kept, ncap * sizeof *nk);
		if (!nk) {
			free(ptr);
			cr_assert_fail("harness: out of memory");
		}
		kept = nk;
		capkept = ncap;
	}
	kept[nkept++] = ptr;
	return ptr;
}

static char *kstrndup(const char *s, size_t n)
{
	char *d = xmalloc(n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return h_keep(d);
}

static char *kstrdup(const char *s)
{
	return kstrndup(s, strlen(s));
}

const char *h_fmt(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = NULL;
	int r = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (r < 0)
		cr_assert_fail("harness: vasprintf failed");
	return h_keep(s);
}

static void rm_tree(const char *path, int depth)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode) && depth < 8) {
		DIR *d = opendir(path);
		if (d) {
			struct dirent *de;
			while ((de = readdir(d)) != NULL) {
				if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
					continue;
				char sub[PATH_MAX];
				int n = snprintf(sub, sizeof sub, "%s/%s", path, de->d_name);
				if (n > 0 && (size_t)n < sizeof sub)
					rm_tree(sub, depth + 1);
			}
			closedir(d);
		}
		if (rmdir(path) != 0)
			fprintf(stderr, "harness: rmdir %s: %s\n", path, strerror(errno));
	} else if (unlink(path) != 0) {
		fprintf(stderr, "harness: unlink %s: %s\n", path, strerror(errno));
	}
}

void h_init(void)
{
	/* Criterion may run several tests in one worker: start clean. */
	nkept = 0;
	have_tmpdir = false;
}

void h_cleanup(void)
{
	if (have_tmpdir) {
		/* core files or anything else the tracee left: remove all, unless
		 * H_KEEP_TMP is set (to look at the traces of a failing test) */
		const char *keep = getenv("H_KEEP_TMP");
		if (keep && *keep && strcmp(keep, "0"))
			fprintf(stderr, "harness: keeping %s\n", tmpdir_buf);
		else
			rm_tree(tmpdir_buf, 0);
		have_tmpdir = false;
	}
	for (size_t i = 0; i < nkept; i++)
		free(kept[i]);
	free(kept);
	kept = NULL;
	nkept = capkept = 0;
}

const char *h_tmpdir(void)
{
	if (!have_tmpdir) {
		int n = snprintf(tmpdir_buf, sizeof tmpdir_buf, "/tmp/renacer-it.%d.XXXXXX",
				 (int)getpid());
		if (n < 0 || (size_t)n >= sizeof tmpdir_buf)
			cr_assert_fail("harness: tmpdir name");
		if (!mkdtemp(tmpdir_buf))
			cr_assert_fail("harness: mkdtemp: %s", strerror(errno));
		have_tmpdir = true;
	}
	return tmpdir_buf;
}

const char *h_tmp_path(const char *name)
{
	return h_fmt("%s/%s", h_tmpdir(), name);
}

/* ------------------------------------------------------------------ */
/* Locations                                                           */

/* Relative paths are made absolute, so that a command run with another
 * working directory still finds them. */
static const char *absolute(const char *s)
{
	if (s[0] == '/')
		return s;
	char cwd[PATH_MAX];
	if (!getcwd(cwd, sizeof cwd))
		cr_assert_fail("getcwd: %s", strerror(errno));
	return h_fmt("%s/%s", cwd, s);
}

const char *h_renacer(void)
{
	const char *s = getenv("RENACER_C");
	return absolute((s && *s) ? s : "build/renacer-c");
}

const char *h_fixtures_dir(void)
{
	const char *s = getenv("FIXTURES_DIR");
	return absolute((s && *s) ? s : "build/fixtures");
}

const char *h_fixture(const char *name)
{
	const char *p = h_fmt("%s/%s", h_fixtures_dir(), name);
	if (access(p, X_OK) != 0)
		cr_assert_fail("fixture %s is not built (%s); run `make fixtures`", p,
			       strerror(errno));
	return p;
}

void h_require_renacer(void)
{
	const char *p = h_renacer();
	if (access(p, X_OK) != 0)
		cr_assert_fail("renacer-c binary %s is not executable (%s); set RENACER_C",
			       p, strerror(errno));
}

const char *h_which(const char *prog)
{
	static const char *const dirs[] = {"/usr/bin", "/bin", "/usr/sbin", "/sbin",
					   "/usr/local/bin"};
	if (strchr(prog, '/'))
		return access(prog, X_OK) == 0 ? prog : NULL;
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		const char *p = h_fmt("%s/%s", dirs[i], prog);
		if (access(p, X_OK) == 0)
			return p;
	}
	return NULL;
}

bool h_have_strace(void)
{
	return h_which("strace") != NULL;
}

const char *const *h_clean_env(void)
{
	const char *home = getenv("HOME");
	const char **env = h_keep(xmalloc(16 * sizeof *env));
	size_t n = 0;
	env[n++] = "PATH=/usr/bin:/bin";
	env[n++] = "LC_ALL=C";
	env[n++] = "LANG=C";
	env[n++] = h_fmt("HOME=%s", home && *home ? home : "/root");
	env[n++] = "PYTHONHASHSEED=0";
	env[n++] = "PYTHONDONTWRITEBYTECODE=1";
	env[n++] = h_fmt("RENACER_C=%s", h_renacer());
	env[n++] = h_fmt("FIXTURES_DIR=%s", h_fixtures_dir());
	/* Sanitizer settings of `make asan` must reach the tracer. */
	static const char *const pass[] = { "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS" };
	for (size_t i = 0; i < sizeof(pass) / sizeof(pass[0]); i++) {
		const char *v = getenv(pass[i]);
		if (v)
			env[n++] = h_fmt("%s=%s", pass[i], v);
	}
	env[n] = NULL;
	return env;
}

double h_now(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		cr_assert_fail("clock_gettime: %s", strerror(errno));
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------------ */
/* Files                                                               */

char *h_read_file(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	size_t cap = 4096, n = 0;
	char *buf = xmalloc(cap);
	for (;;) {
		if (cap - n < 4096) {
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		ssize_t r = read(fd, buf + n, cap - n - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			free(buf);
			close(fd);
			errno = e;
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	if (len)
		*len = n;
	return h_keep(buf);
}

char *h_slurp(const char *path, size_t *len)
{
	char *s = h_read_file(path, len);
	if (!s)
		cr_assert_fail("cannot read %s: %s", path, strerror(errno));
	return s;
}

void h_write_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		cr_assert_fail("cannot create %s: %s", path, strerror(errno));
	const char *p = data;
	while (len) {
		ssize_t w = write(fd, p, len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			close(fd);
			cr_assert_fail("write %s: %s", path, strerror(e));
		}
		p += w;
		len -= (size_t)w;
	}
	if (close(fd) != 0)
		cr_assert_fail("close %s: %s", path, strerror(errno));
}

/* ------------------------------------------------------------------ */
/* Running                                                             */

static void buf_append(char **buf, size_t *len, size_t *cap, const char *d, size_t n);

static const char *resolve_prog(const char *prog, const char *const *envp)
{
	if (strchr(prog, '/'))
		return prog;
	const char *path = NULL;
	if (envp) {
		for (size_t i = 0; envp[i]; i++)
			if (!strncmp(envp[i], "PATH=", 5))
				path = envp[i] + 5;
	} else {
		path = getenv("PATH");
	}
	if (!path)
		path = "/usr/bin:/bin";
	const char *s = path;
	while (*s) {
		const char *e = strchr(s, ':');
		size_t l = e ? (size_t)(e - s) : strlen(s);
		if (l) {
			const char *cand = h_fmt("%.*s/%s", (int)l, s, prog);
			if (access(cand, X_OK) == 0)
				return cand;
		}
		if (!e)
			break;
		s = e + 1;
	}
	return prog; /* execve fails with ENOENT: reported as exec_errno */
}

static const char *const *build_env(const struct h_cmd *cmd)
{
	const char *const *base = cmd->envp ? cmd->envp : (const char *const *)environ;
	size_t nb = 0, na = 0;
	while (base && base[nb])
		nb++;
	while (cmd->env_add && cmd->env_add[na])
		na++;
	const char **env = h_keep(xmalloc((nb + na + 1) * sizeof *env));
	size_t n = 0;
	for (size_t i = 0; i < nb; i++) {
		const char *eq = strchr(base[i], '=');
		size_t kl = eq ? (size_t)(eq - base[i]) + 1 : strlen(base[i]);
		bool overridden = false;
		for (size_t j = 0; j < na; j++)
			if (!strncmp(cmd->env_add[j], base[i], kl))
				overridden = true;
		if (!overridden)
			env[n++] = base[i];
	}
	for (size_t j = 0; j < na; j++)
		env[n++] = cmd->env_add[j];
	env[n] = NULL;
	return env;
}

const char *const *h_argv_join(const char *const *a, const char *const *b)
{
	size_t na = 0, nb = 0;
	while (a && a[na])
		na++;
	while (b && b[nb])
		nb++;
	const char **v = h_keep(xmalloc((na + nb + 1) * sizeof *v));
	for (size_t i = 0; i < na; i++)
		v[i] = a[i];
	for (size_t i = 0; i < nb; i++)
		v[na + i] = b[i];
	v[na + nb] = NULL;
	return v;
}

const char *h_argv_str(const char *const *argv)
{
	struct { char *s; size_t len, cap; } b = {0};
	for (size_t i = 0; argv && argv[i]; i++) {
		const char *a = argv[i];
		bool plain = *a != '\0';
		for (const char *c = a; *c; c++)
			if (!isalnum((unsigned char)*c) && !strchr("/._-=,+%:@", *c))
				plain = false;
		if (i)
			buf_append(&b.s, &b.len, &b.cap, " ", 1);
		if (plain) {
			buf_append(&b.s, &b.len, &b.cap, a, strlen(a));
			continue;
		}
		buf_append(&b.s, &b.len, &b.cap, "'", 1);
		for (const char *c = a; *c; c++) {
			if (*c == '\'')
				buf_append(&b.s, &b.len, &b.cap, "'\\''", 4);
			else
				buf_append(&b.s, &b.len, &b.cap, c, 1);
		}
		buf_append(&b.s, &b.len, &b.cap, "'", 1);
	}
	return b.s ? h_keep(b.s) : "";
}

static void child_fail(int errfd, int e)
{
	ssize_t w = write(errfd, &e, sizeof e);
	(void)w;
	_exit(127);
}

static int child_open_out(enum h_io io, const char *path, int pipe_w, int target,
			  int errfd)
{
	int fd = -1;
	switch (io) {
	case H_IO_NULL:
		fd = open("/dev/null", O_WRONLY);
		break;
	case H_IO_PIPE:
		fd = pipe_w;
		break;
	case H_IO_FILE:
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		break;
	case H_IO_INHERIT:
		return 0;
	case H_IO_STDOUT:
		fd = 1;
		break;
	}
	if (fd < 0)
		child_fail(errfd, errno);
	if (fd != target) {
		if (dup2(fd, target) < 0)
			child_fail(errfd, errno);
	} else {
		/* pipe fds are CLOEXEC: clear it on the target */
		if (fcntl(target, F_SETFD, 0) < 0)
			child_fail(errfd, errno);
	}
	return 0;
}

void h_spawn(const struct h_cmd *cmd, struct h_proc *p)
{
	memset(p, 0, sizeof *p);
	p->outfd = p->errfd = p->pidfd = -1;
	if (!cmd->argv || !cmd->argv[0])
		cr_assert_fail("h_spawn: empty argv");
	const char *prog = resolve_prog(cmd->argv[0], cmd->envp);
	const char *const *env = build_env(cmd);

	int opipe[2] = {-1, -1}, epipe[2] = {-1, -1}, xpipe[2];
	if (cmd->out == H_IO_PIPE && pipe2(opipe, O_CLOEXEC) != 0)
		cr_assert_fail("pipe2: %s", strerror(errno));
	if (cmd->err == H_IO_PIPE && pipe2(epipe, O_CLOEXEC) != 0)
		cr_assert_fail("pipe2: %s", strerror(errno));
	if (pipe2(xpipe, O_CLOEXEC) != 0)
		cr_assert_fail("pipe2: %s", strerror(errno));

	p->start = h_now();
	p->own_pgrp = !cmd->own_pgrp_off;
	pid_t pid = fork();
	if (pid < 0)
		cr_assert_fail("fork: %s", strerror(errno));
	if (pid == 0) {
		int xfd = xpipe[1];
		if (p->own_pgrp && setpgid(0, 0) != 0)
			child_fail(xfd, errno);
		/* a clean signal state: default dispositions, nothing blocked */
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = SIG_DFL;
		for (int s = 1; s < NSIG; s++)
			if (s != SIGKILL && s != SIGSTOP)
				sigaction(s, &sa, NULL); /* EINVAL for 32/33 is fine */
		sigset_t none;
		sigemptyset(&none);
		if (sigprocmask(SIG_SETMASK, &none, NULL) != 0)
			child_fail(xfd, errno);
		if (cmd->core_limit) {
			struct rlimit rl;
			if (getrlimit(RLIMIT_CORE, &rl) != 0)
				child_fail(xfd, errno);
			rl.rlim_cur = cmd->core_limit == 1 ? 0 : rl.rlim_max;
			if (setrlimit(RLIMIT_CORE, &rl) != 0)
				child_fail(xfd, errno);
		}
		if (cmd->cwd && chdir(cmd->cwd) != 0)
			child_fail(xfd, errno);
		int in = open(cmd->in_path ? cmd->in_path : "/dev/null", O_RDONLY);
		if (in < 0)
			child_fail(xfd, errno);
		if (in != 0) {
			if (dup2(in, 0) < 0)
				child_fail(xfd, errno);
			close(in);
		}
		child_open_out(cmd->out, cmd->out_path, opipe[1], 1, xfd);
		child_open_out(cmd->err, cmd->err_path, epipe[1], 2, xfd);
		/* nothing but 0, 1, 2 survives the exec: the test runner's own
		 * descriptors would otherwise shift the tracee's fd numbers */
		if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) != 0)
			for (int fd = 3; fd < 4096; fd++)
				if (fd != xfd)
					close(fd);
		execve(prog, (char *const *)cmd->argv, (char *const *)env);
		child_fail(xfd, errno);
	}
	p->pid = pid;
	close(xpipe[1]);
	int e = 0;
	ssize_t r;
	do {
		r = read(xpipe[0], &e, sizeof e);
	} while (r < 0 && errno == EINTR);
	close(xpipe[0]);
	if (opipe[1] >= 0)
		close(opipe[1]);
	if (epipe[1] >= 0)
		close(epipe[1]);
	p->outfd = opipe[0];
	p->errfd = epipe[0];
	if (r == (ssize_t)sizeof e) {
		/* exec (or setup) failed: reap now, remember errno */
		p->pidfd = -1;
		int st;
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		p->pid = -e; /* marker: negative errno */
		return;
	}
	long pfd = syscall(SYS_pidfd_open, pid, 0);
	p->pidfd = pfd >= 0 ? (int)pfd : -1;
}

static void buf_append(char **buf, size_t *len, size_t *cap, const char *d, size_t n)
{
	if (*len + n + 1 > *cap) {
		size_t nc = *cap ? *cap : 4096;
		while (*len + n + 1 > nc)
			nc *= 2;
		*buf = xrealloc(*buf, nc);
		*cap = nc;
	}
	memcpy(*buf + *len, d, n);
	*len += n;
	(*buf)[*len] = '\0';
}

/* Read what is available from *fd; closes it at EOF. */
static void drain_fd(int *fd, char **buf, size_t *len, size_t *cap)
{
	char tmp[65536];
	ssize_t r = read(*fd, tmp, sizeof tmp);
	if (r > 0) {
		buf_append(buf, len, cap, tmp, (size_t)r);
	} else if (r == 0 || (errno != EINTR && errno != EAGAIN)) {
		close(*fd);
		*fd = -1;
	}
}

static int poll_proc(struct h_proc *p, int timeout_ms, bool want_exit)
{
	struct pollfd fds[3];
	int n = 0, io = -1, ie = -1, ip = -1;
	if (p->outfd >= 0) {
		io = n;
		fds[n++] = (struct pollfd){.fd = p->outfd, .events = POLLIN};
	}
	if (p->errfd >= 0) {
		ie = n;
		fds[n++] = (struct pollfd){.fd = p->errfd, .events = POLLIN};
	}
	if (want_exit && p->pidfd >= 0) {
		ip = n;
		fds[n++] = (struct pollfd){.fd = p->pidfd, .events = POLLIN};
	}
	if (want_exit && p->pidfd < 0 && timeout_ms > 10)
		timeout_ms = 10; /* no pidfd: poll waitpid */
	int r = poll(fds, (nfds_t)n, timeout_ms);
	if (r < 0) {
		if (errno == EINTR)
			return 0;
		cr_assert_fail("poll: %s", strerror(errno));
	}
	if (io >= 0 && fds[io].revents)
		drain_fd(&p->outfd, &p->out, &p->out_len, &p->out_cap);
	if (ie >= 0 && fds[ie].revents)
		drain_fd(&p->errfd, &p->err, &p->err_len, &p->err_cap);
	return ip >= 0 && fds[ip].revents ? 1 : 0;
}

const char *h_read_line(struct h_proc *p, int timeout_ms)
{
	double deadline = h_now() + timeout_ms / 1000.0;
	while ((!p->out || !strchr(p->out, '\n')) && p->outfd >= 0) {
		double left = deadline - h_now();
		if (left <= 0)
			break;
		poll_proc(p, (int)(left * 1000) + 1, false);
	}
	return p->out ? p->out : "";
}

static void kill_proc(struct h_proc *p)
{
	if (p->own_pgrp)
		kill(-p->pid, SIGKILL);
	kill(p->pid, SIGKILL);
}

void h_wait(struct h_proc *p, int timeout_ms, struct h_res *res)
{
	memset(res, 0, sizeof *res);
	if (timeout_ms <= 0)
		timeout_ms = H_DEFAULT_TIMEOUT_MS;
	if (p->pid < 0) {
		res->exec_errno = (int)-p->pid;
		res->code = 127;
		res->status = 127 << 8;
		res->out = kstrdup("");
		res->err = kstrdup("");
		if (p->outfd >= 0)
			close(p->outfd);
		if (p->errfd >= 0)
			close(p->errfd);
		return;
	}
	double deadline = h_now() + timeout_ms / 1000.0;
	bool exited = false;
	int st = 0;
	while (!exited) {
		double left = deadline - h_now();
		if (left <= 0)
			break;
		poll_proc(p, (int)(left * 1000) + 1, true);
		pid_t w = waitpid(p->pid, &st, WNOHANG);
		if (w == p->pid)
			exited = true;
		else if (w < 0 && errno != EINTR)
			cr_assert_fail("waitpid: %s", strerror(errno));
	}
	if (!exited) {
		res->timed_out = true;
		kill_proc(p);
		while (waitpid(p->pid, &st, 0) < 0 && errno == EINTR)
			;
	} else if (p->own_pgrp) {
		/* Leftovers of the group (an orphaned tracee) must not outlive the test */
		kill(-p->pid, SIGKILL);
	}
	/* Collect the rest of the output: pipes may still be held by
	 * grandchildren for a moment; give them a short grace period. */
	double grace = h_now() + (res->timed_out ? 0.2 : 2.0);
	while ((p->outfd >= 0 || p->errfd >= 0) && h_now() < grace)
		poll_proc(p, 50, false);
	if (p->outfd >= 0)
		close(p->outfd);
	if (p->errfd >= 0)
		close(p->errfd);
	if (p->pidfd >= 0)
		close(p->pidfd);
	p->outfd = p->errfd = p->pidfd = -1;
	res->secs = h_now() - p->start;
	res->status = st;
	if (res->timed_out)
		res->code = -1;
	else if (WIFEXITED(st))
		res->code = WEXITSTATUS(st);
	else if (WIFSIGNALED(st))
		res->code = 128 + WTERMSIG(st);
	else
		res->code = -1;
	res->out = p->out ? h_keep(p->out) : kstrdup("");
	res->out_len = p->out_len;
	res->err = p->err ? h_keep(p->err) : kstrdup("");
	res->err_len = p->err_len;
	p->out = p->err = NULL;
}

void h_run(const struct h_cmd *cmd, struct h_res *res)
{
	struct h_proc p;
	h_spawn(cmd, &p);
	h_wait(&p, cmd->timeout_ms, res);
}

const char *h_describe(const struct h_res *res)
{
	if (res->timed_out)
		return h_fmt("timed out after %.1f s", res->secs);
	if (res->exec_errno)
		return h_fmt("exec failed: %s", strerror(res->exec_errno));
	if (WIFEXITED(res->status))
		return h_fmt("exit %d", WEXITSTATUS(res->status));
	if (WIFSIGNALED(res->status))
		return h_fmt("killed by signal %d (%s)%s", WTERMSIG(res->status),
			     strsignal(WTERMSIG(res->status)),
			     WCOREDUMP(res->status) ? " (core dumped)" : "");
	return h_fmt("status 0x%x", res->status);
}

/* ------------------------------------------------------------------ */
/* Trace parsing                                                       */

static bool is_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* Parse one line (in place: RAW is a harness-owned copy). */
static void parse_line(char *raw, int lineno, struct h_line *L)
{
	memset(L, 0, sizeof *L);
	L->raw = raw;
	L->lineno = lineno;
	L->eq_col = -1;
	L->kind = H_LINE_OTHER;
	char *p = raw;

	if (!strncmp(p, "[pid", 4)) {
		char *q = p + 4;
		while (*q == ' ')
			q++;
		if (isdigit((unsigned char)*q)) {
			char *e;
			long v = strtol(q, &e, 10);
			if (*e == ']') {
				L->pid = v;
				L->bracket_pid = true;
				p = e + 1;
				if (*p == ' ')
					p++;
			}
		}
	} else if (isdigit((unsigned char)*p)) {
		char *e;
		long v = strtol(p, &e, 10);
		if (*e == ' ') {
			L->pid = v;
			p = e;
			while (*p == ' ')
				p++;
		}
	}

	/* timestamp: -t "12:34:56", -tt "12:34:56.123456", -ttt
	 * "1700000000.123456", -r "     0.000123" */
	{
		char *q = p;
		while (*q == ' ')
			q++;
		if (isdigit((unsigned char)*q)) {
			char *e = q;
			bool punct = false;
			while (isdigit((unsigned char)*e) || *e == ':' || *e == '.') {
				if (*e == ':' || *e == '.')
					punct = true;
				e++;
			}
			if (punct && *e == ' ') {
				*e = '\0';
				L->ts = q;
				p = e + 1;
			}
		}
	}
	L->body = p;

	size_t blen = strlen(p);
	if (!strncmp(p, "--- ", 4)) {
		L->kind = H_LINE_SIGNAL;
		return;
	}
	if (!strncmp(p, "+++ ", 4)) {
		L->kind = H_LINE_EXIT;
		return;
	}
	char *rest;
	if (!strncmp(p, "<... ", 5)) {
		char *n = p + 5, *e = n;
		while (is_name_char(*e))
			e++;
		if (e == n || strncmp(e, " resumed>", 9))
			return;
		L->name = kstrndup(n, (size_t)(e - n));
		L->resumed = true;
		rest = e + 9;
	} else {
		char *e = p;
		while (is_name_char(*e))
			e++;
		if (e == p || *e != '(')
			return;
		L->name = kstrndup(p, (size_t)(e - p));
		rest = e + 1;
	}
	L->kind = H_LINE_CALL;

	/* trim trailing blanks */
	while (blen && (p[blen - 1] == ' ' || p[blen - 1] == '\r'))
		p[--blen] = '\0';
	static const char *const unf[] = {"<unfinished ...>", "<detached ...>"};
	for (size_t i = 0; i < 2; i++) {
		size_t ul = strlen(unf[i]);
		if (blen >= ul && !strcmp(p + blen - ul, unf[i])) {
			L->unfinished = true;
			return;
		}
	}
	/* the result follows the last " = " of the line */
	char *eq = NULL;
	for (char *s = rest; (s = strstr(s, " = ")) != NULL; s++)
		eq = s;
	if (!eq)
		return; /* malformed: a call without a result */
	L->eq_col = (long)(eq + 1 - raw);
	L->call_len = (long)(eq - raw);
	while (L->call_len > 0 && raw[L->call_len - 1] == ' ')
		L->call_len--;
	char *res = eq + 3;
	size_t rl = strlen(res);
	if (rl >= 3 && res[rl - 1] == '>') {
		char *lt = strrchr(res, '<');
		if (lt && lt > res && lt[-1] == ' ') {
			res[rl - 1] = '\0';
			L->dur = lt + 1;
			lt[-1] = '\0';
		}
	}
	L->result = res;
}

static struct h_task *task_for(struct h_trace *t, long pid, size_t *cap)
{
	for (size_t i = 0; i < t->ntasks; i++)
		if (t->tasks[i].pid == pid)
			return &t->tasks[i];
	if (t->ntasks == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		t->tasks = xrealloc(t->tasks, *cap * sizeof *t->tasks);
	}
	struct h_task *k = &t->tasks[t->ntasks++];
	memset(k, 0, sizeof *k);
	k->pid = pid;
	return k;
}

static struct h_call *add_call(struct h_task *k)
{
	if (k->ncalls == k->cap) {
		k->cap = k->cap ? k->cap * 2 : 64;
		k->calls = xrealloc(k->calls, k->cap * sizeof *k->calls);
	}
	struct h_call *c = &k->calls[k->ncalls++];
	memset(c, 0, sizeof *c);
	return c;
}

static void add_event(struct h_task *k, const char *body)
{
	if (k->nevents == k->ecap) {
		k->ecap = k->ecap ? k->ecap * 2 : 8;
		k->events = xrealloc(k->events, k->ecap * sizeof *k->events);
	}
	k->events[k->nevents++] = body;
}

struct h_trace *h_parse_trace(const char *text, size_t len)
{
	struct h_trace *t = h_keep(xmalloc(sizeof *t));
	memset(t, 0, sizeof *t);
	char *copy = kstrndup(text, len);
	size_t nl = 1;
	for (size_t i = 0; i < len; i++)
		if (copy[i] == '\n')
			nl++;
	t->lines = h_keep(xmalloc(nl * sizeof *t->lines));
	size_t tcap = 0;
	/* pending unfinished call per task: index into calls, or SIZE_MAX */
	size_t *pending = NULL;
	size_t pcap = 0;

	char *s = copy;
	int lineno = 0;
	while (s < copy + len) {
		char *e = memchr(s, '\n', (size_t)(copy + len - s));
		if (e)
			*e = '\0';
		lineno++;
		if (*s) {
			struct h_line *L = &t->lines[t->nlines++];
			parse_line(s, lineno, L);
			if (L->kind != H_LINE_OTHER) {
				struct h_task *k = task_for(t, L->pid, &tcap);
				size_t ti = (size_t)(k - t->tasks);
				if (pcap < tcap) {
					pending = xrealloc(pending, tcap * sizeof *pending);
					for (size_t j = pcap; j < tcap; j++)
						pending[j] = SIZE_MAX;
					pcap = tcap;
				}
				if (L->kind == H_LINE_CALL) {
					if (L->resumed && pending[ti] != SIZE_MAX) {
						struct h_call *c = &k->calls[pending[ti]];
						c->result = L->result;
						pending[ti] = SIZE_MAX;
						if (L->unfinished) /* "<... x resumed> <unfinished ...>" */
							pending[ti] = (size_t)(c - k->calls);
					} else {
						struct h_call *c = add_call(k);
						c->name = L->name;
						c->result = L->result;
						c->lineno = L->lineno;
						c->raw = L->raw;
						pending[ti] = L->unfinished ? (size_t)(c - k->calls) : SIZE_MAX;
					}
				} else {
					add_event(k, L->body);
					if (L->kind == H_LINE_EXIT)
						k->last_exit = L->body;
				}
			}
		}
		if (!e)
			break;
		s = e + 1;
	}
	free(pending);
	/* the per-task arrays are owned by the harness too */
	h_keep(t->tasks);
	for (size_t i = 0; i < t->ntasks; i++) {
		h_keep(t->tasks[i].calls);
		h_keep(t->tasks[i].events);
	}
	return t;
}

struct h_trace *h_parse_trace_file(const char *path)
{
	size_t len;
	char *s = h_slurp(path, &len);
	return h_parse_trace(s, len);
}

size_t h_count_calls(const struct h_trace *t, const char *name)
{
	size_t n = 0;
	for (size_t i = 0; i < t->nlines; i++)
		if (t->lines[i].kind == H_LINE_CALL && !t->lines[i].resumed &&
		    !strcmp(t->lines[i].name, name))
			n++;
	return n;
}

/* ------------------------------------------------------------------ */
/* Normalisation                                                       */

static bool in_list(const char *name, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (!strcmp(name, list[i]))
			return true;
	return false;
}

static const char *const addr_calls[] = {"mmap", "mremap", "brk", "shmat", NULL};
static const char *const pid_calls[] = {"clone", "clone3", "fork", "vfork", "wait4",
					"getpid", "gettid", "getppid", "getpgid", "getpgrp",
					"getsid", "setsid", "set_tid_address", NULL};
static const char *const time_calls[] = {"time", "times", "gettimeofday", "clock_gettime",
					 "clock_getres", "clock_nanosleep", "nanosleep",
					 "poll", "ppoll", "select", "pselect6", "epoll_wait",
					 "epoll_pwait", "epoll_pwait2", NULL};
static const char *const dropped_calls[] = {"futex", "rt_sigreturn", "restart_syscall",
					    NULL};

const char *h_norm_result(const char *name, const char *result, char *buf, size_t n)
{
	if (!result) {
		snprintf(buf, n, "?");
		return buf;
	}
	const char *r = result;
	while (*r == ' ')
		r++;
	if (r[0] == '?') {
		const char *q = r + 1;
		while (*q == ' ')
			q++;
		if (!strncmp(q, "ERESTART", 8)) {
			snprintf(buf, n, "ERESTART");
			return buf;
		}
		snprintf(buf, n, "?");
		return buf;
	}
	char *end;
	errno = 0;
	long long v = strtoll(r, &end, 0);
	if (end == r) {
		/* not a number: keep the first token */
		size_t l = strcspn(r, " ");
		snprintf(buf, n, "%.*s", (int)l, r);
		return buf;
	}
	bool hex = !strncmp(r, "0x", 2) || !strncmp(r, "0X", 2);
	if (hex) {
		/* strtoll saturates on 0xffff...; reread unsigned */
		unsigned long long u = strtoull(r, &end, 16);
		v = (long long)u;
		if (u >= 0x10000 || in_list(name, addr_calls)) {
			snprintf(buf, n, "addr");
			return buf;
		}
	}
	if (v < 0) {
		/* "-1 ENOENT (...)" */
		const char *q = end;
		while (*q == ' ')
			q++;
		if (*q == 'E') {
			size_t l = 0;
			while (isupper((unsigned char)q[l]) || isdigit((unsigned char)q[l]) ||
			       q[l] == '_')
				l++;
			if (!strncmp(q, "ERESTART", 8))
				snprintf(buf, n, "ERESTART");
			else
				snprintf(buf, n, "%.*s", (int)l, q);
			return buf;
		}
		snprintf(buf, n, "%lld", v);
		return buf;
	}
	if (in_list(name, addr_calls))
		snprintf(buf, n, "addr");
	else if (in_list(name, pid_calls))
		snprintf(buf, n, "pid");
	else if (in_list(name, time_calls))
		snprintf(buf, n, "ok");
	else
		snprintf(buf, n, "%lld", v);
	return buf;
}

bool h_call_ignored(const char *name, const char *result)
{
	if (in_list(name, dropped_calls))
		return true;
	char b[64];
	return !strcmp(h_norm_result(name, result, b, sizeof b), "ERESTART");
}

/* A normalised task: one string per kept call, plus its exit line. */
struct nseq {
	const struct h_task *task;
	const char **items;
	const char **raws;
	int *linenos;
	size_t n;
	size_t first; /* index of task in its trace */
};

static const char *norm_exit(const char *body)
{
	/* "+++ superseded by execve in pid 123 +++" -> "... pid N +++" */
	char *s = kstrdup(body);
	char *p = strstr(s, "pid ");
	if (p) {
		char *d = p + 4;
		char *e = d;
		while (isdigit((unsigned char)*e))
			e++;
		if (e > d) {
			*d = 'N';
			memmove(d + 1, e, strlen(e) + 1);
		}
	}
	return s;
}

static struct nseq *normalise(const struct h_trace *t)
{
	struct nseq *v = h_keep(xmalloc((t->ntasks + 1) * sizeof *v));
	for (size_t i = 0; i < t->ntasks; i++) {
		const struct h_task *k = &t->tasks[i];
		struct nseq *q = &v[i];
		q->task = k;
		q->first = i;
		q->items = h_keep(xmalloc((k->ncalls + 1) * sizeof *q->items));
		q->raws = h_keep(xmalloc((k->ncalls + 1) * sizeof *q->raws));
		q->linenos = h_keep(xmalloc((k->ncalls + 1) * sizeof *q->linenos));
		q->n = 0;
		for (size_t j = 0; j < k->ncalls; j++) {
			const struct h_call *c = &k->calls[j];
			if (h_call_ignored(c->name, c->result))
				continue;
			char b[64];
			q->items[q->n] =
				h_fmt("%s = %s", c->name, h_norm_result(c->name, c->result, b, sizeof b));
			q->raws[q->n] = c->raw;
			q->linenos[q->n] = c->lineno;
			q->n++;
		}
		if (k->last_exit) {
			q->items[q->n] = norm_exit(k->last_exit);
			q->raws[q->n] = k->last_exit;
			q->linenos[q->n] = 0;
			q->n++;
		}
	}
	return v;
}

static bool seq_equal(const struct nseq *a, const struct nseq *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->items[i], b->items[i]))
			return false;
	return true;
}

static size_t common_prefix(const struct nseq *a, const struct nseq *b)
{
	size_t i = 0;
	while (i < a->n && i < b->n && !strcmp(a->items[i], b->items[i]))
		i++;
	return i;
}

struct sbuf {
	char *s;
	size_t len, cap;
};

static void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = NULL;
	int r = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (r < 0)
		cr_assert_fail("vasprintf failed");
	buf_append(&b->s, &b->len, &b->cap, s, (size_t)r);
	free(s);
}

static void describe_task(struct sbuf *b, const char *label, const struct nseq *q, size_t at,
			  size_t ctx)
{
	size_t from = at > ctx ? at - ctx : 0;
	sb_printf(b, "  %s (task #%zu, pid %ld, %zu normalised calls):\n", label, q->first + 1,
		  q->task->pid, q->n);
	for (size_t i = from; i < q->n && i <= at + 1; i++) {
		if (q->linenos[i])
			sb_printf(b, "   %s [%zu] %-28s | line %d: %.160s\n", i == at ? ">>" : "  ", i,
				  q->items[i], q->linenos[i], q->raws[i]);
		else
			sb_printf(b, "   %s [%zu] %s\n", i == at ? ">>" : "  ", i, q->items[i]);
	}
	if (at >= q->n)
		sb_printf(b, "   >> [%zu] (end of task)\n", at);
}

bool h_compare_traces(const struct h_trace *a, const char *label_a, const struct h_trace *b,
		      const char *label_b, const char **report)
{
	struct nseq *na = normalise(a), *nb = normalise(b);
	bool *ma = h_keep(xmalloc(a->ntasks + 1)), *mb = h_keep(xmalloc(b->ntasks + 1));
	memset(ma, 0, a->ntasks + 1);
	memset(mb, 0, b->ntasks + 1);
	size_t unmatched = 0;
	/* 1: exact matches, in order of first appearance */
	for (size_t i = 0; i < a->ntasks; i++)
		for (size_t j = 0; j < b->ntasks; j++)
			if (!mb[j] && seq_equal(&na[i], &nb[j])) {
				ma[i] = mb[j] = true;
				break;
			}
	struct sbuf sb = {0};
	for (size_t i = 0; i < a->ntasks; i++)
		if (!ma[i])
			unmatched++;
	for (size_t j = 0; j < b->ntasks; j++)
		if (!mb[j])
			unmatched++;
	if (!unmatched) {
		*report = "";
		return true;
	}
	sb_printf(&sb, "traces differ: %s has %zu tasks, %s has %zu tasks\n", label_a, a->ntasks,
		  label_b, b->ntasks);
	/* 2: pair the leftovers by longest common prefix */
	for (size_t i = 0; i < a->ntasks; i++) {
		if (ma[i])
			continue;
		size_t best = SIZE_MAX, bestlen = 0;
		for (size_t j = 0; j < b->ntasks; j++) {
			if (mb[j])
				continue;
			size_t l = common_prefix(&na[i], &nb[j]);
			if (best == SIZE_MAX || l > bestlen) {
				best = j;
				bestlen = l;
			}
		}
		ma[i] = true;
		if (best == SIZE_MAX) {
			sb_printf(&sb, "- task only in %s:\n", label_a);
			describe_task(&sb, label_a, &na[i], 0, 0);
			continue;
		}
		mb[best] = true;
		sb_printf(&sb, "- first difference at normalised call %zu:\n", bestlen);
		describe_task(&sb, label_a, &na[i], bestlen, 4);
		describe_task(&sb, label_b, &nb[best], bestlen, 4);
	}
	for (size_t j = 0; j < b->ntasks; j++) {
		if (mb[j])
			continue;
		sb_printf(&sb, "- task only in %s:\n", label_b);
		describe_task(&sb, label_b, &nb[j], 0, 0);
	}
	*report = h_keep(sb.s);
	return false;
}

/* ------------------------------------------------------------------ */
/* -c summary                                                          */

static const char sum_header[] = "% time     seconds  usecs/call     calls    errors syscall";
static const char sum_divider[] = "------ ----------- ----------- --------- --------- ----------------";

static bool parse_row(const char *line, struct h_sumrow *r, const char **why)
{
	memset(r, 0, sizeof *r);
	char name[64], errs[32];
	int consumed = 0;
	/* errors column may be blank: try both shapes */
	if (sscanf(line, "%lf %lf %lu %lu %31s %63s%n", &r->pct, &r->secs, &r->usecs, &r->calls,
		   errs, name, &consumed) == 6 &&
	    line[consumed] == '\0') {
		char *e;
		r->errors = strtoul(errs, &e, 10);
		if (*e) {
			*why = h_fmt("bad errors column in: %s", line);
			return false;
		}
	} else if (sscanf(line, "%lf %lf %lu %lu %63s%n", &r->pct, &r->secs, &r->usecs,
			  &r->calls, name, &consumed) == 5 &&
		   line[consumed] == '\0') {
		r->errors = 0;
		snprintf(errs, sizeof errs, "%s", "");
	} else {
		*why = h_fmt("row does not parse: \"%s\"", line);
		return false;
	}
	snprintf(r->name, sizeof r->name, "%s", name);
	char errcol[32] = "";
	if (r->errors)
		snprintf(errcol, sizeof errcol, "%lu", r->errors);
	char *again = NULL;
	if (asprintf(&again, "%6.2f %11.6f %11lu %9lu %9s %s", r->pct, r->secs, r->usecs,
		     r->calls, errcol, r->name) < 0)
		cr_assert_fail("asprintf failed");
	h_keep(again);
	if (strcmp(again, line)) {
		*why = h_fmt("row is not in strace's layout:\n  got:      \"%s\"\n  expected: \"%s\"",
			     line, again);
		return false;
	}
	return true;
}

struct h_summary *h_parse_summary(const char *text, const char **why)
{
	*why = "";
	const char *h = strstr(text, sum_header);
	if (!h) {
		*why = "no \"% time     seconds  usecs/call ...\" header line";
		return NULL;
	}
	if (h != text && h[-1] != '\n') {
		*why = "header does not start a line";
		return NULL;
	}
	struct h_summary *s = h_keep(xmalloc(sizeof *s));
	memset(s, 0, sizeof *s);
	size_t cap = 0;
	const char *p = h;
	int state = 0; /* 0 header, 1 first divider, 2 rows, 3 total, 4 done */
	while (*p && state < 4) {
		const char *e = strchr(p, '\n');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		char *line = kstrndup(p, l);
		switch (state) {
		case 0:
			if (strcmp(line, sum_header)) {
				*why = h_fmt("header line differs: \"%s\"", line);
				return NULL;
			}
			state = 1;
			break;
		case 1:
			if (strcmp(line, sum_divider)) {
				*why = h_fmt("divider line differs: \"%s\"", line);
				return NULL;
			}
			state = 2;
			break;
		case 2:
			if (!strcmp(line, sum_divider)) {
				state = 3;
				break;
			}
			if (s->nrows == cap) {
				cap = cap ? cap * 2 : 32;
				s->rows = xrealloc(s->rows, cap * sizeof *s->rows);
			}
			if (!parse_row(line, &s->rows[s->nrows], why)) {
				free(s->rows);
				s->rows = NULL;
				return NULL;
			}
			s->nrows++;
			break;
		case 3:
			if (!parse_row(line, &s->total, why)) {
				free(s->rows);
				s->rows = NULL;
				return NULL;
			}
			if (strcmp(s->total.name, "total")) {
				*why = h_fmt("total line expected, got \"%s\"", line);
				free(s->rows);
				s->rows = NULL;
				return NULL;
			}
			state = 4;
			break;
		}
		if (!e)
			break;
		p = e + 1;
	}
	h_keep(s->rows);
	if (state != 4) {
		*why = h_fmt("table ends early (state %d)", state);
		return NULL;
	}
	return s;
}

const struct h_sumrow *h_summary_find(const struct h_summary *s, const char *name)
{
	for (size_t i = 0; i < s->nrows; i++)
		if (!strcmp(s->rows[i].name, name))
			return &s->rows[i];
	return NULL;
}

/* ------------------------------------------------------------------ */
/* LeakSanitizer: Criterion's parallel runner (--jobs 2) leaks one small
 * allocation of its own; it is not ours, so do not fail `make asan` on it.
 * (LSan calls this hook when present; it is inert in other builds.) */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libcriterion.so\n";
}

void h_rc_run(const char *const *args, struct h_res *r, int timeout_ms, int core_limit)
{
	h_require_renacer();
	struct h_cmd c = {
		.argv = h_argv_join(H_ARGV(h_renacer()), args),
		.envp = h_clean_env(),
		.out = H_IO_PIPE,
		.err = H_IO_PIPE,
		.timeout_ms = timeout_ms,
		.core_limit = core_limit,
	};
	h_run(&c, r);
	if (r->timed_out)
		cr_assert_fail("renacer-c %s: timed out\nstderr:\n%.2000s", h_argv_str(args), r->err ? r->err : "");
}

const char *h_src_root(void)
{
	const char *cand[3] = {NULL, NULL, "."};
	const char *env = getenv("RENACER_SRC_DIR");
	if (env && *env)
		cand[0] = env;
	env = getenv("SOURCE_SRC_DIR");
	if (env && *env)
		cand[1] = h_fmt("%s/../..", env);
	for (int i = 0; i < 3; i++) {
		if (!cand[i])
			continue;
		char *real = realpath(cand[i], NULL);
		struct stat mk, man;
		if (real && stat(h_fmt("%s/Makefile", real), &mk) == 0 && S_ISREG(mk.st_mode) &&
		    stat(h_fmt("%s/man/renacer-c.1", real), &man) == 0 && S_ISREG(man.st_mode))
			return h_keep(real);
		free(real);
	}
	cr_assert_fail("cannot find the source tree (Makefile, man/renacer-c.1): set RENACER_SRC_DIR "
		       "or SOURCE_SRC_DIR");
	return NULL;
}
