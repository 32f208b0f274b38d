import { defineConfig } from '@playwright/test';
import * as os from 'node:os';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { chromiumArgs, chromiumPath } from './chromium.cjs';
import { adminToken } from './admin';

// Let network emulation (context.setOffline) reach service workers too, so
// offline tests take the path an installed app takes.
process.env.PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS = '1';

// Porthole's browser tests: Debian's chromium against the release build,
// started on its own loopback port with a throwaway data directory.
const port = Number(process.env.PORTHOLE_E2E_PORT ?? 3917);
const baseURL = `http://127.0.0.1:${port}`;
export const root = path.resolve(__dirname, '..');
const built = path.resolve(root, process.env.PORTHOLE_BIN ?? 'target/release/porthole');
// The binary alone, copied into an empty directory and started there with
// no --site-root: the site it serves is the one inside it, as on a server
// it was copied to.
const alone = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-alone-'));
export const binary = path.join(alone, 'porthole');
fs.copyFileSync(built, binary);
fs.chmodSync(binary, 0o755);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-e2e-'));
// A VictoriaMetrics (Debian's package) for the metric dashboard; the tests
// import their samples into it.
export const vmPort = Number(process.env.PORTHOLE_E2E_VM_PORT ?? port + 1);
const vmURL = `http://127.0.0.1:${vmPort}`;
const configPath = path.join(dataDir, 'porthole.toml');
fs.writeFileSync(
  configPath,
  `# Where visitors reach this server: the base of link previews and the
# Share dialog's links.
[server]
public_url = "${baseURL}"

[prometheus]
url = "${vmURL}"
refresh = "1s"

# Visitors may take snapshots from the Share dialog.
[sharing]
public_snapshots = true

# Pages on this origin may frame embeds; any other may not.
[embed]
allowed_origins = ["http://127.0.0.1:4001"]

# The status page: Porthole itself, and a service nothing answers for.
[[service]]
name = "Porthole"
group = "Platform"
url = "${baseURL}/health"
interval = "5s"

[[service]]
name = "Docs"
group = "Platform"
url = "http://127.0.0.1:9/health"
interval = "5s"
timeout = "1s"

[[dashboard]]
id = "api"
title = "API"
range = "6h"

[[dashboard.panel]]
id = "latency"
kind = "latency"
title = "API latency"
histogram = 'http_request_duration_seconds_bucket{job="api"}'
width = "half"

[[dashboard.panel]]
id = "requests"
kind = "rate"
title = "Requests by status"
counter = 'http_requests_total{job="api"}'
by = "code"
width = "half"

# One panel of each kind that needs no chart query of its own.
[[dashboard]]
id = "product"
title = "Product"

[[dashboard.panel]]
id = "rps"
kind = "stat"
title = "API requests per second"
query = 'sum(rate(http_requests_total{job="api"}[$__rate_interval]))'
unit = "per_second"

[[dashboard.panel]]
id = "users"
kind = "growth"
title = "Total users"

[[dashboard.panel]]
id = "services"
kind = "status"
title = "Services"
width = "half"

[[dashboard.panel]]
id = "uptime"
kind = "uptime"
title = "Daily uptime"
width = "half"

[[dashboard.panel]]
id = "monthly"
kind = "table"
title = "Monthly growth"
`,
);

export { chromiumArgs, chromiumPath };

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  retries: 0,
  workers: 1,
  reporter: 'list',
  forbidOnly: !!process.env.CI,
  use: {
    baseURL,
    launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
  },
  webServer: [
    {
      command: `/usr/bin/victoria-metrics -httpListenAddr=127.0.0.1:${vmPort} -storageDataPath="${path.join(dataDir, 'vm')}" -retentionPeriod=100y -search.latencyOffset=0s -loggerLevel=WARN`,
      url: `${vmURL}/health`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      command: `"${binary}" serve --addr 127.0.0.1:${port} --data-dir "${dataDir}" --config "${configPath}"`,
      cwd: alone,
      env: { ...process.env, PORTHOLE_ADMIN_TOKEN: adminToken } as Record<string, string>,
      url: `${baseURL}/health`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: 'pipe',
      stderr: 'pipe',
    },
  ],
});
