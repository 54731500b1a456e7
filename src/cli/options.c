/* options.c — a tracing run's command line: the handler the table-driven
 * parser (optparse.c, options.def) calls for each option of the main
 * command. */
#include "options.h"

#include <errno.h>
#include <pwd.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "decode_flags.h"
#include "optparse.h"
#include "source.h"
#include "version.h"
#include "diag.h"

void print_help(void)
{
	optp_help(OPTCMD_MAIN, stdout);
}

#define usage(...) optp_usage(OPTCMD_MAIN, __VA_ARGS__)

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

static enum optp_result add_pids(struct options *o, const char *list)
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
	return OPTP_OK;
}

/* One signal: "SIGUSR1", "usr1", "10", "SIGRTMIN+1" is not accepted. */
static int signal_number(const char *s, size_t n)
{
	char buf[32];
	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	unsigned long v;
	if (parse_uint(buf, 64, &v))
		return v >= 1 ? (int)v : -1;
	const char *name = buf;
	if (!strncasecmp(name, "SIG", 3))
		name += 3;
	for (int sig = 1; sig <= 64; sig++) {
		const char *sn = signal_name(sig);
		if (sn && !strncmp(sn, "SIG", 3) && !strcasecmp(sn + 3, name))
			return sig;
	}
	return -1;
}

int parse_signal_set(const char *s, uint64_t *set, char *err, size_t errlen)
{
	bool neg = false;
	while (*s == '!') {
		neg = !neg;
		s++;
	}
	uint64_t m = 0;
	if (!strcmp(s, "all")) {
		m = ~0ull;
	} else if (!strcmp(s, "none")) {
		m = 0;
	} else {
		const char *p = s;
		do {
			size_t n = strcspn(p, ",");
			int sig = signal_number(p, n);
			if (sig < 0) {
				snprintf(err, errlen, "invalid signal '%.*s'", (int)n, p);
				return -1;
			}
			m |= 1ull << (sig - 1);
			p += n;
		} while (*p++ == ',');
	}
	*set = neg ? ~m : m;
	return 0;
}

/* --quiet=SET / -e quiet=SET. */
static enum optp_result parse_quiet(struct options *o, const char *v)
{
	bool neg = false;
	while (*v == '!') {
		neg = !neg;
		v++;
	}
	bool attach = false, exitl = false, supers = false, pathres = false;
	const char *p = v;
	do {
		size_t n = strcspn(p, ",");
#define IS(w) (n == strlen(w) && !strncmp(p, w, n))
		if (IS("all")) {
			attach = exitl = supers = pathres = true;
		} else if (IS("none")) {
		} else if (IS("attach") || IS("personality") || IS("path-resolution") || IS("thread-execve")) {
			/* renacer-c prints no personality, path-resolution or
			 * thread-execve notices: nothing more to suppress */
			if (IS("attach"))
				attach = true;
			if (IS("path-resolution"))
				pathres = true;
		} else if (IS("exit")) {
			exitl = true;
		} else if (IS("superseded")) {
			supers = true;
		} else {
			return usage("invalid quiet '%.*s'", (int)n, p);
		}
#undef IS
		p += n;
	} while (*p++ == ',');
	if (neg) {
		attach = !attach;
		exitl = !exitl;
		supers = !supers;
		pathres = !pathres;
	}
	o->quiet_path_resolution = pathres;
	o->quiet = attach;
	o->quiet_exit = exitl;
	o->quiet_superseded = supers;
	return OPTP_OK;
}

static enum optp_result parse_decode_fds(struct options *o, const char *v)
{
	bool path = false, sock = false, dev = false;
	const char *p = v;
	do {
		size_t n = strcspn(p, ",");
		if (n == 4 && !strncmp(p, "path", 4))
			path = true;
		else if (n == 4 && !strncmp(p, "none", 4))
			path = sock = dev = false;
		else if (n == 3 && !strncmp(p, "all", 3))
			path = sock = dev = true;
		else if (n == 6 && !strncmp(p, "socket", 6))
			sock = true;
		else if (n == 3 && !strncmp(p, "dev", 3))
			dev = true;
		else if ((n == 5 && !strncmp(p, "pidfd", 5)) ||
			 (n == 8 && !strncmp(p, "signalfd", 8)) || (n == 7 && !strncmp(p, "eventfd", 7))) {
			diag("--decode-fds=%.*s is not implemented (only path, socket, dev)", (int)n, p);
			return OPTP_USAGE;
		} else {
			return usage("invalid decode-fds value '%.*s'", (int)n, p);
		}
		p += n;
	} while (*p++ == ',');
	if ((sock || dev) && !(path && sock && dev)) {
		diag("--decode-fds=%s is not implemented (socket and dev only with path: all)", v);
		return OPTP_USAGE;
	}
	o->show_paths = path;
	o->fds_all = path && sock && dev;
	return OPTP_OK;
}

/* A precision: s, ms, us, ns (optionally "precision:"), as digits. */
static int precision_digits(const char *v)
{
	if (!strncmp(v, "precision:", 10))
		v += 10;
	if (!strcmp(v, "s"))
		return 0;
	if (!strcmp(v, "ms"))
		return 3;
	if (!strcmp(v, "us"))
		return 6;
	if (!strcmp(v, "ns"))
		return 9;
	return -1;
}

/* --absolute-timestamps=[[format:]FMT][,[precision:]P] */
static enum optp_result parse_abs_ts(struct options *o, const char *v, const char *as)
{
	enum { F_TIME, F_UNIX, F_NONE } fmt = F_TIME;
	int prec = 0; /* fraction digits */
	if (!v) {
		o->ts = TS_TIME;
		o->ts_digits = -1;
		return OPTP_OK;
	}
	const char *p = v;
	do {
		size_t n = strcspn(p, ",");
		char w[32];
		if (n >= sizeof(w))
			return usage("invalid %s argument '%s'", as, v);
		memcpy(w, p, n);
		w[n] = '\0';
		const char *x = w;
		bool f_only = !strncmp(x, "format:", 7), p_only = !strncmp(x, "precision:", 10);
		if (f_only)
			x += 7;
		if (p_only)
			x += 10;
		if (!p_only && !strcmp(x, "time"))
			fmt = F_TIME;
		else if (!p_only && !strcmp(x, "unix"))
			fmt = F_UNIX;
		else if (!p_only && !strcmp(x, "none"))
			fmt = F_NONE;
		else if (!f_only && precision_digits(x) >= 0)
			prec = precision_digits(x);
		else
			return usage("invalid %s argument '%s'", as, w);
		p += n;
	} while (*p++ == ',');
	if (fmt == F_NONE)
		o->ts = TS_NONE;
	else
		o->ts = fmt == F_TIME ? TS_TIME : TS_EPOCH_US;
	o->ts_digits = prec;
	return OPTP_OK;
}

/* -P PATH: the path as given and, when it resolves to another, that too
 * (strace's "Requested path ... resolved into ..."). */
static enum optp_result add_trace_path(struct options *o, const char *v, const char *as)
{
	if (!*v)
		return usage("%s: empty path", as);
	if (o->ntrace_paths + 2 > MAX_TRACE_PATHS)
		return usage("%s: too many paths (the limit is %d)", as, MAX_TRACE_PATHS / 2);
	o->trace_paths[o->ntrace_paths++] = (char *)v;
	char *real = realpath(v, NULL);
	if (real && strcmp(real, v) != 0) {
		o->trace_path_owned[o->ntrace_paths] = true;
		o->trace_paths[o->ntrace_paths++] = real;
	} else {
		free(real);
	}
	return OPTP_OK;
}

/* --trace-fds=SET: numbers, all, none; a leading ! negates. */
static enum optp_result parse_fd_set(struct fd_set_opt *o, const char *v, const char *as)
{
	bool neg = false;
	const char *s0 = v;
	while (*v == '!') {
		neg = !neg;
		v++;
	}
	memset(o->bits, 0, sizeof(o->bits));
	bool all = false;
	const char *p = v;
	do {
		size_t n = strcspn(p, ",");
		char buf[16];
		unsigned long fd;
		if (n == 3 && !strncmp(p, "all", 3)) {
			all = true;
		} else if (n == 4 && !strncmp(p, "none", 4)) {
		} else if (n == 0 || n >= sizeof(buf) ||
			   (memcpy(buf, p, n), buf[n] = '\0', !parse_uint(buf, INT_MAX, &fd))) {
			return usage("invalid %s argument '%s'", as, s0);
		} else if (fd < 1024) {
			o->bits[fd / 64] |= 1ull << (fd % 64);
		} else {
			return usage("%s: file descriptor %lu is too large (the limit is 1023)", as, fd);
		}
		p += n;
	} while (*p++ == ',');
	if (all)
		memset(o->bits, 0xff, sizeof(o->bits));
	o->above = all;
	if (neg) {
		for (int i = 0; i < 16; i++)
			o->bits[i] = ~o->bits[i];
		o->above = !o->above;
	}
	o->on = true;
	return OPTP_OK;
}

struct parse_state {
	struct options *o;
	int tcount, qcount, ycount, fcount, xcount;
	bool kill_on_exit;
};

static enum optp_result apply_expr(struct parse_state *st, const char *expr);

const char *options_otlp_set(struct otlp_options *x, const char *lname, const char *v)
{
	if (!strcmp(lname, "otlp-required")) {
		x->required = true;
	} else if (!strcmp(lname, "otlp-endpoint")) {
		if (!v || !*v)
			return "missing URL";
		x->endpoint = v;
	} else if (!strcmp(lname, "otlp-compression")) {
		x->gzip = otlp_parse_compression(v);
		if (x->gzip < 0)
			return "unknown method (gzip, none)";
	} else if (!strcmp(lname, "otlp-header")) {
		if (!v || !strchr(v, '=') || *v == '=')
			return "not NAME=VALUE";
		if (x->nheaders >= OTLP_MAX_HEADERS)
			return "too many headers";
		x->headers[x->nheaders++] = v;
	} else if (!strcmp(lname, "otlp-timeout")) {
		int64_t ms = otlp_parse_timeout(v);
		if (ms <= 0)
			return "invalid duration (5s, 500ms)";
		x->timeout_ms = (uint64_t)ms;
	} else {
		return "unknown option";
	}
	return NULL;
}

static enum optp_result on_option(void *ctx, const struct opt_def *d, const char *v, const char *as)
{
	struct parse_state *st = ctx;
	struct options *o = st->o;
	char err[256];
	unsigned long n;
	switch (d->id) {
	case OPT_FOLLOW:
		o->follow = true;
		if (++st->fcount >= 2)
			o->separate = true; /* -ff */
		break;
	case OPT_OUTPUT_SEPARATELY: o->separate = true; break;
	case OPT_ATTACH: return add_pids(o, v);
	case OPT_OUTPUT:
		if (!*v)
			return usage("%s: missing file name", as);
		if ((v[0] == '|' || v[0] == '!') && !v[1])
			return usage("%s: missing command after '%c'", as, v[0]);
		o->output = v;
		break;
	case OPT_APPEND: o->append = true; break;
	case OPT_INTERRUPTIBLE: {
		static const char *const names[] = { NULL, "anywhere", "waiting", "never", "never_tstp" };
		int n_i = 0;
		for (int k = 1; k <= 4; k++)
			if (!strcmp(v, names[k]) || (v[0] == '0' + k && !v[1]))
				n_i = k;
		if (!n_i)
			return usage("invalid %s argument: '%s'", as[1] == '-' ? as : "-I", v);
		o->interruptible = n_i;
		break;
	}
	case OPT_SILENT:
	case OPT_SILENCE:
	case OPT_QUIET:
		if (v)
			return parse_quiet(o, v);
		st->qcount++;
		o->quiet = true;
		if (st->qcount >= 2)
			o->quiet_exit = true;
		if (st->qcount >= 3)
			o->quiet_superseded = true;
		break;
	case OPT_SAME_CPU: o->same_cpu = true; break;
	case OPT_EXPR: return apply_expr(st, v);
	case OPT_TRACE:
	case OPT_STATUS: {
		char buf[4096];
		snprintf(buf, sizeof(buf), "%s=%s", d->id == OPT_TRACE ? "trace" : "status", v);
		if (filter_parse_expr(&o->filter, buf, err, sizeof(err)) != 0)
			return usage("%s=%s: %s", as, v, err);
		break;
	}
	case OPT_TRACE_PATH: return add_trace_path(o, v, as);
	case OPT_ENV:
		if (o->nenv >= 64)
			return usage("%s: too many variables (the limit is 64)", as);
		o->env_ops[o->nenv++] = (char *)v;
		break;
	case OPT_USER: {
		struct passwd *pw = getpwnam(v);
		if (!pw) {
			unsigned long id;
			if (!parse_uint(v, UINT_MAX - 1, &id) || !(pw = getpwuid((uid_t)id))) {
				diag("Cannot find user '%s'", v);
				return OPTP_USAGE;
			}
		}
		if (geteuid() != 0) {
			diag("-u %s: only root can run a program as another user", v);
			return OPTP_USAGE;
		}
		o->user = v;
		o->user_uid = pw->pw_uid;
		o->user_gid = pw->pw_gid;
		break;
	}
	case OPT_KILL_ON_EXIT:
		st->kill_on_exit = true; /* launch mode's behaviour; refused with -p below */
		break;
	case OPT_ARGV0:
		o->argv0 = v;
		break;
	case OPT_TRACE_FDS: return parse_fd_set(&o->trace_fds, v, as);
	case OPT_READ: return parse_fd_set(&o->dump_read, v, as);
	case OPT_WRITE: return parse_fd_set(&o->dump_write, v, as);
	case OPT_SIGNAL:
		if (parse_signal_set(v, &o->sigset, err, sizeof(err)) != 0)
			return usage("%s", err);
		o->sig_filter = true;
		break;
	case OPT_SUCCESSFUL: o->filter.status = ST_SUCCESSFUL; break;
	case OPT_FAILED: o->filter.status = ST_FAILED; break;
	case OPT_SLOWER_THAN:
		if (parse_duration(v, &o->filter.slower_than_ns, err, sizeof(err)) != 0)
			return usage("--slower-than: %s", err);
		break;
	case OPT_SECCOMP: o->seccomp = 1; break;
	case OPT_NO_SECCOMP: o->seccomp = 0; break;
	case OPT_COLUMNS:
		if (!parse_uint(v, 1024, &n))
			return usage("invalid -a argument: '%s'", v);
		o->column = (unsigned)n;
		break;
	case OPT_INSTRUCTION_POINTER: o->show_ip = true; break;
	case OPT_SYSCALL_NUMBER: o->show_nr = true; break;
	case OPT_ALWAYS_SHOW_PID: o->always_pid = true; break;
	case OPT_STACK: o->stack = true; break;
	case OPT_DETACH_ON:
		if (strcmp(v, "execve") != 0) {
			diag("Syscall '%s' for -b isn't supported", v);
			return OPTP_USAGE;
		}
		o->detach_on_execve = true;
		break;
	case OPT_SYSCALL_LIMIT:
		if (!parse_uint(v, (unsigned long)-1 / 2, &n) || n == 0)
			return usage("invalid %s argument: '%s'", as, v);
		o->syscall_limit = n;
		break;
	case OPT_STRING_LIMIT:
		if (!parse_uint(v, 1u << 20, &n))
			return usage("invalid %s argument: '%s'", as, v);
		o->string_limit = (unsigned)n;
		break;
	case OPT_SOURCE: o->source = true; break;
	case OPT_ABSOLUTE_TIMESTAMPS:
		if (as[1] != '-') {
			st->tcount++;
			break;
		}
		st->tcount = 0;
		return parse_abs_ts(o, v, as);
	case OPT_TIMESTAMPS:
		st->tcount = 0;
		return parse_abs_ts(o, v, as);
	case OPT_RELATIVE_TIMESTAMPS:
		o->ts = TS_RELATIVE;
		o->ts_digits = v ? precision_digits(v) : 6;
		if (o->ts_digits < 0)
			return usage("invalid precision '%s' for %s", v, as);
		break;
	case OPT_SYSCALL_TIMES:
		o->show_duration = true;
		if (v) {
			int digits = precision_digits(v);
			if (digits < 0)
				return usage("invalid precision '%s' for %s", v, as);
			o->dur_digits = digits == 0 ? -1 : digits;
		}
		break;
	case OPT_CONST_PRINT_STYLE:
		if (!strcmp(v, "abbrev"))
			o->xlat = 0; /* the default: names */
		else if (!strcmp(v, "raw"))
			o->xlat = 1;
		else if (!strcmp(v, "verbose"))
			o->xlat = 2;
		else
			return usage("invalid %s argument: '%s'", as[1] == '-' ? as : "-X", v);
		break;
	case OPT_NO_ABBREV: o->no_abbrev = true; break;
	case OPT_STRINGS_IN_HEX:
		if (as[1] != '-') {
			if (++st->xcount >= 2)
				o->strings_hex = 3;
			else
				o->strings_hex = 2;
			break;
		}
		if (!v || !strcmp(v, "all"))
			o->strings_hex = 3;
		else if (!strcmp(v, "non-ascii"))
			o->strings_hex = 2;
		else if (!strcmp(v, "non-ascii-chars"))
			o->strings_hex = 1;
		else if (!strcmp(v, "none"))
			o->strings_hex = 0;
		else
			return usage("invalid %s argument: '%s'", as, v);
		break;
	case OPT_DECODE_PIDS:
		if (!v || !strcmp(v, "comm")) {
			o->show_comm = true;
		} else if (!strcmp(v, "pidns")) {
			diag("--decode-pids=pidns is not implemented (only comm)");
			return OPTP_USAGE;
		} else {
			return usage("invalid decode-pids value '%s'", v);
		}
		break;
	case OPT_DECODE_FDS:
		if (v)
			return parse_decode_fds(o, v);
		o->show_paths = true;
		if (++st->ycount >= 2)
			o->fds_all = true;
		break;
	case OPT_FORMAT:
		if (!strcmp(v, "text"))
			o->format = FMT_TEXT;
		else if (!strcmp(v, "json"))
			o->format = FMT_JSON;
		else if (!strcmp(v, "csv"))
			o->format = FMT_CSV;
		else if (!strcmp(v, "html"))
			o->format = FMT_HTML;
		else if (!strcmp(v, "chrome"))
			o->format = FMT_CHROME;
		else
			return usage("--format: unknown format '%s' (text, json, csv, html, chrome)", v);
		break;
	case OPT_COMPRESS:
		if (strcmp(v, "rle"))
			return usage("--compress: unknown method '%s' (rle)", v);
		o->compress_rle = true;
		break;
	case OPT_SUMMARY_ONLY: o->summary_only = true; break;
	case OPT_SUMMARY: o->summary_too = true; break;
	case OPT_SUMMARY_SYSCALL_OVERHEAD: {
		char perr[128];
		if (parse_duration(v, &o->overhead_ns, perr, sizeof(perr)) != 0)
			return usage("invalid %s argument: '%s'", as, v);
		break;
	}
	case OPT_SUMMARY_SORT_BY:
		if (summary_sort_parse(v, &o->sort) != 0)
			return usage("%s: invalid sort key '%s' (time, calls, errors, name, nothing)", as, v);
		break;
	case OPT_SUMMARY_WALL_CLOCK: break; /* summary times are wall-clock latency anyway */
	case OPT_FUNCTION_TIME:
		o->function_time = true;
		o->source = true;
		break;
	case OPT_OTLP_ENDPOINT:
	case OPT_OTLP_COMPRESSION:
	case OPT_OTLP_HEADER:
	case OPT_OTLP_TIMEOUT:
	case OPT_OTLP_REQUIRED: {
		const char *why = options_otlp_set(&o->otlp_opt, d->lng, v);
		if (why)
			return usage("%s: %s: '%s'", as, why, v ? v : "");
		o->otlp = true; /* any --otlp-* option turns export on */
		break;
	}
	case OPT_UNWINDER:
		if (!strcmp(v, "libdw"))
			o->unwinder = SOURCE_UNWINDER_LIBDW;
		else if (!strcmp(v, "libunwind"))
			o->unwinder = SOURCE_UNWINDER_LIBUNWIND;
		else
			return usage("--unwinder: unknown unwinder '%s' (libdw, libunwind)", v);
		break;
	case OPT_ASSERT:
		if (!*v)
			return usage("%s: missing assertions file", "--assert");
		o->assert_file = v;
		o->follow = true; /* a budget covers the whole process tree */
		break;
	case OPT_HELP:
		print_help();
		return OPTP_EXIT;
	case OPT_VERSION:
		printf("renacer-c -- version %s\n"
		       "A ptrace-based system-call tracer, strace's command line and output.\n",
		       RENACER_VERSION);
		return OPTP_EXIT;
	default:
		return usage("option '%s' is not handled", as);
	}
	return OPTP_OK;
}

/* -e QUALIFIER=VALUE: each qualifier is its long option. */
static enum optp_result apply_expr(struct parse_state *st, const char *expr)
{
	const char *eq = strchr(expr, '=');
	if (eq) {
		size_t n = (size_t)(eq - expr);
		static const struct { const char *q; enum opt_id id; } map[] = {
			{ "trace", OPT_TRACE }, { "t", OPT_TRACE }, { "status", OPT_STATUS },
			{ "signal", OPT_SIGNAL }, { "signals", OPT_SIGNAL }, { "s", OPT_SIGNAL },
			{ "quiet", OPT_QUIET }, { "silent", OPT_QUIET }, { "silence", OPT_QUIET }, { "q", OPT_QUIET },
			{ "decode-fds", OPT_DECODE_FDS }, { "decode-fd", OPT_DECODE_FDS },
			{ "decode-pids", OPT_DECODE_PIDS }, { "decode-pid", OPT_DECODE_PIDS },
			{ "trace-fds", OPT_TRACE_FDS }, { "trace-fd", OPT_TRACE_FDS }, { "fd", OPT_TRACE_FDS },
			{ "fds", OPT_TRACE_FDS }, { "read", OPT_READ }, { "reads", OPT_READ }, { "r", OPT_READ },
			{ "write", OPT_WRITE }, { "writes", OPT_WRITE }, { "w", OPT_WRITE },
		};
		for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
			if (strlen(map[i].q) != n || strncmp(map[i].q, expr, n))
				continue;
			for (size_t k = 0; k < opt_ndefs; k++)
				if (opt_defs[k].id == map[i].id && opt_defs[k].cmd == OPTCMD_MAIN) {
					char as[64];
					snprintf(as, sizeof(as), "-e %s", map[i].q);
					return on_option(st, &opt_defs[k], eq + 1, as);
				}
		}
		static const char *const notimpl[] = { "abbrev", "a", "verbose", "v", "raw", "x", "kvm",
							"inject", "fault" };
		for (size_t i = 0; i < sizeof(notimpl) / sizeof(notimpl[0]); i++)
			if (strlen(notimpl[i]) == n && !strncmp(notimpl[i], expr, n)) {
				bool tamper = !strcmp(notimpl[i], "inject") || !strcmp(notimpl[i], "fault");
				diag("%s-e %.*s= is not implemented",
					tamper ? "tampering: " : "", (int)n, expr);
				return OPTP_USAGE;
			}
	}
	char err[256];
	if (filter_parse_expr(&st->o->filter, expr, err, sizeof(err)) != 0)
		return usage("-e %s: %s", expr, err);
	return OPTP_OK;
}

enum parse_result options_parse(struct options *o, int argc, char **argv)
{
	memset(o, 0, sizeof(*o));
	filter_init(&o->filter);
	o->seccomp = -1;
	o->unwinder = -1;
	o->otlp_opt.gzip = -1;
	o->string_limit = 32;
	o->column = 40;
	o->ts_digits = -1;
	o->sort = SORT_TIME;
	struct parse_state st = { .o = o };
	struct optparse p = { .cmd = OPTCMD_MAIN, .permute = false, .fn = on_option, .ctx = &st };
	int i = argc;
	enum optp_result r = optp_parse(&p, argc, argv, &i);
	if (r == OPTP_EXIT)
		return PARSE_EXIT_OK;
	if (r != OPTP_OK)
		return PARSE_USAGE;
	if (st.tcount == 1)
		o->ts = TS_TIME;
	else if (st.tcount == 2)
		o->ts = TS_TIME_US;
	else if (st.tcount >= 3)
		o->ts = TS_EPOCH_US;

	if (i < argc)
		o->command = argv + i;
	if (!o->command && o->nattach == 0) {
		usage("%s", "must have PROG [ARGS] or -p PID");
		return PARSE_USAGE;
	}
	if (o->command && o->nattach > 0) {
		usage("%s", "-p and a command to run cannot be combined");
		return PARSE_USAGE;
	}
	if (o->nattach > 0 && st.kill_on_exit) {
		usage("%s", "--kill-on-exit and -p cannot be combined");
		return PARSE_USAGE;
	}
	if (o->nattach > 0 && (o->nenv || o->user || o->argv0)) {
		usage("%s", "-E, -u and --argv0 apply to a command renacer-c starts, not to -p");
		return PARSE_USAGE;
	}
	if (o->nattach > 0 && o->seccomp == 1) {
		usage("%s", "--seccomp-bpf is impossible with -p: the filter must be installed before exec");
		return PARSE_USAGE;
	}
	if (o->compress_rle && o->format != FMT_JSON) {
		usage("%s", "--compress=rle needs --format json: only the JSON trace has run records");
		return PARSE_USAGE;
	}
	if (o->append && !o->output) {
		usage("%s", "-A needs -o FILE");
		return PARSE_USAGE;
	}
	if (o->output && (o->output[0] == '|' || o->output[0] == '!') && o->append) {
		usage("%s", "-A cannot append to a command (-o |COMMAND)");
		return PARSE_USAGE;
	}
	if (o->append && o->format != FMT_TEXT) {
		usage("%s", "-A works with the text format only (a structured file is written whole)");
		return PARSE_USAGE;
	}
	if (o->separate && o->format != FMT_TEXT && o->output) {
		usage("%s", "-ff/--output-separately works with the text format only");
		return PARSE_USAGE;
	}
	if (o->separate && o->output && (o->output[0] == '|' || o->output[0] == '!')) {
		usage("%s", "-ff/--output-separately needs a file name, not a command");
		return PARSE_USAGE;
	}
	if (!o->output)
		o->separate = false; /* strace: without -o, one stream */
	for (int k = 1; k < o->ntrace_paths; k++)
		if (o->trace_path_owned[k] && !o->quiet_path_resolution)
			diag("Requested path \"%s\" resolved into \"%s\"", o->trace_paths[k - 1],
				o->trace_paths[k]);
	if (o->summary_only && o->summary_too)
		o->summary_only = false; /* -C wins, as in strace */
	return PARSE_OK;
}

void options_free(struct options *o)
{
	for (int i = 0; i < o->ntrace_paths; i++)
		if (o->trace_path_owned[i])
			free(o->trace_paths[i]);
	o->ntrace_paths = 0;
}
