#!/usr/bin/env bash
# Opens to one group exactly the tracefs files tsdenet's classic-tracepoint
# fallback reads: the id and format files of five events (sys_exit for
# --errors and --latency; sched_process_exec follows an execve from a
# thread other than the leader), and search (never read or write) permission on
# the directories above them. Nothing else in tracefs opens: no ring buffer
# (trace, trace_pipe), no trace_marker, no event list, no control file.
#
#   tracefs-permissions.sh apply GROUP     # at setup and at every boot
#   tracefs-permissions.sh pending GROUP   # what apply would change: mode group path
#   tracefs-permissions.sh list            # the paths apply changes: mode group path
#
# Why the "pin" step: since Linux 6.x a tracefs entry whose owner was never
# set explicitly shows the owner of the tracefs root, so giving the root to
# GROUP would hand GROUP every top-level file (trace 0640 becomes readable,
# trace_marker 0220 writable). Each top-level entry other than events/
# (eventfs keeps its own owners) is therefore first chgrp'ed to the group it
# shows, root's, which sets it explicitly and stops the inheritance; the
# directories options/, per_cpu/ and instances/ stay closed to GROUP, so
# nothing below them opens either.
#
# Both mount points are handled; they are the same tracefs instance, so a
# change through one shows through the other. /sys/kernel/debug itself is
# left alone (debugfs exposes far more than tracing).
set -euo pipefail

readonly MOUNT_POINTS=(/sys/kernel/tracing /sys/kernel/debug/tracing)
readonly EVENT_DIRS=(
	events
	events/raw_syscalls
	events/raw_syscalls/sys_enter
	events/raw_syscalls/sys_exit
	events/sched
	events/sched/sched_process_fork
	events/sched/sched_process_exit
	events/sched/sched_process_exec
)
readonly EVENT_FILES=(
	events/raw_syscalls/sys_enter/id
	events/raw_syscalls/sys_enter/format
	events/raw_syscalls/sys_exit/id
	events/raw_syscalls/sys_exit/format
	events/sched/sched_process_fork/id
	events/sched/sched_process_fork/format
	events/sched/sched_process_exit/id
	events/sched/sched_process_exit/format
	events/sched/sched_process_exec/id
	events/sched/sched_process_exec/format
)

die() {
	echo "tracefs-permissions.sh: $*" >&2
	exit 1
}

# Mounted tracefs roots, from /proc/self/mountinfo (field 5 is the mount
# point, the type follows " - ").
mounted_roots() {
	local mp
	for mp in "${MOUNT_POINTS[@]}"; do
		if awk -v mp="$mp" '{ for (i = 1; i <= NF; i++) if ($i == "-") { if ($5 == mp && $(i + 1) == "tracefs") found = 1; break } } END { exit !found }' /proc/self/mountinfo; then
			echo "$mp"
		fi
	done
}

# What apply does to each path, one "KIND PATH" a line, root first:
#   search  the root: group GROUP, group search only (g+x, g-rw)
#   walk    event directories: search for all, listing for the owner only (go-rw)
#   read    event id/format files: group GROUP, group read
plan() {
	local root rel
	while read -r root; do
		echo "search $root"
		for rel in "${EVENT_DIRS[@]}"; do [[ -d "$root/$rel" ]] && echo "walk $root/$rel"; done
		for rel in "${EVENT_FILES[@]}"; do [[ -e "$root/$rel" ]] && echo "read $root/$rel"; done
	done < <(mounted_roots)
}

# Top-level entries other than events/, which inherit the root's group.
top_level() {
	local root=$1 entry
	for entry in "$root"/*; do
		[[ "$entry" == "$root/events" ]] || echo "$entry"
	done
}

# Whether PATH is as apply leaves it for KIND.
settled() {
	local kind=$1 path=$2 group=$3 mode owner_group
	read -r mode owner_group < <(stat -c '%a %G' "$path")
	mode=$((8#$mode))
	case $kind in
	search) [[ "$owner_group" == "$group" ]] && (((mode & 8#070) == 8#010)) ;;
	walk) (((mode & 8#066) == 0 && (mode & 8#011) == 8#011)) ;;
	read) [[ "$owner_group" == "$group" ]] && (((mode & 8#070) == 8#040)) ;;
	esac
}

pending() {
	local group=$1 kind path root entry
	while read -r kind path; do
		settled "$kind" "$path" "$group" || stat -c '%a %G %n' "$path"
	done < <(plan)
	# Entries that inherit GROUP from an already opened root: not pinned yet.
	while read -r root; do
		[[ "$(stat -c '%G' "$root")" == "$group" ]] || continue
		while read -r entry; do
			[[ "$(stat -c '%G' "$entry")" == "$group" ]] && stat -c '%a %G %n' "$entry"
		done < <(top_level "$root")
	done < <(mounted_roots)
	return 0
}

apply() {
	local group=$1 kind path root entry
	getent group "$group" >/dev/null || die "no group $group"
	[[ -n "$(mounted_roots)" ]] || die "tracefs is not mounted (mount -t tracefs nodev /sys/kernel/tracing)"
	while read -r root; do
		# Pin before the root changes group (see the top of this file).
		while read -r entry; do
			if [[ "$(stat -c '%G' "$entry")" == "$group" ]]; then chgrp 0 "$entry"; else chgrp "$(stat -c '%g' "$entry")" "$entry"; fi
		done < <(top_level "$root")
	done < <(mounted_roots)
	while read -r kind path; do
		settled "$kind" "$path" "$group" && continue
		case $kind in
		search) chgrp "$group" "$path" && chmod g+x,g-rw "$path" ;;
		walk) chmod go-rw,go+x "$path" ;;
		read) chgrp "$group" "$path" && chmod g+r,g-wx "$path" ;;
		esac
	done < <(plan)
}

case "${1:-}" in
apply)
	[[ $# -eq 2 ]] || die "usage: $0 apply GROUP"
	apply "$2"
	;;
pending)
	[[ $# -eq 2 ]] || die "usage: $0 pending GROUP"
	pending "$2"
	;;
list)
	while read -r _ path; do
		stat -c '%a %G %n' "$path"
	done < <(plan)
	;;
*)
	die "usage: $0 apply GROUP | pending GROUP | list"
	;;
esac
