/* args.c — per-argument decoding of a syscall, strace spelling. */
#include "decode_args.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "decode_flags.h"
#include "decode_string.h"

#define PATH_LIMIT 4096u
#define ARRAY_LIMIT 32u     /* argv elements and iovecs shown before "..." */
#define ENVP_LIMIT 65536u   /* envp entries counted */

#ifndef __O_TMPFILE
#define __O_TMPFILE 020000000
#endif

static bool is_out_kind(unsigned k)
{
	return k == AK_BUF_OUT || k == AK_IOV_OUT || k == AK_PIPE_FDS || k == AK_STAT_OUT;
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

/* Append "<path>" for fd of tid (-y). */
static void put_fd_path(struct obuf *ob, pid_t tid, long fd)
{
	char link[64], target[PATH_LIMIT];
	snprintf(link, sizeof(link), "/proc/%ld/fd/%ld", (long)tid, fd);
	ssize_t n = readlink(link, target, sizeof(target) - 1);
	if (n <= 0)
		return;
	target[n] = '\0';
	obuf_putc(ob, '<');
	/* strace escapes only the characters that would break the syntax. */
	for (ssize_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)target[i];
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
		put_fd_path(ob, c->tid, fd);
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
	ssize_t n = tmem_read_str(c->mem, c->tid, addr, tmp, limit, &complete);
	if (n < 0) {
		obuf_put_hex(ob, addr);
		return;
	}
	fmt_quoted(ob, (const unsigned char *)tmp, (size_t)n, limit, !complete);
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
	ssize_t n = want ? tmem_read(c->mem, c->tid, addr, tmp, want) : 0;
	if (n < 0) {
		obuf_put_hex(ob, addr);
		return;
	}
	fmt_quoted(ob, tmp, (size_t)n, limit, len > (uint64_t)n);
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
		if (tmem_read(c->mem, c->tid, addr + i * sizeof(iov), &iov, sizeof(iov)) != (ssize_t)sizeof(iov)) {
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
		if (tmem_read(c->mem, c->tid, addr + i * 8ull, &p, 8) != 8) {
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
		if (i >= ARRAY_LIMIT) {
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
	unsigned n = 0;
	for (; n < ENVP_LIMIT; n++) {
		uint64_t p;
		if (tmem_read(c->mem, c->tid, addr + n * 8ull, &p, 8) != 8 || p == 0)
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
	if (tmem_read(c->mem, c->tid, addr, set, sizeof(set)) != (ssize_t)sizeof(set)) {
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
	if (tmem_read(c->mem, c->tid, addr, &ts, sizeof(ts)) != (ssize_t)sizeof(ts)) {
		obuf_put_hex(ob, addr);
		return;
	}
	obuf_printf(ob, "{tv_sec=%lld, tv_nsec=%ld}", (long long)ts.tv_sec, (long)ts.tv_nsec);
}

static void put_stat(const struct decode_call *c, struct obuf *ob, uint64_t addr)
{
	struct stat st;
	if (tmem_read(c->mem, c->tid, addr, &st, sizeof(st)) != (ssize_t)sizeof(st)) {
		obuf_put_hex(ob, addr);
		return;
	}
	obuf_puts(ob, "{st_mode=");
	fmt_file_mode_type(ob, st.st_mode);
	if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
		obuf_printf(ob, ", st_rdev=makedev(%#x, %#x)", major(st.st_rdev), minor(st.st_rdev));
	else
		obuf_printf(ob, ", st_size=%lld", (long long)st.st_size);
	obuf_puts(ob, ", ...}");
}

static void put_pipe_fds(const struct decode_call *c, struct obuf *ob, uint64_t addr)
{
	int fds[2];
	if (tmem_read(c->mem, c->tid, addr, fds, sizeof(fds)) != (ssize_t)sizeof(fds)) {
		obuf_put_hex(ob, addr);
		return;
	}
	obuf_putc(ob, '[');
	put_fd(c, ob, (uint64_t)fds[0]);
	obuf_puts(ob, ", ");
	put_fd(c, ob, (uint64_t)fds[1]);
	obuf_putc(ob, ']');
}

static void decode_one(const struct decode_call *c, struct obuf *ob, int i, bool failed, long result)
{
	uint64_t v = c->args[i];
	unsigned kind = c->info ? c->info->args[i] : AK_HEX;
	switch (kind) {
	case AK_INT: obuf_put_long(ob, (int)v); break;
	case AK_LONG:
	case AK_OFF: obuf_put_long(ob, (long)v); break;
	case AK_UINT: obuf_put_ulong(ob, (unsigned)v); break;
	case AK_SIZE: obuf_put_ulong(ob, (unsigned long)v); break;
	case AK_PID: obuf_put_long(ob, (int)v); break;
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
	case AK_BUF_OUT:
		if (failed)
			put_ptr(ob, v);
		else
			put_buffer(c, ob, v, (uint64_t)result);
		break;
	case AK_IOV_IN: put_iovec(c, ob, v, i + 1 < 6 ? c->args[i + 1] : 0, false, 0); break;
	case AK_IOV_OUT:
		if (failed)
			put_ptr(ob, v);
		else
			put_iovec(c, ob, v, i + 1 < 6 ? c->args[i + 1] : 0, true, result);
		break;
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
	case AK_PIPE_FDS:
		if (failed)
			put_ptr(ob, v);
		else
			put_pipe_fds(c, ob, v);
		break;
	case AK_STAT_OUT:
		if (failed || v == 0)
			put_ptr(ob, v);
		else
			put_stat(c, ob, v);
		break;
	case AK_TIMESPEC_IN: put_timespec(c, ob, v); break;
	default: obuf_put_hex(ob, v); break;
	}
}

/* How many arguments strace shows: open()'s mode only with O_CREAT or
 * O_TMPFILE. */
static int shown_args(const struct decode_call *c)
{
	if (!c->info)
		return 6;
	int n = c->info->nargs;
	for (int i = 1; i < n; i++) {
		if (c->info->args[i] == AK_MODE && c->info->args[i - 1] == AK_OPEN_FLAGS &&
		    !(c->args[i - 1] & (O_CREAT | __O_TMPFILE)))
			return i;
	}
	return n;
}

static void store_arg(const struct decode_call *c, struct argtext *at, int i, bool failed, long result)
{
	struct obuf *ob = &at->ob;
	at->off[i] = (int32_t)ob->len;
	decode_one(c, ob, i, failed, result);
	obuf_putc(ob, '\0');
	if (ob->overflow) /* keep the text well-formed even when clipped */
		ob->buf[ob->cap - 1] = '\0';
}

void decode_entry(const struct decode_call *c, struct argtext *at)
{
	obuf_init(&at->ob, at->buf, sizeof(at->buf));
	at->nshown = shown_args(c);
	at->ret[0] = '\0';
	for (int i = 0; i < 6; i++)
		at->off[i] = -1;
	for (int i = 0; i < at->nshown; i++) {
		unsigned kind = c->info ? c->info->args[i] : AK_HEX;
		if (!is_out_kind(kind))
			store_arg(c, at, i, false, 0);
	}
}

void decode_exit(const struct decode_call *c, struct argtext *at, bool finished, long result)
{
	bool failed = finished && result_failed(result);
	for (int i = 0; i < at->nshown; i++) {
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
			put_fd_path(&rb, c->tid, result);
		break;
	default: obuf_put_long(&rb, result); break;
	}
}
