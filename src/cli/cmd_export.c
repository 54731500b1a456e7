/* cmd_export.c — `renacer-c export [--otlp-* ...] TRACE.json...`: feed
 * saved traces through the OpenTelemetry sink a live --otlp-endpoint run
 * uses; each file becomes its own trace. */
#include "commands.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "diag.h"
#include "options.h"
#include "otlp.h"
#include "trace_reader.h"

#define EXPORT_USAGE "usage: renacer-c export [--otlp-endpoint URL] [--otlp-compression gzip|none]\n" \
		     "                        [--otlp-header K=V]... [--otlp-timeout D] [--otlp-required]\n" \
		     "                        TRACE.json...\n"

static void export_help(void)
{
	fputs(EXPORT_USAGE
	      "\n"
	      "Send saved JSON traces to an OpenTelemetry collector (OTLP/HTTP, JSON\n"
	      "encoding, POST URL/v1/traces), one trace per file: a root span, a span per\n"
	      "process, a span per system call.\n"
	      "  --otlp-endpoint URL     collector base URL (default: $OTEL_EXPORTER_OTLP_TRACES_ENDPOINT\n"
	      "                          as-is, $OTEL_EXPORTER_OTLP_ENDPOINT, http://localhost:4318)\n"
	      "  --otlp-compression C    gzip or none (default)\n"
	      "  --otlp-header K=V       an HTTP header (repeatable)\n"
	      "  --otlp-timeout D        per request and for the final flush (default 5s)\n"
	      "  --otlp-required         exit 1 when spans were dropped or the flush failed\n"
	      "\n"
	      "Exit status: 0 ok, 1 export failed with --otlp-required, 2 usage error,\n"
	      "3 unreadable or invalid trace.\n",
	      stdout);
}

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

int cmd_export(int argc, char **argv)
{
	struct otlp_options oo;
	memset(&oo, 0, sizeof(oo));
	oo.gzip = -1;
	int first_file = 0;
	bool opts_done = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!opts_done && !strcmp(a, "--")) {
			opts_done = true;
			continue;
		}
		if (!opts_done && (!strcmp(a, "-h") || !strcmp(a, "--help"))) {
			export_help();
			return fflush(stdout) == 0 ? RC_OK : RC_FAIL;
		}
		if (!opts_done && a[0] == '-' && a[1]) {
			int r = options_parse_otlp(&oo, argc, argv, &i);
			if (r < 0)
				return RC_USAGE;
			if (r == 0) {
				diag("export: unrecognized option '%s'", a);
				fputs(EXPORT_USAGE, stderr);
				return RC_USAGE;
			}
			continue;
		}
		/* Files are compacted to the front of argv. */
		argv[first_file++] = argv[i];
	}
	if (first_file == 0) {
		diag("export: %s", "missing TRACE.json");
		fputs(EXPORT_USAGE, stderr);
		return RC_USAGE;
	}
	int status = RC_OK;
	bool failed = false;
	for (int i = 0; i < first_file; i++) {
		int rc = export_file(&oo, argv[i], &failed);
		if (rc != RC_OK && status == RC_OK)
			status = rc;
	}
	if (status == RC_OK && failed && oo.required)
		status = RC_FAIL;
	return status;
}
