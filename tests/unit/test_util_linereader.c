/* Unit tests for line-by-line reading (src/util/linereader.c). */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "linereader.h"

/* A temporary file holding n bytes of data, opened for reading at 0. */
static int temp_with(const char *data, size_t n)
{
	char path[] = "/tmp/renacer-lr-XXXXXX";
	int fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	unlink(path);
	cr_assert_eq(write(fd, data, n), (ssize_t)n);
	cr_assert_eq(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

/* A pipe holding data (it fits the pipe buffer), write end closed. */
static int pipe_with(const char *data, size_t n)
{
	int p[2];
	cr_assert_eq(pipe(p), 0);
	cr_assert_eq(write(p[1], data, n), (ssize_t)n);
	close(p[1]);
	return p[0];
}

static void expect_line(struct linereader *lr, const char *want, bool nl)
{
	size_t len = 0;
	char *l = linereader_next(lr, &len);
	cr_assert_not_null(l, "expected \"%s\"", want);
	cr_assert_eq(len, strlen(want));
	cr_assert_str_eq(l, want);
	cr_assert_eq(lr->nl, nl);
}

static void expect_end(struct linereader *lr)
{
	size_t len = 0;
	cr_assert_null(linereader_next(lr, &len));
	cr_assert_eq(lr->err, 0);
}

Test(util_linereader, lines_with_newlines)
{
	const char d[] = "one\ntwo\n\nfour\n";
	int fd = temp_with(d, sizeof d - 1);
	struct linereader lr;
	linereader_init(&lr, fd, NULL, 0);
	expect_line(&lr, "one", true);
	expect_line(&lr, "two", true);
	expect_line(&lr, "", true);
	expect_line(&lr, "four", true);
	expect_end(&lr);
	expect_end(&lr); /* stays at the end */
	cr_assert_eq(lr.lineno, 4);
	linereader_close(&lr);
	cr_assert_neq(fcntl(fd, F_GETFD), -1, "a borrowed fd stays open");
	close(fd);
}

Test(util_linereader, last_line_without_newline)
{
	const char d[] = "a\nlast";
	int fd = temp_with(d, sizeof d - 1);
	struct linereader lr;
	linereader_init(&lr, fd, NULL, 0);
	expect_line(&lr, "a", true);
	expect_line(&lr, "last", false);
	expect_end(&lr);
	linereader_close(&lr);
	close(fd);
}

Test(util_linereader, empty_file)
{
	int fd = temp_with("", 0);
	struct linereader lr;
	linereader_init(&lr, fd, NULL, 0);
	expect_end(&lr);
	cr_assert_eq(lr.lineno, 0);
	linereader_close(&lr);
	close(fd);
}

Test(util_linereader, only_a_newline)
{
	int fd = temp_with("\n", 1);
	struct linereader lr;
	linereader_init(&lr, fd, NULL, 0);
	expect_line(&lr, "", true);
	expect_end(&lr);
	linereader_close(&lr);
	close(fd);
}

Test(util_linereader, embedded_nul)
{
	const char d[] = "a\0b\nc";
	int fd = temp_with(d, sizeof d - 1);
	struct linereader lr;
	linereader_init(&lr, fd, NULL, 0);
	size_t len;
	char *l = linereader_next(&lr, &len);
	cr_assert_eq(len, 3);
	cr_assert_eq(memcmp(l, "a\0b\0", 4), 0);
	expect_line(&lr, "c", false);
	linereader_close(&lr);
	close(fd);
}

Test(util_linereader, long_lines_outgrow_small_storage)
{
	/* Lines far longer than the caller's 8 bytes; storage is left for the
	 * heap, and the caller's array is never written past its end. */
	struct {
		char storage[8];
		char guard[8];
	} s;
	memset(s.guard, 'G', sizeof s.guard);
	size_t n1 = 10000, n2 = 30000;
	char *d = malloc(n1 + n2 + 3);
	memset(d, 'x', n1);
	d[n1] = '\n';
	memset(d + n1 + 1, 'y', n2);
	d[n1 + 1 + n2] = '\n';
	memcpy(d + n1 + n2 + 2, "z", 1);
	int fd = temp_with(d, n1 + n2 + 3);
	struct linereader lr;
	linereader_init(&lr, fd, s.storage, sizeof s.storage);
	size_t len;
	char *l = linereader_next(&lr, &len);
	cr_assert_eq(len, n1);
	cr_assert_eq(strlen(l), n1);
	cr_assert_eq(l[n1 - 1], 'x');
	cr_assert(lr.own_buf);
	l = linereader_next(&lr, &len);
	cr_assert_eq(len, n2);
	cr_assert_eq(l[0], 'y');
	cr_assert_eq(l[n2 - 1], 'y');
	expect_line(&lr, "z", false);
	expect_end(&lr);
	for (size_t i = 0; i < sizeof s.guard; i++)
		cr_assert_eq(s.guard[i], 'G');
	linereader_close(&lr);
	close(fd);
	free(d);
}

Test(util_linereader, caller_storage_used_without_allocation)
{
	char storage[256];
	const char d[] = "Name:\tcat\nTgid:\t42\nPPid:\t1\n";
	int fd = temp_with(d, sizeof d - 1);
	struct linereader lr;
	linereader_init(&lr, fd, storage, sizeof storage);
	size_t len;
	char *l = linereader_next(&lr, &len);
	cr_assert(l >= storage && l < storage + sizeof storage);
	cr_assert_not(lr.own_buf);
	expect_line(&lr, "Tgid:\t42", true);
	expect_line(&lr, "PPid:\t1", true);
	expect_end(&lr);
	linereader_close(&lr);
	close(fd);
}

Test(util_linereader, line_exactly_filling_storage)
{
	/* 7 data bytes + '\n' in 8 bytes of storage; then one that needs the
	 * NUL byte the storage cannot spare. */
	char storage[8];
	const char d[] = "abcdefg\nabcdefgh";
	int fd = temp_with(d, sizeof d - 1);
	struct linereader lr;
	linereader_init(&lr, fd, storage, sizeof storage);
	expect_line(&lr, "abcdefg", true);
	expect_line(&lr, "abcdefgh", false);
	expect_end(&lr);
	linereader_close(&lr);
	close(fd);
}

Test(util_linereader, many_lines_across_buffer_refills)
{
	struct sbuf_like {
		char *p;
		size_t n;
	} d = { malloc(200000), 0 };
	for (int i = 0; i < 10000; i++)
		d.n += (size_t)sprintf(d.p + d.n, "line %d\n", i);
	int fd = temp_with(d.p, d.n);
	char storage[100];
	struct linereader lr;
	linereader_init(&lr, fd, storage, sizeof storage);
	char want[32];
	for (int i = 0; i < 10000; i++) {
		snprintf(want, sizeof want, "line %d", i);
		expect_line(&lr, want, true);
	}
	expect_end(&lr);
	cr_assert_eq(lr.lineno, 10000);
	linereader_close(&lr);
	close(fd);
	free(d.p);
}

Test(util_linereader, pipe_input)
{
	const char d[] = "p1\np2";
	int fd = pipe_with(d, sizeof d - 1);
	struct linereader lr;
	linereader_init(&lr, fd, NULL, 0);
	expect_line(&lr, "p1", true);
	expect_line(&lr, "p2", false);
	expect_end(&lr);
	cr_assert_eq(linereader_rewind(&lr), -1, "a pipe cannot rewind");
	cr_assert_eq(lr.err, ESPIPE);
	linereader_close(&lr);
	close(fd);
}

Test(util_linereader, rewind_reads_again)
{
	const char d[] = "x\ny\n";
	int fd = temp_with(d, sizeof d - 1);
	struct linereader lr;
	linereader_init(&lr, fd, NULL, 0);
	expect_line(&lr, "x", true);
	cr_assert_eq(linereader_rewind(&lr), 0);
	cr_assert_eq(lr.lineno, 0);
	expect_line(&lr, "x", true);
	expect_line(&lr, "y", true);
	expect_end(&lr);
	linereader_close(&lr);
	close(fd);
}

Test(util_linereader, open_owns_the_fd)
{
	struct linereader lr;
	cr_assert_eq(linereader_open(&lr, "/proc/self/status", NULL, 0), 0);
	int fd = lr.fd;
	size_t len;
	char *l = linereader_next(&lr, &len);
	cr_assert_not_null(l);
	cr_assert_eq(strncmp(l, "Name:", 5), 0);
	bool tgid = false;
	while ((l = linereader_next(&lr, &len)))
		if (strncmp(l, "Tgid:", 5) == 0)
			tgid = true;
	cr_assert(tgid);
	cr_assert_eq(lr.err, 0);
	linereader_close(&lr);
	cr_assert_eq(fcntl(fd, F_GETFD), -1, "closed by linereader_close");
}

Test(util_linereader, open_missing_file)
{
	struct linereader lr;
	cr_assert_eq(linereader_open(&lr, "/nonexistent/renacer-lr", NULL, 0), -1);
	cr_assert_eq(errno, ENOENT);
	cr_assert_eq(lr.err, ENOENT);
	size_t len;
	cr_assert_null(linereader_next(&lr, &len));
	linereader_close(&lr); /* harmless */
}

Test(util_linereader, read_error_is_reported)
{
	/* A directory opens but cannot be read: EISDIR. */
	int fd = open("/", O_RDONLY | O_DIRECTORY);
	cr_assert_geq(fd, 0);
	struct linereader lr;
	linereader_init(&lr, fd, NULL, 0);
	size_t len;
	cr_assert_null(linereader_next(&lr, &len));
	cr_assert_eq(lr.err, EISDIR);
	linereader_close(&lr);
	close(fd);
}
