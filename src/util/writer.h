/* writer.h — buffered output to a file descriptor.
 *
 * Lines are assembled in the buffer and written in large writes. A writer
 * for a terminal flushes per line so a person watching sees calls live.
 * With `atomic`, output goes to a new file "PATH.tmp.XXXXXX" (random name,
 * created exclusively: a planted symlink is never followed) and is renamed
 * to PATH by a successful writer_close, so PATH only ever holds a complete
 * file. A writer's owner may flush it at any time (the tracer does, on a
 * timer, so a live trace can be watched).
 * Ownership: the struct is caller-owned; writer_open allocates the buffer
 * and writer_close frees it (and closes the fd unless it is stderr). */
#ifndef RENACER_WRITER_H
#define RENACER_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct writer {
	int fd;
	bool own_fd;
	bool line_flush;
	bool atomic;
	int err;           /* first write errno, 0 if none */
	char *buf;
	size_t len, cap;
	char *path;        /* final path (atomic), owned */
	char *tmp_path;    /* temporary path (atomic), owned */
	const char *name;  /* for messages: the path or "stderr" */
	uint64_t last_flush_ns;
};

/* path NULL = stderr. Returns 0, or -1 with a message printed. */
int writer_open(struct writer *w, const char *path, bool atomic);
/* The same; APPEND (never with atomic): add to the end of PATH (-A). */
int writer_open_append(struct writer *w, const char *path, bool atomic, bool append);
void writer_put(struct writer *w, const char *s, size_t n);
/* Called after each complete line: flushes for terminals, or when the
 * buffer is nearly full, or when now_ns is a second past the last flush
 * (the tracer's live-output timer flushes much sooner). */
void writer_line_done(struct writer *w, uint64_t now_ns);
int writer_flush(struct writer *w);
/* The first write error (an errno value), 0 when none. */
int writer_error(const struct writer *w);
/* The path, or "stderr", for messages. */
const char *writer_name(const struct writer *w);
/* Flush, close and (atomic) rename. Returns 0, or -1 with a message
 * printed; on failure an atomic writer removes its temporary file. */
int writer_close(struct writer *w);
/* Abandon: remove an atomic temporary file, free everything. */
void writer_abort(struct writer *w);

#endif
