/* live.c — live output: the timer that flushes the writers, and strace's
 * "<unfinished ...>" / "<... NAME resumed>" interleaving (docs/design.md,
 * "Live output"). */
#include "engine_int.h"

#include <string.h>
#include <sys/time.h>

#include "diag.h"

/* Show t's pending call as "<unfinished ...>": the arguments known at
 * entry now, the rest with "<... NAME resumed>" at its exit. */
void live_show_unfinished(struct tracer *tr, struct task *t)
{
	if (tr->open_task == t)
		tr->open_task = NULL;
	if (!t->in_syscall || !t->shown_call || t->entry_shown || !t->decoded)
		return;
	const struct syscall_info *info = syscall_lookup(t->nr);
	struct event *ev = &tr->ev;
	memset(ev, 0, sizeof(*ev));
	engine_event_head(tr, ev, t, info);
	ev->ts_ns = t->entry_ns;
	ev->ip = t->ip;
	ev->nshown = t->at.nshown;
	ev->split = argtext_entry_count(&t->at);
	for (int i = 0; i < ev->split; i++)
		ev->arg_text[i] = argtext_arg(&t->at, i);
	t->entry_shown = true;
	t->split = (int8_t)ev->split;
	for (int i = 0; i < tr->nsinks; i++)
		if (tr->sinks[i]->unfinished)
			tr->sinks[i]->unfinished(tr->sinks[i]->self, ev);
}

/* Before any output line of task t: the call another task left open
 * goes out as unfinished first, so lines stay in the order things
 * happened (as strace prints them). */
void live_settle_output(struct tracer *tr, const struct task *t)
{
	struct task *open = tr->open_task;
	if (!open)
		return;
	if (open != t)
		live_show_unfinished(tr, open);
	tr->open_task = NULL;
}

/* The timer runs only while there is something to show, so an idle
 * tracer is never woken. It is periodic: a tick that lands just before
 * wait4 blocks is followed by another one. */
void live_arm_tick(struct tracer *tr, bool on)
{
	struct itimerval it;
	memset(&it, 0, sizeof(it));
	if (on) {
		it.it_value.tv_usec = (suseconds_t)(TICK_NS / 1000);
		it.it_interval = it.it_value;
	}
	if (setitimer(ITIMER_REAL, &it, NULL) == 0)
		tr->tick_armed = on;
}

bool live_output_pending(const struct tracer *tr)
{
	if (tr->open_task)
		return true;
	for (int i = 0; i < tr->nwriters; i++)
		if (tr->writers[i]->len)
			return true;
	return false;
}

/* The timer expired: a call blocked long enough is shown as unfinished,
 * and every line so far reaches its destination. */
void live_on_tick(struct tracer *tr)
{
	struct task *open = tr->open_task;
	if (open && tracer_now(tr) - open->entry_ns >= UNFINISHED_AFTER_NS)
		live_show_unfinished(tr, open);
	for (int i = 0; i < tr->nwriters; i++)
		writer_flush(tr->writers[i]);
	if (!live_output_pending(tr))
		live_arm_tick(tr, false);
}
