/* cmd_export.c — `renacer-c export [--otlp-* ...] TRACE.json...`: feed
 * saved traces through the OpenTelemetry sink a live --otlp-endpoint run
 * uses; each file becomes its own trace. */
#include "commands.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "diag.h"
#include "optparse.h"
#include "options.h"
#include "otlp.h"
#include "trace_reader.h"

static int export_file(const struct otlp_options *oo, const char *path, bool *failed)
{
	char err[1024];
	struct trace_summary ts;
	/* First pass: the header (start time, host, command) the spans need. */
	int rc = trace_read_file(path, NULL, 0, &ts, err, sizeof(err));
	if (rc != TRACE_OK) {
		diag("%s", err);
		trace_summary_free(&ts);
		return RC_BAD_TRACE;
	}
	struct otlp_run run = { .command = ts.command, .host = ts.host, .start_unix_ns = ts.start_unix_ns };
	if (!run.start_unix_ns) {
		/* No start time (renacer's own v1 files): as if it ended now. */
		struct timespec now;
		clock_gettime(CLOCK_REALTIME, &now);
		uint64_t n = (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
		run.start_unix_ns = n > ts.end_ns ? n - ts.end_ns : n;
	}
	struct sink *s = otlp_sink_new(oo, &run);
	if (!s) {
		trace_summary_free(&ts);
		return RC_FAIL;
	}
	struct trace_summary ts2;
	rc = trace_read_file(path, &s, 1, &ts2, err, sizeof(err));
	int status = RC_OK;
	if (rc != TRACE_OK) {
		diag("%s", err);
		status = RC_BAD_TRACE;
	}
	struct run_info ri;
	trace_summary_run_info(&ts2, &ri);
	s->finish(s->self, &ri);
	if (otlp_sink_failed(s))
		*failed = true;
	s->destroy(s->self);
	trace_summary_free(&ts2);
	trace_summary_free(&ts);
	return status;
}

struct export_args {
	struct otlp_options oo;
	const char **files;
	int nfiles;
};

static enum optp_result export_opt(void *ctx, const struct opt_def *d, const char *v, const char *as)
{
	struct export_args *a = ctx;
	if (!d) {
		a->files[a->nfiles++] = v;
		return OPTP_OK;
	}
	if (d->id == OPT_E_HELP) {
		optp_help(OPTCMD_EXPORT, stdout);
		return OPTP_EXIT;
	}
	const char *why = options_otlp_set(&a->oo, d->lng, v);
	if (why)
		return optp_usage(OPTCMD_EXPORT, "%s: %s: '%s'", as, why, v ? v : "");
	return OPTP_OK;
}

int cmd_export(int argc, char **argv)
{
	struct export_args a;
	memset(&a, 0, sizeof(a));
	a.oo.gzip = -1;
	a.files = calloc(argc > 0 ? (size_t)argc : 1, sizeof(*a.files));
	if (!a.files) {
		diag("out of memory");
		return RC_FAIL;
	}
	struct optparse p = { .cmd = OPTCMD_EXPORT, .permute = true, .fn = export_opt, .ctx = &a };
	enum optp_result r = optp_parse(&p, argc, argv, NULL);
	if (r != OPTP_OK) {
		free(a.files);
		if (r == OPTP_EXIT)
			return fflush(stdout) == 0 ? RC_OK : RC_FAIL;
		return RC_USAGE;
	}
	if (a.nfiles == 0) {
		free(a.files);
		optp_usage(OPTCMD_EXPORT, "%s", "missing TRACE.json");
		return RC_USAGE;
	}
	int status = RC_OK;
	bool failed = false;
	for (int i = 0; i < a.nfiles; i++) {
		int rc = export_file(&a.oo, a.files[i], &failed);
		if (rc != RC_OK && status == RC_OK)
			status = rc;
	}
	free(a.files);
	if (status == RC_OK && failed && a.oo.required)
		status = RC_FAIL;
	return status;
}
