/* cmd_assert.c — `renacer-c assert [--config FILE] [--format FMT]
 * [-o REPORT] TRACE.json...`: the command line of the offline gate (its
 * options are in src/cli/options.def). The work — measuring each saved
 * trace with the same metrics sink and rules a live --assert run uses,
 * and the report — is assert_run_traces (src/analyze/assert_run.h;
 * docs/design.md, "Assertions").
 *
 * Each trace is measured and evaluated on its own; one report covers
 * them all and the exit status is the worst (docs/design.md, "Exit
 * statuses"). */
#include "commands.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assert_run.h"
#include "config.h"
#include "diag.h"
#include "optparse.h"
#include "report.h"

struct assert_args {
	const char *config;
	struct report_opts *ro;
	const char **traces;
	size_t n;
};

static enum optp_result assert_opt(void *ctx, const struct opt_def *d, const char *v, const char *as)
{
	struct assert_args *a = ctx;
	if (!d) {
		a->traces[a->n++] = v;
		return OPTP_OK;
	}
	switch (d->id) {
	case OPT_A_HELP:
		optp_help(OPTCMD_ASSERT, stdout);
		return OPTP_EXIT;
	case OPT_A_CONFIG:
		a->config = v;
		return OPTP_OK;
	case OPT_A_FORMAT:
		if (report_format_parse(v, &a->ro->format) != 0)
			return optp_usage(OPTCMD_ASSERT, "%s: unknown format '%s' (text, json, junit, github)", as, v);
		return OPTP_OK;
	case OPT_A_OUTPUT:
		if (!*v)
			return optp_usage(OPTCMD_ASSERT, "option '%s' requires an argument", as);
		a->ro->output = v;
		return OPTP_OK;
	default:
		return optp_usage(OPTCMD_ASSERT, "option '%s' is not handled", as);
	}
}

int cmd_assert(int argc, char **argv)
{
	struct report_opts ro = {.format = REPORT_TEXT, .output = NULL};
	const char **traces = calloc(argc > 0 ? (size_t)argc : 1, sizeof(*traces));
	if (!traces) {
		diag("out of memory");
		return RC_FAIL;
	}
	struct assert_args aa = { .config = "./renacer.toml", .ro = &ro, .traces = traces, .n = 0 };
	struct optparse p = { .cmd = OPTCMD_ASSERT, .permute = true, .fn = assert_opt, .ctx = &aa };
	enum optp_result r = optp_parse(&p, argc, argv, NULL);
	if (r != OPTP_OK) {
		free(traces);
		if (r == OPTP_EXIT)
			return fflush(stdout) == 0 ? RC_OK : RC_FAIL;
		return RC_USAGE;
	}
	if (aa.n == 0) {
		free(traces);
		optp_usage(OPTCMD_ASSERT, "%s", "missing TRACE.json");
		return RC_USAGE;
	}

	char err[4608];
	struct config *cfg = config_load(aa.config, err, sizeof(err));
	if (!cfg) {
		diag("%s", err);
		free(traces);
		return RC_CONFIG;
	}
	int status = assert_run_traces(cfg, traces, aa.n, &ro);
	free(traces);
	config_free(cfg);
	return status;
}
