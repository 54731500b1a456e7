/* golden.h — golden-trace comparison (SPEC §9): the observable sequence
 * of a trace, and the similarity of two sequences.
 *
 * Normalisation: drop the dynamic loader's prelude (calls issued from the
 * loader module before the program's first own call), drop
 * non-observable calls (mmap munmap mprotect brk futex rseq getrandom
 * clock_* set_robust_list rt_sig* by default), renumber fds in order of
 * appearance, relativize pids, ignore addresses and timing.
 * Ownership: golden_seq_new/golden_seq_load allocate, golden_seq_free
 * releases; the sink from golden_seq_sink feeds a seq it does not own
 * (destroying the sink leaves the seq alive). */
#ifndef RENACER_GOLDEN_H
#define RENACER_GOLDEN_H

#include <stddef.h>
#include "sink.h"

struct golden_seq;

struct golden_seq *golden_seq_new(void);
void golden_seq_free(struct golden_seq *s);
/* A sink that appends each event's normalised form to s. NULL on OOM. */
struct sink *golden_seq_sink(struct golden_seq *s);
/* Read a saved trace (trace_reader) into a new seq. Returns 0, or a
 * trace_read_rc error with a message in err. */
int golden_seq_load(const char *path, struct golden_seq **out, char *err, size_t errlen);
size_t golden_seq_len(const struct golden_seq *s);
/* 2·LCS / (|A| + |B|) over the normalised sequences; 1.0 for two empty. */
double golden_similarity(const struct golden_seq *a, const struct golden_seq *b);

#endif
