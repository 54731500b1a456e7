/* linereader.h — reading a file descriptor line by line.
 *
 * Why: /proc/PID/status, /proc/PID/maps and saved traces are all read a
 * line at a time; this does the buffering, the partial reads, EINTR, a
 * last line without a newline and lines longer than the buffer, once.
 *
 * Ownership: the struct is the caller's. Storage starts as the caller's
 * (often a stack array, so reading a small /proc file allocates nothing)
 * or, without one, is malloc()ed on the first read; it grows (by doubling,
 * on the heap) only for a line longer than it. linereader_close frees what
 * the reader allocated, and closes the descriptor when the reader opened
 * it (linereader_open) — not one passed to linereader_init. A line
 * returned points into the buffer: valid until the next call. */
#ifndef RENACER_LINEREADER_H
#define RENACER_LINEREADER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define LINEREADER_MIN_CAP 4096

struct linereader {
	int fd;
	bool own_fd;       /* opened by linereader_open: closed by linereader_close */
	char *buf;
	size_t cap;
	bool own_buf;      /* buf was allocated here (else the caller's storage) */
	size_t start, end; /* unread bytes are buf[start..end) */
	bool eof;
	int err;           /* errno of a failed read or allocation, 0 if none */
	bool nl;           /* the last line returned ended with '\n' */
	unsigned long lineno; /* lines returned so far */
};

/* Read from fd (the caller keeps owning it). storage/cap: the first buffer
 * (NULL/0: allocate LINEREADER_MIN_CAP bytes when needed). */
void linereader_init(struct linereader *lr, int fd, char *storage, size_t cap);
/* Open path read-only (O_CLOEXEC) and read from it. -1 with errno set
 * when it cannot be opened (nothing to close then), else 0. */
int linereader_open(struct linereader *lr, const char *path, char *storage, size_t cap);

/* The next line, without its '\n' but NUL-terminated in place (it may hold
 * NULs: use *len); lr->nl tells whether it had a newline (only the last
 * line of a file can lack one). NULL at the end of the file or on an error
 * (then lr->err is set: an errno value). */
char *linereader_next(struct linereader *lr, size_t *len);

/* Start over from the beginning of the file (lseek to 0). 0 or -1 with
 * lr->err set (a pipe cannot rewind). */
int linereader_rewind(struct linereader *lr);

/* Free the allocated buffer; close the fd when linereader_open opened it. */
void linereader_close(struct linereader *lr);

#endif
