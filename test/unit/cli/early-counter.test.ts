import { describe, expect, it } from 'vitest';
import { wantsEarlyCounter } from '../../../src/cli/early-counter.js';

describe('wantsEarlyCounter: the guess made before the options are parsed', () => {
  const none = {};
  it('loads ahead for run with eBPF asked for, by option or environment', () => {
    expect(wantsEarlyCounter(['--enable-ebpf', '--json', 'run', '--', 'true'], none)).toBe(true);
    expect(wantsEarlyCounter(['--require-ebpf', 'run', 'make'], none)).toBe(true);
    expect(wantsEarlyCounter(['run', '--', 'true'], { TSDENET_REQUIRE_EBPF: '1' })).toBe(true);
  });

  it('not without eBPF, nor for other subcommands', () => {
    expect(wantsEarlyCounter(['run', '--', 'true'], none)).toBe(false);
    expect(wantsEarlyCounter(['--enable-ebpf', 'attach', '123'], none)).toBe(false);
    expect(wantsEarlyCounter(['--enable-ebpf', 'stats', 'run'], none)).toBe(true); // a harmless wrong guess: the counter never takes it
  });

  it("reads only tsdenet's own arguments, before --", () => {
    expect(wantsEarlyCounter(['run', '--', 'x', '--enable-ebpf'], none)).toBe(false);
    expect(wantsEarlyCounter(['--enable-ebpf', '--', 'run'], none)).toBe(false);
    expect(wantsEarlyCounter(['--enable-ebpf', 'run', '--', 'x', '--errors'], none)).toBe(true);
  });

  it('not when an option changes the object or asks for libbpf log', () => {
    for (const option of ['--errors', '--latency', '--format=strace', '--max-entries', '--attach-mode=tracepoint', '--debug', '--offcpu', '--per-thread']) {
      expect(wantsEarlyCounter(['--enable-ebpf', option, 'run', '--', 'true'], none), option).toBe(false);
    }
  });
});
