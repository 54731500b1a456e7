/* syscall_table.h — the x86_64 system-call table.
 *
 * Names and numbers are generated at build time from <asm/unistd_64.h>
 * (scripts/gen_syscall_table.sh); return kind, argument kinds and strace
 * classes come from the checked-in src/decode/syscalls.tsv. All data is
 * static and read-only; nothing here allocates. */
#ifndef RENACER_SYSCALL_TABLE_H
#define RENACER_SYSCALL_TABLE_H

#include <stdbool.h>
#include <stdint.h>

/* How one argument is decoded and printed. The .tsv spells these in lower
 * case without the AK_ prefix (e.g. "fd", "open_flags"). */
enum arg_kind {
	AK_INT = 0,      /* signed 32-bit decimal */
	AK_LONG,         /* signed 64-bit decimal (offsets, lengths that may be -1) */
	AK_UINT,         /* unsigned decimal (sizes, counts) */
	AK_HEX,          /* unsigned hex 0x... (opaque numbers, ioctl args) */
	AK_PTR,          /* pointer: NULL or 0x... */
	AK_FD,           /* file descriptor; -y appends <path> */
	AK_DIRFD,        /* AT_FDCWD or an fd */
	AK_PATH,         /* NUL-terminated path, read at entry */
	AK_STR,          /* NUL-terminated string, read at entry */
	AK_BUF_IN,       /* bytes the kernel reads; length is the NEXT argument */
	AK_BUF_OUT,      /* bytes the kernel writes; length is the return value; read at exit */
	AK_IOV_IN,       /* struct iovec array the kernel reads; count is the NEXT argument */
	AK_IOV_OUT,      /* struct iovec array the kernel fills; total = return value */
	AK_OPEN_FLAGS,   /* O_RDONLY|O_CLOEXEC... */
	AK_MODE,         /* file mode in octal: 0644 */
	AK_ACCESS_MODE,  /* F_OK or R_OK|W_OK|X_OK */
	AK_AT_FLAGS,     /* AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH|... */
	AK_PROT,         /* PROT_READ|PROT_WRITE... / PROT_NONE */
	AK_MMAP_FLAGS,   /* MAP_PRIVATE|MAP_ANONYMOUS... */
	AK_SIGNAL,       /* signal number: SIGINT */
	AK_CLONE_FLAGS,  /* clone(2) flags: CLONE_VM|...|SIGCHLD */
	AK_ARGV,         /* char *const argv[]: ["ls", "-l"] */
	AK_ENVP,         /* char *const envp[]: 0x7ffc... followed by a vars count comment */
	AK_WHENCE,       /* SEEK_SET... */
	AK_FCNTL_CMD,    /* F_GETFD, F_SETFL... */
	AK_IOCTL_REQ,    /* ioctl request: TCGETS or hex */
	AK_SIGPROCMASK_HOW, /* SIG_BLOCK... */
	AK_SIGSET,       /* pointer to a sigset_t: [INT CHLD] or NULL */
	AK_SOCK_FAMILY,  /* AF_INET... */
	AK_SOCK_TYPE,    /* SOCK_STREAM|SOCK_CLOEXEC... */
	AK_WAIT_OPTIONS, /* WNOHANG|__WALL... */
	AK_FUTEX_OP,     /* FUTEX_WAIT_PRIVATE... */
	AK_ARCH_PRCTL,   /* ARCH_SET_FS... */
	AK_PRCTL_OPTION, /* PR_SET_NAME... */
	AK_CLOCKID,      /* CLOCK_MONOTONIC... */
	AK_RLIMIT_RES,   /* RLIMIT_NOFILE... */
	AK_MADVISE,      /* MADV_DONTNEED... */
	AK_PIPE_FDS,     /* int[2] filled by the kernel: [3, 4] */
	AK_STAT_OUT,     /* struct stat * filled by the kernel */
	AK_TIMESPEC_IN,  /* const struct timespec *: {tv_sec=1, tv_nsec=0} */
	AK_OFF,          /* file offset, signed decimal */
	AK_SIZE,         /* size_t, unsigned decimal */
	AK_PID,          /* pid, signed decimal */
	AK_UID,          /* uid/gid, unsigned decimal (-1 printed as -1) */
	AK_SIGACTION,    /* const struct sigaction * the kernel reads */
	AK_SIGACTION_OUT,/* struct sigaction * the kernel fills (old action) */
	AK_SIGSET_OUT,   /* sigset_t * the kernel fills (old mask) */
	AK_WSTATUS_OUT,  /* int * wait status: [{WIFEXITED(s) && WEXITSTATUS(s) == 0}] */
	AK_FD_OPEN_FLAGS,/* O_CLOEXEC|O_NONBLOCK without an access mode; 0 prints "0" */
	AK_RLIMIT_IN,    /* const struct rlimit64 *: {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY} */
	AK_RLIMIT_OUT,   /* struct rlimit64 * the kernel fills */
	AK_BUF_OUT_HEX,  /* like buf_out, every byte as \xNN (getrandom) */
	AK_GRND_FLAGS,   /* GRND_NONBLOCK|GRND_RANDOM|GRND_INSECURE */
	AK_FACCESSAT2_FLAGS, /* AT_EACCESS|AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH */
	AK_SOCKADDR_IN,  /* const struct sockaddr *, length is the NEXT argument */
	AK_FUTEX_VAL2,   /* futex's 4th argument: a timeout or, for requeue ops, a count */
	AK_COUNT         /* number of kinds; not a kind */
};

/* How the return value prints. */
enum ret_kind {
	RK_INT = 0,   /* signed decimal (the default) */
	RK_HEX,       /* address: 0x7f... (mmap, brk, mremap, shmat) */
	RK_FD,        /* new fd; -y appends <path> */
	RK_OCT,       /* octal (umask) */
	RK_NORETURN,  /* never returns on success: exit, exit_group -> "= ?" */
	RK_PID,       /* a pid (getpid, fork, clone): -Y appends <comm> */
	RK_COUNT
};

/* strace's trace classes (bit flags), as used by -e trace=%CLASS. */
enum trace_class {
	TC_FILE      = 1u << 0,
	TC_PROCESS   = 1u << 1,
	TC_NETWORK   = 1u << 2,
	TC_SIGNAL    = 1u << 3,
	TC_IPC       = 1u << 4,
	TC_DESC      = 1u << 5,
	TC_MEMORY    = 1u << 6,
	TC_CREDS     = 1u << 7,
	TC_CLOCK     = 1u << 8,
	TC_STAT      = 1u << 9,   /* %stat */
	TC_LSTAT     = 1u << 10,  /* %lstat */
	TC_FSTAT     = 1u << 11,  /* %fstat */
	TC_STAT_LIKE = 1u << 12,  /* %%stat */
	TC_STATFS    = 1u << 13,  /* %statfs */
	TC_FSTATFS   = 1u << 14,  /* %fstatfs */
	TC_STATFS_LIKE = 1u << 15, /* %%statfs */
	TC_PURE      = 1u << 16,  /* %pure: always succeed, no args */
};

struct syscall_info {
	const char *name;      /* NULL for a hole in the number space */
	uint8_t nargs;         /* 0..6 */
	uint8_t ret;           /* enum ret_kind */
	uint8_t args[6];       /* enum arg_kind, first nargs used */
	uint32_t classes;      /* enum trace_class bits */
	bool described;        /* false: generated name had no .tsv entry */
};

/* Size of the table: one more than the largest syscall number known. */
extern const unsigned syscall_table_size;
extern const struct syscall_info syscall_table[];

/* Entry for nr, or NULL when nr is out of range or a hole. */
const struct syscall_info *syscall_lookup(long nr);
/* Number for a name, or -1. Linear in the table size; not for hot paths. */
long syscall_by_name(const char *name);
/* Name of a kind as spelled in the .tsv ("fd"), for tests and messages. */
const char *arg_kind_name(enum arg_kind k);

#endif
