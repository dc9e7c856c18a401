/**
 * The human output of real runs (issue 12, "Terminal output"): the process
 * table (and its threads) against the JSON of the same run, the time table
 * sorted by time, strace's table saying which time it shows, one value per
 * quantity, and no control character of a profiled process or of an input
 * file ever reaching the terminal raw.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { requireBpf } from '../helpers/privileges.js';
import { buildFixture, WORKLOAD_COUNTS } from '../helpers/workload.js';
import { tempDir } from '../reliability/helpers.js';

type Rec = Record<string, any>;

/** A run with tables on stderr and its summary from the -o file's sidecar: the same run, both ways. */
async function tablesAndSummary(flags: string[], command: string[]): Promise<{ stderr: string; summary: Rec }> {
  const dir = tempDir('terminal-tables');
  const file = join(dir, 'run.jsonl');
  const r = await runCli(['--enable-ebpf', '--require-ebpf', ...flags, '-o', file, 'run', '--', ...command]);
  expect(r.code, r.stderr).toBe(0);
  const summary = JSON.parse(readFileSync(join(dir, 'run.tsdenet.jsonl'), 'utf8').trim().split('\n').at(-1)!) as Rec;
  return { stderr: r.stderr, summary };
}

/** The cells of each row of the table under the line that starts with `title` (cli-table3's │ borders). */
function tableAfter(text: string, title: RegExp): string[][] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => title.test(l));
  expect(start, `no line matching ${title} in:\n${text}`).toBeGreaterThanOrEqual(0);
  const rows: string[][] = [];
  // Border, head, border, rows…, border.
  for (const line of lines.slice(start + 4)) {
    if (!line.startsWith('│')) break;
    rows.push(line.split('│').slice(1, -1).map((c) => c.trim()));
  }
  return rows;
}

const ESC_OR_BEL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe('the process table', () => {
  it('gives a process that ended before the run did the command line a sample read while it ran', async (ctx) => {
    requireBpf(ctx);
    // The sleeps run for 0.4 s under -i 50: several samples see each one running; the run goes on after they end.
    const { stderr, summary } = await tablesAndSummary(['-i', '50'], ['sh', '-c', 'sleep 0.4; sleep 0.41 & wait; /bin/true']);
    const processes = summary.ebpf.syscalls.processes as Rec[];
    const argvOf = (comm: string): unknown[] => processes.filter((p) => p.comm === comm).map((p) => p.argv);
    expect(argvOf('sleep').sort()).toEqual([['sleep', '0.4'], ['sleep', '0.41']]);
    // /bin/true lives about a millisecond: no sample may have seen it, and then no command line is made up for it.
    const trueArgv = argvOf('true');
    expect(trueArgv).toHaveLength(1);
    expect([null, JSON.stringify(['/bin/true'])]).toContain(trueArgv[0] === null ? null : JSON.stringify(trueArgv[0]));
    const rows = tableAfter(stderr, /^processes: 4 in all/);
    const trueCell = trueArgv[0] === null ? '[true]' : '/bin/true';
    expect(rows.map((r) => r[4]).sort()).toEqual(["sh -c 'sleep 0.4; sleep 0.41 & wait; /bin/true'", trueCell, 'sleep 0.4', 'sleep 0.41'].sort());
  });

  it('lists the processes of a real tree with the JSON\'s numbers, and adds up to the header\'s total', async (ctx) => {
    requireBpf(ctx);
    const workload = buildFixture('workload');
    const { stderr, summary } = await tablesAndSummary([], [workload]);
    const sc = summary.ebpf.syscalls;
    expect(sc.processes).toHaveLength(3);
    expect(stderr).toMatch(new RegExp(`^syscalls: ${sc.total} calls in 3 processes, via `, 'm'));
    const rows = tableAfter(stderr, /^processes: 3 in all; the command first, then by calls/);
    expect(rows).toHaveLength(3);
    rows.forEach((row, i) => {
      const p = sc.processes[i];
      expect(row.slice(0, 3)).toEqual([String(p.pid), String(p.ppid), String(p.total)]);
      // Its top syscalls, with the JSON's counts.
      expect(row[5]).toBe(Object.entries(p.by_syscall).slice(0, 3).map(([n, c]) => `${n} ${c}`).join(', '));
    });
    // The command's own command line; the exited ones by their name (the child exec'd /proc/self/exe).
    expect(rows[0]![4]).toBe(workload);
    expect(rows[0]![5]).toMatch(/^getpgid 3000, sched_yield 2000, getppid 1000$/);
    expect(rows[1]![4]).toBe('[exe]');
    expect(rows[1]![5]).toMatch(new RegExp(`^getsid ${WORKLOAD_COUNTS.getsid}, umask ${WORKLOAD_COUNTS.umask}`));
    expect(rows.reduce((a, r) => a + Number(r[2]), 0)).toBe(sc.total);
    expect(rows.some((r) => r[0]!.startsWith('tid'))).toBe(false);
    expect(stderr).not.toMatch(/tid N:/);
  });

  it('--per-thread adds the threads of the process that had more than one, with their JSON counts', async (ctx) => {
    requireBpf(ctx);
    const { stderr, summary } = await tablesAndSummary(['--per-thread'], [buildFixture('workload')]);
    const root = summary.ebpf.syscalls.processes[0];
    expect(root.thread_list).toHaveLength(3);
    const rows = tableAfter(stderr, /^processes: 3 in all; .*tid N: the threads of a process that had more than one, by calls/);
    // The root, its three threads (the main thread first, then by calls), then the two single-threaded processes.
    expect(rows.map((r) => r[0])).toEqual([String(root.pid), ...root.thread_list.map((t: Rec) => `tid ${t.tid}`), ...summary.ebpf.syscalls.processes.slice(1).map((p: Rec) => String(p.pid))]);
    const threadRows = rows.slice(1, 4);
    threadRows.forEach((row, i) => expect(row[2]).toBe(String(root.thread_list[i].total)));
    expect(threadRows.reduce((a, r) => a + Number(r[2]), 0)).toBe(root.total);
    expect(threadRows.map((r) => r[5]!.split(',')[0])).toEqual(['getppid 1000', 'getpgid 3000', 'sched_yield 2000']);
  });

  it('a tree larger than --top: the top rows and one row for the rest, which add up to the total', async (ctx) => {
    requireBpf(ctx);
    const { stderr, summary } = await tablesAndSummary(['--top', '3'], ['sh', '-c', 'for i in 1 2 3 4 5 6; do ls /usr > /dev/null; done; /bin/true']);
    const sc = summary.ebpf.syscalls;
    expect(sc.processes.length).toBe(8);
    const rows = tableAfter(stderr, /^processes: 8 in all; the command and the top 2 by calls/);
    expect(rows).toHaveLength(4);
    expect(rows.slice(0, 3).map((r) => Number(r[0]))).toEqual(sc.processes.slice(0, 3).map((p: Rec) => p.pid));
    const rest = sc.processes.slice(3).reduce((a: number, p: Rec) => a + p.total, 0);
    expect(rows[3]).toEqual(['…', '', String(rest), expect.stringMatching(/%$/), '5 more processes', '']);
    expect(rows.reduce((a, r) => a + Number(r[2]), 0)).toBe(sc.total);
  });
});

describe('one value per quantity', () => {
  it('a multi-process run: time and rate once, counts equal to the JSON, no contradiction with the EXECUTION SUMMARY', async (ctx) => {
    requireBpf(ctx);
    const { stderr, summary } = await tablesAndSummary([], ['sh', '-c', 'ls -R /usr/share/doc > /dev/null & ls -R /usr/share/locale > /dev/null; wait; sleep 0.2']);
    const sc = summary.ebpf.syscalls;
    const header = /^syscalls: (\d+) calls in (\d+) processes, via /m.exec(stderr);
    expect(header, stderr).not.toBeNull();
    expect(Number(header![1])).toBe(sc.total);
    expect(Number(header![2])).toBe(sc.processes.length);
    // Processes at once (the samples) never more than processes in all (the counter).
    expect(summary.max_processes).toBeLessThanOrEqual(sc.processes.length);
    expect(stderr).toMatch(new RegExp(`^Max Processes +${summary.max_processes}$`, 'm'));
    // One time, one rate: the EXECUTION SUMMARY's; the header repeats neither in other words.
    expect(stderr.match(/\d\.\d+ s(econds)?\b/g)).toEqual([`${summary.total_time_secs.toFixed(2)} seconds`]);
    expect(stderr.match(/[\d.]+\/s\b/g)).toEqual([`${summary.syscall_rate_per_sec.toFixed(1)}/s`]);
    // The tables add up to the header's total.
    const cats = tableAfter(stderr, /^categories, by calls$/);
    expect(cats.reduce((a, r) => a + Number(r[1]), 0)).toBe(sc.total);
    const top = tableAfter(stderr, /^syscalls by calls: the top 10 of \d+$/);
    expect(top.map((r) => [r[0], Number(r[1])])).toEqual(sc.top_syscalls.map((s: Rec) => [s.name, s.count]));
  });
});

describe('time per syscall', () => {
  it('--latency: sorted by total time, so one long call is shown among thousands of short ones', async (ctx) => {
    requireBpf(ctx);
    const { stderr, summary } = await tablesAndSummary(['--latency', '--top', '5'], ['sh', '-c', 'ls -R /usr/share/doc > /dev/null; sleep 1']);
    const latency = summary.ebpf.syscalls.latency;
    const rows = tableAfter(stderr, /^syscalls by total time \(wall time from entry to exit; [\d.]+ s in all\): the top 5 of \d+$/);
    const expected = Object.entries(latency.by_syscall as Record<string, Rec>)
      .sort((a, b) => b[1].total_secs - a[1].total_secs)
      .slice(0, 5);
    expect(rows.map((r) => [r[0], Number(r[1]), r[2]])).toEqual(expected.map(([name, l]) => [name, l.calls, l.total_secs.toFixed(6)]));
    // One clock_nanosleep of 1 s: among the top five by time, not among the top five by calls.
    expect(rows.map((r) => r[0])).toContain('clock_nanosleep');
    expect(summary.ebpf.syscalls.top_syscalls.map((s: Rec) => s.name)).not.toContain('clock_nanosleep');
    const seconds = rows.map((r) => Number(r[2]));
    expect([...seconds].sort((a, b) => b - a)).toEqual(seconds);
  });

  it('--format strace says its time is wall time (strace -c -w), not strace -c\'s system time', async (ctx) => {
    requireBpf(ctx);
    const r = await runCli(['--enable-ebpf', '--require-ebpf', '--format', 'strace', 'run', '--', 'sleep', '0.2']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^seconds: wall time from entry to exit of each call, as `strace -c -w` counts it \(plain `strace -c` counts system CPU time, without the time a call waits\)\n% time +seconds/m);
    // The sleep's 0.2 s is there: wall time (strace -c would show almost none).
    const sleep = /\n\s*\d+\.\d\d\s+(\d+\.\d{6})\s+\d+\s+1\s+clock_nanosleep\n/.exec(r.stderr);
    expect(sleep, r.stderr).not.toBeNull();
    expect(Number(sleep![1])).toBeGreaterThanOrEqual(0.2);
  });
});

describe('control characters of processes and files are shown escaped, never raw', () => {
  it('run: argv and comm (written to /proc/self/comm) hold escape sequences', async (ctx) => {
    requireBpf(ctx);
    // $0 of the script holds OSC (set the window title) and ED (clear the screen); a subshell renames itself with them.
    // The background one, still running at the end, exec'd with an escape sequence for argv[0]: the
    // script waits until its exec is done (its name is sleep), however loaded the machine is.
    const script =
      '( printf "\\033]0;pwn\\007\\033[2J" > /proc/self/comm; : ); ( exec -a "$(printf "\\033[31mred\\007")" sleep 3 ) > /dev/null 2>&1 & ' +
      'until [ "$(cat /proc/$!/comm)" = sleep ]; do sleep 0.02; done';
    const r = await runCli(['--enable-ebpf', '--require-ebpf', '--top', '1000', 'run', '--', 'bash', '-c', script, '\u001b]0;argv\u0007\u001b[2J']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toMatch(ESC_OR_BEL);
    // As a user can paste it back into bash.
    expect(r.stderr).toContain(`command: bash -c '${script.replaceAll("'", `'\\''`)}' $'\\e]0;argv\\a\\e[2J'  (pid `);
    const rows = tableAfter(r.stderr, /^processes: /);
    const commands = rows.map((row) => row[4]);
    expect(commands).toContain('[\\e]0;pwn\\a\\e[2J]');
    // Still running at the end: its argv, read from /proc, quoted.
    expect(commands).toContain("$'\\e[31mred\\a' 3");
  });

  it('attach: the command line of the watched process', async (ctx) => {
    requireBpf(ctx);
    const target = spawn('sleep', ['30'], { argv0: '\u001b]0;attached\u0007\u001b[2J', stdio: 'ignore' });
    try {
      const r = await runCli(['--enable-ebpf', '--require-ebpf', '-d', '0.4', 'attach', String(target.pid)]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout + r.stderr).not.toMatch(ESC_OR_BEL);
      expect(r.stderr).toMatch(new RegExp(`^command: \\$'\\\\e\\]0;attached\\\\a\\\\e\\[2J' 30 {2}\\(pid ${target.pid}, still running\\)$`, 'm'));
    } finally {
      target.kill('SIGKILL');
    }
  });

  it('error messages: a command or a file name with escape sequences is quoted escaped', async () => {
    const missing = await runCli(['run', '--', '/nonexistent/\u001b]0;x\u0007\u001b[2J']);
    expect(missing.code).toBe(127);
    expect(missing.stdout + missing.stderr).not.toMatch(ESC_OR_BEL);
    expect(missing.stderr).toMatch(/^tsdenet: \/nonexistent\/\\e\]0;x\\a\\e\[2J: no such file$/m);
    const stats = await runCli(['stats', '/nonexistent/\u009b2J.jsonl']);
    expect(stats.code).not.toBe(0);
    expect(stats.stdout + stats.stderr).not.toMatch(ESC_OR_BEL);
    expect(stats.stderr).toContain('/nonexistent/\\u009b2J.jsonl');
  });

  it('report and stats: a record kind from the file is echoed escaped', async () => {
    const dir = tempDir('escaped-kind');
    const file = join(dir, 'run.jsonl');
    const r = await runCli(['-q', '-o', file, 'run', '--', 'sleep', '0.2']);
    expect(r.code, r.stderr).toBe(0);
    writeFileSync(file, readFileSync(file, 'utf8') + JSON.stringify({ kind: '\u001b]0;kind\u0007\u001b[2J\u009b31m' }) + '\n');
    const report = await runCli(['report', file, '-o', join(dir, 'run.html')]);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout + report.stderr).not.toMatch(ESC_OR_BEL);
    expect(report.stderr).toContain('record kind "\\e]0;kind\\a\\e[2J\\u009b31m" is not one tsdenet reads');
    const stats = await runCli(['stats', file]);
    expect(stats.code, stats.stderr).toBe(0);
    expect(stats.stdout + stats.stderr).not.toMatch(ESC_OR_BEL);
  });
});
