/* commands.h — the subcommands main() dispatches to.
 *
 * Each takes the arguments after the program name: argv[0] is the
 * subcommand's own name ("summary"), so main calls
 * cmd_summary(argc - 1, argv + 1). Each returns renacer-c's exit status. */
#ifndef RENACER_COMMANDS_H
#define RENACER_COMMANDS_H

/* renacer-c summary [-S SORTBY] TRACE.json — the -c table of a saved
 * trace on stdout, identical to the live -c table of the same run.
 * Exit: 0 ok, 1 output error, 2 usage, 3 unreadable or invalid trace. */
int cmd_summary(int argc, char **argv);

/* renacer-c diff [--tolerance F] [--format text|json] [--max-hunks N]
 * GOLDEN.json NEW.json — golden-trace comparison (docs/design.md, 'Golden traces', golden.h).
 * Exit: 0 equivalent, 1 different, 2 usage, 3 unreadable or invalid trace. */
int cmd_diff(int argc, char **argv);

/* renacer-c assert [--config FILE] [--format text|json|junit|github]
 * [-o REPORT] TRACE.json... — evaluate renacer.toml (default
 * ./renacer.toml) over each saved trace; report on stderr or in REPORT.
 * Exit: 0 pass (warnings allowed), 1 a gating assertion failed, 2 usage,
 * 3 unreadable or invalid trace or baseline, 5 configuration error. */
int cmd_assert(int argc, char **argv);

/* renacer-c export [--otlp-endpoint URL] [--otlp-compression gzip|none]
 * [--otlp-header K=V]... [--otlp-timeout D] [--otlp-required]
 * TRACE.json... — send saved traces to an OpenTelemetry collector
 * (OTLP/HTTP JSON), one trace per file, through the live run's sink.
 * Exit: 0 ok (export failures too, unless --otlp-required: then 1),
 * 2 usage, 3 unreadable or invalid trace. */
int cmd_export(int argc, char **argv);

#endif
