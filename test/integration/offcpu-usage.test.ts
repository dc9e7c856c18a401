/** --offcpu without eBPF is a usage error that names the fix (no BPF needed to check it). */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('--offcpu without --enable-ebpf', () => {
  it.each([['run', '--', 'true'], ['attach', String(process.pid)]])('%s: exit 2, naming --enable-ebpf, and nothing runs', async (...args) => {
    const result = await runCli(['--offcpu', ...args]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('tsdenet: --offcpu measures off-CPU time with eBPF (sched_switch)\ntsdenet: fix: add --enable-ebpf\ntsdenet: see tsdenet --help\n');
  });
});
