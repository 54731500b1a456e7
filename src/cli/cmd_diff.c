/* cmd_diff.c — `renacer-c diff [--tolerance F] [--format text|json]
 * GOLDEN.json NEW.json` (docs/design.md, "Golden traces"): load both
 * traces as observable sequences (src/analyze/golden.h), align them, print
 * the similarity, the verdict and the first differing hunks with their
 * source locations. Exit (enum rc_exit): RC_OK equivalent, RC_FAIL
 * different, RC_USAGE, RC_BAD_TRACE unreadable or invalid trace. */
#include "commands.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "optparse.h"
#include "golden.h"
#include "json_out.h"
#include "obuf.h"

#define DIFF_DEFAULT_HUNKS 5
#define DIFF_CONTEXT 2          /* unchanged calls shown around a hunk */
#define DIFF_TEXT_LINES 12      /* lines per side shown in a text hunk */
#define DIFF_JSON_LINES 100     /* calls per side listed in a JSON hunk */

static bool parse_tolerance(const char *s, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (end == s || *end || errno || !isfinite(v) || v < 0.0 || v > 1.0)
		return false;
	*out = v;
	return true;
}

static bool parse_count(const char *s, size_t *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (end == s || *end || errno || s[0] == '-' || v > 100000)
		return false;
	*out = v;
	return true;
}

/* ------------------------------------------------------------------ */
/* Text report                                                         */

static const char *base_name(const char *p)
{
	const char *b = strrchr(p, '/');
	return b ? b + 1 : p;
}

static void text_call(FILE *f, char mark, const struct golden_seq *s, size_t i)
{
	struct golden_call c;
	if (golden_seq_at(s, i, &c) != 0)
		return;
	fprintf(f, "%c %s", mark, c.text);
	if (c.file) {
		fprintf(f, "  [%s:%u", base_name(c.file), c.line);
		if (c.function)
			fprintf(f, " in %s", c.function);
		fputc(']', f);
	}
	fputc('\n', f);
}

static void text_side(FILE *f, char mark, const struct golden_seq *s, size_t start, size_t len)
{
	size_t shown = len < DIFF_TEXT_LINES ? len : DIFF_TEXT_LINES;
	for (size_t i = 0; i < shown; i++)
		text_call(f, mark, s, start + i);
	if (len > shown)
		fprintf(f, "%c ... %zu more %s\n", mark, len - shown, mark == '-' ? "removed" : "added");
}

static void print_range(FILE *f, const char *what, size_t start, size_t len)
{
	if (len == 0)
		fprintf(f, "%s: none (after call %zu)", what, start);
	else if (len == 1)
		fprintf(f, "%s call %zu", what, start + 1);
	else
		fprintf(f, "%s calls %zu-%zu", what, start + 1, start + len);
}

static void text_report(FILE *f, const char *gpath, const char *npath, const struct golden_seq *g,
			const struct golden_seq *n, const struct golden_diff *d, double tol, bool equivalent)
{
	fprintf(f, "golden:     %s (%zu observable calls of %llu records)\n", gpath, golden_seq_len(g),
		(unsigned long long)golden_seq_records(g));
	fprintf(f, "new:        %s (%zu observable calls of %llu records)\n", npath, golden_seq_len(n),
		(unsigned long long)golden_seq_records(n));
	fprintf(f, "similarity: %s%.6f (LCS %zu; equivalent at >= %.6f, tolerance %g)%s\n", d->exact ? "" : ">= ",
		d->similarity, d->lcs, 1.0 - tol, tol,
		d->exact ? "" : " [alignment budget spent: a lower bound]");
	if (d->nhunks == 0)
		fprintf(f, "verdict:    EQUIVALENT (identical observable sequences)\n");
	else
		fprintf(f, "verdict:    %s (%zu differing hunk%s)\n", equivalent ? "EQUIVALENT" : "NOT EQUIVALENT",
			d->nhunks, d->nhunks == 1 ? "" : "s");
	for (size_t h = 0; h < d->nkept; h++) {
		const struct golden_hunk *hk = &d->hunks[h];
		fprintf(f, "\n@@ hunk %zu of %zu: ", h + 1, d->nhunks);
		print_range(f, "golden", hk->a_start, hk->a_len);
		fputs(", ", f);
		print_range(f, "new", hk->b_start, hk->b_len);
		fputs(" @@\n", f);
		size_t ctx = hk->a_start < DIFF_CONTEXT ? hk->a_start : DIFF_CONTEXT;
		for (size_t i = hk->a_start - ctx; i < hk->a_start; i++)
			text_call(f, ' ', g, i);
		text_side(f, '-', g, hk->a_start, hk->a_len);
		text_side(f, '+', n, hk->b_start, hk->b_len);
		size_t end = hk->a_start + hk->a_len;
		for (size_t i = end; i < end + DIFF_CONTEXT && i < golden_seq_len(g); i++)
			text_call(f, ' ', g, i);
	}
	if (d->nhunks > d->nkept)
		fprintf(f, "\n(%zu more hunk%s not shown)\n", d->nhunks - d->nkept,
			d->nhunks - d->nkept == 1 ? "" : "s");
}

/* ------------------------------------------------------------------ */
/* JSON report                                                         */

/* Write S as a JSON string (json_out's escaping) to F. */
static int json_str(FILE *f, const char *s)
{
	if (!s) {
		fputs("null", f);
		return 0;
	}
	size_t len = strlen(s);
	size_t cap = len * 6 + 3;
	char *buf = malloc(cap);
	if (!buf)
		return -1;
	struct obuf ob;
	obuf_init(&ob, buf, cap);
	json_put_str(&ob, s, len);
	fwrite(ob.buf, 1, ob.len, f);
	free(buf);
	return 0;
}

static int json_calls(FILE *f, const struct golden_seq *s, size_t start, size_t len)
{
	size_t shown = len < DIFF_JSON_LINES ? len : DIFF_JSON_LINES;
	fputc('[', f);
	for (size_t i = 0; i < shown; i++) {
		struct golden_call c;
		if (golden_seq_at(s, start + i, &c) != 0)
			break;
		fprintf(f, "%s{\"index\":%zu,\"record\":%llu,\"call\":", i ? "," : "", start + i,
			(unsigned long long)c.record);
		if (json_str(f, c.text) != 0)
			return -1;
		fputs(",\"source\":", f);
		if (c.file) {
			fputs("{\"file\":", f);
			if (json_str(f, c.file) != 0)
				return -1;
			fprintf(f, ",\"line\":%u,\"function\":", c.line);
			if (json_str(f, c.function) != 0)
				return -1;
			fputc('}', f);
		} else {
			fputs("null", f);
		}
		fputc('}', f);
	}
	fputc(']', f);
	return 0;
}

static int json_report(FILE *f, const char *gpath, const char *npath, const struct golden_seq *g,
		       const struct golden_seq *n, const struct golden_diff *d, double tol, bool equivalent)
{
	fputs("{\"golden\":{\"path\":", f);
	if (json_str(f, gpath) != 0)
		return -1;
	fprintf(f, ",\"calls\":%zu,\"records\":%llu},\"new\":{\"path\":", golden_seq_len(g),
		(unsigned long long)golden_seq_records(g));
	if (json_str(f, npath) != 0)
		return -1;
	fprintf(f, ",\"calls\":%zu,\"records\":%llu},", golden_seq_len(n), (unsigned long long)golden_seq_records(n));
	fprintf(f, "\"similarity\":%.6f,\"exact\":%s,\"lcs\":%zu,\"tolerance\":%g,\"threshold\":%.6f,"
		   "\"equivalent\":%s,\"total_hunks\":%zu,\"hunks\":[",
		d->similarity, d->exact ? "true" : "false", d->lcs, tol, 1.0 - tol, equivalent ? "true" : "false",
		d->nhunks);
	for (size_t h = 0; h < d->nkept; h++) {
		const struct golden_hunk *hk = &d->hunks[h];
		fprintf(f, "%s{\"golden_start\":%zu,\"golden_count\":%zu,\"new_start\":%zu,\"new_count\":%zu,\"removed\":",
			h ? "," : "", hk->a_start, hk->a_len, hk->b_start, hk->b_len);
		if (json_calls(f, g, hk->a_start, hk->a_len) != 0)
			return -1;
		fputs(",\"added\":", f);
		if (json_calls(f, n, hk->b_start, hk->b_len) != 0)
			return -1;
		fputc('}', f);
	}
	fputs("]}\n", f);
	return 0;
}

/* ------------------------------------------------------------------ */

struct diff_args {
	double tol;
	bool json;
	size_t max_hunks;
	const char *paths[2];
	int npaths;
};

static enum optp_result diff_opt(void *ctx, const struct opt_def *d, const char *v, const char *as)
{
	struct diff_args *a = ctx;
	if (!d) {
		if (a->npaths == 2)
			return optp_usage(OPTCMD_DIFF, "too many trace files: '%s'", v);
		a->paths[a->npaths++] = v;
		return OPTP_OK;
	}
	switch (d->id) {
	case OPT_D_HELP:
		optp_help(OPTCMD_DIFF, stdout);
		return OPTP_EXIT;
	case OPT_D_TOLERANCE:
		if (!parse_tolerance(v, &a->tol))
			return optp_usage(OPTCMD_DIFF, "%s: '%s' is not a number between 0 and 1", as, v);
		return OPTP_OK;
	case OPT_D_FORMAT:
		if (!strcmp(v, "text"))
			a->json = false;
		else if (!strcmp(v, "json"))
			a->json = true;
		else
			return optp_usage(OPTCMD_DIFF, "%s: unknown format '%s' (text, json)", as, v);
		return OPTP_OK;
	case OPT_D_MAX_HUNKS:
		if (!parse_count(v, &a->max_hunks))
			return optp_usage(OPTCMD_DIFF, "%s: '%s' is not a count", as, v);
		return OPTP_OK;
	default:
		return optp_usage(OPTCMD_DIFF, "option '%s' is not handled", as);
	}
}

int cmd_diff(int argc, char **argv)
{
	struct diff_args a = { .tol = GOLDEN_DEFAULT_TOLERANCE, .json = false, .max_hunks = DIFF_DEFAULT_HUNKS };
	struct optparse p = { .cmd = OPTCMD_DIFF, .permute = true, .fn = diff_opt, .ctx = &a };
	enum optp_result r = optp_parse(&p, argc, argv, NULL);
	if (r == OPTP_EXIT)
		return fflush(stdout) == 0 ? RC_OK : RC_FAIL;
	if (r != OPTP_OK)
		return RC_USAGE;
	double tol = a.tol;
	bool json = a.json;
	size_t max_hunks = a.max_hunks;
	const char **paths = a.paths;
	if (a.npaths < 2) {
		optp_usage(OPTCMD_DIFF, "%s", a.npaths ? "missing NEW.json" : "missing GOLDEN.json and NEW.json");
		return RC_USAGE;
	}

	struct golden_seq *seq[2] = { NULL, NULL };
	char err[1024];
	for (int i = 0; i < 2; i++) {
		if (golden_seq_load(paths[i], &seq[i], err, sizeof(err)) != 0) {
			diag("diff: %s", err);
			golden_seq_free(seq[0]);
			return RC_BAD_TRACE;
		}
	}
	struct golden_diff_opts opts = { .max_hunks = max_hunks };
	struct golden_diff d;
	int status;
	if (golden_diff(seq[0], seq[1], &opts, &d) != 0) {
		diag("diff: out of memory");
		status = RC_BAD_TRACE;
	} else {
		/* compare with a little slack for the decimal tolerance */
		bool equivalent = d.similarity >= 1.0 - tol - 1e-12;
		int rc = json ? json_report(stdout, paths[0], paths[1], seq[0], seq[1], &d, tol, equivalent)
			      : (text_report(stdout, paths[0], paths[1], seq[0], seq[1], &d, tol, equivalent), 0);
		status = equivalent ? RC_OK : RC_FAIL;
		if (rc != 0) {
			diag("diff: out of memory");
			status = RC_BAD_TRACE;
		}
		if (fflush(stdout) != 0 || ferror(stdout)) {
			diag("diff: cannot write the report: %s", strerror(errno));
			if (status == RC_OK)
				status = RC_FAIL;
		}
		golden_diff_free(&d);
	}
	golden_seq_free(seq[0]);
	golden_seq_free(seq[1]);
	return status;
}
