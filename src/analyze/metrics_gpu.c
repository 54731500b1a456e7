/* metrics_gpu.c — GPU activity (PcieBottleneck): the GPU device fds of
 * each process and the time of the syscalls made on them, and the
 * trace's explicit GPU spans. Definitions in metrics.h. */
#include "metrics_int.h"

#include <stdlib.h>
#include <string.h>

#include "vec.h"

/* ------------------------------------------------------------------ */
/* GPU fds                                                             */

static bool gpu_path(const char *s)
{
	return !strncmp(s, "/dev/nvidia", 11) || !strncmp(s, "/dev/dri/", 9) || !strcmp(s, "/dev/kfd") ||
	       !strncmp(s, "/dev/accel/", 11);
}

long gpu_fd_find(const struct mproc *p, long fd)
{
	for (size_t i = 0; i < p->ngfd; i++)
		if (p->gfds[i].fd == fd)
			return (long)i;
	return -1;
}

static void gfd_del(struct mproc *p, long fd)
{
	long i = gpu_fd_find(p, fd);
	if (i >= 0)
		p->gfds[i] = p->gfds[--p->ngfd];
}

void gpu_fd_set(struct metrics *m, struct mproc *p, long fd, const char *path)
{
	if (fd < 0 || fd > INT32_MAX || !path)
		return;
	long i = gpu_fd_find(p, fd);
	if (i >= 0) {
		p->gfds[i].path = path;
		return;
	}
	if (!vec_grow(&p->gfds, &p->cgfd, p->ngfd + 1, sizeof(*p->gfds))) {
		m->oom = true;
		return;
	}
	p->gfds[p->ngfd++] = (struct gfd){(int)fd, path};
	for (size_t k = 0; k < p->ngpath; k++)
		if (p->gpaths[k] == path)
			return;
	if (!vec_grow(&p->gpaths, &p->cgpath, p->ngpath + 1, sizeof(*p->gpaths))) {
		m->oom = true;
		return;
	}
	p->gpaths[p->ngpath++] = path;
}

void gpu_on_fds(struct metrics *m, struct mproc *p, const struct event *ev, const struct nstat *s)
{
	const uint64_t *a = ev->raw_args;
	long res = ev->result;
	switch (s->kind) {
	case K_OPEN:
	case K_OPENAT: {
		if (!metrics_call_ok(ev))
			return;
		char buf[512];
		int idx = s->kind == K_OPEN ? 0 : 1;
		if (ev->arg_text[idx] && metrics_unquote(ev->arg_text[idx], buf, sizeof(buf)) && gpu_path(buf))
			gpu_fd_set(m, p, res, metrics_intern(m, buf));
		else
			gfd_del(p, res);
		return;
	}
	case K_CLOSE:
		if (p->ngfd && ev->finished)
			gfd_del(p, (long)(int)a[0]);
		return;
	case K_CLOSE_RANGE:
		if (p->ngfd && metrics_call_ok(ev) && !(a[2] & CLOSE_RANGE_CLOEXEC_FLAG))
			for (size_t i = p->ngfd; i-- > 0;)
				if ((uint64_t)p->gfds[i].fd >= (uint32_t)a[0] && (uint64_t)p->gfds[i].fd <= (uint32_t)a[1])
					p->gfds[i] = p->gfds[--p->ngfd];
		return;
	case K_FCNTL:
		if (a[1] != F_DUPFD_CMD && a[1] != F_DUPFD_CLOEXEC_CMD)
			return;
		/* fall through */
	case K_DUP: {
		if (!metrics_call_ok(ev))
			return;
		long i = gpu_fd_find(p, (long)(int)a[0]);
		if (i >= 0)
			gpu_fd_set(m, p, res, p->gfds[i].path);
		else
			gfd_del(p, res);
		return;
	}
	default:
		if (s->ret_fd && p->ngfd && metrics_call_ok(ev))
			gfd_del(p, res); /* a new fd reuses a number that was closed */
		return;
	}
}

void gpu_note_call(struct mproc *p, const struct event *ev, const struct nstat *s, uint64_t dur, uint64_t n)
{
	if (!p->ngfd || !s->fdmask)
		return;
	bool gpu = false;
	for (int i = 0; i < EVENT_MAX_ARGS && !gpu; i++)
		if ((s->fdmask >> i) & 1)
			gpu = gpu_fd_find(p, (long)(int)ev->raw_args[i]) >= 0;
	if (gpu) {
		p->gpu_ns += dur;
		p->gpu_calls += n;
		if (s->kind == K_IOCTL)
			p->gpu_ioctls += n;
	}
}

/* ------------------------------------------------------------------ */
/* Explicit GPU spans                                                  */

int metrics_add_gpu_spans(struct metrics *m, const struct trace_gpu_span *g, size_t n)
{
	if (!n)
		return 0;
	if (n > SIZE_MAX - m->ngpu || !vec_grow(&m->gpu, &m->cgpu, m->ngpu + n, sizeof(*m->gpu)))
		return -1;
	memcpy(m->gpu + m->ngpu, g, n * sizeof(*g));
	m->ngpu += n;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Query                                                               */

void metrics_gpu(struct metrics *m, const regex_t *sel, struct gpu_info *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < m->ngpu; i++) {
		const struct trace_gpu_span *g = &m->gpu[i];
		if (g->kind == TRACE_GPU_TRANSFER) {
			out->transfer_ns += g->duration_ns;
			out->transfer_bytes += g->bytes;
			out->ntransfer++;
		} else {
			out->kernel_ns += g->duration_ns;
			out->nkernel++;
		}
	}
	out->have_spans = out->transfer_ns + out->kernel_ns > 0;
	double best = -1;
	for (size_t i = 0; i < m->nprocs; i++) {
		struct mproc *p = m->procs[i];
		if (!p->ngpath || !mproc_selected(m, p, sel))
			continue;
		uint64_t wall = mproc_end(p) - mproc_start(p);
		if (mproc_end(p) < mproc_start(p))
			wall = 0;
		double c = wall ? (double)p->gpu_ns / (double)wall : 0;
		if (c > 1)
			c = 1;
		if (c > best) {
			best = c;
			out->have_fds = true;
			out->pid = p->pid;
			out->exe = mproc_exe(m, p);
			out->gpu_ns = p->gpu_ns;
			out->wall_ns = wall;
			out->ioctls = p->gpu_ioctls;
			out->gpu_calls = p->gpu_calls;
			out->npaths = 0;
			for (size_t k = 0; k < p->ngpath && k < 4; k++)
				out->paths[out->npaths++] = p->gpaths[k];
		}
	}
	if (out->have_spans)
		out->confidence = (double)out->transfer_ns / (double)(out->transfer_ns + out->kernel_ns);
	else if (out->have_fds)
		out->confidence = best;
}
