/**
 * Where -o/--stats write, against the real CLI: devices and FIFOs in place,
 * everything else through an unpredictable temporary file and a rename,
 * whatever the path's text says (/dev/shm/x, /dev/../x are files); a
 * replaced report keeps its mode (and owner, as root); names at NAME_MAX
 * work. And the attack of issue 15: another (real, unprivileged) user
 * plants symlinks in /tmp and /dev/shm where root will write; root's 0600
 * file must stay as it was, and root gets one clear error.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { ROOT, runCli, runProgram, type CliResult } from '../helpers/cli.js';
import { createTestUser, publicTempDir, removeDir, requireTestUser, runAs, type TestUser } from '../helpers/unprivileged-user.js';

const NAME_MAX = 255;
const SAMPLE_RUN = join(ROOT, 'test', 'fixtures', 'report', 'tsdenet-sampled.jsonl');

function expectCleanError(r: CliResult, problem: RegExp): void {
  const lines = r.stderr.trimEnd().split('\n');
  expect(r.code, r.stderr).toBe(1);
  expect(lines, r.stderr).toHaveLength(2);
  expect(lines[0]).toMatch(problem);
  expect(lines[1]).toMatch(/^tsdenet: fix: \S/);
}

/** The files a name's run may leave in dir: itself, its sidecar, its temporaries. */
function traces(dir: string, name: string): string[] {
  const stem = name.replace(/\.jsonl$/, '');
  return readdirSync(dir)
    .filter((n) => n === name || n.startsWith(`.${name}.`) || n.startsWith(`${stem}.tsdenet.jsonl`) || n.startsWith(`.${stem}.tsdenet.jsonl.`))
    .sort();
}

describe('output targets (any user)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tsdenet-targets-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a 0600 report stays 0600, and its new sidecar is 0600 too', async () => {
    const out = join(dir, 'private.jsonl');
    writeFileSync(out, 'old\n', { mode: 0o600 });
    const r = await runCli(['-q', '-o', out, 'run', '--', 'true']);
    expect(r.code, r.stderr).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readFileSync(out, 'utf8')).toMatch(/"kind":"metadata"/);
    expect(statSync(join(dir, 'private.tsdenet.jsonl')).mode & 0o777).toBe(0o600);
    // A new report gets the usual 0644 (under the test's umask 022).
    const fresh = join(dir, 'fresh.jsonl');
    expect((await runCli(['-q', '-o', fresh, 'run', '--', 'true'], { env: { ...process.env } })).code).toBe(0);
    expect(statSync(fresh).mode & 0o777).toBe(0o644 & ~process.umask());
  });

  it('a name of NAME_MAX bytes works: the report, its sidecar, and stats reading them', async () => {
    const name = `${'n'.repeat(NAME_MAX - '.jsonl'.length)}.jsonl`;
    const out = join(dir, name);
    const r = await runCli(['-q', '-o', out, '--stats', join(dir, 'é'.repeat(127)), 'run', '--', 'true']);
    expect(r.code, r.stderr).toBe(0);
    const names = readdirSync(dir).filter((n) => n.startsWith('n') || n.startsWith('é') || n.startsWith('.'));
    expect(names.map((n) => Buffer.byteLength(n)).sort()).toEqual([254, NAME_MAX, NAME_MAX]);
    const stats = await runCli(['--json', 'stats', out]);
    expect(stats.code, stats.stderr).toBe(0);
    expect(JSON.parse(stats.stdout)).toHaveProperty('sample_count');
  });

  it('character devices and FIFOs are written in place; /dev/shm/x and /dev/../x are files', async () => {
    // stderr is a socket here (node's child stdio): the CLI's own descriptor, written as it is.
    for (const device of ['/dev/null', '/dev/stderr', '/dev/fd/2']) {
      const r = await runCli(['-q', '-o', device, 'run', '--', 'true']);
      expect(r.code, `${device}: ${r.stderr}`).toBe(0);
    }
    // /dev/stdout onto a pipe: every record there (no sidecar beside a pipe).
    const piped = await runCli(['-q', '-o', '/dev/stdout', 'run', '--', 'true']);
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stdout).toMatch(/"kind":"summary"/);
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const reader = runProgram('cat', [fifo]);
    const viaFifo = await runCli(['-q', '-o', fifo, 'run', '--', 'true']);
    expect(viaFifo.code, viaFifo.stderr).toBe(0);
    expect((await reader).stdout).toMatch(/"kind":"summary"/);
    expect(lstatSync(fifo).isFIFO()).toBe(true);

    const shm = mkdtempSync('/dev/shm/tsdenet-targets-');
    try {
      for (const out of [join(shm, 'run.jsonl'), `/dev/..${dir}/dotdot.jsonl`]) {
        const r = await runCli(['-q', '-o', out, 'run', '--', 'true']);
        expect(r.code, r.stderr).toBe(0);
        // A file: it got a sidecar beside it, and no temporary is left.
        expect(lstatSync(out).isFile()).toBe(true);
        expect(traces(join(out, '..'), basename(out))).toEqual([basename(out), basename(out).replace('.jsonl', '.tsdenet.jsonl')]);
      }
    } finally {
      rmSync(shm, { recursive: true, force: true });
    }
  });

  it('a directory, a block device, a socket are refused before the command runs', async () => {
    const marker = join(dir, 'ran');
    const block = readdirSync('/dev').map((n) => join('/dev', n)).find((p) => lstatSync(p).isBlockDevice());
    expect(block, 'a block device in /dev').toBeDefined();
    const socket = join(dir, 'sock');
    const server = createServer().listen(socket);
    await once(server, 'listening');
    try {
      for (const [out, problem] of [
        [dir, /: EISDIR$/],
        [`${dir}/`, /: EISDIR$/],
        [block!, /it is a block device/],
        [socket, /it is a socket/],
      ] as const) {
        const r = await runCli(['-q', '-o', out, 'run', '--', 'touch', marker]);
        expectCleanError(r, problem);
        expect(existsSync(marker)).toBe(false);
      }
    } finally {
      server.close();
    }
  });
});

describe('symlinks planted by another user, as root', () => {
  let user: TestUser | undefined;
  let skip: string | undefined;
  let rootDir: string;
  let victim: string;
  const shared: string[] = [];

  beforeAll(() => {
    if (process.getuid?.() !== 0) {
      skip = 'needs root (creates a user, and the attack is against root)';
      return;
    }
    user = createTestUser('tsdout');
    rootDir = mkdtempSync(join('/root', 'tsdenet-victim-'));
    victim = join(rootDir, 'secret');
    writeFileSync(victim, 'root only\n', { mode: 0o600 });
  });
  afterAll(() => {
    for (const path of shared) rmSync(path, { force: true });
    if (rootDir) rmSync(rootDir, { recursive: true, force: true });
    user?.remove();
  });

  function expectVictimUntouched(): void {
    expect(readFileSync(victim, 'utf8')).toBe('root only\n');
    const st = statSync(victim);
    expect(st.mode & 0o7777).toBe(0o600);
    expect(st.uid).toBe(0);
  }

  async function plant(u: TestUser, link: string, target: string): Promise<void> {
    shared.push(link);
    const r = await runAs(u.name, 'ln', ['-sfn', target, link]);
    expect(r.code, r.stderr).toBe(0);
    expect(lstatSync(link).uid).toBe(u.uid);
  }

  function me(ctx: TestContext): TestUser {
    return requireTestUser(ctx, skip, user);
  }

  it('-o, --stats and the sidecar through a link in /dev/shm or /tmp: refused, the victim untouched, nothing left', async (ctx) => {
    const u = me(ctx);
    for (const base of ['/dev/shm', '/tmp']) {
      const name = `tsdenet-attack-${process.pid}.jsonl`;
      const link = join(base, name);
      await plant(u, link, victim);
      for (const args of [
        ['-q', '-o', link, 'run', '--', 'true'],
        ['-q', '--stats', link, 'run', '--', 'true'],
        ['-o', link, 'stats', SAMPLE_RUN],
      ]) {
        const r = await runCli(args);
        expectCleanError(r, new RegExp(`cannot write ${link}: it is another user's symlink \\(uid ${u.uid}\\): not followed`));
        expectVictimUntouched();
        expect(traces(base, name)).toEqual([name]);
      }
      rmSync(link);
      // The report's own name is free, its sidecar's is planted.
      const sidecar = join(base, name.replace('.jsonl', '.tsdenet.jsonl'));
      await plant(u, sidecar, victim);
      const r = await runCli(['-q', '-o', link, 'run', '--', 'true']);
      expectCleanError(r, /tsdenet\.jsonl: it is another user's symlink/);
      expectVictimUntouched();
      expect(traces(base, name), 'the -o temporary is removed too').toEqual([basename(sidecar)]);
      rmSync(sidecar);
    }
  });

  it("a link to a device is not followed either, nor a chain through another user's link", async (ctx) => {
    const u = me(ctx);
    const link = join('/dev/shm', `tsdenet-dev-${process.pid}`);
    await plant(u, link, '/dev/null');
    expectCleanError(await runCli(['-q', '-o', link, 'run', '--', 'true']), /another user's symlink/);
    // root's own link (trusted) to the user's link (not): the chain is checked link by link.
    await plant(u, link, victim);
    const own = join(rootDir, 'own-link.jsonl');
    execFileSync('ln', ['-s', link, own]);
    expectCleanError(await runCli(['-q', '-o', own, 'run', '--', 'true']), new RegExp(`leads through ${link}, which is another user's symlink`));
    expectVictimUntouched();
  });

  it("a directory on the way that is another user's link: refused (the kernel would follow it)", async (ctx) => {
    const u = me(ctx);
    const link = join('/dev/shm', `tsdenet-dir-${process.pid}`);
    await plant(u, link, rootDir);
    const via = join(link, basename(victim));
    for (const args of [['-q', '-o', via, 'run', '--', 'true'], ['-q', '--stats', via, 'run', '--', 'true']]) {
      expectCleanError(await runCli(args), new RegExp(`cannot write ${via}: it leads through ${link}, which is another user's symlink \\(uid ${u.uid}\\): not followed`));
      expectVictimUntouched();
      expect(readdirSync(rootDir).filter((n) => n.startsWith('.')), 'no temporary in root\'s directory').toEqual([]);
    }
  });

  it('old-style predictable temporary names planted in /tmp neither redirect nor fail the run', async (ctx) => {
    const u = me(ctx);
    const name = `tsdenet-tmp-${process.pid}.jsonl`;
    const out = join('/tmp', name);
    // The next few hundred pids: the CLI's node gets one of them.
    const last = Number(readFileSync('/proc/sys/kernel/ns_last_pid', 'utf8'));
    const planted = Array.from({ length: 300 }, (_, i) => join('/tmp', `.${name}.${last + 1 + i}.tmp`));
    await runAs(u.name, 'sh', ['-c', 'for p in "$@"; do ln -s "$0" "$p"; done', victim, ...planted]);
    shared.push(...planted, out, join('/tmp', name.replace('.jsonl', '.tsdenet.jsonl')));
    const r = await runCli(['-q', '-o', out, 'run', '--', 'true']);
    expect(r.code, r.stderr).toBe(0);
    expectVictimUntouched();
    expect(lstatSync(out).isFile()).toBe(true);
    expect(lstatSync(planted[0]!).isSymbolicLink()).toBe(true);
  });

  it("root keeps the mode and owner of a user's report it replaces; root's 0600 report in /tmp stays 0600", async (ctx) => {
    const u = me(ctx);
    const pub = publicTempDir('owner');
    try {
      const out = join(pub, 'theirs.jsonl');
      writeFileSync(out, 'old\n', { mode: 0o640 });
      chownSync(out, u.uid, u.gid);
      chmodSync(out, 0o640);
      expect((await runCli(['-q', '-o', out, 'run', '--', 'true'])).code).toBe(0);
      const st = statSync(out);
      expect([st.uid, st.gid, st.mode & 0o777]).toEqual([u.uid, u.gid, 0o640]);
    } finally {
      removeDir(pub);
    }
    const mine = join('/tmp', `tsdenet-mine-${process.pid}.jsonl`);
    shared.push(mine, mine.replace('.jsonl', '.tsdenet.jsonl'));
    writeFileSync(mine, 'old\n', { mode: 0o600 });
    expect((await runCli(['-q', '-o', mine, 'run', '--', 'true'])).code).toBe(0);
    expect([statSync(mine).uid, statSync(mine).mode & 0o777]).toEqual([0, 0o600]);
  });

  it("another user's 0666 file planted in /tmp under the report's name does not make root's report theirs or writable by others", async (ctx) => {
    const u = me(ctx);
    const bait = join('/tmp', `tsdenet-bait-${process.pid}.jsonl`);
    shared.push(bait, bait.replace('.jsonl', '.tsdenet.jsonl'));
    await runAs(u.name, 'sh', ['-c', 'umask 0; : > "$0"', bait]);
    expect([statSync(bait).uid, statSync(bait).mode & 0o777]).toEqual([u.uid, 0o666]);
    expect((await runCli(['-q', '-o', bait, 'run', '--', 'true'])).code).toBe(0);
    const st = statSync(bait);
    expect([st.uid, st.mode & 0o777]).toEqual([0, 0o644]);
    expect(readFileSync(bait, 'utf8')).toMatch(/"kind":"metadata"/);
  });
});
