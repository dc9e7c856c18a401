#!/usr/bin/env bash
# Makes the tracefs files tsdenet's classic-tracepoint fallback reads
# readable by one group: the tracefs root directory (search only) and the
# id and format files of four events (sys_exit: --errors and --latency). Nothing else in tracefs changes: no
# write access, no ring buffer (trace, trace_pipe), no other events.
#
#   tracefs-permissions.sh apply GROUP    # at setup and at every boot
#   tracefs-permissions.sh list           # the paths, one a line, with mode and group
#
# Both mount points are handled; they are the same tracefs instance, so a
# change through one shows through the other. /sys/kernel/debug itself is
# left alone (debugfs exposes far more than tracing).
set -euo pipefail

readonly MOUNT_POINTS=(/sys/kernel/tracing /sys/kernel/debug/tracing)
readonly EVENT_FILES=(
	events/raw_syscalls/sys_enter/id
	events/raw_syscalls/sys_enter/format
	events/raw_syscalls/sys_exit/id
	events/raw_syscalls/sys_exit/format
	events/sched/sched_process_fork/id
	events/sched/sched_process_fork/format
	events/sched/sched_process_exit/id
	events/sched/sched_process_exit/format
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

# Every path the group needs, root directory first.
paths() {
	local root f
	while read -r root; do
		echo "$root"
		for f in "${EVENT_FILES[@]}"; do
			[[ -e "$root/$f" ]] && echo "$root/$f"
		done
	done < <(mounted_roots)
}

apply() {
	local group=$1 path
	getent group "$group" >/dev/null || die "no group $group"
	[[ -n "$(mounted_roots)" ]] || die "tracefs is not mounted (mount -t tracefs nodev /sys/kernel/tracing)"
	while read -r path; do
		chgrp "$group" "$path"
		if [[ -d "$path" ]]; then chmod g+x "$path"; else chmod g+r "$path"; fi
	done < <(paths)
}

case "${1:-}" in
apply)
	[[ $# -eq 2 ]] || die "usage: $0 apply GROUP"
	apply "$2"
	;;
list)
	while read -r path; do
		stat -c '%a %G %n' "$path"
	done < <(paths)
	;;
*)
	die "usage: $0 apply GROUP | list"
	;;
esac
