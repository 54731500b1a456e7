/* test_summary.c — the -c table against hand-computed strace -c -w bytes. */
#include <criterion/criterion.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "summary.h"

#define HDR "% time     seconds  usecs/call     calls    errors syscall\n"
#define DIV "------ ----------- ----------- --------- --------- ----------------\n"

/* Render s with the given order into a malloc'd string. */
static char *render(const struct summary *s, enum summary_sort sort)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_not_null(f);
	cr_assert_eq(summary_print(s, sort, f), 0);
	cr_assert_eq(fclose(f), 0);
	cr_assert_not_null(buf);
	return buf;
}

static void add(struct summary *s, long nr, const char *name, int failed, uint64_t ns)
{
	cr_assert_eq(summary_add(s, nr, name, failed, ns), 0);
}

/* read: 2 calls, 15000 ns; openat: 3 calls (1 failed), 6400 ns; close:
 * 1 call, 700 ns. Total 22100 ns over 6 calls.
 *   read   100*15000/22100 = 67.873.. -> " 67.87", 0.000015 s, 15000/2/1000 = 7 us
 *   openat 100*6400/22100  = 28.959.. -> " 28.96", 0.0000064 -> 0.000006, 6400/3/1000 = 2
 *   close  100*700/22100   = 3.167..  -> "  3.17", 0.0000007 -> 0.000001, 700/1000 = 0
 *   total  100.00, 0.0000221 -> 0.000022, 22100/6/1000 = 3 */
static struct summary *sample(void)
{
	struct summary *s = summary_new();

	cr_assert_not_null(s);
	add(s, 257, "openat", 0, 1000);
	add(s, 0, "read", 0, 10000);
	add(s, 257, "openat", 1, 2000);
	add(s, 3, "close", 0, 700);
	add(s, 0, "read", 0, 5000);
	add(s, 257, "openat", 0, 3400);
	return s;
}

#define R_READ   " 67.87    0.000015           7         2           read\n"
#define R_OPENAT " 28.96    0.000006           2         3         1 openat\n"
#define R_CLOSE  "  3.17    0.000001           0         1           close\n"
#define R_TOTAL  "100.00    0.000022           3         6         1 total\n"

Test(summary, exact_bytes_default_time_order)
{
	struct summary *s = sample();
	char *out = render(s, SORT_TIME);

	cr_assert_str_eq(out, HDR DIV R_READ R_OPENAT R_CLOSE DIV R_TOTAL);
	free(out);
	summary_free(s);
}

Test(summary, sort_calls)
{
	struct summary *s = sample();
	char *out = render(s, SORT_CALLS);

	cr_assert_str_eq(out, HDR DIV R_OPENAT R_READ R_CLOSE DIV R_TOTAL);
	free(out);
	summary_free(s);
}

Test(summary, sort_errors_ties_by_name)
{
	struct summary *s = sample();
	char *out = render(s, SORT_ERRORS);

	/* openat has 1 error; close and read tie at 0 -> by name */
	cr_assert_str_eq(out, HDR DIV R_OPENAT R_CLOSE R_READ DIV R_TOTAL);
	free(out);
	summary_free(s);
}

Test(summary, sort_name)
{
	struct summary *s = sample();
	char *out = render(s, SORT_NAME);

	cr_assert_str_eq(out, HDR DIV R_CLOSE R_OPENAT R_READ DIV R_TOTAL);
	free(out);
	summary_free(s);
}

Test(summary, sort_nothing_is_syscall_number_order)
{
	struct summary *s = sample();
	char *out = render(s, SORT_NOTHING);

	/* strace 6.1 -S nothing: rows by syscall number (read 0, close 3, openat 257) */
	cr_assert_str_eq(out, HDR DIV R_READ R_CLOSE R_OPENAT DIV R_TOTAL);
	free(out);
	summary_free(s);
}

/* Equal keys: ties break by name ascending, whatever the insertion order. */
Test(summary, ties_break_by_name)
{
	struct summary *s = summary_new();
	char *out;

	cr_assert_not_null(s);
	add(s, 1, "write", 0, 1000);
	add(s, 3, "close", 0, 1000);
	add(s, 0, "read", 0, 1000);
	add(s, 39, "getpid", 0, 4000);

	/* 4000/7000 = 57.142.. ; 1000/7000 = 14.285.. */
	const char *g = " 57.14    0.000004           4         1           getpid\n";
	const char *c = " 14.29    0.000001           1         1           close\n";
	const char *r = " 14.29    0.000001           1         1           read\n";
	const char *w = " 14.29    0.000001           1         1           write\n";
	const char *t = "100.00    0.000007           1         4           total\n";
	char exp[1024];

	snprintf(exp, sizeof(exp), "%s%s%s%s%s%s%s%s", HDR, DIV, g, c, r, w, DIV, t);
	out = render(s, SORT_TIME);
	cr_assert_str_eq(out, exp);
	free(out);

	/* calls: all 1 -> purely by name */
	snprintf(exp, sizeof(exp), "%s%s%s%s%s%s%s%s", HDR, DIV, c, g, r, w, DIV, t);
	out = render(s, SORT_CALLS);
	cr_assert_str_eq(out, exp);
	free(out);

	out = render(s, SORT_ERRORS);
	cr_assert_str_eq(out, exp);
	free(out);

	out = render(s, SORT_NAME);
	cr_assert_str_eq(out, exp);
	free(out);

	/* nothing: by number: read 0, write 1, close 3, getpid 39 */
	snprintf(exp, sizeof(exp), "%s%s%s%s%s%s%s%s", HDR, DIV, r, w, c, g, DIV, t);
	out = render(s, SORT_NOTHING);
	cr_assert_str_eq(out, exp);
	free(out);
	summary_free(s);
}

Test(summary, empty_table)
{
	struct summary *s = summary_new();
	char *out;

	cr_assert_not_null(s);
	out = render(s, SORT_TIME);
	cr_assert_str_eq(out, HDR DIV DIV "100.00    0.000000           0         0           total\n");
	free(out);
	summary_free(s);
}

Test(summary, percent_rounding)
{
	struct summary *s = summary_new();
	char *out;

	cr_assert_not_null(s);
	add(s, 0, "read", 0, 1);  /* 33.333.. -> 33.33 */
	add(s, 1, "write", 0, 2); /* 66.666.. -> 66.67 */
	out = render(s, SORT_TIME);
	cr_assert_str_eq(out, HDR DIV
			 " 66.67    0.000000           0         1           write\n"
			 " 33.33    0.000000           0         1           read\n"
			 DIV
			 "100.00    0.000000           0         2           total\n");
	free(out);
	summary_free(s);
}

/* seconds round to nearest, usecs/call truncates (strace: 9824 ns -> 0.000010, 9) */
Test(summary, seconds_round_usecs_truncate)
{
	struct summary *s = summary_new();
	char *out;

	cr_assert_not_null(s);
	add(s, 273, "set_robust_list", 0, 9824);
	out = render(s, SORT_TIME);
	cr_assert_str_eq(out, HDR DIV
			 "100.00    0.000010           9         1           set_robust_list\n"
			 DIV
			 "100.00    0.000010           9         1           total\n");
	free(out);
	summary_free(s);
}

/* Total time 0 (strace -O with a big overhead): rows 0.00, total 100.00. */
Test(summary, zero_time)
{
	struct summary *s = summary_new();
	char *out;

	cr_assert_not_null(s);
	add(s, 0, "read", 0, 0);
	add(s, 3, "close", 1, 0);
	add(s, 3, "close", 1, 0);
	out = render(s, SORT_TIME);
	cr_assert_str_eq(out, HDR DIV
			 "  0.00    0.000000           0         2         2 close\n"
			 "  0.00    0.000000           0         1           read\n"
			 DIV
			 "100.00    0.000000           0         3         2 total\n");
	free(out);
	summary_free(s);
}

Test(summary, large_values_and_seconds)
{
	struct summary *s = summary_new();
	char *out;

	cr_assert_not_null(s);
	/* 3 calls totalling 12.345678901 s */
	add(s, 35, "nanosleep", 0, 4000000000ull);
	add(s, 35, "nanosleep", 0, 4000000000ull);
	add(s, 35, "nanosleep", 0, 4345678901ull);
	out = render(s, SORT_TIME);
	/* 12345678901 / 3 = 4115226300 ns -> 4115226 us */
	cr_assert_str_eq(out, HDR DIV
			 "100.00   12.345679     4115226         3           nanosleep\n"
			 DIV
			 "100.00   12.345679     4115226         3           total\n");
	free(out);
	summary_free(s);
}

Test(summary, unknown_names_are_copied)
{
	struct summary *s = summary_new();
	char buf[32];
	char *out;

	cr_assert_not_null(s);
	strcpy(buf, "syscall_0x1b3");
	add(s, 0x1b3, buf, 1, 2000);
	strcpy(buf, "XXXXXXXXXXXXXXXXXXXX");
	add(s, 0x1b3, buf, 0, 1000); /* same number: same row */
	add(s, 0x1f0, NULL, 0, 1000); /* no name: synthesized */
	add(s, 0, NULL, 0, 1000);     /* no name, known number: table name */
	memset(buf, 'Z', sizeof(buf) - 1);
	out = render(s, SORT_NAME);
	cr_assert_str_eq(out, HDR DIV
			 " 20.00    0.000001           1         1           read\n"
			 " 60.00    0.000003           1         2         1 syscall_0x1b3\n"
			 " 20.00    0.000001           1         1           syscall_0x1f0\n"
			 DIV
			 "100.00    0.000005           1         4         1 total\n");
	free(out);
	summary_free(s);
}

/* Numbers outside the index (e.g. -1 from a saved trace) key by name too. */
Test(summary, out_of_range_numbers_key_by_name)
{
	struct summary *s = summary_new();
	char *out;

	cr_assert_not_null(s);
	add(s, -1, "foo", 0, 1000);
	add(s, -1, "bar", 0, 1000);
	add(s, -1, "foo", 0, 2000);
	add(s, 1L << 40, "huge", 0, 0);
	out = render(s, SORT_NAME);
	cr_assert_str_eq(out, HDR DIV
			 " 25.00    0.000001           1         1           bar\n"
			 " 75.00    0.000003           1         2           foo\n"
			 "  0.00    0.000000           0         1           huge\n"
			 DIV
			 "100.00    0.000004           1         4           total\n");
	free(out);
	summary_free(s);
}

Test(summary, many_events_one_row_each)
{
	struct summary *s = summary_new();
	char *out;

	cr_assert_not_null(s);
	for (int i = 0; i < 200000; i++)
		add(s, i % 2, i % 2 ? "write" : "read", i % 4 == 1, 1000);
	out = render(s, SORT_NAME);
	cr_assert_str_eq(out, HDR DIV
			 " 50.00    0.100000           1    100000           read\n"
			 " 50.00    0.100000           1    100000     50000 write\n"
			 DIV
			 "100.00    0.200000           1    200000     50000 total\n");
	free(out);
	summary_free(s);
}

Test(summary, write_error_reported)
{
	struct summary *s = sample();
	FILE *f = fopen("/dev/full", "w");

	cr_assert_not_null(f);
	cr_assert_eq(summary_print(s, SORT_TIME, f), -1);
	fclose(f);
	summary_free(s);
}

Test(summary, sort_parse)
{
	enum summary_sort o;
	static const struct {
		const char *s;
		enum summary_sort want;
	} ok[] = {
		{ "time", SORT_TIME }, { "min-time", SORT_TIME }, { "max-time", SORT_TIME },
		{ "avg-time", SORT_TIME }, { "total-time", SORT_TIME }, { "time_total", SORT_TIME },
		{ "calls", SORT_CALLS }, { "count", SORT_CALLS },
		{ "errors", SORT_ERRORS }, { "error", SORT_ERRORS },
		{ "name", SORT_NAME }, { "syscall", SORT_NAME }, { "syscall_name", SORT_NAME },
		{ "nothing", SORT_NOTHING }, { "none", SORT_NOTHING },
	};

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		o = (enum summary_sort)99;
		cr_assert_eq(summary_sort_parse(ok[i].s, &o), 0, "%s", ok[i].s);
		cr_assert_eq(o, ok[i].want, "%s", ok[i].s);
	}
	cr_assert_eq(summary_sort_parse("foo", &o), -1);
	cr_assert_eq(summary_sort_parse("TIME", &o), -1);
	cr_assert_eq(summary_sort_parse("total", &o), -1);
	cr_assert_eq(summary_sort_parse("", &o), -1);
	cr_assert_eq(summary_sort_parse(NULL, &o), -1);
}

Test(summary, free_null_is_noop)
{
	summary_free(NULL);
}
