/**
 * Helper programs tsdenet runs, by absolute path: PATH is the user's, and
 * a process holding capabilities (or root) must not run whatever `getent`
 * or `setpriv` the user put first in it.
 */
import { accessSync, constants } from 'node:fs';

export const SETPRIV_PATHS = ['/usr/bin/setpriv', '/bin/setpriv', '/usr/sbin/setpriv'] as const;
export const GETENT_PATHS = ['/usr/bin/getent', '/bin/getent'] as const;

/** The first of `paths` this process may execute; undefined when none. */
export function firstExecutable(paths: readonly string[]): string | undefined {
  for (const path of paths) {
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // try the next one
    }
  }
  return undefined;
}
