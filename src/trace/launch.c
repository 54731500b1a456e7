/* launch.c — fork+exec under PTRACE_SEIZE, and -p attach. */
#include "launch.h"

#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "linereader.h"
#include "tracer.h"
#include "diag.h"

#ifndef PTRACE_EVENT_STOP
#define PTRACE_EVENT_STOP 128
#endif

static int check_candidate(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return errno == EACCES ? RC_NOEXEC : RC_NOTFOUND;
	if (S_ISDIR(st.st_mode))
		return RC_NOEXEC;
	if (access(path, X_OK) != 0)
		return RC_NOEXEC;
	return 0;
}

int resolve_command(const char *cmd, char *out, size_t outlen)
{
	if (!*cmd) {
		diag("empty command name");
		return RC_NOTFOUND;
	}
	if (strchr(cmd, '/')) {
		int rc = check_candidate(cmd);
		if (rc == RC_NOTFOUND)
			diag("%s: No such file or directory", cmd);
		else if (rc == RC_NOEXEC)
			diag("%s: cannot execute: %s", cmd,
				access(cmd, F_OK) == 0 ? "Permission denied" : strerror(errno));
		if (rc == 0)
			snprintf(out, outlen, "%s", cmd);
		return rc;
	}
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	int best = RC_NOTFOUND;
	char cand[PATH_MAX];
	while (*path) {
		const char *colon = strchrnul(path, ':');
		size_t dlen = (size_t)(colon - path);
		if (dlen == 0)
			snprintf(cand, sizeof(cand), "./%s", cmd);
		else
			snprintf(cand, sizeof(cand), "%.*s/%s", (int)dlen, path, cmd);
		int rc = check_candidate(cand);
		if (rc == 0) {
			snprintf(out, outlen, "%s", cand);
			return 0;
		}
		if (rc == RC_NOEXEC && best == RC_NOTFOUND) {
			best = RC_NOEXEC;
			snprintf(out, outlen, "%s", cand);
		}
		path = *colon ? colon + 1 : colon;
	}
	if (best == RC_NOTFOUND)
		diag("%s: command not found", cmd);
	else
		diag("%s: cannot execute: Permission denied", out);
	return best;
}

/* Wait for tid's PTRACE_EVENT_STOP after PTRACE_INTERRUPT, passing any
 * other stop through. Returns 0, or -1 if it died. */
static int wait_for_interrupt_stop(pid_t tid)
{
	for (;;) {
		int st;
		pid_t r = waitpid(tid, &st, __WALL);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (!WIFSTOPPED(st))
			return -1;
		if ((st >> 16) == PTRACE_EVENT_STOP)
			return 0;
		/* A signal raced with us: deliver it and keep waiting. */
		int sig = (st >> 16) == 0 ? WSTOPSIG(st) : 0;
		ptrace(PTRACE_CONT, tid, NULL, (void *)(long)sig);
		ptrace(PTRACE_INTERRUPT, tid, NULL, NULL);
	}
}

/* What the child tells the tracer just before its execve. Its own writes
 * would show in the trace as the program's, so it prints nothing. */
enum { SC_NONE, SC_INSTALLED, SC_NNP, SC_FAILED };
struct launch_report {
	int seccomp;
	int err;   /* SC_FAILED: why */
};

/* In the child: wait until the tracer has seized us, install the filter,
 * report, exec. The tracer sees the failed execve and reports it. */
static _Noreturn void child_exec(struct tracer *tr, const char *path, int go_fd, int rep_fd)
{
	char byte;
	while (read(go_fd, &byte, 1) < 0 && errno == EINTR)
		;
	signal(SIGPIPE, SIG_DFL);
	struct launch_report r = { SC_NONE, 0 };
	/* If this fails the tracer never sees a seccomp stop and simply keeps
	 * tracing every call: slower, never wrong. */
	if (tr->use_seccomp) {
		bool nnp;
		if (seccomp_install(&tr->sprog, &nnp) == 0) {
			r.seccomp = nnp ? SC_NNP : SC_INSTALLED;
		} else {
			r.seccomp = SC_FAILED;
			r.err = errno;
		}
	}
	if (write(rep_fd, &r, sizeof(r)) != (ssize_t)sizeof(r)) {
		/* The tracer then prints no notice; tracing is unaffected. */
	}
	const struct tracer_config *o = &tr->cfg;
	/* -E: the program's environment (this child's, never renacer-c's) */
	for (int i = 0; i < o->nenv; i++) {
		if (strchr(o->env_ops[i], '='))
			putenv(o->env_ops[i]);
		else
			unsetenv(o->env_ops[i]);
	}
	/* -u USER: its groups, then its ids; a failure must not run the
	 * program as root */
	if (o->user && (initgroups(o->user, o->user_gid) != 0 || setgid(o->user_gid) != 0 ||
			setuid(o->user_uid) != 0))
		_exit(RC_NOEXEC);
	if (o->argv0)
		o->command[0] = (char *)o->argv0;
	execv(path, o->command);
	_exit(errno == ENOENT ? RC_NOTFOUND : RC_NOEXEC);
}

/* The child's report: print the notices it calls for, once. */
static void read_report(struct tracer *tr)
{
	struct launch_report r = { SC_NONE, 0 };
	ssize_t n = read(tr->report_fd, &r, sizeof(r));
	close(tr->report_fd);
	tr->report_fd = -1;
	if (n != (ssize_t)sizeof(r))
		return;
	if (r.seccomp == SC_FAILED)
		diag("seccomp filter not installed (%s); tracing without it",
			strerror(r.err));
	else if (r.seccomp == SC_NNP && !tr->cfg.quiet)
		diag("seccomp filter installed with no_new_privs (setuid programs will run "
				"without their privileges; use --no-seccomp-bpf to avoid)");
}

void launch_exec_done(struct tracer *tr, struct task *t, long rval, bool is_error)
{
	if (!tr->launch_pending || t->tid != tr->main_pid || (t->nr != SYS_execve && t->nr != SYS_execveat))
		return;
	tr->launch_pending = false;
	/* Notices and the failure come after the execve line, as in strace. */
	for (int i = 0; i < tr->nwriters; i++)
		writer_flush(tr->writers[i]);
	read_report(tr);
	if (!is_error)
		return;
	/* As strace: the failed execve shows, then renacer-c's own message;
	 * the child's _exit does not, its death does. */
	diag("exec: %s", strerror((int)-rval));
	t->hidden = true;
	tr->launch_failed = true;
}

/* Launch failed after fork: the child must not run untraced. */
static int abandon_child(struct tracer *tr, pid_t pid, int go_fd)
{
	kill(pid, SIGKILL);
	close(go_fd);
	close(tr->report_fd);
	tr->report_fd = -1;
	tr->launch_pending = false;
	waitpid(pid, NULL, 0);
	return RC_FAIL;
}

int launch_program(struct tracer *tr)
{
	const struct tracer_config *o = &tr->cfg;
	char path[PATH_MAX];
	int rc = resolve_command(o->command[0], path, sizeof(path));
	if (rc != 0)
		return rc;

	int go[2], rep[2];
	if (pipe2(go, O_CLOEXEC) != 0) {
		diag("pipe: %s", strerror(errno));
		return RC_FAIL;
	}
	/* Non-blocking: the tracer reads it at a stop of the child, never
	 * waits on it. */
	if (pipe2(rep, O_CLOEXEC | O_NONBLOCK) != 0) {
		diag("pipe: %s", strerror(errno));
		close(go[0]);
		close(go[1]);
		return RC_FAIL;
	}
	pid_t pid = fork();
	if (pid < 0) {
		diag("fork: %s", strerror(errno));
		close(go[0]);
		close(go[1]);
		close(rep[0]);
		close(rep[1]);
		return RC_FAIL;
	}
	if (pid == 0) {
		close(go[1]);
		close(rep[0]);
		child_exec(tr, path, go[0], rep[1]);
	}
	close(go[0]);
	close(rep[1]);
	tr->report_fd = rep[0];
	tr->launch_pending = true;

	unsigned long opts = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL;
	if (tr->use_seccomp) /* a filtered call with no tracer would fail: EXITKILL is essential */
		opts |= PTRACE_O_TRACESECCOMP;
	if (o->follow)
		opts |= PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE;
	if (ptrace(PTRACE_SEIZE, pid, NULL, (void *)opts) != 0) {
		diag("ptrace(PTRACE_SEIZE, %ld): %s", (long)pid, strerror(errno));
		return abandon_child(tr, pid, go[1]);
	}
	if (ptrace(PTRACE_INTERRUPT, pid, NULL, NULL) != 0 || wait_for_interrupt_stop(pid) != 0) {
		diag("cannot stop the new process: %s", strerror(errno));
		return abandon_child(tr, pid, go[1]);
	}
	struct task *t = task_add(&tr->tasks, pid);
	if (!t) {
		diag("out of memory");
		return abandon_child(tr, pid, go[1]);
	}
	t->hidden = true; /* until its execve */
	tr->main_pid = pid;
	struct proc *p = procs_get(&tr->procs, pid, 0);
	if (p)
		p->ppid = getpid();
	/* Reset the clock so ts_ns counts from the program's start. */
	clock_gettime(CLOCK_MONOTONIC, &tr->start_mono);
	clock_gettime(CLOCK_REALTIME, &tr->start_real);
	ptrace(PTRACE_SYSCALL, pid, NULL, NULL);
	/* Release the child. */
	if (write(go[1], "g", 1) != 1) {
		/* It can still proceed on EOF. */
	}
	close(go[1]);
	return 0;
}

static int attach_error(pid_t tid, int err)
{
	if (err == ESRCH) {
		diag("attach: no such process: %ld", (long)tid);
		return RC_FAIL;
	}
	char scope[16] = "", buf[64];
	struct linereader lr;
	if (linereader_open(&lr, "/proc/sys/kernel/yama/ptrace_scope", buf, sizeof(buf)) == 0) {
		size_t n;
		const char *line = linereader_next(&lr, &n);
		if (line)
			snprintf(scope, sizeof(scope), "%s", line);
		linereader_close(&lr);
	}
	if (err == EPERM && scope[0] && strcmp(scope, "0") != 0)
		diag("attach: ptrace(PTRACE_SEIZE, %ld): %s (kernel.yama.ptrace_scope is %s; "
		     "run as root or set it to 0)",
		     (long)tid, strerror(err), scope);
	else
		diag("attach: ptrace(PTRACE_SEIZE, %ld): %s", (long)tid, strerror(err));
	return RC_FAIL;
}

static int seize_one(struct tracer *tr, pid_t tid, pid_t tgid)
{
	if (task_find(&tr->tasks, tid))
		return 0;
	unsigned long opts = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXEC;
	if (tr->cfg.follow)
		opts |= PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE;
	if (ptrace(PTRACE_SEIZE, tid, NULL, (void *)opts) != 0)
		return errno;
	if (ptrace(PTRACE_INTERRUPT, tid, NULL, NULL) != 0) {
		int e = errno;
		ptrace(PTRACE_DETACH, tid, NULL, NULL);
		return e;
	}
	struct task *t = task_add(&tr->tasks, tid);
	if (!t) {
		ptrace(PTRACE_DETACH, tid, NULL, NULL);
		return ENOMEM;
	}
	t->pid = tgid;
	t->attached = true;
	if (tgid && !procs_find(&tr->procs, tgid)) {
		struct proc *p = procs_get(&tr->procs, tgid, 0);
		if (p) {
			procs_refresh_exe(p);
			p->ppid = proc_status_field(tgid, "PPid", 0);
		}
	}
	if (tr->tasks.ever > 1)
		tr->multi = true;
	if (!tr->cfg.quiet)
		diag("Process %ld attached", (long)tid);
	return 0;
}

int attach_processes(struct tracer *tr)
{
	const struct tracer_config *o = &tr->cfg;
	for (int i = 0; i < o->nattach; i++) {
		pid_t pid = o->attach[i];
		if (pid == getpid()) {
			diag("attach: I'm sorry, I can't let you do that: %ld is renacer-c itself",
				(long)pid);
			return RC_FAIL;
		}
		int err = 0;
		if (o->follow) {
			char dir[64];
			snprintf(dir, sizeof(dir), "/proc/%ld/task", (long)pid);
			DIR *d = opendir(dir);
			if (!d) {
				err = errno == ENOENT ? ESRCH : errno;
			} else {
				struct dirent *de;
				/* The leader first, so it is the one interrupted on ^C. */
				err = seize_one(tr, pid, pid);
				while (!err && (de = readdir(d))) {
					long tid = strtol(de->d_name, NULL, 10);
					if (tid > 0 && tid != pid)
						err = seize_one(tr, (pid_t)tid, pid);
					if (err == ESRCH) /* a thread that just exited */
						err = 0;
				}
				closedir(d);
			}
		} else {
			err = seize_one(tr, pid, 0);
			if (!err) {
				struct task *t = task_find(&tr->tasks, pid);
				if (t)
					t->pid = pid;
			}
		}
		if (err) {
			int rc = attach_error(pid, err);
			/* Let go of whatever was attached already. */
			tr->detaching = true;
			return rc;
		}
	}
	return 0;
}
