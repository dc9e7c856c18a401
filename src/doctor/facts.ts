/**
 * Everything `tsdenet doctor` reads from the system, gathered in one place
 * so that the rules that judge it (evaluate-*.ts) stay pure and testable.
 */
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { release, userInfo } from 'node:os';
import { readInInitialUserNamespace } from '../privileges/bpf-privileges.js';
import { parseKernelRelease, type KernelVersion } from '../privileges/kernel-version.js';
import { readProcCredentials, type ProcCredentials } from '../privileges/proc-status.js';
import { readSysctl, type SysctlRead } from '../privileges/sysctl.js';
import { readKernelConfig, type KernelConfig } from './kernel-config.js';
import { probeTracefs, type TracefsMount } from './tracefs-facts.js';

export const BTF_PATH = '/sys/kernel/btf/vmlinux';

export interface MemlockLimit {
  /** Soft limit in bytes; undefined = unlimited. */
  softBytes: number | undefined;
}

export interface SystemFacts {
  userName: string | undefined;
  creds: ProcCredentials;
  inInitialUserNamespace: boolean;
  release: string;
  kernel: KernelVersion | undefined;
  config: KernelConfig | undefined;
  btf: { state: 'readable' | 'unreadable' | 'missing'; bytes?: number };
  jit: SysctlRead;
  unprivilegedBpfDisabled: SysctlRead;
  perfEventParanoid: SysctlRead;
  kptrRestrict: SysctlRead;
  tracefs: TracefsMount[];
  memlock: MemlockLimit | undefined;
}

/** "Max locked memory" of /proc/self/limits. Pure. */
export function parseMemlock(limits: string): MemlockLimit | undefined {
  const m = /^Max locked memory\s+(\S+)\s+(\S+)\s+bytes/m.exec(limits);
  if (!m) return undefined;
  return { softBytes: m[1] === 'unlimited' ? undefined : Number(m[1]) };
}

function readBtf(): SystemFacts['btf'] {
  try {
    const bytes = statSync(BTF_PATH).size;
    try {
      accessSync(BTF_PATH, constants.R_OK);
      return { state: 'readable', bytes };
    } catch {
      return { state: 'unreadable', bytes };
    }
  } catch {
    return { state: 'missing' };
  }
}

function readMemlock(): MemlockLimit | undefined {
  try {
    return parseMemlock(readFileSync('/proc/self/limits', 'utf8'));
  } catch {
    return undefined;
  }
}

export function gatherFacts(): SystemFacts {
  let userName: string | undefined;
  try {
    userName = userInfo().username;
  } catch {
    userName = undefined;
  }
  const rel = release();
  return {
    userName,
    creds: readProcCredentials(),
    inInitialUserNamespace: readInInitialUserNamespace(),
    release: rel,
    kernel: parseKernelRelease(rel),
    config: readKernelConfig(rel),
    btf: readBtf(),
    jit: readSysctl('net.core.bpf_jit_enable'),
    unprivilegedBpfDisabled: readSysctl('kernel.unprivileged_bpf_disabled'),
    perfEventParanoid: readSysctl('kernel.perf_event_paranoid'),
    kptrRestrict: readSysctl('kernel.kptr_restrict'),
    tracefs: probeTracefs(),
    memlock: readMemlock(),
  };
}
