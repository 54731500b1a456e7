/* optgen.c — writes the documentation and completions that derive from
 * the option table src/cli/options.def (built by the Makefile as
 * $(BUILD)/gen/optgen; scripts/gen_docs.sh puts its output in place).
 *
 *   optgen man-synopsis   roff: the SYNOPSIS section body
 *   optgen man-options    roff: the OPTIONS section body (main command)
 *   optgen man-subopts    roff: the options of each subcommand
 *   optgen man-rejected   roff: the strace options that are refused
 *   optgen bash           the option lists of completion/renacer-c.bash
 *   optgen zsh            the _arguments specs of completion/_renacer-c
 *   optgen fish           the complete lines of completion/renacer-c.fish
 *   optgen list           every accepted spelling: "CMD OPTION" per line
 *   optgen rejected       every refused spelling, one per line */
#include <stdio.h>
#include <string.h>

enum { NONE, REQ, OPT };
enum { MAIN, ASSERT, DIFF, SUMMARY, EXPORT, NCMD };

struct def {
	int cmd;
	char sh;
	const char *lng;
	int arg;
	const char *metavar, *cat, *help, *man;
};

static const struct def defs[] = {
#define OPT(c, i, s, l, a, m, cat, h, man) { c, (char)(s), l, a, m, cat, h, man },
#define REJECT(...)
#include "options.def"
#undef OPT
#undef REJECT
};
#define NDEFS (sizeof(defs) / sizeof(defs[0]))

struct rej {
	int cmd;
	char sh;
	const char *lng, *what;
};
static const struct rej rejs[] = {
#define OPT(...)
#define REJECT(c, s, l, w) { c, (char)(s), l, w },
#include "options.def"
#undef OPT
#undef REJECT
};
#define NREJS (sizeof(rejs) / sizeof(rejs[0]))

struct cmd {
	const char *name, *operands, *desc, *epilog;
};
static const struct cmd cmds[NCMD] = {
#define OPT(...)
#define REJECT(...)
#define CMD(c, n, o, d, e) [c] = { n, o, d, e },
#include "options.def"
#undef OPT
#undef REJECT
#undef CMD
};

static const char *const cmd_word[NCMD] = { "main", "assert", "diff", "summary", "export" };

/* roff-escape plain text: backslash, hyphen, a leading dot or quote */
static void roff(const char *s, size_t n)
{
	int bol = 1;
	for (size_t i = 0; i < n && s[i]; i++) {
		char c = s[i];
		if (bol && (c == '.' || c == '\''))
			fputs("\\&", stdout);
		bol = 0;
		if (c == '\\')
			fputs("\\e", stdout);
		else if (c == '-')
			fputs("\\-", stdout);
		else if (c == '\n') {
			/* the help text's line breaks are only layout */
			fputc('\n', stdout);
			bol = 1;
		} else
			fputc(c, stdout);
	}
}

static void roffs(const char *s)
{
	roff(s, strlen(s));
}

/* \fB-o\fR, \fB--output\fR=\fIFILE\fR */
static void man_tag(const struct def *d)
{
	if (d->sh) {
		printf("\\fB\\-%c\\fR", d->sh);
		if (!d->lng && d->arg == REQ) {
			fputs(" \\fI", stdout);
			roffs(d->metavar);
			fputs("\\fR", stdout);
		}
	}
	if (d->lng) {
		fputs(d->sh ? ", \\fB\\-\\-" : "\\fB\\-\\-", stdout);
		roffs(d->lng);
		fputs("\\fR", stdout);
		if (d->arg == REQ || d->arg == OPT) {
			fputs(d->arg == OPT ? "[=\\fI" : "=\\fI", stdout);
			roffs(d->metavar);
			fputs(d->arg == OPT ? "\\fR]" : "\\fR", stdout);
		}
	}
	fputc('\n', stdout);
}

static void man_body(const struct def *d)
{
	const char *t = *d->man ? d->man : d->help;
	/* a help text starts lower case; a man paragraph is a sentence */
	char first = t[0];
	if (first >= 'a' && first <= 'z' && !*d->man) {
		fputc(first - 'a' + 'A', stdout);
		t++;
	}
	roffs(t);
	size_t n = strlen(t);
	if (n && t[n - 1] != '.')
		fputc('.', stdout);
	fputc('\n', stdout);
}

static void man_options(int cmd, const char *heading_fmt)
{
	const char *cats[32];
	int ncats = 0;
	for (size_t i = 0; i < NDEFS; i++) {
		if (defs[i].cmd != cmd)
			continue;
		int seen = 0;
		for (int c = 0; c < ncats; c++)
			seen = seen || !strcmp(cats[c], defs[i].cat);
		if (!seen && ncats < 32)
			cats[ncats++] = defs[i].cat;
	}
	for (int c = 0; c < ncats; c++) {
		if (heading_fmt) {
			printf(heading_fmt, cats[c]);
			fputc('\n', stdout);
		}
		for (size_t i = 0; i < NDEFS; i++) {
			if (defs[i].cmd != cmd || strcmp(defs[i].cat, cats[c]))
				continue;
			puts(".TP");
			man_tag(&defs[i]);
			man_body(&defs[i]);
		}
	}
}

static void synopsis_opts(int cmd)
{
	for (size_t i = 0; i < NDEFS; i++) {
		const struct def *d = &defs[i];
		if (d->cmd != cmd)
			continue;
		if (d->sh)
			printf("[\\fB\\-%c\\fR", d->sh);
		else {
			fputs("[\\fB\\-\\-", stdout);
			roffs(d->lng);
			fputs("\\fR", stdout);
		}
		if (d->arg == REQ) {
			fputs(" \\fI", stdout);
			roffs(d->metavar);
			fputs("\\fR", stdout);
		}
		fputs("]\n", stdout);
	}
}

static void man_synopsis(void)
{
	puts(".B renacer-c\n.RI [ OPTIONS ]\n.RB [ \\-\\- ]\n.I COMMAND\n.RI [ ARG ...]\n.br");
	puts(".B renacer-c\n.RI [ OPTIONS ]\n.B \\-p\n.IR PID [, PID ...]\n.br");
	for (int c = 1; c < NCMD; c++) {
		printf(".B renacer-c %s\n", cmds[c].name);
		synopsis_opts(c);
		fputs(".I ", stdout);
		roffs(cmds[c].operands);
		puts("\n.br");
	}
	puts(".B renacer-c\n.BR \\-\\-help \" | \" \\-\\-version");
}

static void man_rejected(void)
{
	puts("These strace options are recognised and refused with a one-line message");
	puts("naming them (exit status 2); renacer-c never accepts an option it would ignore:");
	for (size_t i = 0; i < NREJS; i++) {
		fputs(i ? ",\n" : "", stdout);
		roffs(rejs[i].what);
	}
	puts(".");
	puts("So are \\fB\\-yy\\fR, \\fB\\-\\-decode\\-fds\\fR values other than path and none,");
	puts("and the \\fB\\-e\\fR qualifiers abbrev, verbose, raw, kvm, inject and fault.");
}

/* every spelling in a space-separated list; EQ: "=" after long options
 * that take a value */
static void spellings(int cmd, int shorts, int longs, int only_arg, int eq)
{
	int first = 1;
	for (size_t i = 0; i < NDEFS; i++) {
		const struct def *d = &defs[i];
		if (d->cmd != cmd)
			continue;
		if (shorts && d->sh && (!only_arg || d->arg == REQ)) {
			printf("%s-%c", first ? "" : " ", d->sh);
			first = 0;
		}
		if (longs && d->lng && (!only_arg || d->arg == REQ)) {
			printf("%s--%s%s", first ? "" : " ", d->lng, eq && d->arg != NONE ? "=" : "");
			first = 0;
		}
	}
}

static void bash(void)
{
	fputs("_renacer_c_short_opts=\"", stdout);
	spellings(MAIN, 1, 0, 0, 0);
	fputs("\"\n_renacer_c_long_opts=\"", stdout);
	spellings(MAIN, 0, 1, 0, 1);
	fputs("\"\n_renacer_c_arg_opts=\"", stdout);
	spellings(MAIN, 1, 1, 1, 0);
	puts("\"");
	for (int c = 1; c < NCMD; c++) {
		printf("_renacer_c_%s_opts=\"", cmds[c].name);
		spellings(c, 1, 1, 0, 0);
		printf("\"\n_renacer_c_%s_arg_opts=\"", cmds[c].name);
		spellings(c, 1, 1, 1, 0);
		puts("\"");
	}
}

/* the first line of the help text, with quotes and brackets tamed */
static void short_desc(const char *h, const char *bad)
{
	for (; *h && *h != '\n'; h++) {
		if (strchr(bad, *h))
			fputc(*h == '\'' ? '`' : ' ', stdout);
		else
			fputc(*h, stdout);
	}
}

static void zsh(void)
{
	for (int c = 0; c < NCMD; c++) {
		printf("_renacer_c_%s_specs=(\n", cmd_word[c]);
		for (size_t i = 0; i < NDEFS; i++) {
			const struct def *d = &defs[i];
			if (d->cmd != c)
				continue;
			const char *act = d->arg == NONE ? "" : ":value:_files";
			if (d->sh) {
				printf("  '-%c[", d->sh);
				short_desc(d->help, "[]':\\");
				printf("]%s'\n", d->arg == REQ ? act : "");
			}
			if (d->lng) {
				printf("  '--%s%s[", d->lng, d->arg == REQ ? "=" : d->arg == OPT ? "=-" : "");
				short_desc(d->help, "[]':\\");
				printf("]%s'\n", act);
			}
		}
		puts(")");
	}
}

static void fish(void)
{
	for (int c = 0; c < NCMD; c++) {
		for (size_t i = 0; i < NDEFS; i++) {
			const struct def *d = &defs[i];
			if (d->cmd != c)
				continue;
			fputs("complete -c renacer-c", stdout);
			if (c == MAIN)
				fputs(" -n '__renacer_c_main'", stdout);
			else
				printf(" -n '__fish_seen_subcommand_from %s'", cmds[c].name);
			if (d->sh)
				printf(" -s %c", d->sh);
			if (d->lng)
				printf(" -l %s", d->lng);
			if (d->arg == REQ)
				fputs(" -r", stdout);
			fputs(" -d '", stdout);
			short_desc(d->help, "'\\");
			puts("'");
		}
	}
}

static void list(void)
{
	for (size_t i = 0; i < NDEFS; i++) {
		if (defs[i].sh)
			printf("%s -%c\n", cmd_word[defs[i].cmd], defs[i].sh);
		if (defs[i].lng)
			printf("%s --%s\n", cmd_word[defs[i].cmd], defs[i].lng);
	}
}

static void rejected(void)
{
	for (size_t i = 0; i < NREJS; i++) {
		if (rejs[i].sh)
			printf("-%c\n", rejs[i].sh);
		if (rejs[i].lng)
			printf("--%s\n", rejs[i].lng);
	}
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";
	if (!strcmp(m, "man-synopsis"))
		man_synopsis();
	else if (!strcmp(m, "man-options"))
		man_options(MAIN, ".SS %s");
	else if (!strcmp(m, "man-subopts")) {
		for (int c = 1; c < NCMD; c++) {
			printf(".SS Options of renacer-c %s\n", cmds[c].name);
			man_options(c, NULL);
		}
	} else if (!strcmp(m, "man-rejected"))
		man_rejected();
	else if (!strcmp(m, "bash"))
		bash();
	else if (!strcmp(m, "zsh"))
		zsh();
	else if (!strcmp(m, "fish"))
		fish();
	else if (!strcmp(m, "list"))
		list();
	else if (!strcmp(m, "rejected"))
		rejected();
	else {
		fputs("usage: optgen man-synopsis|man-options|man-subopts|man-rejected|bash|zsh|fish|list|rejected\n",
		      stderr);
		return 2;
	}
	return fflush(stdout) == 0 ? 0 : 1;
}
