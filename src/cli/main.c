/* main.c — renacer-c entry point: parse, wire sinks to the tracer, run. */
#include <stdio.h>
#include <string.h>

#include "options.h"
#include "summary_sink.h"
#include "text_sink.h"
#include "tracer.h"
#include "writer.h"

static const char *const subcommands[] = { "assert", "diff", "summary", NULL };

int main(int argc, char **argv)
{
	if (argc > 1)
		for (int i = 0; subcommands[i]; i++)
			if (!strcmp(argv[1], subcommands[i])) {
				fprintf(stderr, "renacer-c: '%s': this subcommand is not part of this build yet\n",
					argv[1]);
				return 2;
			}

	struct options opt;
	enum parse_result pr = options_parse(&opt, argc, argv);
	if (pr == PARSE_EXIT_OK)
		return fflush(stdout) == 0 ? 0 : 1;
	if (pr == PARSE_USAGE)
		return 2;

	struct tracer tr;
	if (tracer_init(&tr, &opt) != 0) {
		fprintf(stderr, "renacer-c: out of memory\n");
		return 1;
	}
	struct writer out;
	if (writer_open(&out, opt.output, false) != 0) {
		tracer_destroy(&tr);
		return 1;
	}

	struct sink *text = NULL, *sum = NULL;
	if (!opt.summary_only) {
		struct text_cfg tc = {
			.out = &out,
			.filter = &opt.filter,
			.multi = &tr.multi,
			.ts = opt.ts,
			.show_duration = opt.show_duration,
			.start_real = &tr.start_real,
		};
		text = text_sink_new(&tc);
		if (!text)
			goto oom;
		tracer_add_sink(&tr, text, true);
	}
	if (opt.summary_only || opt.summary_too) {
		sum = summary_sink_new(&out, &opt.filter, opt.sort);
		if (!sum)
			goto oom;
		tracer_add_sink(&tr, sum, false);
	}

	int rc = tracer_run(&tr);
	struct run_info ri = { .exit_code = rc, .wall_ns = tracer_now(&tr), .interrupted = tr.interrupts > 0 };
	int out_rc = 0;
	for (int i = 0; i < tr.nsinks; i++)
		if (tr.sinks[i]->finish && tr.sinks[i]->finish(tr.sinks[i]->self, &ri) != 0)
			out_rc = -1;
	if (writer_close(&out) != 0)
		out_rc = -1;
	else if (out_rc != 0)
		fprintf(stderr, "renacer-c: %s: could not write the trace\n", opt.output ? opt.output : "stderr");
	for (int i = 0; i < tr.nsinks; i++)
		tr.sinks[i]->destroy(tr.sinks[i]->self);
	tracer_destroy(&tr);
	options_free(&opt);
	if (out_rc != 0 && rc == 0)
		rc = 1;
	return rc;

oom:
	fprintf(stderr, "renacer-c: out of memory\n");
	if (text)
		text->destroy(text->self);
	writer_abort(&out);
	tracer_destroy(&tr);
	return 1;
}
