/* rle.h — `--compress=rle`: which calls may stand together as one trace
 * record, and when two calls belong to the same run (docs/design.md, 'Trace format (JSON)').
 *
 * A run is a sequence of consecutive calls of one task that are identical
 * for every analysis: same syscall, same fd (first argument, when the
 * table says it is an fd or a dirfd), for ioctl also the same request,
 * same result class, same call site. The JSON sink writes a run as ONE
 * record, the first call's, with an "rle" member in front:
 *
 *   {"rle":{"count":N,"first_ts_ns":A,"last_ts_ns":B,"duration_ns_total":T,
 *           "duration_ns_min":m,"duration_ns_max":M,"duration_ns_last":L},
 *    "name":...,  (the rest of the first call's record)}
 *
 * ("duration_ns_last", the last call's duration, is optional for readers;
 * without it the run's end is bounded by B + M.) Readers and every
 * analysis count the record as N calls without expanding it (event.h).
 *
 * What is lost: the later calls' exact timestamps and durations (only
 * first/last/total/min/max remain), their arguments other than the fd /
 * request (buffers, counts, offsets) and their exact result value when
 * it differs within its class (byte counts). Nothing the analyzer tracks
 * depends on those.
 *
 * Nothing here allocates except rle_key_set (a copy of the source file
 * name); the predicate table is built once, on first use (not
 * thread-safe, like the rest of the tracer). */
#ifndef RENACER_RLE_H
#define RENACER_RLE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "event.h"

/* Whether calls of syscall nr may be merged into a run. Never: memory
 * calls (mmap munmap mremap brk mprotect madvise shmat shmdt), process
 * lifecycle (fork vfork clone clone3 execve execveat exit exit_group
 * wait4 waitid kill tkill tgkill), anything that changes the fd table
 * (open openat openat2 creat close close_range dup dup2 dup3 fcntl
 * socket socketpair accept accept4 pipe pipe2 eventfd eventfd2 signalfd
 * signalfd4 timerfd_create epoll_create epoll_create1 inotify_init
 * inotify_init1 memfd_create pidfd_open userfaultfd perf_event_open
 * fanotify_init io_uring_setup, and every other call whose result the
 * table says is a new fd), calls that do not return (RK_NORETURN), and
 * numbers the table does not know. The one place this is decided. */
bool rle_mergeable(long nr);

/* Whether ev may start or extend a run: rle_mergeable(ev->nr), finished,
 * and not itself already a run. */
bool rle_event_mergeable(const struct event *ev);

/* The result class of a finished call: the errno when it failed; else
 * -1, 0 or 1 for a negative, zero or positive result (so an EOF or a
 * poll timeout never merges into a run of byte counts or ready fds). */
int rle_result_class(const struct event *ev);

/* The identity of a run. */
struct rle_key {
	pid_t pid, tid;
	long nr;
	uint64_t fd;            /* argument 0 when it is an fd/dirfd, else 0 */
	uint64_t request;       /* ioctl: argument 1, else 0 */
	int rclass;             /* rle_result_class */
	uint64_t ip;
	bool has_src;
	unsigned line;
	char *file;             /* owned copy, NULL when !has_src */
	size_t file_cap;
};

/* Make k the key of ev; with_source: compare the source location too
 * (when ev has one). Returns false when out of memory (k is then not a
 * usable key: has_src is set but file is NULL; rle_key_match fails). */
bool rle_key_set(struct rle_key *k, const struct event *ev, bool with_source);
/* Whether ev continues the run keyed k (ev must be rle_event_mergeable). */
bool rle_key_match(const struct rle_key *k, const struct event *ev, bool with_source);
void rle_key_free(struct rle_key *k);

#endif
