/* cmd_summary.c — `renacer-c summary [-S SORTBY] TRACE.json`: feed a saved
 * trace through the same summary sink a live -c run uses. */
#include "commands.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "filter.h"
#include "summary.h"
#include "summary_sink.h"
#include "trace_reader.h"
#include "writer.h"

/* "renacer-c: summary: MESSAGE" and the usage line on stderr. */
static int summary_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int summary_usage(const char *fmt, ...)
{
	char msg[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag("summary: %s", msg);
	fputs("usage: renacer-c summary [-S SORTBY] TRACE.json\n", stderr);
	return RC_USAGE;
}

static void summary_help(void)
{
	fputs("usage: renacer-c summary [-S SORTBY] TRACE.json\n"
	      "\n"
	      "Print the -c table (strace -c -w layout) of a saved JSON trace.\n"
	      "  -S SORTBY   time (default), calls, errors, name, nothing\n"
	      "\n"
	      "Exit status: 0 ok, 2 usage error, 3 unreadable or invalid trace.\n",
	      stdout);
}

int cmd_summary(int argc, char **argv)
{
	enum summary_sort sort = SORT_TIME;
	const char *path = NULL;
	bool opts_done = false;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!a)
			break;
		if (!opts_done && !strcmp(a, "--")) {
			opts_done = true;
			continue;
		}
		if (!opts_done && (!strcmp(a, "-h") || !strcmp(a, "--help"))) {
			summary_help();
			return fflush(stdout) == 0 ? RC_OK : RC_FAIL;
		}
		if (!opts_done && a[0] == '-' && a[1] == 'S') {
			const char *v = a[2] ? a + 2 : (i + 1 < argc ? argv[++i] : NULL);
			if (!v)
				return summary_usage("%s", "option requires an argument -- 'S'");
			if (summary_sort_parse(v, &sort) != 0)
				return summary_usage("-S: invalid sort key '%s' (time, calls, errors, name, nothing)", v);
			continue;
		}
		if (!opts_done && !strncmp(a, "--sort=", 7)) {
			if (summary_sort_parse(a + 7, &sort) != 0)
				return summary_usage("--sort: invalid sort key '%s' (time, calls, errors, name, nothing)",
						     a + 7);
			continue;
		}
		if (!opts_done && a[0] == '-' && a[1]) {
			return summary_usage("unrecognized option '%s'", a);
		}
		if (path)
			return summary_usage("more than one trace file: '%s'", a);
		path = a;
	}
	if (!path)
		return summary_usage("%s", "missing TRACE.json");

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
