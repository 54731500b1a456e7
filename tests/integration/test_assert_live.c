/* test_assert_live.c — issue 5 acceptance 7: a live `--assert` run and
 * `renacer-c assert` on the JSON trace the same run wrote give the same
 * verdicts and the same exit code (one run, so timing noise cannot make
 * them differ). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

TestSuite(assert_live, .init = h_init, .fini = h_cleanup, .timeout = 120);

static const char *const config_text =
	"[[assertion]]\nname = \"latency\"\ntype = \"critical_path\"\nmax_duration_ms = 200\n\n"
	"[[assertion]]\nname = \"spans\"\ntype = \"span_count\"\nmax_spans = 1000\n"
	"span_name_pattern = \"^getppid$\"\n\n"
	"[[assertion]]\nname = \"memory\"\ntype = \"memory_usage\"\nmax_bytes = 33554432\n\n"
	"[[assertion]]\nname = \"rss\"\ntype = \"memory_usage\"\nmax_bytes = 33554432\ntracking_mode = \"rss\"\n\n"
	"[[assertion]]\nname = \"god\"\ntype = \"anti_pattern\"\npattern = \"GodProcess\"\nthreshold = 0.8\n"
	"fail_on_violation = false\n\n"
	"[[assertion]]\nname = \"loop\"\ntype = \"anti_pattern\"\npattern = \"TightLoop\"\nthreshold = 0.5\n\n"
	"[[assertion]]\nname = \"block\"\ntype = \"anti_pattern\"\npattern = \"BlockingMainThread\"\n"
	"max_block_ms = 100\n\n"
	"[[assertion]]\nname = \"writes\"\ntype = \"syscall_count\"\nsyscall = \"write\"\nmax_count = 100\n\n"
	"[[assertion]]\nname = \"time\"\ntype = \"total_time\"\nmax_time_ms = 10000\n\n"
	"[[assertion]]\nname = \"off\"\ntype = \"total_time\"\nmax_time_ms = 1\nenabled = false\n";

/* The verdict lines of a text report: "PASS  name..." up to the first
 * ':' (the measured values are the same run's, but keep to verdicts),
 * plus the Result line. */
static char *verdicts(const char *report)
{
	size_t cap = strlen(report) + 1, o = 0;
	char *out = h_keep(calloc(1, cap));
	for (const char *p = report; p && *p;) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);
		if (!strncmp(p, "PASS  ", 6) || !strncmp(p, "FAIL  ", 6) || !strncmp(p, "WARN  ", 6) ||
		    !strncmp(p, "SKIP  ", 6) || !strncmp(p, "ERROR ", 6) || !strncmp(p, "Result:", 7)) {
			const char *colon = memchr(p, ':', n);
			size_t k = (colon && strncmp(p, "Result:", 7)) ? (size_t)(colon - p) : n;
			memcpy(out + o, p, k);
			o += k;
			out[o++] = '\n';
		}
		p = eol ? eol + 1 : NULL;
	}
	return out;
}

static void live_vs_offline(const char *fixture, const char *const *args)
{
	h_require_renacer();
	const char *cfg = h_tmp_path("renacer.toml");
	const char *trace = h_tmp_path("t.json");
	h_write_file(cfg, config_text, strlen(config_text));

	struct h_cmd live = {
		.argv = h_argv_join(h_argv_join(H_ARGV(h_renacer(), "--assert", cfg, "--format", "json", "-o", trace,
						      "--", h_fixture(fixture)),
					  args),
				    H_ARGV(NULL) + 1),
		.envp = h_clean_env(),
		.out = H_IO_NULL,
		.err = H_IO_PIPE,
		.timeout_ms = 60000,
	};
	struct h_res lr;
	h_run(&live, &lr);
	cr_assert(!lr.timed_out, "live run timed out");

	struct h_cmd off = {
		.argv = H_ARGV(h_renacer(), "assert", "--config", cfg, trace),
		.envp = h_clean_env(),
		.out = H_IO_NULL,
		.err = H_IO_PIPE,
	};
	struct h_res orr;
	h_run(&off, &orr);
	cr_assert(!orr.timed_out, "assert timed out");

	const char *lv = verdicts(lr.err), *ov = verdicts(orr.err);
	cr_assert(strstr(lv, "Result:"), "no live report:\n%s", lr.err);
	cr_expect_str_eq(lv, ov, "%s: verdicts differ\nlive:\n%s\noffline:\n%s", fixture, lr.err, orr.err);
	cr_expect_eq(lr.code, orr.code, "%s: live exit %d, offline exit %d", fixture, lr.code, orr.code);
}

Test(assert_live, getppid_n) { live_vs_offline("getppid_n", H_ARGV("5000")); }
Test(assert_live, mem64) { live_vs_offline("mem64", H_ARGV(NULL) + 1); }
Test(assert_live, godproc) { live_vs_offline("godproc", H_ARGV(NULL) + 1); }
Test(assert_live, waitchild) { live_vs_offline("waitchild", H_ARGV(NULL) + 1); }
