import { describe, expect, it } from 'vitest';
import { escapeLabelValue, labelNameProblem, renderExposition, runFamilies } from '../../../src/prometheus/exposition.js';
import { groupUrl, parsePushgatewayUrl, type PushTarget } from '../../../src/prometheus/pushgateway.js';

describe('Prometheus text format', () => {
  it('checks label names by Prometheus rules', () => {
    expect(labelNameProblem('commit')).toBeUndefined();
    expect(labelNameProblem('_runner2')).toBeUndefined();
    expect(labelNameProblem('2fast')).toMatch(/no Prometheus label name/);
    expect(labelNameProblem('a-b')).toMatch(/no Prometheus label name/);
    expect(labelNameProblem('__name__')).toMatch(/reserves/);
    expect(labelNameProblem('job')).toMatch(/--push-job/);
    expect(labelNameProblem('syscall')).toMatch(/the metrics carry themselves/);
  });

  it('escapes backslash, double quote and line feed in label values', () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
  });

  it('writes syscalls with their category, errors per errno, and the run figures', () => {
    const text = renderExposition(
      runFamilies({
        source: 'r',
        command: ['x'],
        counts: { total: 3, bySyscall: { openat: 2, getppid: 1 }, byCategory: {}, byCommand: {}, errors: { openat: { ENOENT: 2 } }, processes: 1 },
        wallTimeSecs: 0.5,
        cpuSecs: 0.25,
        peakRssBytes: 4096,
        maxProcesses: 1,
        exitStatus: 0,
        endedAtMs: 1_700_000_000_000,
      }),
      [['commit', 'a"b']],
    );
    expect(text).toContain('# TYPE tsdenet_syscalls_total counter\ntsdenet_syscalls_total{commit="a\\"b",syscall="getppid",category="process"} 1\ntsdenet_syscalls_total{commit="a\\"b",syscall="openat",category="file_io"} 2\n');
    expect(text).toContain('tsdenet_syscall_errors_total{commit="a\\"b",syscall="openat",errno="ENOENT"} 2\n');
    expect(text).toContain('tsdenet_wall_time_seconds{commit="a\\"b"} 0.5\n');
    expect(text).toContain('tsdenet_cpu_seconds_total{commit="a\\"b"} 0.25\n');
    expect(text).toContain('tsdenet_peak_rss_bytes{commit="a\\"b"} 4096\n');
    expect(text).toContain('tsdenet_exit_status{commit="a\\"b"} 0\n');
    expect(text).toContain('tsdenet_last_run_timestamp_seconds{commit="a\\"b"} 1700000000\n');
  });

  it('says when a run has no counts instead of writing none silently', () => {
    const text = renderExposition(runFamilies({ source: 'r', command: ['x'], noCountsReason: 'no eBPF', exitStatus: 3 }));
    expect(text).toContain('tsdenet_syscall_counts_available 0\n');
    expect(text).not.toContain('# TYPE tsdenet_syscalls_total');
    expect(text).toContain('tsdenet_exit_status 3\n');
  });
});

describe('Pushgateway URLs', () => {
  it('checks the URL and keeps credentials out of what is shown', () => {
    expect(parsePushgatewayUrl('pushgateway:9091')).toMatch(/protocol/);
    expect(parsePushgatewayUrl('not a url')).toMatch(/is no URL/);
    expect(parsePushgatewayUrl('http://h:9091/?x=1')).toMatch(/no \?query/);
    const t = parsePushgatewayUrl('https://ci:s3cret@h:9091/prefix/') as PushTarget;
    expect(t.shown).toBe('https://h:9091/prefix');
    expect(t.authorization).toBe('Basic ' + Buffer.from('ci:s3cret').toString('base64'));
  });

  it('builds the grouping key path, base64 for values with a slash or empty', () => {
    const t = parsePushgatewayUrl('http://h:9091') as PushTarget;
    expect(groupUrl(t, 'ci build', [['branch', 'feature/x'], ['commit', 'abc'], ['empty', '']]).toString()).toBe(
      `http://h:9091/metrics/job/ci%20build/branch@base64/${Buffer.from('feature/x').toString('base64url')}/commit/abc/empty@base64/=`,
    );
    // A URL would resolve . and .. away, pushing to another path.
    expect(groupUrl(t, '..', [['commit', '.']]).pathname).toBe(`/metrics/job@base64/${Buffer.from('..').toString('base64url')}/commit@base64/${Buffer.from('.').toString('base64url')}`);
  });
});
