/* test_decode_fake_mem.c — decoders read the tracee through struct
 * mem_reader (src/decode/decode_mem.h): here a fake over a buffer stands
 * in for the tracee, so decoding is tested with no process at all. */
#include <criterion/criterion.h>
#include <string.h>
#include <sys/syscall.h>

#include "decode_args.h"

/* A task's memory: `size` bytes at address `base`; anything else is
 * unmapped. Counts the reads so a test can tell what was asked for. */
struct fake_mem {
	uint64_t base;
	const unsigned char *data;
	size_t size;
	unsigned reads;
};

static ssize_t fake_read(void *self, pid_t tid, uint64_t addr, void *dst, size_t len)
{
	struct fake_mem *m = self;
	(void)tid;
	m->reads++;
	if (addr < m->base || addr >= m->base + m->size)
		return -1;
	size_t off = (size_t)(addr - m->base);
	size_t n = m->size - off < len ? m->size - off : len;
	memcpy(dst, m->data + off, n);
	return (ssize_t)n;
}

static ssize_t fake_read_str(void *self, pid_t tid, uint64_t addr, char *dst, size_t max, bool *complete)
{
	struct fake_mem *m = self;
	(void)tid;
	m->reads++;
	if (addr < m->base || addr >= m->base + m->size)
		return -1;
	size_t off = (size_t)(addr - m->base), n = 0;
	while (n < max && off + n < m->size && m->data[off + n])
		n++;
	memcpy(dst, m->data + off, n);
	dst[n] = '\0';
	*complete = n < max && off + n < m->size;
	return (ssize_t)n;
}

static struct argtext at;

/* Decode one call (entry, then exit with `result`) over fake memory. */
static void decode(struct fake_mem *fm, long nr, const uint64_t args[6], long result)
{
	struct mem_reader r = { fm, fake_read, fake_read_str };
	struct decode_cfg cfg = { .string_limit = 32, .show_paths = false };
	struct decode_call c = { &r, 1234, &cfg, syscall_lookup(nr), nr, args };
	decode_entry(&c, &at);
	decode_exit(&c, &at, true, result);
}

#define BASE 0x10000ull

Test(decode_fake_mem, path_read_through_the_interface)
{
	static const char mem[] = "/etc/hostname";
	struct fake_mem fm = { BASE, (const unsigned char *)mem, sizeof(mem), 0 };
	uint64_t args[6] = { (uint64_t)-100, BASE, 0, 0, 0, 0 };
	decode(&fm, SYS_openat, args, 3);
	cr_assert_eq(at.nshown, 3);
	cr_assert_str_eq(argtext_arg(&at, 0), "AT_FDCWD");
	cr_assert_str_eq(argtext_arg(&at, 1), "\"/etc/hostname\"");
	cr_assert_str_eq(argtext_arg(&at, 2), "O_RDONLY");
	cr_assert_str_eq(at.ret, "3");
	cr_assert_gt(fm.reads, 0);
}

Test(decode_fake_mem, write_buffer_is_cut_at_the_string_limit)
{
	static const char mem[] = "0123456789012345678901234567890123456789";
	struct fake_mem fm = { BASE, (const unsigned char *)mem, 40, 0 };
	uint64_t args[6] = { 1, BASE, 40, 0, 0, 0 };
	decode(&fm, SYS_write, args, 40);
	cr_assert_str_eq(argtext_arg(&at, 1), "\"01234567890123456789012345678901\"...");
	cr_assert_str_eq(argtext_arg(&at, 2), "40");
}

Test(decode_fake_mem, read_buffer_is_decoded_at_exit_with_the_result_length)
{
	static const char mem[] = "abcdef";
	struct fake_mem fm = { BASE, (const unsigned char *)mem, 6, 0 };
	uint64_t args[6] = { 3, BASE, 4096, 0, 0, 0 };
	struct mem_reader r = { &fm, fake_read, fake_read_str };
	struct decode_cfg cfg = { .string_limit = 32 };
	struct decode_call c = { &r, 1, &cfg, syscall_lookup(SYS_read), SYS_read, args };
	decode_entry(&c, &at);
	/* At entry the buffer is not known yet: what an "<unfinished ...>"
	 * line can show is the fd alone. */
	cr_assert_eq(argtext_entry_count(&at), 1);
	cr_assert_eq(fm.reads, 0, "the buffer was read before the kernel filled it");
	decode_exit(&c, &at, true, 3);
	cr_assert_str_eq(argtext_arg(&at, 1), "\"abc\"");
	cr_assert_str_eq(argtext_arg(&at, 2), "4096");
}

Test(decode_fake_mem, unreadable_string_prints_its_address)
{
	struct fake_mem fm = { BASE, (const unsigned char *)"", 0, 0 };
	uint64_t args[6] = { (uint64_t)-100, 0xdead0000ull, 0, 0, 0, 0 };
	decode(&fm, SYS_openat, args, -14);
	cr_assert_str_eq(argtext_arg(&at, 1), "0xdead0000");
	cr_assert(strstr(at.ret, "EFAULT"), "%s", at.ret);
}
