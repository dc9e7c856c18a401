/**
 * The pure parts of the reliability fixes: how the command is started,
 * which arguments are not UTF-8, and what a failed counter start means.
 */
import { describe, expect, it } from 'vitest';
import { BpfError, TsdenetError } from '../../src/errors.js';
import { invalidArguments, invalidEnvironmentNames, shellQuoteBytes } from '../../src/cli/argument-encoding.js';
import { explainEbpfFailure, type ExplainContext } from '../../src/privileges/explain-ebpf-failure.js';
import { capabilityMask } from '../../src/privileges/capabilities.js';
import { planLaunch } from '../../src/runner/launch.js';

const setpriv = { path: '/usr/bin/setpriv', pdeathsig: true };
const alice = { uid: 1000, gid: 1000, name: 'alice', home: '/home/alice', source: 'sudo' } as const;

describe('planLaunch', () => {
  it('starts the command through setpriv --pdeathsig=KILL, skipping setpriv\'s execve', () => {
    expect(planLaunch({ file: '/usr/bin/make', argv: ['make', '-j4'] }, setpriv)).toEqual({
      file: '/usr/bin/setpriv',
      args: ['--pdeathsig=KILL', '--', '/usr/bin/make', '-j4'],
      argv0: undefined,
      env: undefined,
      wrapperExecs: 1,
      deathSignal: true,
    });
  });

  it('starts it directly, argv[0] as given, without setpriv or with one too old for --pdeathsig', () => {
    const direct = { file: '/usr/bin/make', args: ['-j4'], argv0: 'make', env: undefined, wrapperExecs: 0, deathSignal: false };
    expect(planLaunch({ file: '/usr/bin/make', argv: ['make', '-j4'] }, undefined)).toEqual(direct);
    expect(planLaunch({ file: '/usr/bin/make', argv: ['make', '-j4'] }, { ...setpriv, pdeathsig: false })).toEqual(direct);
  });

  it('adds the death signal to the switch of users', () => {
    const plan = planLaunch({ file: '/usr/bin/id', argv: ['id'], identity: alice }, setpriv, { HOME: '/root', PATH: '/usr/bin' });
    expect(plan.args.slice(0, 3)).toEqual(['--pdeathsig=KILL', '--reuid=1000', '--regid=1000']);
    expect(plan.args.slice(-2)).toEqual(['--', '/usr/bin/id']);
    expect(plan).toMatchObject({ wrapperExecs: 1, deathSignal: true, env: { HOME: '/home/alice', USER: 'alice', PATH: '/usr/bin' } });
    expect(planLaunch({ file: '/usr/bin/id', argv: ['id'], identity: alice }, { ...setpriv, pdeathsig: false }).args[0]).toBe('--reuid=1000');
  });
});

describe('arguments that are not UTF-8', () => {
  const cmdline = (...parts: (string | Buffer)[]): Buffer => Buffer.concat(parts.flatMap((p) => [Buffer.from(p as never), Buffer.from([0])]));
  const latin1 = Buffer.from([0x63, 0x61, 0x66, 0xe9]);

  it('are found by comparing /proc/self/cmdline with what Node decoded', () => {
    const raw = cmdline('/usr/bin/node', '--no-warnings', '/opt/tsdenet.js', 'run', '--', 'cat', latin1);
    expect(invalidArguments(raw, ['run', '--', 'cat', 'caf\uFFFD'])).toEqual([{ index: 3, bytes: latin1 }]);
  });

  it('are none for valid UTF-8, including a real U+FFFD typed by the user', () => {
    const raw = cmdline('/usr/bin/node', '/opt/tsdenet.js', 'run', '--', 'echo', 'café \uFFFD');
    expect(invalidArguments(raw, ['run', '--', 'echo', 'café \uFFFD'])).toEqual([]);
  });

  it('are not looked for when the command line is not this argv (e.g. a test calling main)', () => {
    expect(invalidArguments(cmdline('/usr/bin/node', 'worker.js', latin1), ['stats', 'x'])).toEqual([]);
  });

  it('are shown in bash $\'…\' quoting, and bad environment variables by name', () => {
    expect(shellQuoteBytes(Buffer.concat([Buffer.from("it's\\"), latin1]))).toBe("$'it\\'s\\\\caf\\xe9'");
    expect(invalidEnvironmentNames(cmdline('PATH=/usr/bin', Buffer.concat([Buffer.from('NAME='), latin1]), 'LANG=C.UTF-8'))).toEqual(['NAME']);
  });
});

describe('a counter that could not start, explained', () => {
  const root: ExplainContext = {
    euid: 0,
    effective: capabilityMask(['CAP_BPF', 'CAP_PERFMON', 'CAP_SYS_ADMIN']),
    kernel: { major: 6, minor: 18, patch: 0 },
    inInitialUserNamespace: true,
    userName: 'root',
    setupScript: '/opt/tsdenet/setup/tracefs.sh',
  };
  // What startSyscallCounter throws: each mode's failure (CounterStartError).
  const startError = (attempts: { mode: string; error: unknown }[]): TsdenetError =>
    Object.assign(new TsdenetError('BPF_ESRCH', 'eBPF syscall counting unavailable (tp_btf: load BPF programs failed: ESRCH)', 1), { attempts });
  const esrch = new BpfError('load BPF programs', 3, 'ESRCH', 'load BPF programs failed: ESRCH');

  it('names a missing BTF instead of libbpf\'s ESRCH, with the fallback\'s own failure', () => {
    const e = explainEbpfFailure(startError([{ mode: 'tp_btf', error: esrch }, { mode: 'tracepoint', error: new Error('tracefs is not mounted') }]), { ...root, hasBtf: false });
    expect(e.code).toBe('NO_BTF');
    expect(e.message).toBe(
      'eBPF syscall counting unavailable: the kernel has no BTF (/sys/kernel/btf/vmlinux is missing), which the tp_btf counter needs; the classic tracepoint fallback failed too: tracefs is not mounted',
    );
    expect(e.hint).toMatch(/CONFIG_DEBUG_INFO_BTF=y.*--attach-mode tracepoint/);
  });

  it('does not blame BTF when the kernel has it, or when only the tracepoint was tried', () => {
    const withBtf = explainEbpfFailure(startError([{ mode: 'tp_btf', error: esrch }]), { ...root, hasBtf: true });
    expect(withBtf.code).toBe('BPF_ESRCH');
    const tracepointOnly = explainEbpfFailure(startError([{ mode: 'tracepoint', error: esrch }]), { ...root, hasBtf: false });
    expect(tracepointOnly.code).toBe('BPF_ESRCH');
  });

  it('gives a failure that names no fix a way to find it', () => {
    const e = explainEbpfFailure(startError([{ mode: 'tp_btf', error: esrch }]), { ...root, hasBtf: true });
    expect(e.hint).toBe("`tsdenet doctor` checks what eBPF profiling needs here; --debug shows libbpf's log");
    expect(e.cause).toBeInstanceOf(TsdenetError);
  });
});
