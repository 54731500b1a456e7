/* test_rle.c — `--compress=rle` end to end (issue 7): a tight loop of
 * 100000 getppid traced with and without compression; the compressed
 * file is more than 10x smaller (the ratio is logged), and `summary`,
 * `assert` and `diff` give the same answers for both. */
#include <criterion/criterion.h>
#include <criterion/logging.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

TestSuite(rle_cli, .init = h_init, .fini = h_cleanup, .timeout = 300);

#define LOOP_N 100000

/* Trace getppid_n LOOP_N into NAME; returns the path. */
static const char *loop_trace(const char *name, bool compress)
{
	const char *path = h_tmp_path(name);
	const char *n = h_fmt("%d", LOOP_N);
	struct h_res r;
	if (compress)
		h_rc_run(H_ARGV("-f", "--format", "json", "--compress=rle", "-o", path, "--", h_fixture("getppid_n"), n),
		       &r, 180000, 0);
	else
		h_rc_run(H_ARGV("-f", "--format", "json", "-o", path, "--", h_fixture("getppid_n"), n), &r, 180000, 0);
	cr_assert_eq(r.code, 0, "tracing getppid_n: %s\nstderr:\n%.2000s", h_describe(&r), r.err);
	return path;
}

static const char *plain, *packed;

static void traces(void)
{
	plain = loop_trace("plain.json", false);
	packed = loop_trace("rle.json", true);
}

/* The summary object's total_syscalls of a trace. */
static double total_syscalls(const char *path)
{
	size_t len;
	char *text = h_slurp(path, &len);
	cJSON *doc = cJSON_ParseWithLength(text, len);
	cr_assert_not_null(doc, "%s is not valid JSON", path);
	const cJSON *sum = cJSON_GetObjectItemCaseSensitive(doc, "summary");
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(sum, "total_syscalls");
	cr_assert(cJSON_IsNumber(t), "%s: no summary.total_syscalls", path);
	double v = t->valuedouble;
	cJSON_Delete(doc);
	return v;
}

Test(rle_cli, size_ratio_summary_assert_diff)
{
	traces();
	size_t plen, clen;
	(void)h_slurp(plain, &plen);
	char *ctext = h_slurp(packed, &clen);
	double ratio = (double)plen / (double)clen;
	cr_log_info("--compress=rle on getppid_n %d: %zu bytes uncompressed, %zu compressed, ratio %.1fx", LOOP_N,
		    plen, clen, ratio);
	cr_expect_gt(ratio, 10.0, "ratio %.1f (%zu / %zu bytes)", ratio, plen, clen);
	const char *run = strstr(ctext, "{\"rle\":{\"count\":100000,");
	cr_expect_not_null(run, "no record for the whole loop");
	cr_expect(run && strstr(run, "\"name\":\"getppid\""), "the run is not getppid's");
	cr_expect_eq(total_syscalls(plain), total_syscalls(packed));

	/* summary: the same rows (names, calls, errors) */
	struct h_res rp, rc;
	h_rc_run(H_ARGV("summary", "-S", "name", plain), &rp, 180000, 0);
	cr_assert_eq(rp.code, 0, "%s\n%s", h_describe(&rp), rp.err);
	h_rc_run(H_ARGV("summary", "-S", "name", packed), &rc, 180000, 0);
	cr_assert_eq(rc.code, 0, "%s\n%s", h_describe(&rc), rc.err);
	const char *why = NULL;
	struct h_summary *sp = h_parse_summary(rp.out, &why);
	cr_assert_not_null(sp, "%s\n%s", why, rp.out);
	struct h_summary *sc = h_parse_summary(rc.out, &why);
	cr_assert_not_null(sc, "%s\n%s", why, rc.out);
	cr_expect_eq(sp->nrows, sc->nrows, "plain:\n%s\ncompressed:\n%s", rp.out, rc.out);
	for (size_t i = 0; i < sp->nrows && i < sc->nrows; i++) {
		cr_expect_str_eq(sp->rows[i].name, sc->rows[i].name);
		cr_expect_eq(sp->rows[i].calls, sc->rows[i].calls, "%s", sp->rows[i].name);
		cr_expect_eq(sp->rows[i].errors, sc->rows[i].errors, "%s", sp->rows[i].name);
	}
	const struct h_sumrow *g = h_summary_find(sc, "getppid");
	cr_assert_not_null(g);
	cr_expect_eq(g->calls, LOOP_N);
	cr_expect_eq(sp->total.calls, sc->total.calls);

	/* assert: the same verdicts and actual values */
	const char *cfg = h_tmp_path("renacer.toml");
	const char *toml = "[[assertion]]\nname = \"spans\"\ntype = \"span_count\"\n"
			   "span_name_pattern = \"^getppid$\"\nmax_spans = 100000\n\n"
			   "[[assertion]]\nname = \"spans_over\"\ntype = \"span_count\"\n"
			   "span_name_pattern = \"^getppid$\"\nmax_spans = 99999\n\n"
			   "[[assertion]]\nname = \"count\"\ntype = \"syscall_count\"\nsyscall = \"getppid\"\n"
			   "max_count = 100000\n\n"
			   "[[assertion]]\nname = \"loop\"\ntype = \"anti_pattern\"\npattern = \"TightLoop\"\n"
			   "threshold = 0.5\nmin_run = 1000\n";
	h_write_file(cfg, toml, strlen(toml));
	h_rc_run(H_ARGV("assert", "--config", cfg, plain), &rp, 180000, 0);
	h_rc_run(H_ARGV("assert", "--config", cfg, packed), &rc, 180000, 0);
	cr_expect_eq(rp.code, 1, "%s\n%s", h_describe(&rp), rp.err);
	cr_expect_eq(rc.code, rp.code, "%s\n%s", h_describe(&rc), rc.err);
	cr_expect(strstr(rc.err, "PASS  spans: 100000 spans <= 100000"), "%s", rc.err);
	cr_expect(strstr(rc.err, "PASS  count: getppid: 100000 calls <= 100000"), "%s", rc.err);
	cr_expect(strstr(rc.err, "Result: FAIL (2 passed, 2 failed, 0 warnings, 0 skipped)"), "%s", rc.err);
	/* every verdict and measured value (the evidence names a tid) */
	char *a = rp.err, *b = rc.err;
	for (;;) {
		char *ea = strchr(a, '\n'), *eb = strchr(b, '\n');
		if (!ea || !eb) {
			cr_expect(!ea && !eb, "reports differ in length:\n%s\n---\n%s", rp.err, rc.err);
			break;
		}
		*ea = *eb = '\0';
		if (!strstr(a, " in tid "))
			cr_expect_str_eq(a, b);
		a = ea + 1;
		b = eb + 1;
	}

	/* diff: equivalent, both ways */
	h_rc_run(H_ARGV("diff", plain, packed), &rp, 180000, 0);
	cr_expect_eq(rp.code, 0, "%s\n%s\n%s", h_describe(&rp), rp.out, rp.err);
	h_rc_run(H_ARGV("diff", packed, plain), &rc, 180000, 0);
	cr_expect_eq(rc.code, 0, "%s\n%s\n%s", h_describe(&rc), rc.out, rc.err);
	cr_expect(strstr(rc.out, "similarity: 1.000000"), "%s", rc.out);
}

Test(rle_cli, usage_errors)
{
	struct h_res r;
	h_rc_run(H_ARGV("--compress=rle", "--", h_fixture("getppid_n"), "1"), &r, 180000, 0);
	cr_expect_eq(r.code, 2, "without --format json: %s\n%s", h_describe(&r), r.err);
	cr_expect(strstr(r.err, "--format json"), "%s", r.err);
	h_rc_run(H_ARGV("--format", "csv", "--compress", "rle", "--", h_fixture("getppid_n"), "1"), &r, 180000, 0);
	cr_expect_eq(r.code, 2, "%s\n%s", h_describe(&r), r.err);
	h_rc_run(H_ARGV("--format", "json", "--compress=gzip", "--", h_fixture("getppid_n"), "1"), &r, 180000, 0);
	cr_expect_eq(r.code, 2, "%s\n%s", h_describe(&r), r.err);
	cr_expect(strstr(r.err, "gzip"), "%s", r.err);
	h_rc_run(H_ARGV("--format", "json", "--compress", "rle", "-o", h_tmp_path("one.json"), "--",
		      h_fixture("getppid_n"), "3"),
	       &r, 180000, 0);
	cr_expect_eq(r.code, 0, "--compress rle: %s\n%s", h_describe(&r), r.err);
	char *t = h_slurp(h_tmp_path("one.json"), NULL);
	cr_expect(strstr(t, "{\"rle\":{\"count\":3,"), "%s", t);
}
