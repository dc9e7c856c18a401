/**
 * `tsdenet doctor`: gathers the facts, tries the real loads, judges both.
 * ok is true exactly when `run --enable-ebpf` would count syscalls.
 */
import type { AttachMode } from '../bpf/counter.js';
import type { TsdenetError } from '../errors.js';
import { SETUP_SCRIPT } from '../privileges/explain-ebpf-failure.js';
import type { Check } from './check.js';
import { workingMode, type DoctorInput } from './context.js';
import { evaluateIdentity } from './evaluate-identity.js';
import { evaluateKernel } from './evaluate-kernel.js';
import { evaluateLoad } from './evaluate-load.js';
import { evaluateSysctls } from './evaluate-sysctls.js';
import { evaluateTracefs } from './evaluate-tracefs.js';
import { gatherFacts } from './facts.js';
import { probeLibbpf, tryLoad, type LoadResult } from './real-checks.js';

export interface DoctorReport {
  kind: 'doctor';
  ok: boolean;
  /** The attach mode `run --enable-ebpf` would use; null when none works. */
  attach_mode: AttachMode | null;
  checks: Check[];
}

/** Judges gathered input. Pure. */
export function evaluateDoctor(input: DoctorInput): DoctorReport {
  const checks = [...evaluateIdentity(input), ...evaluateKernel(input), ...evaluateSysctls(input), ...evaluateTracefs(input), ...evaluateLoad(input)];
  const mode = workingMode(input);
  return { kind: 'doctor', ok: mode !== undefined, attach_mode: mode ?? null, checks };
}

function notTried(mode: AttachMode, error: TsdenetError): LoadResult {
  return { mode, ok: false, ms: 0, error };
}

export async function runDoctor(wanted: 'auto' | AttachMode = 'auto'): Promise<DoctorReport> {
  const facts = gatherFacts();
  const libbpf = probeLibbpf();
  const loads = libbpf.ok
    ? { tp_btf: await tryLoad('tp_btf'), tracepoint: await tryLoad('tracepoint') }
    : { tp_btf: notTried('tp_btf', libbpf.error), tracepoint: notTried('tracepoint', libbpf.error) };
  return evaluateDoctor({ facts, libbpf, loads, wanted, setupScript: SETUP_SCRIPT });
}
