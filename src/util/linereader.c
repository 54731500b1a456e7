/* linereader.c — line-by-line reading (see src/util/linereader.h). */
#include "linereader.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vec.h"

void linereader_init(struct linereader *lr, int fd, char *storage, size_t cap)
{
	memset(lr, 0, sizeof(*lr));
	lr->fd = fd;
	if (storage && cap >= 2) { /* room for a byte and the NUL */
		lr->buf = storage;
		lr->cap = cap;
	}
}

int linereader_open(struct linereader *lr, const char *path, char *storage, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		linereader_init(lr, -1, NULL, 0);
		lr->err = errno;
		return -1;
	}
	linereader_init(lr, fd, storage, cap);
	lr->own_fd = true;
	return 0;
}

void linereader_close(struct linereader *lr)
{
	if (lr->own_buf)
		free(lr->buf);
	if (lr->own_fd && lr->fd >= 0)
		close(lr->fd);
	lr->buf = NULL;
	lr->cap = lr->start = lr->end = 0;
	lr->eof = true; /* nothing more to read */
	lr->own_buf = false;
	lr->own_fd = false;
	lr->fd = -1;
}

/* Room to read more: slide the unread bytes to the front, or grow the
 * buffer when they fill it (a line longer than the buffer). One byte is
 * always kept for the NUL that terminates a line. */
static bool make_room(struct linereader *lr)
{
	if (lr->start > 0) {
		memmove(lr->buf, lr->buf + lr->start, lr->end - lr->start);
		lr->end -= lr->start;
		lr->start = 0;
	}
	if (lr->end + 1 < lr->cap)
		return true;
	if (!lr->own_buf) {
		/* Leave the caller's storage (if any) for a heap copy of twice
		 * its size. */
		if (lr->cap > SIZE_MAX / 2)
			goto nomem;
		size_t ncap = lr->cap ? lr->cap * 2 : LINEREADER_MIN_CAP;
		char *nb = malloc(ncap);
		if (!nb)
			goto nomem;
		if (lr->end)
			memcpy(nb, lr->buf, lr->end);
		lr->buf = nb;
		lr->cap = ncap;
		lr->own_buf = true;
		return true;
	}
	if (lr->cap == SIZE_MAX || !vec_grow(&lr->buf, &lr->cap, lr->cap + 1, 1))
		goto nomem;
	return true;
nomem:
	lr->err = ENOMEM;
	return false;
}

char *linereader_next(struct linereader *lr, size_t *len)
{
	size_t searched = 0; /* unread bytes already known to hold no '\n' */
	for (;;) {
		size_t avail = lr->end - lr->start;
		char *nlp = avail > searched
				    ? memchr(lr->buf + lr->start + searched, '\n', avail - searched)
				    : NULL;
		if (nlp || (lr->eof && avail)) {
			char *line = lr->buf + lr->start;
			char *stop = nlp ? nlp : lr->buf + lr->end;
			*len = (size_t)(stop - line);
			lr->nl = nlp != NULL;
			*stop = '\0'; /* the '\n', or the byte kept free after the data */
			lr->start = (size_t)(stop - lr->buf) + (nlp ? 1 : 0);
			lr->lineno++;
			return line;
		}
		if (lr->eof || lr->err)
			return NULL;
		searched = avail;
		if (!make_room(lr))
			return NULL;
		ssize_t k;
		do
			k = read(lr->fd, lr->buf + lr->end, lr->cap - 1 - lr->end);
		while (k < 0 && errno == EINTR);
		if (k < 0) {
			lr->err = errno;
			return NULL;
		}
		if (k == 0)
			lr->eof = true;
		lr->end += (size_t)k;
	}
}

int linereader_rewind(struct linereader *lr)
{
	if (lseek(lr->fd, 0, SEEK_SET) < 0) {
		lr->err = errno;
		return -1;
	}
	lr->start = lr->end = 0;
	lr->eof = false;
	lr->err = 0;
	lr->nl = false;
	lr->lineno = 0;
	return 0;
}
