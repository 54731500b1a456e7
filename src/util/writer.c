/* writer.c — buffered, failure-checked output files. */
#include "writer.h"
#include "diag.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define WRITER_CAP (256u * 1024u)

/* The temporary file of an atomic writer: a new name chosen at random
 * and created with O_EXCL (mkostemp), so a name planted in a shared
 * directory (a symlink to a victim file) is never opened or followed.
 * It then gets the mode a plain open(0666) would have given. */
static int create_exclusive(char *template)
{
	int fd = mkostemp(template, O_CLOEXEC);
	if (fd < 0)
		return -1;
	mode_t mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) != 0) {
		int e = errno;
		close(fd);
		unlink(template);
		errno = e;
		return -1;
	}
	return fd;
}

int writer_open(struct writer *w, const char *path, bool atomic)
{
	return writer_open_append(w, path, atomic, false);
}

int writer_open_append(struct writer *w, const char *path, bool atomic, bool append)
{
	memset(w, 0, sizeof(*w));
	w->buf = malloc(WRITER_CAP);
	if (!w->buf) {
		diag("out of memory");
		return -1;
	}
	w->cap = WRITER_CAP;
	if (!path) {
		w->fd = STDERR_FILENO;
		w->name = "stderr";
		w->line_flush = isatty(STDERR_FILENO);
		return 0;
	}
	/* Only a regular file (or a new one) can be replaced by rename: a
	 * device, FIFO or terminal is written in place, a directory refused,
	 * and an existing file must be writable by us, as it would be for a
	 * plain open. */
	struct stat st;
	if (atomic && stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			diag("%s: cannot open for writing: %s", path, strerror(EISDIR));
			free(w->buf);
			memset(w, 0, sizeof(*w));
			return -1;
		}
		if (!S_ISREG(st.st_mode)) {
			atomic = false;
		} else {
			int probe = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
			if (probe < 0) {
				diag("%s: cannot open for writing: %s", path, strerror(errno));
				free(w->buf);
				memset(w, 0, sizeof(*w));
				return -1;
			}
			close(probe);
		}
	}
	w->atomic = atomic;
	w->path = strdup(path);
	if (!w->path)
		goto oom;
	w->name = w->path;
	if (atomic) {
		size_t n = strlen(path) + 16;
		w->tmp_path = malloc(n);
		if (!w->tmp_path)
			goto oom;
		snprintf(w->tmp_path, n, "%s.tmp.XXXXXX", path);
		w->fd = create_exclusive(w->tmp_path);
	} else {
		w->fd = open(path, O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC) | O_CLOEXEC, 0666);
	}
	if (w->fd < 0) {
		diag("%s: cannot open for writing: %s", path, strerror(errno));
		free(w->buf);
		free(w->path);
		free(w->tmp_path);
		memset(w, 0, sizeof(*w));
		return -1;
	}
	w->own_fd = true;
	w->line_flush = isatty(w->fd);
	return 0;
oom:
	diag("out of memory");
	free(w->buf);
	free(w->path);
	free(w->tmp_path);
	memset(w, 0, sizeof(*w));
	return -1;
}

int writer_flush(struct writer *w)
{
	size_t off = 0;
	while (off < w->len) {
		ssize_t n = write(w->fd, w->buf + off, w->len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (!w->err)
				w->err = errno;
			break;
		}
		off += (size_t)n;
	}
	w->len = 0;
	return w->err ? -1 : 0;
}

int writer_error(const struct writer *w)
{
	return w->err;
}

const char *writer_name(const struct writer *w)
{
	return w->name;
}

void writer_put(struct writer *w, const char *s, size_t n)
{
	if (!w->buf)
		return;
	if (n > w->cap - w->len) {
		writer_flush(w);
		if (n > w->cap) { /* larger than the buffer: write through */
			size_t off = 0;
			while (off < n) {
				ssize_t k = write(w->fd, s + off, n - off);
				if (k < 0) {
					if (errno == EINTR)
						continue;
					if (!w->err)
						w->err = errno;
					return;
				}
				off += (size_t)k;
			}
			return;
		}
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
}

void writer_line_done(struct writer *w, uint64_t now_ns)
{
	if (w->line_flush || w->len > w->cap - 8192 ||
	    now_ns - w->last_flush_ns > 1000000000ull) {
		writer_flush(w);
		w->last_flush_ns = now_ns;
	}
}

static void writer_release(struct writer *w)
{
	free(w->buf);
	free(w->path);
	free(w->tmp_path);
	memset(w, 0, sizeof(*w));
	w->fd = -1;
}

int writer_close(struct writer *w)
{
	if (!w->buf)
		return 0;
	int rc = writer_flush(w);
	if (w->own_fd) {
		if (rc == 0 && w->atomic && fsync(w->fd) != 0 && errno != EINVAL && errno != EROFS) {
			w->err = errno;
			rc = -1;
		}
		if (close(w->fd) != 0 && rc == 0 && errno != EINTR) {
			w->err = errno;
			rc = -1;
		}
	}
	if (rc != 0) {
		diag("%s: write failed: %s", w->name, strerror(w->err ? w->err : EIO));
		if (w->atomic && w->tmp_path)
			unlink(w->tmp_path);
		writer_release(w);
		return -1;
	}
	if (w->atomic && rename(w->tmp_path, w->path) != 0) {
		diag("%s: cannot rename %s into place: %s", w->path, w->tmp_path,
			strerror(errno));
		unlink(w->tmp_path);
		writer_release(w);
		return -1;
	}
	writer_release(w);
	return 0;
}

void writer_abort(struct writer *w)
{
	if (!w->buf)
		return;
	if (w->own_fd)
		close(w->fd);
	if (w->atomic && w->tmp_path)
		unlink(w->tmp_path);
	writer_release(w);
}
