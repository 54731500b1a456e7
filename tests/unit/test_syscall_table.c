/* test_syscall_table.c — the generated x86_64 syscall table and its lookups. */
#include <criterion/criterion.h>

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>

#include "syscall_table.h"

#define ALL_CLASSES ((uint32_t)((TC_PURE << 1) - 1))

static const struct syscall_info *must_find(const char *name)
{
	long nr = syscall_by_name(name);
	cr_assert_geq(nr, 0, "syscall %s not in the table", name);
	const struct syscall_info *si = syscall_lookup(nr);
	cr_assert_not_null(si, "syscall_lookup(%ld) for %s", nr, name);
	cr_assert_str_eq(si->name, name);
	return si;
}

static void expect_args(const char *name, unsigned nargs, const enum arg_kind *kinds)
{
	const struct syscall_info *si = must_find(name);
	cr_assert_eq(si->nargs, nargs, "%s: %u args, expected %u", name, si->nargs, nargs);
	for (unsigned i = 0; i < nargs; i++)
		cr_expect_eq(si->args[i], kinds[i], "%s arg %u: %s, expected %s", name, i,
			     arg_kind_name((enum arg_kind)si->args[i]), arg_kind_name(kinds[i]));
}

#define EXPECT_ARGS(name, ...)                                                     \
	do {                                                                       \
		const enum arg_kind k_[] = { __VA_ARGS__ };                        \
		expect_args(name, (unsigned)(sizeof k_ / sizeof k_[0]), k_);       \
	} while (0)

Test(syscall_table, every_syscall_is_described)
{
	char missing[4096] = "";
	size_t len = 0;
	unsigned count = 0;
	for (unsigned i = 0; i < syscall_table_size; i++) {
		const struct syscall_info *si = &syscall_table[i];
		if (si->name == NULL || si->described)
			continue;
		count++;
		int n = snprintf(missing + len, sizeof missing - len, " %s(%u)", si->name, i);
		if (n > 0 && (size_t)n < sizeof missing - len)
			len += (size_t)n;
	}
	cr_assert_eq(count, 0, "%u syscalls lack a line in src/decode/syscalls.tsv:%s", count, missing);
}

Test(syscall_table, covers_the_common_range)
{
	/* 0..334 are contiguous on every x86_64 kernel since 4.18. */
	cr_assert_gt(syscall_table_size, 334u);
	for (long nr = 0; nr <= 334; nr++)
		cr_expect_not_null(syscall_lookup(nr), "hole at %ld", nr);
}

Test(syscall_table, entries_are_well_formed)
{
	for (unsigned i = 0; i < syscall_table_size; i++) {
		const struct syscall_info *si = &syscall_table[i];
		if (si->name == NULL) {
			cr_expect_eq(si->nargs, 0, "hole %u has arguments", i);
			continue;
		}
		cr_expect_neq(si->name[0], '\0', "empty name at %u", i);
		cr_expect_leq(si->nargs, 6, "%s: %u args", si->name, si->nargs);
		cr_expect_lt(si->ret, RK_COUNT, "%s: bad ret kind %u", si->name, si->ret);
		cr_expect_eq(si->classes & ~ALL_CLASSES, 0, "%s: unknown class bits %#x", si->name,
			     (unsigned)si->classes);
		for (unsigned a = 0; a < 6; a++) {
			if (a < si->nargs)
				cr_expect_lt(si->args[a], AK_COUNT, "%s arg %u: bad kind %u", si->name, a,
					     si->args[a]);
			else
				cr_expect_eq(si->args[a], 0, "%s: kind set past nargs at %u", si->name, a);
		}
	}
}

Test(syscall_table, length_arguments_follow_input_buffers)
{
	/* AK_BUF_IN / AK_IOV_IN take their length or count from the NEXT argument. */
	for (unsigned i = 0; i < syscall_table_size; i++) {
		const struct syscall_info *si = &syscall_table[i];
		if (si->name == NULL)
			continue;
		for (unsigned a = 0; a < si->nargs; a++) {
			if (si->args[a] != AK_BUF_IN && si->args[a] != AK_IOV_IN)
				continue;
			cr_expect_lt(a + 1, si->nargs, "%s: %s is the last argument", si->name,
				     arg_kind_name((enum arg_kind)si->args[a]));
		}
	}
}

Test(syscall_table, pure_calls_take_no_arguments)
{
	unsigned pure = 0;
	for (unsigned i = 0; i < syscall_table_size; i++) {
		const struct syscall_info *si = &syscall_table[i];
		if (si->name == NULL || !(si->classes & TC_PURE))
			continue;
		pure++;
		cr_expect_eq(si->nargs, 0, "%s is %%pure but takes %u args", si->name, si->nargs);
	}
	cr_expect_geq(pure, 5u);
}

Test(syscall_table, only_exits_never_return)
{
	for (unsigned i = 0; i < syscall_table_size; i++) {
		const struct syscall_info *si = &syscall_table[i];
		if (si->name == NULL || si->ret != RK_NORETURN)
			continue;
		cr_expect(strcmp(si->name, "exit") == 0 || strcmp(si->name, "exit_group") == 0,
			  "%s marked noreturn", si->name);
	}
	cr_expect_eq(must_find("exit")->ret, RK_NORETURN);
	cr_expect_eq(must_find("exit_group")->ret, RK_NORETURN);
}

Test(syscall_table, numbers_match_libc)
{
	cr_expect_eq(syscall_by_name("read"), 0);
	cr_expect_eq(syscall_by_name("write"), SYS_write);
	cr_expect_eq(syscall_by_name("openat"), 257);
	cr_expect_eq(syscall_by_name("openat"), SYS_openat);
	cr_expect_eq(syscall_by_name("execve"), SYS_execve);
	cr_expect_eq(syscall_by_name("exit_group"), SYS_exit_group);
	cr_expect_eq(syscall_by_name("clone3"), 435);
	cr_expect_eq(syscall_by_name("getpid"), SYS_getpid);
}

Test(syscall_table, lookup_rejects_holes_and_out_of_range)
{
	cr_expect_null(syscall_lookup(-1));
	cr_expect_null(syscall_lookup(LONG_MIN));
	cr_expect_null(syscall_lookup(LONG_MAX));
	cr_expect_null(syscall_lookup((long)syscall_table_size));
	cr_expect_null(syscall_lookup(0x40000000L)); /* x32 bit */
	/* 387..423 are the 32-bit time64 numbers, never used on x86_64. */
	if (syscall_table_size > 400)
		cr_expect_null(syscall_lookup(400));
	cr_expect_not_null(syscall_lookup(0));
	cr_expect_not_null(syscall_lookup((long)syscall_table_size - 1));
}

Test(syscall_table, by_name_round_trips)
{
	for (unsigned i = 0; i < syscall_table_size; i++) {
		const struct syscall_info *si = &syscall_table[i];
		if (si->name == NULL)
			continue;
		cr_expect_eq(syscall_by_name(si->name), (long)i, "%s: by_name gives %ld, not %u", si->name,
			     syscall_by_name(si->name), i);
		cr_expect_eq(syscall_lookup((long)i), si);
	}
	cr_expect_eq(syscall_by_name("no_such_syscall"), -1);
	cr_expect_eq(syscall_by_name(""), -1);
	cr_expect_eq(syscall_by_name(NULL), -1);
	cr_expect_eq(syscall_by_name("READ"), -1);
}

Test(syscall_table, spot_checks_args_and_returns)
{
	EXPECT_ARGS("read", AK_FD, AK_BUF_OUT, AK_SIZE);
	EXPECT_ARGS("write", AK_FD, AK_BUF_IN, AK_SIZE);
	EXPECT_ARGS("openat", AK_DIRFD, AK_PATH, AK_OPEN_FLAGS, AK_MODE);
	EXPECT_ARGS("mmap", AK_PTR, AK_SIZE, AK_PROT, AK_MMAP_FLAGS, AK_FD, AK_HEX);
	EXPECT_ARGS("execve", AK_PATH, AK_ARGV, AK_ENVP);
	EXPECT_ARGS("clone", AK_CLONE_FLAGS, AK_PTR, AK_PTR, AK_PTR, AK_HEX);
	EXPECT_ARGS("rt_sigaction", AK_SIGNAL, AK_SIGACTION, AK_SIGACTION_OUT, AK_SIZE);
	EXPECT_ARGS("rt_sigprocmask", AK_SIGPROCMASK_HOW, AK_SIGSET, AK_SIGSET_OUT, AK_SIZE);
	EXPECT_ARGS("pipe2", AK_PIPE_FDS, AK_FD_OPEN_FLAGS);
	EXPECT_ARGS("fstat", AK_FD, AK_STAT_OUT);
	EXPECT_ARGS("newfstatat", AK_DIRFD, AK_PATH, AK_STAT_OUT, AK_AT_FLAGS);
	EXPECT_ARGS("wait4", AK_PID, AK_WSTATUS_OUT, AK_WAIT_OPTIONS, AK_PTR);
	EXPECT_ARGS("lseek", AK_FD, AK_OFF, AK_WHENCE);
	EXPECT_ARGS("ioctl", AK_FD, AK_IOCTL_REQ, AK_HEX);
	EXPECT_ARGS("fcntl", AK_FD, AK_FCNTL_CMD, AK_HEX);
	EXPECT_ARGS("access", AK_PATH, AK_ACCESS_MODE);
	EXPECT_ARGS("faccessat2", AK_DIRFD, AK_PATH, AK_ACCESS_MODE, AK_FACCESSAT2_FLAGS);
	EXPECT_ARGS("nanosleep", AK_TIMESPEC_IN, AK_PTR);
	EXPECT_ARGS("clock_nanosleep", AK_CLOCKID, AK_INT, AK_TIMESPEC_IN, AK_PTR);
	EXPECT_ARGS("getcwd", AK_BUF_OUT, AK_SIZE);
	EXPECT_ARGS("readlink", AK_PATH, AK_BUF_OUT, AK_SIZE);
	EXPECT_ARGS("pread64", AK_FD, AK_BUF_OUT, AK_SIZE, AK_OFF);
	EXPECT_ARGS("writev", AK_FD, AK_IOV_IN, AK_INT);
	EXPECT_ARGS("kill", AK_PID, AK_SIGNAL);
	EXPECT_ARGS("tgkill", AK_PID, AK_PID, AK_SIGNAL);
	EXPECT_ARGS("brk", AK_PTR);
	EXPECT_ARGS("munmap", AK_PTR, AK_SIZE);
	EXPECT_ARGS("mprotect", AK_PTR, AK_SIZE, AK_PROT);
	EXPECT_ARGS("exit_group", AK_INT);
	EXPECT_ARGS("umask", AK_MODE);
	EXPECT_ARGS("dup2", AK_FD, AK_FD);
	EXPECT_ARGS("socket", AK_SOCK_FAMILY, AK_SOCK_TYPE, AK_INT);
	EXPECT_ARGS("arch_prctl", AK_ARCH_PRCTL, AK_HEX);
	EXPECT_ARGS("prlimit64", AK_PID, AK_RLIMIT_RES, AK_RLIMIT_IN, AK_RLIMIT_OUT);
	EXPECT_ARGS("futex", AK_PTR, AK_FUTEX_OP, AK_INT, AK_FUTEX_VAL2, AK_PTR, AK_HEX);
	cr_expect_eq(must_find("getpid")->nargs, 0);
	cr_expect_eq(must_find("sched_yield")->nargs, 0);

	cr_expect_eq(must_find("mmap")->ret, RK_HEX);
	cr_expect_eq(must_find("brk")->ret, RK_HEX);
	cr_expect_eq(must_find("mremap")->ret, RK_HEX);
	cr_expect_eq(must_find("umask")->ret, RK_OCT);
	cr_expect_eq(must_find("dup2")->ret, RK_FD);
	cr_expect_eq(must_find("openat")->ret, RK_FD);
	cr_expect_eq(must_find("socket")->ret, RK_FD);
	cr_expect_eq(must_find("read")->ret, RK_INT);
	cr_expect_eq(must_find("execve")->ret, RK_INT);
}

Test(syscall_table, spot_checks_strace_classes)
{
	cr_expect_eq(must_find("read")->classes, TC_DESC);
	cr_expect_eq(must_find("openat")->classes, TC_FILE | TC_DESC);
	cr_expect_eq(must_find("open")->classes, TC_FILE | TC_DESC);
	cr_expect_eq(must_find("mmap")->classes, TC_MEMORY | TC_DESC);
	cr_expect_eq(must_find("brk")->classes, TC_MEMORY);
	cr_expect_eq(must_find("clone")->classes, TC_PROCESS);
	cr_expect_eq(must_find("execve")->classes, TC_FILE | TC_PROCESS);
	cr_expect_eq(must_find("exit_group")->classes, TC_PROCESS);
	cr_expect_eq(must_find("kill")->classes, TC_PROCESS | TC_SIGNAL);
	cr_expect_eq(must_find("rt_sigaction")->classes, TC_SIGNAL);
	cr_expect_eq(must_find("socket")->classes, TC_NETWORK);
	cr_expect_eq(must_find("sendfile")->classes, TC_NETWORK | TC_DESC);
	cr_expect_eq(must_find("shmat")->classes, TC_IPC | TC_MEMORY);
	cr_expect_eq(must_find("getuid")->classes, TC_CREDS | TC_PURE);
	cr_expect_eq(must_find("getpid")->classes, TC_PURE);
	cr_expect_eq(must_find("setuid")->classes, TC_CREDS);
	cr_expect_eq(must_find("clock_gettime")->classes, TC_CLOCK);
	cr_expect_eq(must_find("stat")->classes, TC_FILE | TC_STAT | TC_STAT_LIKE);
	cr_expect_eq(must_find("lstat")->classes, TC_FILE | TC_LSTAT | TC_STAT_LIKE);
	cr_expect_eq(must_find("fstat")->classes, TC_DESC | TC_FSTAT | TC_STAT_LIKE);
	cr_expect_eq(must_find("newfstatat")->classes, TC_FILE | TC_DESC | TC_FSTAT | TC_STAT_LIKE);
	cr_expect_eq(must_find("statfs")->classes, TC_FILE | TC_STATFS | TC_STATFS_LIKE);
	cr_expect_eq(must_find("fstatfs")->classes, TC_DESC | TC_FSTATFS | TC_STATFS_LIKE);
	cr_expect_eq(must_find("ustat")->classes, TC_STATFS_LIKE);
	cr_expect_eq(must_find("futex")->classes, 0);
	cr_expect_eq(must_find("uname")->classes, 0);
}

Test(syscall_table, arg_kind_names)
{
	for (int k = 0; k < AK_COUNT; k++) {
		const char *s = arg_kind_name((enum arg_kind)k);
		cr_assert_not_null(s, "kind %d has no name", k);
		cr_expect_neq(s[0], '\0');
		for (const char *p = s; *p; p++)
			cr_expect(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '_',
				  "kind %d name \"%s\" is not lower case", k, s);
		for (int j = 0; j < k; j++)
			cr_expect_str_neq(s, arg_kind_name((enum arg_kind)j), "kinds %d and %d share \"%s\"", j,
					  k, s);
	}
	cr_expect_str_eq(arg_kind_name(AK_INT), "int");
	cr_expect_str_eq(arg_kind_name(AK_FD), "fd");
	cr_expect_str_eq(arg_kind_name(AK_OPEN_FLAGS), "open_flags");
	cr_expect_str_eq(arg_kind_name(AK_SIGPROCMASK_HOW), "sigprocmask_how");
	cr_expect_str_eq(arg_kind_name(AK_STAT_OUT), "stat_out");
	cr_expect_str_eq(arg_kind_name(AK_UID), "uid");
	cr_expect_null(arg_kind_name(AK_COUNT));
	cr_expect_null(arg_kind_name((enum arg_kind)-1));
}
