/**
 * The tests that run setup/tracefs.sh for real change the modes and groups
 * of tracefs, one system-wide thing, and compare them before and after:
 * two such test files in parallel workers would see each other's changes.
 * They take this lock (a file holding the holder's pid, so a lock left by
 * a killed run is taken over) for as long as their setup is installed.
 */
import { openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';

const LOCK = '/run/tsdenet-test-tracefs.lock';

function holderAlive(): boolean {
  try {
    const pid = Number(readFileSync(LOCK, 'utf8'));
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, someone else's; ENOENT (lock gone) or ESRCH (holder dead): not.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Waits for the lock (polling), takes it, and returns its release. */
export async function lockTracefs(timeoutMs = 600_000): Promise<() => void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fd = openSync(LOCK, 'wx', 0o644);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(LOCK, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (!holderAlive()) {
      rmSync(LOCK, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`${LOCK} held by another test process for too long`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
