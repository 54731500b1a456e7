/* engine.c — the ptrace stop loop: syscall entry/exit, signals, group
 * stops, fork/clone/exec events, deaths, and clean interruption. */
#include "tracer.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diag.h"
#include "engine_int.h"
#include "launch.h"

#ifndef PTRACE_EVENT_STOP
#define PTRACE_EVENT_STOP 128
#endif

/* State shared with the signal handler. */
static volatile sig_atomic_t g_signal_count;
static volatile sig_atomic_t g_last_signal;
static volatile pid_t g_main_pid;    /* launch mode: where to forward */
static volatile pid_t g_wake_tid;    /* attach mode: whom to interrupt */
static volatile sig_atomic_t g_tick; /* the live-output timer expired */

static void on_tick_signal(int sig)
{
	(void)sig;
	g_tick = 1; /* wait4 returns EINTR: the loop does the work */
}

static void on_fatal_signal(int sig, siginfo_t *si, void *uctx)
{
	(void)uctx;
	int saved = errno;
	g_signal_count++;
	g_last_signal = sig;
	if (g_main_pid > 0) {
		/* A terminal's ^C already reached the program (same process
		 * group, SI_KERNEL); a kill(1) aimed at us is passed on. A second
		 * signal means "stop now". */
		if (g_signal_count >= 2)
			kill(g_main_pid, SIGKILL);
		else if (si->si_code != SI_KERNEL)
			kill(g_main_pid, sig);
	} else if (g_wake_tid > 0) {
		/* Make wait4 return so the loop can start detaching. */
		ptrace(PTRACE_INTERRUPT, g_wake_tid, NULL, NULL);
	}
	errno = saved;
}

static void install_signal_handlers(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fatal_signal;
	sa.sa_flags = SA_SIGINFO; /* no SA_RESTART: wait4 must see EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);
	struct sigaction tick;
	memset(&tick, 0, sizeof(tick));
	tick.sa_handler = on_tick_signal; /* no SA_RESTART either */
	sigemptyset(&tick.sa_mask);
	sigaction(SIGALRM, &tick, NULL);
	/* A closed output pipe must surface as EPIPE, not kill the tracer and
	 * leave tracees stopped. */
	signal(SIGPIPE, SIG_IGN);
}

static uint64_t ts_to_ns(const struct timespec *t)
{
	return (uint64_t)t->tv_sec * 1000000000ull + (uint64_t)t->tv_nsec;
}

uint64_t tracer_now(const struct tracer *tr)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return ts_to_ns(&now) - ts_to_ns(&tr->start_mono);
}

int tracer_init(struct tracer *tr, const struct tracer_config *opt)
{
	memset(tr, 0, sizeof(*tr));
	tr->cfg = *opt;
	if (tasks_init(&tr->tasks) != 0)
		return -1;
	if (procs_init(&tr->procs) != 0) {
		tasks_destroy(&tr->tasks);
		return -1;
	}
	tmem_init(&tr->mem);
	tr->mreader = tmem_reader(&tr->mem);
	tr->dcfg.string_limit = opt->string_limit;
	tr->dcfg.show_paths = opt->show_paths;
	tr->dcfg.fds_all = opt->fds_all;
	tr->dcfg.show_comm = opt->show_comm;
	tr->dcfg.strings_hex = opt->strings_hex;
	tr->dcfg.xlat = opt->xlat;
	tr->dcfg.verbose = opt->no_abbrev;
	tr->multi = opt->follow;
	tr->cpu = -1;
	if (opt->source || opt->stack) {
		tr->src = source_new(TASK_MAX_FRAMES);
		if (!tr->src) {
			tasks_destroy(&tr->tasks);
			procs_destroy(&tr->procs);
			return -1;
		}
		/* -s alone stops at the first user frame; -k wants them all. */
		source_set_full_stack(tr->src, opt->stack);
		if (opt->unwinder >= 0) /* else the default for the walk */
			source_set_unwinder(tr->src, (enum source_unwinder)opt->unwinder, true);
	}
	clock_gettime(CLOCK_MONOTONIC, &tr->start_mono);
	clock_gettime(CLOCK_REALTIME, &tr->start_real);
	return 0;
}

void tracer_add_sink(struct tracer *tr, struct sink *s, bool needs_decoding)
{
	if (tr->nsinks < TRACER_MAX_SINKS)
		tr->sinks[tr->nsinks++] = s;
	if (needs_decoding)
		tr->decode = true;
}

int tracer_want_module(struct tracer *tr)
{
	tr->want_module = true;
	if (!tr->src) {
		tr->src = source_new(TASK_MAX_FRAMES);
		if (tr->src)
			source_set_full_stack(tr->src, false);
	}
	return tr->src ? 0 : -1;
}

const bool *tracer_multi_flag(const struct tracer *tr)
{
	return &tr->multi;
}

const struct timespec *tracer_start_real(const struct tracer *tr)
{
	return &tr->start_real;
}

struct tracer_outcome tracer_outcome(const struct tracer *tr)
{
	struct tracer_outcome o = {
		.launched = tr->main_pid != 0,
		.ended = tr->main_done,
		.wstatus = tr->main_status,
		.interrupted = tr->interrupts > 0,
	};
	return o;
}

void tracer_live_output(struct tracer *tr, struct writer *w, bool entries)
{
	if (w && tr->nwriters < (int)(sizeof(tr->writers) / sizeof(tr->writers[0])))
		tr->writers[tr->nwriters++] = w;
	if (entries)
		tr->live_entries = true;
}

void tracer_destroy(struct tracer *tr)
{
	seccomp_free(&tr->sprog);
	if (tr->src)
		source_free(tr->src);
	tasks_destroy(&tr->tasks);
	procs_destroy(&tr->procs);
	free(tr->dump_buf);
	tr->dump_buf = NULL;
}

static pid_t read_tgid(pid_t tid)
{
	return proc_status_field(tid, "Tgid", tid);
}

/* Make sure a process record exists for a task's thread group. */
static void note_process(struct tracer *tr, pid_t pid, pid_t ppid_hint, uint64_t now)
{
	if (procs_find(&tr->procs, pid))
		return;
	struct proc *p = procs_get(&tr->procs, pid, now);
	if (!p)
		return;
	p->ppid = ppid_hint ? ppid_hint : proc_status_field(pid, "PPid", 0);
	procs_refresh_exe(p);
}

static struct task *add_task(struct tracer *tr, pid_t tid, pid_t tgid)
{
	struct task *t = task_add(&tr->tasks, tid);
	if (!t) {
		diag("out of memory tracking task %ld", (long)tid);
		return NULL;
	}
	t->pid = tgid ? tgid : read_tgid(tid);
	if (tr->tasks.ever > 1)
		tr->multi = true;
	return t;
}

/* Forget a task; it may be the one whose entry is still unshown. */
static void drop_task(struct tracer *tr, struct task *t)
{
	if (tr->open_task == t)
		tr->open_task = NULL;
	task_remove(&tr->tasks, t);
}

/* A process ended (its leader was reaped): tell the sinks, forget it. */
static void end_process(struct tracer *tr, pid_t pid, int status, const struct rusage *ru, uint64_t now)
{
	struct proc *p = procs_find(&tr->procs, pid);
	struct process_info pi = {
		.pid = pid,
		.ppid = p ? p->ppid : 0,
		.exe = p ? p->exe : NULL,
		.start_ns = p ? p->start_ns : 0,
		.end_ns = now,
		.exited = WIFEXITED(status),
		.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 0,
		.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0,
		.core_dumped = WIFSIGNALED(status) && WCOREDUMP(status),
	};
	if (ru) {
		pi.utime_us = (uint64_t)ru->ru_utime.tv_sec * 1000000u + (uint64_t)ru->ru_utime.tv_usec;
		pi.stime_us = (uint64_t)ru->ru_stime.tv_sec * 1000000u + (uint64_t)ru->ru_stime.tv_usec;
		pi.maxrss_kb = (uint64_t)ru->ru_maxrss;
	}
	for (int i = 0; i < tr->nsinks; i++)
		if (tr->sinks[i]->process_end)
			tr->sinks[i]->process_end(tr->sinks[i]->self, &pi);
	if (p)
		procs_remove(&tr->procs, p);
	if (tr->src)
		source_forget_process(tr->src, pid);
}

/* With seccomp, untraced calls never stop: a task outside a syscall runs
 * with PTRACE_CONT until the filter's next SECCOMP_RET_TRACE; inside one,
 * PTRACE_SYSCALL catches its exit. */
static void resume(struct tracer *tr, struct task *t, int sig)
{
	t->stopped = false;
	int req = tr->seccomp_active && !t->in_syscall ? PTRACE_CONT : PTRACE_SYSCALL;
	ptrace(req, t->tid, NULL, (void *)(long)sig);
	/* ESRCH: the task died meanwhile; wait4 reports it. */
}

static const char *call_name(struct tracer *tr, long nr, const struct syscall_info *info)
{
	if (info)
		return info->name;
	snprintf(tr->unknown_name, sizeof(tr->unknown_name), "syscall_%#lx", (unsigned long)nr);
	return tr->unknown_name;
}

/* What every record of t's current call starts with. */
void engine_event_head(struct tracer *tr, struct event *ev, const struct task *t, const struct syscall_info *info)
{
	ev->pid = t->pid;
	ev->tid = t->tid;
	ev->nr = t->nr;
	ev->name = call_name(tr, t->nr, info);
	memcpy(ev->raw_args, t->args, sizeof(ev->raw_args));
	ev->nargs = info ? info->nargs : 6;
}

/* Build the event for t's current call and hand it to every sink. */
static void emit_call(struct tracer *tr, struct task *t, bool finished, long rval, bool is_error,
		      uint64_t now)
{
	const struct syscall_info *info = syscall_lookup(t->nr);
	struct event *ev = &tr->ev;
	engine_event_head(tr, ev, t, info);
	ev->result = finished ? rval : 0;
	ev->err = finished && is_error ? (int)-rval : 0;
	ev->finished = finished;
	ev->detached = !finished && tr->mark_detached;
	ev->ts_ns = t->entry_ns;
	ev->duration_ns = finished ? now - t->entry_ns : 0;
	ev->ip = t->ip;
	ev->module = t->module;
	ev->source = t->has_src ? &t->src : NULL;
	ev->frames = tr->cfg.stack ? t->frames : NULL;
	ev->nframes = tr->cfg.stack ? t->nframes : 0;
	ev->resumed = t->entry_shown;
	ev->split = t->split;
	ev->dump = NULL;
	t->entry_shown = false;
	if (t->decoded) {
		struct decode_call dc = { &tr->mreader, t->tid, &tr->dcfg, info, t->nr, t->args };
		if (finished)
			tmem_next_stop(&tr->mem);
		decode_exit(&dc, &t->at, finished, rval);
		ev->nshown = t->at.nshown;
		for (int i = 0; i < 6; i++)
			ev->arg_text[i] = i < t->at.nshown ? argtext_arg(&t->at, i) : NULL;
		ev->ret_text = t->at.ret;
		if (finished && !is_error)
			ev->dump = io_dump(tr, t, rval);
	} else {
		ev->nshown = ev->nargs;
		for (int i = 0; i < 6; i++)
			ev->arg_text[i] = NULL;
		ev->ret_text = NULL;
	}
	for (int i = 0; i < tr->nsinks; i++)
		tr->sinks[i]->syscall(tr->sinks[i]->self, ev);
}

/* -s/-k: unwind the stopped task and keep what the exit will print. */
static void locate_call(struct tracer *tr, struct task *t)
{
	const struct source_loc *loc = NULL;
	const struct stack_frame *frames = NULL;
	int n = source_unwind(tr->src, t->pid, t->tid, &loc, &frames);
	if (loc) {
		t->src = *loc;
		t->has_src = true;
	}
	if (tr->cfg.stack && n > 0) {
		if (n > TASK_MAX_FRAMES)
			n = TASK_MAX_FRAMES;
		memcpy(t->frames, frames, (size_t)n * sizeof(*frames));
		t->nframes = n;
	}
	const char *exe;
	if (!tr->cfg.quiet && source_take_nodebug_notice(tr->src, t->pid, &exe))
		diag("%s has no debug info: no source locations for it (-q hides this)",
			exe ? exe : "the program");
}

/* Calls after which the process's mappings (and so code) may differ. */
static bool changes_maps(long nr)
{
	return nr == SYS_mmap || nr == SYS_munmap || nr == SYS_mremap || nr == SYS_mprotect ||
	       nr == SYS_shmat || nr == SYS_shmdt || nr == SYS_remap_file_pages;
}

static void on_entry(struct tracer *tr, struct task *t, long nr, const uint64_t *args, uint64_t ip,
		     uint64_t now)
{
	t->in_syscall = true;
	t->nr = nr;
	memcpy(t->args, args, sizeof(t->args));
	t->entry_ns = now;
	t->ip = ip;
	/* The launched child's own execve is entered while it still runs
	 * renacer-c's code: report the call, but no module or call site. */
	bool launch_exec = false;
	if (t->hidden && (nr == SYS_execve || nr == SYS_execveat)) {
		t->hidden = false;
		launch_exec = true;
	}
	t->decoded = false;
	t->module = NULL;
	t->has_src = false;
	t->nframes = 0;
	t->shown_call = false;
	t->entry_shown = false;
	if (tr->open_task == t) /* its previous call's exit was never seen */
		tr->open_task = NULL;
	t->pt_skip = false;
	if (t->hidden || !filter_traces(tr->cfg.filter, nr))
		return;
	if (tr->cfg.ntrace_paths > 0 || tr->cfg.trace_fds.on) {
		tmem_next_stop(&tr->mem);
		if (!trace_path_match(tr, t, nr)) {
			t->pt_skip = true;
			return;
		}
	}
	if (tr->want_module && !launch_exec)
		t->module = source_module_of(tr->src, t->pid, ip);
	if ((tr->cfg.source || tr->cfg.stack) && !launch_exec)
		locate_call(tr, t);
	if (tr->decode) {
		struct decode_call dc = { &tr->mreader, t->tid, &tr->dcfg, syscall_lookup(nr), nr, t->args };
		tmem_next_stop(&tr->mem);
		decode_entry(&dc, &t->at);
		t->decoded = true;
	}
	/* The call's duration is the kernel's time: not the unwinding or
	 * decoding the tracer just did while the task waited. */
	if (tr->decode || tr->src)
		t->entry_ns = tracer_now(tr);
	t->shown_call = true;
	if (tr->live_entries) {
		if (tr->open_task && tr->open_task != t)
			live_show_unfinished(tr, tr->open_task);
		tr->open_task = t;
	}
}

static void interrupt_running(struct task *t, void *arg)
{
	(void)arg;
	if (!t->stopped)
		ptrace(PTRACE_INTERRUPT, t->tid, NULL, NULL);
}

/* --syscall-limit reached: every task is detached at its next stop (the
 * stopped one before it is resumed) and runs on, as strace does. */
static void start_limit_detach(struct tracer *tr)
{
	if (!tr->cfg.quiet) {
		for (int i = 0; i < tr->nwriters; i++) /* after the calls it follows */
			writer_flush(tr->writers[i]);
		diag("System call limit has been reached, detaching tracees");
	}
	tr->detaching = true;
	tr->limit_reached = true;
	tr->mark_detached = true;
	tasks_foreach(&tr->tasks, interrupt_running, NULL);
}

static void on_exit_stop(struct tracer *tr, struct task *t, long rval, bool is_error, uint64_t now)
{
	if (!t->in_syscall) /* attached mid-call: the entry was never seen */
		return;
	t->in_syscall = false;
	if (tr->src && !is_error && changes_maps(t->nr))
		source_maps_changed(tr->src, t->pid);
	if (t->hidden || t->pt_skip || !filter_traces(tr->cfg.filter, t->nr))
		return;
	live_settle_output(tr, t);
	emit_call(tr, t, true, rval, is_error, now);
	if (tr->cfg.syscall_limit && !tr->detaching &&
	    filter_shows(tr->cfg.filter, is_error ? ST_FAILED : ST_SUCCESSFUL, now - t->entry_ns) &&
	    ++tr->calls_shown >= tr->cfg.syscall_limit)
		start_limit_detach(tr);
}

/* The task is gone (death, or detach): report a call it never finished. */
static void finish_pending(struct tracer *tr, struct task *t, uint64_t now)
{
	if (t->in_syscall && !t->hidden && !t->pt_skip && filter_traces(tr->cfg.filter, t->nr)) {
		live_settle_output(tr, t);
		emit_call(tr, t, false, 0, false, now);
	}
	t->in_syscall = false;
	if (tr->open_task == t)
		tr->open_task = NULL;
}

static void on_syscall_stop(struct tracer *tr, struct task *t, uint64_t now)
{
	struct __ptrace_syscall_info info;
	long n = ptrace(PTRACE_GET_SYSCALL_INFO, t->tid, (void *)sizeof(info), &info);
	if (n <= 0)
		return;
	switch (info.op) {
	case PTRACE_SYSCALL_INFO_ENTRY:
		on_entry(tr, t, (long)info.entry.nr, info.entry.args, info.instruction_pointer, now);
		break;
	case PTRACE_SYSCALL_INFO_SECCOMP:
		/* Seen in seccomp mode only. Right after the filter is installed
		 * the task may still run under PTRACE_SYSCALL: then the entry
		 * stop of this very call came first. */
		tr->seccomp_active = true;
		if (t->in_syscall && t->nr == (long)info.seccomp.nr)
			break;
		on_entry(tr, t, (long)info.seccomp.nr, info.seccomp.args, info.instruction_pointer, now);
		break;
	case PTRACE_SYSCALL_INFO_EXIT:
		on_exit_stop(tr, t, (long)info.exit.rval, info.exit.is_error != 0, now);
		if (tr->launch_pending) /* the program's own execve: a failure is ours to report */
			launch_exec_done(tr, t, (long)info.exit.rval, info.exit.is_error != 0);
		break;
	default:
		break;
	}
}

static void on_death(struct tracer *tr, pid_t tid, int status, const struct rusage *ru, uint64_t now)
{
	struct task *t = task_find(&tr->tasks, tid);
	if (!t)
		return;
	bool leader = t->pid == tid;
	bool hidden = t->hidden;
	finish_pending(tr, t, now);
	if (tr->launch_failed && tid == tr->main_pid) /* its exec failed: it still ends visibly, as in strace */
		t->hidden = hidden = false;
	if (!t->hidden)
		live_settle_output(tr, t);
	if (!t->hidden)
		for (int i = 0; i < tr->nsinks; i++)
			if (tr->sinks[i]->exited)
				tr->sinks[i]->exited(tr->sinks[i]->self, tid, now, status);
	if (tid == tr->main_pid) {
		tr->main_done = true;
		tr->main_status = status;
	}
	drop_task(tr, t);
	if (leader && !hidden)
		end_process(tr, tid, status, ru, now);
}

/* execve succeeded in some thread of the group whose leader is tid. If a
 * non-leader exec'd, it now carries the leader's tid: the old leader's
 * record goes away and the exec'ing thread's record is renamed. */
static void on_exec_event(struct tracer *tr, pid_t tid, uint64_t now)
{
	struct proc *p = procs_find(&tr->procs, tid);
	if (p)
		procs_refresh_exe(p);
	if (tr->src)
		source_forget_process(tr->src, tid);
	unsigned long former = 0;
	if (ptrace(PTRACE_GETEVENTMSG, tid, NULL, &former) != 0 || (pid_t)former == tid)
		return;
	struct task *leader = task_find(&tr->tasks, tid);
	struct task *execer = task_find(&tr->tasks, (pid_t)former);
	if (leader && leader != execer) {
		finish_pending(tr, leader, now);
		if (!leader->hidden) {
			live_settle_output(tr, leader);
			for (int i = 0; i < tr->nsinks; i++)
				if (tr->sinks[i]->superseded)
					tr->sinks[i]->superseded(tr->sinks[i]->self, tid, now, (pid_t)former);
		}
		drop_task(tr, leader);
	}
	if (execer)
		task_rekey(&tr->tasks, execer, tid);
}

static void on_signal_stop(struct tracer *tr, struct task *t, int sig, uint64_t now)
{
	siginfo_t si;
	if (ptrace(PTRACE_GETSIGINFO, t->tid, NULL, &si) != 0) {
		resume(tr, t, sig);
		return;
	}
	if (!t->hidden)
		live_settle_output(tr, t);
	if (!t->hidden)
		for (int i = 0; i < tr->nsinks; i++)
			if (tr->sinks[i]->signal)
				tr->sinks[i]->signal(tr->sinks[i]->self, t->tid, now, &si);
	resume(tr, t, sig);
}

static bool is_group_stop_signal(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

static void interrupt_one(struct task *t, void *arg)
{
	(void)arg;
	ptrace(PTRACE_INTERRUPT, t->tid, NULL, NULL);
}

static void kill_one(struct task *t, void *arg)
{
	(void)arg;
	kill(t->tid, SIGKILL);
}

static void detach_task(struct tracer *tr, struct task *t, int sig, uint64_t now)
{
	finish_pending(tr, t, now);
	ptrace(PTRACE_DETACH, t->tid, NULL, (void *)(long)sig);
	if (!tr->cfg.quiet)
		diag("Process %ld detached", (long)t->tid);
	drop_task(tr, t);
}

/* React to SIGINT/SIGTERM/SIGHUP received by the tracer. */
static void handle_interrupts(struct tracer *tr, unsigned *seen)
{
	if (g_signal_count == (sig_atomic_t)*seen)
		return;
	*seen = (unsigned)g_signal_count;
	tr->interrupts = *seen;
	if (tr->main_pid == 0) {
		if (!tr->detaching) {
			tr->detaching = true;
			tasks_foreach(&tr->tasks, interrupt_one, NULL);
		}
	} else if (*seen >= 2) {
		tasks_foreach(&tr->tasks, kill_one, NULL);
	}
}

void tracer_abort(struct tracer *tr)
{
	if (tr->main_pid) {
		tasks_foreach(&tr->tasks, kill_one, NULL);
	} else if (!tr->detaching) {
		tr->detaching = true;
		tasks_foreach(&tr->tasks, interrupt_one, NULL);
	}
}

static void handle_stop(struct tracer *tr, pid_t tid, int status, uint64_t now)
{
	int sig = WSTOPSIG(status);
	int event = (unsigned)status >> 16;

	if (event == PTRACE_EVENT_EXEC)
		on_exec_event(tr, tid, now);

	struct task *t = task_find(&tr->tasks, tid);
	if (!t) {
		/* A new child or thread may stop before its parent's fork/clone
		 * event is reported: start tracking it now. */
		t = add_task(tr, tid, 0);
		if (!t) {
			ptrace(PTRACE_DETACH, tid, NULL, NULL);
			return;
		}
		note_process(tr, t->pid, 0, now);
	}
	t->stopped = true;

	if (tr->detaching) {
		int inject = (event == 0 && sig != (SIGTRAP | 0x80)) ? sig : 0;
		detach_task(tr, t, inject, now);
		return;
	}

	if (tr->cfg.same_cpu)
		cpu_follow(tr, tid);
	if (sig == (SIGTRAP | 0x80)) {
		on_syscall_stop(tr, t, now);
		if (tr->limit_reached)
			detach_task(tr, t, 0, now);
		else
			resume(tr, t, 0);
		return;
	}
	switch (event) {
	case 0:
		on_signal_stop(tr, t, sig, now);
		return;
	case PTRACE_EVENT_STOP:
		if (is_group_stop_signal(sig)) {
			/* Stay stopped as the program asked, but keep reporting
			 * (SIGCONT wakes it). */
			t->stopped = false;
			ptrace(PTRACE_LISTEN, tid, NULL, NULL);
		} else {
			resume(tr, t, 0);
		}
		return;
	case PTRACE_EVENT_EXEC:
		if (tr->cfg.detach_on_execve) {
			if (tr->main_pid && !tr->first_exec_seen) {
				tr->first_exec_seen = true;
			} else {
				/* no "Process N detached": renacer-c never said
				 * it attached to a child of -f either */
				tr->mark_detached = true;
				finish_pending(tr, t, now);
				tr->mark_detached = false;
				ptrace(PTRACE_DETACH, t->tid, NULL, NULL);
				drop_task(tr, t);
				return;
			}
		}
		resume(tr, t, 0);
		return;
	case PTRACE_EVENT_SECCOMP:
		on_syscall_stop(tr, t, now);
		if (tr->limit_reached)
			detach_task(tr, t, 0, now);
		else
			resume(tr, t, 0);
		return;
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
	case PTRACE_EVENT_CLONE: {
		unsigned long child = 0;
		if (ptrace(PTRACE_GETEVENTMSG, tid, NULL, &child) == 0 && child) {
			struct task *c = task_find(&tr->tasks, (pid_t)child);
			if (!c)
				c = add_task(tr, (pid_t)child, event == PTRACE_EVENT_CLONE ? 0 : (pid_t)child);
			if (c && c->pid != t->pid)
				note_process(tr, c->pid, t->pid, now);
		}
		resume(tr, t, 0);
		return;
	}
	default:
		resume(tr, t, 0);
		return;
	}
}

static void detach_all_stopped(struct task *t, void *arg)
{
	(void)arg;
	if (t->stopped)
		ptrace(PTRACE_DETACH, t->tid, NULL, NULL);
}

int tracer_start(struct tracer *tr)
{
	const struct tracer_config *o = &tr->cfg;
	install_signal_handlers();

	tr->report_fd = -1;
	if (o->command) {
		tr->use_seccomp = o->seccomp == 1 || (o->seccomp == -1 && o->filter->narrowed);
		/* Children inherit the filter: one left untraced (no -f) would get
		 * ENOSYS from every filtered call. */
		/* Tasks detached with the filter still on would get ENOSYS from
		 * every filtered call. */
		if (tr->use_seccomp && (o->syscall_limit || o->detach_on_execve)) {
			if (o->seccomp == 1 && !o->quiet)
				diag("--seccomp-bpf with %s: detached tasks would keep the filter "
				     "untraced; filtering in renacer-c instead",
				     o->syscall_limit ? "--syscall-limit" : "-b execve");
			tr->use_seccomp = false;
		}
		if (tr->use_seccomp && !o->follow) {
			if (o->seccomp == 1 && !o->quiet)
				diag("--seccomp-bpf needs -f (children would inherit the "
						"filter untraced); filtering in renacer-c instead");
			tr->use_seccomp = false;
		}
		if (tr->use_seccomp && seccomp_build(o->filter, o->source || o->stack, &tr->sprog) != 0) {
			if (o->seccomp == 1)
				diag("--seccomp-bpf: the filter cannot be built; tracing without it");
			tr->use_seccomp = false;
		}
		int rc = launch_program(tr);
		if (rc != 0)
			return rc;
		g_main_pid = tr->main_pid;
	} else {
		int rc = attach_processes(tr);
		if (rc != 0) {
			tr->start_failed = rc;
			return tr->tasks.count ? 0 : rc; /* the loop lets go of those attached */
		}
		g_wake_tid = tr->tasks.count ? tr->cfg.attach[0] : 0;
	}
	return 0;
}

int tracer_run(struct tracer *tr)
{
	unsigned seen_signals = 0;
	int failure = 0;
	bool live = tr->nwriters > 0;
	while (tr->tasks.count > 0) {
		handle_interrupts(tr, &seen_signals);
		if (g_tick) {
			g_tick = 0;
			live_on_tick(tr);
		}
		if (live && !tr->tick_armed && live_output_pending(tr))
			live_arm_tick(tr, true);
		int status;
		struct rusage ru;
		pid_t tid = wait4(-1, &status, __WALL, &ru);
		if (tid < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ECHILD)
				break;
			diag("wait4: %s", strerror(errno));
			failure = 1;
			break;
		}
		uint64_t now = tracer_now(tr);
		if (WIFEXITED(status) || WIFSIGNALED(status))
			on_death(tr, tid, status, &ru, now);
		else if (WIFSTOPPED(status))
			handle_stop(tr, tid, status, now);
	}
	if (tr->tasks.count > 0) {
		/* Leaving early: never leave a tracee stopped. */
		if (tr->main_pid)
			tasks_foreach(&tr->tasks, kill_one, NULL);
		else
			tasks_foreach(&tr->tasks, detach_all_stopped, NULL);
	}
	g_main_pid = 0;
	g_wake_tid = 0;
	if (tr->tick_armed)
		live_arm_tick(tr, false);
	g_tick = 0;
	unsigned long fell_back = tr->src ? source_fallbacks(tr->src) : 0;
	if (fell_back && !tr->cfg.quiet) {
		enum source_unwinder u = source_get_unwinder(tr->src);
		for (int i = 0; i < tr->nwriters; i++) /* after the trace it concerns */
			writer_flush(tr->writers[i]);
		diag("unwinding: %lu stop%s fell back from %s to %s", fell_back,
			fell_back == 1 ? "" : "s", source_unwinder_name(u),
			source_unwinder_name(u == SOURCE_UNWINDER_LIBDW ? SOURCE_UNWINDER_LIBUNWIND
								 : SOURCE_UNWINDER_LIBDW));
	}

	if (failure)
		return RC_FAIL;
	if (tr->start_failed)
		return tr->start_failed;
	if (!tr->main_pid)
		return 0;
	if (!tr->main_done)
		return tr->limit_reached ? 0 : RC_FAIL;
	if (WIFEXITED(tr->main_status))
		return WEXITSTATUS(tr->main_status);
	if (WIFSIGNALED(tr->main_status))
		return 128 + WTERMSIG(tr->main_status);
	return RC_FAIL;
}
