/* text_sink.c — one complete strace-style line per event. */
#include "text_sink.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "decode_args.h"
#include "decode_flags.h"
#include "event_text.h"
#include "source.h"
#include "obuf.h"
#include "vec.h"

#define LINE_CAP 16384
#define RESULT_COLUMN 40

/* -ff: one output file per task */
struct sep_out {
	pid_t tid;
	struct writer w;
};

struct text_sink {
	struct sink sink;
	struct text_cfg cfg;
	struct sep_out *sep;
	size_t nsep, capsep;
	int sep_err;               /* a per-task file failed */
	uint64_t last_ts;          /* -r: previous line's timestamp */
	struct { pid_t tid; long nr; uint64_t ip; } last[256]; /* -n/-i: per task, by tid % 256 */
	char line[LINE_CAP];
};

/* ".123" with DIGITS (0: nothing) of the nanoseconds NS. */
static void put_fraction(struct obuf *ob, uint64_t ns, int digits)
{
	if (digits <= 0)
		return;
	uint64_t v = ns;
	for (int i = digits; i < 9; i++)
		v /= 10;
	obuf_printf(ob, ".%0*llu", digits, (unsigned long long)v);
}

static void put_prefix(struct text_sink *ts, struct obuf *ob, pid_t tid, uint64_t t_ns)
{
	if ((*ts->cfg.multi && !ts->cfg.separate) || ts->cfg.always_pid) {
		if (ts->cfg.pid_plain)
			obuf_printf(ob, "%-5ld ", (long)tid);
		else
			obuf_printf(ob, "[pid %5ld] ", (long)tid);
	}
	switch (ts->cfg.ts) {
	case TS_NONE:
		break;
	case TS_RELATIVE: {
		uint64_t d = t_ns >= ts->last_ts ? t_ns - ts->last_ts : 0;
		if (ts->last_ts == 0)
			d = 0;
		ts->last_ts = t_ns;
		int dg = ts->cfg.ts_digits >= 0 ? ts->cfg.ts_digits : 6;
		obuf_printf(ob, "%6lu", (unsigned long)(d / 1000000000ull));
		put_fraction(ob, d % 1000000000ull, dg);
		obuf_putc(ob, ' ');
		break;
	}
	default: {
		uint64_t ns = (uint64_t)ts->cfg.start_real->tv_nsec + t_ns;
		time_t sec = ts->cfg.start_real->tv_sec + (time_t)(ns / 1000000000ull);
		uint64_t frac = ns % 1000000000ull;
		int dg = ts->cfg.ts_digits;
		if (ts->cfg.ts == TS_EPOCH_US) {
			obuf_printf(ob, "%lld", (long long)sec);
			put_fraction(ob, frac, dg >= 0 ? dg : 6);
		} else {
			struct tm tm;
			localtime_r(&sec, &tm);
			obuf_printf(ob, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
			put_fraction(ob, frac, dg >= 0 ? dg : ts->cfg.ts == TS_TIME_US ? 6 : 0);
		}
		obuf_putc(ob, ' ');
	}
	}
}

/* Start a line in the sink's buffer with its [pid N] and time prefix. */
static void text_begin(struct text_sink *ts, struct obuf *ob, pid_t tid, uint64_t t_ns)
{
	obuf_init(ob, ts->line, sizeof(ts->line) - 1);
	put_prefix(ts, ob, tid, t_ns);
}

/* -n and -i, as strace spells them: "[  1] [00007f0bef85fc47] ". */
static void put_call_prefix(struct text_sink *ts, struct obuf *ob, const struct event *ev)
{
	unsigned k = (unsigned)ev->tid % 256u;
	ts->last[k].tid = ev->tid;
	ts->last[k].nr = ev->nr;
	ts->last[k].ip = ev->ip;
	if (ts->cfg.show_nr)
		obuf_printf(ob, "[%4ld] ", ev->nr);
	if (ts->cfg.show_ip)
		obuf_printf(ob, "[%016llx] ", (unsigned long long)ev->ip);
}

/* A signal or exit line, with -n/-i: strace shows the task's last
 * syscall number and (signals) its instruction pointer. */
static void put_other_prefix(struct text_sink *ts, struct obuf *ob, pid_t tid, bool ip)
{
	unsigned k = (unsigned)tid % 256u;
	bool known = ts->last[k].tid == tid && tid != 0;
	if (ts->cfg.show_nr) {
		if (known)
			obuf_printf(ob, "[%4ld] ", ts->last[k].nr);
		else
			obuf_puts(ob, "[????] ");
	}
	if (ts->cfg.show_ip) {
		if (known && ip)
			obuf_printf(ob, "[%016llx] ", (unsigned long long)ts->last[k].ip);
		else
			obuf_puts(ob, "[????????????????] ");
	}
}

/* The writer of task TID: the common one, or with -ff its own file. */
static struct writer *out_of(struct text_sink *ts, pid_t tid)
{
	if (!ts->cfg.separate)
		return ts->cfg.out;
	for (size_t i = 0; i < ts->nsep; i++)
		if (ts->sep[i].tid == tid)
			return &ts->sep[i].w;
	if (!vec_grow(&ts->sep, &ts->capsep, ts->nsep + 1, sizeof(*ts->sep))) {
		ts->sep_err = 1;
		return NULL;
	}
	char path[4096];
	snprintf(path, sizeof(path), "%s.%ld", ts->cfg.separate, (long)tid);
	struct sep_out *so = &ts->sep[ts->nsep];
	if (writer_open_append(&so->w, path, false, ts->cfg.append) != 0) {
		ts->sep_err = 1;
		return NULL;
	}
	so->tid = tid;
	ts->nsep++;
	return &so->w;
}

/* -ff: the task is gone; its file is complete. */
static void close_sep(struct text_sink *ts, pid_t tid)
{
	for (size_t i = 0; i < ts->nsep; i++) {
		if (ts->sep[i].tid != tid)
			continue;
		if (writer_close(&ts->sep[i].w) != 0)
			ts->sep_err = 1;
		ts->sep[i] = ts->sep[--ts->nsep];
		return;
	}
}

static void finish_line(struct text_sink *ts, struct obuf *ob, uint64_t now, pid_t tid)
{
	if (ob->overflow) { /* never emit a line without its newline */
		ob->len = ob->cap > 5 ? ob->cap - 5 : 0;
		obuf_puts(ob, "...");
		ob->overflow = false;
	}
	obuf_putc(ob, '\n');
	struct writer *w = out_of(ts, tid);
	if (!w)
		return;
	writer_put(w, ob->buf, ob->len);
	writer_line_done(w, now);
}

static void text_syscall(void *self, const struct event *ev)
{
	struct text_sink *ts = self;
	unsigned st = ev->detached ? ST_DETACHED : !ev->finished ? ST_UNFINISHED
		    : ev->err ? ST_FAILED : ST_SUCCESSFUL;
	if (!filter_shows(ts->cfg.filter, st, ev->duration_ns))
		return;
	struct obuf ob;
	if (ev->resumed) {
		/* The entry went out as "<unfinished ...>": this line is stamped
		 * when the call returned, and holds the arguments left. */
		text_begin(ts, &ob, ev->tid, ev->ts_ns + ev->duration_ns);
		put_call_prefix(ts, &ob, ev);
		obuf_printf(&ob, "<... %s resumed>", ev->name);
		int n = event_nshown(ev);
		for (int i = ev->split < 0 ? 0 : ev->split; i < n; i++) {
			if (i > ev->split)
				obuf_puts(&ob, ", ");
			if (ev->arg_text[i])
				obuf_puts(&ob, ev->arg_text[i]);
			else
				obuf_put_hex(&ob, ev->raw_args[i]);
		}
	} else {
		text_begin(ts, &ob, ev->tid, ev->ts_ns);
		put_call_prefix(ts, &ob, ev);
		obuf_puts(&ob, ev->name);
		obuf_putc(&ob, '(');
		event_put_args(&ob, ev, event_nshown(ev), NULL);
	}
	if (ev->detached) {
		/* strace: the arguments known, then the marker, no result */
		obuf_puts(&ob, " <detached ...>");
		finish_line(ts, &ob, ev->ts_ns, ev->tid);
		return;
	}
	obuf_putc(&ob, ')');
	size_t col = ts->cfg.column ? ts->cfg.column : RESULT_COLUMN;
	if (ob.len < col)
		obuf_printf(&ob, "%*s", (int)(col - ob.len), "");
	else
		obuf_putc(&ob, ' ');
	obuf_puts(&ob, "= ");
	char resbuf[EVENT_RESULT_MAX];
	obuf_puts(&ob, event_result_text(ev, resbuf, false));
	if (ts->cfg.show_duration && ev->finished) {
		obuf_printf(&ob, " <%lu", (unsigned long)(ev->duration_ns / 1000000000ull));
		put_fraction(&ob, ev->duration_ns % 1000000000ull,
			     ts->cfg.dur_digits == 0 ? 6 : ts->cfg.dur_digits < 0 ? 0 : ts->cfg.dur_digits);
		obuf_putc(&ob, '>');
	}
	if (ts->cfg.show_source && ev->source) {
		obuf_printf(&ob, " [%s:%u", ev->source->file, ev->source->line);
		if (ev->source->function)
			obuf_printf(&ob, " in %s", ev->source->function);
		obuf_putc(&ob, ']');
	}
	if (ts->cfg.show_stack) {
		/* The frames belong to the same record: one write, never torn. */
		for (int i = 0; i < ev->nframes; i++) {
			const struct stack_frame *f = &ev->frames[i];
			obuf_puts(&ob, "\n > ");
			obuf_puts(&ob, f->module ? f->module : "?");
			obuf_putc(&ob, '(');
			if (f->symbol)
				obuf_printf(&ob, "%s+%#llx", f->symbol, (unsigned long long)f->sym_off);
			obuf_printf(&ob, ") [%#llx]", (unsigned long long)f->rel);
			if (f->file)
				obuf_printf(&ob, " %s:%u", f->file, f->line);
		}
	}
	finish_line(ts, &ob, ev->ts_ns + ev->duration_ns, ev->tid);
	if (ev->dump) {
		/* -e read=/write=: the dump lines follow the call */
		struct writer *w = out_of(ts, ev->tid);
		if (w) {
			writer_put(w, ev->dump, strlen(ev->dump));
			writer_put(w, "\n", 1);
		}
	}
}

/* strace's spelling: "read(3,  <unfinished ...>" when arguments are still
 * to come (the separator of the last one shown, then the marker), and
 * "write(1, \"x\", 1 <unfinished ...>" when all were known at entry. */
static void text_unfinished(void *self, const struct event *ev)
{
	struct text_sink *ts = self;
	struct obuf ob;
	text_begin(ts, &ob, ev->tid, ev->ts_ns);
	put_call_prefix(ts, &ob, ev);
	obuf_puts(&ob, ev->name);
	obuf_putc(&ob, '(');
	int n = ev->split < 0 ? 0 : ev->split;
	event_put_args(&ob, ev, n, NULL);
	if (n > 0 && n < event_nshown(ev))
		obuf_puts(&ob, ", ");
	obuf_puts(&ob, " <unfinished ...>");
	finish_line(ts, &ob, ev->ts_ns, ev->tid);
}

/* -X raw / -X verbose for the constants of a --- SIG --- line: the
 * number (decimal signals, hex codes), and with verbose the name after it. */
static void put_xsig(struct obuf *ob, int xlat, int sig)
{
	if (!xlat) {
		event_put_signame(ob, sig, "");
		return;
	}
	obuf_printf(ob, "%d", sig);
	if (xlat == 2 && signal_name(sig)) {
		obuf_puts(ob, " /* ");
		event_put_signame(ob, sig, "");
		obuf_puts(ob, " */");
	}
}

static void put_xcode(struct obuf *ob, int xlat, int signo, int code)
{
	if (!xlat) {
		event_put_sicode(ob, signo, code, false);
		return;
	}
	if (code)
		obuf_printf(ob, "%#x", (unsigned)code);
	else
		obuf_putc(ob, '0');
	if (xlat == 2 && sicode_name(signo, code)) {
		obuf_puts(ob, " /* ");
		event_put_sicode(ob, signo, code, false);
		obuf_puts(ob, " */");
	}
}

static void put_siginfo(struct obuf *ob, const siginfo_t *si, int xlat, bool comm)
{
	obuf_puts(ob, "{si_signo=");
	put_xsig(ob, xlat, si->si_signo);
	obuf_puts(ob, ", si_code=");
	put_xcode(ob, xlat, si->si_signo, si->si_code);
	if (si->si_code == SI_USER || si->si_code == SI_TKILL || si->si_code == SI_QUEUE) {
		obuf_printf(ob, ", si_pid=%ld", (long)si->si_pid);
		if (comm)
			put_pid_comm(ob, si->si_pid);
		obuf_printf(ob, ", si_uid=%lu", (unsigned long)si->si_uid);
		if (si->si_code == SI_QUEUE)
			obuf_printf(ob, ", si_int=%d, si_ptr=%p", si->si_int, si->si_ptr);
	} else if (si->si_code > 0) {
		switch (si->si_signo) {
		case SIGCHLD:
			obuf_printf(ob, ", si_pid=%ld", (long)si->si_pid);
			if (comm)
				put_pid_comm(ob, si->si_pid);
			obuf_printf(ob, ", si_uid=%lu, si_status=", (unsigned long)si->si_uid);
			if (si->si_code == CLD_EXITED)
				obuf_printf(ob, "%d", si->si_status);
			else
				put_xsig(ob, xlat, si->si_status);
			obuf_printf(ob, ", si_utime=%ld, si_stime=%ld", (long)si->si_utime, (long)si->si_stime);
			break;
		case SIGSEGV:
		case SIGBUS:
		case SIGILL:
		case SIGFPE:
		case SIGTRAP:
			obuf_puts(ob, ", si_addr=");
			if (si->si_addr)
				obuf_put_hex(ob, (unsigned long)(uintptr_t)si->si_addr);
			else
				obuf_puts(ob, "NULL");
			break;
		default:
			break;
		}
	}
	obuf_putc(ob, '}');
}

static void text_signal(void *self, pid_t tid, uint64_t ts_ns, const siginfo_t *si)
{
	struct text_sink *ts = self;
	int sig = si->si_signo;
	if (ts->cfg.sig_filter && (sig < 1 || sig > 64 || !(ts->cfg.sigset >> (sig - 1) & 1)))
		return;
	struct obuf ob;
	text_begin(ts, &ob, tid, ts_ns);
	put_other_prefix(ts, &ob, tid, true);
	obuf_puts(&ob, "--- ");
	event_put_signame(&ob, si->si_signo, "");
	obuf_putc(&ob, ' ');
	put_siginfo(&ob, si, ts->cfg.xlat, ts->cfg.show_comm);
	obuf_puts(&ob, " ---");
	finish_line(ts, &ob, ts_ns, tid);
}

static void text_exited(void *self, pid_t tid, uint64_t ts_ns, int status)
{
	struct text_sink *ts = self;
	if (ts->cfg.quiet_exit) {
		if (ts->cfg.separate)
			close_sep(ts, tid);
		else
			writer_flush(ts->cfg.out);
		return;
	}
	struct obuf ob;
	text_begin(ts, &ob, tid, ts_ns);
	put_other_prefix(ts, &ob, tid, false);
	obuf_puts(&ob, "+++ ");
	/* strace's reading of the status, whatever it holds */
	event_put_end(&ob, WIFEXITED(status), WEXITSTATUS(status), WTERMSIG(status), WCOREDUMP(status), "");
	obuf_puts(&ob, " +++");
	finish_line(ts, &ob, ts_ns, tid);
	/* A finished task is a natural point to let a watcher see output. */
	if (ts->cfg.separate)
		close_sep(ts, tid);
	else
		writer_flush(ts->cfg.out);
}

static void text_superseded(void *self, pid_t tid, uint64_t ts_ns, pid_t by_tid)
{
	struct text_sink *ts = self;
	if (ts->cfg.quiet_superseded)
		return;
	struct obuf ob;
	text_begin(ts, &ob, tid, ts_ns);
	put_other_prefix(ts, &ob, tid, false);
	obuf_printf(&ob, "+++ superseded by execve in pid %ld +++", (long)by_tid);
	finish_line(ts, &ob, ts_ns, tid);
}

static int text_finish(void *self, const struct run_info *ri)
{
	(void)ri;
	struct text_sink *ts = self;
	int rc = 0;
	while (ts->nsep > 0)
		if (writer_close(&ts->sep[--ts->nsep].w) != 0)
			rc = -1;
	if (ts->sep_err)
		rc = -1;
	if (writer_flush(ts->cfg.out) != 0)
		rc = -1;
	return rc;
}

static void text_destroy(void *self)
{
	struct text_sink *ts = self;
	for (size_t i = 0; i < ts->nsep; i++)
		writer_abort(&ts->sep[i].w);
	free(ts->sep);
	free(ts);
}

struct sink *text_sink_new(const struct text_cfg *cfg)
{
	struct text_sink *ts = calloc(1, sizeof(*ts));
	if (!ts)
		return NULL;
	ts->cfg = *cfg;
	ts->sink = (struct sink){ .self = ts, .syscall = text_syscall, .signal = text_signal,
				  .unfinished = text_unfinished,
				  .exited = text_exited, .superseded = text_superseded,
				  .finish = text_finish, .destroy = text_destroy };
	return &ts->sink;
}
