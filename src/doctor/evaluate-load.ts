/** libbpf, the real loads in each attach mode, and the verdict. */
import { ATTACH_POINTS, type AttachMode } from '../bpf/counter.js';
import { TsdenetError } from '../errors.js';
import { explainEbpfFailure, type ExplainContext } from '../privileges/explain-ebpf-failure.js';
import { check, type Check } from './check.js';
import { workingMode, type DoctorInput } from './context.js';

function libbpfCheck({ libbpf }: DoctorInput): Check {
  if (libbpf.ok) return check('libbpf', 'libbpf', 'ok', `${libbpf.version}${libbpf.path ? ` (${libbpf.path})` : ''}`);
  return check('libbpf', 'libbpf', 'fail', libbpf.error.message, libbpf.error.hint);
}

function loadCheck(input: DoctorInput, mode: AttachMode): Check {
  const result = input.loads[mode];
  const name = `load ${ATTACH_POINTS[mode]}`;
  const id = `load_${mode}`;
  if (result.ok) return check(id, name, 'ok', `opened, loaded, attached, detached (${result.ms} ms)`);
  const used = workingMode(input);
  // A mode that fails while another one works (or was not asked for) only warns.
  const status = used !== undefined || (input.wanted !== 'auto' && input.wanted !== mode) ? 'warn' : 'fail';
  const error = result.error ?? new TsdenetError('BPF_START', 'failed', 1);
  // Missing capabilities explain a failed load better than libbpf's errno.
  const explained = explainEbpfFailure(error, explainContext(input));
  return check(id, name, status, error.message, explained.hint);
}

function verdict(input: DoctorInput): Check {
  const used = workingMode(input);
  if (used) return check('ebpf', 'eBPF profiling', 'ok', `works: run --enable-ebpf uses ${ATTACH_POINTS[used]}`);
  const wanted: AttachMode = input.wanted === 'auto' ? 'tp_btf' : input.wanted;
  const first = input.libbpf.ok ? input.loads[wanted].error : input.libbpf.error;
  const cause = first ?? new TsdenetError('BPF_START', 'no attach mode loads', 1);
  const explained = explainEbpfFailure(cause, explainContext(input));
  return check('ebpf', 'eBPF profiling', 'fail', `does not work: ${explained.message}`, explained.hint);
}

function explainContext(input: DoctorInput): ExplainContext {
  return {
    euid: input.facts.creds.uid.effective,
    effective: input.facts.creds.caps.effective,
    kernel: input.facts.kernel,
    inInitialUserNamespace: input.facts.inInitialUserNamespace,
    userName: input.facts.userName,
    setupScript: input.setupScript,
    inDoctor: true,
  };
}

export function evaluateLoad(input: DoctorInput): Check[] {
  return [libbpfCheck(input), loadCheck(input, 'tp_btf'), loadCheck(input, 'tracepoint'), verdict(input)];
}
