/* names.c — single-value symbolic names, strace 6.1 spelling.
 *
 * Unknown values print the way strace prints them: "%#x /∗ X_??? ∗/" with the
 * value taken as a 32-bit unsigned int (0 prints as plain "0"). */
#include "decode_flags.h"

#include <stdio.h>
#include <string.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

struct xval {
	long val;
	const char *name;
};

static const char *xlookup(const struct xval *tab, size_t n, long v)
{
	for (size_t i = 0; i < n; i++)
		if (tab[i].val == v)
			return tab[i].name;
	return NULL;
}

/* Name from a dense table indexed by value, or NULL. */
static const char *dense_lookup(const char *const *tab, size_t n, long v)
{
	if (v < 0 || (unsigned long)v >= n)
		return NULL;
	return tab[v];
}

static void put_unknown(struct obuf *ob, long v, const char *what)
{
	obuf_put_hex(ob, (unsigned int)v);
	obuf_puts(ob, " /* ");
	obuf_puts(ob, what);
	obuf_puts(ob, " */");
}

static void put_xval(struct obuf *ob, const char *name, long v, const char *what)
{
	if (name)
		obuf_puts(ob, name);
	else
		put_unknown(ob, v, what);
}

/* ---------------------------------------------------------------- signals */

static const char *const signames[] = {
	[1] = "SIGHUP", [2] = "SIGINT", [3] = "SIGQUIT", [4] = "SIGILL",
	[5] = "SIGTRAP", [6] = "SIGABRT", [7] = "SIGBUS", [8] = "SIGFPE",
	[9] = "SIGKILL", [10] = "SIGUSR1", [11] = "SIGSEGV", [12] = "SIGUSR2",
	[13] = "SIGPIPE", [14] = "SIGALRM", [15] = "SIGTERM", [16] = "SIGSTKFLT",
	[17] = "SIGCHLD", [18] = "SIGCONT", [19] = "SIGSTOP", [20] = "SIGTSTP",
	[21] = "SIGTTIN", [22] = "SIGTTOU", [23] = "SIGURG", [24] = "SIGXCPU",
	[25] = "SIGXFSZ", [26] = "SIGVTALRM", [27] = "SIGPROF", [28] = "SIGWINCH",
	[29] = "SIGIO", [30] = "SIGPWR", [31] = "SIGSYS", [32] = "SIGRTMIN",
	[33] = "SIGRT_1", [34] = "SIGRT_2", [35] = "SIGRT_3", [36] = "SIGRT_4",
	[37] = "SIGRT_5", [38] = "SIGRT_6", [39] = "SIGRT_7", [40] = "SIGRT_8",
	[41] = "SIGRT_9", [42] = "SIGRT_10", [43] = "SIGRT_11", [44] = "SIGRT_12",
	[45] = "SIGRT_13", [46] = "SIGRT_14", [47] = "SIGRT_15", [48] = "SIGRT_16",
	[49] = "SIGRT_17", [50] = "SIGRT_18", [51] = "SIGRT_19", [52] = "SIGRT_20",
	[53] = "SIGRT_21", [54] = "SIGRT_22", [55] = "SIGRT_23", [56] = "SIGRT_24",
	[57] = "SIGRT_25", [58] = "SIGRT_26", [59] = "SIGRT_27", [60] = "SIGRT_28",
	[61] = "SIGRT_29", [62] = "SIGRT_30", [63] = "SIGRT_31", [64] = "SIGRT_32",
};

const char *signal_name(long sig)
{
	return dense_lookup(signames, ARRAY_LEN(signames), sig);
}

void fmt_signal(struct obuf *ob, long sig)
{
	const char *n = signal_name(sig);
	if (n)
		obuf_puts(ob, n);
	else
		obuf_put_long(ob, sig);
}

/* ----------------------------------------------------------------- errnos */

static const char *const errnames[] = {
	[1] = "EPERM", [2] = "ENOENT", [3] = "ESRCH", [4] = "EINTR", [5] = "EIO",
	[6] = "ENXIO", [7] = "E2BIG", [8] = "ENOEXEC", [9] = "EBADF",
	[10] = "ECHILD", [11] = "EAGAIN", [12] = "ENOMEM", [13] = "EACCES",
	[14] = "EFAULT", [15] = "ENOTBLK", [16] = "EBUSY", [17] = "EEXIST",
	[18] = "EXDEV", [19] = "ENODEV", [20] = "ENOTDIR", [21] = "EISDIR",
	[22] = "EINVAL", [23] = "ENFILE", [24] = "EMFILE", [25] = "ENOTTY",
	[26] = "ETXTBSY", [27] = "EFBIG", [28] = "ENOSPC", [29] = "ESPIPE",
	[30] = "EROFS", [31] = "EMLINK", [32] = "EPIPE", [33] = "EDOM",
	[34] = "ERANGE", [35] = "EDEADLK", [36] = "ENAMETOOLONG", [37] = "ENOLCK",
	[38] = "ENOSYS", [39] = "ENOTEMPTY", [40] = "ELOOP", [42] = "ENOMSG",
	[43] = "EIDRM", [44] = "ECHRNG", [45] = "EL2NSYNC", [46] = "EL3HLT",
	[47] = "EL3RST", [48] = "ELNRNG", [49] = "EUNATCH", [50] = "ENOCSI",
	[51] = "EL2HLT", [52] = "EBADE", [53] = "EBADR", [54] = "EXFULL",
	[55] = "ENOANO", [56] = "EBADRQC", [57] = "EBADSLT", [59] = "EBFONT",
	[60] = "ENOSTR", [61] = "ENODATA", [62] = "ETIME", [63] = "ENOSR",
	[64] = "ENONET", [65] = "ENOPKG", [66] = "EREMOTE", [67] = "ENOLINK",
	[68] = "EADV", [69] = "ESRMNT", [70] = "ECOMM", [71] = "EPROTO",
	[72] = "EMULTIHOP", [73] = "EDOTDOT", [74] = "EBADMSG", [75] = "EOVERFLOW",
	[76] = "ENOTUNIQ", [77] = "EBADFD", [78] = "EREMCHG", [79] = "ELIBACC",
	[80] = "ELIBBAD", [81] = "ELIBSCN", [82] = "ELIBMAX", [83] = "ELIBEXEC",
	[84] = "EILSEQ", [85] = "ERESTART", [86] = "ESTRPIPE", [87] = "EUSERS",
	[88] = "ENOTSOCK", [89] = "EDESTADDRREQ", [90] = "EMSGSIZE",
	[91] = "EPROTOTYPE", [92] = "ENOPROTOOPT", [93] = "EPROTONOSUPPORT",
	[94] = "ESOCKTNOSUPPORT", [95] = "EOPNOTSUPP", [96] = "EPFNOSUPPORT",
	[97] = "EAFNOSUPPORT", [98] = "EADDRINUSE", [99] = "EADDRNOTAVAIL",
	[100] = "ENETDOWN", [101] = "ENETUNREACH", [102] = "ENETRESET",
	[103] = "ECONNABORTED", [104] = "ECONNRESET", [105] = "ENOBUFS",
	[106] = "EISCONN", [107] = "ENOTCONN", [108] = "ESHUTDOWN",
	[109] = "ETOOMANYREFS", [110] = "ETIMEDOUT", [111] = "ECONNREFUSED",
	[112] = "EHOSTDOWN", [113] = "EHOSTUNREACH", [114] = "EALREADY",
	[115] = "EINPROGRESS", [116] = "ESTALE", [117] = "EUCLEAN",
	[118] = "ENOTNAM", [119] = "ENAVAIL", [120] = "EISNAM", [121] = "EREMOTEIO",
	[122] = "EDQUOT", [123] = "ENOMEDIUM", [124] = "EMEDIUMTYPE",
	[125] = "ECANCELED", [126] = "ENOKEY", [127] = "EKEYEXPIRED",
	[128] = "EKEYREVOKED", [129] = "EKEYREJECTED", [130] = "EOWNERDEAD",
	[131] = "ENOTRECOVERABLE", [132] = "ERFKILL", [133] = "EHWPOISON",
};

/* Kernel-internal errnos (include/linux/errno.h), as strace 6.1 knows them:
 * 519 (ENOPARAM) and 531 (ENOGRACE) are absent from its table. */
struct kerrno {
	long val;
	const char *name;
	const char *text;
};

static const struct kerrno kerrnos[] = {
	{ 512, "ERESTARTSYS", "To be restarted if SA_RESTART is set" },
	{ 513, "ERESTARTNOINTR", "To be restarted" },
	{ 514, "ERESTARTNOHAND", "To be restarted if no handler" },
	{ 515, "ENOIOCTLCMD", "Unknown error 515" },
	{ 516, "ERESTART_RESTARTBLOCK", "Interrupted by signal" },
	{ 517, "EPROBE_DEFER", "Unknown error 517" },
	{ 518, "EOPENSTALE", "Unknown error 518" },
	{ 521, "EBADHANDLE", "Unknown error 521" },
	{ 522, "ENOTSYNC", "Unknown error 522" },
	{ 523, "EBADCOOKIE", "Unknown error 523" },
	{ 524, "ENOTSUPP", "Unknown error 524" },
	{ 525, "ETOOSMALL", "Unknown error 525" },
	{ 526, "ESERVERFAULT", "Unknown error 526" },
	{ 527, "EBADTYPE", "Unknown error 527" },
	{ 528, "EJUKEBOX", "Unknown error 528" },
	{ 529, "EIOCBQUEUED", "Unknown error 529" },
	{ 530, "ERECALLCONFLICT", "Unknown error 530" },
};

static const struct kerrno *kerrno_find(long err)
{
	for (size_t i = 0; i < ARRAY_LEN(kerrnos); i++)
		if (kerrnos[i].val == err)
			return &kerrnos[i];
	return NULL;
}

const char *errno_name(long err)
{
	const char *n = dense_lookup(errnames, ARRAY_LEN(errnames), err);
	if (n)
		return n;
	const struct kerrno *k = kerrno_find(err);
	return k ? k->name : NULL;
}

const char *errno_text(long err)
{
	const struct kerrno *k = kerrno_find(err);
	if (k)
		return k->text;
	if (err > 0 && err < 4096) {
		/* glibc returns static (possibly translated) strings for all
		 * errnos it knows; that is exactly what strace prints. */
		const char *s = strerrordesc_np((int)err);
		if (s)
			return s;
	}
	return "Unknown error";
}

/* --------------------------------------------------------------- si_codes */

static const struct xval sicodes_generic[] = {
	{ 0, "SI_USER" }, { 0x80, "SI_KERNEL" }, { -1, "SI_QUEUE" },
	{ -2, "SI_TIMER" }, { -3, "SI_MESGQ" }, { -4, "SI_ASYNCIO" },
	{ -5, "SI_SIGIO" }, { -6, "SI_TKILL" }, { -7, "SI_DETHREAD" },
	{ -60, "SI_ASYNCNL" },
};
static const char *const sic_ill[] = { NULL, "ILL_ILLOPC", "ILL_ILLOPN",
	"ILL_ILLADR", "ILL_ILLTRP", "ILL_PRVOPC", "ILL_PRVREG", "ILL_COPROC",
	"ILL_BADSTK", "ILL_BADIADDR" };
static const char *const sic_fpe[] = { NULL, "FPE_INTDIV", "FPE_INTOVF",
	"FPE_FLTDIV", "FPE_FLTOVF", "FPE_FLTUND", "FPE_FLTRES", "FPE_FLTINV",
	"FPE_FLTSUB", NULL, NULL, NULL, NULL, NULL, "FPE_FLTUNK", "FPE_CONDTRAP" };
static const char *const sic_segv[] = { NULL, "SEGV_MAPERR", "SEGV_ACCERR",
	"SEGV_BNDERR", "SEGV_PKUERR", "SEGV_ACCADI", "SEGV_ADIDERR",
	"SEGV_ADIPERR", "SEGV_MTEAERR", "SEGV_MTESERR" };
static const char *const sic_bus[] = { NULL, "BUS_ADRALN", "BUS_ADRERR",
	"BUS_OBJERR", "BUS_MCEERR_AR", "BUS_MCEERR_AO" };
static const char *const sic_trap[] = { NULL, "TRAP_BRKPT", "TRAP_TRACE",
	"TRAP_BRANCH", "TRAP_HWBKPT", "TRAP_UNK", "TRAP_PERF" };
static const char *const sic_chld[] = { NULL, "CLD_EXITED", "CLD_KILLED",
	"CLD_DUMPED", "CLD_TRAPPED", "CLD_STOPPED", "CLD_CONTINUED" };
static const char *const sic_poll[] = { NULL, "POLL_IN", "POLL_OUT",
	"POLL_MSG", "POLL_ERR", "POLL_PRI", "POLL_HUP" };
static const char *const sic_sys[] = { NULL, "SYS_SECCOMP", "SYS_USER_DISPATCH" };

const char *sicode_name(int signo, int code)
{
	const char *n = xlookup(sicodes_generic, ARRAY_LEN(sicodes_generic), code);
	if (n)
		return n;
	if (code <= 0)
		return NULL;
	switch (signo) {
	case 4:  return dense_lookup(sic_ill, ARRAY_LEN(sic_ill), code);
	case 8:  return dense_lookup(sic_fpe, ARRAY_LEN(sic_fpe), code);
	case 11: return dense_lookup(sic_segv, ARRAY_LEN(sic_segv), code);
	case 7:  return dense_lookup(sic_bus, ARRAY_LEN(sic_bus), code);
	case 5:  return dense_lookup(sic_trap, ARRAY_LEN(sic_trap), code);
	case 17: return dense_lookup(sic_chld, ARRAY_LEN(sic_chld), code);
	case 29: return dense_lookup(sic_poll, ARRAY_LEN(sic_poll), code);
	case 31: return dense_lookup(sic_sys, ARRAY_LEN(sic_sys), code);
	default: return NULL;
	}
}

/* ------------------------------------------------------ simple constants */

static const char *const whence_names[] = { "SEEK_SET", "SEEK_CUR", "SEEK_END",
	"SEEK_DATA", "SEEK_HOLE" };

void fmt_whence(struct obuf *ob, long whence)
{
	put_xval(ob, dense_lookup(whence_names, ARRAY_LEN(whence_names), whence),
		 whence, "SEEK_???");
}

static const struct xval fcntl_cmds[] = {
	{ 0, "F_DUPFD" }, { 1, "F_GETFD" }, { 2, "F_SETFD" }, { 3, "F_GETFL" },
	{ 4, "F_SETFL" }, { 5, "F_GETLK" }, { 6, "F_SETLK" }, { 7, "F_SETLKW" },
	{ 8, "F_SETOWN" }, { 9, "F_GETOWN" }, { 10, "F_SETSIG" }, { 11, "F_GETSIG" },
	{ 12, "F_GETLK64" }, { 13, "F_SETLK64" }, { 14, "F_SETLKW64" },
	{ 15, "F_SETOWN_EX" }, { 16, "F_GETOWN_EX" }, { 17, "F_GETOWNER_UIDS" },
	{ 36, "F_OFD_GETLK" }, { 37, "F_OFD_SETLK" }, { 38, "F_OFD_SETLKW" },
	{ 1024, "F_SETLEASE" }, { 1025, "F_GETLEASE" }, { 1026, "F_NOTIFY" },
	{ 1029, "F_CANCELLK" }, { 1030, "F_DUPFD_CLOEXEC" },
	{ 1031, "F_SETPIPE_SZ" }, { 1032, "F_GETPIPE_SZ" },
	{ 1033, "F_ADD_SEALS" }, { 1034, "F_GET_SEALS" },
};

void fmt_fcntl_cmd(struct obuf *ob, long cmd)
{
	put_xval(ob, xlookup(fcntl_cmds, ARRAY_LEN(fcntl_cmds), cmd), cmd, "F_???");
}

static const char *const sigprocmask_hows[] = { "SIG_BLOCK", "SIG_UNBLOCK",
	"SIG_SETMASK" };

void fmt_sigprocmask_how(struct obuf *ob, long how)
{
	put_xval(ob, dense_lookup(sigprocmask_hows, ARRAY_LEN(sigprocmask_hows), how),
		 how, "SIG_???");
}

static const char *const families[] = {
	"AF_UNSPEC", "AF_UNIX", "AF_INET", "AF_AX25", "AF_IPX", "AF_APPLETALK",
	"AF_NETROM", "AF_BRIDGE", "AF_ATMPVC", "AF_X25", "AF_INET6", "AF_ROSE",
	"AF_DECnet", "AF_NETBEUI", "AF_SECURITY", "AF_KEY", "AF_NETLINK",
	"AF_PACKET", "AF_ASH", "AF_ECONET", "AF_ATMSVC", "AF_RDS", "AF_SNA",
	"AF_IRDA", "AF_PPPOX", "AF_WANPIPE", "AF_LLC", "AF_IB", "AF_MPLS",
	"AF_CAN", "AF_TIPC", "AF_BLUETOOTH", "AF_IUCV", "AF_RXRPC", "AF_ISDN",
	"AF_PHONET", "AF_IEEE802154", "AF_CAIF", "AF_ALG", "AF_NFC", "AF_VSOCK",
	"AF_KCM", "AF_QIPCRTR", "AF_SMC", "AF_XDP", "AF_MCTP",
};

void fmt_sock_family(struct obuf *ob, long fam)
{
	put_xval(ob, dense_lookup(families, ARRAY_LEN(families), fam), fam, "AF_???");
}

static const char *const futex_cmds[] = {
	"FUTEX_WAIT", "FUTEX_WAKE", "FUTEX_FD", "FUTEX_REQUEUE",
	"FUTEX_CMP_REQUEUE", "FUTEX_WAKE_OP", "FUTEX_LOCK_PI", "FUTEX_UNLOCK_PI",
	"FUTEX_TRYLOCK_PI", "FUTEX_WAIT_BITSET", "FUTEX_WAKE_BITSET",
	"FUTEX_WAIT_REQUEUE_PI", "FUTEX_CMP_REQUEUE_PI", "FUTEX_LOCK_PI2",
};

void fmt_futex_op(struct obuf *ob, long op)
{
	const long priv = 128, clock_rt = 256;
	long cmd = op & ~(priv | clock_rt);
	const char *n = dense_lookup(futex_cmds, ARRAY_LEN(futex_cmds), cmd);

	/* strace knows FUTEX_CLOCK_REALTIME only with the waiting commands
	 * (WAIT, WAIT_BITSET, WAIT_REQUEUE_PI); other combinations are unknown. */
	if (n && (op & clock_rt) && cmd != 0 && cmd != 9 && cmd != 11)
		n = NULL;
	if (!n) {
		put_unknown(ob, op, "FUTEX_???");
		return;
	}
	obuf_puts(ob, n);
	if ((op & priv) && cmd == 2)
		obuf_puts(ob, "|FUTEX_PRIVATE_FLAG"); /* no FUTEX_FD_PRIVATE */
	else if (op & priv)
		obuf_puts(ob, "_PRIVATE");
	if (op & clock_rt)
		obuf_puts(ob, "|FUTEX_CLOCK_REALTIME");
}

static const struct xval arch_prctl_codes[] = {
	{ 0x1001, "ARCH_SET_GS" }, { 0x1002, "ARCH_SET_FS" },
	{ 0x1003, "ARCH_GET_FS" }, { 0x1004, "ARCH_GET_GS" },
	{ 0x1011, "ARCH_GET_CPUID" }, { 0x1012, "ARCH_SET_CPUID" },
	{ 0x1021, "ARCH_GET_XCOMP_SUPP" }, { 0x1022, "ARCH_GET_XCOMP_PERM" },
	{ 0x1023, "ARCH_REQ_XCOMP_PERM" }, { 0x1024, "ARCH_GET_XCOMP_GUEST_PERM" },
	{ 0x1025, "ARCH_REQ_XCOMP_GUEST_PERM" },
	{ 0x2001, "ARCH_MAP_VDSO_X32" }, { 0x2002, "ARCH_MAP_VDSO_32" },
	{ 0x2003, "ARCH_MAP_VDSO_64" },
};

void fmt_arch_prctl(struct obuf *ob, long code)
{
	put_xval(ob, xlookup(arch_prctl_codes, ARRAY_LEN(arch_prctl_codes), code),
		 code, "ARCH_???");
}

static const char *const prctl_opts[] = {
	[1] = "PR_SET_PDEATHSIG", [2] = "PR_GET_PDEATHSIG", [3] = "PR_GET_DUMPABLE",
	[4] = "PR_SET_DUMPABLE", [5] = "PR_GET_UNALIGN", [6] = "PR_SET_UNALIGN",
	[7] = "PR_GET_KEEPCAPS", [8] = "PR_SET_KEEPCAPS", [9] = "PR_GET_FPEMU",
	[10] = "PR_SET_FPEMU", [11] = "PR_GET_FPEXC", [12] = "PR_SET_FPEXC",
	[13] = "PR_GET_TIMING", [14] = "PR_SET_TIMING", [15] = "PR_SET_NAME",
	[16] = "PR_GET_NAME", [19] = "PR_GET_ENDIAN", [20] = "PR_SET_ENDIAN",
	[21] = "PR_GET_SECCOMP", [22] = "PR_SET_SECCOMP", [23] = "PR_CAPBSET_READ",
	[24] = "PR_CAPBSET_DROP", [25] = "PR_GET_TSC", [26] = "PR_SET_TSC",
	[27] = "PR_GET_SECUREBITS", [28] = "PR_SET_SECUREBITS",
	[29] = "PR_SET_TIMERSLACK", [30] = "PR_GET_TIMERSLACK",
	[31] = "PR_TASK_PERF_EVENTS_DISABLE", [32] = "PR_TASK_PERF_EVENTS_ENABLE",
	[33] = "PR_MCE_KILL", [34] = "PR_MCE_KILL_GET", [35] = "PR_SET_MM",
	[36] = "PR_SET_CHILD_SUBREAPER", [37] = "PR_GET_CHILD_SUBREAPER",
	[38] = "PR_SET_NO_NEW_PRIVS", [39] = "PR_GET_NO_NEW_PRIVS",
	[40] = "PR_GET_TID_ADDRESS", [41] = "PR_SET_THP_DISABLE",
	[42] = "PR_GET_THP_DISABLE", [43] = "PR_MPX_ENABLE_MANAGEMENT",
	[44] = "PR_MPX_DISABLE_MANAGEMENT", [45] = "PR_SET_FP_MODE",
	[46] = "PR_GET_FP_MODE", [47] = "PR_CAP_AMBIENT", [50] = "PR_SVE_SET_VL",
	[51] = "PR_SVE_GET_VL", [52] = "PR_GET_SPECULATION_CTRL",
	[53] = "PR_SET_SPECULATION_CTRL", [54] = "PR_PAC_RESET_KEYS",
	[55] = "PR_SET_TAGGED_ADDR_CTRL", [56] = "PR_GET_TAGGED_ADDR_CTRL",
	[57] = "PR_SET_IO_FLUSHER", [58] = "PR_GET_IO_FLUSHER",
	[59] = "PR_SET_SYSCALL_USER_DISPATCH", [60] = "PR_PAC_SET_ENABLED_KEYS",
	[61] = "PR_PAC_GET_ENABLED_KEYS", [62] = "PR_SCHED_CORE",
	[63] = "PR_SME_SET_VL", [64] = "PR_SME_GET_VL",
};

void fmt_prctl_option(struct obuf *ob, long opt)
{
	const char *n = dense_lookup(prctl_opts, ARRAY_LEN(prctl_opts), opt);
	if (!n && opt == 0x59616d61)
		n = "PR_SET_PTRACER";
	if (!n && opt == 0x53564d41)
		n = "PR_SET_VMA";
	put_xval(ob, n, opt, "PR_???");
}

static const char *const clock_names[] = {
	"CLOCK_REALTIME", "CLOCK_MONOTONIC", "CLOCK_PROCESS_CPUTIME_ID",
	"CLOCK_THREAD_CPUTIME_ID", "CLOCK_MONOTONIC_RAW", "CLOCK_REALTIME_COARSE",
	"CLOCK_MONOTONIC_COARSE", "CLOCK_BOOTTIME", "CLOCK_REALTIME_ALARM",
	"CLOCK_BOOTTIME_ALARM", "CLOCK_SGI_CYCLE", "CLOCK_TAI",
};

void fmt_clockid(struct obuf *ob, long clk)
{
	put_xval(ob, dense_lookup(clock_names, ARRAY_LEN(clock_names), clk), clk,
		 "CLOCK_???");
}

static const char *const rlimit_names[] = {
	"RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK", "RLIMIT_CORE",
	"RLIMIT_RSS", "RLIMIT_NPROC", "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS",
	"RLIMIT_LOCKS", "RLIMIT_SIGPENDING", "RLIMIT_MSGQUEUE", "RLIMIT_NICE",
	"RLIMIT_RTPRIO", "RLIMIT_RTTIME",
};

void fmt_rlimit_res(struct obuf *ob, long res)
{
	put_xval(ob, dense_lookup(rlimit_names, ARRAY_LEN(rlimit_names), res), res,
		 "RLIMIT_???");
}

static const struct xval madv_names[] = {
	{ 0, "MADV_NORMAL" }, { 1, "MADV_RANDOM" }, { 2, "MADV_SEQUENTIAL" },
	{ 3, "MADV_WILLNEED" }, { 4, "MADV_DONTNEED" }, { 8, "MADV_FREE" },
	{ 9, "MADV_REMOVE" }, { 10, "MADV_DONTFORK" }, { 11, "MADV_DOFORK" },
	{ 12, "MADV_MERGEABLE" }, { 13, "MADV_UNMERGEABLE" },
	{ 14, "MADV_HUGEPAGE" }, { 15, "MADV_NOHUGEPAGE" },
	{ 16, "MADV_DONTDUMP" }, { 17, "MADV_DODUMP" },
	{ 18, "MADV_WIPEONFORK" }, { 19, "MADV_KEEPONFORK" },
	{ 20, "MADV_COLD" }, { 21, "MADV_PAGEOUT" },
	{ 22, "MADV_POPULATE_READ" }, { 23, "MADV_POPULATE_WRITE" },
	{ 24, "MADV_DONTNEED_LOCKED" }, { 25, "MADV_COLLAPSE" },
	{ 100, "MADV_HWPOISON" }, { 101, "MADV_SOFT_OFFLINE" },
};

void fmt_madvise(struct obuf *ob, long advice)
{
	put_xval(ob, xlookup(madv_names, ARRAY_LEN(madv_names), advice), advice,
		 "MADV_???");
}

/* ------------------------------------------------------------------ ioctl */

static const struct xval ioctl_names[] = {
	{ 0x1, "FIBMAP" }, { 0x2, "FIGETBSZ" },
	{ 0x5401, "TCGETS" }, { 0x5402, "SNDCTL_TMR_START or TCSETS" },
	{ 0x5403, "SNDCTL_TMR_STOP or TCSETSW" },
	{ 0x5404, "SNDCTL_TMR_CONTINUE or TCSETSF" },
	{ 0x5405, "TCGETA" }, { 0x5406, "TCSETA" }, { 0x5407, "TCSETAW" },
	{ 0x5408, "TCSETAF" }, { 0x5409, "TCSBRK" }, { 0x540a, "TCXONC" },
	{ 0x540b, "TCFLSH" }, { 0x540c, "TIOCEXCL" }, { 0x540d, "TIOCNXCL" },
	{ 0x540e, "TIOCSCTTY" }, { 0x540f, "TIOCGPGRP" }, { 0x5410, "TIOCSPGRP" },
	{ 0x5411, "TIOCOUTQ" }, { 0x5412, "TIOCSTI" }, { 0x5413, "TIOCGWINSZ" },
	{ 0x5414, "TIOCSWINSZ" }, { 0x5415, "TIOCMGET" }, { 0x5416, "TIOCMBIS" },
	{ 0x5417, "TIOCMBIC" }, { 0x5418, "TIOCMSET" }, { 0x5419, "TIOCGSOFTCAR" },
	{ 0x541a, "TIOCSSOFTCAR" }, { 0x541b, "FIONREAD" }, { 0x541c, "TIOCLINUX" },
	{ 0x541d, "TIOCCONS" }, { 0x541e, "TIOCGSERIAL" }, { 0x541f, "TIOCSSERIAL" },
	{ 0x5420, "TIOCPKT" }, { 0x5421, "FIONBIO" }, { 0x5422, "TIOCNOTTY" },
	{ 0x5423, "TIOCSETD" }, { 0x5424, "TIOCGETD" }, { 0x5425, "TCSBRKP" },
	{ 0x5427, "TIOCSBRK" }, { 0x5428, "TIOCCBRK" }, { 0x5429, "TIOCGSID" },
	{ 0x542e, "TIOCGRS485" }, { 0x5432, "TCGETX" }, { 0x5435, "TCSETXW" },
	{ 0x5437, "TIOCVHANGUP" }, { 0x5441, "TIOCGPTPEER" },
	{ 0x5450, "FIONCLEX" }, { 0x5451, "FIOCLEX" }, { 0x5452, "FIOASYNC" },
	{ 0x5453, "TIOCSERCONFIG" }, { 0x5454, "TIOCSERGWILD" },
	{ 0x5455, "TIOCSERSWILD" }, { 0x5456, "TIOCGLCKTRMIOS" },
	{ 0x5457, "TIOCSLCKTRMIOS" }, { 0x5458, "TIOCSERGSTRUCT" },
	{ 0x5459, "TIOCSERGETLSR" }, { 0x545a, "TIOCSERGETMULTI" },
	{ 0x5460, "FIOQSIZE" },
	{ 0x8903, "FIOGETOWN" }, { 0x8904, "SIOCGPGRP" },
	{ 0x8912, "SIOCGIFCONF" }, { 0x8913, "SIOCGIFFLAGS" },
	{ 0x8914, "SIOCSIFFLAGS" }, { 0x8927, "SIOCGIFHWADDR" },
	{ 0x8933, "SIOCGIFINDEX" },
	{ 0x40045431, "TIOCSPTLCK" }, { 0x40045436, "TIOCSIG" },
	{ 0x40049409, "BTRFS_IOC_CLONE or FICLONE" },
	{ 0x40086602, "FS_IOC_SETFLAGS" },
	{ 0x402c542b, "TCSETS2" }, { 0x402c542c, "TCSETSW2" },
	{ 0x402c542d, "TCSETSF2" },
	{ 0x80045200, "RNDGETENTCNT" },
	{ 0x80045430, "TIOCGPTN" }, { 0x80045432, "TIOCGDEV" },
	{ 0x80086601, "FS_IOC_GETFLAGS" }, { 0x802c542a, "TCGETS2" },
	{ 0xc0185879, "FITRIM" },
};

void fmt_ioctl_req(struct obuf *ob, unsigned long req)
{
	static const char *const dirs[] = { "_IOC_NONE", "_IOC_WRITE", "_IOC_READ",
		"_IOC_READ|_IOC_WRITE" };
	unsigned int r = (unsigned int)req;
	const char *n = xlookup(ioctl_names, ARRAY_LEN(ioctl_names), (long)r);

	if (n) {
		obuf_puts(ob, n);
		return;
	}
	obuf_puts(ob, "_IOC(");
	obuf_puts(ob, dirs[(r >> 30) & 3]);
	obuf_puts(ob, ", ");
	obuf_put_hex(ob, (r >> 8) & 0xff);
	obuf_puts(ob, ", ");
	obuf_put_hex(ob, r & 0xff);
	obuf_puts(ob, ", ");
	obuf_put_hex(ob, (r >> 16) & 0x3fff);
	obuf_putc(ob, ')');
}
