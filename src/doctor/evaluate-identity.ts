/**
 * Who we are and which of the capabilities eBPF profiling uses we hold
 * (effective set of /proc/self/status, the set the kernel checks).
 */
import { capabilityNames, hasCapability, type CapabilityName } from '../privileges/capabilities.js';
import { missingBpfCapabilities } from '../privileges/bpf-privileges.js';
import { CAP_BPF_KERNEL, kernelAtLeast } from '../privileges/kernel-version.js';
import { check, type Check } from './check.js';
import { setupFix, type DoctorInput } from './context.js';

function who(input: DoctorInput): string {
  const uid = input.facts.creds.uid.effective;
  if (uid === 0) return 'root (uid 0)';
  return input.facts.userName ? `${input.facts.userName} (uid ${uid})` : `uid ${uid}`;
}

function identityCheck(input: DoctorInput): Check {
  const { facts } = input;
  const held = capabilityNames(facts.creds.caps.effective);
  const caps = held.length === 0 ? 'no capabilities' : held.length > 6 ? `${held.length} capabilities` : held.join(', ');
  const found = `${who(input)}, ${caps}`;
  if (!facts.inInitialUserNamespace) {
    return check('identity', 'user', 'fail', `${found}, inside a user namespace: its capabilities do not count for BPF`, 'run tsdenet on the host, or in a container without a user namespace and with CAP_BPF and CAP_PERFMON');
  }
  const missing = missingBpfCapabilities({ effective: facts.creds.caps.effective, kernel: facts.kernel });
  if (missing.length === 0) return check('identity', 'user', 'ok', found);
  const fix = facts.creds.uid.effective === 0 ? 'root lacks them here (container?): docker run --cap-add BPF --cap-add PERFMON, or run on the host' : setupFix(input);
  return check('identity', 'user', 'fail', `${found}; missing ${missing.join(', ')}`, fix);
}

function capRow(input: DoctorInput, name: CapabilityName, purpose: string): Check {
  const { facts } = input;
  const eff = facts.creds.caps.effective;
  const id = name.toLowerCase();
  const modern = facts.kernel === undefined || kernelAtLeast(facts.kernel, CAP_BPF_KERNEL);
  if (hasCapability(eff, name)) return check(id, name, 'ok', `held: ${purpose}`);
  if (hasCapability(eff, 'CAP_SYS_ADMIN')) return check(id, name, 'ok', 'not held; CAP_SYS_ADMIN stands in for it');
  if (!modern) return check(id, name, 'ok', `not used before Linux 5.8 (CAP_SYS_ADMIN is)`);
  return check(id, name, 'fail', `not held (${purpose})`, setupFix(input));
}

function dacRow(input: DoctorInput): Check {
  const { facts, loads } = input;
  const name = 'CAP_DAC_READ_SEARCH';
  if (hasCapability(facts.creds.caps.effective, name)) return check('cap_dac_read_search', name, 'ok', 'held: reads tracefs event ids whatever their modes');
  const readable = facts.tracefs.some((m) => m.files.length > 0 && m.files.every((f) => f.access === 'ok'));
  if (readable) return check('cap_dac_read_search', name, 'ok', 'not held; not needed: the tracefs event files are readable');
  if (loads.tp_btf.ok) return check('cap_dac_read_search', name, 'ok', 'not held; not needed while tp_btf works (only the classic tracepoint reads tracefs)');
  return check('cap_dac_read_search', name, 'warn', 'not held, and the tracefs event files the classic tracepoint reads are not readable', `sudo ${input.setupScript} makes them, and nothing else in tracefs, readable by group tracing`);
}

function sysAdminRow(input: DoctorInput): Check {
  const { facts } = input;
  const name = 'CAP_SYS_ADMIN';
  if (hasCapability(facts.creds.caps.effective, name)) {
    return check('cap_sys_admin', name, 'ok', facts.creds.uid.effective === 0 ? 'held (root)' : 'held: more than tsdenet needs (CAP_BPF + CAP_PERFMON suffice on Linux >= 5.8)');
  }
  if (facts.kernel && !kernelAtLeast(facts.kernel, CAP_BPF_KERNEL)) {
    return check('cap_sys_admin', name, 'fail', `not held; Linux ${facts.release} predates CAP_BPF (5.8): BPF needs CAP_SYS_ADMIN`, 'run tsdenet with sudo');
  }
  return check('cap_sys_admin', name, 'ok', 'not held; not needed on Linux >= 5.8');
}

export function evaluateIdentity(input: DoctorInput): Check[] {
  return [
    identityCheck(input),
    capRow(input, 'CAP_BPF', 'loads the programs, creates the maps'),
    capRow(input, 'CAP_PERFMON', 'tracing programs and attaching them'),
    dacRow(input),
    sysAdminRow(input),
  ];
}
