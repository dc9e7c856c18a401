/**
 * The pure decisions of output-target.ts and output-file.ts (which
 * symlinks are trusted, temporary and sidecar names near NAME_MAX), and
 * the temporary file's creation against a name planted in its way (a real
 * file system; the random part is chosen by the test so that the planted
 * name is the one tried first).
 */
import { lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NAME_MAX, truncateUtf8 } from '../../../src/records/file-name.js';
import { SIDECAR_SUFFIX, sidecarPath } from '../../../src/records/sidecar.js';
import { createTemporary, temporaryPid, temporaryPrefix } from '../../../src/report/output-file.js';
import { keptOwnership, untrustedSymlink } from '../../../src/report/output-target.js';

const ME = 1000;
const OTHER = 1001;

describe('keptOwnership', () => {
  it("keeps a file's mode and owner where only its owner or root writes the directory", () => {
    expect(keptOwnership({ mode: 0o100600, uid: ME, gid: ME }, { mode: 0o40700, uid: ME })).toEqual({ mode: 0o600, uid: ME, gid: ME });
    expect(keptOwnership({ mode: 0o100640, uid: OTHER, gid: OTHER }, { mode: 0o40755, uid: 0 })).toEqual({ mode: 0o640, uid: OTHER, gid: OTHER });
    // A world-writable directory of the file's own owner: theirs to choose.
    expect(keptOwnership({ mode: 0o100666, uid: ME, gid: ME }, { mode: 0o41777, uid: ME })).toEqual({ mode: 0o666, uid: ME, gid: ME });
  });

  it("neither gives the report to another user's file planted in a shared directory nor leaves it writable by others", () => {
    const kept = keptOwnership({ mode: 0o100666, uid: OTHER, gid: OTHER }, { mode: 0o41777, uid: 0 });
    expect(kept.mode).toBe(0o644);
    expect(kept.uid).toBe(process.geteuid!());
    expect(keptOwnership({ mode: 0o100600, uid: OTHER, gid: OTHER }, { mode: 0o41777, uid: 0 }).mode).toBe(0o600);
  });
});

describe('untrustedSymlink', () => {
  it('follows links only this user or root made, where only they can swap them', () => {
    // /dev/stdout: root's link in root's 0755 /dev.
    expect(untrustedSymlink({ uid: 0 }, { uid: 0, mode: 0o40755 }, ME)).toBeUndefined();
    // The user's own link in the user's own directory.
    expect(untrustedSymlink({ uid: ME }, { uid: ME, mode: 0o40700 }, ME)).toBeUndefined();
    // The user's own link in sticky /tmp: nobody else may rename or remove it.
    expect(untrustedSymlink({ uid: ME }, { uid: 0, mode: 0o41777 }, ME)).toBeUndefined();
  });

  it("refuses another user's link, a link in another user's directory, a link others may swap", () => {
    expect(untrustedSymlink({ uid: OTHER }, { uid: 0, mode: 0o41777 }, ME)).toBe("another user's symlink (uid 1001)");
    expect(untrustedSymlink({ uid: OTHER }, { uid: 0, mode: 0o41777 }, 0)).toBe("another user's symlink (uid 1001)");
    expect(untrustedSymlink({ uid: ME }, { uid: OTHER, mode: 0o40755 }, ME)).toBe("a symlink in another user's directory (uid 1001)");
    expect(untrustedSymlink({ uid: ME }, { uid: ME, mode: 0o40777 }, ME)).toBe('a symlink in a directory that others may write to');
    expect(untrustedSymlink({ uid: 0 }, { uid: 0, mode: 0o40775 }, 0)).toBe('a symlink in a directory that others may write to');
  });
});

describe('names near NAME_MAX', () => {
  it('cuts UTF-8 at a character boundary', () => {
    expect(truncateUtf8('abc', 5)).toBe('abc');
    expect(truncateUtf8('aé', 2)).toBe('a'); // é is 2 bytes: never half of it
    expect(truncateUtf8('aéb', 3)).toBe('aé');
  });

  it('temporary names fit NAME_MAX for any target name, and carry their pid', () => {
    for (const name of ['run.jsonl', 'a'.repeat(NAME_MAX), 'é'.repeat(127)]) {
      const prefix = temporaryPrefix(`/some/dir/${name}`);
      const tmp = `${prefix}4194304.0123456789ab.tmp`;
      expect(Buffer.byteLength(tmp)).toBeLessThanOrEqual(NAME_MAX);
      expect(temporaryPid(tmp, prefix)).toBe(4194304);
    }
    const prefix = temporaryPrefix('/d/run.jsonl');
    expect(prefix).toBe('.run.jsonl.');
    // Not ours: another file's, the old pid-only form, a foreign suffix.
    expect(temporaryPid('.run.jsonl.12.0123456789ab.tmp', prefix)).toBe(12);
    expect(temporaryPid('.run.jsonl.12.tmp', prefix)).toBeUndefined();
    expect(temporaryPid('.run.jsonl.12.0123456789ab.tmp.x', prefix)).toBeUndefined();
    expect(temporaryPid('.other.jsonl.12.0123456789ab.tmp', prefix)).toBeUndefined();
  });

  it('the sidecar of a name near NAME_MAX fits NAME_MAX', () => {
    const long = `${'b'.repeat(NAME_MAX - '.jsonl'.length)}.jsonl`;
    const side = basename(sidecarPath(`/d/${long}`));
    expect(Buffer.byteLength(side)).toBe(NAME_MAX);
    expect(side.endsWith(SIDECAR_SUFFIX)).toBe(true);
    expect(sidecarPath('/d/run.jsonl')).toBe('/d/run.tsdenet.jsonl');
  });
});

describe('createTemporary', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('never follows nor reuses a name planted in its way: it takes another', () => {
    dir = mkdtempSync(join(tmpdir(), 'tsdenet-tmpname-'));
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'secret\n', { mode: 0o600 });
    const target = join(dir, 'run.jsonl');
    const planted = join(dir, `.run.jsonl.${process.pid}.aaaaaaaaaaaa.tmp`);
    symlinkSync(victim, planted);
    const names = ['aaaaaaaaaaaa', 'bbbbbbbbbbbb'];
    const { tmp, fd } = createTemporary(target, undefined, () => names.shift()!);
    writeFileSync(fd, 'report\n');
    expect(basename(tmp)).toBe(`.run.jsonl.${process.pid}.bbbbbbbbbbbb.tmp`);
    expect(lstatSync(tmp).isFile()).toBe(true);
    expect(readFileSync(tmp, 'utf8')).toBe('report\n');
    expect(readlinkSync(planted)).toBe(victim);
    expect(readFileSync(victim, 'utf8')).toBe('secret\n');
  });

  it('gives the temporary file the mode of the report it replaces', () => {
    dir = mkdtempSync(join(tmpdir(), 'tsdenet-tmpname-'));
    const { tmp } = createTemporary(join(dir, 'run.jsonl'), { mode: 0o640, uid: process.getuid!(), gid: process.getgid!() });
    expect(lstatSync(tmp).mode & 0o777).toBe(0o640);
  });
});
