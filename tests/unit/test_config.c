/* Unit tests for the renacer.toml loader (src/analyze/config.c): every
 * configuration error class gives one exact `name:LINE:COL: message`,
 * and valid configs of every type load with their values and defaults. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

/* ------------------------------------------------------------------ */
/* helpers                                                             */

static struct config *load_ok(const char *src)
{
	char err[512] = "";
	struct config *c = config_load_buffer("t.toml", src, strlen(src), err, sizeof(err));
	cr_assert_not_null(c, "unexpected config error: %s", err);
	cr_assert_str_eq(c->path, "t.toml");
	return c;
}

/* Loading SRC fails with exactly MSG. */
static void load_bad(const char *src, const char *msg)
{
	char err[512] = "";
	struct config *c = config_load_buffer("t.toml", src, strlen(src), err, sizeof(err));
	if (c) {
		config_free(c);
		cr_assert_fail("loaded but should have failed with: %s", msg);
	}
	cr_assert_str_eq(err, msg);
	cr_assert_null(strchr(err, '\n'), "message is not one line");
}

static const struct assertion *find(const struct config *c, const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->items[i].name, name))
			return &c->items[i];
	cr_assert_fail("assertion '%s' not loaded", name);
	return NULL;
}

static bool matches(const struct pattern *p, const char *s)
{
	cr_assert(p->set);
	return regexec(&p->re, s, 0, NULL, 0) == 0;
}

/* ------------------------------------------------------------------ */
/* names                                                               */

Test(config, names)
{
	cr_assert_str_eq(assertion_type_name(AT_CRITICAL_PATH), "critical_path");
	cr_assert_str_eq(assertion_type_name(AT_SPAN_COUNT), "span_count");
	cr_assert_str_eq(assertion_type_name(AT_MEMORY_USAGE), "memory_usage");
	cr_assert_str_eq(assertion_type_name(AT_ANTI_PATTERN), "anti_pattern");
	cr_assert_str_eq(assertion_type_name(AT_SYSCALL_COUNT), "syscall_count");
	cr_assert_str_eq(assertion_type_name(AT_SYSCALL_PERCENTAGE), "syscall_percentage");
	cr_assert_str_eq(assertion_type_name(AT_TOTAL_TIME), "total_time");
	cr_assert_str_eq(assertion_type_name(AT_GOLDEN), "golden");
	cr_assert_str_eq(anti_pattern_name(AP_GOD_PROCESS), "GodProcess");
	cr_assert_str_eq(anti_pattern_name(AP_TIGHT_LOOP), "TightLoop");
	cr_assert_str_eq(anti_pattern_name(AP_PCIE_BOTTLENECK), "PcieBottleneck");
	cr_assert_str_eq(anti_pattern_name(AP_EXCESSIVE_IO), "ExcessiveIO");
	cr_assert_str_eq(anti_pattern_name(AP_BLOCKING_MAIN_THREAD), "BlockingMainThread");
	cr_assert_str_eq(assertion_type_name((enum assertion_type)99), "unknown");
	cr_assert_str_eq(anti_pattern_name((enum anti_pattern)-1), "unknown");
}

/* ------------------------------------------------------------------ */
/* valid configurations                                                */

Test(config, spec_example)
{
	struct config *c = load_ok("[[assertion]]\n"
				   "name = \"example_startup_latency\"\n"
				   "type = \"critical_path\"          # critical_path | span_count | memory_usage | anti_pattern\n"
				   "max_duration_ms = 100           #   | syscall_count | syscall_percentage | total_time | golden\n"
				   "trace_name_pattern = \"^backend\" # optional ERE over process exe basename\n"
				   "fail_on_violation = true        # default true; false = warning only\n"
				   "enabled = true                  # default true; false = skipped\n");
	cr_assert_eq(c->n, 1);
	const struct assertion *a = &c->items[0];
	cr_assert_str_eq(a->name, "example_startup_latency");
	cr_assert_eq(a->type, AT_CRITICAL_PATH);
	cr_assert_eq(a->max_duration_ms, 100.0);
	cr_assert_str_eq(a->trace_name_pattern.src, "^backend");
	cr_assert(matches(&a->trace_name_pattern, "backend_detection"));
	cr_assert_not(matches(&a->trace_name_pattern, "my_backend"));
	cr_assert(a->fail_on_violation);
	cr_assert(a->enabled);
	cr_assert_eq(a->line, 1);
	cr_assert_eq(a->col, 1);
	cr_assert_str_eq(c->dir, ".");
	config_free(c);
}

/* A gate that checks nothing must not pass: no assertion, or none
 * enabled, is a configuration error (issue 11). */
Test(config_errors, nothing_enabled)
{
	const char *msg = "t.toml: no enabled assertions: a gate that checks nothing cannot pass";
	load_bad("", msg);
	load_bad("# only a comment\n\n", msg);
	load_bad("expect_exit = 0\n", msg);
	load_bad("[[assertion]]\nname = \"a\"\ntype = \"total_time\"\nmax_time_ms = 1\nenabled = false\n"
		 "[[assertion]]\nname = \"b\"\ntype = \"span_count\"\nmax_spans = 1\nenabled = false\n",
		 msg);
	struct config *c = load_ok("[[assertion]]\nname = \"a\"\ntype = \"total_time\"\nmax_time_ms = 1\n"
				   "enabled = false\n[[assertion]]\nname = \"b\"\ntype = \"span_count\"\n"
				   "max_spans = 1\n");
	cr_assert_eq(c->n, 2);
	config_free(c);
}

/* ------------------------------------------------------------------ */
/* expect_exit                                                         */

static const char one_assertion[] = "[[assertion]]\nname = \"a\"\ntype = \"total_time\"\nmax_time_ms = 1\n";

static struct config *load_with(const char *top)
{
	char src[512];
	snprintf(src, sizeof(src), "%s%s", top, one_assertion);
	return load_ok(src);
}

static void bad_with(const char *top, const char *msg)
{
	char src[512];
	snprintf(src, sizeof(src), "%s%s", top, one_assertion);
	load_bad(src, msg);
}

Test(config, expect_exit_values)
{
	struct config *c = load_ok(one_assertion);
	cr_assert(!c->has_expect_exit);
	cr_assert_eq(c->expect_exit, 0, "default 0");
	config_free(c);
	static const struct {
		const char *top;
		int want;
	} ok[] = {{"expect_exit = 0\n", 0}, {"expect_exit = 3\n", 3}, {"expect_exit = 255\n", 255},
		  {"expect_exit = 0x2a\n", 42}, {"# why\nexpect_exit = +1 # comment\n\n", 1}};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		c = load_with(ok[i].top);
		cr_assert(c->has_expect_exit, "%s", ok[i].top);
		cr_assert_eq(c->expect_exit, ok[i].want, "%s", ok[i].top);
		cr_assert_eq(c->n, 1);
		config_free(c);
	}
}

Test(config_errors, expect_exit_type_and_range)
{
	bad_with("expect_exit = \"3\"\n",
		 "t.toml:1:15: expect_exit: expected an integer (an exit status, 0 to 255), got string");
	bad_with("expect_exit = 3.0\n",
		 "t.toml:1:15: expect_exit: expected an integer (an exit status, 0 to 255), got float");
	bad_with("expect_exit = true\n",
		 "t.toml:1:15: expect_exit: expected an integer (an exit status, 0 to 255), got boolean");
	bad_with("expect_exit = [0]\n",
		 "t.toml:1:15: expect_exit: expected an integer (an exit status, 0 to 255), got array");
	bad_with("expect_exit = 256\n", "t.toml:1:15: expect_exit: must be between 0 and 255, got 256");
	bad_with("expect_exit = -1\n", "t.toml:1:15: expect_exit: must be between 0 and 255, got -1");
	bad_with("  expect_exit = 9223372036854775807\n",
		 "t.toml:1:17: expect_exit: must be between 0 and 255, got 9223372036854775807");
	bad_with("expected_exit = 3\n", "t.toml:1:1: unknown key 'expected_exit' (did you mean 'expect_exit'?)");
	/* Written after [[assertion]], TOML puts it in that table. */
	char src[512];
	snprintf(src, sizeof(src), "%sexpect_exit = 3\n", one_assertion);
	load_bad(src, "t.toml:5:1: unknown key 'expect_exit' for type total_time (expect_exit is a top-level key: "
		      "write it before the first [[assertion]])");
}

Test(config, every_type_integers)
{
	struct config *c = load_ok("[[assertion]]\n"
				   "name = \"cp\"\n"
				   "type = \"critical_path\"\n"
				   "max_duration_ms = 2000\n"
				   "\n"
				   "[[assertion]]\n"
				   "name = \"spans\"\n"
				   "type = \"span_count\"\n"
				   "max_spans = 500\n"
				   "span_name_pattern = \"^(read|write)$\"\n"
				   "\n"
				   "[[assertion]]\n"
				   "name = \"mem\"\n"
				   "type = \"memory_usage\"\n"
				   "max_bytes = 67_108_864\n"
				   "tracking_mode = \"rss\"\n"
				   "\n"
				   "[[assertion]]\n"
				   "name = \"god\"\n"
				   "type = \"anti_pattern\"\n"
				   "pattern = \"GodProcess\"\n"
				   "threshold = 1\n"
				   "process_name_pattern = \"worker\"\n"
				   "fail_on_violation = false\n"
				   "\n"
				   "[[assertion]]\n"
				   "name = \"count\"\n"
				   "type = \"syscall_count\"\n"
				   "syscall = \"getppid\"\n"
				   "max_count = 1000\n"
				   "\n"
				   "[[assertion]]\n"
				   "name = \"pct\"\n"
				   "type = \"syscall_percentage\"\n"
				   "syscall = \"write\"\n"
				   "max_percentage = 50\n"
				   "\n"
				   "[[assertion]]\n"
				   "name = \"total\"\n"
				   "type = \"total_time\"\n"
				   "max_time_ms = 0x10\n"
				   "enabled = false\n"
				   "\n"
				   "[[assertion]]\n"
				   "name = \"gold\"\n"
				   "type = \"golden\"\n"
				   "baseline = \"golden/perf.json\"\n"
				   "min_similarity = 1\n");
	cr_assert_eq(c->n, 8);
	const struct assertion *a = find(c, "cp");
	cr_assert_eq(a->type, AT_CRITICAL_PATH);
	cr_assert_eq(a->max_duration_ms, 2000);
	cr_assert_not(a->trace_name_pattern.set);

	a = find(c, "spans");
	cr_assert_eq(a->type, AT_SPAN_COUNT);
	cr_assert_eq(a->max_spans, 500);
	cr_assert(matches(&a->span_name_pattern, "read"));
	cr_assert_not(matches(&a->span_name_pattern, "readv"));
	cr_assert_eq(a->line, 6);

	a = find(c, "mem");
	cr_assert_eq(a->type, AT_MEMORY_USAGE);
	cr_assert_eq(a->max_bytes, 67108864.0);
	cr_assert_eq(a->tracking_mode, TRACK_RSS);

	a = find(c, "god");
	cr_assert_eq(a->type, AT_ANTI_PATTERN);
	cr_assert_eq(a->pattern, AP_GOD_PROCESS);
	cr_assert_eq(a->threshold, 1.0);
	cr_assert(matches(&a->process_name_pattern, "my_worker_1"));
	cr_assert_not(a->fail_on_violation);
	cr_assert(a->enabled);

	a = find(c, "count");
	cr_assert_eq(a->type, AT_SYSCALL_COUNT);
	cr_assert_str_eq(a->syscall, "getppid");
	cr_assert_eq(a->max_count, 1000);

	a = find(c, "pct");
	cr_assert_eq(a->type, AT_SYSCALL_PERCENTAGE);
	cr_assert_str_eq(a->syscall, "write");
	cr_assert_eq(a->max_percentage, 50);

	a = find(c, "total");
	cr_assert_eq(a->type, AT_TOTAL_TIME);
	cr_assert_eq(a->max_time_ms, 16);
	cr_assert_not(a->enabled);
	cr_assert(a->fail_on_violation);

	a = find(c, "gold");
	cr_assert_eq(a->type, AT_GOLDEN);
	cr_assert_str_eq(a->baseline, "golden/perf.json");
	cr_assert_eq(a->min_similarity, 1.0);
	config_free(c);
}

Test(config, every_type_floats)
{
	struct config *c = load_ok("[[assertion]]\nname = \"cp\"\ntype = \"critical_path\"\nmax_duration_ms = 125.5\n"
				   "[[assertion]]\nname = \"spans\"\ntype = \"span_count\"\nmax_spans = 5e2\n"
				   "[[assertion]]\nname = \"mem\"\ntype = \"memory_usage\"\nmax_bytes = 1.5e6\n"
				   "tracking_mode = \"allocations\"\n"
				   "[[assertion]]\nname = \"tl\"\ntype = \"anti_pattern\"\npattern = \"TightLoop\"\n"
				   "threshold = 0.25\nmin_run = 500.0\n"
				   "[[assertion]]\nname = \"count\"\ntype = \"syscall_count\"\nsyscall = \"read\"\n"
				   "max_count = 10.0\n"
				   "[[assertion]]\nname = \"pct\"\ntype = \"syscall_percentage\"\nsyscall = \"ioctl\"\n"
				   "max_percentage = 99.5\n"
				   "[[assertion]]\nname = \"total\"\ntype = \"total_time\"\nmax_time_ms = 0.5\n"
				   "[[assertion]]\nname = \"gold\"\ntype = \"golden\"\nbaseline = \"b.json\"\n"
				   "min_similarity = 0.0\n");
	cr_assert_eq(c->n, 8);
	cr_assert_eq(find(c, "cp")->max_duration_ms, 125.5);
	cr_assert_eq(find(c, "spans")->max_spans, 500);
	cr_assert_eq(find(c, "mem")->max_bytes, 1.5e6);
	cr_assert_eq(find(c, "mem")->tracking_mode, TRACK_ALLOCATIONS);
	cr_assert_eq(find(c, "tl")->pattern, AP_TIGHT_LOOP);
	cr_assert_eq(find(c, "tl")->threshold, 0.25);
	cr_assert_eq(find(c, "tl")->min_run, 500);
	cr_assert_eq(find(c, "count")->max_count, 10);
	cr_assert_eq(find(c, "pct")->max_percentage, 99.5);
	cr_assert_eq(find(c, "total")->max_time_ms, 0.5);
	cr_assert_eq(find(c, "gold")->min_similarity, 0.0);
	config_free(c);
}

Test(config, defaults)
{
	struct config *c = load_ok("[[assertion]]\nname = \"a\"\ntype = \"anti_pattern\"\npattern = \"ExcessiveIO\"\n"
				   "[[assertion]]\nname = \"b\"\ntype = \"memory_usage\"\nmax_bytes = 1\n"
				   "[[assertion]]\nname = \"c\"\ntype = \"golden\"\nbaseline = \"x.json\"\n"
				   "[[assertion]]\nname = \"d\"\ntype = \"anti_pattern\"\npattern = \"TightLoop\"\n"
				   "[[assertion]]\nname = \"e\"\ntype = \"anti_pattern\"\npattern = \"BlockingMainThread\"\n"
				   "max_block_ms = 250\n"
				   "[[assertion]]\nname = \"f\"\ntype = \"anti_pattern\"\npattern = \"ExcessiveIO\"\n"
				   "max_ops_per_sec = 50\n");
	const struct assertion *a = find(c, "a");
	cr_assert(a->fail_on_violation);
	cr_assert(a->enabled);
	cr_assert_eq(a->threshold, 0.8);
	cr_assert_eq(a->max_ops_per_sec, 10000);
	cr_assert_not(a->process_name_pattern.set);
	cr_assert_eq(find(c, "b")->tracking_mode, TRACK_ALLOCATIONS);
	cr_assert_eq(find(c, "c")->min_similarity, 0.95);
	cr_assert_eq(find(c, "d")->min_run, 1000);
	cr_assert_eq(find(c, "e")->max_block_ms, 250);
	cr_assert_eq(find(c, "f")->max_ops_per_sec, 50);
	cr_assert_eq(find(c, "a")->max_block_ms, 100);
	config_free(c);
}

Test(config, every_pattern_and_alias)
{
	static const struct {
		const char *spelling;
		enum anti_pattern p;
	} cases[] = {
		{"GodProcess", AP_GOD_PROCESS},         {"TightLoop", AP_TIGHT_LOOP},
		{"PcieBottleneck", AP_PCIE_BOTTLENECK}, {"PCIeBottleneck", AP_PCIE_BOTTLENECK},
		{"ExcessiveIO", AP_EXCESSIVE_IO},       {"BlockingMainThread", AP_BLOCKING_MAIN_THREAD},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char src[256];
		snprintf(src, sizeof(src), "[[assertion]]\nname = \"x\"\ntype = \"anti_pattern\"\npattern = \"%s\"\n",
			 cases[i].spelling);
		struct config *c = load_ok(src);
		cr_assert_eq(c->items[0].pattern, cases[i].p, "%s", cases[i].spelling);
		config_free(c);
	}
}

Test(config, inline_array_of_tables_and_quoted_keys)
{
	/* The same data written as TOML allows: an array of inline tables,
	 * quoted keys, literal strings. */
	struct config *c = load_ok("assertion = [\n"
				   "  { name = 'a', type = 'span_count', max_spans = 3 },\n"
				   "  { \"name\" = \"b\", 'type' = \"total_time\", max_time_ms = 1.0 },\n"
				   "]\n");
	cr_assert_eq(c->n, 2);
	cr_assert_eq(find(c, "a")->max_spans, 3);
	cr_assert_eq(find(c, "b")->type, AT_TOTAL_TIME);
	config_free(c);
}

Test(config, generic_syscall_name_accepted)
{
	struct config *c = load_ok("[[assertion]]\nname = \"x\"\ntype = \"syscall_count\"\n"
				   "syscall = \"syscall_0x1b3\"\nmax_count = 0\n");
	cr_assert_str_eq(c->items[0].syscall, "syscall_0x1b3");
	config_free(c);
}

Test(config, load_file_and_dir)
{
	char dir[] = "/tmp/rcfgXXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	char path[128];
	snprintf(path, sizeof(path), "%s/renacer.toml", dir);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("[[assertion]]\nname = \"g\"\ntype = \"golden\"\nbaseline = \"base.json\"\n", f);
	fclose(f);
	char err[512];
	struct config *c = config_load(path, err, sizeof(err));
	cr_assert_not_null(c, "%s", err);
	cr_assert_str_eq(c->path, path);
	cr_assert_str_eq(c->dir, dir);
	cr_assert_eq(c->n, 1);
	config_free(c);

	/* Errors name the file. */
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("\n[[assertions]]\n", f);
	fclose(f);
	c = config_load(path, err, sizeof(err));
	cr_assert_null(c);
	char want[256];
	snprintf(want, sizeof(want), "%s:2:3: unknown table 'assertions' (did you mean 'assertion'?)", path);
	cr_assert_str_eq(err, want);
	unlink(path);

	/* A missing file is an error without a position. */
	c = config_load(path, err, sizeof(err));
	cr_assert_null(c);
	cr_assert(!strncmp(err, path, strlen(path)) && err[strlen(path)] == ':', "%s", err);
	cr_assert_null(strchr(err, '\n'));
	rmdir(dir);
}

/* ------------------------------------------------------------------ */
/* configuration errors                                                */

Test(config_errors, misspelt_array_of_tables)
{
	load_bad("# renacer contract\n\n[[assertions]]\nname = \"x\"\ntype = \"span_count\"\nmax_spans = 1\n",
		 "t.toml:3:3: unknown table 'assertions' (did you mean 'assertion'?)");
}

Test(config_errors, plain_table_instead_of_array)
{
	load_bad("[assertion]\nname = \"x\"\n",
		 "t.toml:1:2: 'assertion' must be an array of tables: write [[assertion]], not [assertion]");
}

Test(config_errors, stray_top_level_key)
{
	load_bad("version = 1\n", "t.toml:1:1: unknown key 'version'");
	load_bad("asertion = 1\n", "t.toml:1:1: unknown key 'asertion' (did you mean 'assertion'?)");
	load_bad("[[assertion]]\nname = \"a\"\ntype = \"total_time\"\nmax_time_ms = 1\n[settings]\n",
		 "t.toml:5:2: unknown table 'settings'");
	load_bad("assertion = 3\n", "t.toml:1:1: 'assertion' must be an array of tables ([[assertion]]), got integer");
	load_bad("assertion = [1]\n", "t.toml:1:14: assertion: expected [[assertion]] tables, got an array of integer");
}

Test(config_errors, misspelt_key)
{
	load_bad("[[assertion]]\nname = \"x\"\ntype = \"span_count\"\nmax_span = 5\n",
		 "t.toml:4:1: unknown key 'max_span' for type span_count (did you mean 'max_spans'?)");
	load_bad("[[assertion]]\nname = \"x\"\ntype = \"span_count\"\nmax_spans = 5\n  fail_on_violaton = false\n",
		 "t.toml:5:3: unknown key 'fail_on_violaton' for type span_count (did you mean 'fail_on_violation'?)");
	/* A key of another type is unknown for this one. */
	load_bad("[[assertion]]\nname = \"x\"\ntype = \"span_count\"\nmax_spans = 5\nmax_bytes = 1\n",
		 "t.toml:5:1: unknown key 'max_bytes' for type span_count");
	load_bad("[[assertion]]\nname = \"x\"\ntype = \"critical_path\"\nmax_duration_ms = 5\nfoo.bar = 1\n",
		 "t.toml:5:1: unknown key 'foo' for type critical_path");
}

Test(config_errors, key_of_another_pattern)
{
	load_bad("[[assertion]]\nname = \"x\"\ntype = \"anti_pattern\"\npattern = \"GodProcess\"\nmin_run = 5\n",
		 "t.toml:5:1: key 'min_run' applies only to pattern TightLoop, not GodProcess");
}

Test(config_errors, wrong_value_types)
{
	load_bad("[[assertion]]\nname = \"x\"\ntype = \"span_count\"\nmax_spans = \"lots\"\n",
		 "t.toml:4:13: max_spans: expected a number, got string");
	load_bad("[[assertion]]\nname = \"x\"\ntype = \"span_count\"\nmax_spans = 1\nenabled = \"yes\"\n",
		 "t.toml:5:11: enabled: expected a boolean (true or false), got string");
	load_bad("[[assertion]]\nname = \"x\"\ntype = \"span_count\"\nmax_spans = 1\nfail_on_violation = 0\n",
		 "t.toml:5:21: fail_on_violation: expected a boolean (true or false), got integer");
	load_bad("[[assertion]]\nname = 5\n", "t.toml:2:8: name: expected a string, got integer");
	load_bad("[[assertion]]\nname = \"x\"\ntype = [\"span_count\"]\n",
		 "t.toml:3:8: type: expected a string, got array");
	load_bad("[[assertion]]\nname = \"x\"\ntype = \"critical_path\"\nmax_duration_ms = 1\n"
		 "trace_name_pattern = true\n",
		 "t.toml:5:22: trace_name_pattern: expected a string, got boolean");
	load_bad("[[assertion]]\nname = \"x\"\ntype = \"memory_usage\"\nmax_bytes = {a = 1}\n",
		 "t.toml:4:13: max_bytes: expected a number, got table");
	load_bad("[[assertion]]\nname = \"x\"\ntype = \"critical_path\"\nmax_duration_ms = inf\n",
		 "t.toml:4:19: max_duration_ms: must be a finite number");
	load_bad("[[assertion]]\nname = \"x\"\ntype = \"critical_path\"\nmax_duration_ms = nan\n",
		 "t.toml:4:19: max_duration_ms: must be a finite number");
}

Test(config_errors, toml_syntax)
{
	load_bad("[[assertion]]\nname = \"unterminated\ntype = \"span_count\"\n",
		 "t.toml:2:8: unterminated string (newline before the closing quote)");
	load_bad("[[assertion]\n", "t.toml:1:13: expected ']]' to close the array-of-tables header, found newline");
}

Test(config_errors, bad_regex)
{
	char err[512];
	const char *src = "[[assertion]]\nname = \"x\"\ntype = \"span_count\"\nmax_spans = 1\n"
			  "span_name_pattern = \"(read\"\n";
	struct config *c = config_load_buffer("t.toml", src, strlen(src), err, sizeof(err));
	cr_assert_null(c);
	/* The regerror text itself is libc's. */
	regex_t re;
	int rc = regcomp(&re, "(read", REG_EXTENDED | REG_NOSUB);
	cr_assert_neq(rc, 0);
	char why[256];
	regerror(rc, &re, why, sizeof(why));
	regfree(&re);
	char want[512];
	snprintf(want, sizeof(want), "t.toml:5:21: span_name_pattern: invalid regular expression '(read': %s", why);
	cr_assert_str_eq(err, want);

	load_bad("[[assertion]]\nname = \"x\"\ntype = \"anti_pattern\"\npattern = \"GodProcess\"\n"
		 "process_name_pattern = '[z-a]'\n",
		 "t.toml:5:24: process_name_pattern: invalid regular expression '[z-a]': Invalid range end");
}

Test(config_errors, unknown_pattern)
{
	load_bad("[[assertion]]\nname = \"x\"\ntype = \"anti_pattern\"\npattern = \"GodProces\"\n",
		 "t.toml:4:11: unknown anti-pattern 'GodProces' (did you mean 'GodProcess'?)");
	load_bad("[[assertion]]\nname = \"x\"\ntype = \"anti_pattern\"\npattern = \"pciebottleneck\"\n",
		 "t.toml:4:11: unknown anti-pattern 'pciebottleneck' (did you mean 'PcieBottleneck'?)");
	load_bad("[[assertion]]\nname = \"x\"\ntype = \"anti_pattern\"\npattern = \"Spaghetti\"\n",
		 "t.toml:4:11: unknown anti-pattern 'Spaghetti' (expected GodProcess, TightLoop, PcieBottleneck, "
		 "ExcessiveIO or BlockingMainThread)");
}

Test(config_errors, unknown_type)
{
	load_bad("[[assertion]]\nname = \"x\"\ntype = \"spancount\"\n",
		 "t.toml:3:8: unknown assertion type 'spancount' (did you mean 'span_count'?)");
	load_bad("[[assertion]]\nname = \"x\"\ntype = \"memory\"\n",
		 "t.toml:3:8: unknown assertion type 'memory' (did you mean 'memory_usage'?)");
	load_bad("[[assertion]]\nname = \"x\"\ntype = \"latency\"\n",
		 "t.toml:3:8: unknown assertion type 'latency' (expected critical_path, span_count, memory_usage, "
		 "anti_pattern, syscall_count, syscall_percentage, total_time or golden)");
}

Test(config_errors, unknown_tracking_mode_and_syscall)
{
	load_bad("[[assertion]]\nname = \"x\"\ntype = \"memory_usage\"\nmax_bytes = 1\ntracking_mode = \"RSS\"\n",
		 "t.toml:5:17: tracking_mode: unknown mode 'RSS' (did you mean 'rss'?)");
	load_bad("[[assertion]]\nname = \"x\"\ntype = \"memory_usage\"\nmax_bytes = 1\ntracking_mode = \"heap\"\n",
		 "t.toml:5:17: tracking_mode: unknown mode 'heap' (expected allocations or rss)");
	load_bad("[[assertion]]\nname = \"x\"\ntype = \"syscall_count\"\nsyscall = \"getppdi\"\nmax_count = 1\n",
		 "t.toml:4:11: syscall: unknown system call 'getppdi' (did you mean 'getppid'?)");
}

Test(config_errors, missing_required_keys)
{
	load_bad("[[assertion]]\ntype = \"span_count\"\nmax_spans = 1\n",
		 "t.toml:1:1: assertion: missing required key 'name'");
	load_bad("x = 1\n", "t.toml:1:1: unknown key 'x'");
	load_bad("\n[[assertion]]\nname = \"a\"\n", "t.toml:2:1: assertion 'a': missing required key 'type'");
	load_bad("[[assertion]]\nname = \"a\"\ntype = \"span_count\"\n",
		 "t.toml:1:1: assertion 'a' (type span_count): missing required key 'max_spans'");
	load_bad("[[assertion]]\nname = \"a\"\ntype = \"syscall_count\"\nsyscall = \"read\"\n",
		 "t.toml:1:1: assertion 'a' (type syscall_count): missing required key 'max_count'");
	load_bad("[[assertion]]\nname = \"a\"\ntype = \"anti_pattern\"\n",
		 "t.toml:1:1: assertion 'a' (type anti_pattern): missing required key 'pattern'");
	load_bad("[[assertion]]\nname = \"a\"\ntype = \"golden\"\n",
		 "t.toml:1:1: assertion 'a' (type golden): missing required key 'baseline'");
}

Test(config_errors, duplicate_name)
{
	load_bad("[[assertion]]\nname = \"a\"\ntype = \"total_time\"\nmax_time_ms = 1\n"
		 "[[assertion]]\nname = \"a\"\ntype = \"total_time\"\nmax_time_ms = 2\n",
		 "t.toml:6:8: duplicate assertion name 'a' (first defined at line 1)");
}

Test(config_errors, bad_names)
{
	load_bad("[[assertion]]\nname = \"\"\n", "t.toml:2:8: name: must not be empty");
	load_bad("[[assertion]]\nname = \"a\\nb\"\n", "t.toml:2:8: name: must not contain control characters");
	load_bad("[[assertion]]\nname = \"a\\u0000b\"\n", "t.toml:2:8: name: must not contain NUL characters");
}

Test(config_errors, out_of_range)
{
	load_bad("[[assertion]]\nname = \"x\"\ntype = \"anti_pattern\"\npattern = \"GodProcess\"\nthreshold = 1.5\n",
		 "t.toml:5:13: threshold: must be between 0 and 1, got 1.5");
	load_bad("[[assertion]]\nname = \"x\"\ntype = \"anti_pattern\"\npattern = \"GodProcess\"\nthreshold = -0.1\n",
		 "t.toml:5:13: threshold: must be between 0 and 1, got -0.1");
	load_bad("[[assertion]]\nname = \"x\"\ntype = \"golden\"\nbaseline = \"b\"\nmin_similarity = 2\n",
		 "t.toml:5:18: min_similarity: must be between 0 and 1, got 2");
	load_bad("[[assertion]]\nname = \"x\"\ntype = \"syscall_percentage\"\nsyscall = \"read\"\nmax_percentage = 101\n",
		 "t.toml:5:18: max_percentage: must be between 0 and 100, got 101");
	load_bad("[[assertion]]\nname = \"x\"\ntype = \"span_count\"\nmax_spans = -1\n",
		 "t.toml:4:13: max_spans: must not be negative, got -1");
	load_bad("[[assertion]]\nname = \"x\"\ntype = \"critical_path\"\nmax_duration_ms = -0.5\n",
		 "t.toml:4:19: max_duration_ms: must not be negative, got -0.5");
	load_bad("[[assertion]]\nname = \"x\"\ntype = \"anti_pattern\"\npattern = \"TightLoop\"\nmin_run = 0\n",
		 "t.toml:5:11: min_run: must be at least 1, got 0");
}

Test(config_errors, empty_baseline)
{
	load_bad("[[assertion]]\nname = \"x\"\ntype = \"golden\"\nbaseline = ''\n",
		 "t.toml:4:12: baseline: must not be empty");
}

Test(config_errors, first_error_wins_and_earlier_assertions_are_freed)
{
	/* Two good assertions with regexes, then a bad one: no leak (ASan). */
	load_bad("[[assertion]]\nname = \"a\"\ntype = \"span_count\"\nmax_spans = 1\nspan_name_pattern = \"x\"\n"
		 "[[assertion]]\nname = \"b\"\ntype = \"critical_path\"\nmax_duration_ms = 1\n"
		 "trace_name_pattern = \"y\"\n"
		 "[[assertion]]\nname = \"c\"\ntype = \"anti_pattern\"\npattern = \"TightLoop\"\n"
		 "process_name_pattern = \"z\"\nthreshold = 7\n",
		 "t.toml:16:13: threshold: must be between 0 and 1, got 7");
}

Test(config_errors, messages_are_one_line_and_bounded)
{
	/* A long key with control characters and odd bytes. */
	char src[1024];
	snprintf(src, sizeof(src), "[[assertion]]\nname = \"x\"\ntype = \"span_count\"\nmax_spans = 1\n"
		 "\"k\\n\\t%0200d\" = 1\n", 0);
	char err[512];
	struct config *c = config_load_buffer("t.toml", src, strlen(src), err, sizeof(err));
	cr_assert_null(c);
	cr_assert_null(strchr(err, '\n'));
	cr_assert(!strncmp(err, "t.toml:5:1: unknown key 'k??000", 31), "%s", err);
	cr_assert(strstr(err, "...' for type span_count"), "%s", err);

	/* A file name with a newline still gives one line. */
	c = config_load_buffer("a\nb.toml", "x = 1", 5, err, sizeof(err));
	cr_assert_null(c);
	cr_assert_str_eq(err, "a?b.toml:1:1: unknown key 'x'");

	/* A tiny error buffer is not overrun. */
	char tiny[8];
	c = config_load_buffer("t.toml", "x = 1", 5, tiny, sizeof(tiny));
	cr_assert_null(c);
	cr_assert_str_eq(tiny, "t.toml:");
	c = config_load_buffer("t.toml", "x = 1", 5, NULL, 0);
	cr_assert_null(c);
}

/* Arbitrary bytes never crash the loader (a smoke version of the fuzzer). */
Test(config_errors, garbage_inputs)
{
	static const char *const inputs[] = {
		"[[assertion]]\n[[assertion]]\n",
		"[[assertion]]\nname = \"a\"\ntype = \"span_count\"\nmax_spans = 1\n[assertion.sub]\n",
		"[[assertion.x]]\n",
		"assertion = []\n",
		"assertion = [{}]\n",
		"[[assertion]]\nname='a'\ntype='golden'\nbaseline='b'\n[[assertion]]\nname='a'\n",
		"\xff\xfe",
		"[[assertion]]\nname = \"\xc3\xa9t\xc3\xa9\"\ntype = \"x\"\n",
		"[[assertion]]\n\"\" = 1\n",
	};
	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		char err[512] = "";
		struct config *c = config_load_buffer("g.toml", inputs[i], strlen(inputs[i]), err, sizeof(err));
		if (c)
			config_free(c);
		else
			cr_assert(err[0] && !strchr(err, '\n'), "input %zu: '%s'", i, err);
	}
	/* Every prefix of a full config loads or fails cleanly. */
	const char *full = "[[assertion]]\nname = \"a\"\ntype = \"anti_pattern\"\npattern = \"TightLoop\"\n"
			   "min_run = 10\nprocess_name_pattern = \"^w\"\n";
	for (size_t n = 0; n <= strlen(full); n++) {
		char err[512] = "";
		struct config *c = config_load_buffer("p.toml", full, n, err, sizeof(err));
		if (c)
			config_free(c);
		else
			cr_assert(err[0] && !strchr(err, '\n'));
	}
	/* No text is an empty file: nothing enabled, an error. */
	char err[512] = "";
	struct config *c = config_load_buffer("n.toml", NULL, 0, err, sizeof(err));
	cr_assert_null(c);
	cr_assert_str_eq(err, "n.toml: no enabled assertions: a gate that checks nothing cannot pass");
	cr_assert_null(config_load_buffer("n.toml", NULL, 0, NULL, 0));
}
