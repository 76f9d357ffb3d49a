/**
 * Debian's Chromium for the page's browser tests: where it is, and what it is started with so that
 * nothing runs beside the page (no sync, updates or background requests).
 */
import { existsSync } from 'node:fs';

/** Debian's Chromium, or undefined when it is not installed (`apt-get install chromium`). */
export const chromiumPath = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((path) => existsSync(path));

/** The flags every test browser gets; a test adds its own (a fake camera). */
export const chromiumArgs: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
