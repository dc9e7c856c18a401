/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Maps and helpers shared by both tsdenet programs (BTF and classic). */
#ifndef __TSDENET_COMMON_BPF_H
#define __TSDENET_COMMON_BPF_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "syscount.h"

#ifndef E2BIG
#define E2BIG 7
#endif
#ifndef EEXIST
#define EEXIST 17
#endif

/*
 * Counts of exited threads (and, in classic mode, of every thread).
 * No preallocation: memory follows the number of (thread, syscall) pairs
 * really used; user space sets max_entries before load (--max-entries).
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 1 << 20);
	__type(key, struct count_key);
	__type(value, __u64);
} counts SEC(".maps");

/* Name and parent of each exited tracked thread, key: tid. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 1 << 18);
	__type(key, __u32);
	__type(value, struct task_info);
} tasks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct config);
} config SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct stats);
} stats SEC(".maps");

static __always_inline struct stats *get_stats(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&stats, &zero);
}

static __always_inline struct config *get_config(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&config, &zero);
}

/*
 * Adds n to counts[key]. Lookup first, then insert with NOEXIST; if another
 * CPU inserted the same key in between (-EEXIST), add to its entry. When the
 * map is full the calls are added to stats.dropped_calls: never lost silently.
 */
static __always_inline void add_count(struct count_key *key, __u64 n)
{
	__u64 *val = bpf_map_lookup_elem(&counts, key);
	long err;

	if (val) {
		__sync_fetch_and_add(val, n);
		return;
	}
	err = bpf_map_update_elem(&counts, key, &n, BPF_NOEXIST);
	if (err == -EEXIST) {
		val = bpf_map_lookup_elem(&counts, key);
		if (val) {
			__sync_fetch_and_add(val, n);
			return;
		}
	}
	if (err) {
		struct stats *st = get_stats();

		if (st)
			__sync_fetch_and_add(&st->dropped_calls, n);
	}
}

static __always_inline void count_lost_task(void)
{
	struct stats *st = get_stats();

	if (st)
		__sync_fetch_and_add(&st->lost_tasks, 1);
}

static __always_inline void save_task_info(__u32 tid, __u32 tgid, __u32 ppid)
{
	struct task_info info = { .tgid = tgid, .ppid = ppid };

	bpf_get_current_comm(info.comm, sizeof(info.comm));
	if (bpf_map_update_elem(&tasks, &tid, &info, BPF_ANY)) {
		struct stats *st = get_stats();

		if (st)
			__sync_fetch_and_add(&st->lost_task_info, 1);
	}
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#endif /* __TSDENET_COMMON_BPF_H */
