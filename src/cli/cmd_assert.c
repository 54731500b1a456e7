/* cmd_assert.c — `renacer-c assert [--config FILE] [--format FMT]
 * [-o REPORT] TRACE.json...`: the command line of the offline gate. The
 * work — measuring each saved trace with the same metrics sink and rules
 * a live --assert run uses, and the report — is assert_run_traces
 * (src/analyze/assert_run.h; docs/design.md, "Assertions").
 *
 * Each trace is measured and evaluated on its own; one report covers
 * them all and the exit status is the worst (docs/design.md, "Exit
 * statuses"). */
#include "commands.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assert_run.h"
#include "config.h"
#include "diag.h"
#include "report.h"

#define ASSERT_USAGE "usage: renacer-c assert [--config FILE] [--format text|json|junit|github] [-o REPORT] TRACE.json...\n"

/* "renacer-c: assert: MESSAGE" and the usage line on stderr. */
static int assert_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int assert_usage(const char *fmt, ...)
{
	char msg[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag("assert: %s", msg);
	fputs(ASSERT_USAGE, stderr);
	return RC_USAGE;
}

static void assert_help(void)
{
	fputs(ASSERT_USAGE
	      "\n"
	      "Evaluate the assertions of a renacer.toml over saved JSON traces\n"
	      "(written with --format json); each trace is evaluated on its own.\n"
	      "  --config FILE   the assertions (default ./renacer.toml)\n"
	      "  --format FMT    report format: text (default), json, junit, github\n"
	      "  -o REPORT       write the report to REPORT (atomically) instead of stderr\n"
	      "\n"
	      "Exit status: 0 pass (warnings allowed), 1 a gating assertion failed,\n"
	      "2 usage error, 3 unreadable or invalid trace or baseline, 4 the traced\n"
	      "program exited with a status other than expect_exit (default 0) or was\n"
	      "killed, 5 configuration error (one with no enabled assertion included).\n",
	      stdout);
}

/* The value of an option given as "--opt VALUE" or "--opt=VALUE" (or
 * "-o VALUE" / "-oVALUE" for short ones). NULL when A is not OPT; sets
 * *missing when the value is absent. */
static const char *opt_value(int argc, char **argv, int *i, const char *opt, bool *missing)
{
	const char *a = argv[*i];
	size_t n = strlen(opt);
	if (strncmp(a, opt, n) != 0)
		return NULL;
	if (a[n] == '\0') {
		if (*i + 1 < argc && argv[*i + 1])
			return argv[++*i];
		*missing = true;
		return NULL;
	}
	if (opt[1] == '-' && a[n] == '=')
		return a + n + 1;
	if (opt[1] != '-')
		return a + n;
	return NULL;
}

int cmd_assert(int argc, char **argv)
{
	const char *config_path = "./renacer.toml";
	struct report_opts ro = {.format = REPORT_TEXT, .output = NULL};
	bool opts_done = false;

	const char **traces = calloc(argc > 0 ? (size_t)argc : 1, sizeof(*traces));
	if (!traces) {
		diag("out of memory");
		return RC_FAIL;
	}
	size_t ntraces = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!a)
			break;
		if (opts_done || a[0] != '-' || !a[1]) {
			traces[ntraces++] = a;
			continue;
		}
		if (!strcmp(a, "--")) {
			opts_done = true;
			continue;
		}
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			free(traces);
			assert_help();
			return fflush(stdout) == 0 ? RC_OK : RC_FAIL;
		}
		bool missing = false;
		const char *v;
		if ((v = opt_value(argc, argv, &i, "--config", &missing)) || missing) {
			if (missing) {
				free(traces);
				return assert_usage("option '%s' requires an argument", "--config");
			}
			config_path = v;
		} else if ((v = opt_value(argc, argv, &i, "--format", &missing)) || missing) {
			if (missing || report_format_parse(v, &ro.format) != 0) {
				free(traces);
				if (missing)
					return assert_usage("option '%s' requires an argument", "--format");
				return assert_usage("--format: unknown format '%s' (text, json, junit, github)", v);
			}
		} else if ((v = opt_value(argc, argv, &i, "--output", &missing)) || missing ||
			   (v = opt_value(argc, argv, &i, "-o", &missing)) || missing) {
			if (missing || !*v) {
				free(traces);
				return assert_usage("option '%s' requires an argument", a);
			}
			ro.output = v;
		} else {
			free(traces);
			return assert_usage("unrecognized option '%s'", a);
		}
	}
	if (ntraces == 0) {
		free(traces);
		return assert_usage("%s", "missing TRACE.json");
	}

	char err[4608];
	struct config *cfg = config_load(config_path, err, sizeof(err));
	if (!cfg) {
		diag("%s", err);
		free(traces);
		return RC_CONFIG;
	}
	int status = assert_run_traces(cfg, traces, ntraces, &ro);
	free(traces);
	config_free(cfg);
	return status;
}
