/**
 * tsdenet inside a pid namespace (a container): exact counts, and pids as
 * seen from tsdenet's own namespace (the command's parent is tsdenet, pid 1).
 */
import { describe, expect, it } from 'vitest';
import { BIN, lastRecord, runProgram } from '../helpers/cli.js';
import { ensureTracefs, requireBpf } from '../helpers/privileges.js';
import { buildFixture, WORKLOAD_COUNTS } from '../helpers/workload.js';

describe.each(['tp_btf', 'tracepoint'])('in a new pid namespace (%s)', (mode) => {
  it('counts exactly and reports namespace pids', async (ctx) => {
    requireBpf(ctx);
    if (mode === 'tracepoint') ensureTracefs();
    const workload = buildFixture('workload');
    const args = ['--pid', '--fork', '--mount-proc', process.execPath, BIN, '--enable-ebpf', '--require-ebpf', '--json', '--attach-mode', mode, 'run', '--', workload];
    const result = await runProgram('unshare', args);
    expect(result.stderr).not.toMatch(/internal error|warning/);
    expect(result.code).toBe(0);
    const summary = lastRecord(result.stdout);
    const sc = summary.ebpf.syscalls;
    for (const [name, count] of Object.entries(WORKLOAD_COUNTS)) expect(sc.by_syscall[name], name).toBe(count);
    // Inside the namespace tsdenet is pid 1 and its command a small pid.
    expect(summary.pid).toBeLessThan(1000);
    expect(sc.processes[0].pid).toBe(summary.pid);
    expect(sc.processes[0].ppid).toBe(1);
    const child = sc.processes.find((p: any) => p.by_syscall.getsid === WORKLOAD_COUNTS.getsid);
    expect(child.ppid).toBe(summary.pid);
  });
});
