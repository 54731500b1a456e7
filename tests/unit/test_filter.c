/* test_filter.c — -e trace=/status=, -z/-Z and durations, as strace 6.1. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>

#include "filter.h"
#include "syscall_table.h"

static char err[256];

static long nr_of(const char *name)
{
	long nr = syscall_by_name(name);

	cr_assert_geq(nr, 0, "syscall table lacks %s", name);
	return nr;
}

static bool traced(const struct filter *f, const char *name)
{
	return filter_traces(f, nr_of(name));
}

static void parse_ok(struct filter *f, const char *expr)
{
	err[0] = '\0';
	cr_assert_eq(filter_parse_expr(f, expr, err, sizeof(err)), 0, "'%s': %s", expr, err);
}

static void parse_fail(struct filter *f, const char *expr, const char *msg)
{
	struct filter before = *f;

	err[0] = '\0';
	cr_assert_eq(filter_parse_expr(f, expr, err, sizeof(err)), -1, "'%s' accepted", expr);
	cr_assert_neq(err[0], '\0');
	cr_assert_null(strchr(err, '\n'));
	if (msg)
		cr_assert_str_eq(err, msg);
	cr_assert_eq(memcmp(&before, f, sizeof(*f)), 0, "'%s' changed the filter", expr);
}

static unsigned count_traced(const struct filter *f)
{
	unsigned n = 0;

	for (long nr = 0; nr < FILTER_MAX_NR; nr++)
		n += filter_traces(f, nr);
	return n;
}

/* Check members traced and non-members not, for one expression. */
static void check_set(const char *expr, const char *const *in, const char *const *out)
{
	struct filter f;

	filter_init(&f);
	parse_ok(&f, expr);
	cr_assert(f.narrowed, "%s", expr);
	for (; in && *in; in++)
		cr_assert(traced(&f, *in), "%s should select %s", expr, *in);
	for (; out && *out; out++)
		cr_assert(!traced(&f, *out), "%s should not select %s", expr, *out);
}

#define L(...) ((const char *const[]){ __VA_ARGS__, NULL })

Test(filter, init_traces_everything)
{
	struct filter f;

	filter_init(&f);
	cr_assert(!f.narrowed);
	cr_assert_eq(f.status, ST_ALL);
	cr_assert_eq(f.slower_than_ns, 0);
	cr_assert(traced(&f, "read"));
	cr_assert(filter_traces(&f, 0));
	cr_assert(filter_traces(&f, FILTER_MAX_NR - 1));
	cr_assert(filter_traces(&f, 5000));
	cr_assert(filter_traces(&f, -1));
	cr_assert(filter_shows(&f, ST_FAILED, 0));
}

Test(filter, names)
{
	struct filter f;

	filter_init(&f);
	parse_ok(&f, "trace=open,read");
	cr_assert(f.narrowed);
	cr_assert(traced(&f, "open"));
	cr_assert(traced(&f, "read"));
	cr_assert(!traced(&f, "write"));
	cr_assert(!traced(&f, "openat"));
	cr_assert(!filter_traces(&f, 5000));
	cr_assert_eq(count_traced(&f), 2);
}

Test(filter, bare_set_and_t_alias)
{
	struct filter f;

	filter_init(&f);
	parse_ok(&f, "write");
	cr_assert(traced(&f, "write"));
	cr_assert_eq(count_traced(&f), 1);
	parse_ok(&f, "t=close");
	cr_assert(traced(&f, "close"));
	cr_assert_eq(count_traced(&f), 1);
}

Test(filter, empty_tokens_skipped)
{
	struct filter f;

	filter_init(&f);
	parse_ok(&f, "trace=read,");
	cr_assert_eq(count_traced(&f), 1);
	parse_ok(&f, "trace=,read,,write");
	cr_assert_eq(count_traced(&f), 2);
}

Test(filter, numbers)
{
	struct filter f;

	filter_init(&f);
	parse_ok(&f, "trace=0,59");
	cr_assert(traced(&f, "read"));
	cr_assert(traced(&f, "execve"));
	cr_assert_eq(count_traced(&f), 2);
	parse_fail(&f, "trace=99999", "invalid system call '99999'");
}

Test(filter, later_trace_replaces_earlier)
{
	/* strace -e trace=openat -e trace=read traces read only */
	struct filter f;

	filter_init(&f);
	parse_ok(&f, "trace=openat");
	parse_ok(&f, "trace=read");
	cr_assert(traced(&f, "read"));
	cr_assert(!traced(&f, "openat"));
	parse_ok(&f, "trace=all");
	cr_assert(!f.narrowed);
	cr_assert(filter_traces(&f, 5000));
}

Test(filter, all_none)
{
	struct filter f;

	filter_init(&f);
	parse_ok(&f, "trace=none");
	cr_assert(f.narrowed);
	cr_assert_eq(count_traced(&f), 0);
	cr_assert(!filter_traces(&f, 5000));
	parse_ok(&f, "trace=!none");
	cr_assert(!f.narrowed);
	cr_assert_eq(count_traced(&f), FILTER_MAX_NR);
	parse_ok(&f, "trace=all,read");
	cr_assert(!f.narrowed);
	parse_ok(&f, "all");
	cr_assert(!f.narrowed);
	parse_ok(&f, "!all");
	cr_assert(f.narrowed);
	cr_assert_eq(count_traced(&f), 0);
}

Test(filter, negation)
{
	struct filter f;

	filter_init(&f);
	parse_ok(&f, "trace=!read,write");
	cr_assert(f.narrowed);
	cr_assert(!traced(&f, "read"));
	cr_assert(!traced(&f, "write"));
	cr_assert(traced(&f, "openat"));
	cr_assert(filter_traces(&f, 5000)); /* unknown numbers stay traced */
	cr_assert(filter_traces(&f, -1));
	cr_assert_eq(count_traced(&f), FILTER_MAX_NR - 2);

	parse_ok(&f, "!!read"); /* double negation cancels, as strace */
	cr_assert_eq(count_traced(&f), 1);
	cr_assert(traced(&f, "read"));

	parse_ok(&f, "!%file");
	cr_assert(!traced(&f, "openat"));
	cr_assert(traced(&f, "read"));

	/* a '!' inside the list is not negation */
	parse_fail(&f, "trace=all,!read",
		   "invalid system call '!read' ('!' negates the whole set and must come first)");
	parse_fail(&f, "trace=!", NULL);
}

Test(filter, classes)
{
	check_set("trace=%file", L("open", "openat", "stat", "execve", "access", "unlink", "chdir"),
		  L("read", "write", "mmap", "fstat", "close"));
	check_set("trace=%process", L("fork", "vfork", "clone", "execve", "exit_group", "wait4"),
		  L("read", "open", "mmap"));
	check_set("trace=%network", L("socket", "connect", "bind", "accept", "sendto", "recvfrom"),
		  L("read", "open", "pipe"));
	check_set("trace=%net", L("socket", "connect"), L("read"));
	check_set("trace=%signal", L("kill", "rt_sigaction", "rt_sigprocmask"),
		  L("read", "open", "socket"));
	check_set("trace=%ipc", L("shmget", "msgsnd", "semop"), L("read", "socket", "kill"));
	check_set("trace=%desc", L("read", "write", "close", "fstat", "dup"),
		  L("brk", "munmap", "stat", "getpid", "kill")); /* mmap IS %desc in strace */
	check_set("trace=%memory", L("mmap", "brk", "munmap", "mprotect"),
		  L("read", "open", "getpid"));
	check_set("trace=%creds", L("getuid", "setuid", "getgid"), L("read", "getpid"));
	check_set("trace=%clock", L("clock_gettime", "adjtimex"), L("read", "nanosleep"));
	check_set("trace=%stat", L("stat"), L("lstat", "fstat", "statx", "read"));
	check_set("trace=%lstat", L("lstat"), L("stat", "fstat", "read"));
	check_set("trace=%fstat", L("fstat"), L("stat", "lstat", "read"));
	check_set("trace=%%stat", L("stat", "lstat", "fstat", "newfstatat", "statx"),
		  L("statfs", "read"));
	check_set("trace=%statfs", L("statfs"), L("fstatfs", "stat"));
	check_set("trace=%fstatfs", L("fstatfs"), L("statfs", "fstat"));
	check_set("trace=%%statfs", L("statfs", "fstatfs", "ustat"), L("stat", "read"));
	check_set("trace=%pure", L("getpid", "getuid", "gettid", "getppid"),
		  L("read", "kill", "setuid"));
}

Test(filter, legacy_class_spellings)
{
	check_set("trace=file", L("open", "openat"), L("read"));
	check_set("process", L("clone", "execve"), L("read"));
	check_set("network", L("socket"), L("read"));
	check_set("signal", L("kill"), L("read"));
	check_set("ipc", L("shmget"), L("read"));
	check_set("desc", L("read", "close", "mmap"), L("brk"));
	check_set("memory", L("mmap", "brk"), L("read"));
	/* bare "stat" is the syscall, not the class */
	check_set("trace=stat", L("stat"), L("lstat", "fstat", "newfstatat"));
	check_set("trace=%file,%memory", L("openat", "mmap"), L("read"));

	struct filter f;
	filter_init(&f);
	/* strace 6.1 has no legacy spelling for these */
	parse_fail(&f, "trace=creds", NULL);
	parse_fail(&f, "trace=clock", NULL);
	parse_fail(&f, "trace=pure", NULL);
	parse_fail(&f, "trace=net", NULL);
	parse_fail(&f, "trace=%foo", "invalid syscall class '%foo'");
	parse_fail(&f, "trace=%", "invalid syscall class '%'");
	parse_fail(&f, "trace=%all", NULL);
}

Test(filter, regex_both_spellings)
{
	struct filter f;

	filter_init(&f);
	parse_ok(&f, "trace=/^open");
	cr_assert(f.narrowed);
	cr_assert(traced(&f, "open"));
	cr_assert(traced(&f, "openat"));
	cr_assert(traced(&f, "open_by_handle_at"));
	cr_assert(!traced(&f, "read"));
	cr_assert(!traced(&f, "fsopen"));
	unsigned n = count_traced(&f);

	parse_ok(&f, "trace=/^open/");
	cr_assert_eq(count_traced(&f), n);
	cr_assert(traced(&f, "openat"));

	parse_ok(&f, "trace=/^(read|write)$");
	cr_assert_eq(count_traced(&f), 2);
	parse_ok(&f, "trace=/stat$/,close");
	cr_assert(traced(&f, "fstat"));
	cr_assert(traced(&f, "newfstatat") == false);
	cr_assert(traced(&f, "close"));
	cr_assert(!traced(&f, "statx"));

	parse_ok(&f, "!/^open");
	cr_assert(!traced(&f, "openat"));
	cr_assert(traced(&f, "read"));

	parse_ok(&f, "trace=/"); /* empty regex matches every name */
	cr_assert(traced(&f, "read"));
	cr_assert(traced(&f, "openat"));
}

Test(filter, regex_invalid_and_nomatch)
{
	struct filter f;

	filter_init(&f);
	parse_fail(&f, "trace=/[", NULL);
	cr_assert(strstr(err, "invalid regular expression '/['") != NULL, "%s", err);
	parse_fail(&f, "trace=?/(", NULL); /* '?' does not excuse a bad regex */
	/* strace 6.1: a regex that selects nothing is an error ... */
	parse_fail(&f, "trace=/zzzz", NULL);
	cr_assert(strstr(err, "'/zzzz'") != NULL, "%s", err);
	/* ... unless '?'-prefixed */
	parse_ok(&f, "trace=?/zzzz");
	cr_assert_eq(count_traced(&f), 0);
}

Test(filter, unknown_names)
{
	struct filter f;

	filter_init(&f);
	parse_fail(&f, "trace=opne", "invalid system call 'opne' (did you mean 'open'?)");
	parse_fail(&f, "trace=read,wirte", "invalid system call 'wirte' (did you mean 'write'?)");
	parse_fail(&f, "trace=xyzzyplugh", "invalid system call 'xyzzyplugh'");
	parse_fail(&f, "trace=READ", NULL);
	parse_fail(&f, "trace=", "invalid system call ''");
	parse_fail(&f, "trace=,", "invalid system call ','");
	parse_fail(&f, "", "invalid system call ''");
	parse_fail(&f, "foo=bar", "invalid system call 'foo=bar'");
	parse_fail(&f, "trace=syscall_0x1b3", NULL);
	parse_fail(&f, "trace=! read", NULL);
	char big[300];
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	parse_fail(&f, big, NULL);
	/* still all traced after all those failures */
	cr_assert(!f.narrowed);
	cr_assert_eq(count_traced(&f), FILTER_MAX_NR);
}

Test(filter, optional_names)
{
	struct filter f;

	filter_init(&f);
	parse_ok(&f, "trace=?read,?nope");
	cr_assert_eq(count_traced(&f), 1);
	cr_assert(traced(&f, "read"));
	parse_ok(&f, "?nope");
	cr_assert_eq(count_traced(&f), 0);
	parse_ok(&f, "trace=!?nope");
	cr_assert_eq(count_traced(&f), FILTER_MAX_NR);
	parse_ok(&f, "trace=?%foo");
	cr_assert_eq(count_traced(&f), 0);
	parse_ok(&f, "trace=?");
	parse_fail(&f, "trace=?read,nope", NULL);
}

Test(filter, personality_suffix)
{
	struct filter f;

	filter_init(&f);
	parse_ok(&f, "trace=read@64");
	cr_assert(traced(&f, "read"));
	cr_assert_eq(count_traced(&f), 1);
	parse_ok(&f, "trace=read@32");
	cr_assert_eq(count_traced(&f), 0);
	parse_ok(&f, "trace=%file@x32");
	cr_assert_eq(count_traced(&f), 0);
	parse_fail(&f, "trace=read@16",
		   "incorrect personality designator '16' in qualification 'read@16'");
	parse_fail(&f, "trace=nope@32", NULL);
}

Test(filter, other_qualifiers_refused)
{
	struct filter f;

	filter_init(&f);
	parse_fail(&f, "read=3", "-e read= is not supported");
	parse_fail(&f, "abbrev=none", NULL);
	parse_fail(&f, "inject=read:error=EIO", NULL);
}

Test(filter, status_sets)
{
	struct filter f;

	filter_init(&f);
	parse_ok(&f, "status=successful");
	cr_assert_eq(f.status, ST_SUCCESSFUL);
	cr_assert(!f.narrowed);
	cr_assert(filter_shows(&f, ST_SUCCESSFUL, 0));
	cr_assert(!filter_shows(&f, ST_FAILED, 0));
	parse_ok(&f, "status=failed,unfinished");
	cr_assert_eq(f.status, ST_FAILED | ST_UNFINISHED); /* replaces */
	parse_ok(&f, "status=unavailable,detached");
	cr_assert_eq(f.status, ST_UNAVAILABLE | ST_DETACHED);
	parse_ok(&f, "status=!successful,failed");
	cr_assert_eq(f.status, ST_UNFINISHED | ST_UNAVAILABLE | ST_DETACHED);
	parse_ok(&f, "status=none");
	cr_assert_eq(f.status, 0);
	parse_ok(&f, "status=all");
	cr_assert_eq(f.status, ST_ALL);
	parse_ok(&f, "status=!failed");
	cr_assert_eq(f.status, ST_ALL & ~ST_FAILED);
	parse_ok(&f, "status=!none");
	cr_assert_eq(f.status, ST_ALL);
	parse_fail(&f, "status=foo", "invalid status 'foo'");
	parse_fail(&f, "status=failed,bogus", "invalid status 'bogus'");
	parse_fail(&f, "status=", "invalid status ''");
	parse_fail(&f, "status=,", "invalid status ','");
	cr_assert_eq(f.status, ST_ALL);
	/* status= does not touch the trace set */
	cr_assert_eq(count_traced(&f), FILTER_MAX_NR);
}

Test(filter, status_direct_and_z_Z)
{
	struct filter f;

	filter_init(&f);
	cr_assert_eq(filter_parse_status(&f, "failed", err, sizeof(err)), 0);
	cr_assert_eq(f.status, ST_FAILED);
	/* -z == status=successful, -Z == status=failed; the later one wins */
	filter_only_successful(&f);
	cr_assert_eq(f.status, ST_SUCCESSFUL);
	filter_only_failed(&f);
	cr_assert_eq(f.status, ST_FAILED);
	cr_assert(filter_shows(&f, ST_FAILED, 0));
	cr_assert(!filter_shows(&f, ST_SUCCESSFUL, 0));
	cr_assert(!filter_shows(&f, ST_UNFINISHED, 0));
	filter_only_successful(&f);
	parse_ok(&f, "status=failed");
	cr_assert_eq(f.status, ST_FAILED);
}

Test(filter, slower_than_in_filter_shows)
{
	struct filter f;

	filter_init(&f);
	f.slower_than_ns = 1000;
	cr_assert(!filter_shows(&f, ST_SUCCESSFUL, 999));
	cr_assert(filter_shows(&f, ST_SUCCESSFUL, 1000));
}

static uint64_t dur(const char *s)
{
	uint64_t ns = 12345;

	err[0] = '\0';
	cr_assert_eq(parse_duration(s, &ns, err, sizeof(err)), 0, "'%s': %s", s, err);
	return ns;
}

static void dur_fail(const char *s)
{
	uint64_t ns = 12345;

	err[0] = '\0';
	cr_assert_eq(parse_duration(s, &ns, err, sizeof(err)), -1, "'%s' accepted", s);
	cr_assert_eq(ns, 12345);
	cr_assert_neq(err[0], '\0');
	cr_assert_null(strchr(err, '\n'));
}

Test(filter, durations_units)
{
	cr_assert_eq(dur("250ns"), 250);
	cr_assert_eq(dur("100us"), 100000);
	cr_assert_eq(dur("2ms"), 2000000);
	cr_assert_eq(dur("1.5s"), 1500000000);
	cr_assert_eq(dur("3s"), 3000000000ull);
	/* strace's time spec: no unit means microseconds */
	cr_assert_eq(dur("3"), 3000);
	cr_assert_eq(dur("1.5"), 1500);
	cr_assert_eq(dur("0"), 0);
	cr_assert_eq(dur("-0"), 0);
	cr_assert_eq(dur("+3us"), 3000);
	cr_assert_eq(dur(".5ms"), 500000);
	cr_assert_eq(dur("5.s"), 5000000000ull);
	cr_assert_eq(dur("1e3"), 1000000);
	cr_assert_eq(dur("1e-3s"), 1000000);
	cr_assert_eq(dur("1.5ns"), 2); /* rounded to the nearest ns */
	cr_assert_eq(dur("0.4ns"), 0);
	cr_assert_eq(dur(" 1"), 1000);
	cr_assert_eq(dur("1.1s"), 1100000000);
}

Test(filter, durations_bad)
{
	dur_fail("");
	dur_fail("-1");
	dur_fail("-1ms");
	dur_fail("abc");
	dur_fail("1x");
	dur_fail("1m");
	dur_fail("1 ");
	dur_fail("1S");
	dur_fail("1US");
	dur_fail("us");
	dur_fail("1sus");
	dur_fail("0x10");
	dur_fail("inf");
	dur_fail("nan");
	dur_fail("1,5");
	dur_fail("1.5.3");
	dur_fail("1e300");
	dur_fail("99999999999s");
	dur_fail(".");
	dur_fail("-");
	dur_fail(NULL);
	parse_duration("-5ms", &(uint64_t){ 0 }, err, sizeof(err));
	cr_assert(strstr(err, "negative") != NULL, "%s", err);
}

/* Found by fuzz_filter: a token with a newline must not break the
 * one-line message promise. */
Test(filter, messages_stay_on_one_line)
{
	const char *exprs[] = { "trace=a\nb", "status=a\nb", "trace=/a\n(" };
	for (size_t i = 0; i < sizeof(exprs) / sizeof(exprs[0]); i++) {
		struct filter f;
		char msg[256] = "";
		filter_init(&f);
		cr_assert_neq(filter_parse_expr(&f, exprs[i], msg, sizeof(msg)), 0);
		cr_expect(msg[0] && !strchr(msg, '\n'), "multi-line message for %zu: %s", i, msg);
	}
	uint64_t ns;
	char msg[256] = "";
	cr_assert_neq(parse_duration("1\nms", &ns, msg, sizeof(msg)), 0);
	cr_expect(msg[0] && !strchr(msg, '\n'), "multi-line message: %s", msg);
	cr_expect(strstr(msg, "\\n"), "newline not escaped: %s", msg);
}
