/** Debian's Chromium (apt); Playwright never downloads a browser here. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Root needs --no-sandbox; the rest keep Chromium from calling home (updates, sync, QUIC probes)
 * on a machine with no network, which otherwise slows every page down.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
