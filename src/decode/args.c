/* args.c — per-argument decoding of a syscall, strace spelling. */
#include "decode_args.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "decode_flags.h"
#include "decode_string.h"
#include "fd_detail.h"

#define PATH_LIMIT 4096u
#define ARRAY_LIMIT 32u     /* argv elements and iovecs shown before "..." */
#define ENVP_LIMIT 65536u   /* envp entries counted */

/* The O_TMPFILE bit alone (glibc's __O_TMPFILE may include O_DIRECTORY). */
#define TMPFILE_BIT 020000000

static bool is_out_kind(unsigned k)
{
	return k == AK_BUF_OUT || k == AK_IOV_OUT || k == AK_PIPE_FDS || k == AK_STAT_OUT ||
	       k == AK_SIGACTION_OUT || k == AK_SIGSET_OUT || k == AK_WSTATUS_OUT || k == AK_RLIMIT_OUT ||
	       k == AK_BUF_OUT_HEX;
}

static bool result_failed(long result)
{
	return (unsigned long)result > -4096UL;
}

static void put_ptr(struct obuf *ob, uint64_t v)
{
	if (v == 0)
		obuf_puts(ob, "NULL");
	else
		obuf_put_hex(ob, v);
}

/* Append "<path>" for fd of tid (-y); with all (-yy) sockets as
 * "<PROTO:[...]>" and devices as "<path<char MAJ:MIN>>". */
static void put_fd_path_as(struct obuf *ob, pid_t tid, long fd, bool all)
{
	char link[64], target[PATH_LIMIT];
	snprintf(link, sizeof(link), "/proc/%ld/fd/%ld", (long)tid, fd);
	ssize_t n = readlink(link, target, sizeof(target) - 1);
	if (n <= 0)
		return;
	target[n] = '\0';
	unsigned long ino;
	struct stat st;
	bool dev = false;
	if (all && sscanf(target, "socket:[%lu]", &ino) == 1) {
		obuf_putc(ob, '<');
		if (fd_detail_socket(ob, tid, fd, ino)) {
			obuf_putc(ob, '>');
			return;
		}
		ob->len--; /* the '<': fall back to the link */
	} else if (all && target[0] == '/' && stat(link, &st) == 0 &&
		   (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))) {
		dev = true;
	}
	obuf_putc(ob, '<');
	/* strace escapes only the characters that would break the syntax. */
	for (ssize_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)target[i];
		if (ch == '>' || ch == '\\' || ch < 0x20 || ch >= 0x7f)
			obuf_printf(ob, "\\x%02x", ch);
		else
			obuf_putc(ob, (char)ch);
	}
	if (dev)
		obuf_printf(ob, "<%s %u:%u>", S_ISCHR(st.st_mode) ? "char" : "block",
			    major(st.st_rdev), minor(st.st_rdev));
	obuf_putc(ob, '>');
}


/* Append "<comm>" for pid (-Y); nothing when it is not a live process. */
void put_pid_comm(struct obuf *ob, long pid)
{
	if (pid <= 0)
		return;
	char path[64], comm[64];
	snprintf(path, sizeof(path), "/proc/%ld/comm", pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	ssize_t n = read(fd, comm, sizeof(comm) - 1);
	close(fd);
	if (n <= 0)
		return;
	if (comm[n - 1] == '\n')
		n--;
	obuf_putc(ob, '<');
	for (ssize_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)comm[i];
		if (ch == '>' || ch == '\\' || ch < 0x20 || ch >= 0x7f)
			obuf_printf(ob, "\\x%02x", ch);
		else
			obuf_putc(ob, (char)ch);
	}
	obuf_putc(ob, '>');
}

static void put_fd(const struct decode_call *c, struct obuf *ob, uint64_t v)
{
	long fd = (int)v;
	obuf_put_long(ob, fd);
	if (c->cfg->show_paths && fd >= 0)
		put_fd_path_as(ob, c->tid, fd, c->cfg->fds_all);
}

/* A NUL-terminated string at addr, limited to limit bytes. */
static void put_cstring(const struct decode_call *c, struct obuf *ob, uint64_t addr, size_t limit)
{
	if (addr == 0) {
		obuf_puts(ob, "NULL");
		return;
	}
	char tmp[PATH_LIMIT + 1];
	if (limit > PATH_LIMIT)
		limit = PATH_LIMIT;
	bool complete;
	ssize_t n = mem_read_str(c->mem, c->tid, addr, tmp, limit, &complete);
	if (n < 0) {
		obuf_put_hex(ob, addr);
		return;
	}
	fmt_quoted_hex(ob, (const unsigned char *)tmp, (size_t)n, limit, !complete, (enum hex_style)c->cfg->strings_hex);
}

/* len bytes at addr, quoted, at most the string limit. */
static void put_buffer(const struct decode_call *c, struct obuf *ob, uint64_t addr, uint64_t len)
{
	if (addr == 0) {
		obuf_puts(ob, "NULL");
		return;
	}
	size_t limit = c->cfg->string_limit;
	unsigned char tmp[PATH_LIMIT];
	if (limit > sizeof(tmp))
		limit = sizeof(tmp);
	size_t want = len < limit ? (size_t)len : limit;
	ssize_t n = want ? mem_read(c->mem, c->tid, addr, tmp, want) : 0;
	if (n < 0) {
		obuf_put_hex(ob, addr);
		return;
	}
	fmt_quoted_hex(ob, tmp, (size_t)n, limit, len > (uint64_t)n, (enum hex_style)c->cfg->strings_hex);
}

static void put_iovec(const struct decode_call *c, struct obuf *ob, uint64_t addr, uint64_t count,
		      bool out, long total)
{
	if (addr == 0) {
		obuf_puts(ob, "NULL");
		return;
	}
	obuf_putc(ob, '[');
	uint64_t left = out ? (uint64_t)total : UINT64_MAX;
	for (uint64_t i = 0; i < count; i++) {
		if (i >= ARRAY_LIMIT) {
			obuf_puts(ob, ", ...");
			break;
		}
		struct iovec iov;
		if (mem_read(c->mem, c->tid, addr + i * sizeof(iov), &iov, sizeof(iov)) != (ssize_t)sizeof(iov)) {
			if (i == 0) {
				ob->len--; /* drop '[' */
				ob->buf[ob->len] = '\0';
				obuf_put_hex(ob, addr);
				return;
			}
			obuf_puts(ob, ", ...");
			break;
		}
		if (i)
			obuf_puts(ob, ", ");
		obuf_puts(ob, "{iov_base=");
		uint64_t show = iov.iov_len < left ? iov.iov_len : left;
		put_buffer(c, ob, (uint64_t)(uintptr_t)iov.iov_base, show);
		if (out)
			left -= show;
		obuf_printf(ob, ", iov_len=%zu}", iov.iov_len);
	}
	obuf_putc(ob, ']');
}

static void put_argv(const struct decode_call *c, struct obuf *ob, uint64_t addr)
{
	if (addr == 0) {
		obuf_puts(ob, "NULL");
		return;
	}
	obuf_putc(ob, '[');
	for (unsigned i = 0;; i++) {
		uint64_t p;
		if (mem_read(c->mem, c->tid, addr + i * 8ull, &p, 8) != 8) {
			if (i == 0) {
				ob->len--;
				ob->buf[ob->len] = '\0';
				obuf_put_hex(ob, addr);
				return;
			}
			obuf_puts(ob, ", ...");
			break;
		}
		if (p == 0)
			break;
		if (i >= ARRAY_LIMIT && !c->cfg->verbose) { /* -v: every element */
			obuf_puts(ob, ", ...");
			break;
		}
		if (i)
			obuf_puts(ob, ", ");
		put_cstring(c, ob, p, c->cfg->string_limit);
	}
	obuf_putc(ob, ']');
}

static void put_envp(const struct decode_call *c, struct obuf *ob, uint64_t addr)
{
	if (addr == 0) {
		obuf_puts(ob, "NULL");
		return;
	}
	if (c->cfg->verbose) { /* -v: the variables themselves */
		put_argv(c, ob, addr);
		return;
	}
	unsigned n = 0;
	for (; n < ENVP_LIMIT; n++) {
		uint64_t p;
		if (mem_read(c->mem, c->tid, addr + n * 8ull, &p, 8) != 8 || p == 0)
			break;
	}
	obuf_put_hex(ob, addr);
	obuf_printf(ob, " /* %u var%s */", n, n == 1 ? "" : "s");
}

static void put_sigset(const struct decode_call *c, struct obuf *ob, uint64_t addr)
{
	unsigned char set[8];
	if (addr == 0) {
		obuf_puts(ob, "NULL");
		return;
	}
	if (mem_read(c->mem, c->tid, addr, set, sizeof(set)) != (ssize_t)sizeof(set)) {
		obuf_put_hex(ob, addr);
		return;
	}
	fmt_sigset(ob, set, sizeof(set));
}

static void put_timespec(const struct decode_call *c, struct obuf *ob, uint64_t addr)
{
	struct timespec ts;
	if (addr == 0) {
		obuf_puts(ob, "NULL");
		return;
	}
	if (mem_read(c->mem, c->tid, addr, &ts, sizeof(ts)) != (ssize_t)sizeof(ts)) {
		obuf_put_hex(ob, addr);
		return;
	}
	obuf_printf(ob, "{tv_sec=%lld, tv_nsec=%ld}", (long long)ts.tv_sec, (long)ts.tv_nsec);
}

/* A device number: makedev(0x1, 0x3); -X raw 0x103; -X verbose both. */
static void put_dev(const struct decode_call *c, struct obuf *ob, const char *field, unsigned long long dev)
{
	obuf_puts(ob, field);
	if (c->cfg->xlat)
		obuf_printf(ob, "%#llx", dev);
	if (c->cfg->xlat == 1)
		return;
	obuf_printf(ob, c->cfg->xlat ? " /* makedev(%#x, %#x) */" : "makedev(%#x, %#x)", major(dev), minor(dev));
}

/* -v: a timestamp field and its nanoseconds, strace's way:
 * "st_atime=1796279166" with its ISO time in a comment, then
 * "st_atime_nsec=687513651" (the comment keeps no fraction when it is 0). */
static void put_stat_time(struct obuf *ob, const char *field, struct timespec ts)
{
	obuf_printf(ob, ", %s=%lld", field, (long long)ts.tv_sec);
	struct tm tm;
	time_t t = ts.tv_sec;
	char a[64], z[16];
	if (localtime_r(&t, &tm) && strftime(a, sizeof(a), "%Y-%m-%dT%H:%M:%S", &tm) &&
	    strftime(z, sizeof(z), "%z", &tm)) {
		if (ts.tv_nsec)
			obuf_printf(ob, " /* %s.%09ld%s */", a, (long)ts.tv_nsec, z);
		else
			obuf_printf(ob, " /* %s%s */", a, z);
	}
	obuf_printf(ob, ", %s_nsec=%ld", field, (long)ts.tv_nsec);
}

static void put_stat(const struct decode_call *c, struct obuf *ob, uint64_t addr)
{
	struct stat st;
	if (mem_read(c->mem, c->tid, addr, &st, sizeof(st)) != (ssize_t)sizeof(st)) {
		obuf_put_hex(ob, addr);
		return;
	}
	bool full = c->cfg->verbose; /* -v: every field */
	obuf_puts(ob, "{");
	if (full) {
		put_dev(c, ob, "st_dev=", st.st_dev);
		obuf_printf(ob, ", st_ino=%llu, ", (unsigned long long)st.st_ino);
	}
	obuf_puts(ob, "st_mode=");
	if (c->cfg->xlat) {
		/* -X raw: 0100644; -X verbose: the names in a comment after it */
		obuf_printf(ob, "%#llo", (unsigned long long)st.st_mode);
		if (c->cfg->xlat == 2) {
			obuf_puts(ob, " /* ");
			fmt_file_mode_type(ob, st.st_mode);
			obuf_puts(ob, " */");
		}
	} else {
		fmt_file_mode_type(ob, st.st_mode);
	}
	if (full)
		obuf_printf(ob, ", st_nlink=%lu, st_uid=%u, st_gid=%u, st_blksize=%ld, st_blocks=%lld",
			    (unsigned long)st.st_nlink, (unsigned)st.st_uid, (unsigned)st.st_gid, (long)st.st_blksize,
			    (long long)st.st_blocks);
	if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
		put_dev(c, ob, ", st_rdev=", st.st_rdev);
	else
		obuf_printf(ob, ", st_size=%lld", (long long)st.st_size);
	if (!full) {
		obuf_puts(ob, ", ...}");
		return;
	}
	put_stat_time(ob, "st_atime", st.st_atim);
	put_stat_time(ob, "st_mtime", st.st_mtim);
	put_stat_time(ob, "st_ctime", st.st_ctim);
	obuf_putc(ob, '}');
}

static void put_pipe_fds(const struct decode_call *c, struct obuf *ob, uint64_t addr)
{
	int fds[2];
	if (mem_read(c->mem, c->tid, addr, fds, sizeof(fds)) != (ssize_t)sizeof(fds)) {
		obuf_put_hex(ob, addr);
		return;
	}
	obuf_putc(ob, '[');
	put_fd(c, ob, (uint64_t)fds[0]);
	obuf_puts(ob, ", ");
	put_fd(c, ob, (uint64_t)fds[1]);
	obuf_putc(ob, ']');
}


/* The kernel's struct sigaction on x86_64. */
struct k_sigaction {
	uint64_t handler;
	uint64_t flags;
	uint64_t restorer;
	unsigned char mask[8];
};

static const struct { unsigned long bit; const char *name; } sa_flag_names[] = {
	{ 0x04000000, "SA_RESTORER" }, { 0x08000000, "SA_ONSTACK" }, { 0x10000000, "SA_RESTART" },
	{ 0x40000000, "SA_NODEFER" },  { 0x80000000, "SA_RESETHAND" }, { 0x00000004, "SA_SIGINFO" },
	{ 0x00000001, "SA_NOCLDSTOP" }, { 0x00000002, "SA_NOCLDWAIT" }, { 0x00000400, "SA_UNSUPPORTED" },
	{ 0x00000800, "SA_EXPOSE_TAGBITS" },
};

static void put_sa_flags(struct obuf *ob, uint64_t flags)
{
	bool any = false;
	for (size_t i = 0; i < sizeof(sa_flag_names) / sizeof(sa_flag_names[0]); i++) {
		if (flags & sa_flag_names[i].bit) {
			if (any)
				obuf_putc(ob, '|');
			obuf_puts(ob, sa_flag_names[i].name);
			flags &= ~(uint64_t)sa_flag_names[i].bit;
			any = true;
		}
	}
	if (flags) {
		if (any)
			obuf_putc(ob, '|');
		obuf_put_hex(ob, flags);
	} else if (!any) {
		obuf_putc(ob, '0');
	}
}

static void put_sigaction(const struct decode_call *c, struct obuf *ob, uint64_t addr)
{
	struct k_sigaction sa;
	if (addr == 0) {
		obuf_puts(ob, "NULL");
		return;
	}
	if (mem_read(c->mem, c->tid, addr, &sa, sizeof(sa)) != (ssize_t)sizeof(sa)) {
		obuf_put_hex(ob, addr);
		return;
	}
	obuf_puts(ob, "{sa_handler=");
	if (sa.handler == 0)
		obuf_puts(ob, "SIG_DFL");
	else if (sa.handler == 1)
		obuf_puts(ob, "SIG_IGN");
	else
		obuf_put_hex(ob, sa.handler);
	obuf_puts(ob, ", sa_mask=");
	fmt_sigset(ob, sa.mask, sizeof(sa.mask));
	obuf_puts(ob, ", sa_flags=");
	put_sa_flags(ob, sa.flags);
	if (sa.flags & 0x04000000) {
		obuf_puts(ob, ", sa_restorer=");
		obuf_put_hex(ob, sa.restorer);
	}
	obuf_putc(ob, '}');
}

static void put_wstatus(const struct decode_call *c, struct obuf *ob, uint64_t addr)
{
	int st;
	if (mem_read(c->mem, c->tid, addr, &st, sizeof(st)) != (ssize_t)sizeof(st)) {
		obuf_put_hex(ob, addr);
		return;
	}
	obuf_puts(ob, "[{");
	if (WIFEXITED(st)) {
		obuf_printf(ob, "WIFEXITED(s) && WEXITSTATUS(s) == %d", WEXITSTATUS(st));
	} else if (WIFSIGNALED(st)) {
		obuf_puts(ob, "WIFSIGNALED(s) && WTERMSIG(s) == ");
		fmt_signal(ob, WTERMSIG(st));
		if (WCOREDUMP(st))
			obuf_puts(ob, " && WCOREDUMP(s)");
	} else if (WIFSTOPPED(st)) {
		obuf_puts(ob, "WIFSTOPPED(s) && WSTOPSIG(s) == ");
		fmt_signal(ob, WSTOPSIG(st));
	} else if (WIFCONTINUED(st)) {
		obuf_puts(ob, "WIFCONTINUED(s)");
	} else {
		obuf_put_hex(ob, (unsigned)st);
	}
	obuf_puts(ob, "}]");
}

static void put_rlim_value(struct obuf *ob, uint64_t v)
{
	if (v == UINT64_MAX)
		obuf_puts(ob, "RLIM64_INFINITY");
	else if (v > 0 && v % 1024 == 0)
		obuf_printf(ob, "%llu*1024", (unsigned long long)(v / 1024));
	else
		obuf_printf(ob, "%llu", (unsigned long long)v);
}

static void put_rlimit(const struct decode_call *c, struct obuf *ob, uint64_t addr)
{
	uint64_t lim[2];
	if (addr == 0) {
		obuf_puts(ob, "NULL");
		return;
	}
	if (mem_read(c->mem, c->tid, addr, lim, sizeof(lim)) != (ssize_t)sizeof(lim)) {
		obuf_put_hex(ob, addr);
		return;
	}
	obuf_puts(ob, "{rlim_cur=");
	put_rlim_value(ob, lim[0]);
	obuf_puts(ob, ", rlim_max=");
	put_rlim_value(ob, lim[1]);
	obuf_putc(ob, '}');
}

/* Every byte as \xNN, as strace prints random data. */
static void put_hex_buffer(const struct decode_call *c, struct obuf *ob, uint64_t addr, uint64_t len)
{
	unsigned char tmp[PATH_LIMIT];
	size_t limit = c->cfg->string_limit < sizeof(tmp) ? c->cfg->string_limit : sizeof(tmp);
	size_t want = len < limit ? (size_t)len : limit;
	ssize_t n = want ? mem_read(c->mem, c->tid, addr, tmp, want) : 0;
	if (n < 0) {
		obuf_put_hex(ob, addr);
		return;
	}
	obuf_putc(ob, '"');
	for (ssize_t i = 0; i < n; i++)
		obuf_printf(ob, "\\x%02x", tmp[i]);
	obuf_putc(ob, '"');
	if (len > (uint64_t)n)
		obuf_puts(ob, "...");
}

static void put_grnd_flags(struct obuf *ob, uint64_t flags)
{
	static const char *const names[] = { "GRND_NONBLOCK", "GRND_RANDOM", "GRND_INSECURE" };
	bool any = false;
	for (unsigned i = 0; i < 3; i++) {
		if (flags & (1u << i)) {
			if (any)
				obuf_putc(ob, '|');
			obuf_puts(ob, names[i]);
			any = true;
		}
	}
	flags &= ~7ull;
	if (flags) {
		if (any)
			obuf_putc(ob, '|');
		obuf_put_hex(ob, flags);
	} else if (!any) {
		obuf_putc(ob, '0');
	}
}

/* O_ flags that carry no access mode (pipe2, dup3): 0 prints as "0". */
static void put_fd_open_flags(struct obuf *ob, uint64_t flags)
{
	if (flags == 0) {
		obuf_putc(ob, '0');
		return;
	}
	/* fmt_open_flags prints the access mode first; it is 0 (O_RDONLY)
	 * here and strace leaves it out. */
	char tmp[256];
	struct obuf t;
	obuf_init(&t, tmp, sizeof(tmp));
	fmt_open_flags(&t, (unsigned)flags);
	const char *p = tmp;
	if (!strncmp(p, "O_RDONLY|", 9))
		p += 9;
	obuf_puts(ob, p);
}

static void put_sockaddr(const struct decode_call *c, struct obuf *ob, uint64_t addr, uint64_t len)
{
	struct sockaddr_storage ss;
	if (addr == 0) {
		obuf_puts(ob, "NULL");
		return;
	}
	size_t want = len < sizeof(ss) ? (size_t)len : sizeof(ss);
	memset(&ss, 0, sizeof(ss));
	if (want < sizeof(sa_family_t) || mem_read(c->mem, c->tid, addr, &ss, want) != (ssize_t)want) {
		obuf_put_hex(ob, addr);
		return;
	}
	obuf_puts(ob, "{sa_family=");
	fmt_sock_family(ob, ss.ss_family);
	if (ss.ss_family == AF_UNIX) {
		const struct sockaddr_un *un = (const struct sockaddr_un *)&ss;
		size_t plen = want - offsetof(struct sockaddr_un, sun_path);
		obuf_puts(ob, ", sun_path=");
		if (plen > 0 && un->sun_path[0] == '\0') {
			obuf_putc(ob, '@');
			fmt_quoted(ob, (const unsigned char *)un->sun_path + 1, plen - 1, PATH_LIMIT, false);
		} else {
			fmt_quoted(ob, (const unsigned char *)un->sun_path, strnlen(un->sun_path, plen), PATH_LIMIT,
				   false);
		}
	} else if (ss.ss_family == AF_INET && want >= sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)&ss;
		char a[INET_ADDRSTRLEN];
		inet_ntop(AF_INET, &in->sin_addr, a, sizeof(a));
		obuf_printf(ob, ", sin_port=htons(%u), sin_addr=inet_addr(\"%s\")", ntohs(in->sin_port), a);
	} else if (ss.ss_family == AF_INET6 && want >= sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)&ss;
		char a[INET6_ADDRSTRLEN];
		inet_ntop(AF_INET6, &in6->sin6_addr, a, sizeof(a));
		obuf_printf(ob, ", sin6_port=htons(%u), sin6_flowinfo=htonl(%u), inet_pton(AF_INET6, \"%s\", &sin6_addr), sin6_scope_id=%u",
			    ntohs(in6->sin6_port), ntohl(in6->sin6_flowinfo), a, in6->sin6_scope_id);
	} else {
		obuf_puts(ob, ", ...");
	}
	obuf_putc(ob, '}');
}

static bool futex_arg4_is_timeout(uint64_t op)
{
	unsigned cmd = (unsigned)op & 127;
	return cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET || cmd == FUTEX_LOCK_PI ||
	       cmd == FUTEX_WAIT_REQUEUE_PI || cmd == 13 /* FUTEX_LOCK_PI2 */;
}

static void decode_one_abbrev(const struct decode_call *c, struct obuf *ob, int i, bool failed, long result);

/* -X raw / -X verbose: how a constant or flags argument prints as a
 * number: 'x' hex (flags), 'd' decimal (codes), 0 not a constant. */
static char xlat_numeric(unsigned kind, uint64_t v)
{
	switch (kind) {
	case AK_OPEN_FLAGS: case AK_AT_FLAGS: case AK_PROT: case AK_MMAP_FLAGS: case AK_CLONE_FLAGS:
	case AK_SOCK_TYPE: case AK_WAIT_OPTIONS: case AK_IOCTL_REQ: case AK_ACCESS_MODE: case AK_FUTEX_OP:
	case AK_ARCH_PRCTL: case AK_WHENCE: case AK_FCNTL_CMD: case AK_SIGPROCMASK_HOW: case AK_SOCK_FAMILY:
	case AK_PRCTL_OPTION: case AK_CLOCKID: case AK_RLIMIT_RES: case AK_MADVISE:
		return 'x';
	case AK_SIGNAL: /* strace prints signals in decimal */
		return 'd';
	case AK_DIRFD:
		return (int)v == AT_FDCWD ? 'd' : 0;
	default:
		return 0;
	}
}

static void decode_one(const struct decode_call *c, struct obuf *ob, int i, bool failed, long result)
{
	unsigned kind = c->info ? c->info->args[i] : AK_HEX;
	char num = c->cfg->xlat ? xlat_numeric(kind, c->args[i]) : 0;
	if (!num) {
		decode_one_abbrev(c, ob, i, failed, result);
		return;
	}
	uint64_t v = c->args[i];
	char nb[32];
	if (num == 'd')
		snprintf(nb, sizeof(nb), "%d", (int)v);
	else if (kind == AK_PROT || kind == AK_MMAP_FLAGS || kind == AK_CLONE_FLAGS)
		snprintf(nb, sizeof(nb), v ? "%#llx" : "0", (unsigned long long)v);
	else /* 32-bit constants */
		snprintf(nb, sizeof(nb), (unsigned)v ? "%#x" : "0", (unsigned)v);
	obuf_puts(ob, nb);
	if (c->cfg->xlat != 2)
		return;
	/* verbose: the names too, when they say more than the number */
	char sym[512];
	struct obuf so;
	obuf_init(&so, sym, sizeof(sym) - 1);
	decode_one_abbrev(c, &so, i, failed, result);
	if (so.overflow || so.len == 0)
		return;
	sym[so.len] = '\0';
	if (strcmp(sym, nb) != 0)
		obuf_printf(ob, " /* %s */", sym);
}

static void decode_one_abbrev(const struct decode_call *c, struct obuf *ob, int i, bool failed, long result)
{
	uint64_t v = c->args[i];
	unsigned kind = c->info ? c->info->args[i] : AK_HEX;
	/* What the kernel did not fill (failed call, NULL) prints as a pointer. */
	if (is_out_kind(kind) && (failed || v == 0)) {
		put_ptr(ob, v);
		return;
	}
	switch (kind) {
	case AK_INT: obuf_put_long(ob, (int)v); break;
	case AK_LONG:
	case AK_OFF: obuf_put_long(ob, (long)v); break;
	case AK_UINT: obuf_put_ulong(ob, (unsigned)v); break;
	case AK_SIZE: obuf_put_ulong(ob, (unsigned long)v); break;
	case AK_PID:
		obuf_put_long(ob, (int)v);
		if (c->cfg->show_comm)
			put_pid_comm(ob, (int)v);
		break;
	case AK_UID:
		if ((unsigned)v == (unsigned)-1)
			obuf_puts(ob, "-1");
		else
			obuf_put_ulong(ob, (unsigned)v);
		break;
	case AK_HEX: obuf_put_hex(ob, v); break;
	case AK_PTR: put_ptr(ob, v); break;
	case AK_FD: put_fd(c, ob, v); break;
	case AK_DIRFD:
		if ((int)v == AT_FDCWD)
			obuf_puts(ob, "AT_FDCWD");
		else
			put_fd(c, ob, v);
		break;
	case AK_PATH: put_cstring(c, ob, v, PATH_LIMIT); break;
	case AK_STR: put_cstring(c, ob, v, c->cfg->string_limit); break;
	case AK_BUF_IN: put_buffer(c, ob, v, i + 1 < 6 ? c->args[i + 1] : 0); break;
	case AK_BUF_OUT: put_buffer(c, ob, v, (uint64_t)result); break;
	case AK_IOV_IN: put_iovec(c, ob, v, i + 1 < 6 ? c->args[i + 1] : 0, false, 0); break;
	case AK_IOV_OUT: put_iovec(c, ob, v, i + 1 < 6 ? c->args[i + 1] : 0, true, result); break;
	case AK_OPEN_FLAGS: fmt_open_flags(ob, (unsigned)v); break;
	case AK_MODE: obuf_put_oct(ob, (unsigned)v); break;
	case AK_ACCESS_MODE: fmt_access_mode(ob, (unsigned)v); break;
	case AK_AT_FLAGS: fmt_at_flags(ob, (unsigned)v); break;
	case AK_PROT: fmt_prot(ob, v); break;
	case AK_MMAP_FLAGS: fmt_mmap_flags(ob, v); break;
	case AK_SIGNAL: fmt_signal(ob, (int)v); break;
	case AK_CLONE_FLAGS: fmt_clone_flags(ob, v); break;
	case AK_ARGV: put_argv(c, ob, v); break;
	case AK_ENVP: put_envp(c, ob, v); break;
	case AK_WHENCE: fmt_whence(ob, (int)v); break;
	case AK_FCNTL_CMD: fmt_fcntl_cmd(ob, (int)v); break;
	case AK_IOCTL_REQ: fmt_ioctl_req(ob, (unsigned)v); break;
	case AK_SIGPROCMASK_HOW: fmt_sigprocmask_how(ob, (int)v); break;
	case AK_SIGSET: put_sigset(c, ob, v); break;
	case AK_SOCK_FAMILY: fmt_sock_family(ob, (int)v); break;
	case AK_SOCK_TYPE: fmt_sock_type(ob, (unsigned)v); break;
	case AK_WAIT_OPTIONS: fmt_wait_options(ob, (unsigned)v); break;
	case AK_FUTEX_OP: fmt_futex_op(ob, (int)v); break;
	case AK_ARCH_PRCTL: fmt_arch_prctl(ob, (int)v); break;
	case AK_PRCTL_OPTION: fmt_prctl_option(ob, (int)v); break;
	case AK_CLOCKID: fmt_clockid(ob, (int)v); break;
	case AK_RLIMIT_RES: fmt_rlimit_res(ob, (int)v); break;
	case AK_MADVISE: fmt_madvise(ob, (int)v); break;
	case AK_PIPE_FDS: put_pipe_fds(c, ob, v); break;
	case AK_STAT_OUT: put_stat(c, ob, v); break;
	case AK_TIMESPEC_IN: put_timespec(c, ob, v); break;
	case AK_SIGACTION: put_sigaction(c, ob, v); break;
	case AK_SIGACTION_OUT: put_sigaction(c, ob, v); break;
	case AK_SIGSET_OUT: put_sigset(c, ob, v); break;
	case AK_WSTATUS_OUT: /* no child reaped (WNOHANG): nothing written */
		if (result <= 0)
			put_ptr(ob, v);
		else
			put_wstatus(c, ob, v);
		break;
	case AK_FD_OPEN_FLAGS: put_fd_open_flags(ob, v); break;
	case AK_RLIMIT_IN: put_rlimit(c, ob, v); break;
	case AK_RLIMIT_OUT: put_rlimit(c, ob, v); break;
	case AK_BUF_OUT_HEX: put_hex_buffer(c, ob, v, (uint64_t)result); break;
	case AK_GRND_FLAGS: put_grnd_flags(ob, v); break;
	case AK_FACCESSAT2_FLAGS: fmt_faccessat2_flags(ob, (unsigned)v); break;
	case AK_SOCKADDR_IN: put_sockaddr(c, ob, v, i + 1 < 6 ? c->args[i + 1] : 0); break;
	case AK_FUTEX_VAL2:
		if (futex_arg4_is_timeout(c->args[1]))
			put_timespec(c, ob, v);
		else
			obuf_put_long(ob, (int)v);
		break;
	default: obuf_put_hex(ob, v); break;
	}
}

/* Which raw arguments strace prints, in its order: open()'s mode only
 * with O_CREAT or O_TMPFILE, futex() as many as the operation uses,
 * clone() with the stack first and only the pointers its flags use. */
static int shown_args(const struct decode_call *c, int8_t show[6])
{
	int n = c->info ? c->info->nargs : 6;
	for (int i = 0; i < 6; i++)
		show[i] = (int8_t)i;
	if (!c->info)
		return n;
	for (int i = 1; i < n; i++) {
		if (c->info->args[i] == AK_MODE && c->info->args[i - 1] == AK_OPEN_FLAGS &&
		    !(c->args[i - 1] & (O_CREAT | TMPFILE_BIT)))
			return i;
	}
	if (c->nr == SYS_futex) {
		switch ((unsigned)c->args[1] & 127) {
		case FUTEX_WAKE:
		case FUTEX_FD:
			return 3;
		case FUTEX_UNLOCK_PI:
		case FUTEX_TRYLOCK_PI:
			return 2;
		case FUTEX_WAIT:
		case FUTEX_LOCK_PI:
		case 13: /* FUTEX_LOCK_PI2 */
			return 4;
		case FUTEX_REQUEUE:
		case FUTEX_WAIT_REQUEUE_PI:
			return 5;
		case FUTEX_WAIT_BITSET:
			show[4] = 5;
			return 5;
		case FUTEX_WAKE_BITSET:
			show[3] = 5;
			return 4;
		default:
			return 6;
		}
	}
	if (c->nr == SYS_clone) {
		uint64_t f = c->args[0];
		int k = 0;
		show[k++] = 1;
		show[k++] = 0;
		if (f & CLONE_PARENT_SETTID)
			show[k++] = 2;
		if (f & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID))
			show[k++] = 3;
		if (f & CLONE_SETTLS)
			show[k++] = 4;
		return k;
	}
	return n;
}

/* strace names clone()'s arguments. */
static const char *arg_label(const struct decode_call *c, int i)
{
	static const char *const clone_labels[] = { "flags=", "child_stack=", "parent_tid=", "child_tidptr=",
						    "tls=" };
	if (c->nr == SYS_clone && i < 5)
		return clone_labels[i];
	return NULL;
}

static void store_arg(const struct decode_call *c, struct argtext *at, int i, bool failed, long result)
{
	struct obuf *ob = &at->ob;
	at->off[i] = (int32_t)ob->len;
	const char *label = arg_label(c, i);
	if (label)
		obuf_puts(ob, label);
	decode_one(c, ob, i, failed, result);
	obuf_putc(ob, '\0');
	if (ob->overflow) /* keep the text well-formed even when clipped */
		ob->buf[ob->cap - 1] = '\0';
}

void decode_entry(const struct decode_call *c, struct argtext *at)
{
	obuf_init(&at->ob, at->buf, sizeof(at->buf));
	at->nshown = shown_args(c, at->show);
	at->ret[0] = '\0';
	for (int i = 0; i < 6; i++)
		at->off[i] = -1;
	for (int k = 0; k < at->nshown; k++) {
		int i = at->show[k];
		unsigned kind = c->info ? c->info->args[i] : AK_HEX;
		if (!is_out_kind(kind))
			store_arg(c, at, i, false, 0);
	}
}

void decode_exit(const struct decode_call *c, struct argtext *at, bool finished, long result)
{
	bool failed = finished && result_failed(result);
	for (int k = 0; k < at->nshown; k++) {
		int i = at->show[k];
		if (at->off[i] >= 0)
			continue;
		if (!finished) {
			struct obuf *ob = &at->ob;
			at->off[i] = (int32_t)ob->len;
			put_ptr(ob, c->args[i]);
			obuf_putc(ob, '\0');
			continue;
		}
		store_arg(c, at, i, failed, result);
	}

	struct obuf rb;
	obuf_init(&rb, at->ret, sizeof(at->ret));
	if (!finished) {
		obuf_putc(&rb, '?');
		return;
	}
	if (failed) {
		long e = -result;
		const char *name = errno_name(e);
		/* Kernel-internal restart codes never reach the program: "?" */
		obuf_puts(&rb, e >= 512 && e < 530 ? "? " : "-1 ");
		if (name)
			obuf_puts(&rb, name);
		else
			obuf_printf(&rb, "errno %ld", e);
		obuf_printf(&rb, " (%s)", errno_text(e));
		return;
	}
	unsigned rk = c->info ? c->info->ret : RK_INT;
	switch (rk) {
	case RK_HEX: obuf_put_hex(&rb, (unsigned long)result); break;
	case RK_OCT: obuf_put_oct(&rb, (unsigned long)result); break;
	case RK_FD:
		obuf_put_long(&rb, result);
		if (c->cfg->show_paths && result >= 0)
			put_fd_path_as(&rb, c->tid, result, c->cfg->fds_all);
		break;
	case RK_PID:
		obuf_put_long(&rb, result);
		if (c->cfg->show_comm)
			put_pid_comm(&rb, result);
		break;
	default: obuf_put_long(&rb, result); break;
	}
}
