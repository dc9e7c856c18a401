/** The kernel: release, build options, BTF, the BPF JIT, and the memlock limit before 5.11. */
import { hasCapability } from '../privileges/capabilities.js';
import { MEMCG_BPF_KERNEL, TP_BTF_KERNEL, kernelAtLeast } from '../privileges/kernel-version.js';
import { check, type Check } from './check.js';
import type { DoctorInput } from './context.js';
import { BTF_PATH } from './facts.js';

/** Options tsdenet cannot work without, and the one tp_btf needs. */
const REQUIRED_OPTIONS = ['CONFIG_BPF_SYSCALL', 'CONFIG_BPF_EVENTS', 'CONFIG_HAVE_SYSCALL_TRACEPOINTS'] as const;
const BTF_OPTION = 'CONFIG_DEBUG_INFO_BTF';
/** A heuristic (the load check decides): systemd's default since v240; the old 64 KiB is far too small. */
const MEMLOCK_ENOUGH_BYTES = 8 * 1024 * 1024;

function releaseCheck({ facts }: DoctorInput): Check {
  if (!facts.kernel) return check('kernel', 'kernel release', 'unknown', `${facts.release} (version not recognised)`);
  if (kernelAtLeast(facts.kernel, TP_BTF_KERNEL)) return check('kernel', 'kernel release', 'ok', `${facts.release}: tp_btf mode available (needs >= 5.17)`);
  return check('kernel', 'kernel release', 'warn', `${facts.release}: older than 5.17, only the classic tracepoint mode can load`, 'a kernel >= 5.17 gives the faster tp_btf mode');
}

function configCheck({ facts }: DoctorInput): Check {
  const config = facts.config;
  if (!config) {
    return check('kernel_config', 'kernel config', 'unknown', `no /proc/config.gz or /boot/config-${facts.release}`, 'optional: sudo modprobe configs (provides /proc/config.gz); the load checks below are what counts');
  }
  const value = (name: string): string => config.options.get(name) ?? 'n';
  const shown = [...REQUIRED_OPTIONS, BTF_OPTION].map((name) => `${name.replace('CONFIG_', '')}=${value(name)}`).join(' ');
  const found = `${shown} (${config.source})`;
  const missing = REQUIRED_OPTIONS.filter((name) => value(name) !== 'y');
  if (missing.length > 0) return check('kernel_config', 'kernel config', 'fail', found, `a kernel built with ${missing.join(', ')}=y`);
  if (value(BTF_OPTION) !== 'y') return check('kernel_config', 'kernel config', 'warn', found, `tp_btf needs ${BTF_OPTION}=y; the classic tracepoint is used meanwhile`);
  return check('kernel_config', 'kernel config', 'ok', found);
}

function btfCheck({ facts }: DoctorInput): Check {
  const { btf } = facts;
  if (btf.state === 'readable') return check('btf', 'kernel BTF', 'ok', `${BTF_PATH} (${((btf.bytes ?? 0) / 1048576).toFixed(1)} MiB)`);
  if (btf.state === 'unreadable') return check('btf', 'kernel BTF', 'warn', `${BTF_PATH} is not readable by us`, `sudo chmod a+r ${BTF_PATH}`);
  return check('btf', 'kernel BTF', 'warn', `no ${BTF_PATH}: tp_btf cannot load, the classic tracepoint is used`, `a kernel built with ${BTF_OPTION}=y`);
}

function jitCheck({ facts }: DoctorInput): Check {
  const jit = facts.jit;
  if (!jit.ok) return check('bpf_jit', 'BPF JIT', 'unknown', `net.core.bpf_jit_enable: ${jit.reason} (${jit.detail})`);
  if (jit.value === '1') return check('bpf_jit', 'BPF JIT', 'ok', 'net.core.bpf_jit_enable = 1');
  if (jit.value === '2') return check('bpf_jit', 'BPF JIT', 'ok', 'net.core.bpf_jit_enable = 2 (on, with debug output in the kernel log)');
  return check('bpf_jit', 'BPF JIT', 'warn', `net.core.bpf_jit_enable = ${jit.value}: programs run interpreted, every syscall costs more`, 'sudo sysctl -w net.core.bpf_jit_enable=1');
}

function memlockCheck({ facts }: DoctorInput): Check {
  if (facts.kernel && kernelAtLeast(facts.kernel, MEMCG_BPF_KERNEL)) {
    return check('memlock', 'memlock limit', 'ok', 'not used: Linux >= 5.11 charges BPF memory to the memory cgroup');
  }
  const soft = facts.memlock?.softBytes;
  if (facts.memlock === undefined) return check('memlock', 'memlock limit', 'unknown', 'cannot read /proc/self/limits');
  if (soft === undefined) return check('memlock', 'memlock limit', 'ok', 'unlimited');
  if (soft >= MEMLOCK_ENOUGH_BYTES) return check('memlock', 'memlock limit', 'ok', `${soft / 1024} KiB`);
  // libbpf raises RLIMIT_MEMLOCK itself on old kernels, which needs CAP_SYS_RESOURCE.
  if (hasCapability(facts.creds.caps.effective, 'CAP_SYS_RESOURCE')) return check('memlock', 'memlock limit', 'ok', `${soft / 1024} KiB; libbpf raises it (CAP_SYS_RESOURCE held)`);
  return check('memlock', 'memlock limit', 'warn', `${soft / 1024} KiB on a kernel before 5.11: map creation may fail with EPERM`, 'ulimit -l unlimited (or LimitMEMLOCK=infinity, or memlock in /etc/security/limits.conf)');
}

export function evaluateKernel(input: DoctorInput): Check[] {
  return [releaseCheck(input), configCheck(input), btfCheck(input), jitCheck(input), memlockCheck(input)];
}
