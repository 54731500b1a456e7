/* cmd_summary.c — `renacer-c summary [-S SORTBY] TRACE.json`: feed a saved
 * trace through the same summary sink a live -c run uses. */
#include "commands.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "filter.h"
#include "optparse.h"
#include "summary.h"
#include "summary_sink.h"
#include "trace_reader.h"
#include "writer.h"

struct summary_args {
	enum summary_sort sort;
	const char *path;
};

static enum optp_result summary_opt(void *ctx, const struct opt_def *d, const char *v, const char *as)
{
	struct summary_args *a = ctx;
	if (!d) {
		if (a->path)
			return optp_usage(OPTCMD_SUMMARY, "more than one trace file: '%s'", v);
		a->path = v;
		return OPTP_OK;
	}
	switch (d->id) {
	case OPT_S_HELP:
		optp_help(OPTCMD_SUMMARY, stdout);
		return OPTP_EXIT;
	case OPT_S_SORT:
		if (summary_sort_parse(v, &a->sort) != 0)
			return optp_usage(OPTCMD_SUMMARY, "%s: invalid sort key '%s' (time, calls, errors, name, nothing)",
					  as, v);
		return OPTP_OK;
	default:
		return optp_usage(OPTCMD_SUMMARY, "option '%s' is not handled", as);
	}
}

int cmd_summary(int argc, char **argv)
{
	struct summary_args a = { .sort = SORT_TIME, .path = NULL };
	struct optparse p = { .cmd = OPTCMD_SUMMARY, .permute = true, .fn = summary_opt, .ctx = &a };
	enum optp_result r = optp_parse(&p, argc, argv, NULL);
	if (r == OPTP_EXIT)
		return fflush(stdout) == 0 ? RC_OK : RC_FAIL;
	if (r != OPTP_OK)
		return RC_USAGE;
	enum summary_sort sort = a.sort;
	const char *path = a.path;
	if (!path) {
		optp_usage(OPTCMD_SUMMARY, "%s", "missing TRACE.json");
		return RC_USAGE;
	}

	struct writer out;
	if (writer_open(&out, NULL, false) != 0)
		return RC_FAIL;
	/* The table goes to stdout (the live -c table goes to stderr). */
	out.fd = STDOUT_FILENO;
	out.name = "stdout";
	out.line_flush = false;

	struct filter filter;
	filter_init(&filter);
	struct sink *sum = summary_sink_new(&out, &filter, sort);
	if (!sum) {
		diag("out of memory");
		writer_abort(&out);
		return RC_FAIL;
	}
	struct trace_summary ts;
	char err[1024];
	int rc = trace_read_file(path, &sum, 1, &ts, err, sizeof(err));
	int status = RC_OK;
	if (rc != TRACE_OK) {
		diag("%s", err);
		status = RC_BAD_TRACE;
	} else {
		struct run_info ri;
		trace_summary_run_info(&ts, &ri);
		if (sum->finish(sum->self, &ri) != 0)
			status = RC_FAIL;
	}
	if (writer_close(&out) != 0 && status == RC_OK)
		status = RC_FAIL;
	sum->destroy(sum->self);
	trace_summary_free(&ts);
	return status;
}
