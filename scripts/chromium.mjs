/**
 * How tsdenet's report tests and benchmark start Debian's Chromium through
 * playwright-core (which never downloads a browser: it is given the path).
 */

export const CHROMIUM = process.env.TSDENET_CHROMIUM ?? '/usr/bin/chromium';

/** Flags that work as root in a container, with no network and no first-run work. */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
