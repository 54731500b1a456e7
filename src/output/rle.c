/* rle.c — the run identity of --compress=rle (see src/output/rle.h). */
#include "rle.h"

#include <stdlib.h>
#include <string.h>

#include "source.h"
#include "syscall_table.h"
#include "vec.h"

/* Calls whose repetition the analyzer tracks (memory, processes, the fd
 * table): never merged. */
static const char *const never_merged[] = {
	/* memory */
	"mmap", "munmap", "mremap", "brk", "mprotect", "madvise", "shmat", "shmdt",
	/* process lifecycle */
	"fork", "vfork", "clone", "clone3", "execve", "execveat", "exit", "exit_group", "wait4", "waitid",
	"kill", "tkill", "tgkill",
	/* the fd table */
	"open", "openat", "openat2", "creat", "close", "close_range", "dup", "dup2", "dup3", "fcntl", "socket",
	"socketpair", "accept", "accept4", "pipe", "pipe2", "eventfd", "eventfd2", "signalfd", "signalfd4",
	"timerfd_create", "epoll_create", "epoll_create1", "inotify_init", "inotify_init1", "memfd_create",
	"pidfd_open", "userfaultfd", "perf_event_open", "fanotify_init", "io_uring_setup",
	NULL,
};

/* By syscall number (the x86_64 table ends well below RLE_TAB): 1 =
 * mergeable, 0 = never. Numbers past the table are never merged. */
#define RLE_TAB 1024u
static unsigned char merge_tab[RLE_TAB];
static unsigned merge_n;
static bool merge_built;
static long ioctl_nr = -1;

static void build_table(void)
{
	merge_n = syscall_table_size < RLE_TAB ? syscall_table_size : RLE_TAB;
	for (unsigned nr = 0; nr < merge_n; nr++) {
		const struct syscall_info *si = syscall_lookup((long)nr);
		bool ok = si && si->name && si->ret != RK_FD && si->ret != RK_NORETURN;
		for (const char *const *n = never_merged; ok && *n; n++)
			if (!strcmp(si->name, *n))
				ok = false;
		merge_tab[nr] = ok;
	}
	ioctl_nr = syscall_by_name("ioctl");
	merge_built = true;
}

bool rle_mergeable(long nr)
{
	if (!merge_built)
		build_table();
	return nr >= 0 && (unsigned long)nr < merge_n && merge_tab[nr];
}

bool rle_event_mergeable(const struct event *ev)
{
	return ev->finished && ev->rle_count <= 1 && rle_mergeable(ev->nr);
}

int rle_result_class(const struct event *ev)
{
	if (ev->err)
		return ev->err;
	return ev->result < 0 ? -1 : ev->result > 0 ? 1 : 0;
}

static uint64_t fd_arg(const struct event *ev)
{
	const struct syscall_info *si = syscall_lookup(ev->nr);
	if (si && si->nargs > 0 && (si->args[0] == AK_FD || si->args[0] == AK_DIRFD))
		return ev->raw_args[0];
	return 0;
}

static uint64_t request_arg(const struct event *ev)
{
	if (!merge_built)
		build_table();
	return ev->nr == ioctl_nr ? ev->raw_args[1] : 0;
}

static const char *src_file(const struct event *ev, bool with_source)
{
	return with_source && ev->source && ev->source->file ? ev->source->file : NULL;
}

bool rle_key_set(struct rle_key *k, const struct event *ev, bool with_source)
{
	k->pid = ev->pid;
	k->tid = ev->tid;
	k->nr = ev->nr;
	k->fd = fd_arg(ev);
	k->request = request_arg(ev);
	k->rclass = rle_result_class(ev);
	k->ip = ev->ip;
	const char *f = src_file(ev, with_source);
	k->has_src = f != NULL;
	k->line = f ? ev->source->line : 0;
	if (!f)
		return true;
	size_t n = strlen(f) + 1;
	if (!vec_grow(&k->file, &k->file_cap, n, 1)) {
		rle_key_free(k); /* file NULL: the key matches nothing */
		return false;
	}
	memcpy(k->file, f, n);
	return true;
}

bool rle_key_match(const struct rle_key *k, const struct event *ev, bool with_source)
{
	if (ev->tid != k->tid || ev->pid != k->pid || ev->nr != k->nr || ev->ip != k->ip ||
	    rle_result_class(ev) != k->rclass || fd_arg(ev) != k->fd || request_arg(ev) != k->request)
		return false;
	const char *f = src_file(ev, with_source);
	if ((f != NULL) != k->has_src)
		return false;
	return !f || (k->file && ev->source->line == k->line && !strcmp(f, k->file));
}

void rle_key_free(struct rle_key *k)
{
	free(k->file);
	k->file = NULL;
	k->file_cap = 0;
}
