/* options.c — strace-style command-line parsing for a tracing run. */
#include "options.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "version.h"
#include "diag.h"

void print_help(void)
{
	fputs(
"usage: renacer-c [OPTIONS] [--] COMMAND [ARG...]   trace a new program\n"
"       renacer-c [OPTIONS] -p PID[,PID...]          attach to running processes\n"
"       renacer-c summary [-S SORTBY] TRACE.json     the -c table of a saved trace\n"
"       renacer-c export [OPTIONS] TRACE.json...     send saved traces to an\n"
"                                                    OpenTelemetry collector\n"
"       renacer-c --help | --version\n"
"\n"
"Tracing:\n"
"  -f                  follow fork, vfork and clone (threads and children)\n"
"  -p PID[,PID...]     attach to running processes (with -f: all their threads);\n"
"                      Ctrl-C detaches and they run on\n"
"  -o FILE             write the trace to FILE (default: stderr)\n"
"  -q                  no attach/detach notices\n"
"\n"
"Filtering:\n"
"  -e trace=SET        trace only SET: names, %file %process %network %signal\n"
"                      %ipc %desc %memory %creds %clock (and %stat %lstat %fstat\n"
"                      %%stat %statfs %fstatfs %%statfs %pure), all, none,\n"
"                      /REGEX; '!' negates; comma-separated\n"
"  -e status=SET       successful, failed, unfinished, unavailable, detached\n"
"  -z                  print only successful calls (-e status=successful)\n"
"  -Z                  print only failed calls (-e status=failed)\n"
"  --slower-than=D     print only calls that took at least D (100us, 2ms, 1s);\n"
"                      -c still counts every call\n"
"  --seccomp-bpf       filter in the kernel: untraced calls never stop the\n"
"                      program (default when -e trace= narrows the set, -f is\n"
"                      given and no -p; needs -f; sets no_new_privs only when\n"
"                      not privileged, and says so; the program is killed if\n"
"                      renacer-c dies)\n"
"  --no-seccomp-bpf    stop on every call and filter in renacer-c (keeps\n"
"                      set-user-ID programs' privileges when unprivileged)\n"
"  --same-cpu          keep renacer-c on the CPU of the task it traces (every\n"
"                      stop is then a same-CPU wake-up); the program's own\n"
"                      affinity is never changed\n"
"\n"
"Output:\n"
"  -c                  count time, calls and errors per syscall; summary only\n"
"  -C                  like -c, but print the trace too\n"
"  -S SORTBY           sort the summary by time (default), calls, errors, name\n"
"                      or nothing\n"
"  -w                  accepted for strace compatibility: summary times are\n"
"                      always wall-clock latency\n"
"  -T                  show the time spent in each call: <0.000123>\n"
"  -t, -tt, -ttt       prefix lines with the time of day, with microseconds,\n"
"                      or as seconds since the epoch\n"
"  -r                  prefix lines with the time since the previous call\n"
"  -y                  print paths next to file descriptors: 3</etc/hosts>\n"
"  -s, --source        append the user source line that made each call:\n"
"                      [file.c:42 in function] (needs DWARF debug info)\n"
"  -k                  print the stack under each call, strace style\n"
"  --function-time     at exit, a table of user functions with their syscall\n"
"                      count, total syscall time and slowest call (implies -s)\n"
"  --unwinder=U        the stack unwinder of -s, -k and --function-time: libdw\n"
"                      or libunwind (default: the faster for each, libunwind for\n"
"                      -s and --function-time, libdw for -k); a call where it\n"
"                      finds no user frame is unwound again with the other one\n"
"  --string-limit N    print at most N bytes of each string (default 32)\n"
"  --assert FILE       evaluate the renacer.toml assertions in FILE against this\n"
"                      run (implies -f); the report goes to stderr and the exit\n"
"                      status is the gate's: 0 pass, 1 failed, 3 unreadable\n"
"                      baseline, 4 the program could not run or crashed,\n"
"                      5 configuration error\n"
"  --format F          output format: text (default), json (renacer-json-v1),\n"
"                      csv, html (one self-contained page) or chrome (trace\n"
"                      events for Perfetto / chrome://tracing); with -o, the\n"
"                      file appears under its name only once complete\n"
"  --otlp-endpoint URL send the trace as OpenTelemetry spans (OTLP/HTTP JSON,\n"
"                      POST URL/v1/traces; default: $OTEL_EXPORTER_OTLP_*\n"
"                      or http://localhost:4318) from a background thread;\n"
"                      this and each option below turns the export on\n"
"  --otlp-compression C  gzip or none (default)\n"
"  --otlp-header K=V   an HTTP header for the collector (repeatable)\n"
"  --otlp-timeout D    per request and for the flush at exit (default 5s)\n"
"  --otlp-required     exit 1 when spans were dropped or the flush failed\n"
"  --compress=rle      with --format json: write a run of identical consecutive\n"
"                      calls of one task (same call, fd or ioctl request,\n"
"                      result class and call site) as one record with an \"rle\"\n"
"                      member (count, first/last time, total/min/max duration);\n"
"                      summary, assert and diff count it as its calls\n"
"\n"
"  -h, --help          show this help and exit\n"
"  -V, --version       show the version and exit\n"
"\n"
"Exit status: the traced program's exit code; 128+N when it was killed by\n"
"signal N; 127 command not found; 126 not executable; 2 usage error;\n"
"1 tracer failure.\n", stdout);
}

static enum parse_result usage(const char *fmt, const char *arg)
{
	diag(fmt, arg);
	fputs("Try 'renacer-c --help' for more information.\n", stderr);
	return PARSE_USAGE;
}

static bool parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	if (!s || !*s || *s == '-' || *s == '+')
		return false;
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return false;
	*out = v;
	return true;
}

static enum parse_result add_pids(struct options *o, const char *list)
{
	char buf[1024];
	if (strlen(list) >= sizeof(buf))
		return usage("-p: list too long: '%s'", list);
	strcpy(buf, list);
	char *save = NULL;
	for (char *tok = strtok_r(buf, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
		unsigned long v;
		if (!parse_uint(tok, INT_MAX, &v) || v == 0)
			return usage("invalid process id: '%s'", tok);
		if (o->nattach >= MAX_ATTACH)
			return usage("too many processes to attach (the limit is 64): '%s'", tok);
		o->attach[o->nattach++] = (pid_t)v;
	}
	if (o->nattach == 0)
		return usage("invalid process id: '%s'", list);
	return PARSE_OK;
}

static enum parse_result apply_expr(struct options *o, const char *expr)
{
	char err[256];
	if (filter_parse_expr(&o->filter, expr, err, sizeof(err)) != 0) {
		diag("-e %s: %s\nTry 'renacer-c --help' for more information.", expr, err);
		return PARSE_USAGE;
	}
	return PARSE_OK;
}

/* Value of a long option given as "--name=value" or "--name value". */
static const char *long_value(int argc, char **argv, int *i, const char *name, bool *matched)
{
	size_t n = strlen(name);
	const char *a = argv[*i];
	*matched = false;
	if (strncmp(a, name, n) != 0)
		return NULL;
	if (a[n] == '=') {
		*matched = true;
		return a + n + 1;
	}
	if (a[n] != '\0')
		return NULL;
	*matched = true;
	if (*i + 1 < argc)
		return argv[++*i];
	return NULL;
}

/* --- OpenTelemetry export options (issue 16) --- */
int options_parse_otlp(struct otlp_options *x, int argc, char **argv, int *i)
{
	bool m;
	const char *v;
	if (!strcmp(argv[*i], "--otlp-required")) {
		x->required = true;
		return 1;
	}
	v = long_value(argc, argv, i, "--otlp-endpoint", &m);
	if (m) {
		if (!v || !*v)
			return usage("%s: missing URL", "--otlp-endpoint"), -1;
		x->endpoint = v;
		return 1;
	}
	v = long_value(argc, argv, i, "--otlp-compression", &m);
	if (m) {
		x->gzip = otlp_parse_compression(v);
		if (x->gzip < 0)
			return usage("--otlp-compression: unknown method '%s' (gzip, none)", v ? v : ""), -1;
		return 1;
	}
	v = long_value(argc, argv, i, "--otlp-header", &m);
	if (m) {
		if (!v || !strchr(v, '=') || *v == '=')
			return usage("--otlp-header: '%s' is not NAME=VALUE", v ? v : ""), -1;
		if (x->nheaders >= OTLP_MAX_HEADERS)
			return usage("%s: too many headers", "--otlp-header"), -1;
		x->headers[x->nheaders++] = v;
		return 1;
	}
	v = long_value(argc, argv, i, "--otlp-timeout", &m);
	if (m) {
		int64_t ms = otlp_parse_timeout(v);
		if (ms <= 0)
			return usage("--otlp-timeout: invalid duration '%s' (5s, 500ms)", v ? v : ""), -1;
		x->timeout_ms = (uint64_t)ms;
		return 1;
	}
	return 0;
}

static enum parse_result parse_long(struct options *o, int argc, char **argv, int *i)
{
	const char *a = argv[*i];
	bool m;
	const char *v;

	if (!strcmp(a, "--help")) {
		print_help();
		return PARSE_EXIT_OK;
	}
	if (!strcmp(a, "--version")) {
		printf("renacer-c %s\n", RENACER_VERSION);
		return PARSE_EXIT_OK;
	}
	if (!strncmp(a, "--otlp-", 7)) {
		int r = options_parse_otlp(&o->otlp_opt, argc, argv, i);
		if (r < 0)
			return PARSE_USAGE;
		if (r > 0) {
			o->otlp = true;
			return PARSE_OK;
		}
	}
	if (!strcmp(a, "--source")) {
		o->source = true;
		return PARSE_OK;
	}
	if (!strcmp(a, "--function-time")) {
		o->function_time = true;
		o->source = true;
		return PARSE_OK;
	}
	if (!strcmp(a, "--seccomp-bpf")) {
		o->seccomp = 1;
		return PARSE_OK;
	}
	if (!strcmp(a, "--no-seccomp-bpf")) {
		o->seccomp = 0;
		return PARSE_OK;
	}
	if (!strcmp(a, "--same-cpu")) {
		o->same_cpu = true;
		return PARSE_OK;
	}
	v = long_value(argc, argv, i, "--string-limit", &m);
	if (m) {
		unsigned long n;
		if (!parse_uint(v, 1u << 20, &n))
			return usage("--string-limit: invalid length '%s'", v ? v : "");
		o->string_limit = (unsigned)n;
		return PARSE_OK;
	}
	v = long_value(argc, argv, i, "--slower-than", &m);
	if (m) {
		char err[200];
		if (!v)
			return usage("%s: missing duration", "--slower-than");
		if (parse_duration(v, &o->filter.slower_than_ns, err, sizeof(err)) != 0)
			return usage("--slower-than: %s", err);
		return PARSE_OK;
	}
	v = long_value(argc, argv, i, "--format", &m);
	if (m) {
		if (v && !strcmp(v, "text")) {
			o->format = FMT_TEXT;
			return PARSE_OK;
		}
		if (v && !strcmp(v, "json")) {
			o->format = FMT_JSON;
			return PARSE_OK;
		}
		if (v && !strcmp(v, "csv")) {
			o->format = FMT_CSV;
			return PARSE_OK;
		}
		if (v && !strcmp(v, "html")) {
			o->format = FMT_HTML;
			return PARSE_OK;
		}
		if (v && !strcmp(v, "chrome")) {
			o->format = FMT_CHROME;
			return PARSE_OK;
		}
		return usage("--format: unknown format '%s' (text, json, csv, html, chrome)", v ? v : "");
	}
	v = long_value(argc, argv, i, "--assert", &m);
	if (m) {
		if (!v || !*v)
			return usage("%s: missing assertions file", "--assert");
		o->assert_file = v;
		o->follow = true; /* a budget covers the whole process tree */
		return PARSE_OK;
	}
	v = long_value(argc, argv, i, "--unwinder", &m);
	if (m) {
		if (v && !strcmp(v, "libdw")) {
			o->unwinder = SOURCE_UNWINDER_LIBDW;
			return PARSE_OK;
		}
		if (v && !strcmp(v, "libunwind")) {
			o->unwinder = SOURCE_UNWINDER_LIBUNWIND;
			return PARSE_OK;
		}
		return usage("--unwinder: unknown unwinder '%s' (libdw, libunwind)", v ? v : "");
	}
	v = long_value(argc, argv, i, "--compress", &m);
	if (m) {
		if (v && !strcmp(v, "rle")) {
			o->compress_rle = true;
			return PARSE_OK;
		}
		return usage("--compress: unknown method '%s' (rle)", v ? v : "");
	}
	return usage("unrecognized option '%s'", a);
}

enum parse_result options_parse(struct options *o, int argc, char **argv)
{
	memset(o, 0, sizeof(*o));
	filter_init(&o->filter);
	o->seccomp = -1;
	o->string_limit = 32;
	o->unwinder = -1;
	o->sort = SORT_TIME;
	o->otlp_opt.gzip = -1;
	int tcount = 0;

	int i = 1;
	for (; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if (a[0] != '-' || a[1] == '\0')
			break;
		if (a[1] == '-') {
			enum parse_result r = parse_long(o, argc, argv, &i);
			if (r != PARSE_OK)
				return r;
			continue;
		}
		/* A cluster of short options: -fc, -tt, -o FILE, -oFILE. */
		for (const char *p = a + 1; *p; p++) {
			const char *val = NULL;
			if (strchr("opeS", *p)) {
				if (p[1])
					val = p + 1;
				else if (i + 1 < argc)
					val = argv[++i];
				else
					return usage("option requires an argument -- '%c'", (char[]){ *p, 0 });
			}
			enum parse_result r = PARSE_OK;
			switch (*p) {
			case 'f': o->follow = true; break;
			case 'q': o->quiet = true; break;
			case 'c': o->summary_only = true; break;
			case 'C': o->summary_too = true; break;
			case 'T': o->show_duration = true; break;
			case 'y': o->show_paths = true; break;
			case 'w': break; /* summary times are wall-clock anyway */
			case 'r': o->ts = TS_RELATIVE; break;
			case 't': tcount++; break;
			case 'z': o->filter.status = ST_SUCCESSFUL; break;
			case 'Z': o->filter.status = ST_FAILED; break;
			case 's': o->source = true; break;
			case 'k': o->stack = true; break;
			case 'h': print_help(); return PARSE_EXIT_OK;
			case 'V': printf("renacer-c %s\n", RENACER_VERSION); return PARSE_EXIT_OK;
			case 'o': o->output = val; break;
			case 'p': r = add_pids(o, val); break;
			case 'e': r = apply_expr(o, val); break;
			case 'S':
				if (summary_sort_parse(val, &o->sort) != 0)
					return usage("-S: invalid sort key '%s' (time, calls, errors, name, nothing)", val);
				break;
			default:
				return usage("invalid option -- '%s'", (char[]){ *p, 0 });
			}
			if (r != PARSE_OK)
				return r;
			if (val)
				break;
		}
	}
	if (tcount == 1)
		o->ts = TS_TIME;
	else if (tcount == 2)
		o->ts = TS_TIME_US;
	else if (tcount >= 3)
		o->ts = TS_EPOCH_US;

	if (i < argc)
		o->command = argv + i;
	if (!o->command && o->nattach == 0)
		return usage("%s", "must have PROG [ARGS] or -p PID");
	if (o->command && o->nattach > 0)
		return usage("%s", "-p and a command to run cannot be combined");
	if (o->nattach > 0 && o->seccomp == 1)
		return usage("%s", "--seccomp-bpf is impossible with -p: the filter must be installed before exec");
	if (o->compress_rle && o->format != FMT_JSON)
		return usage("%s", "--compress=rle needs --format json: only the JSON trace has run records");
	if (o->summary_only && o->summary_too)
		o->summary_only = false; /* -C wins, as in strace */
	return PARSE_OK;
}

void options_free(struct options *o)
{
	(void)o;
}
