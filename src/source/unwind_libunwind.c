/* unwind_libunwind.c — CFI unwinding of a ptrace-stopped thread with
 * libunwind, the second backend next to libdw (unwind.c).
 *
 * Not the stock _UPT accessors of libunwind-ptrace: those re-read every
 * register and every stack word through ptrace, and look unwind tables up
 * by re-reading /proc/PID/maps and mapping the module file again whenever
 * the pc moves to another module. Ours, per process (one remote
 * unw_addr_space each, UNW_CACHE_GLOBAL):
 *
 *   access_reg       the PTRACE_GETREGS snapshot of this stop (unwind_arg)
 *   access_mem       the per-stop page cache of unwind.c (process_vm_readv)
 *   find_proc_info   the module of the pc from the resolver's Dwfl; its
 *                    .eh_frame_hdr search table, read in the tracee
 *                    (UNW_INFO_FORMAT_REMOTE_TABLE), or, for modules linked
 *                    without one (static binaries), a table built here from
 *                    .eh_frame and served by access_mem from a reserved
 *                    address range; then libunwind's own
 *                    dwarf_search_unwind_table (exported, not declared).
 *
 * libunwind caches the register-state of each pc in the address space, so
 * a pc seen before costs no table search and no CFI parsing; the cache is
 * flushed when the file mappings change (lu_space_flush) and the space
 * dropped at exec/exit. Where CFI is missing, libunwind's x86_64 step
 * falls back to the frame-pointer chain. .debug_frame (CFI only in debug
 * files) is libdw's domain: the resolver falls back to it. */
#include <dwarf.h>
#include <gelf.h>
#include <libunwind.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "unwind_backend.h"
#include "vec.h"

/* Exported by libunwind-x86_64 (perf uses it the same way), not declared
 * in its headers. */
#define lu_search_table UNW_OBJ(dwarf_search_unwind_table)
extern int lu_search_table(unw_addr_space_t as, unw_word_t ip, unw_dyn_info_t *di,
			   unw_proc_info_t *pi, int need_unwind_info, void *arg);

/* Built tables are served from here up (kernel addresses: never a user
 * mapping), 4 GiB apart. */
#define SYNTH_BASE 0xffff900000000000ULL
#define SYNTH_STRIDE (1ULL << 32)
#define MAX_MODS 256u

struct table_entry {
	int32_t start_ip_offset;
	int32_t fde_offset;
};

/* Unwind-table facts about one module of the process. */
struct lu_mod {
	Dwfl_Module *mod;
	uint64_t start, end;      /* the module's address range */
	bool ok;                  /* has a table */
	uint64_t segbase;         /* runtime base the table's offsets are relative to */
	uint64_t table;           /* runtime (or SYNTH_BASE) address of the table */
	size_t nent;              /* table entries */
	struct table_entry *synth; /* built from .eh_frame, else NULL */
	/* .eh_frame_hdr and .eh_frame as the module file holds them (the Elf
	 * of its Dwfl_Module): read-only data, the same as in the tracee, so
	 * table searches and CFI parsing need no system call. */
	struct local_range {
		uint64_t lo, hi;      /* runtime addresses */
		const unsigned char *data;
	} local[2];
};

struct lu_space {
	unw_addr_space_t as;
	struct lu_mod mods[MAX_MODS];
	unsigned nmods;
	const struct local_range *last; /* the range the last local read hit */
};

/* One walk: what the accessors read from. */
struct lu_walk {
	struct lu_space *s;
	Dwfl *dwfl;
	struct unwind_arg *ua;
};

/* ---- .eh_frame parsing (modules without .eh_frame_hdr) ---- */

struct rd {
	const unsigned char *p, *end;
	bool bad;
};

static uint64_t rd_uN(struct rd *r, unsigned n)
{
	uint64_t v = 0;

	if ((size_t)(r->end - r->p) < n) {
		r->bad = true;
		r->p = r->end;
		return 0;
	}
	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)r->p[i] << (8 * i);
	r->p += n;
	return v;
}

static uint64_t rd_uleb(struct rd *r)
{
	uint64_t v = 0;
	unsigned shift = 0;

	while (r->p < r->end) {
		unsigned char b = *r->p++;
		if (shift < 64)
			v |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
		if (!(b & 0x80))
			return v;
	}
	r->bad = true;
	return v;
}

static int64_t rd_sleb(struct rd *r)
{
	int64_t v = 0;
	unsigned shift = 0;
	unsigned char b = 0;

	while (r->p < r->end) {
		b = *r->p++;
		if (shift < 64)
			v |= (int64_t)((uint64_t)(b & 0x7f) << shift);
		shift += 7;
		if (!(b & 0x80)) {
			if (shift < 64 && (b & 0x40))
				v |= -((int64_t)1 << shift);
			return v;
		}
	}
	r->bad = true;
	return v;
}

/* A DW_EH_PE-encoded pointer at r->p, whose link-time address is `at`.
 * Only absolute and pc-relative forms (what toolchains emit in .eh_frame). */
static bool rd_ptr(struct rd *r, unsigned enc, uint64_t at, uint64_t *out)
{
	uint64_t v;

	if (enc == DW_EH_PE_omit)
		return false;
	switch (enc & 0x0f) {
	case DW_EH_PE_absptr:
	case DW_EH_PE_udata8:
	case DW_EH_PE_sdata8: v = rd_uN(r, 8); break;
	case DW_EH_PE_udata4: v = rd_uN(r, 4); break;
	case DW_EH_PE_sdata4: v = (uint64_t)(int64_t)(int32_t)rd_uN(r, 4); break;
	case DW_EH_PE_udata2: v = rd_uN(r, 2); break;
	case DW_EH_PE_sdata2: v = (uint64_t)(int64_t)(int16_t)rd_uN(r, 2); break;
	case DW_EH_PE_uleb128: v = rd_uleb(r); break;
	case DW_EH_PE_sleb128: v = (uint64_t)rd_sleb(r); break;
	default: return false;
	}
	switch (enc & 0x70) {
	case DW_EH_PE_absptr: break;
	case DW_EH_PE_pcrel: v += at; break;
	default: return false;
	}
	*out = v;
	return !r->bad;
}

/* The FDE pointer encoding of the CIE at off in sec[0..size). */
static bool cie_fde_enc(const unsigned char *sec, size_t size, size_t off, unsigned *enc)
{
	struct rd r = { sec + off, sec + size, false };
	uint64_t len = rd_uN(&r, 4);

	if (len == 0xffffffffu)
		len = rd_uN(&r, 8);
	if (r.bad || len > (size_t)(r.end - r.p))
		return false;
	r.end = r.p + len;
	if (rd_uN(&r, 4) != 0) /* CIE id */
		return false;
	unsigned version = (unsigned)rd_uN(&r, 1);
	const char *aug = (const char *)r.p;
	size_t alen = strnlen(aug, (size_t)(r.end - r.p));
	if (alen == (size_t)(r.end - r.p))
		return false;
	r.p += alen + 1;
	if (strstr(aug, "eh"))
		(void)rd_uN(&r, 8);
	(void)rd_uleb(&r);             /* code alignment */
	(void)rd_sleb(&r);             /* data alignment */
	if (version == 1)
		(void)rd_uN(&r, 1);    /* return address register */
	else
		(void)rd_uleb(&r);
	*enc = DW_EH_PE_absptr;
	if (aug[0] != 'z')
		return !r.bad;
	(void)rd_uleb(&r);             /* augmentation data length */
	for (const char *a = aug + 1; *a && !r.bad; a++) {
		uint64_t dummy;
		switch (*a) {
		case 'R': *enc = (unsigned)rd_uN(&r, 1); return !r.bad;
		case 'L': (void)rd_uN(&r, 1); break;
		case 'P': {
			unsigned penc = (unsigned)rd_uN(&r, 1);
			if (!rd_ptr(&r, penc & 0x0f, 0, &dummy)) /* skipped: only its size matters */
				return false;
			break;
		}
		case 'S': case 'B': case 'G': break;
		default: return false;
		}
	}
	return !r.bad;
}

static int entry_cmp(const void *a, const void *b)
{
	const struct table_entry *x = a, *y = b;

	return (x->start_ip_offset > y->start_ip_offset) - (x->start_ip_offset < y->start_ip_offset);
}

/* The binary-search table .eh_frame_hdr would hold, built from .eh_frame
 * (sh_addr: its link-time address). Offsets are relative to sh_addr. */
static struct table_entry *build_table(const unsigned char *sec, size_t size, uint64_t sh_addr,
				       size_t *nent)
{
	size_t cap = 0, n = 0;
	struct table_entry *v = NULL;
	size_t cie_off = (size_t)-1;
	unsigned enc = 0;

	if (!vec_grow(&v, &cap, 256, sizeof(*v)))
		return NULL;
	for (size_t off = 0; off + 8 <= size;) {
		struct rd r = { sec + off, sec + size, false };
		uint64_t len = rd_uN(&r, 4);
		if (len == 0)
			break;
		if (len == 0xffffffffu)
			len = rd_uN(&r, 8);
		size_t id_off = (size_t)(r.p - sec);
		if (r.bad || len < 4 || len > size - id_off)
			break;
		size_t next = id_off + (size_t)len;
		uint32_t id = (uint32_t)rd_uN(&r, 4);
		if (id != 0 && id <= id_off) { /* an FDE: id is the distance back to its CIE */
			size_t c = id_off - id;
			bool ok = true;
			if (c != cie_off) {
				ok = cie_fde_enc(sec, size, c, &enc);
				cie_off = ok ? c : (size_t)-1;
			}
			uint64_t pc;
			size_t field = (size_t)(r.p - sec);
			if (ok && rd_ptr(&r, enc, sh_addr + field, &pc) &&
			    pc - sh_addr + 0x80000000ULL <= 0xffffffffULL /* within ±2 GiB */ && off <= 0x7fffffffu) {
				if (!vec_grow(&v, &cap, n + 1, sizeof(*v))) {
					free(v);
					return NULL;
				}
				v[n].start_ip_offset = (int32_t)(int64_t)(pc - sh_addr);
				v[n].fde_offset = (int32_t)off;
				n++;
			}
		}
		off = next;
	}
	qsort(v, n, sizeof(*v), entry_cmp);
	*nent = n;
	return v;
}

/* ---- per-module unwind tables ---- */

static void mod_table(struct lu_mod *m, struct lu_space *s)
{
	Dwarf_Addr bias;
	Elf *elf = dwfl_module_getelf(m->mod, &bias);
	size_t nph;

	if (!elf || elf_getphdrnum(elf, &nph) != 0)
		return;
	for (size_t i = 0; i < nph; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_GNU_EH_FRAME)
			continue;
		Elf_Data *d = elf_getdata_rawchunk(elf, (int64_t)ph.p_offset, ph.p_filesz, ELF_T_BYTE);
		if (!d || d->d_size < 4)
			return;
		const unsigned char *h = d->d_buf;
		/* version 1, a sorted table of (datarel sdata4, datarel sdata4) */
		if (h[0] != 1 || h[3] != (DW_EH_PE_datarel | DW_EH_PE_sdata4))
			return;
		struct rd r = { h + 4, h + d->d_size, false };
		uint64_t ehp, count;
		if (!rd_ptr(&r, h[1], ph.p_vaddr + 4, &ehp))
			return;
		if (!rd_ptr(&r, h[2], ph.p_vaddr + (uint64_t)(r.p - h), &count))
			return;
		m->segbase = ph.p_vaddr + bias;
		m->table = ph.p_vaddr + bias + (uint64_t)(r.p - h);
		m->nent = (size_t)count;
		m->ok = count > 0;
		m->local[0] = (struct local_range){ m->segbase, m->segbase + d->d_size, h };
		break;
	}
	/* .eh_frame by its section header; with no .eh_frame_hdr (gcc links
	 * -static without one), the table is built from it. */
	size_t shstrndx;
	Elf_Scn *scn = NULL;
	if (elf_getshdrstrndx(elf, &shstrndx) != 0)
		return;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) || !(sh.sh_flags & SHF_ALLOC) ||
		    (sh.sh_type != SHT_PROGBITS && sh.sh_type != SHT_X86_64_UNWIND))
			continue;
		const char *name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (!name || strcmp(name, ".eh_frame") != 0)
			continue;
		Elf_Data *d = elf_rawdata(scn, NULL);
		if (!d || !d->d_buf || d->d_size != sh.sh_size)
			return;
		m->local[1] = (struct local_range){ sh.sh_addr + bias, sh.sh_addr + bias + sh.sh_size, d->d_buf };
		if (m->ok)
			return;
		m->synth = build_table(d->d_buf, d->d_size, sh.sh_addr, &m->nent);
		if (!m->synth || m->nent == 0)
			return;
		m->segbase = sh.sh_addr + bias;
		m->table = SYNTH_BASE + (uint64_t)(m - s->mods) * SYNTH_STRIDE;
		m->ok = true;
		return;
	}
}

static struct lu_mod *mod_of(struct lu_walk *w, uint64_t ip)
{
	struct lu_space *s = w->s;
	Dwfl_Module *mod = dwfl_addrmodule(w->dwfl, ip);

	if (!mod)
		return NULL;
	for (unsigned i = 0; i < s->nmods; i++)
		if (s->mods[i].mod == mod)
			return &s->mods[i];
	if (s->nmods == MAX_MODS)
		return NULL;
	struct lu_mod *m = &s->mods[s->nmods++];
	memset(m, 0, sizeof(*m));
	m->mod = mod;
	Dwarf_Addr start = 0, end = 0;
	(void)dwfl_module_info(mod, NULL, &start, &end, NULL, NULL, NULL, NULL);
	m->start = start;
	m->end = end;
	mod_table(m, s);
	return m;
}

static bool in_range(const struct local_range *l, uint64_t addr)
{
	return l->data && addr >= l->lo && addr < l->hi && l->hi - addr >= 8;
}

/* A word of a module's unwind data from its file, when addr lies there. */
static bool local_read(struct lu_space *s, uint64_t addr, uint64_t *v)
{
	const struct local_range *l = s->last;

	if (!l || !in_range(l, addr)) {
		l = NULL;
		for (unsigned i = 0; i < s->nmods && !l; i++)
			for (unsigned k = 0; k < 2 && !l; k++)
				if (in_range(&s->mods[i].local[k], addr))
					l = &s->mods[i].local[k];
		if (!l)
			return false;
		s->last = l;
	}
	memcpy(v, l->data + (addr - l->lo), 8);
	return true;
}

/* ---- accessors ---- */

static int acc_find_proc_info(unw_addr_space_t as, unw_word_t ip, unw_proc_info_t *pi,
			      int need_unwind_info, void *arg)
{
	struct lu_walk *w = arg;
	struct lu_mod *m = mod_of(w, ip);

	if (!m || !m->ok || ip < m->start || ip >= m->end)
		return -UNW_ENOINFO;
	unw_dyn_info_t di;
	memset(&di, 0, sizeof(di));
	di.format = UNW_INFO_FORMAT_REMOTE_TABLE;
	di.start_ip = m->start;
	di.end_ip = m->end;
	di.u.rti.segbase = m->segbase;
	di.u.rti.table_data = m->table;
	di.u.rti.table_len = m->nent * sizeof(struct table_entry) / sizeof(unw_word_t);
	return lu_search_table(as, ip, &di, pi, need_unwind_info, arg);
}

static void acc_put_unwind_info(unw_addr_space_t as, unw_proc_info_t *pi, void *arg)
{
	/* libunwind frees the DWARF unwind info it allocated itself. */
	(void)as;
	(void)pi;
	(void)arg;
}

static int acc_get_dyn_info_list_addr(unw_addr_space_t as, unw_word_t *dilap, void *arg)
{
	(void)as;
	(void)dilap;
	(void)arg;
	return -UNW_ENOINFO;
}

static int acc_access_mem(unw_addr_space_t as, unw_word_t addr, unw_word_t *valp, int write,
			  void *arg)
{
	struct lu_walk *w = arg;
	uint64_t v;

	(void)as;
	if (write)
		return -UNW_EINVAL;
	if (addr >= SYNTH_BASE) { /* a table built from .eh_frame */
		uint64_t i = (addr - SYNTH_BASE) / SYNTH_STRIDE, off = (addr - SYNTH_BASE) % SYNTH_STRIDE;
		if (i >= w->s->nmods || !w->s->mods[i].synth)
			return -UNW_EINVAL;
		const struct lu_mod *m = &w->s->mods[i];
		size_t size = m->nent * sizeof(struct table_entry);
		v = 0;
		if (off < size)
			memcpy(&v, (const char *)m->synth + off, size - off < 8 ? size - off : 8);
		*valp = v;
		return 0;
	}
	if (!local_read(w->s, addr, &v) && !memcache_read(w->ua->mc, w->ua->pid, addr, &v))
		return -UNW_EINVAL;
	*valp = v;
	return 0;
}

static int acc_access_reg(unw_addr_space_t as, unw_regnum_t reg, unw_word_t *valp, int write,
			  void *arg)
{
	const struct user_regs_struct *u = &((struct lu_walk *)arg)->ua->regs;

	(void)as;
	if (write)
		return -UNW_EINVAL;
	switch (reg) {
	case UNW_X86_64_RAX: *valp = u->rax; break;
	case UNW_X86_64_RDX: *valp = u->rdx; break;
	case UNW_X86_64_RCX: *valp = u->rcx; break;
	case UNW_X86_64_RBX: *valp = u->rbx; break;
	case UNW_X86_64_RSI: *valp = u->rsi; break;
	case UNW_X86_64_RDI: *valp = u->rdi; break;
	case UNW_X86_64_RBP: *valp = u->rbp; break;
	case UNW_X86_64_RSP: *valp = u->rsp; break;
	case UNW_X86_64_R8: *valp = u->r8; break;
	case UNW_X86_64_R9: *valp = u->r9; break;
	case UNW_X86_64_R10: *valp = u->r10; break;
	case UNW_X86_64_R11: *valp = u->r11; break;
	case UNW_X86_64_R12: *valp = u->r12; break;
	case UNW_X86_64_R13: *valp = u->r13; break;
	case UNW_X86_64_R14: *valp = u->r14; break;
	case UNW_X86_64_R15: *valp = u->r15; break;
	case UNW_X86_64_RIP: *valp = u->rip; break;
	default: return -UNW_EBADREG;
	}
	return 0;
}

static int acc_access_fpreg(unw_addr_space_t as, unw_regnum_t reg, unw_fpreg_t *val, int write,
			    void *arg)
{
	(void)as;
	(void)reg;
	(void)val;
	(void)write;
	(void)arg;
	return -UNW_EBADREG;
}

static int acc_resume(unw_addr_space_t as, unw_cursor_t *c, void *arg)
{
	(void)as;
	(void)c;
	(void)arg;
	return -UNW_EINVAL;
}

static unw_accessors_t accessors = {
	.find_proc_info = acc_find_proc_info,
	.put_unwind_info = acc_put_unwind_info,
	.get_dyn_info_list_addr = acc_get_dyn_info_list_addr,
	.access_mem = acc_access_mem,
	.access_reg = acc_access_reg,
	.access_fpreg = acc_access_fpreg,
	.resume = acc_resume,
	.get_proc_name = NULL,
};

/* ---- the per-process space ---- */

struct lu_space *lu_space_new(void)
{
	struct lu_space *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->as = unw_create_addr_space(&accessors, 0);
	if (!s->as) {
		free(s);
		return NULL;
	}
	(void)unw_set_caching_policy(s->as, UNW_CACHE_GLOBAL);
	return s;
}

static void drop_mods(struct lu_space *s)
{
	for (unsigned i = 0; i < s->nmods; i++)
		free(s->mods[i].synth);
	s->nmods = 0;
	s->last = NULL;
}


void lu_space_free(struct lu_space *s)
{
	if (!s)
		return;
	drop_mods(s);
	unw_destroy_addr_space(s->as);
	free(s);
}

void lu_space_flush(struct lu_space *s)
{
	/* Modules may be gone or elsewhere: tables and cached register
	 * states alike. */
	drop_mods(s);
	unw_flush_cache(s->as, 0, 0);
}

enum unwind_end unwind_libunwind(struct lu_space *s, Dwfl *dwfl, struct unwind_arg *ua,
				 unwind_frame_fn *fn, void *ctx, unsigned *nframes)
{
	struct lu_walk w = { .s = s, .dwfl = dwfl, .ua = ua };
	unw_cursor_t cur;
	bool activation = true;

	*nframes = 0;
	if (unw_init_remote(&cur, s->as, &w) < 0)
		return UNWIND_END_ERROR;
	for (;;) {
		unw_word_t ip;
		if (unw_get_reg(&cur, UNW_REG_IP, &ip) < 0)
			return UNWIND_END_ERROR;
		if (ip == 0)
			return UNWIND_END_CLEAN;
		++*nframes;
		if (fn(ctx, ip, activation) == UNWIND_STOP)
			return UNWIND_END_STOPPED;
		int rc = unw_step(&cur);
		if (rc == 0)
			return UNWIND_END_CLEAN;
		if (rc < 0)
			return UNWIND_END_ERROR;
		/* Whether the frame just stepped out of was a signal frame (CFI
		 * 'S'): the next one is then an interrupted instruction, not a
		 * return address. */
		activation = unw_is_signal_frame(&cur) > 0;
	}
}
