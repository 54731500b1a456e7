/* decode_flags.h — symbolic names for syscall constants, strace spelling.
 *
 * Each fmt_* appends to an obuf (see obuf.h) and never allocates; each
 * *_name returns a static string or NULL. Unknown bits are printed as a
 * trailing hex term, exactly as strace does: O_RDONLY|0x40000000. */
#ifndef RENACER_DECODE_FLAGS_H
#define RENACER_DECODE_FLAGS_H

#include "obuf.h"

void fmt_open_flags(struct obuf *ob, unsigned long flags);   /* O_RDONLY|O_CLOEXEC */
void fmt_access_mode(struct obuf *ob, unsigned long mode);   /* F_OK, R_OK|X_OK */
void fmt_at_flags(struct obuf *ob, unsigned long flags);     /* AT_SYMLINK_NOFOLLOW, 0 */
void fmt_faccessat2_flags(struct obuf *ob, unsigned long flags); /* faccessat2: AT_SYMLINK_NOFOLLOW|AT_EACCESS|AT_EMPTY_PATH */
void fmt_prot(struct obuf *ob, unsigned long prot);          /* PROT_READ|PROT_EXEC, PROT_NONE */
void fmt_mmap_flags(struct obuf *ob, unsigned long flags);   /* MAP_PRIVATE|MAP_ANONYMOUS */
void fmt_clone_flags(struct obuf *ob, unsigned long flags);  /* CLONE_VM|...|SIGCHLD */
void fmt_signal(struct obuf *ob, long sig);                  /* SIGINT, SIGRTMIN (32), SIGRT_3 (35), 77 */
void fmt_sigset(struct obuf *ob, const unsigned char *set, unsigned long bytes); /* [INT CHLD], [], ~[RTMIN RT_1] */
void fmt_whence(struct obuf *ob, long whence);               /* SEEK_SET */
void fmt_fcntl_cmd(struct obuf *ob, long cmd);               /* F_SETFD */
void fmt_ioctl_req(struct obuf *ob, unsigned long req);      /* TCGETS or 0x5401-style hex */
void fmt_sigprocmask_how(struct obuf *ob, long how);         /* SIG_BLOCK */
void fmt_sock_family(struct obuf *ob, long fam);             /* AF_UNIX */
void fmt_sock_type(struct obuf *ob, unsigned long type);     /* SOCK_STREAM|SOCK_CLOEXEC */
void fmt_wait_options(struct obuf *ob, unsigned long opts);  /* WNOHANG|__WALL, 0 */
void fmt_futex_op(struct obuf *ob, long op);                 /* FUTEX_WAIT_PRIVATE */
void fmt_arch_prctl(struct obuf *ob, long code);             /* ARCH_SET_FS */
void fmt_prctl_option(struct obuf *ob, long opt);            /* PR_SET_NAME */
void fmt_clockid(struct obuf *ob, long clk);                 /* CLOCK_MONOTONIC */
void fmt_rlimit_res(struct obuf *ob, long res);              /* RLIMIT_NOFILE */
void fmt_madvise(struct obuf *ob, long advice);              /* MADV_DONTNEED */
void fmt_file_mode_type(struct obuf *ob, unsigned long st_mode); /* S_IFREG|0644 */
void fmt_fd_flags(struct obuf *ob, unsigned long flags);     /* FD_CLOEXEC (F_SETFD arg) */

/* "SIGSEGV" for 11; NULL when unknown (callers print the number). */
const char *signal_name(long sig);
/* "ENOENT" for 2 (also ERESTARTSYS etc. 512..516); NULL when unknown. */
const char *errno_name(long err);
/* strace's text for an errno: strerror() for ordinary ones, and strace's
 * wording for kernel-internal ones ("To be restarted if SA_RESTART is set"). */
const char *errno_text(long err);
/* Name of si_code for a signal, strace spelling (CLD_EXITED, SI_USER,
 * SEGV_MAPERR, SI_KERNEL, SI_TKILL...); NULL when unknown. */
const char *sicode_name(int signo, int code);

#endif
