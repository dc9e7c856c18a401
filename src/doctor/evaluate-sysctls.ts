/**
 * The three sysctls every eBPF guide mentions, and what each really does
 * to tsdenet. Verified on Linux 6.18 as a non-root user holding only
 * CAP_BPF + CAP_PERFMON (+ group-readable tracefs ids for the classic mode):
 *  - kernel.unprivileged_bpf_disabled = 2 and kernel.kptr_restrict = 2:
 *    both attach modes still load; neither needs lowering (denet's docs
 *    call kptr_restrict=0 "CRITICAL": not for tsdenet, whose programs read
 *    no kernel addresses and use no kallsyms-resolved symbols).
 *  - kernel.perf_event_paranoid = 4: both modes load; upstream treats any
 *    value above 2 as 2 and CAP_PERFMON passes. Debian's patch makes 3 deny
 *    perf_event_open to processes without CAP_PERFMON/CAP_SYS_ADMIN; Ubuntu
 *    adds 4. Only the classic tracepoint uses perf_event_open; tp_btf
 *    attaches through bpf() and never consults this sysctl.
 */
import { hasCapability } from '../privileges/capabilities.js';
import type { SysctlRead } from '../privileges/sysctl.js';
import { check, type Check } from './check.js';
import type { DoctorInput } from './context.js';

function unreadable(id: string, name: string, read: SysctlRead & { ok: false }): Check {
  return check(id, name, 'unknown', `${read.reason} (${read.detail})`);
}

function unprivilegedBpf({ facts }: DoctorInput): Check {
  const name = 'kernel.unprivileged_bpf_disabled';
  const read = facts.unprivilegedBpfDisabled;
  if (!read.ok) return unreadable('unprivileged_bpf_disabled', name, read);
  const meaning: Record<string, string> = {
    '0': 'every user may load socket filters (tsdenet does not need this; 2 is safer)',
    '1': 'unprivileged BPF off, locked until reboot; tsdenet uses CAP_BPF, so no effect',
    '2': 'unprivileged BPF off; tsdenet uses CAP_BPF, so no effect',
  };
  return check('unprivileged_bpf_disabled', name, 'ok', `${read.value}: ${meaning[read.value] ?? 'no effect on holders of CAP_BPF'}`);
}

function perfEventParanoid(input: DoctorInput): Check {
  const name = 'kernel.perf_event_paranoid';
  const read = input.facts.perfEventParanoid;
  if (!read.ok) return unreadable('perf_event_paranoid', name, read);
  const level = Number(read.value);
  if (level <= 2) return check('perf_event_paranoid', name, 'ok', `${level}: CAP_PERFMON passes (the classic tracepoint uses perf_event_open; tp_btf does not)`);
  const distro = `${level}: a Debian/Ubuntu level (3 denies perf_event_open without CAP_PERFMON or CAP_SYS_ADMIN; Ubuntu's 4 is stricter)`;
  if (input.loads.tracepoint.ok) return check('perf_event_paranoid', name, 'ok', `${distro}; the classic tracepoint loaded anyway`);
  const eff = input.facts.creds.caps.effective;
  const covered = hasCapability(eff, 'CAP_PERFMON') || hasCapability(eff, 'CAP_SYS_ADMIN');
  const status = input.loads.tp_btf.ok || covered ? 'ok' : 'warn';
  return check('perf_event_paranoid', name, status, `${distro}; only the classic tracepoint is affected`, status === 'warn' ? `sudo sysctl -w kernel.perf_event_paranoid=2 (${input.setupScript} makes it persistent)` : undefined);
}

function kptrRestrict({ facts }: DoctorInput): Check {
  const name = 'kernel.kptr_restrict';
  const read = facts.kptrRestrict;
  if (!read.ok) return unreadable('kptr_restrict', name, read);
  return check('kptr_restrict', name, 'ok', `${read.value}: no effect on tsdenet (it reads no kernel addresses); do not lower it for tsdenet`);
}

export function evaluateSysctls(input: DoctorInput): Check[] {
  return [unprivilegedBpf(input), perfEventParanoid(input), kptrRestrict(input)];
}
