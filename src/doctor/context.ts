/** What the rules judge: the system facts plus the outcome of the real loads. */
import type { AttachMode } from '../bpf/counter.js';
import type { SystemFacts } from './facts.js';
import type { LibbpfInfo, LoadResult } from './real-checks.js';

export interface DoctorInput {
  facts: SystemFacts;
  libbpf: LibbpfInfo;
  loads: Record<AttachMode, LoadResult>;
  /** --attach-mode: which mode `run` would use. */
  wanted: 'auto' | AttachMode;
  /** Absolute path of setup/tracefs.sh, for fix commands. */
  setupScript: string;
}

/** The attach mode `run --enable-ebpf` would end up with, or undefined when none loads. */
export function workingMode(input: Pick<DoctorInput, 'loads' | 'wanted'>): AttachMode | undefined {
  const order: AttachMode[] = input.wanted === 'auto' ? ['tp_btf', 'tracepoint'] : [input.wanted];
  return order.find((mode) => input.loads[mode].ok);
}

export function setupFix(input: DoctorInput): string {
  const user = input.facts.userName && input.facts.creds.uid.effective !== 0 ? input.facts.userName : '$USER';
  return `sudo ${input.setupScript} --user ${user}, then log in again and use /usr/local/bin/tsdenet (or: sudo tsdenet …)`;
}
