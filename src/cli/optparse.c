/* optparse.c — the table-driven parser and --help of every command
 * (see optparse.h and options.def). */
#include "optparse.h"

#include "diag.h"

#include <stdarg.h>
#include <string.h>

const struct opt_def opt_defs[] = {
#define OPT(c, i, s, l, a, m, cat, h, man) \
	{ OPTCMD_##c, OPT_##i, (char)(s), l, OPTARG_##a, m, cat, h, man },
#define REJECT(...)
#include "options.def"
#undef OPT
#undef REJECT
};
const size_t opt_ndefs = sizeof(opt_defs) / sizeof(opt_defs[0]);

const struct opt_reject opt_rejects[] = {
#define OPT(...)
#define REJECT(c, s, l, w) { OPTCMD_##c, (char)(s), l, w },
#include "options.def"
#undef OPT
#undef REJECT
};
const size_t opt_nrejects = sizeof(opt_rejects) / sizeof(opt_rejects[0]);

const struct opt_cmd_def opt_cmds[OPTCMD__COUNT] = {
#define OPT(...)
#define REJECT(...)
#define CMD(c, n, ops, d, e) [OPTCMD_##c] = { OPTCMD_##c, n, ops, d, e },
#include "options.def"
#undef OPT
#undef REJECT
#undef CMD
};

enum optp_result optp_usage(enum opt_cmd cmd, const char *fmt, ...)
{
	va_list ap;
	fputs("renacer-c: ", stderr);
	if (cmd != OPTCMD_MAIN)
		fprintf(stderr, "%s: ", opt_cmds[cmd].name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (cmd == OPTCMD_MAIN)
		fputs("Try 'renacer-c --help' for more information.\n", stderr);
	else
		optp_usage_line(cmd, stderr);
	return OPTP_USAGE;
}

static void usage_opts(enum opt_cmd cmd, FILE *f)
{
	for (size_t i = 0; i < opt_ndefs; i++) {
		const struct opt_def *d = &opt_defs[i];
		if (d->cmd != cmd)
			continue;
		if (d->sh)
			fprintf(f, " [-%c", d->sh);
		else
			fprintf(f, " [--%s", d->lng);
		if (d->arg == OPTARG_REQ)
			fprintf(f, " %s", d->metavar);
		fputc(']', f);
	}
}

void optp_usage_line(enum opt_cmd cmd, FILE *f)
{
	fprintf(f, "usage: renacer-c %s", opt_cmds[cmd].name);
	usage_opts(cmd, f);
	fprintf(f, " %s\n", opt_cmds[cmd].operands);
}

/* "-o, --output=FILE", "--quiet[=SET]", "-e EXPR". */
static size_t opt_label(const struct opt_def *d, char *buf, size_t cap)
{
	size_t n = 0;
	if (d->sh) {
		n += (size_t)snprintf(buf + n, cap - n, "-%c", d->sh);
		if (!d->lng && d->arg == OPTARG_REQ)
			n += (size_t)snprintf(buf + n, cap - n, " %s", d->metavar);
	}
	if (d->lng) {
		n += (size_t)snprintf(buf + n, cap - n, "%s--%s", d->sh ? ", " : "", d->lng);
		if (d->arg == OPTARG_REQ)
			n += (size_t)snprintf(buf + n, cap - n, "=%s", d->metavar);
		else if (d->arg == OPTARG_OPT)
			n += (size_t)snprintf(buf + n, cap - n, "[=%s]", d->metavar);
	}
	return n < cap ? n : cap - 1;
}

#define HELP_COL 28

static void help_options(enum opt_cmd cmd, FILE *f)
{
	const char *cats[32];
	size_t ncats = 0;
	for (size_t i = 0; i < opt_ndefs; i++) {
		if (opt_defs[i].cmd != cmd)
			continue;
		bool seen = false;
		for (size_t c = 0; c < ncats; c++)
			seen = seen || !strcmp(cats[c], opt_defs[i].category);
		if (!seen && ncats < 32)
			cats[ncats++] = opt_defs[i].category;
	}
	for (size_t c = 0; c < ncats; c++) {
		fprintf(f, "\n%s:\n", cats[c]);
		for (size_t i = 0; i < opt_ndefs; i++) {
			const struct opt_def *d = &opt_defs[i];
			if (d->cmd != cmd || strcmp(d->category, cats[c]))
				continue;
			char label[128];
			size_t n = opt_label(d, label, sizeof(label));
			fprintf(f, "  %s", label);
			if (n + 2 >= HELP_COL - 1)
				fprintf(f, "\n%*s", HELP_COL, "");
			else
				fprintf(f, "%*s", (int)(HELP_COL - 2 - n), "");
			for (const char *p = d->help; *p; p++) {
				fputc(*p, f);
				if (*p == '\n')
					fprintf(f, "%*s", HELP_COL, "");
			}
			fputc('\n', f);
		}
	}
}

void optp_help(enum opt_cmd cmd, FILE *f)
{
	if (cmd == OPTCMD_MAIN) {
		fputs("usage: renacer-c [OPTIONS] [--] COMMAND [ARG...]   trace a new program\n"
		      "       renacer-c [OPTIONS] -p PID[,PID...]          attach to running processes\n", f);
		for (int c = 1; c < OPTCMD__COUNT; c++) {
			fprintf(f, "       renacer-c %s", opt_cmds[c].name);
			usage_opts((enum opt_cmd)c, f);
			fprintf(f, " %s\n", opt_cmds[c].operands);
		}
		fputs("       renacer-c --help | --version\n", f);
	} else {
		optp_usage_line(cmd, f);
		if (*opt_cmds[cmd].desc)
			fprintf(f, "\n%s", opt_cmds[cmd].desc);
	}
	help_options(cmd, f);
	if (*opt_cmds[cmd].epilog)
		fprintf(f, "\n%s", opt_cmds[cmd].epilog);
}

static bool all_digits(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static const struct opt_def *find_short(enum opt_cmd cmd, char c)
{
	for (size_t i = 0; i < opt_ndefs; i++)
		if (opt_defs[i].cmd == cmd && opt_defs[i].sh == c)
			return &opt_defs[i];
	return NULL;
}

static const struct opt_def *find_id(enum opt_id id)
{
	for (size_t i = 0; i < opt_ndefs; i++)
		if (opt_defs[i].id == id)
			return &opt_defs[i];
	return NULL;
}

static enum optp_result reject_short(enum opt_cmd cmd, char c)
{
	for (size_t i = 0; i < opt_nrejects; i++)
		if (opt_rejects[i].cmd == cmd && opt_rejects[i].sh == c) {
			diag("%s is not implemented (option '-%c')", opt_rejects[i].what, c);
			return OPTP_USAGE;
		}
	return optp_usage(cmd, "invalid option -- '%c'", c);
}

static enum optp_result parse_long(const struct optparse *p, int argc, char **argv, int *i)
{
	const char *a = argv[*i] + 2;
	const char *eq = strchr(a, '=');
	size_t len = eq ? (size_t)(eq - a) : strlen(a);
	const struct opt_def *hit = NULL;
	int nprefix = 0;
	const struct opt_def *prefix = NULL;
	for (size_t k = 0; k < opt_ndefs; k++) {
		const struct opt_def *d = &opt_defs[k];
		if (d->cmd != p->cmd || !d->lng || strncmp(d->lng, a, len))
			continue;
		if (d->lng[len] == '\0') {
			hit = d;
			break;
		}
		nprefix++;
		prefix = d;
	}
	if (!hit) {
		for (size_t k = 0; k < opt_nrejects; k++) {
			const struct opt_reject *r = &opt_rejects[k];
			if (r->cmd == p->cmd && r->lng && strlen(r->lng) == len && !strncmp(r->lng, a, len)) {
				diag("%s is not implemented (option '--%.*s')", r->what,
					(int)len, a);
				return OPTP_USAGE;
			}
		}
		if (nprefix == 1 && len > 0)
			hit = prefix;
		else if (nprefix > 1 && len > 0)
			return optp_usage(p->cmd, "option '--%.*s' is ambiguous", (int)len, a);
		else
			return optp_usage(p->cmd, "unrecognized option '%s'", argv[*i]);
	}
	char as[96];
	snprintf(as, sizeof(as), "--%s", hit->lng);
	const char *val = NULL;
	switch (hit->arg) {
	case OPTARG_NONE:
		if (eq)
			return optp_usage(p->cmd, "option '%s' doesn't allow an argument", as);
		break;
	case OPTARG_OPT:
		val = eq ? eq + 1 : NULL;
		break;
	case OPTARG_REQ:
		if (eq)
			val = eq + 1;
		else if (*i + 1 < argc)
			val = argv[++*i];
		else
			return optp_usage(p->cmd, "option '%s' requires an argument", as);
		break;
	}
	return p->fn(p->ctx, hit, val, as);
}

static enum optp_result parse_short(const struct optparse *p, int argc, char **argv, int *i)
{
	const char *a = argv[*i];
	for (const char *c = a + 1; *c; c++) {
		char as[3] = { '-', *c, 0 };
		/* strace's -s N: a number after -s is the string limit; -s
		 * followed by anything else is renacer's --source. */
		if (p->cmd == OPTCMD_MAIN && *c == 's') {
			const char *v = NULL;
			if (c[1] && all_digits(c + 1))
				v = c + 1;
			else if (!c[1] && *i + 1 < argc && all_digits(argv[*i + 1]))
				v = argv[++*i];
			if (v)
				return p->fn(p->ctx, find_id(OPT_STRING_LIMIT), v, "-s");
		}
		const struct opt_def *d = find_short(p->cmd, *c);
		if (!d)
			return reject_short(p->cmd, *c);
		if (d->arg == OPTARG_REQ) {
			const char *v;
			if (c[1])
				v = c + 1;
			else if (*i + 1 < argc)
				v = argv[++*i];
			else
				return optp_usage(p->cmd, "option requires an argument -- '%c'", *c);
			return p->fn(p->ctx, d, v, as);
		}
		enum optp_result r = p->fn(p->ctx, d, NULL, as);
		if (r != OPTP_OK)
			return r;
	}
	return OPTP_OK;
}

enum optp_result optp_parse(const struct optparse *p, int argc, char **argv, int *first)
{
	int i = 1;
	bool done = false;
	for (; i < argc && argv[i]; i++) {
		const char *a = argv[i];
		enum optp_result r;
		if (!done && !strcmp(a, "--")) {
			done = true;
			if (!p->permute) {
				i++;
				break;
			}
			continue;
		}
		if (done || a[0] != '-' || a[1] == '\0') {
			if (!p->permute)
				break;
			r = p->fn(p->ctx, NULL, a, NULL);
		} else if (a[1] == '-') {
			r = parse_long(p, argc, argv, &i);
		} else {
			r = parse_short(p, argc, argv, &i);
		}
		if (r != OPTP_OK)
			return r;
	}
	if (first)
		*first = i;
	return OPTP_OK;
}
