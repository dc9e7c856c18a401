/**
 * tracefs, needed only by the classic-tracepoint fallback: mounted, and
 * its event ids and sched_process_fork format readable by us. Problems
 * here fail only when no other mode works; otherwise they warn.
 */
import type { TracefsMount } from './tracefs-facts.js';
import { check, type Check, type CheckStatus } from './check.js';
import type { DoctorInput } from './context.js';

function mountRow(mount: TracefsMount, badStatus: CheckStatus, input: DoctorInput): Check {
  const id = mount.path === '/sys/kernel/tracing' ? 'tracefs' : 'tracefs_debugfs';
  const name = `tracefs ${mount.path}`;
  if (!mount.mounted) {
    if (mount.events === 'EACCES') return check(id, name, badStatus, 'cannot look inside (permission denied)', `sudo ${input.setupScript} (makes it traversable by group tracing)`);
    const fix = mount.path === '/sys/kernel/tracing' ? 'sudo mount -t tracefs nodev /sys/kernel/tracing' : undefined;
    return check(id, name, fix ? badStatus : 'ok', mount.path === '/sys/kernel/tracing' ? 'not mounted' : 'not mounted (debugfs is not needed: /sys/kernel/tracing is enough)', fix);
  }
  if (mount.events !== 'ok') return check(id, name, badStatus, `mounted; events/ not reachable by us (${mount.events})`, `sudo ${input.setupScript}`);
  const unreadable = mount.files.filter((f) => f.access !== 'ok');
  if (unreadable.length === 0) return check(id, name, 'ok', 'mounted; the event ids and sched_process_fork/format are readable');
  const list = unreadable.map((f) => `${f.file} (${f.access})`).join(', ');
  return check(id, name, badStatus, `mounted; not readable by us: ${list}`, `sudo ${input.setupScript} (group tracing may read them), or CAP_DAC_READ_SEARCH`);
}

export function evaluateTracefs(input: DoctorInput): Check[] {
  const mounts = input.facts.tracefs;
  const main = mounts.find((m) => m.path === '/sys/kernel/tracing');
  const usable = mounts.some((m) => m.mounted && m.events === 'ok' && m.files.every((f) => f.access === 'ok'));
  // The classic load is the final word; tp_btf makes tracefs optional.
  const bad: CheckStatus = input.loads.tracepoint.ok ? 'ok' : input.loads.tp_btf.ok ? 'warn' : 'fail';
  return mounts.map((m) => {
    // One usable mount point is enough: the other one's state is informational.
    const status: CheckStatus = usable || (m !== main && main?.mounted) ? 'ok' : bad;
    return mountRow(m, status, input);
  });
}
