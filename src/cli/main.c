/* main.c — renacer-c entry point: dispatch subcommands, or parse a
 * tracing run, wire its sinks to the tracer, run it and finish outputs. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "assert_run.h"
#include "commands.h"
#include "config.h"
#include "report.h"
#include "metrics.h"
#include "format_sinks.h"
#include "function_time_sink.h"
#include "options.h"
#include "otlp.h"
#include "summary_sink.h"
#include "text_sink.h"
#include "tracer.h"
#include "diag.h"
#include "writer.h"

/* Everything a tracing run owns, released in one place. */
struct run {
	struct options opt;
	struct tracer_config tcfg; /* the tracer's view of opt */
	struct tracer tr;
	struct sink *sinks[TRACER_MAX_SINKS]; /* ours; the tracer only feeds them */
	int nsinks;
	struct writer out;      /* trace output (-o FILE or stderr) */
	struct writer err;      /* stderr, for -c with a structured format */
	bool have_out, have_err, have_tr;
	struct utsname uts;
	struct run_meta meta;
	struct config *cfg;     /* --assert */
	struct metrics *metrics; /* owned by its sink once added */
	int pipe_done;           /* -o |CMD: read end that sees EOF when CMD has exited, or -1 */
	struct sink *otlp;      /* --otlp-*: the OpenTelemetry export, in sinks[] */
};

/* -o |CMD or -o !CMD: the trace goes to the standard input of "sh -c CMD",
 * a grandchild (the tracer's wait4 never sees it); DONE gets a pipe whose
 * write end only CMD and its children hold, so reading it to EOF waits
 * for them, as strace waits for its output command. */
static int open_pipe_output(struct writer *w, const char *cmd, int *done)
{
	int p[2], d[2];
	if (pipe2(p, O_CLOEXEC) != 0)
		goto fail;
	if (pipe2(d, O_CLOEXEC) != 0) {
		close(p[0]);
		close(p[1]);
		goto fail;
	}
	pid_t pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		close(d[0]);
		close(d[1]);
		goto fail;
	}
	if (pid == 0) {
		if (fork() != 0)
			_exit(0);
		dup2(p[0], 0);
		int keep = dup(d[1]); /* without O_CLOEXEC: held until CMD ends */
		(void)keep;
		signal(SIGPIPE, SIG_DFL);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	waitpid(pid, NULL, 0);
	close(p[0]);
	close(d[1]);
	if (writer_open(w, NULL, false) != 0) {
		close(p[1]);
		close(d[0]);
		return -1;
	}
	w->fd = p[1];
	w->own_fd = true;
	w->line_flush = false;
	w->name = cmd;
	*done = d[0];
	return 0;
fail:
	diag("-o |%s: %s", cmd, strerror(errno));
	return -1;
}

static void wait_pipe_output(int *done)
{
	if (*done < 0)
		return;
	char c;
	while (read(*done, &c, 1) > 0 || errno == EINTR)
		;
	close(*done);
	*done = -1;
}

static int add_sink(struct run *r, struct sink *s, bool decode)
{
	if (!s) {
		diag("out of memory");
		return -1;
	}
	if (r->nsinks == TRACER_MAX_SINKS) {
		s->destroy(s->self);
		diag("too many outputs");
		return -1;
	}
	r->sinks[r->nsinks++] = s;
	tracer_add_sink(&r->tr, s, decode);
	return 0;
}

static int build_sinks(struct run *r)
{
	const struct options *o = &r->opt;
	bool text = o->format == FMT_TEXT;
	r->meta.command = o->command;
	r->meta.attached = o->nattach ? o->attach : NULL;
	r->meta.nattached = o->nattach;
	const struct timespec *start = tracer_start_real(&r->tr);
	r->meta.start_unix_ns = (uint64_t)start->tv_sec * 1000000000ull + (uint64_t)start->tv_nsec;
	r->meta.kernel = r->uts.release;
	r->meta.host = r->uts.nodename;
	r->meta.with_source = o->source;

	if (!o->summary_only) {
		struct sink *s = NULL;
		switch (o->format) {
		case FMT_TEXT: {
			struct text_cfg tc = {
				.out = &r->out,
				.filter = &o->filter,
				.multi = tracer_multi_flag(&r->tr),
				.ts = o->ts,
				.show_duration = o->show_duration,
				.show_source = o->source,
				.show_stack = o->stack,
				.start_real = start,
				.column = o->column,
				.ts_digits = o->ts_digits,
				.dur_digits = o->dur_digits,
				.always_pid = o->always_pid,
				.pid_plain = o->output != NULL,
				.show_ip = o->show_ip,
				.show_nr = o->show_nr,
				.quiet_exit = o->quiet_exit,
				.quiet_superseded = o->quiet_superseded,
				.separate = o->separate ? o->output : NULL,
				.append = o->append,
				.xlat = o->xlat,
				.show_comm = o->show_comm,
				.sig_filter = o->sig_filter,
				.sigset = o->sigset,
			};
			s = text_sink_new(&tc);
			/* A status or duration filter decides at exit whether a
			 * call is printed: its entry cannot go out early. */
			tracer_live_output(&r->tr, NULL,
					   o->filter.status == ST_ALL && o->filter.slower_than_ns == 0 &&
						   !o->separate); /* -ff: whole lines, as strace */
			break;
		}
		case FMT_JSON: s = json_sink_new(&r->out, &r->meta, o->compress_rle); break;
		case FMT_CSV: s = csv_sink_new(&r->out, &r->meta, o->show_duration); break;
		case FMT_HTML: s = html_sink_new(&r->out, &r->meta); break;
		case FMT_CHROME: s = chrome_sink_new(&r->out, &r->meta); break;
		}
		if (add_sink(r, s, true) != 0)
			return -1;
		tracer_live_output(&r->tr, &r->out, false);
		if (!text && tracer_want_module(&r->tr) != 0) {
			diag("out of memory");
			return -1;
		}
	}
	/* A table never goes into a structured file: it would corrupt it. */
	struct writer *table_out = &r->out;
	if (!text && (o->summary_only || o->summary_too || o->function_time)) {
		if (writer_open(&r->err, NULL, false) != 0)
			return -1;
		r->have_err = true;
		table_out = &r->err;
		tracer_live_output(&r->tr, &r->err, false);
	}
	if (o->summary_only || o->summary_too) {
		struct sink *ss = summary_sink_new(table_out, &o->filter, o->sort);
		if (ss)
			summary_sink_set_overhead(ss, o->overhead_ns);
		if (add_sink(r, ss, false) != 0)
			return -1;
	}
	if (o->function_time)
		if (add_sink(r, function_time_sink_new(table_out), false) != 0)
			return -1;
	if (o->otlp) {
		/* OpenTelemetry export: the same sink `renacer-c export` feeds. */
		struct otlp_run orun = { .command = o->command, .host = r->uts.nodename,
					 .start_unix_ns = r->meta.start_unix_ns, .filter = &o->filter };
		r->otlp = otlp_sink_new(&o->otlp_opt, &orun);
		if (!r->otlp || add_sink(r, r->otlp, true) != 0)
			return -1;
	}
	if (r->cfg) {
		/* The same metrics sink `renacer-c assert` feeds from a file. */
		r->metrics = metrics_new(r->cfg);
		if (!r->metrics || add_sink(r, metrics_sink(r->metrics), true) != 0) {
			metrics_free(r->metrics);
			r->metrics = NULL;
			return -1;
		}
		if (tracer_want_module(&r->tr) != 0)
			return -1;
	}
	return 0;
}

/* The tracer's input, from the parsed command line. */
static void tracer_config_from(struct tracer_config *tc, const struct options *o)
{
	*tc = (struct tracer_config){
		.command = o->command,
		.attach = o->attach,
		.nattach = o->nattach,
		.follow = o->follow,
		.quiet = o->quiet,
		.filter = &o->filter,
		.source = o->source,
		.stack = o->stack,
		.unwinder = o->unwinder,
		.same_cpu = o->same_cpu,
		.seccomp = o->seccomp,
		.string_limit = o->string_limit,
		.show_paths = o->show_paths,
		.fds_all = o->fds_all,
		.show_comm = o->show_comm,
		.syscall_limit = o->syscall_limit,
		.detach_on_execve = o->detach_on_execve,
		.no_abbrev = o->no_abbrev,
		.strings_hex = o->strings_hex,
		.xlat = o->xlat,
		.trace_paths = o->trace_paths,
		.ntrace_paths = o->ntrace_paths,
		.trace_fds = o->trace_fds,
		.dump_read = o->dump_read,
		.dump_write = o->dump_write,
		.argv0 = o->argv0,
		.env_ops = o->env_ops,
		.nenv = o->nenv,
		.user = o->user,
		.user_uid = o->user_uid,
		.user_gid = o->user_gid,
	};
}

/* Finish every output: 0, or -1 when one failed (message printed). */
static int finish_sinks(struct run *r, const struct run_info *ri)
{
	int rc = 0;
	for (int i = 0; i < r->nsinks; i++)
		if (r->sinks[i]->finish && r->sinks[i]->finish(r->sinks[i]->self, ri) != 0)
			rc = -1;
	return rc;
}

static int trace_main(int argc, char **argv)
{
	static struct run r; /* large (task buffers live in the tracer); not on the stack */
	memset(&r, 0, sizeof(r));
	r.pipe_done = -1;
	enum parse_result pr = options_parse(&r.opt, argc, argv);
	if (pr == PARSE_EXIT_OK)
		return fflush(stdout) == 0 ? RC_OK : RC_FAIL;
	if (pr == PARSE_USAGE)
		return RC_USAGE;
	if (uname(&r.uts) != 0)
		memset(&r.uts, 0, sizeof(r.uts));

	int rc = RC_FAIL;
	if (r.opt.assert_file) {
		/* A broken config must stop the run before the program starts. */
		char err[1024];
		r.cfg = config_load(r.opt.assert_file, err, sizeof(err));
		if (!r.cfg) {
			diag("%s", err);
			return RC_CONFIG;
		}
	}
	tracer_config_from(&r.tcfg, &r.opt);
	if (tracer_init(&r.tr, &r.tcfg) != 0) {
		diag("out of memory");
		config_free(r.cfg);
		return RC_FAIL;
	}
	r.have_tr = true;
	/* Structured files appear under their final name only when complete. */
	if (r.opt.output && (r.opt.output[0] == '|' || r.opt.output[0] == '!')) {
		if (open_pipe_output(&r.out, r.opt.output + 1, &r.pipe_done) != 0)
			goto out;
	} else if (writer_open_append(&r.out, r.opt.separate ? NULL : r.opt.output,
				      r.opt.format != FMT_TEXT && r.opt.output, r.opt.append) != 0) {
		/* -ff: the text sink opens FILE.PID per task; tables go to stderr */
		goto out;
	}
	r.have_out = true;

	rc = tracer_start(&r.tr);
	if (rc == 0 && r.opt.interruptible >= 3) {
		/* -I never / never_tstp: the program is started (its mask is its
		 * own); from now on these signals wait until renacer-c exits */
		sigset_t block;
		sigemptyset(&block);
		sigaddset(&block, SIGHUP);
		sigaddset(&block, SIGINT);
		sigaddset(&block, SIGQUIT);
		sigaddset(&block, SIGPIPE);
		sigaddset(&block, SIGTERM);
		if (r.opt.interruptible == 4)
			sigaddset(&block, SIGTSTP);
		sigprocmask(SIG_BLOCK, &block, NULL);
	}
	if (rc != 0) {
		writer_abort(&r.out);
		r.have_out = false;
		if (r.cfg)
			rc = RC_PROGRAM; /* the traced command could not run */
		goto out;
	}
	/* Even without working outputs, the loop must run to let go of the
	 * tracees (kill in launch mode happens via EXITKILL, attach detaches). */
	bool sinks_ok = build_sinks(&r) == 0;
	if (!sinks_ok)
		tracer_abort(&r.tr);
	rc = tracer_run(&r.tr);
	if (!sinks_ok) {
		rc = RC_FAIL;
		goto out;
	}
	struct tracer_outcome end = tracer_outcome(&r.tr);
	struct run_info ri = { .exit_code = rc, .wall_ns = tracer_now(&r.tr), .interrupted = end.interrupted };
	int out_rc = finish_sinks(&r, &ri);
	if (r.have_err && writer_close(&r.err) != 0)
		out_rc = -1;
	r.have_err = false;
	if (out_rc != 0 && writer_error(&r.out)) {
		/* One line with the reason; nothing left under the final name. */
		diag("%s: write failed: %s", writer_name(&r.out), strerror(writer_error(&r.out)));
		writer_abort(&r.out);
	} else if (out_rc != 0) {
		writer_abort(&r.out);
		diag("%s: the trace is incomplete", r.opt.output ? r.opt.output : "stderr");
	} else if (writer_close(&r.out) != 0) {
		out_rc = -1;
	}
	r.have_out = false;
	if (out_rc != 0 && rc == RC_OK)
		rc = RC_FAIL;
	if (r.cfg && r.metrics) {
		/* The gate decides the exit status, the program's end included:
		 * RC_PROGRAM when it crashed or exited other than expect_exit. */
		struct program_status ps;
		assert_program_status(&ps, r.cfg, end.launched, end.ended, end.wstatus);
		struct report_opts ro = { .format = REPORT_TEXT, .output = NULL };
		int gate = assert_evaluate_and_report(r.cfg, r.metrics, NULL, &ps, &ro);
		if (out_rc != 0)
			rc = gate ? gate : RC_FAIL;
		else
			rc = gate;
	}
	if (r.otlp && r.opt.otlp_opt.required && otlp_sink_failed(r.otlp))
		rc = RC_FAIL; /* --otlp-required: spans were lost */
out:
	for (int i = 0; i < r.nsinks; i++)
		r.sinks[i]->destroy(r.sinks[i]->self);
	r.nsinks = 0;
	if (r.have_err)
		writer_abort(&r.err);
	if (r.have_out)
		writer_abort(&r.out);
	if (r.have_tr)
		tracer_destroy(&r.tr);
	wait_pipe_output(&r.pipe_done);
	options_free(&r.opt);
	config_free(r.cfg);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc > 1) {
		if (!strcmp(argv[1], "summary"))
			return cmd_summary(argc - 1, argv + 1);
		if (!strcmp(argv[1], "assert"))
			return cmd_assert(argc - 1, argv + 1);
		if (!strcmp(argv[1], "diff"))
			return cmd_diff(argc - 1, argv + 1);
		if (!strcmp(argv[1], "export"))
			return cmd_export(argc - 1, argv + 1);
	}
	return trace_main(argc, argv);
}
