/* test_install_man.c — the user's toolbox stays consistent:
 * every option `renacer-c --help` prints is documented in
 * man/renacer-c.1 and known to completion/renacer-c.bash, the man page
 * renders without groff warnings, and `make install` / `make uninstall`
 * put the binary, man page and completion in place under DESTDIR and take
 * them away again.
 *
 * The source tree is found through $RENACER_SRC_DIR, else two levels above
 * $SOURCE_SRC_DIR (<repo>/tests/source_fixtures, set by the Makefile),
 * else the current directory. */
#include <criterion/criterion.h>
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"

TestSuite(install_man, .init = h_init, .fini = h_cleanup, .timeout = 120);

/* ------------------------------------------------------------------ */
/* helpers                                                             */

static bool is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static bool exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

#define MAX_OPTS 256

struct opts {
	const char *name[MAX_OPTS]; /* "-f", "--slower-than" */
	size_t n;
};

static bool opt_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '_';
}

/* Every option-looking token of TEXT: one or two dashes, a letter, then
 * letters, digits or dashes, preceded by the start of a line, a blank or
 * one of ",[(|". "=VALUE" is not part of the name. */
static void collect_options(const char *text, struct opts *o)
{
	o->n = 0;
	for (const char *p = text; *p; p++) {
		if (*p != '-')
			continue;
		if (p > text && !strchr(" \t\n,[(|", p[-1]))
			continue;
		const char *q = p + 1;
		if (*q == '-')
			q++;
		if (!isalpha((unsigned char)*q))
			continue;
		const char *e = q;
		while (opt_char(*e))
			e++;
		char *name = h_keep(strndup(p, (size_t)(e - p)));
		bool dup = false;
		for (size_t i = 0; i < o->n; i++)
			dup = dup || strcmp(o->name[i], name) == 0;
		if (!dup) {
			cr_assert(o->n < MAX_OPTS, "too many options in --help");
			o->name[o->n++] = name;
		}
		p = e - 1;
	}
}

/* OPT occurs in TEXT as a whole token (not inside a longer option name). */
static bool has_token(const char *text, const char *opt)
{
	size_t len = strlen(opt);
	for (const char *p = strstr(text, opt); p; p = strstr(p + 1, opt)) {
		bool left = p == text || !opt_char(p[-1]);
		bool right = !opt_char(p[len]);
		if (left && right)
			return true;
	}
	return false;
}

/* The man page source with escapes that hide option names undone:
 * "\-" -> "-", "\fB" / "\fI" / "\fR" / "\fP" / "\f(XX" / "\f[X]" and "\&"
 * removed, quotes and "\ " turned into blanks. */
static char *man_plain(const char *src)
{
	size_t n = strlen(src);
	char *out = h_keep(malloc(n + 1));
	cr_assert(out);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (src[i] == '\\' && i + 1 < n) {
			char c = src[i + 1];
			if (c == '-') {
				out[k++] = '-';
				i++;
				continue;
			}
			if (c == '&' || c == '%' || c == '/' || c == ',') {
				i++;
				continue;
			}
			if (c == ' ') {
				out[k++] = ' ';
				i++;
				continue;
			}
			if (c == 'f' && i + 2 < n) {
				if (src[i + 2] == '(')
					i += 4 < n - i ? 4 : n - i - 1;
				else if (src[i + 2] == '[') {
					const char *close = strchr(src + i + 3, ']');
					i = close ? (size_t)(close - src) : n - 1;
				} else
					i += 2;
				continue;
			}
		}
		out[k++] = src[i] == '"' ? ' ' : src[i];
	}
	out[k] = '\0';
	return out;
}

static const char *help_text(void)
{
	h_require_renacer();
	struct h_res r;
	struct h_cmd c = {
		.argv = H_ARGV(h_renacer(), "--help"),
		.envp = h_clean_env(),
		.out = H_IO_PIPE,
		.err = H_IO_PIPE,
	};
	h_run(&c, &r);
	cr_assert(!r.timed_out && r.code == 0, "renacer-c --help: %s\n%s", h_describe(&r), r.err);
	cr_assert(r.out_len > 0, "renacer-c --help printed nothing on stdout");
	return r.out;
}

static void help_options(struct opts *o)
{
	collect_options(help_text(), o);
	/* sanity: the parser found the options every version has */
	static const char *const must[] = {"-f", "-p", "-o", "-e", "-c", "--help", "--version"};
	for (size_t i = 0; i < sizeof must / sizeof must[0]; i++) {
		bool found = false;
		for (size_t j = 0; j < o->n; j++)
			found = found || strcmp(o->name[j], must[i]) == 0;
		cr_assert(found, "option %s not found in --help (parser broken?)", must[i]);
	}
}

/* ------------------------------------------------------------------ */
/* tests                                                               */

Test(install_man, every_help_option_is_in_the_man_page)
{
	struct opts o;
	help_options(&o);
	const char *man = man_plain(h_slurp(h_fmt("%s/man/renacer-c.1", h_src_root()), NULL));
	char missing[2048] = "";
	for (size_t i = 0; i < o.n; i++) {
		if (!has_token(man, o.name[i])) {
			strncat(missing, " ", sizeof missing - strlen(missing) - 1);
			strncat(missing, o.name[i], sizeof missing - strlen(missing) - 1);
		}
	}
	cr_expect(missing[0] == '\0', "options in --help but not in man/renacer-c.1:%s", missing);
}

Test(install_man, every_help_subcommand_is_in_the_man_page)
{
	const char *help = help_text();
	const char *man = man_plain(h_slurp(h_fmt("%s/man/renacer-c.1", h_src_root()), NULL));
	static const char *const subs[] = {"summary", "assert", "diff", "export"};
	for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) {
		const char *usage = h_fmt("renacer-c %s", subs[i]);
		if (strstr(help, usage))
			cr_expect(strstr(man, usage), "subcommand '%s' is in --help but not in the man page",
				  subs[i]);
	}
}

Test(install_man, man_page_renders_without_groff_warnings)
{
	const char *groff = h_which("groff");
	if (!groff)
		cr_skip_test("groff is not installed");
	const char *man = h_fmt("%s/man/renacer-c.1", h_src_root());
	/* tbl when the page has tables, as man(1) would run it */
	bool tables = strstr(h_slurp(man, NULL), "\n.TS") != NULL;
	struct h_res r;
	struct h_cmd c = {
		.argv = tables ? H_ARGV(groff, "-t", "-ww", "-z", "-man", man)
			       : H_ARGV(groff, "-ww", "-z", "-man", man),
		.envp = h_clean_env(),
		.out = H_IO_PIPE,
		.err = H_IO_PIPE,
	};
	h_run(&c, &r);
	cr_assert(!r.timed_out, "groff timed out");
	cr_expect(r.code == 0, "groff: %s", h_describe(&r));
	cr_expect(r.err_len == 0, "groff -ww warns about man/renacer-c.1:\n%.4000s", r.err);
}

Test(install_man, every_help_option_is_in_the_completion)
{
	struct opts o;
	help_options(&o);
	const char *comp = h_slurp(h_fmt("%s/completion/renacer-c.bash", h_src_root()), NULL);
	char missing[2048] = "";
	for (size_t i = 0; i < o.n; i++) {
		/* -tt, -qqq: repetitions of a short option the completion has */
		char first[3] = {'-', o.name[i][1], 0};
		bool rep = o.name[i][1] != '-' && o.name[i][2] && has_token(comp, first);
		if (!rep && !has_token(comp, o.name[i])) {
			strncat(missing, " ", sizeof missing - strlen(missing) - 1);
			strncat(missing, o.name[i], sizeof missing - strlen(missing) - 1);
		}
	}
	cr_expect(missing[0] == '\0', "options in --help but not in completion/renacer-c.bash:%s",
		  missing);
	static const char *const subs[] = {"assert", "diff", "export", "summary"};
	for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
		cr_expect(has_token(comp, subs[i]), "subcommand %s missing from the completion",
			  subs[i]);
}

/* make -C ROOT TARGET DESTDIR=... PREFIX=/usr with the binary under test
 * taken as built (-o: never rebuilt from here). */
static void run_make(const char *target, const char *destdir, const char *bin)
{
	const char *make = h_which("make");
	if (!make)
		cr_skip_test("make is not installed");
	char *bdir = h_keep(strdup(bin));
	char *slash = strrchr(bdir, '/');
	cr_assert(slash);
	*slash = '\0';
	struct h_res r;
	struct h_cmd c = {
		.argv = H_ARGV(make, "--no-print-directory", "-C", h_src_root(), h_fmt("BUILD=%s", bdir),
			       h_fmt("BIN=%s", bin), "-o", bin, h_fmt("DESTDIR=%s", destdir),
			       "PREFIX=/usr", target),
		.envp = h_clean_env(),
		.out = H_IO_PIPE,
		.err = H_IO_STDOUT,
		.timeout_ms = 60000,
	};
	h_run(&c, &r);
	cr_assert(!r.timed_out, "make %s timed out", target);
	cr_assert(r.code == 0, "make %s: %s\n%.4000s", target, h_describe(&r), r.out);
}

Test(install_man, make_install_and_uninstall_with_destdir)
{
	h_require_renacer();
	char *bin = realpath(h_renacer(), NULL);
	cr_assert(bin, "realpath %s failed", h_renacer());
	h_keep(bin);
	const char *dest = h_tmp_path("destdir");

	run_make("install", dest, bin);
	const char *ibin = h_fmt("%s/usr/bin/renacer-c", dest);
	const char *iman = h_fmt("%s/usr/share/man/man1/renacer-c.1", dest);
	const char *icomp = h_fmt("%s/usr/share/bash-completion/completions/renacer-c", dest);
	cr_assert(is_file(ibin) && access(ibin, X_OK) == 0, "%s is not an installed executable", ibin);
	cr_assert(is_file(iman), "%s was not installed", iman);
	cr_assert(is_file(icomp), "%s was not installed", icomp);
	const char *izsh = h_fmt("%s/usr/share/zsh/vendor-completions/_renacer-c", dest);
	const char *ifish = h_fmt("%s/usr/share/fish/vendor_completions.d/renacer-c.fish", dest);
	cr_expect(is_file(izsh), "%s was not installed", izsh);
	cr_expect(is_file(ifish), "%s was not installed", ifish);

	/* the man page is the one in the tree; the completion has syscall names */
	size_t a, b;
	const char *m1 = h_slurp(iman, &a);
	const char *m2 = h_slurp(h_fmt("%s/man/renacer-c.1", h_src_root()), &b);
	cr_expect(a == b && memcmp(m1, m2, a) == 0, "installed man page differs from man/renacer-c.1");
	const char *comp = h_slurp(icomp, NULL);
	cr_expect(!strstr(comp, "@SYSCALL_NAMES@"), "syscall names were not filled in");
	cr_expect(has_token(comp, "openat") && has_token(comp, "exit_group"),
		  "the installed completion lacks syscall names");
	cr_expect(strstr(comp, "complete -F"), "the installed completion registers no function");

	/* the installed binary runs */
	struct h_res r;
	struct h_cmd c = {
		.argv = H_ARGV(ibin, "--version"),
		.envp = h_clean_env(),
		.out = H_IO_PIPE,
		.err = H_IO_PIPE,
	};
	h_run(&c, &r);
	cr_expect(r.code == 0 && r.out_len > 0, "installed renacer-c --version: %s", h_describe(&r));

	run_make("uninstall", dest, bin);
	cr_expect(!exists(ibin), "%s survived make uninstall", ibin);
	cr_expect(!exists(iman), "%s survived make uninstall", iman);
	cr_expect(!exists(icomp), "%s survived make uninstall", icomp);
	cr_expect(!exists(izsh), "%s survived make uninstall", izsh);
	cr_expect(!exists(ifish), "%s survived make uninstall", ifish);
}

/* ------------------------------------------------------------------ */
/* issue 13: one option table, in both directions                      */

/* The documentation generator built next to the binary. */
static const char *optgen_path(void)
{
	const char *env = getenv("OPTGEN");
	if (env && *env && access(env, X_OK) == 0)
		return env;
	h_require_renacer();
	char *bdir = h_keep(strdup(h_renacer()));
	char *slash = strrchr(bdir, '/');
	cr_assert(slash);
	*slash = '\0';
	const char *p = h_fmt("%s/gen/optgen", bdir);
	if (access(p, X_OK) != 0)
		cr_skip_test("optgen was not built (make integration builds it)");
	return p;
}

static const char *optgen(const char *mode)
{
	struct h_res r;
	struct h_cmd c = {
		.argv = H_ARGV(optgen_path(), mode),
		.envp = h_clean_env(),
		.out = H_IO_PIPE,
		.err = H_IO_PIPE,
	};
	h_run(&c, &r);
	cr_assert(!r.timed_out && r.code == 0, "optgen %s: %s\n%s", mode, h_describe(&r), r.err);
	return r.out;
}

enum { NCMDS = 5 };
static const char *const cmd_names[NCMDS] = {"main", "assert", "diff", "summary", "export"};

/* The parser's options, per command, from the table ("optgen list"). */
struct table {
	struct opts cmd[NCMDS];
	struct opts all;      /* accepted by some command */
	struct opts rejected; /* refused by name */
};

static void opts_add(struct opts *o, const char *name)
{
	for (size_t i = 0; i < o->n; i++)
		if (!strcmp(o->name[i], name))
			return;
	cr_assert(o->n < MAX_OPTS, "too many options");
	o->name[o->n++] = name;
}

static bool opts_has(const struct opts *o, const char *name)
{
	for (size_t i = 0; i < o->n; i++)
		if (!strcmp(o->name[i], name))
			return true;
	return false;
}

static void load_table(struct table *t)
{
	memset(t, 0, sizeof(*t));
	char *list = h_keep(strdup(optgen("list")));
	char *save = NULL;
	for (char *line = strtok_r(list, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *sp = strchr(line, ' ');
		cr_assert(sp, "optgen list: bad line '%s'", line);
		*sp = '\0';
		int c = -1;
		for (int k = 0; k < NCMDS; k++)
			if (!strcmp(line, cmd_names[k]))
				c = k;
		cr_assert(c >= 0, "optgen list: unknown command '%s'", line);
		opts_add(&t->cmd[c], sp + 1);
		opts_add(&t->all, sp + 1);
	}
	char *rej = h_keep(strdup(optgen("rejected")));
	for (char *line = strtok_r(rej, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		opts_add(&t->rejected, line);
	cr_assert(t->cmd[0].n > 40 && t->cmd[1].n && t->cmd[2].n && t->cmd[3].n, "optgen list is too short");
}

/* A token names a known option: exactly, or a short cluster/repetition
 * ("-tt", "-fc", "-s64", "-oFILE") whose first letter is one. */
static bool known(const struct opts *a, const struct opts *b, const char *tok)
{
	if (opts_has(a, tok) || (b && opts_has(b, tok)))
		return true;
	if (tok[1] != '-' && tok[2]) {
		char s[3] = {'-', tok[1], 0};
		return opts_has(a, s) || (b && opts_has(b, s));
	}
	return false;
}

/* The text between "BEGIN GENERATED: NAME" and "END GENERATED: NAME". */
static const char *region(const char *text, const char *name)
{
	const char *b = strstr(text, h_fmt("BEGIN GENERATED: %s ", name));
	cr_assert(b, "no generated region '%s'", name);
	b = strchr(b, '\n');
	cr_assert(b);
	const char *e = strstr(b, h_fmt("END GENERATED: %s", name));
	cr_assert(e, "region '%s' is not closed", name);
	return h_keep(strndup(b, (size_t)(e - b)));
}

/* fish: "-s X" and "-l NAME" of each complete line. */
static void fish_options(const char *text, struct opts *o)
{
	o->n = 0;
	char *copy = h_keep(strdup(text));
	char *save = NULL;
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "complete -c renacer-c", 21))
			continue;
		char *d = strstr(line, " -d '");
		if (d)
			*d = '\0';
		for (char *p = line; (p = strstr(p, " -")); p++) {
			if ((p[2] == 's' || p[2] == 'l') && p[3] == ' ') {
				const char *v = p + 4;
				size_t n = strcspn(v, " ");
				opts_add(o, h_fmt("%s%.*s", p[2] == 's' ? "-" : "--", (int)n, v));
			}
		}
	}
}

static const char *run_help(const char *sub)
{
	h_require_renacer();
	struct h_res r;
	struct h_cmd c = {
		.argv = sub ? H_ARGV(h_renacer(), sub, "--help") : H_ARGV(h_renacer(), "--help"),
		.envp = h_clean_env(),
		.out = H_IO_PIPE,
		.err = H_IO_PIPE,
	};
	h_run(&c, &r);
	cr_assert(!r.timed_out && r.code == 0, "renacer-c %s --help: %s", sub ? sub : "", h_describe(&r));
	return r.out;
}

static void expect_all_in(const struct opts *want, const char *text, const char *where)
{
	char missing[4096] = "";
	for (size_t i = 0; i < want->n; i++)
		if (!has_token(text, want->name[i])) {
			strncat(missing, " ", sizeof missing - strlen(missing) - 1);
			strncat(missing, want->name[i], sizeof missing - strlen(missing) - 1);
		}
	cr_expect(missing[0] == '\0', "options the parser accepts but %s lacks:%s", where, missing);
}

static void expect_only_known(const struct opts *found, const struct opts *a, const struct opts *b,
			      const char *where)
{
	char extra[4096] = "";
	for (size_t i = 0; i < found->n; i++)
		if (!known(a, b, found->name[i])) {
			strncat(extra, " ", sizeof extra - strlen(extra) - 1);
			strncat(extra, found->name[i], sizeof extra - strlen(extra) - 1);
		}
	cr_expect(extra[0] == '\0', "%s names options the parser does not know:%s", where, extra);
}

Test(install_man, help_lists_exactly_the_parsers_options)
{
	struct table t;
	load_table(&t);
	for (int c = 0; c < NCMDS; c++) {
		const char *help = run_help(c ? cmd_names[c] : NULL);
		expect_all_in(&t.cmd[c], help, h_fmt("'%s --help'", cmd_names[c]));
		struct opts found;
		collect_options(help, &found);
		expect_only_known(&found, &t.all, NULL, h_fmt("'%s --help'", cmd_names[c]));
	}
	/* the main --help shows every subcommand */
	const char *help = run_help(NULL);
	for (int c = 1; c < NCMDS; c++)
		cr_expect(strstr(help, h_fmt("renacer-c %s ", cmd_names[c])), "--help lacks subcommand %s",
			  cmd_names[c]);
}

Test(install_man, man_page_lists_exactly_the_parsers_options)
{
	struct table t;
	load_table(&t);
	const char *man = man_plain(h_slurp(h_fmt("%s/man/renacer-c.1", h_src_root()), NULL));
	for (int c = 0; c < NCMDS; c++)
		expect_all_in(&t.cmd[c], man, "man/renacer-c.1");
	struct opts found;
	collect_options(man, &found);
	expect_only_known(&found, &t.all, &t.rejected, "man/renacer-c.1");
}

Test(install_man, completions_list_exactly_the_parsers_options)
{
	struct table t;
	load_table(&t);
	const char *root = h_src_root();
	/* bash: the generated option lists */
	const char *bash = region(h_slurp(h_fmt("%s/completion/renacer-c.bash", root), NULL), "options");
	struct opts found;
	for (int c = 0; c < NCMDS; c++)
		expect_all_in(&t.cmd[c], bash, "completion/renacer-c.bash");
	collect_options(bash, &found);
	expect_only_known(&found, &t.all, NULL, "completion/renacer-c.bash");
	/* zsh: the _arguments specs */
	const char *zsh = region(h_slurp(h_fmt("%s/completion/_renacer-c", root), NULL), "options");
	for (int c = 0; c < NCMDS; c++)
		expect_all_in(&t.cmd[c], zsh, "completion/_renacer-c");
	collect_options(zsh, &found);
	expect_only_known(&found, &t.all, NULL, "completion/_renacer-c");
	/* fish: -s/-l of each complete line */
	const char *fish = h_slurp(h_fmt("%s/completion/renacer-c.fish", root), NULL);
	fish_options(fish, &found);
	for (int c = 0; c < NCMDS; c++)
		for (size_t i = 0; i < t.cmd[c].n; i++)
			cr_expect(opts_has(&found, t.cmd[c].name[i]), "completion/renacer-c.fish lacks %s",
				  t.cmd[c].name[i]);
	expect_only_known(&found, &t.all, NULL, "completion/renacer-c.fish");
}

/* The committed man page and completions are what the table generates. */
Test(install_man, docs_are_generated_from_the_table)
{
	h_require_renacer();
	char *bin = realpath(h_renacer(), NULL);
	cr_assert(bin);
	h_keep(bin);
	optgen_path(); /* skips when not built */
	run_make("docs-check", h_tmp_path("unused"), bin);
}

/* Every option in the table reaches the parser (none is "unrecognized");
 * every refused strace option is refused by name, in one line, exit 2. */
Test(install_man, parser_accepts_the_table_and_refuses_by_name)
{
	struct table t;
	load_table(&t);
	for (int c = 0; c < NCMDS; c++) {
		for (size_t i = 0; i < t.cmd[c].n; i++) {
			const char *o = t.cmd[c].name[i];
			if (!strcmp(o, "--help") || !strcmp(o, "-h") || !strcmp(o, "--version") || !strcmp(o, "-V"))
				continue;
			struct h_res r;
			const char *const *argv = c ? H_ARGV(h_renacer(), cmd_names[c], o, "1")
						    : H_ARGV(h_renacer(), o, "1");
			/* "1" is a value or an operand: the main command then has
			 * no program to run or -p; nothing is ever traced here
			 * except "1" itself, which does not exist */
			struct h_cmd cmd = {.argv = argv, .envp = h_clean_env(), .out = H_IO_PIPE, .err = H_IO_PIPE};
			h_run(&cmd, &r);
			cr_expect(!strstr(r.err, "unrecognized option") && !strstr(r.err, "invalid option") &&
					  !strstr(r.err, "not implemented"),
				  "%s %s is in the table but the parser refuses it: %s", cmd_names[c], o, r.err);
		}
	}
	for (size_t i = 0; i < t.rejected.n; i++) {
		const char *o = t.rejected.name[i];
		struct h_res r;
		struct h_cmd cmd = {.argv = H_ARGV(h_renacer(), o, "1", "true"), .envp = h_clean_env(),
				    .out = H_IO_PIPE, .err = H_IO_PIPE};
		h_run(&cmd, &r);
		cr_expect(r.code == 2, "%s: exit %s, not 2", o, h_describe(&r));
		cr_expect(strstr(r.err, "not implemented") && strstr(r.err, o),
			  "%s is not refused by name: %s", o, r.err);
		const char *nl = strchr(r.err, '\n');
		cr_expect(nl && nl[1] == '\0', "%s: the refusal is not one line: %s", o, r.err);
	}
}
