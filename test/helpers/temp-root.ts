/**
 * vitest globalSetup: every test run gets one temporary root, handed to the
 * workers and to every program they start through TMPDIR (os.tmpdir(),
 * mktemp, gcc), and removed when the run ends, so no test leaves files in
 * /tmp however it ends. World-writable and sticky like /tmp itself: tests
 * run programs as other users (test/helpers/unprivileged-user.ts).
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'tsdenet-test-'));
  chmodSync(root, 0o1777);
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}
