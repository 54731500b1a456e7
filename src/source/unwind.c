/* unwind.c — CFI unwinding of a ptrace-stopped thread with libdw.
 *
 * dwfl_linux_proc_attach would do, but we attach our own thread callbacks
 * so that (a) registers come from one PTRACE_GETREGS of the thread the
 * tracer already holds (no attach, no /proc/PID/task walk), and (b) stack
 * memory is read with process_vm_readv a page at a time through a small
 * cache that lives for one stop, never PTRACE_PEEKDATA word by word.
 * The CFI itself (.eh_frame / .debug_frame) comes from the module files
 * that libdw maps and caches per Dwfl_Module. */
#include <errno.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>

#include "source_int.h"

#define MC_PAGE 4096u
#define MC_SLOTS 16u

struct mc_slot {
	uint64_t page; /* page address; valid when gen == mc->gen */
	unsigned gen;
	unsigned char data[MC_PAGE];
};

struct memcache {
	unsigned gen;
	pid_t pid;
	struct mc_slot slot[MC_SLOTS];
};

struct memcache *memcache_new(void)
{
	struct memcache *mc = calloc(1, sizeof(*mc));

	if (mc)
		mc->gen = 1;
	return mc;
}

void memcache_free(struct memcache *mc)
{
	free(mc);
}

void memcache_invalidate(struct memcache *mc)
{
	if (++mc->gen == 0) { /* wrapped: clear so no stale slot matches */
		for (unsigned i = 0; i < MC_SLOTS; i++)
			mc->slot[i].gen = 0;
		mc->gen = 1;
	}
}

static bool vm_read(pid_t pid, uint64_t addr, void *buf, size_t len)
{
	struct iovec local = { .iov_base = buf, .iov_len = len };
	struct iovec remote = { .iov_base = (void *)(uintptr_t)addr, .iov_len = len };

	return process_vm_readv(pid, &local, 1, &remote, 1, 0) == (ssize_t)len;
}

bool memcache_read(struct memcache *mc, pid_t pid, uint64_t addr, uint64_t *out)
{
	uint64_t page = addr & ~(uint64_t)(MC_PAGE - 1);
	size_t off = (size_t)(addr - page);

	if (mc->pid != pid) {
		memcache_invalidate(mc);
		mc->pid = pid;
	}
	if (off > MC_PAGE - sizeof(*out)) /* straddles two pages: rare, read directly */
		return vm_read(pid, addr, out, sizeof(*out));
	struct mc_slot *s = &mc->slot[(page / MC_PAGE) % MC_SLOTS];
	if (s->gen != mc->gen || s->page != page) {
		if (!vm_read(pid, page, s->data, MC_PAGE)) {
			s->gen = 0;
			return vm_read(pid, addr, out, sizeof(*out));
		}
		s->page = page;
		s->gen = mc->gen;
	}
	memcpy(out, s->data + off, sizeof(*out));
	return true;
}

/* ---- Dwfl_Thread_Callbacks ---- */

static pid_t cb_next_thread(Dwfl *dwfl, void *dwfl_arg, void **thread_argp)
{
	(void)dwfl;
	(void)dwfl_arg;
	(void)thread_argp;
	return 0; /* we never enumerate threads; dwfl_getthread_frames uses get_thread */
}

static bool cb_get_thread(Dwfl *dwfl, pid_t tid, void *dwfl_arg, void **thread_argp)
{
	(void)dwfl;
	(void)tid;
	*thread_argp = dwfl_arg;
	return true;
}

static bool cb_memory_read(Dwfl *dwfl, Dwarf_Addr addr, Dwarf_Word *result, void *dwfl_arg)
{
	struct unwind_arg *ua = dwfl_arg;
	uint64_t v;

	(void)dwfl;
	if (!memcache_read(ua->mc, ua->pid, addr, &v))
		return false;
	*result = v;
	return true;
}

static bool cb_set_initial_registers(Dwfl_Thread *thread, void *thread_arg)
{
	const struct unwind_arg *ua = thread_arg;
	const struct user_regs_struct u = ua->regs; /* the snapshot of this stop */

	/* DWARF register numbers on x86_64; 16 is the return-address column,
	 * from which libdw takes the pc of the initial frame. */
	Dwarf_Word regs[17] = {
		u.rax, u.rdx, u.rcx, u.rbx, u.rsi, u.rdi, u.rbp, u.rsp, u.r8,
		u.r9,  u.r10, u.r11, u.r12, u.r13, u.r14, u.r15, u.rip,
	};
	return dwfl_thread_state_registers(thread, 0, 17, regs);
}

static const Dwfl_Thread_Callbacks thread_callbacks = {
	.next_thread = cb_next_thread,
	.get_thread = cb_get_thread,
	.memory_read = cb_memory_read,
	.set_initial_registers = cb_set_initial_registers,
};

struct arch_elf {
	Elf64_Ehdr ehdr;
	Elf *elf;
};

struct arch_elf *arch_elf_new(void)
{
	struct arch_elf *a = calloc(1, sizeof(*a));

	if (!a)
		return NULL;
	static const unsigned char ident[EI_NIDENT] = {
		ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64, ELFDATA2LSB, EV_CURRENT,
	};
	memcpy(a->ehdr.e_ident, ident, sizeof(ident));
	a->ehdr.e_type = ET_EXEC;
	a->ehdr.e_machine = EM_X86_64;
	a->ehdr.e_version = EV_CURRENT;
	a->ehdr.e_ehsize = sizeof(Elf64_Ehdr);
	(void)elf_version(EV_CURRENT);
	a->elf = elf_memory((char *)&a->ehdr, sizeof(a->ehdr));
	if (!a->elf) {
		free(a);
		return NULL;
	}
	return a;
}

void arch_elf_free(struct arch_elf *a)
{
	if (!a)
		return;
	elf_end(a->elf);
	free(a);
}

bool unwind_attach(Dwfl *dwfl, struct arch_elf *arch, struct unwind_arg *arg)
{
	/* The ELF only names the architecture. With NULL libdw would borrow
	 * the backend of some module, which a later re-report may free. */
	return dwfl_attach_state(dwfl, arch->elf, arg->pid, &thread_callbacks, arg);
}

struct collect {
	unwind_frame_fn *fn;
	void *ctx;
	unsigned n;
};

static int frame_cb(Dwfl_Frame *state, void *arg)
{
	struct collect *c = arg;
	Dwarf_Addr pc;
	bool act = false;

	if (!dwfl_frame_pc(state, &pc, &act) || pc == 0)
		return DWARF_CB_ABORT;
	c->n++;
	return c->fn(c->ctx, pc, act) != UNWIND_STOP ? DWARF_CB_OK : DWARF_CB_ABORT;
}

int unwind_dwfl(Dwfl *dwfl, pid_t tid, unwind_frame_fn *fn, void *ctx, unsigned *nframes)
{
	struct collect c = { .fn = fn, .ctx = ctx, .n = 0 };

	/* -1 can also come at the outermost frame ("no matching address
	 * range" past _start); the caller keeps whatever was collected. */
	int rc = dwfl_getthread_frames(dwfl, tid, frame_cb, &c);
	*nframes = c.n;
	return rc < 0 ? -1 : rc > 0 ? 1 : 0;
}
