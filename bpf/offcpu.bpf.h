/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --offcpu, written once for both programs: what a thread's switch-out and
 * its next switch-in do to its struct offcpu_thread (syscount.h). Each
 * program keeps that struct where it can (task storage, or a hash map) and
 * decides its own way whether the thread was runnable when it left the CPU.
 * Only the thread's own switches touch its struct, and those never run at
 * once: plain stores, no atomics.
 */
#ifndef __TSDENET_OFFCPU_BPF_H
#define __TSDENET_OFFCPU_BPF_H

#include "common.bpf.h"

/* The thread leaves the CPU at `now`: preempted while runnable, or to sleep or block. */
static __always_inline void offcpu_leave(struct offcpu_thread *o, __u64 now, int runnable)
{
	o->since_ns = now;
	o->reason = runnable ? OFFCPU_RUNNABLE : OFFCPU_SLEEPING;
}

/* The thread is back on a CPU at `now`: the interval since its switch-out ends. */
static __always_inline void offcpu_return(struct offcpu_thread *o, __u64 now)
{
	__u64 since = o->since_ns, delta;

	if (!since || now < since)
		return;
	delta = now - since;
	o->since_ns = 0;
	if (o->reason == OFFCPU_RUNNABLE)
		o->runnable_ns += delta;
	else
		o->sleeping_ns += delta;
	o->events++;
	if (delta > o->max_ns)
		o->max_ns = delta;
}

#endif /* __TSDENET_OFFCPU_BPF_H */
