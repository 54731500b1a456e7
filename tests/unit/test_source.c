/* test_source.c — source_unwind on real tracees: each test runs a fixture
 * from tests/source_fixtures/ under a minimal ptrace loop of its own
 * (TRACEME, then PTRACE_SYSCALL), stops at the syscalls of interest,
 * unwinds there and compares the call site with the "@site:NAME" marker
 * line in the fixture source. Like the engine, the loop calls
 * source_maps_changed after a successful mmap/munmap/mremap/mprotect and
 * source_forget_process after exec and at exit.
 *
 * Every test runs with each unwinder (source_libunwind repeats the
 * source suite with libunwind), the fallback off, so each is tested on its
 * own; source_agree unwinds every stop of every fixture (and of bash and
 * python3) with both and compares the frames; source_fallback covers the
 * fixture where each unwinder fails once and the fallback.
 *
 * Environment: SOURCE_FIXTURES_DIR (the built fixtures) and SOURCE_SRC_DIR
 * (tests/source_fixtures, for the markers). */
#include <criterion/criterion.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include "source.h"

#define MAX_TASKS 32
#define MAX_FRAMES 64

/* The unwinder of the resolvers a test makes (resolver_new). */
static enum source_unwinder g_unwinder = SOURCE_UNWINDER_LIBDW;

static struct source_resolver *resolver_new(void)
{
	struct source_resolver *r = source_new(MAX_FRAMES);

	cr_assert_not_null(r);
	source_set_unwinder(r, g_unwinder, false);
	return r;
}

static const char *env_dir(const char *name)
{
	const char *d = getenv(name);

	cr_assert(d && *d, "%s is not set (the Makefile exports it)", name);
	return d;
}

static void fixture_path(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/%s", env_dir("SOURCE_FIXTURES_DIR"), name);
	cr_assert_eq(access(buf, X_OK), 0, "fixture %s missing: build the source fixtures", buf);
}

/* The line of the "@site:TAG" marker in SOURCE_SRC_DIR/FILE (exactly one). */
static unsigned site_line(const char *file, const char *tag)
{
	char path[4096], line[1024], marker[128];
	unsigned no = 0, found = 0, count = 0;

	snprintf(path, sizeof(path), "%s/%s", env_dir("SOURCE_SRC_DIR"), file);
	snprintf(marker, sizeof(marker), "@site:%s ", tag);
	FILE *f = fopen(path, "r");
	cr_assert_not_null(f, "%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		no++;
		if (strstr(line, marker)) {
			found = no;
			count++;
		}
	}
	fclose(f);
	cr_assert_eq(count, 1, "%s: %u markers %s", file, count, marker);
	return found;
}

static const char *base_name(const char *p)
{
	const char *s = p ? strrchr(p, '/') : NULL;

	return s ? s + 1 : p;
}

/* Symbol names at -O2 may carry a clone suffix (f0.constprop.0). */
static bool sym_is(const char *sym, const char *want)
{
	size_t n = strlen(want);

	return sym && strncmp(sym, want, n) == 0 && (sym[n] == '\0' || sym[n] == '.');
}

/* ---- a minimal tracer ---- */

struct task {
	pid_t tid, tgid;
	long nr; /* the syscall in progress (entry seen), -1 when none */
};

struct tracer;
typedef void (*entry_cb)(struct tracer *t, struct task *tk,
			 const struct __ptrace_syscall_info *si);

struct tracer {
	struct source_resolver *r;
	struct source_resolver *r2; /* a second resolver kept in step (source_agree) */
	pid_t root;
	struct task tasks[MAX_TASKS];
	unsigned ntasks;
	entry_cb on_entry;
	void *user;
	bool no_maps_changed; /* leave refreshing to the miss path */
};

static pid_t tgid_of(pid_t tid)
{
	char path[64], buf[4096];
	pid_t tgid = tid;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	FILE *f = fopen(path, "r");
	if (!f)
		return tid;
	while (fgets(buf, sizeof(buf), f))
		if (sscanf(buf, "Tgid: %d", &tgid) == 1)
			break;
	fclose(f);
	return tgid;
}

static struct task *task_of(struct tracer *t, pid_t tid)
{
	for (unsigned i = 0; i < t->ntasks; i++)
		if (t->tasks[i].tid == tid)
			return &t->tasks[i];
	cr_assert_lt(t->ntasks, MAX_TASKS);
	struct task *tk = &t->tasks[t->ntasks++];
	tk->tid = tid;
	tk->tgid = tgid_of(tid);
	tk->nr = -1;
	return tk;
}

static void task_gone(struct tracer *t, pid_t tid)
{
	for (unsigned i = 0; i < t->ntasks; i++) {
		if (t->tasks[i].tid == tid) {
			if (t->tasks[i].tgid == tid) {
				source_forget_process(t->r, tid);
				if (t->r2)
					source_forget_process(t->r2, tid);
			}
			t->tasks[i] = t->tasks[--t->ntasks];
			return;
		}
	}
}

static bool changes_maps(long nr)
{
	return nr == SYS_mmap || nr == SYS_munmap || nr == SYS_mremap || nr == SYS_mprotect;
}

/* Runs exe (argv) to completion under ptrace; returns its exit status. */
static int trace_run(struct tracer *t, const char *exe, char *const argv[])
{
	int st;
	pid_t pid = fork();

	cr_assert_geq(pid, 0);
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);
		if (fd >= 0)
			dup2(fd, STDOUT_FILENO);
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0)
			_exit(126);
		raise(SIGSTOP);
		execv(exe, argv);
		_exit(127);
	}
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP);
	long opts = PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL | PTRACE_O_TRACEEXEC |
		    PTRACE_O_TRACECLONE | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK;
	cr_assert_eq(ptrace(PTRACE_SETOPTIONS, pid, NULL, (void *)opts), 0);
	t->root = pid;
	task_of(t, pid);
	cr_assert_eq(ptrace(PTRACE_SYSCALL, pid, NULL, NULL), 0);

	int exit_status = -1;
	while (t->ntasks > 0) {
		pid_t tid = waitpid(-1, &st, __WALL);
		if (tid < 0 && errno == EINTR)
			continue;
		cr_assert_gt(tid, 0, "waitpid: %s", strerror(errno));
		if (WIFEXITED(st) || WIFSIGNALED(st)) {
			if (tid == pid)
				exit_status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
			task_gone(t, tid);
			continue;
		}
		cr_assert(WIFSTOPPED(st));
		struct task *tk = task_of(t, tid);
		int sig = 0;
		int event = st >> 16;
		if (WSTOPSIG(st) == (SIGTRAP | 0x80)) {
			struct __ptrace_syscall_info si;
			long n = ptrace(PTRACE_GET_SYSCALL_INFO, tid, (void *)sizeof(si), &si);
			cr_assert_gt(n, 0, "PTRACE_GET_SYSCALL_INFO: %s", strerror(errno));
			if (si.op == PTRACE_SYSCALL_INFO_ENTRY) {
				tk->nr = (long)si.entry.nr;
				if (t->on_entry)
					t->on_entry(t, tk, &si);
			} else if (si.op == PTRACE_SYSCALL_INFO_EXIT) {
				if (changes_maps(tk->nr) && !si.exit.is_error && !t->no_maps_changed) {
					source_maps_changed(t->r, tk->tgid);
					if (t->r2)
						source_maps_changed(t->r2, tk->tgid);
				}
				tk->nr = -1;
			}
		} else if (WSTOPSIG(st) == SIGTRAP && event == PTRACE_EVENT_EXEC) {
			/* A non-leader exec takes the leader's tid; our fixtures
			 * exec single-threaded. */
			source_forget_process(t->r, tk->tgid);
			if (t->r2)
				source_forget_process(t->r2, tk->tgid);
			tk->nr = -1;
		} else if (WSTOPSIG(st) == SIGTRAP && event != 0) {
			/* fork/clone events: the new task reports its own stop */
		} else if (WSTOPSIG(st) == SIGSTOP && event == 0) {
			/* the initial stop of an auto-attached task */
		} else {
			sig = WSTOPSIG(st);
		}
		ptrace(PTRACE_SYSCALL, tid, NULL, (void *)(long)sig);
	}
	return exit_status;
}

/* ---- the call chain ---- */

struct chain_expect {
	bool dlopen;      /* the variant loads libchain_dl.so */
	bool debug;       /* the executable's DWARF is reachable */
	const char *exe;  /* fixture name */
};

struct chain_seen {
	const struct chain_expect *ex;
	int stage;        /* 0: want chdir, 1: write, 2: openat, 3: umask, 4: done */
	unsigned chdirs;
	bool notice;
	const char *notice_exe;
	const char *libc_module;
	unsigned nframes_chdir;
};

static void expect_loc(const struct source_loc *loc, const char *file, const char *tag,
		       const char *function)
{
	unsigned line = site_line(file, tag);

	cr_assert_not_null(loc, "no source location at @site:%s", tag);
	cr_assert_str_eq(base_name(loc->file), file, "@site:%s: file %s", tag, loc->file);
	cr_assert_eq(loc->line, line, "@site:%s: line %u, want %u", tag, loc->line, line);
	cr_assert_not_null(loc->function, "@site:%s: no function", tag);
	cr_assert_str_eq(loc->function, function, "@site:%s", tag);
}

static void check_chain_frames(const struct stack_frame *fr, int n, const char *exe_path)
{
	static const struct {
		const char *sym, *file, *tag;
	} want[] = {
		{ "f3", "chain_b.c", "chdir" }, { "f2", "chain_b.c", "f3" },
		{ "f1", "chain_a.c", "f2" },    { "f0", "chain_a.c", "f1" },
		{ "main", "chain_main.c", "f0" },
	};
	int i = 0;

	/* Frames before the first one in the executable: the libc wrapper. */
	while (i < n && !(fr[i].module && strcmp(fr[i].module, exe_path) == 0 && fr[i].file))
		i++;
	cr_assert_lt(i, n, "no executable frame among %d", n);
	for (unsigned k = 0; k < sizeof(want) / sizeof(want[0]); k++, i++) {
		cr_assert_lt(i, n, "stack ends before %s", want[k].sym);
		cr_assert(sym_is(fr[i].symbol, want[k].sym), "frame %d: %s, want %s", i,
			  fr[i].symbol ? fr[i].symbol : "(null)", want[k].sym);
		cr_assert_str_eq(base_name(fr[i].file), want[k].file);
		cr_assert_eq(fr[i].line, site_line(want[k].file, want[k].tag), "frame %d (%s)", i,
			     want[k].sym);
		cr_assert_str_eq(fr[i].module, exe_path);
		cr_assert_leq(fr[i].sym_off, 0x10000);
	}
}

static void chain_entry(struct tracer *t, struct task *tk, const struct __ptrace_syscall_info *si)
{
	struct chain_seen *s = t->user;
	const struct chain_expect *ex = s->ex;
	const struct source_loc *loc = NULL;
	const struct stack_frame *fr = NULL;
	long nr = (long)si->entry.nr;
	char exe_path[4096];

	fixture_path(exe_path, sizeof(exe_path), ex->exe);
	bool want = (s->stage == 0 && nr == SYS_chdir) ||
		    (s->stage == 1 && nr == SYS_write && si->entry.args[2] == 0) ||
		    (s->stage == 2 && nr == SYS_openat) || (s->stage == 3 && nr == SYS_umask);
	if (!want)
		return;
	int n = source_unwind(t->r, tk->tgid, tk->tid, &loc, &fr);
	cr_assert_geq(n, 0);
	const char *exe;
	if (source_take_nodebug_notice(t->r, tk->tgid, &exe)) {
		cr_assert(!s->notice, "the no-debug notice came twice");
		s->notice = true;
		s->notice_exe = exe;
	}
	switch (s->stage) {
	case 0: {
		const char *mod = source_module_of(t->r, tk->tgid, si->instruction_pointer);
		cr_assert_not_null(mod);
		s->libc_module = mod;
		s->nframes_chdir = (unsigned)n;
		cr_assert_gt(n, 0, "no frames at chdir");
		cr_assert_eq(fr[0].pc, si->instruction_pointer);
		if (ex->debug) {
			expect_loc(loc, "chain_b.c", "chdir", "f3");
			check_chain_frames(fr, n, exe_path);
		} else {
			cr_assert_null(loc, "source %s:%u without debug info", loc->file, loc->line);
		}
		break;
	}
	case 1:
		if (ex->debug)
			expect_loc(loc, "chain_io.c", "write", "helper_write");
		else
			cr_assert_null(loc);
		break;
	case 2:
		if (ex->debug)
			expect_loc(loc, "chain_io.c", "fopen", "helper_fopen");
		else
			cr_assert_null(loc);
		break;
	case 3:
		/* The library has DWARF whatever the executable has. */
		expect_loc(loc, "chain_dl.c", "umask", "dl_func");
		break;
	}
	s->stage++;
	if (s->stage == 3 && !ex->dlopen)
		s->stage = 4;
}

static void run_chain(const struct chain_expect *ex, bool maps_changed)
{
	char exe[4096];
	struct chain_seen seen = { .ex = ex };
	struct tracer t = { .on_entry = chain_entry, .user = &seen,
			    .no_maps_changed = !maps_changed };

	fixture_path(exe, sizeof(exe), ex->exe);
	t.r = resolver_new();
	char *argv[] = { exe, NULL };
	cr_assert_eq(trace_run(&t, exe, argv), 0);
	cr_assert_eq(seen.stage, 4, "%s: stopped at stage %d", ex->exe, seen.stage);
	cr_assert_eq(seen.notice, !ex->debug, "%s: notice %d", ex->exe, seen.notice);
	if (seen.notice)
		cr_assert_str_eq(seen.notice_exe, exe);
	if (ex->dlopen)
		cr_assert(strstr(seen.libc_module, "libc.so"), "%s", seen.libc_module);
	else
		cr_assert_str_eq(seen.libc_module, exe);
	source_free(t.r);
}

Test(source, chain_O0)
{
	run_chain(&(struct chain_expect){ .exe = "chain_O0", .dlopen = true, .debug = true }, true);
}

Test(source, chain_O2)
{
	run_chain(&(struct chain_expect){ .exe = "chain_O2", .dlopen = true, .debug = true }, true);
}

Test(source, chain_nopie)
{
	run_chain(&(struct chain_expect){ .exe = "chain_nopie", .dlopen = true, .debug = true },
		  true);
}

Test(source, chain_static)
{
	run_chain(&(struct chain_expect){ .exe = "chain_static", .debug = true }, true);
}

Test(source, chain_debuglink)
{
	run_chain(&(struct chain_expect){ .exe = "chain_debuglink", .dlopen = true, .debug = true },
		  true);
}

Test(source, chain_stripped)
{
	run_chain(&(struct chain_expect){ .exe = "chain_stripped", .dlopen = true }, true);
}

Test(source, chain_nog)
{
	run_chain(&(struct chain_expect){ .exe = "chain_nog", .dlopen = true }, true);
}

/* Without source_maps_changed the dlopen'ed library is found on the miss. */
Test(source, dlopen_without_maps_changed)
{
	run_chain(&(struct chain_expect){ .exe = "chain_O0", .dlopen = true, .debug = true }, false);
}

/* The same call site many times: identical answers (from the cache). */
struct repeat_seen {
	bool partial; /* source_set_full_stack(false) */
	unsigned count;
	unsigned line;
	const char *file, *function;
};

static void repeat_entry(struct tracer *t, struct task *tk, const struct __ptrace_syscall_info *si)
{
	struct repeat_seen *s = t->user;
	const struct source_loc *loc;
	const struct stack_frame *fr;

	if (si->entry.nr != SYS_chdir)
		return;
	int n = source_unwind(t->r, tk->tgid, tk->tid, &loc, &fr);
	cr_assert_not_null(loc);
	if (s->partial) {
		/* The libc wrapper, then f3: the walk stops at the call site. */
		cr_assert_eq(n, 2);
		cr_assert(sym_is(fr[1].symbol, "f3"));
		cr_assert_eq(fr[1].line, loc->line);
	} else {
		cr_assert_gt(n, 5);
	}
	if (s->count++ == 0) {
		s->file = loc->file;
		s->line = loc->line;
		s->function = loc->function;
		cr_assert_eq(s->line, site_line("chain_b.c", "chdir"));
	} else {
		/* Interned: the very same pointers. */
		cr_assert_eq(loc->file, s->file);
		cr_assert_eq(loc->function, s->function);
		cr_assert_eq(loc->line, s->line);
	}
}

static void run_repeat(bool partial)
{
	char exe[4096];
	struct repeat_seen seen = { .partial = partial };
	struct tracer t = { .on_entry = repeat_entry, .user = &seen };

	fixture_path(exe, sizeof(exe), "chain_O2");
	t.r = resolver_new();
	if (partial)
		source_set_full_stack(t.r, false);
	char *argv[] = { exe, "50", NULL };
	cr_assert_eq(trace_run(&t, exe, argv), 0);
	cr_assert_eq(seen.count, 50);
	source_free(t.r);
}

Test(source, repeated_site_cached)
{
	run_repeat(false);
}

Test(source, stop_at_call_site)
{
	run_repeat(true);
}

/* ---- threads and fork+exec: every chdir attributed to its own code ---- */

struct site_seen {
	struct {
		pid_t tid, tgid;
		const char *file, *function;
		unsigned line;
	} v[8];
	unsigned n;
};

static void site_entry(struct tracer *t, struct task *tk, const struct __ptrace_syscall_info *si)
{
	struct site_seen *s = t->user;
	const struct source_loc *loc;
	const struct stack_frame *fr;

	if (si->entry.nr != SYS_chdir)
		return;
	int n = source_unwind(t->r, tk->tgid, tk->tid, &loc, &fr);
	cr_assert_gt(n, 0);
	cr_assert_not_null(loc, "tid %d: no source", tk->tid);
	cr_assert_lt(s->n, 8);
	s->v[s->n].tid = tk->tid;
	s->v[s->n].tgid = tk->tgid;
	s->v[s->n].file = base_name(loc->file);
	s->v[s->n].function = loc->function;
	s->v[s->n].line = loc->line;
	s->n++;
}

static unsigned find_site(const struct site_seen *s, const char *file, const char *tag,
			  const char *function)
{
	unsigned line = site_line(file, tag);

	for (unsigned i = 0; i < s->n; i++)
		if (strcmp(s->v[i].file, file) == 0 && s->v[i].line == line &&
		    s->v[i].function && strcmp(s->v[i].function, function) == 0)
			return i;
	cr_assert_fail("@site:%s (%s:%u in %s) not seen", tag, file, line, function);
	return 0;
}

static void run_threads(void)
{
	char exe[4096];
	struct site_seen seen = { 0 };
	struct tracer t = { .on_entry = site_entry, .user = &seen };

	fixture_path(exe, sizeof(exe), "threads");
	t.r = resolver_new();
	char *argv[] = { exe, NULL };
	cr_assert_eq(trace_run(&t, exe, argv), 0);
	cr_assert_eq(seen.n, 3);
	unsigned a = find_site(&seen, "threads.c", "thread_a", "thread_a");
	unsigned b = find_site(&seen, "threads.c", "thread_b", "thread_b");
	unsigned m = find_site(&seen, "threads.c", "thread_main", "main");
	cr_assert_eq(seen.v[m].tid, t.root);
	cr_assert_neq(seen.v[a].tid, t.root);
	cr_assert_neq(seen.v[b].tid, t.root);
	cr_assert_eq(seen.v[a].tgid, t.root);
	source_free(t.r);
}

static void run_fork_exec(void)
{
	char exe[4096];
	struct site_seen seen = { 0 };
	struct tracer t = { .on_entry = site_entry, .user = &seen };

	fixture_path(exe, sizeof(exe), "forkexec");
	t.r = resolver_new();
	char *argv[] = { exe, NULL };
	cr_assert_eq(trace_run(&t, exe, argv), 0);
	cr_assert_eq(seen.n, 3);
	unsigned c = find_site(&seen, "forkexec.c", "child", "child_before_exec");
	unsigned x = find_site(&seen, "exec_target.c", "target", "target_work");
	unsigned p = find_site(&seen, "forkexec.c", "parent", "main");
	cr_assert_eq(seen.v[p].tgid, t.root);
	cr_assert_neq(seen.v[c].tgid, t.root);
	cr_assert_eq(seen.v[x].tgid, seen.v[c].tgid);
	source_free(t.r);
}

Test(source, threads)
{
	run_threads();
}

Test(source, fork_exec)
{
	run_fork_exec();
}

/* ---- the same with libunwind ---- */

#define LU_CHAIN(name, ...)                                                         \
	Test(source_libunwind, name)                                                \
	{                                                                           \
		g_unwinder = SOURCE_UNWINDER_LIBUNWIND;                             \
		run_chain(&(struct chain_expect){ __VA_ARGS__ }, true);             \
	}
LU_CHAIN(chain_O0, .exe = "chain_O0", .dlopen = true, .debug = true)
LU_CHAIN(chain_O2, .exe = "chain_O2", .dlopen = true, .debug = true)
LU_CHAIN(chain_nopie, .exe = "chain_nopie", .dlopen = true, .debug = true)
LU_CHAIN(chain_static, .exe = "chain_static", .debug = true)
LU_CHAIN(chain_debuglink, .exe = "chain_debuglink", .dlopen = true, .debug = true)
LU_CHAIN(chain_stripped, .exe = "chain_stripped", .dlopen = true)
LU_CHAIN(chain_nog, .exe = "chain_nog", .dlopen = true)

Test(source_libunwind, dlopen_without_maps_changed)
{
	g_unwinder = SOURCE_UNWINDER_LIBUNWIND;
	run_chain(&(struct chain_expect){ .exe = "chain_O0", .dlopen = true, .debug = true }, false);
}

Test(source_libunwind, repeated_site_cached)
{
	g_unwinder = SOURCE_UNWINDER_LIBUNWIND;
	run_repeat(false);
}

Test(source_libunwind, stop_at_call_site)
{
	g_unwinder = SOURCE_UNWINDER_LIBUNWIND;
	run_repeat(true);
}

Test(source_libunwind, threads)
{
	g_unwinder = SOURCE_UNWINDER_LIBUNWIND;
	run_threads();
}

Test(source_libunwind, fork_exec)
{
	g_unwinder = SOURCE_UNWINDER_LIBUNWIND;
	run_fork_exec();
}

/* ---- both unwinders, every stop: the same frames ---- */

static bool str_same(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static const char *nz(const char *s)
{
	return s ? s : "(null)";
}

struct agree_seen {
	const char *what;
	unsigned top;       /* compare only the symbols of this many top frames; 0: everything */
	unsigned stops;     /* stops unwound */
	unsigned with_loc;  /* ... with a source location */
	unsigned frames;    /* frames compared */
};

static void agree_entry(struct tracer *t, struct task *tk, const struct __ptrace_syscall_info *si)
{
	struct agree_seen *s = t->user;
	const struct source_loc *la, *lb;
	const struct stack_frame *fa, *fb;

	(void)si;
	int na = source_unwind(t->r, tk->tgid, tk->tid, &la, &fa);
	int nb = source_unwind(t->r2, tk->tgid, tk->tid, &lb, &fb);
	s->stops++;
	if (s->top) {
		/* Real programs: the function names of the top frames. */
		int k = na < nb ? na : nb;
		if (k > (int)s->top)
			k = (int)s->top;
		cr_assert_gt(k, 0, "%s, syscall %llu: libdw %d frames, libunwind %d", s->what,
			     (unsigned long long)si->entry.nr, na, nb);
		for (int i = 0; i < k; i++, s->frames++)
			cr_assert(str_same(fa[i].symbol, fb[i].symbol) && fa[i].pc == fb[i].pc,
				  "%s, syscall %llu, frame %d: libdw %s %#llx, libunwind %s %#llx", s->what,
				  (unsigned long long)si->entry.nr, i, nz(fa[i].symbol),
				  (unsigned long long)fa[i].pc, nz(fb[i].symbol), (unsigned long long)fb[i].pc);
		return;
	}
	cr_assert_eq(na, nb, "%s, syscall %llu: libdw %d frames, libunwind %d (last: %s / %s)", s->what,
		     (unsigned long long)si->entry.nr, na, nb, na ? nz(fa[na - 1].symbol) : "-",
		     nb ? nz(fb[nb - 1].symbol) : "-");
	for (int i = 0; i < na; i++, s->frames++) {
		cr_assert(fa[i].pc == fb[i].pc && str_same(fa[i].module, fb[i].module) &&
				  str_same(fa[i].symbol, fb[i].symbol) && str_same(fa[i].file, fb[i].file) &&
				  fa[i].line == fb[i].line,
			  "%s, syscall %llu, frame %d: libdw %s %s:%u, libunwind %s %s:%u", s->what,
			  (unsigned long long)si->entry.nr, i, nz(fa[i].symbol), nz(fa[i].file), fa[i].line,
			  nz(fb[i].symbol), nz(fb[i].file), fb[i].line);
	}
	cr_assert_eq(!la, !lb, "%s: a location from one unwinder only", s->what);
	if (la) {
		s->with_loc++;
		cr_assert(str_same(la->file, lb->file) && la->line == lb->line &&
				  str_same(la->function, lb->function),
			  "%s: %s:%u in %s vs %s:%u in %s", s->what, nz(la->file), la->line,
			  nz(la->function), nz(lb->file), lb->line, nz(lb->function));
	}
}

/* Traces argv with a libdw and a libunwind resolver (fallback off, whole
 * stacks) and compares them at every syscall entry. */
static void run_agree(struct agree_seen *s, const char *exe, char *const argv[])
{
	struct tracer t = { .on_entry = agree_entry, .user = s };

	g_unwinder = SOURCE_UNWINDER_LIBDW;
	t.r = resolver_new();
	g_unwinder = SOURCE_UNWINDER_LIBUNWIND;
	t.r2 = resolver_new();
	cr_assert_eq(trace_run(&t, exe, argv), 0, "%s failed", exe);
	cr_assert_gt(s->stops, 5, "%s: %u stops", s->what, s->stops);
	source_free(t.r);
	source_free(t.r2);
}

static void agree_fixture(const char *name, bool want_loc)
{
	char exe[4096];
	struct agree_seen s = { .what = name };

	fixture_path(exe, sizeof(exe), name);
	char *argv[] = { exe, NULL };
	run_agree(&s, exe, argv);
	if (want_loc)
		cr_assert_gt(s.with_loc, 0, "%s: no stop had a source location", name);
}

Test(source_agree, chain_O0) { agree_fixture("chain_O0", true); }
Test(source_agree, chain_O2) { agree_fixture("chain_O2", true); }
Test(source_agree, chain_nopie) { agree_fixture("chain_nopie", true); }
Test(source_agree, chain_static) { agree_fixture("chain_static", true); }
Test(source_agree, chain_debuglink) { agree_fixture("chain_debuglink", true); }
Test(source_agree, chain_stripped) { agree_fixture("chain_stripped", true); /* the dlopen'ed library */ }
Test(source_agree, chain_nog) { agree_fixture("chain_nog", true); }
Test(source_agree, threads) { agree_fixture("threads", true); }
Test(source_agree, fork_exec) { agree_fixture("forkexec", true); }

/* bash and python3: no user frames, so the C library's functions are
 * what is compared; with libc6-dbg they come from its full symbol table. */
static bool have_libc_dbg(void)
{
	return access("/usr/share/doc/libc6-dbg", F_OK) == 0 && access("/usr/lib/debug/.build-id", F_OK) == 0;
}

static void agree_program(const char *exe, char *const argv[])
{
	struct agree_seen s = { .what = exe, .top = 4 };

	if (!have_libc_dbg())
		cr_skip_test("libc6-dbg is not installed (scripts/install-deps.sh installs it)");
	if (access(exe, X_OK) != 0)
		cr_skip_test("%s is not installed", exe);
	run_agree(&s, exe, argv);
	cr_assert_gt(s.frames, s.stops, "%s: %u frames over %u stops", exe, s.frames, s.stops);
}

Test(source_agree, bash, .timeout = 120)
{
	char *argv[] = { "/bin/bash", "-c", "cd /tmp && x=$(echo hi) && test -n \"$x\" && /bin/true", NULL };
	agree_program("/bin/bash", argv);
}

Test(source_agree, python3, .timeout = 120)
{
	char *argv[] = { "/usr/bin/python3", "-c", "import os, json; os.chdir('/tmp'); json.dumps([1])", NULL };
	agree_program("/usr/bin/python3", argv);
}

/* ---- the fallback fixture: each unwinder fails at one call ---- */

struct fb_seen {
	unsigned n;
	bool loc[2];       /* per chdir: a source location was found */
	unsigned line[2];
};

static void fb_entry(struct tracer *t, struct task *tk, const struct __ptrace_syscall_info *si)
{
	struct fb_seen *s = t->user;
	const struct source_loc *loc;
	const struct stack_frame *fr;

	if (si->entry.nr != SYS_chdir)
		return;
	cr_assert_lt(s->n, 2);
	int n = source_unwind(t->r, tk->tgid, tk->tid, &loc, &fr);
	cr_assert_gt(n, 1);
	s->loc[s->n] = loc != NULL;
	if (loc) {
		cr_assert_str_eq(base_name(loc->file), "fallback.c");
		cr_assert_str_eq(loc->function, "main");
		s->line[s->n] = loc->line;
	}
	s->n++;
}

static unsigned long run_fallback(enum source_unwinder u, bool fallback, struct fb_seen *s)
{
	char exe[4096];
	struct tracer t = { .on_entry = fb_entry, .user = s };

	fixture_path(exe, sizeof(exe), "fallback");
	t.r = source_new(MAX_FRAMES);
	cr_assert_not_null(t.r);
	source_set_unwinder(t.r, u, fallback);
	source_set_full_stack(t.r, false);
	char *argv[] = { exe, NULL };
	cr_assert_eq(trace_run(&t, exe, argv), 0);
	cr_assert_eq(s->n, 2);
	unsigned long fb = source_fallbacks(t.r);
	source_free(t.r);
	return fb;
}

/* Alone, each unwinder misses the call site of one chdir. */
Test(source_fallback, each_unwinder_fails_once)
{
	struct fb_seen dw = { 0 }, lu = { 0 };

	cr_assert_eq(run_fallback(SOURCE_UNWINDER_LIBDW, false, &dw), 0);
	cr_assert(!dw.loc[0], "libdw unwound through the broken CFI");
	cr_assert(dw.loc[1]);
	cr_assert_eq(dw.line[1], site_line("fallback.c", "debug_frame"));
	cr_assert_eq(run_fallback(SOURCE_UNWINDER_LIBUNWIND, false, &lu), 0);
	cr_assert(lu.loc[0]);
	cr_assert_eq(lu.line[0], site_line("fallback.c", "broken"));
	cr_assert(!lu.loc[1], "libunwind read .debug_frame");
}

/* With the fallback, either unwinder finds both, and one stop is counted. */
static void fallback_finds_both(enum source_unwinder u)
{
	struct fb_seen s = { 0 };

	cr_assert_eq(run_fallback(u, true, &s), 1);
	cr_assert(s.loc[0] && s.loc[1]);
	cr_assert_eq(s.line[0], site_line("fallback.c", "broken"));
	cr_assert_eq(s.line[1], site_line("fallback.c", "debug_frame"));
}

Test(source_fallback, libdw_to_libunwind)
{
	fallback_finds_both(SOURCE_UNWINDER_LIBDW);
}

Test(source_fallback, libunwind_to_libdw)
{
	fallback_finds_both(SOURCE_UNWINDER_LIBUNWIND);
}

Test(source_fallback, names_and_default)
{
	struct source_resolver *r = source_new(8);

	cr_assert_not_null(r);
	/* The default follows the walk until one is chosen. */
	cr_assert_eq(source_get_unwinder(r), SOURCE_UNWINDER_LIBDW);
	source_set_full_stack(r, false);
	cr_assert_eq(source_get_unwinder(r), SOURCE_UNWINDER_LIBUNWIND);
	source_set_full_stack(r, true);
	cr_assert_eq(source_get_unwinder(r), SOURCE_UNWINDER_LIBDW);
	source_set_unwinder(r, SOURCE_UNWINDER_LIBUNWIND, true);
	source_set_full_stack(r, true);
	cr_assert_eq(source_get_unwinder(r), SOURCE_UNWINDER_LIBUNWIND);
	cr_assert_eq(source_fallbacks(r), 0);
	cr_assert_str_eq(source_unwinder_name(SOURCE_UNWINDER_LIBDW), "libdw");
	cr_assert_str_eq(source_unwinder_name(SOURCE_UNWINDER_LIBUNWIND), "libunwind");
	source_free(r);
}

/* ---- no tracee state needed ---- */

Test(source, unknown_process)
{
	struct source_resolver *r = source_new(8);
	const struct source_loc *loc = (const struct source_loc *)1;
	const struct stack_frame *fr = NULL;
	const char *exe = NULL;

	cr_assert_not_null(r);
	/* A pid that is not ours to trace (init): nothing, no crash. */
	cr_assert_eq(source_unwind(r, 1, 1, &loc, &fr), 0);
	cr_assert_null(loc);
	cr_assert(!source_take_nodebug_notice(r, 1, &exe));
	source_maps_changed(r, 1);
	source_forget_process(r, 1);
	source_forget_process(r, 12345678);
	source_free(r);
}

Test(source, module_of_self_children_maps)
{
	/* The maps of a process we can read (our own): the code of this
	 * function lies in the test binary. */
	struct source_resolver *r = source_new(8);
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	cr_assert_not_null(r);
	cr_assert_gt(n, 0);
	self[n] = '\0';
	const char *m = source_module_of(r, getpid(), (uint64_t)(uintptr_t)&site_line);
	cr_assert_not_null(m);
	cr_assert_str_eq(m, self);
	cr_assert_eq(source_module_of(r, getpid(), (uint64_t)(uintptr_t)&site_line), m);
	cr_assert_null(source_module_of(r, getpid(), 16));
	const char *libc = source_module_of(r, getpid(), (uint64_t)(uintptr_t)&getpid);
	cr_assert_not_null(libc);
	cr_assert(strstr(libc, "libc"), "%s", libc);
	source_maps_changed(r, getpid());
	cr_assert_eq(source_module_of(r, getpid(), (uint64_t)(uintptr_t)&site_line), m);
	source_free(r);
}
