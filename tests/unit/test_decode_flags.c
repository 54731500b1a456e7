/* Unit tests for decode_flags.h; expected strings are strace 6.1 output
 * observed on raw syscalls with the same argument values. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "decode_flags.h"

static char fbuf[2048];
static struct obuf fob;

static struct obuf *fresh(void)
{
	obuf_init(&fob, fbuf, sizeof fbuf);
	return &fob;
}

#define EXPECT(call, expected)                                                 \
	do {                                                                   \
		struct obuf *ob = fresh();                                     \
		call;                                                          \
		cr_assert_str_eq(fbuf, expected, "%s", #call);                 \
		cr_assert(!ob->overflow);                                      \
	} while (0)

/* ------------------------------------------------------------ open flags */

Test(decode_flags, open_access_modes)
{
	EXPECT(fmt_open_flags(ob, 0), "O_RDONLY");
	EXPECT(fmt_open_flags(ob, 1), "O_WRONLY");
	EXPECT(fmt_open_flags(ob, 2), "O_RDWR");
	EXPECT(fmt_open_flags(ob, 3), "O_ACCMODE");
}

Test(decode_flags, open_common)
{
	EXPECT(fmt_open_flags(ob, 02000000), "O_RDONLY|O_CLOEXEC");
	EXPECT(fmt_open_flags(ob, 01101), "O_WRONLY|O_CREAT|O_TRUNC");
	EXPECT(fmt_open_flags(ob, 02000000 | 0200000 | 04000), "O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_DIRECTORY");
	EXPECT(fmt_open_flags(ob, 02000000 | 0200000), "O_RDONLY|O_CLOEXEC|O_DIRECTORY");
	EXPECT(fmt_open_flags(ob, 010000000), "O_RDONLY|O_PATH");
	EXPECT(fmt_open_flags(ob, 0100000), "O_RDONLY|O_LARGEFILE");
	EXPECT(fmt_open_flags(ob, 020000), "O_RDONLY|FASYNC");
	EXPECT(fmt_open_flags(ob, 040000), "O_RDONLY|O_DIRECT");
	EXPECT(fmt_open_flags(ob, 02 | 02000 | 0100), "O_RDWR|O_CREAT|O_APPEND");
}

Test(decode_flags, open_sync_and_tmpfile)
{
	EXPECT(fmt_open_flags(ob, 04010000), "O_RDONLY|O_SYNC");
	EXPECT(fmt_open_flags(ob, 04000000), "O_RDONLY|__O_SYNC");
	EXPECT(fmt_open_flags(ob, 010000), "O_RDONLY|O_DSYNC");
	EXPECT(fmt_open_flags(ob, 010000 | 040000), "O_RDONLY|O_DSYNC|O_DIRECT");
	EXPECT(fmt_open_flags(ob, 04000000 | 040000 | 020000), "O_RDONLY|__O_SYNC|O_DIRECT|FASYNC");
	EXPECT(fmt_open_flags(ob, 04000000 | 02000000), "O_RDONLY|__O_SYNC|O_CLOEXEC");
	EXPECT(fmt_open_flags(ob, 04000000 | 010000000), "O_RDONLY|__O_SYNC|O_PATH");
	EXPECT(fmt_open_flags(ob, 020200000), "O_RDONLY|O_TMPFILE");
	EXPECT(fmt_open_flags(ob, 020000000), "O_RDONLY|__O_TMPFILE");
	EXPECT(fmt_open_flags(ob, 020000000 | 020000), "O_RDONLY|__O_TMPFILE|FASYNC");
	EXPECT(fmt_open_flags(ob, 020000000 | 02000000), "O_RDONLY|O_CLOEXEC|__O_TMPFILE");
	EXPECT(fmt_open_flags(ob, 0200000 | 010000000), "O_RDONLY|O_PATH|O_DIRECTORY");
	EXPECT(fmt_open_flags(ob, 0200000 | 020000), "O_RDONLY|O_DIRECTORY|FASYNC");
	EXPECT(fmt_open_flags(ob, 0200000 | 0400000), "O_RDONLY|O_NOFOLLOW|O_DIRECTORY");
	EXPECT(fmt_open_flags(ob, 020000 | 010000000), "O_RDONLY|O_PATH|FASYNC");
}

Test(decode_flags, open_unknown_bits)
{
	EXPECT(fmt_open_flags(ob, 0x40000000), "O_RDONLY|0x40000000");
	EXPECT(fmt_open_flags(ob, 0x40000002), "O_RDWR|0x40000000");
	EXPECT(fmt_open_flags(ob, 0xc0000000), "O_RDONLY|0xc0000000");
	EXPECT(fmt_open_flags(ob, 0x3c), "O_RDONLY|0x3c");
	EXPECT(fmt_open_flags(ob, 0xfffffffc),
	       "O_RDONLY|O_CREAT|O_EXCL|O_NOCTTY|O_TRUNC|O_APPEND|O_NONBLOCK|O_SYNC|O_DIRECT|"
	       "O_LARGEFILE|O_NOFOLLOW|O_NOATIME|O_CLOEXEC|O_PATH|O_TMPFILE|FASYNC|0xff80003c");
}

/* ----------------------------------------------------------- access mode */

Test(decode_flags, access_mode)
{
	EXPECT(fmt_access_mode(ob, 0), "F_OK");
	EXPECT(fmt_access_mode(ob, 1), "X_OK");
	EXPECT(fmt_access_mode(ob, 2), "W_OK");
	EXPECT(fmt_access_mode(ob, 4), "R_OK");
	EXPECT(fmt_access_mode(ob, 6), "R_OK|W_OK");
	EXPECT(fmt_access_mode(ob, 7), "R_OK|W_OK|X_OK");
	EXPECT(fmt_access_mode(ob, 8), "0x8 /* ?_OK */");
	EXPECT(fmt_access_mode(ob, 0x18), "0x18 /* ?_OK */");
	EXPECT(fmt_access_mode(ob, 0x1c), "R_OK|0x18");
}

/* ---------------------------------------------------------------- at flags */

Test(decode_flags, at_flags)
{
	EXPECT(fmt_at_flags(ob, 0), "0");
	EXPECT(fmt_at_flags(ob, 0x100), "AT_SYMLINK_NOFOLLOW");
	EXPECT(fmt_at_flags(ob, 0x200), "AT_REMOVEDIR");
	EXPECT(fmt_at_flags(ob, 0x400), "AT_SYMLINK_FOLLOW");
	EXPECT(fmt_at_flags(ob, 0x800), "AT_NO_AUTOMOUNT");
	EXPECT(fmt_at_flags(ob, 0x1000), "AT_EMPTY_PATH");
	EXPECT(fmt_at_flags(ob, 0x1100), "AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH");
	EXPECT(fmt_at_flags(ob, 0x6000), "0x6000 /* AT_??? */");
	EXPECT(fmt_at_flags(ob, 0x80000000), "0x80000000 /* AT_??? */");
	EXPECT(fmt_at_flags(ob, 0xffff),
	       "AT_SYMLINK_NOFOLLOW|AT_REMOVEDIR|AT_SYMLINK_FOLLOW|AT_NO_AUTOMOUNT|AT_EMPTY_PATH|"
	       "AT_RECURSIVE|0x60ff");
}

Test(decode_flags, faccessat2_flags)
{
	EXPECT(fmt_faccessat2_flags(ob, 0), "0");
	EXPECT(fmt_faccessat2_flags(ob, 0x100), "AT_SYMLINK_NOFOLLOW");
	EXPECT(fmt_faccessat2_flags(ob, 0x200), "AT_EACCESS");
	EXPECT(fmt_faccessat2_flags(ob, 0x1000), "AT_EMPTY_PATH");
	EXPECT(fmt_faccessat2_flags(ob, 0x400), "0x400 /* AT_??? */");
	EXPECT(fmt_faccessat2_flags(ob, 0x1100), "AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH");
	EXPECT(fmt_faccessat2_flags(ob, 0xffff), "AT_SYMLINK_NOFOLLOW|AT_EACCESS|AT_EMPTY_PATH|0xecff");
}

/* -------------------------------------------------------------------- prot */

Test(decode_flags, prot)
{
	EXPECT(fmt_prot(ob, 0), "PROT_NONE");
	EXPECT(fmt_prot(ob, 1), "PROT_READ");
	EXPECT(fmt_prot(ob, 2), "PROT_WRITE");
	EXPECT(fmt_prot(ob, 3), "PROT_READ|PROT_WRITE");
	EXPECT(fmt_prot(ob, 4), "PROT_EXEC");
	EXPECT(fmt_prot(ob, 5), "PROT_READ|PROT_EXEC");
	EXPECT(fmt_prot(ob, 7), "PROT_READ|PROT_WRITE|PROT_EXEC");
	EXPECT(fmt_prot(ob, 8), "PROT_SEM");
	EXPECT(fmt_prot(ob, 0x01000000), "PROT_GROWSDOWN");
	EXPECT(fmt_prot(ob, 0x02000000), "PROT_GROWSUP");
	EXPECT(fmt_prot(ob, 0x10), "0x10 /* PROT_??? */");
	EXPECT(fmt_prot(ob, 0x40), "0x40 /* PROT_??? */");
	EXPECT(fmt_prot(ob, 0x01000050), "PROT_GROWSDOWN|0x50");
}

/* -------------------------------------------------------------- mmap flags */

Test(decode_flags, mmap_types)
{
	EXPECT(fmt_mmap_flags(ob, 0), "MAP_FILE");
	EXPECT(fmt_mmap_flags(ob, 1), "MAP_SHARED");
	EXPECT(fmt_mmap_flags(ob, 2), "MAP_PRIVATE");
	EXPECT(fmt_mmap_flags(ob, 3), "MAP_SHARED_VALIDATE");
	EXPECT(fmt_mmap_flags(ob, 0x24), "0x4 /* MAP_??? */|MAP_ANONYMOUS");
}

Test(decode_flags, mmap_flags)
{
	EXPECT(fmt_mmap_flags(ob, 0x22), "MAP_PRIVATE|MAP_ANONYMOUS");
	EXPECT(fmt_mmap_flags(ob, 0x32), "MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS");
	EXPECT(fmt_mmap_flags(ob, 0x812), "MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE");
	EXPECT(fmt_mmap_flags(ob, 0x4000), "MAP_FILE|MAP_NORESERVE");
	EXPECT(fmt_mmap_flags(ob, 0x100000), "MAP_FILE|MAP_FIXED_NOREPLACE");
	EXPECT(fmt_mmap_flags(ob, 0x20000), "MAP_FILE|MAP_STACK");
	EXPECT(fmt_mmap_flags(ob, 0x8000), "MAP_FILE|MAP_POPULATE");
	EXPECT(fmt_mmap_flags(ob, 0x40), "MAP_FILE|MAP_32BIT");
	EXPECT(fmt_mmap_flags(ob, 0x10000), "MAP_FILE|MAP_NONBLOCK");
	EXPECT(fmt_mmap_flags(ob, 0x40000), "MAP_FILE|MAP_HUGETLB");
	EXPECT(fmt_mmap_flags(ob, 0x80000), "MAP_FILE|MAP_SYNC");
	EXPECT(fmt_mmap_flags(ob, 0x100), "MAP_FILE|MAP_GROWSDOWN");
	EXPECT(fmt_mmap_flags(ob, 0x1800), "MAP_FILE|MAP_DENYWRITE|MAP_EXECUTABLE");
	EXPECT(fmt_mmap_flags(ob, 0x22 | 0x20000), "MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK");
}

Test(decode_flags, mmap_huge_and_unknown)
{
	EXPECT(fmt_mmap_flags(ob, 0x4000000), "MAP_FILE|1<<MAP_HUGE_SHIFT");
	EXPECT(fmt_mmap_flags(ob, 0x80000002), "MAP_PRIVATE|32<<MAP_HUGE_SHIFT");
	EXPECT(fmt_mmap_flags(ob, 0x80), "MAP_FILE|0x80");
	EXPECT(fmt_mmap_flags(ob, 0xffffffff),
	       "0xf /* MAP_??? */|MAP_FIXED|MAP_ANONYMOUS|MAP_32BIT|MAP_NORESERVE|MAP_POPULATE|"
	       "MAP_NONBLOCK|MAP_GROWSDOWN|MAP_DENYWRITE|MAP_EXECUTABLE|MAP_LOCKED|MAP_STACK|"
	       "MAP_HUGETLB|MAP_SYNC|MAP_FIXED_NOREPLACE|0x3e00680|63<<MAP_HUGE_SHIFT");
}

/* ------------------------------------------------------------- clone flags */

Test(decode_flags, clone_flags)
{
	EXPECT(fmt_clone_flags(ob, 0), "0");
	EXPECT(fmt_clone_flags(ob, 17), "SIGCHLD");
	EXPECT(fmt_clone_flags(ob, 0x01200011), "CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD");
	EXPECT(fmt_clone_flags(ob, 0x3d0f00),
	       "CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|"
	       "CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID");
	EXPECT(fmt_clone_flags(ob, 0x20200), "CLONE_FS|CLONE_NEWNS");
	EXPECT(fmt_clone_flags(ob, 0x20200 | 34), "CLONE_FS|CLONE_NEWNS|SIGRT_2");
	EXPECT(fmt_clone_flags(ob, 0x20200 | 32), "CLONE_FS|CLONE_NEWNS|SIGRTMIN");
	EXPECT(fmt_clone_flags(ob, 0x10800 | 0xff), "CLONE_SIGHAND|CLONE_THREAD|255");
}

Test(decode_flags, clone_unknown)
{
	EXPECT(fmt_clone_flags(ob, 0x200000011UL), "0x200000000 /* CLONE_??? */|SIGCHLD");
	EXPECT(fmt_clone_flags(ob, 0x200000000UL), "0x200000000 /* CLONE_??? */");
	EXPECT(fmt_clone_flags(ob, 0x400000), "0x400000 /* CLONE_??? */");
	EXPECT(fmt_clone_flags(ob, 0x200010811UL), "CLONE_SIGHAND|CLONE_THREAD|0x200000000|SIGCHLD");
	EXPECT(fmt_clone_flags(ob, 0xffffff00UL | 0x1100000000UL | 17),
	       "CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_PIDFD|CLONE_PTRACE|CLONE_VFORK|"
	       "CLONE_PARENT|CLONE_THREAD|CLONE_NEWNS|CLONE_SYSVSEM|CLONE_SETTLS|"
	       "CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID|CLONE_UNTRACED|CLONE_CHILD_SETTID|"
	       "CLONE_NEWCGROUP|CLONE_NEWUTS|CLONE_NEWIPC|CLONE_NEWUSER|CLONE_NEWPID|"
	       "CLONE_NEWNET|CLONE_IO|0x1100400000|SIGCHLD");
}

/* ----------------------------------------------------------------- signals */

Test(decode_flags, signals)
{
	EXPECT(fmt_signal(ob, 0), "0");
	EXPECT(fmt_signal(ob, 1), "SIGHUP");
	EXPECT(fmt_signal(ob, 9), "SIGKILL");
	EXPECT(fmt_signal(ob, 11), "SIGSEGV");
	EXPECT(fmt_signal(ob, 16), "SIGSTKFLT");
	EXPECT(fmt_signal(ob, 17), "SIGCHLD");
	EXPECT(fmt_signal(ob, 29), "SIGIO");
	EXPECT(fmt_signal(ob, 30), "SIGPWR");
	EXPECT(fmt_signal(ob, 31), "SIGSYS");
	EXPECT(fmt_signal(ob, 32), "SIGRTMIN");
	EXPECT(fmt_signal(ob, 33), "SIGRT_1");
	EXPECT(fmt_signal(ob, 36), "SIGRT_4");
	EXPECT(fmt_signal(ob, 64), "SIGRT_32");
	EXPECT(fmt_signal(ob, 65), "65");
	EXPECT(fmt_signal(ob, 1000), "1000");
	EXPECT(fmt_signal(ob, -1), "-1");
	cr_assert_str_eq(signal_name(2), "SIGINT");
	cr_assert_null(signal_name(0));
	cr_assert_null(signal_name(65));
	cr_assert_null(signal_name(-5));
}

/* ----------------------------------------------------------------- sigsets */

static void sigset_of(struct obuf *ob, uint64_t m)
{
	unsigned char b[8];
	memcpy(b, &m, sizeof b); /* x86_64: little-endian, bit 0 = signal 1 */
	fmt_sigset(ob, b, sizeof b);
}

Test(decode_flags, sigset_small)
{
	EXPECT(sigset_of(ob, 0), "[]");
	EXPECT(sigset_of(ob, 1ULL << 16), "[CHLD]");
	EXPECT(sigset_of(ob, 3), "[HUP INT]");
	EXPECT(sigset_of(ob, (1ULL << 31) | (1ULL << 32) | (1ULL << 33) | (1ULL << 63)),
	       "[RTMIN RT_1 RT_2 RT_32]");
	EXPECT(sigset_of(ob, 0xffffffff00000000ULL),
	       "[RT_1 RT_2 RT_3 RT_4 RT_5 RT_6 RT_7 RT_8 RT_9 RT_10 RT_11 RT_12 RT_13 RT_14 RT_15 "
	       "RT_16 RT_17 RT_18 RT_19 RT_20 RT_21 RT_22 RT_23 RT_24 RT_25 RT_26 RT_27 RT_28 "
	       "RT_29 RT_30 RT_31 RT_32]");
	EXPECT(sigset_of(ob, 0x7fffffffULL),
	       "[HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM STKFLT "
	       "CHLD CONT STOP TSTP TTIN TTOU URG XCPU XFSZ VTALRM PROF WINCH IO PWR SYS]");
}

Test(decode_flags, sigset_complement)
{
	EXPECT(sigset_of(ob, ~0ULL), "~[]");
	EXPECT(sigset_of(ob, ~(1ULL << 31)), "~[RTMIN]");
	EXPECT(sigset_of(ob, ~0ULL >> 1), "~[RT_32]");
	EXPECT(sigset_of(ob, ~((1ULL << 31) | (1ULL << 32))), "~[RTMIN RT_1]");
	EXPECT(sigset_of(ob, 0xfffffffe7ffbfeffULL), "~[KILL STOP RTMIN RT_1]");
}

Test(decode_flags, sigset_threshold)
{
	/* 41 signals set: listed; 42 set: complement (strace 6.1) */
	EXPECT(sigset_of(ob, (1ULL << 41) - 1),
	       "[HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM STKFLT "
	       "CHLD CONT STOP TSTP TTIN TTOU URG XCPU XFSZ VTALRM PROF WINCH IO PWR SYS RTMIN "
	       "RT_1 RT_2 RT_3 RT_4 RT_5 RT_6 RT_7 RT_8 RT_9]");
	EXPECT(sigset_of(ob, (1ULL << 42) - 1),
	       "~[RT_11 RT_12 RT_13 RT_14 RT_15 RT_16 RT_17 RT_18 RT_19 RT_20 RT_21 RT_22 RT_23 "
	       "RT_24 RT_25 RT_26 RT_27 RT_28 RT_29 RT_30 RT_31 RT_32]");
	EXPECT(sigset_of(ob, 0x1ffffffffULL),
	       "[HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM STKFLT "
	       "CHLD CONT STOP TSTP TTIN TTOU URG XCPU XFSZ VTALRM PROF WINCH IO PWR SYS RTMIN "
	       "RT_1]");
}

Test(decode_flags, sigset_other_sizes)
{
	unsigned char four[4] = { 0x01, 0x00, 0x01, 0x00 }; /* HUP, CHLD */
	EXPECT(fmt_sigset(ob, four, 4), "[HUP CHLD]");
	unsigned char none[1] = { 0 };
	EXPECT(fmt_sigset(ob, none, 0), "[]");
	unsigned char wide[16] = { 0 };
	wide[8] = 1; /* signal 65: no name */
	EXPECT(fmt_sigset(ob, wide, 16), "[65]");
}

/* -------------------------------------------------------- simple constants */

Test(decode_flags, whence)
{
	EXPECT(fmt_whence(ob, 0), "SEEK_SET");
	EXPECT(fmt_whence(ob, 1), "SEEK_CUR");
	EXPECT(fmt_whence(ob, 2), "SEEK_END");
	EXPECT(fmt_whence(ob, 3), "SEEK_DATA");
	EXPECT(fmt_whence(ob, 4), "SEEK_HOLE");
	EXPECT(fmt_whence(ob, 5), "0x5 /* SEEK_??? */");
}

Test(decode_flags, fcntl_cmds)
{
	EXPECT(fmt_fcntl_cmd(ob, 0), "F_DUPFD");
	EXPECT(fmt_fcntl_cmd(ob, 1), "F_GETFD");
	EXPECT(fmt_fcntl_cmd(ob, 2), "F_SETFD");
	EXPECT(fmt_fcntl_cmd(ob, 3), "F_GETFL");
	EXPECT(fmt_fcntl_cmd(ob, 4), "F_SETFL");
	EXPECT(fmt_fcntl_cmd(ob, 5), "F_GETLK");
	EXPECT(fmt_fcntl_cmd(ob, 12), "F_GETLK64");
	EXPECT(fmt_fcntl_cmd(ob, 16), "F_GETOWN_EX");
	EXPECT(fmt_fcntl_cmd(ob, 17), "F_GETOWNER_UIDS");
	EXPECT(fmt_fcntl_cmd(ob, 18), "0x12 /* F_??? */");
	EXPECT(fmt_fcntl_cmd(ob, 37), "F_OFD_SETLK");
	EXPECT(fmt_fcntl_cmd(ob, 1024), "F_SETLEASE");
	EXPECT(fmt_fcntl_cmd(ob, 1027), "0x403 /* F_??? */");
	EXPECT(fmt_fcntl_cmd(ob, 1029), "F_CANCELLK");
	EXPECT(fmt_fcntl_cmd(ob, 1030), "F_DUPFD_CLOEXEC");
	EXPECT(fmt_fcntl_cmd(ob, 1031), "F_SETPIPE_SZ");
	EXPECT(fmt_fcntl_cmd(ob, 1034), "F_GET_SEALS");
	EXPECT(fmt_fcntl_cmd(ob, 1035), "0x40b /* F_??? */");
}

Test(decode_flags, fd_flags)
{
	EXPECT(fmt_fd_flags(ob, 0), "0");
	EXPECT(fmt_fd_flags(ob, 1), "FD_CLOEXEC");
	EXPECT(fmt_fd_flags(ob, 2), "0x2 /* FD_??? */");
	EXPECT(fmt_fd_flags(ob, 3), "FD_CLOEXEC|0x2");
}

Test(decode_flags, sigprocmask_how)
{
	EXPECT(fmt_sigprocmask_how(ob, 0), "SIG_BLOCK");
	EXPECT(fmt_sigprocmask_how(ob, 1), "SIG_UNBLOCK");
	EXPECT(fmt_sigprocmask_how(ob, 2), "SIG_SETMASK");
	EXPECT(fmt_sigprocmask_how(ob, 3), "0x3 /* SIG_??? */");
	EXPECT(fmt_sigprocmask_how(ob, 99), "0x63 /* SIG_??? */");
}

Test(decode_flags, sock_family)
{
	EXPECT(fmt_sock_family(ob, 0), "AF_UNSPEC");
	EXPECT(fmt_sock_family(ob, 1), "AF_UNIX");
	EXPECT(fmt_sock_family(ob, 2), "AF_INET");
	EXPECT(fmt_sock_family(ob, 10), "AF_INET6");
	EXPECT(fmt_sock_family(ob, 12), "AF_DECnet");
	EXPECT(fmt_sock_family(ob, 16), "AF_NETLINK");
	EXPECT(fmt_sock_family(ob, 17), "AF_PACKET");
	EXPECT(fmt_sock_family(ob, 40), "AF_VSOCK");
	EXPECT(fmt_sock_family(ob, 45), "AF_MCTP");
	EXPECT(fmt_sock_family(ob, 46), "0x2e /* AF_??? */");
	EXPECT(fmt_sock_family(ob, 99), "0x63 /* AF_??? */");
}

Test(decode_flags, sock_type)
{
	EXPECT(fmt_sock_type(ob, 1), "SOCK_STREAM");
	EXPECT(fmt_sock_type(ob, 2), "SOCK_DGRAM");
	EXPECT(fmt_sock_type(ob, 3), "SOCK_RAW");
	EXPECT(fmt_sock_type(ob, 4), "SOCK_RDM");
	EXPECT(fmt_sock_type(ob, 5), "SOCK_SEQPACKET");
	EXPECT(fmt_sock_type(ob, 6), "SOCK_DCCP");
	EXPECT(fmt_sock_type(ob, 10), "SOCK_PACKET");
	EXPECT(fmt_sock_type(ob, 0x80001), "SOCK_STREAM|SOCK_CLOEXEC");
	EXPECT(fmt_sock_type(ob, 0x802), "SOCK_DGRAM|SOCK_NONBLOCK");
	EXPECT(fmt_sock_type(ob, 0x80805), "SOCK_SEQPACKET|SOCK_CLOEXEC|SOCK_NONBLOCK");
	EXPECT(fmt_sock_type(ob, 0), "0");
	EXPECT(fmt_sock_type(ob, 7), "0x7 /* SOCK_??? */");
	EXPECT(fmt_sock_type(ob, 0xf), "0xf /* SOCK_??? */");
	EXPECT(fmt_sock_type(ob, 0x101), "SOCK_STREAM|0x100 /* SOCK_??? */");
	EXPECT(fmt_sock_type(ob, 0x63), "SOCK_RAW|0x60 /* SOCK_??? */");
	EXPECT(fmt_sock_type(ob, 0x80000), "SOCK_CLOEXEC");
	EXPECT(fmt_sock_type(ob, 0x80101), "SOCK_STREAM|SOCK_CLOEXEC|0x100");
	EXPECT(fmt_sock_type(ob, 0x80007), "SOCK_CLOEXEC|0x7");
	EXPECT(fmt_sock_type(ob, 0x100), "0x100 /* SOCK_??? */");
	EXPECT(fmt_sock_type(ob, 0x80902), "SOCK_DGRAM|SOCK_CLOEXEC|SOCK_NONBLOCK|0x100");
}

Test(decode_flags, wait_options)
{
	EXPECT(fmt_wait_options(ob, 0), "0");
	EXPECT(fmt_wait_options(ob, 1), "WNOHANG");
	EXPECT(fmt_wait_options(ob, 2), "WSTOPPED");
	EXPECT(fmt_wait_options(ob, 4), "WEXITED");
	EXPECT(fmt_wait_options(ob, 8), "WCONTINUED");
	EXPECT(fmt_wait_options(ob, 0x1000000), "WNOWAIT");
	EXPECT(fmt_wait_options(ob, 0x20000000), "__WNOTHREAD");
	EXPECT(fmt_wait_options(ob, 0x40000000), "__WALL");
	EXPECT(fmt_wait_options(ob, 0x80000000), "__WCLONE");
	EXPECT(fmt_wait_options(ob, 0x40000001), "WNOHANG|__WALL");
	EXPECT(fmt_wait_options(ob, 0x1000008), "WCONTINUED|WNOWAIT");
	EXPECT(fmt_wait_options(ob, 0x10), "0x10 /* W??? */");
	EXPECT(fmt_wait_options(ob, 0x11), "WNOHANG|0x10");
	EXPECT(fmt_wait_options(ob, 0x10000000), "0x10000000 /* W??? */");
	/* strace's order is not numeric */
	EXPECT(fmt_wait_options(ob, 0xf), "WNOHANG|WEXITED|WSTOPPED|WCONTINUED");
	EXPECT(fmt_wait_options(ob, 0xe1000000), "WNOWAIT|__WCLONE|__WALL|__WNOTHREAD");
	EXPECT(fmt_wait_options(ob, 0xf49df75a),
	       "WSTOPPED|WCONTINUED|__WCLONE|__WALL|__WNOTHREAD|0x149df750");
}

Test(decode_flags, futex_ops)
{
	EXPECT(fmt_futex_op(ob, 0), "FUTEX_WAIT");
	EXPECT(fmt_futex_op(ob, 1), "FUTEX_WAKE");
	EXPECT(fmt_futex_op(ob, 2), "FUTEX_FD");
	EXPECT(fmt_futex_op(ob, 5), "FUTEX_WAKE_OP");
	EXPECT(fmt_futex_op(ob, 9), "FUTEX_WAIT_BITSET");
	EXPECT(fmt_futex_op(ob, 13), "FUTEX_LOCK_PI2");
	EXPECT(fmt_futex_op(ob, 128), "FUTEX_WAIT_PRIVATE");
	EXPECT(fmt_futex_op(ob, 129), "FUTEX_WAKE_PRIVATE");
	EXPECT(fmt_futex_op(ob, 137), "FUTEX_WAIT_BITSET_PRIVATE");
	EXPECT(fmt_futex_op(ob, 138), "FUTEX_WAKE_BITSET_PRIVATE");
	EXPECT(fmt_futex_op(ob, 139), "FUTEX_WAIT_REQUEUE_PI_PRIVATE");
	EXPECT(fmt_futex_op(ob, 141), "FUTEX_LOCK_PI2_PRIVATE");
	EXPECT(fmt_futex_op(ob, 256), "FUTEX_WAIT|FUTEX_CLOCK_REALTIME");
	EXPECT(fmt_futex_op(ob, 384), "FUTEX_WAIT_PRIVATE|FUTEX_CLOCK_REALTIME");
	EXPECT(fmt_futex_op(ob, 393), "FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME");
	EXPECT(fmt_futex_op(ob, 14), "0xe /* FUTEX_??? */");
	EXPECT(fmt_futex_op(ob, 15), "0xf /* FUTEX_??? */");
	EXPECT(fmt_futex_op(ob, 0x8f), "0x8f /* FUTEX_??? */");
	EXPECT(fmt_futex_op(ob, 0x40), "0x40 /* FUTEX_??? */");
	/* strace has no FUTEX_FD_PRIVATE spelling */
	EXPECT(fmt_futex_op(ob, 130), "FUTEX_FD|FUTEX_PRIVATE_FLAG");
	EXPECT(fmt_futex_op(ob, 131), "FUTEX_REQUEUE_PRIVATE");
	/* FUTEX_CLOCK_REALTIME is only named with the waiting commands */
	EXPECT(fmt_futex_op(ob, 256 | 11), "FUTEX_WAIT_REQUEUE_PI|FUTEX_CLOCK_REALTIME");
	EXPECT(fmt_futex_op(ob, 0x102), "0x102 /* FUTEX_??? */");
	EXPECT(fmt_futex_op(ob, 0x104), "0x104 /* FUTEX_??? */");
	EXPECT(fmt_futex_op(ob, 0x10a), "0x10a /* FUTEX_??? */");
	EXPECT(fmt_futex_op(ob, 0x184), "0x184 /* FUTEX_??? */");
	EXPECT(fmt_futex_op(ob, 0x10f), "0x10f /* FUTEX_??? */");
}

Test(decode_flags, arch_prctl)
{
	EXPECT(fmt_arch_prctl(ob, 0x1001), "ARCH_SET_GS");
	EXPECT(fmt_arch_prctl(ob, 0x1002), "ARCH_SET_FS");
	EXPECT(fmt_arch_prctl(ob, 0x1003), "ARCH_GET_FS");
	EXPECT(fmt_arch_prctl(ob, 0x1004), "ARCH_GET_GS");
	EXPECT(fmt_arch_prctl(ob, 0x1011), "ARCH_GET_CPUID");
	EXPECT(fmt_arch_prctl(ob, 0x1023), "ARCH_REQ_XCOMP_PERM");
	EXPECT(fmt_arch_prctl(ob, 0x2003), "ARCH_MAP_VDSO_64");
	EXPECT(fmt_arch_prctl(ob, 0x4001), "0x4001 /* ARCH_??? */");
	EXPECT(fmt_arch_prctl(ob, 0), "0 /* ARCH_??? */");
}

Test(decode_flags, prctl_options)
{
	EXPECT(fmt_prctl_option(ob, 3), "PR_GET_DUMPABLE");
	EXPECT(fmt_prctl_option(ob, 15), "PR_SET_NAME");
	EXPECT(fmt_prctl_option(ob, 16), "PR_GET_NAME");
	EXPECT(fmt_prctl_option(ob, 38), "PR_SET_NO_NEW_PRIVS");
	EXPECT(fmt_prctl_option(ob, 64), "PR_SME_GET_VL");
	EXPECT(fmt_prctl_option(ob, 0x59616d61), "PR_SET_PTRACER");
	EXPECT(fmt_prctl_option(ob, 0), "0 /* PR_??? */");
	EXPECT(fmt_prctl_option(ob, 0x41), "0x41 /* PR_??? */");
	EXPECT(fmt_prctl_option(ob, 0x999), "0x999 /* PR_??? */");
}

Test(decode_flags, clockids)
{
	EXPECT(fmt_clockid(ob, 0), "CLOCK_REALTIME");
	EXPECT(fmt_clockid(ob, 1), "CLOCK_MONOTONIC");
	EXPECT(fmt_clockid(ob, 2), "CLOCK_PROCESS_CPUTIME_ID");
	EXPECT(fmt_clockid(ob, 4), "CLOCK_MONOTONIC_RAW");
	EXPECT(fmt_clockid(ob, 7), "CLOCK_BOOTTIME");
	EXPECT(fmt_clockid(ob, 11), "CLOCK_TAI");
	EXPECT(fmt_clockid(ob, 12), "0xc /* CLOCK_??? */");
	EXPECT(fmt_clockid(ob, -1), "0xffffffff /* CLOCK_??? */");
	EXPECT(fmt_clockid(ob, -6), "0xfffffffa /* CLOCK_??? */");
}

Test(decode_flags, rlimits)
{
	EXPECT(fmt_rlimit_res(ob, 0), "RLIMIT_CPU");
	EXPECT(fmt_rlimit_res(ob, 3), "RLIMIT_STACK");
	EXPECT(fmt_rlimit_res(ob, 7), "RLIMIT_NOFILE");
	EXPECT(fmt_rlimit_res(ob, 15), "RLIMIT_RTTIME");
	EXPECT(fmt_rlimit_res(ob, 16), "0x10 /* RLIMIT_??? */");
	EXPECT(fmt_rlimit_res(ob, 99), "0x63 /* RLIMIT_??? */");
}

Test(decode_flags, madvise)
{
	EXPECT(fmt_madvise(ob, 0), "MADV_NORMAL");
	EXPECT(fmt_madvise(ob, 4), "MADV_DONTNEED");
	EXPECT(fmt_madvise(ob, 5), "0x5 /* MADV_??? */");
	EXPECT(fmt_madvise(ob, 8), "MADV_FREE");
	EXPECT(fmt_madvise(ob, 14), "MADV_HUGEPAGE");
	EXPECT(fmt_madvise(ob, 25), "MADV_COLLAPSE");
	EXPECT(fmt_madvise(ob, 26), "0x1a /* MADV_??? */");
	EXPECT(fmt_madvise(ob, 100), "MADV_HWPOISON");
	EXPECT(fmt_madvise(ob, 101), "MADV_SOFT_OFFLINE");
	EXPECT(fmt_madvise(ob, 200), "0xc8 /* MADV_??? */");
}

Test(decode_flags, ioctl_requests)
{
	EXPECT(fmt_ioctl_req(ob, 0x5401), "TCGETS");
	EXPECT(fmt_ioctl_req(ob, 0x5402), "SNDCTL_TMR_START or TCSETS");
	EXPECT(fmt_ioctl_req(ob, 0x5403), "SNDCTL_TMR_STOP or TCSETSW");
	EXPECT(fmt_ioctl_req(ob, 0x5404), "SNDCTL_TMR_CONTINUE or TCSETSF");
	EXPECT(fmt_ioctl_req(ob, 0x540e), "TIOCSCTTY");
	EXPECT(fmt_ioctl_req(ob, 0x540f), "TIOCGPGRP");
	EXPECT(fmt_ioctl_req(ob, 0x5410), "TIOCSPGRP");
	EXPECT(fmt_ioctl_req(ob, 0x5413), "TIOCGWINSZ");
	EXPECT(fmt_ioctl_req(ob, 0x5414), "TIOCSWINSZ");
	EXPECT(fmt_ioctl_req(ob, 0x541b), "FIONREAD");
	EXPECT(fmt_ioctl_req(ob, 0x5421), "FIONBIO");
	EXPECT(fmt_ioctl_req(ob, 0x5450), "FIONCLEX");
	EXPECT(fmt_ioctl_req(ob, 0x5451), "FIOCLEX");
	EXPECT(fmt_ioctl_req(ob, 0x80045430), "TIOCGPTN");
	EXPECT(fmt_ioctl_req(ob, 0x802c542a), "TCGETS2");
	EXPECT(fmt_ioctl_req(ob, 0x40049409), "BTRFS_IOC_CLONE or FICLONE");
	EXPECT(fmt_ioctl_req(ob, 0x80086601), "FS_IOC_GETFLAGS");
}

Test(decode_flags, ioctl_unknown_as_ioc)
{
	EXPECT(fmt_ioctl_req(ob, 0x5426), "_IOC(_IOC_NONE, 0x54, 0x26, 0)");
	EXPECT(fmt_ioctl_req(ob, 0x1234), "_IOC(_IOC_NONE, 0x12, 0x34, 0)");
	EXPECT(fmt_ioctl_req(ob, 0x80045499), "_IOC(_IOC_READ, 0x54, 0x99, 0x4)");
	EXPECT(fmt_ioctl_req(ob, 0xc0105499), "_IOC(_IOC_READ|_IOC_WRITE, 0x54, 0x99, 0x10)");
	EXPECT(fmt_ioctl_req(ob, 0x40000000), "_IOC(_IOC_WRITE, 0, 0, 0)");
	EXPECT(fmt_ioctl_req(ob, 0), "_IOC(_IOC_NONE, 0, 0, 0)");
	EXPECT(fmt_ioctl_req(ob, 0xdeadbeef), "_IOC(_IOC_READ|_IOC_WRITE, 0xbe, 0xef, 0x1ead)");
	EXPECT(fmt_ioctl_req(ob, 0x80047476), "_IOC(_IOC_READ, 0x74, 0x76, 0x4)");
}

/* -------------------------------------------------------------- file modes */

Test(decode_flags, file_mode_type)
{
	EXPECT(fmt_file_mode_type(ob, 0100644), "S_IFREG|0644");
	EXPECT(fmt_file_mode_type(ob, 040755), "S_IFDIR|0755");
	EXPECT(fmt_file_mode_type(ob, 020620), "S_IFCHR|0620");
	EXPECT(fmt_file_mode_type(ob, 060660), "S_IFBLK|0660");
	EXPECT(fmt_file_mode_type(ob, 010600), "S_IFIFO|0600");
	EXPECT(fmt_file_mode_type(ob, 0140777), "S_IFSOCK|0777");
	EXPECT(fmt_file_mode_type(ob, 0120777), "S_IFLNK|0777");
	EXPECT(fmt_file_mode_type(ob, 0100000), "S_IFREG|000");
	EXPECT(fmt_file_mode_type(ob, 0), "000");
	EXPECT(fmt_file_mode_type(ob, 0644), "0644");
}

Test(decode_flags, file_mode_special_and_unknown)
{
	EXPECT(fmt_file_mode_type(ob, 04755), "S_ISUID|0755");
	EXPECT(fmt_file_mode_type(ob, 02755), "S_ISGID|0755");
	EXPECT(fmt_file_mode_type(ob, 01777), "S_ISVTX|0777");
	EXPECT(fmt_file_mode_type(ob, 07777), "S_ISUID|S_ISGID|S_ISVTX|0777");
	EXPECT(fmt_file_mode_type(ob, 0104755), "S_IFREG|S_ISUID|0755");
	EXPECT(fmt_file_mode_type(ob, 0170000), "0170000");
	EXPECT(fmt_file_mode_type(ob, 0160644), "0160644");
}

/* ------------------------------------------------------------------ errnos */

Test(decode_flags, errno_names)
{
	cr_assert_str_eq(errno_name(1), "EPERM");
	cr_assert_str_eq(errno_name(2), "ENOENT");
	cr_assert_str_eq(errno_name(5), "EIO");
	cr_assert_str_eq(errno_name(11), "EAGAIN");
	cr_assert_str_eq(errno_name(35), "EDEADLK");
	cr_assert_str_eq(errno_name(95), "EOPNOTSUPP");
	cr_assert_str_eq(errno_name(110), "ETIMEDOUT");
	cr_assert_str_eq(errno_name(133), "EHWPOISON");
	cr_assert_str_eq(errno_name(512), "ERESTARTSYS");
	cr_assert_str_eq(errno_name(513), "ERESTARTNOINTR");
	cr_assert_str_eq(errno_name(514), "ERESTARTNOHAND");
	cr_assert_str_eq(errno_name(515), "ENOIOCTLCMD");
	cr_assert_str_eq(errno_name(516), "ERESTART_RESTARTBLOCK");
	cr_assert_str_eq(errno_name(517), "EPROBE_DEFER");
	cr_assert_str_eq(errno_name(518), "EOPENSTALE");
	cr_assert_str_eq(errno_name(521), "EBADHANDLE");
	cr_assert_str_eq(errno_name(524), "ENOTSUPP");
	cr_assert_str_eq(errno_name(530), "ERECALLCONFLICT");
	cr_assert_null(errno_name(0));
	cr_assert_null(errno_name(-2));
	cr_assert_null(errno_name(41));
	cr_assert_null(errno_name(58));
	cr_assert_null(errno_name(134));
	cr_assert_null(errno_name(519));
	cr_assert_null(errno_name(4095));
	for (long e = 1; e <= 133; e++)
		if (e != 41 && e != 58)
			cr_assert_not_null(errno_name(e), "errno %ld", e);
}

Test(decode_flags, errno_texts)
{
	cr_assert_str_eq(errno_text(2), "No such file or directory");
	cr_assert_str_eq(errno_text(9), "Bad file descriptor");
	cr_assert_str_eq(errno_text(11), "Resource temporarily unavailable");
	cr_assert_str_eq(errno_text(14), "Bad address");
	cr_assert_str_eq(errno_text(22), "Invalid argument");
	cr_assert_str_eq(errno_text(512), "To be restarted if SA_RESTART is set");
	cr_assert_str_eq(errno_text(513), "To be restarted");
	cr_assert_str_eq(errno_text(514), "To be restarted if no handler");
	cr_assert_str_eq(errno_text(516), "Interrupted by signal");
	cr_assert_str_eq(errno_text(515), "Unknown error 515");
	cr_assert_not_null(errno_text(9999));
}

/* ---------------------------------------------------------------- si_codes */

Test(decode_flags, sicodes_generic)
{
	cr_assert_str_eq(sicode_name(10, 0), "SI_USER");
	cr_assert_str_eq(sicode_name(10, -1), "SI_QUEUE");
	cr_assert_str_eq(sicode_name(10, -2), "SI_TIMER");
	cr_assert_str_eq(sicode_name(10, -3), "SI_MESGQ");
	cr_assert_str_eq(sicode_name(10, -4), "SI_ASYNCIO");
	cr_assert_str_eq(sicode_name(10, -5), "SI_SIGIO");
	cr_assert_str_eq(sicode_name(10, -6), "SI_TKILL");
	cr_assert_str_eq(sicode_name(10, -7), "SI_DETHREAD");
	cr_assert_str_eq(sicode_name(10, -60), "SI_ASYNCNL");
	cr_assert_str_eq(sicode_name(11, 0x80), "SI_KERNEL");
	cr_assert_null(sicode_name(10, 1));
	cr_assert_null(sicode_name(10, -99));
	cr_assert_null(sicode_name(17, 7));
}

Test(decode_flags, sicodes_per_signal)
{
	cr_assert_str_eq(sicode_name(17, 1), "CLD_EXITED");
	cr_assert_str_eq(sicode_name(17, 2), "CLD_KILLED");
	cr_assert_str_eq(sicode_name(17, 3), "CLD_DUMPED");
	cr_assert_str_eq(sicode_name(17, 4), "CLD_TRAPPED");
	cr_assert_str_eq(sicode_name(17, 5), "CLD_STOPPED");
	cr_assert_str_eq(sicode_name(17, 6), "CLD_CONTINUED");
	cr_assert_str_eq(sicode_name(11, 1), "SEGV_MAPERR");
	cr_assert_str_eq(sicode_name(11, 2), "SEGV_ACCERR");
	cr_assert_str_eq(sicode_name(11, 9), "SEGV_MTESERR");
	cr_assert_str_eq(sicode_name(4, 1), "ILL_ILLOPC");
	cr_assert_str_eq(sicode_name(4, 9), "ILL_BADIADDR");
	cr_assert_str_eq(sicode_name(8, 1), "FPE_INTDIV");
	cr_assert_str_eq(sicode_name(8, 8), "FPE_FLTSUB");
	cr_assert_null(sicode_name(8, 9));
	cr_assert_str_eq(sicode_name(8, 14), "FPE_FLTUNK");
	cr_assert_str_eq(sicode_name(8, 15), "FPE_CONDTRAP");
	cr_assert_null(sicode_name(8, 16));
	cr_assert_str_eq(sicode_name(7, 1), "BUS_ADRALN");
	cr_assert_str_eq(sicode_name(7, 5), "BUS_MCEERR_AO");
	cr_assert_null(sicode_name(7, 6));
	cr_assert_str_eq(sicode_name(5, 1), "TRAP_BRKPT");
	cr_assert_str_eq(sicode_name(5, 2), "TRAP_TRACE");
	cr_assert_str_eq(sicode_name(5, 6), "TRAP_PERF");
	cr_assert_str_eq(sicode_name(29, 1), "POLL_IN");
	cr_assert_str_eq(sicode_name(29, 6), "POLL_HUP");
	cr_assert_str_eq(sicode_name(31, 1), "SYS_SECCOMP");
	cr_assert_str_eq(sicode_name(31, 2), "SYS_USER_DISPATCH");
	cr_assert_null(sicode_name(31, 3));
	cr_assert_null(sicode_name(10, 5));
}

/* ---------------------------------------------------------------- overflow */

Test(decode_flags, formatter_overflow_is_bounded)
{
	char small[10];
	struct obuf ob;
	obuf_init(&ob, small, sizeof small);
	fmt_open_flags(&ob, 0xfffffffc);
	cr_assert(ob.overflow);
	cr_assert_str_eq(small, "O_RDONLY|");
}
