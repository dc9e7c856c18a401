#!/usr/bin/env bash
# Sets up non-root eBPF profiling with tsdenet, persistently and reversibly:
#   - group `tracing` (created if missing) with the user in it;
#   - the tracefs event files tsdenet reads made readable by that group,
#     and nothing else in tracefs, now and at every boot (a systemd unit
#     when systemd runs);
#   - PREFIX/lib/tsdenet/tsdenet-privileged, the one program the group may
#     run as root (/etc/sudoers.d/tsdenet-GROUP): it switches back to the
#     user with only CAP_BPF and CAP_PERFMON (ambient) and runs root-owned
#     node on this root-owned package, with a fixed environment; tsdenet
#     drops them for every program it starts;
#   - PREFIX/bin/tsdenet, the launcher users run: through sudo and
#     tsdenet-privileged for members (their environment passed on fd 3, for
#     the command), plain node without capabilities for everyone else;
#   - kernel.perf_event_paranoid = 2 through /etc/sysctl.d, only when higher.
# kptr_restrict and unprivileged_bpf_disabled are left alone unless a flag
# asks: tsdenet does not need them lowered (see docs/privileges.md).
#
# Every change is recorded in PREFIX/lib/tsdenet/setup.state; --uninstall
# reverts exactly those. Running it twice changes nothing the second time.
set -euo pipefail

PROG=tracefs.sh
usage() {
	cat <<EOF
usage: sudo $0 [--user NAME] [--group NAME] [--prefix DIR] [--node PATH]
                 [--root DIR] [--dry-run] [--uninstall]
                 [--lower-kptr-restrict] [--allow-unprivileged-bpf]

  --user NAME      user to add to the group (default: \$SUDO_USER)
  --group NAME     group allowed to profile (default: tracing)
  --prefix DIR     install the launcher as DIR/bin/tsdenet (default: /usr/local)
  --node PATH      node binary tsdenet runs with (default: node in PATH); it
                   and every directory above it must be root's alone
  --root DIR       stage every file under DIR (packagers, tests); the live
                   system (groups, tracefs, sysctls, systemd) is not touched
  --dry-run        print every change, make none
  --uninstall      revert every change a previous run recorded
  --lower-kptr-restrict     also set kernel.kptr_restrict=0 (NOT needed by tsdenet)
  --allow-unprivileged-bpf  also set kernel.unprivileged_bpf_disabled=0 (NOT needed)
EOF
}

die() {
	echo "$PROG: error: $*" >&2
	exit 1
}
say() { echo "$PROG: $*"; }

USER_NAME=${SUDO_USER:-}
GROUP=tracing
PREFIX=/usr/local
NODE_SRC=
ROOT=
DRY_RUN=0
UNINSTALL=0
LOWER_KPTR=0
UNPRIV_BPF=0

while [[ $# -gt 0 ]]; do
	case "$1" in
	--user) USER_NAME=${2:?--user needs a name}; shift 2 ;;
	--group) GROUP=${2:?--group needs a name}; shift 2 ;;
	--prefix) PREFIX=${2:?--prefix needs a directory}; shift 2 ;;
	--node) NODE_SRC=${2:?--node needs a path}; shift 2 ;;
	--root) ROOT=${2:?--root needs a directory}; shift 2 ;;
	--dry-run) DRY_RUN=1; shift ;;
	--uninstall) UNINSTALL=1; shift ;;
	--lower-kptr-restrict) LOWER_KPTR=1; shift ;;
	--allow-unprivileged-bpf) UNPRIV_BPF=1; shift ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; die "unknown argument: $1" ;;
	esac
done

[[ "$PREFIX" == /* ]] || die "--prefix must be an absolute path (got $PREFIX)"
[[ -z "$ROOT" || "$ROOT" == /* ]] || die "--root must be an absolute path (got $ROOT)"
[[ "$GROUP" =~ ^[a-z_][a-z0-9_-]*$ ]] || die "bad group name: $GROUP"
# The prefix is written into a sudoers rule: no character sudoers treats specially.
[[ "$PREFIX" =~ ^/[A-Za-z0-9_./+-]*$ ]] || die "--prefix may hold only letters, digits and _ . / + - (got $PREFIX)"
if [[ $EUID -ne 0 && $DRY_RUN -eq 0 ]]; then
	die "must run as root (try: sudo $0 $*)"
fi

LIVE=1
[[ -n "$ROOT" ]] && LIVE=0
SELF_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
PKG_DIR=$(cd "$SELF_DIR/.." && pwd -P)
LIBDIR=$PREFIX/lib/tsdenet
# An earlier version of this script installed a node copy holding file
# capabilities here: anyone in the group could run any code with them.
OLD_NODE_COPY=$LIBDIR/node
PRIVILEGED=$LIBDIR/tsdenet-privileged
PERMS=$LIBDIR/tracefs-permissions.sh
STATE=$LIBDIR/setup.state
LAUNCHER=$PREFIX/bin/tsdenet
UNIT_NAME=tsdenet-tracefs.service
UNIT=/etc/systemd/system/$UNIT_NAME
UNIT_LINK=/etc/systemd/system/multi-user.target.wants/$UNIT_NAME
SYSCTL_FILE=/etc/sysctl.d/60-tsdenet.conf
# sudo reads every file in /etc/sudoers.d whose name has no '.' and no '~'.
SUDOERS=/etc/sudoers.d/tsdenet-$GROUP
SUDO=/usr/bin/sudo
SETPRIV=/usr/bin/setpriv

CHANGES=0
# Runs a change, or only prints it with --dry-run.
change() {
	local what=$1
	shift
	CHANGES=$((CHANGES + 1))
	if [[ $DRY_RUN -eq 1 ]]; then
		say "would: $what"
	else
		say "$what"
		"$@"
	fi
}

quiet() { "$@" >/dev/null; }
systemd_running() { [[ $LIVE -eq 1 && -d /run/systemd/system ]]; }

# --- state: key=value lines; multi-valued keys are space-separated ---------
declare -A ST=()
load_state() {
	local key value
	[[ -f "$ROOT$STATE" ]] || return 0
	while IFS='=' read -r key value; do
		[[ "$key" =~ ^[a-z_]+$ ]] && ST[$key]=$value
	done <"$ROOT$STATE"
}
state_text() {
	local key
	for key in $(printf '%s\n' "${!ST[@]}" | sort); do
		printf '%s=%s\n' "$key" "${ST[$key]}"
	done
}
state_remove() { # key word: removes word from a space-separated key
	local key=$1 word=$2 kept=() w
	for w in ${ST[$key]:-}; do [[ "$w" == "$word" ]] || kept+=("$w"); done
	if [[ ${#kept[@]} -eq 0 ]]; then unset "ST[$key]"; else ST[$key]="${kept[*]}"; fi
}
state_add() { # key word: appends word to a space-separated key once
	local key=$1 word=$2
	[[ " ${ST[$key]:-} " == *" $word "* ]] || ST[$key]="${ST[$key]:+${ST[$key]} }$word"
}

# --- files ----------------------------------------------------------------
# install_file MODE OWNER:GROUP DEST [CHECK...] (content on stdin); unchanged
# files are not touched; CHECK, when given, must accept the new content's
# file (its path is appended) before it is installed.
install_file() {
	local mode=$1 owner=$2 dest=$3 tmp
	shift 3
	tmp=$(mktemp)
	cat >"$tmp"
	if [[ $# -gt 0 ]] && ! "$@" "$tmp" >/dev/null 2>&1; then
		rm -f "$tmp"
		die "internal error: $* rejects the content for $dest"
	fi
	if [[ -f "$ROOT$dest" ]] && cmp -s "$tmp" "$ROOT$dest" && [[ "$(stat -c '%a %U:%G' "$ROOT$dest")" == "${mode#0} $owner" ]]; then
		rm -f "$tmp"
		return 0
	fi
	ensure_dir "$(dirname "$dest")"
	change "install $ROOT$dest ($mode $owner)" install -m "$mode" -o "${owner%%:*}" -g "${owner##*:}" "$tmp" "$ROOT$dest"
	rm -f "$tmp"
	state_add files "$dest"
}
declare -A PLANNED_DIRS=()
ensure_dir() {
	local dir=$1
	[[ -d "$ROOT$dir" || -n "${PLANNED_DIRS[$dir]:-}" ]] && return 0
	ensure_dir "$(dirname "$dir")"
	change "create directory $ROOT$dir" install -d -m 0755 "$ROOT$dir"
	PLANNED_DIRS[$dir]=1
	state_add dirs "$dir"
}

# Everything tsdenet-privileged runs with capabilities must be writable by
# root only: anyone else who could change a file, or a directory above it
# (renaming a file away and putting their own in its place), would run code
# with CAP_BPF+CAP_PERFMON. Checked for the node binary, and for every file
# of the package at its resolved location: a symlinked dependency counts
# where it really is, with every directory above that.
declare -A CHECKED=()
check_root_chain() { # PATH: it and every directory above it
	local path=$1 owner mode
	while [[ -z "${CHECKED[$path]:-}" ]]; do
		read -r owner mode < <(stat -c '%u %a' "$path")
		[[ "$owner" == 0 ]] || die "$path is not owned by root: tsdenet-privileged would run code others can change (install tsdenet and node as root, e.g. npm install -g)"
		mode=$((8#$mode))
		# A sticky directory owned by root (/tmp) is safe: others may add
		# entries but not rename or remove root's.
		if ((mode & 8#022)) && ! { [[ -d "$path" ]] && ((mode & 8#1000)); }; then
			die "$path is writable by group or others; tsdenet-privileged needs files only root can change"
		fi
		CHECKED[$path]=1
		[[ "$path" != / ]] || break
		path=$(dirname "$path")
	done
}

check_package_ownership() {
	local roots=("$PKG_DIR/bin" "$PKG_DIR/dist" "$PKG_DIR/bpf" "$PKG_DIR/node_modules" "$PKG_DIR/package.json") out target
	check_root_chain "$PKG_DIR"
	# -L: a symlink is judged by what it points to, and followed into.
	out=$(find -L "${roots[@]}" \( ! -user 0 -o -perm /022 \) -print -quit 2>&1) || die "cannot check the package's files: $out"
	if [[ -n "$out" ]]; then
		target=$(readlink -f "$out")
		[[ "$target" == "$out" ]] || out="$out (really $target)"
		die "$out is not owned by root or is writable by others; tsdenet-privileged would run it with capabilities"
	fi
	# Where each symlink really points, and every directory above that
	# (with -L, -xtype l is every symlink, also inside followed ones).
	while IFS= read -r -d '' target; do
		check_root_chain "$target"
	done < <(find -L "${roots[@]}" -xtype l -print0 | xargs -0 -r realpath -z -- | sort -zu)
}

launcher_text() {
	cat <<EOF
#!/bin/bash
# tsdenet launcher, installed by $PKG_DIR/setup/tracefs.sh
# (remove with: sudo $PKG_DIR/setup/tracefs.sh --uninstall --prefix $PREFIX).
# Members of group $GROUP run tsdenet through sudo and $PRIVILEGED,
# which gives tsdenet's own process CAP_BPF and CAP_PERFMON and the command
# none. The environment this script was started with goes to the command on
# file descriptor 3, untouched by sudo: /proc/\$\$/environ is that block as
# it came (bash's own additions, SHLVL and _, are not in it), kept in a file
# of the user's that is unlinked at once. Everyone else runs tsdenet
# without capabilities.
if [[ " \$(/usr/bin/id -Gn 2>/dev/null) " == *" $GROUP "* ]]; then
	env_file=\$(/usr/bin/mktemp "\${TMPDIR:-/tmp}/tsdenet-env.XXXXXX" 2>/dev/null || /usr/bin/mktemp /tmp/tsdenet-env.XXXXXX) || exit 1
	/usr/bin/cat /proc/\$\$/environ >"\$env_file" && exec 3<"\$env_file"
	/usr/bin/rm -f -- "\$env_file"
	exec $SUDO -n -- $(printf '%q' "$PRIVILEGED") "\$@"
fi
exec $(printf '%q' "$NODE_SRC") $(printf '%q' "$PKG_DIR/bin/tsdenet.js") "\$@"
EOF
}

privileged_text() {
	cat <<EOF
#!/bin/sh
# The fixed entry point through which members of group $GROUP profile with
# CAP_BPF and CAP_PERFMON; installed by $PKG_DIR/setup/tracefs.sh.
# $SUDOERS lets the group run this file, and nothing else, as
# root. It goes back to the user who ran sudo (uid, gid, groups) keeping
# only CAP_BPF and CAP_PERFMON (ambient), and runs root-owned node on
# root-owned tsdenet with a fixed environment: nothing of the user's reaches
# node or the dynamic loader. tsdenet empties its inheritable and ambient
# sets before it starts anything, so no program it starts holds a
# capability; the user's environment, for the command, comes on file
# descriptor 3 ($LAUNCHER writes it there).
set -eu
for id in "\${SUDO_UID:-}" "\${SUDO_GID:-}"; do
	case \$id in '' | *[!0-9]*)
		echo "tsdenet-privileged: run $LAUNCHER instead (this file is for sudo)" >&2
		exit 1
		;;
	esac
done
if ! (true <&3) 2>/dev/null; then
	echo "tsdenet-privileged: run $LAUNCHER instead (it passes your environment on fd 3)" >&2
	exit 1
fi
exec /usr/bin/env -i PATH=/usr/bin:/bin TSDENET_USER_ENV_FD=3 \\
	$SETPRIV --reuid="\$SUDO_UID" --regid="\$SUDO_GID" --init-groups \\
	--inh-caps=-all,+bpf,+perfmon --ambient-caps=-all,+bpf,+perfmon \\
	-- $(printf '%q' "$NODE_SRC") -- $(printf '%q' "$PKG_DIR/bin/tsdenet.js") "\$@"
EOF
}

# sudo sets the core dump limit to 0 for itself (hard limit included) and,
# by default, for the command. Giving the user's back takes
# CAP_SYS_RESOURCE, which some containers and VMs take from root's bounding
# set; there sudo would print an error at every run, so the limit stays 0.
core_limit_rule() {
	local bounding
	bounding=$(awk '/^CapBnd:/ { print $2 }' /proc/self/status)
	if (((16#$bounding >> 24) & 1)); then
		echo "Defaults!$PRIVILEGED rlimit_core=user"
	else
		echo "# Not rlimit_core=user: root lacks CAP_SYS_RESOURCE here, so the command gets no core dumps."
	fi
}

sudoers_text() {
	cat <<EOF
# tsdenet: installed by $PKG_DIR/setup/tracefs.sh, removed by its --uninstall.
# Members of group $GROUP may run $PRIVILEGED as root, and
# nothing else; it keeps CAP_BPF and CAP_PERFMON for tsdenet's own process
# (docs/privileges.md). closefrom=4: the user's environment, for the
# command, comes on fd 3. !use_pty: the command keeps the user's terminal;
# !requiretty: it runs without one too (cron, CI; some systems require one).
# umask=0777: the user's umask is kept. !pam_session (no PAM session) and
# rlimit_*=user: the user's resource limits are kept.
Defaults!$PRIVILEGED closefrom=4, !use_pty, !requiretty, umask=0777, !pam_session
Defaults!$PRIVILEGED rlimit_as=user, rlimit_cpu=user, rlimit_data=user, rlimit_fsize=user, rlimit_locks=user
Defaults!$PRIVILEGED rlimit_memlock=user, rlimit_nofile=user, rlimit_nproc=user, rlimit_rss=user, rlimit_stack=user
$(core_limit_rule)
%$GROUP ALL=(root) NOPASSWD: $PRIVILEGED
EOF
}

unit_text() {
	cat <<EOF
[Unit]
Description=tsdenet: tracefs event files readable by group $GROUP
Documentation=file://$PKG_DIR/docs/privileges.md
Wants=sys-kernel-tracing.mount
After=sys-kernel-tracing.mount sys-kernel-debug.mount

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=$PERMS apply $GROUP

[Install]
WantedBy=multi-user.target
EOF
}

sysctl_value() { cat "/proc/sys/${1//.//}"; }

tracefs_mounted() {
	awk '{ for (i = 1; i <= NF; i++) if ($i == "-") { if ($(i + 1) == "tracefs") found = 1; break } } END { exit !found }' /proc/self/mountinfo
}

# --- install --------------------------------------------------------------
step_group() {
	if getent group "$GROUP" >/dev/null; then return 0; fi
	change "create group $GROUP" groupadd --system "$GROUP"
	ST[group_created]=$GROUP
}

step_membership() {
	[[ -n "$USER_NAME" ]] || return 0
	if id -nG "$USER_NAME" 2>/dev/null | tr ' ' '\n' | grep -qx "$GROUP"; then return 0; fi
	change "add $USER_NAME to group $GROUP (takes effect at their next login)" usermod -aG "$GROUP" "$USER_NAME"
	state_add users_added "$USER_NAME"
}

step_tracefs_now() {
	local mode group path need_apply=0
	if ! tracefs_mounted; then
		change "mount tracefs at /sys/kernel/tracing" mount -t tracefs nodev /sys/kernel/tracing
		ST[tracefs_mounted]=1
		[[ $DRY_RUN -eq 1 ]] && return 0
	fi
	# Record each path's mode and group before its first change, for --uninstall.
	while read -r mode group path; do
		[[ " ${ST[tracefs_orig]:-} " == *" $path:"* ]] || state_add tracefs_orig "$path:$mode:$group"
		CHANGES=$((CHANGES + 1))
		need_apply=1
		if [[ $DRY_RUN -eq 1 ]]; then say "would: set $path as tsdenet needs it for group $GROUP"; fi
	done < <(bash "$SELF_DIR/tracefs-permissions.sh" pending "$GROUP")
	if [[ $DRY_RUN -eq 0 && $need_apply -eq 1 ]]; then
		say "make the tracefs event files tsdenet reads readable by group $GROUP, and nothing else"
		bash "$SELF_DIR/tracefs-permissions.sh" apply "$GROUP"
	fi
}

step_boot_unit() {
	install_file 0755 root:root "$PERMS" <"$SELF_DIR/tracefs-permissions.sh"
	if [[ $LIVE -eq 1 ]] && ! systemd_running; then
		say "note: systemd is not running: re-run this script after each boot to restore the tracefs permissions"
		return 0
	fi
	install_file 0644 root:root "$UNIT" < <(unit_text)
	if [[ ! -L "$ROOT$UNIT_LINK" ]]; then
		ensure_dir "$(dirname "$UNIT_LINK")"
		change "enable $UNIT_NAME at boot" ln -s "$UNIT" "$ROOT$UNIT_LINK"
		state_add files "$UNIT_LINK"
		if systemd_running && [[ $DRY_RUN -eq 0 ]]; then systemctl daemon-reload; fi
	fi
}

step_launcher() {
	if [[ -z "$NODE_SRC" ]]; then NODE_SRC=$(command -v node) || die "node not found in PATH; give --node PATH"; fi
	NODE_SRC=$(readlink -f "$NODE_SRC")
	[[ -f "$NODE_SRC" && -x "$NODE_SRC" ]] || die "$NODE_SRC is not an executable file"
	check_root_chain "$NODE_SRC"
	[[ $(($(stat -c '0%a' "$NODE_SRC") & 01)) -ne 0 ]] || die "$NODE_SRC must be executable by everyone: tsdenet runs with it as the user"
	if [[ $LIVE -eq 1 ]]; then
		[[ -x "$SUDO" ]] || die "$SUDO is missing: members get the capabilities through sudo (apt-get install sudo)"
		[[ -x "$SETPRIV" ]] || die "$SETPRIV is missing (apt-get install util-linux)"
	fi
	command -v visudo >/dev/null || die "visudo is missing: the sudoers rule cannot be checked (apt-get install sudo)"
	if [[ " ${ST[files]:-} " == *" $OLD_NODE_COPY "* && -e "$ROOT$OLD_NODE_COPY" ]]; then
		change "remove $ROOT$OLD_NODE_COPY, the capability-holding node copy of an earlier setup" rm -f "$ROOT$OLD_NODE_COPY"
	fi
	state_remove files "$OLD_NODE_COPY"
	if [[ -e "$ROOT$SUDOERS" && " ${ST[files]:-} " != *" $SUDOERS "* ]]; then
		die "$ROOT$SUDOERS exists and was not installed by this setup (another --prefix for group $GROUP?); uninstall that one first"
	fi
	install_file 0755 root:root "$PRIVILEGED" < <(privileged_text)
	install_file 0755 root:root "$LAUNCHER" < <(launcher_text)
	install_file 0440 root:root "$SUDOERS" visudo -c -q -f < <(sudoers_text)
}

step_sysctls() {
	local lines=() current
	current=$(sysctl_value kernel.perf_event_paranoid)
	if [[ -f "$ROOT$SYSCTL_FILE" ]] && grep -q '^kernel.perf_event_paranoid' "$ROOT$SYSCTL_FILE"; then
		lines+=("kernel.perf_event_paranoid = 2")
	elif [[ "$current" -gt 2 ]]; then
		lines+=("kernel.perf_event_paranoid = 2")
		ST[prev_perf_event_paranoid]=$current
	fi
	if [[ $LOWER_KPTR -eq 1 ]]; then
		say "warning: kptr_restrict=0 shows kernel addresses (/proc/kallsyms, ...) to every user, weakening KASLR; tsdenet does not need it"
		lines+=("kernel.kptr_restrict = 0")
		[[ -n "${ST[prev_kptr_restrict]:-}" ]] || ST[prev_kptr_restrict]=$(sysctl_value kernel.kptr_restrict)
	fi
	if [[ $UNPRIV_BPF -eq 1 ]]; then
		say "warning: unprivileged_bpf_disabled=0 lets every user load BPF socket filters, a frequent kernel attack surface; tsdenet does not need it"
		[[ "$(sysctl_value kernel.unprivileged_bpf_disabled)" != 1 ]] || die "kernel.unprivileged_bpf_disabled is 1 (locked until reboot); cannot lower it"
		lines+=("kernel.unprivileged_bpf_disabled = 0")
		[[ -n "${ST[prev_unprivileged_bpf_disabled]:-}" ]] || ST[prev_unprivileged_bpf_disabled]=$(sysctl_value kernel.unprivileged_bpf_disabled)
	fi
	[[ ${#lines[@]} -gt 0 ]] || return 0
	install_file 0644 root:root "$SYSCTL_FILE" < <(
		echo "# Written by $PKG_DIR/setup/tracefs.sh; removed by its --uninstall."
		printf '%s\n' "${lines[@]}"
	)
	if [[ $LIVE -eq 1 ]]; then
		local kv key value
		for kv in "${lines[@]}"; do
			key=${kv%% = *}
			value=${kv##* = }
			[[ "$(sysctl_value "$key")" == "$value" ]] || change "set $key = $value" sysctl -q -w "$key=$value"
		done
	fi
}

install_all() {
	[[ -f "$PKG_DIR/bin/tsdenet.js" && -f "$PKG_DIR/dist/cli-bundle/main.js" ]] || die "$PKG_DIR is not a built tsdenet package (npm run build)"
	if [[ $LIVE -eq 1 ]]; then
		[[ -n "$USER_NAME" ]] || die "no user: run it through sudo, or give --user NAME"
		id -u "$USER_NAME" >/dev/null 2>&1 || die "no such user: $USER_NAME"
	fi
	check_package_ownership
	load_state
	local before
	before=$(state_text)
	ST[prefix]=$PREFIX
	ST[group]=$GROUP
	if [[ $LIVE -eq 1 ]]; then
		step_group
		step_membership
		step_tracefs_now
	fi
	step_boot_unit
	step_launcher
	step_sysctls
	if [[ $DRY_RUN -eq 0 && "$(state_text)" != "$before" ]]; then
		ensure_dir "$LIBDIR"
		state_text | install -m 0600 /dev/stdin "$ROOT$STATE"
	fi
	if [[ $CHANGES -eq 0 ]]; then
		say "nothing to change: the setup is complete"
	elif [[ $DRY_RUN -eq 1 ]]; then
		say "dry run: $CHANGES changes would be made, none was"
	else
		say "done: $CHANGES changes. ${USER_NAME:-The user} must log in again, then run $LAUNCHER"
	fi
}

# --- uninstall ------------------------------------------------------------
uninstall_all() {
	load_state
	[[ -n "${ST[prefix]:-}" ]] || die "nothing to uninstall: no $ROOT$STATE (was it installed with another --prefix?)"
	local f entry path mode group user key prev dirs=()
	GROUP=${ST[group]:-$GROUP}
	if systemd_running && [[ -L "$UNIT_LINK" ]]; then
		change "disable $UNIT_NAME" systemctl disable -q "$UNIT_NAME"
	fi
	for f in ${ST[files]:-}; do
		if [[ -e "$ROOT$f" || -L "$ROOT$f" ]]; then change "remove $ROOT$f" rm -f "$ROOT$f"; fi
	done
	if systemd_running && [[ $DRY_RUN -eq 0 ]]; then systemctl daemon-reload; fi
	for key in perf_event_paranoid kptr_restrict unprivileged_bpf_disabled; do
		prev=${ST[prev_$key]:-}
		if [[ $LIVE -eq 1 && -n "$prev" && "$(sysctl_value "kernel.$key")" != "$prev" ]]; then
			change "restore kernel.$key = $prev" sysctl -q -w "kernel.$key=$prev"
		fi
	done
	if [[ $LIVE -eq 1 ]]; then
		for entry in ${ST[tracefs_orig]:-}; do
			IFS=: read -r path mode group <<<"$entry"
			[[ -e "$path" ]] || continue
			[[ "$(stat -c '%a %G' "$path")" == "$mode $group" ]] && continue
			change "restore $path to mode $mode, group $group" chgrp "$group" "$path"
			[[ $DRY_RUN -eq 1 ]] || chmod "$mode" "$path"
		done
		if [[ "${ST[tracefs_mounted]:-}" == 1 ]] && tracefs_mounted; then
			change "unmount /sys/kernel/tracing" umount /sys/kernel/tracing
		fi
		for user in ${ST[users_added]:-}; do
			if id -nG "$user" 2>/dev/null | tr ' ' '\n' | grep -qx "$GROUP"; then
				change "remove $user from group $GROUP" quiet gpasswd -d "$user" "$GROUP"
			fi
		done
		if [[ -n "${ST[group_created]:-}" ]] && getent group "$GROUP" >/dev/null; then
			if [[ -z "$(getent group "$GROUP" | cut -d: -f4)" ]]; then
				change "delete group $GROUP" groupdel "$GROUP"
			else
				say "keeping group $GROUP: it has members this script did not add ($(getent group "$GROUP" | cut -d: -f4))"
			fi
		fi
	fi
	if [[ -f "$ROOT$STATE" ]]; then change "remove $ROOT$STATE" rm -f "$ROOT$STATE"; fi
	# Directories this script created, deepest first, if empty.
	read -r -a dirs <<<"${ST[dirs]:-}"
	for ((i = ${#dirs[@]} - 1; i >= 0; i--)); do
		if [[ -d "$ROOT${dirs[i]}" ]] && [[ -z "$(ls -A "$ROOT${dirs[i]}")" ]]; then
			change "remove directory $ROOT${dirs[i]}" rmdir "$ROOT${dirs[i]}"
		fi
	done
	if [[ $DRY_RUN -eq 1 ]]; then
		say "dry run: $CHANGES changes would be made, none was"
	else
		say "uninstalled: $CHANGES changes reverted"
	fi
}

if [[ $UNINSTALL -eq 1 ]]; then uninstall_all; else install_all; fi
