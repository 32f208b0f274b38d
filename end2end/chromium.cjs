// Debian's chromium as this machine runs it, for the browser tests
// (playwright.config.ts) and `make bench` (scripts/first-load.mjs):
// headless, and with nothing that reaches beyond loopback.

/** Where Debian's package installs it. */
exports.chromiumPath = '/usr/bin/chromium';

/** Its flags. */
exports.chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
