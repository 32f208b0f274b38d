import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect, chromium, type BrowserContext, type Page } from '@playwright/test';
import { binary, chromiumArgs, chromiumPath, root } from '../playwright.config';

/** A persistent profile (service workers and installability need one). */
async function installedApp(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-pwa-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    args: chromiumArgs,
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

async function controlled(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15_000 });
}

/** Cuts the browser off the network. Network emulation alone no longer
 * reaches the service worker's own fetches in Debian's chromium 148, so
 * every request, the worker's included, is also refused as a lost
 * connection would refuse it. */
async function goOffline(context: BrowserContext) {
  await context.setOffline(true);
  await context.route('**/*', (route) => route.abort('internetdisconnected'));
}

/** Undoes `goOffline`. */
async function goOnline(context: BrowserContext) {
  await context.unrouteAll();
  await context.setOffline(false);
}

test('offline, a dashboard reloads with its last data and a dated banner; back online it is fresh', async ({
  baseURL,
}) => {
  const { context, close } = await installedApp();
  try {
    const page = await context.newPage();
    await page.goto(`${baseURL}/d/product?range=30d`);
    await controlled(page);
    // Opened once more under the service worker, so its copy is kept.
    await page.reload();
    await expect(page.locator('main[data-hydrated="true"]')).toBeVisible();

    await goOffline(context);
    await page.reload();
    await expect(page.locator('#offline-banner')).toHaveText(/^Offline — showing data from \d\d:\d\d UTC$/);
    await expect(page.locator('[data-panel="users"] figure.chart svg:visible')).toBeVisible();
    // The WASM came from the precache: the page is interactive offline.
    await expect(page.locator('main[data-hydrated="true"]')).toBeVisible();

    // A page never opened has no copy: the offline page says so.
    await page.goto(`${baseURL}/d/api`);
    await expect(page.getByRole('heading', { name: 'You are offline' })).toBeVisible();

    await page.goto(`${baseURL}/d/product?range=30d`);
    await expect(page.locator('#offline-banner')).toBeVisible();
    await goOnline(context);
    await expect(page.locator('#offline-banner')).toHaveCount(0);
    await expect(page.locator('main[data-hydrated="true"]')).toBeVisible();
  } finally {
    await close();
  }
});

/** Porthole serving `site` on `port` until stopped. */
async function serve(site: string, dataDir: string, port: number): Promise<ChildProcess> {
  const child = spawn(
    binary,
    ['serve', '--addr', `127.0.0.1:${port}`, '--data-dir', dataDir, '--site-root', site],
    { cwd: root, stdio: 'ignore' },
  );
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  child.kill();
  throw new Error(`porthole did not start on ${port}`);
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  await exited;
}

test('a new release is offered with "New version available — reload" and replaces the cached app', async () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-release-'));
  const built = path.join(root, 'target/site');
  const [first, second] = [path.join(work, 'v1'), path.join(work, 'v2')];
  fs.cpSync(built, first, { recursive: true });
  fs.cpSync(built, second, { recursive: true });
  // The second release changes one file of the app shell.
  const changed = path.join(second, 'offline.html');
  fs.appendFileSync(changed, '<!-- release 2 -->\n');
  for (const sibling of ['.br', '.gz']) fs.rmSync(changed + sibling, { force: true });
  execFileSync('node', [path.join(root, 'scripts/service-worker.mjs'), second], { cwd: root });

  const port = 3931;
  const origin = `http://127.0.0.1:${port}`;
  let server = await serve(first, path.join(work, 'data'), port);
  const { context, close } = await installedApp();
  try {
    const page = await context.newPage();
    await page.goto(`${origin}/status`);
    await controlled(page);
    const cachedOfflinePage = () =>
      page.evaluate(async () => {
        for (const name of await caches.keys()) {
          const cache = await caches.open(name);
          for (const request of await cache.keys()) {
            if (new URL(request.url).pathname === '/offline.html') return (await cache.match(request))!.text();
          }
        }
        return null;
      });
    expect(await cachedOfflinePage()).not.toContain('release 2');

    await stop(server);
    server = await serve(second, path.join(work, 'data'), port);
    await page.reload();
    const banner = page.locator('#update-banner');
    await expect(banner).toContainText('New version available — reload');
    await Promise.all([page.waitForEvent('load'), banner.getByRole('button', { name: 'reload' }).click()]);
    await expect.poll(cachedOfflinePage, { timeout: 15_000 }).toContain('release 2');
  } finally {
    await close();
    await stop(server);
    fs.rmSync(work, { recursive: true, force: true });
  }
});
