/* flags.c — bit-set decoders, strace 6.1 spelling and order.
 *
 * strace's rules, reproduced here:
 *   - known bits are printed in a fixed per-set order, joined with '|';
 *   - leftover bits follow as one hex term: PROT_READ|0x10;
 *   - when no known bit is set, the value is printed as hex with a comment
 *     naming the set: 0x10 /∗ PROT_??? ∗/;
 *   - zero prints as the set's zero name (PROT_NONE, F_OK) or as "0". */
#include "decode_flags.h"

#include <stdbool.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

struct xflag {
	unsigned long val;
	const char *name;
};

/* Print the known bits of *v in table order, clearing them from *v.
 * `first` says whether nothing precedes (so no leading '|'); returns whether
 * anything has been printed in total. */
static bool put_known_bits(struct obuf *ob, const struct xflag *tab, size_t n,
			   unsigned long *v, bool printed)
{
	for (size_t i = 0; i < n; i++) {
		unsigned long f = tab[i].val;
		if (f && (*v & f) == f) {
			if (printed)
				obuf_putc(ob, '|');
			obuf_puts(ob, tab[i].name);
			printed = true;
			*v &= ~f;
		}
	}
	return printed;
}

/* Generic strace printflags: known bits, leftover hex, zero name. */
static void put_flags(struct obuf *ob, const struct xflag *tab, size_t n,
		      unsigned long v, const char *zero, const char *unknown)
{
	if (v == 0) {
		obuf_puts(ob, zero ? zero : "0");
		return;
	}
	bool printed = put_known_bits(ob, tab, n, &v, false);
	if (v) {
		if (printed) {
			obuf_putc(ob, '|');
			obuf_put_hex(ob, v);
		} else {
			obuf_put_hex(ob, v);
			obuf_puts(ob, " /* ");
			obuf_puts(ob, unknown);
			obuf_puts(ob, " */");
		}
	}
}

/* ------------------------------------------------------------ open flags */

static const struct xflag open_flags[] = {
	{ 0100, "O_CREAT" },
	{ 0200, "O_EXCL" },
	{ 0400, "O_NOCTTY" },
	{ 01000, "O_TRUNC" },
	{ 02000, "O_APPEND" },
	{ 04000, "O_NONBLOCK" },
	{ 04010000, "O_SYNC" },     /* __O_SYNC|O_DSYNC: before both parts */
	{ 04000000, "__O_SYNC" },
	{ 010000, "O_DSYNC" },
	{ 040000, "O_DIRECT" },
	{ 0100000, "O_LARGEFILE" }, /* kernel ABI value; glibc x86_64 says 0 */
	{ 0400000, "O_NOFOLLOW" },
	{ 01000000, "O_NOATIME" },
	{ 02000000, "O_CLOEXEC" },
	{ 010000000, "O_PATH" },
	{ 020200000, "O_TMPFILE" }, /* __O_TMPFILE|O_DIRECTORY */
	{ 020000000, "__O_TMPFILE" },
	{ 0200000, "O_DIRECTORY" },
	{ 020000, "FASYNC" },
};

void fmt_open_flags(struct obuf *ob, unsigned long flags)
{
	static const char *const acc[] = { "O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE" };
	unsigned long rest = flags & ~3UL;

	obuf_puts(ob, acc[flags & 3]);
	put_known_bits(ob, open_flags, ARRAY_LEN(open_flags), &rest, true);
	if (rest) {
		obuf_putc(ob, '|');
		obuf_put_hex(ob, rest);
	}
}

/* ----------------------------------------------------------- access mode */

static const struct xflag access_flags[] = {
	{ 4, "R_OK" }, { 2, "W_OK" }, { 1, "X_OK" },
};

void fmt_access_mode(struct obuf *ob, unsigned long mode)
{
	put_flags(ob, access_flags, ARRAY_LEN(access_flags), mode, "F_OK", "?_OK");
}

/* -------------------------------------------------------------- AT_ flags */

static const struct xflag at_flags[] = {
	{ 0x100, "AT_SYMLINK_NOFOLLOW" },
	{ 0x200, "AT_REMOVEDIR" },
	{ 0x400, "AT_SYMLINK_FOLLOW" },
	{ 0x800, "AT_NO_AUTOMOUNT" },
	{ 0x1000, "AT_EMPTY_PATH" },
	{ 0x8000, "AT_RECURSIVE" },
};

void fmt_at_flags(struct obuf *ob, unsigned long flags)
{
	put_flags(ob, at_flags, ARRAY_LEN(at_flags), flags, NULL, "AT_???");
}

static const struct xflag faccessat_flags[] = {
	{ 0x100, "AT_SYMLINK_NOFOLLOW" },
	{ 0x200, "AT_EACCESS" },
	{ 0x1000, "AT_EMPTY_PATH" },
};

void fmt_faccessat2_flags(struct obuf *ob, unsigned long flags)
{
	put_flags(ob, faccessat_flags, ARRAY_LEN(faccessat_flags), flags, NULL, "AT_???");
}

/* ------------------------------------------------------------------ prot */

static const struct xflag prot_flags[] = {
	{ 0x1, "PROT_READ" },
	{ 0x2, "PROT_WRITE" },
	{ 0x4, "PROT_EXEC" },
	{ 0x8, "PROT_SEM" },
	{ 0x01000000, "PROT_GROWSDOWN" },
	{ 0x02000000, "PROT_GROWSUP" },
};

void fmt_prot(struct obuf *ob, unsigned long prot)
{
	put_flags(ob, prot_flags, ARRAY_LEN(prot_flags), prot, "PROT_NONE", "PROT_???");
}

/* ------------------------------------------------------------ mmap flags */

static const struct xflag mmap_flags[] = {
	{ 0x10, "MAP_FIXED" },
	{ 0x20, "MAP_ANONYMOUS" },
	{ 0x40, "MAP_32BIT" },
	{ 0x4000, "MAP_NORESERVE" },
	{ 0x8000, "MAP_POPULATE" },
	{ 0x10000, "MAP_NONBLOCK" },
	{ 0x100, "MAP_GROWSDOWN" },
	{ 0x800, "MAP_DENYWRITE" },
	{ 0x1000, "MAP_EXECUTABLE" },
	{ 0x2000, "MAP_LOCKED" },
	{ 0x20000, "MAP_STACK" },
	{ 0x40000, "MAP_HUGETLB" },
	{ 0x80000, "MAP_SYNC" },
	{ 0x100000, "MAP_FIXED_NOREPLACE" },
};

void fmt_mmap_flags(struct obuf *ob, unsigned long flags)
{
	static const char *const types[] = { "MAP_FILE", "MAP_SHARED", "MAP_PRIVATE",
		"MAP_SHARED_VALIDATE" };
	const unsigned long type_mask = 0xf, huge_shift = 26, huge_mask = 0x3fUL << 26;
	unsigned long type = flags & type_mask;
	unsigned long rest = flags & ~type_mask & ~huge_mask;
	unsigned long huge = (flags & huge_mask) >> huge_shift;

	if (type < ARRAY_LEN(types)) {
		obuf_puts(ob, types[type]);
	} else {
		obuf_put_hex(ob, type);
		obuf_puts(ob, " /* MAP_??? */");
	}
	put_known_bits(ob, mmap_flags, ARRAY_LEN(mmap_flags), &rest, true);
	if (rest) {
		obuf_putc(ob, '|');
		obuf_put_hex(ob, rest);
	}
	if (huge) {
		obuf_putc(ob, '|');
		obuf_put_ulong(ob, huge);
		obuf_puts(ob, "<<MAP_HUGE_SHIFT");
	}
}

/* ----------------------------------------------------------- clone flags */

static const struct xflag clone_flags[] = {
	{ 0x00000100, "CLONE_VM" },
	{ 0x00000200, "CLONE_FS" },
	{ 0x00000400, "CLONE_FILES" },
	{ 0x00000800, "CLONE_SIGHAND" },
	{ 0x00001000, "CLONE_PIDFD" },
	{ 0x00002000, "CLONE_PTRACE" },
	{ 0x00004000, "CLONE_VFORK" },
	{ 0x00008000, "CLONE_PARENT" },
	{ 0x00010000, "CLONE_THREAD" },
	{ 0x00020000, "CLONE_NEWNS" },
	{ 0x00040000, "CLONE_SYSVSEM" },
	{ 0x00080000, "CLONE_SETTLS" },
	{ 0x00100000, "CLONE_PARENT_SETTID" },
	{ 0x00200000, "CLONE_CHILD_CLEARTID" },
	{ 0x00800000, "CLONE_UNTRACED" },
	{ 0x01000000, "CLONE_CHILD_SETTID" },
	{ 0x02000000, "CLONE_NEWCGROUP" },
	{ 0x04000000, "CLONE_NEWUTS" },
	{ 0x08000000, "CLONE_NEWIPC" },
	{ 0x10000000, "CLONE_NEWUSER" },
	{ 0x20000000, "CLONE_NEWPID" },
	{ 0x40000000, "CLONE_NEWNET" },
	{ 0x80000000, "CLONE_IO" },
};

void fmt_clone_flags(struct obuf *ob, unsigned long flags)
{
	unsigned long sig = flags & 0xff;
	unsigned long rest = flags & ~0xffUL;

	if (rest)
		put_flags(ob, clone_flags, ARRAY_LEN(clone_flags), rest, NULL, "CLONE_???");
	if (sig) {
		if (rest)
			obuf_putc(ob, '|');
		fmt_signal(ob, (long)sig);
	}
	if (!rest && !sig)
		obuf_putc(ob, '0');
}

/* ---------------------------------------------------------------- sigset */

static void put_sig_abbrev(struct obuf *ob, unsigned sig)
{
	const char *n = signal_name((long)sig);
	if (n)
		obuf_puts(ob, n + 3); /* drop "SIG" */
	else
		obuf_put_ulong(ob, sig);
}

void fmt_sigset(struct obuf *ob, const unsigned char *set, unsigned long bytes)
{
	unsigned long nbits = bytes * 8, pop = 0;
	bool complement, first = true;

	for (unsigned long i = 0; i < bytes; i++)
		pop += (unsigned long)__builtin_popcount(set[i]);
	/* strace: complement once popcount reaches 2/3 of the bits, counted
	 * per 32-bit word (21 per word): 42 of 64 prints ~[...]. */
	complement = bytes > 0 && pop >= ((bytes + 3) / 4) * 21;

	if (complement)
		obuf_putc(ob, '~');
	obuf_putc(ob, '[');
	for (unsigned long b = 0; b < nbits; b++) {
		bool isset = (set[b / 8] >> (b % 8)) & 1;
		if (isset == complement)
			continue;
		if (!first)
			obuf_putc(ob, ' ');
		first = false;
		put_sig_abbrev(ob, (unsigned)(b + 1));
	}
	obuf_putc(ob, ']');
}

/* ------------------------------------------------------------ sock types */

static const struct xflag sock_type_flags[] = {
	{ 0x80000, "SOCK_CLOEXEC" },
	{ 0x800, "SOCK_NONBLOCK" },
};

void fmt_sock_type(struct obuf *ob, unsigned long type)
{
	static const char *const names[] = { NULL, "SOCK_STREAM", "SOCK_DGRAM",
		"SOCK_RAW", "SOCK_RDM", "SOCK_SEQPACKET", "SOCK_DCCP", NULL, NULL,
		NULL, "SOCK_PACKET" };
	unsigned long base = type & 0xf;
	unsigned long rest = type & ~0xfUL;
	const char *n = base < ARRAY_LEN(names) ? names[base] : NULL;

	if (n) {
		obuf_puts(ob, n);
		if (!rest)
			return;
		obuf_putc(ob, '|');
	} else {
		rest |= base; /* unknown base type joins the leftover bits */
	}
	put_flags(ob, sock_type_flags, ARRAY_LEN(sock_type_flags), rest, NULL, "SOCK_???");
}

/* ---------------------------------------------------------- wait options */

static const struct xflag wait_flags[] = {
	{ 0x1, "WNOHANG" },
	{ 0x4, "WEXITED" }, /* strace lists WEXITED before WSTOPPED */
	{ 0x2, "WSTOPPED" },
	{ 0x8, "WCONTINUED" },
	{ 0x01000000, "WNOWAIT" },
	{ 0x80000000, "__WCLONE" },
	{ 0x40000000, "__WALL" },
	{ 0x20000000, "__WNOTHREAD" },
};

void fmt_wait_options(struct obuf *ob, unsigned long opts)
{
	put_flags(ob, wait_flags, ARRAY_LEN(wait_flags), opts, NULL, "W???");
}

/* -------------------------------------------------------------- fd flags */

static const struct xflag fd_flags[] = {
	{ 0x1, "FD_CLOEXEC" },
};

void fmt_fd_flags(struct obuf *ob, unsigned long flags)
{
	put_flags(ob, fd_flags, ARRAY_LEN(fd_flags), flags, NULL, "FD_???");
}

/* ------------------------------------------------------------ file modes */

void fmt_file_mode_type(struct obuf *ob, unsigned long st_mode)
{
	static const struct xflag types[] = {
		{ 0140000, "S_IFSOCK" }, { 0120000, "S_IFLNK" }, { 0100000, "S_IFREG" },
		{ 0060000, "S_IFBLK" }, { 0040000, "S_IFDIR" }, { 0020000, "S_IFCHR" },
		{ 0010000, "S_IFIFO" },
	};
	static const struct xflag specials[] = {
		{ 04000, "S_ISUID" }, { 02000, "S_ISGID" }, { 01000, "S_ISVTX" },
	};
	unsigned long type = st_mode & 0170000;
	const char *tname = NULL;

	for (size_t i = 0; i < ARRAY_LEN(types); i++)
		if (types[i].val == type)
			tname = types[i].name;
	if (type && !tname) {
		obuf_printf(ob, "%#03lo", st_mode);
		return;
	}
	if (tname) {
		obuf_puts(ob, tname);
		obuf_putc(ob, '|');
	}
	for (size_t i = 0; i < ARRAY_LEN(specials); i++) {
		if (st_mode & specials[i].val) {
			obuf_puts(ob, specials[i].name);
			obuf_putc(ob, '|');
		}
	}
	obuf_printf(ob, "%#03lo", st_mode & 0777);
}
