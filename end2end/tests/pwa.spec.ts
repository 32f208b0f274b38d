import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect, chromium } from '@playwright/test';
import { chromiumArgs, chromiumPath } from '../playwright.config';

test('the app is installable: manifest, icons, no installability errors', async ({ baseURL, request }) => {
  const manifest = await request.get('/manifest.webmanifest');
  expect(manifest.status()).toBe(200);
  expect(manifest.headers()['content-type']).toBe('application/manifest+json');
  const json = await manifest.json();
  expect(json.display).toBe('standalone');
  for (const icon of json.icons) {
    const answer = await request.get(icon.src);
    expect(answer.status(), icon.src).toBe(200);
    expect(answer.headers()['content-type']).toBe('image/png');
  }

  // Installability is only reported for a persistent (non-incognito) profile.
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-pwa-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    args: chromiumArgs,
  });
  try {
    const page = await context.newPage();
    await page.goto(`${baseURL}/status`);
    await expect(page.locator('link[rel="manifest"]')).toHaveAttribute('href', '/manifest.webmanifest');
    const cdp = await context.newCDPSession(page);
    await expect
      .poll(async () => (await cdp.send('Page.getInstallabilityErrors')).installabilityErrors, { timeout: 15_000 })
      .toEqual([]);
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
});

test('an embed installs nothing: no manifest, no pwa.js, no service worker', async ({ browser }) => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const scripts: string[] = [];
    page.on('request', (request) => scripts.push(new URL(request.url()).pathname));
    await page.goto('/embed/product/users?range=30d');
    await page.waitForSelector('html[data-hydrated="true"]', { state: 'attached' });
    await page.waitForLoadState('networkidle');
    await expect(page.locator('link[rel="manifest"]')).toHaveCount(0);
    expect(scripts).not.toContain('/pwa.js');
    expect(scripts).not.toContain('/sw.js');
    const registrations = await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length);
    expect(registrations).toBe(0);
    // The same site's pages still are an app.
    await page.goto('/d/product?range=30d');
    await expect(page.locator('link[rel="manifest"]')).toHaveCount(1);
    await expect(page.locator('script[src="/pwa.js"]')).toHaveCount(1);
  } finally {
    await context.close();
  }
});

test('pwa.js is sent minified and precompressed, and checked on every load', async ({ request }) => {
  const answer = await request.get('/pwa.js', { headers: { 'accept-encoding': 'br, gzip' } });
  expect(answer.status()).toBe(200);
  expect(answer.headers()['content-encoding']).toBe('br');
  expect(answer.headers()['cache-control']).toBe('no-cache');
  const script = await answer.text();
  // The source's opening comment is gone, its behaviour is not.
  expect(script).not.toContain('Porthole as an installed app');
  expect(script).toContain('sw.js');
  const gzip = await request.get('/pwa.js', { headers: { 'accept-encoding': 'gzip' } });
  expect(gzip.headers()['content-encoding']).toBe('gzip');
  expect(await gzip.text()).toBe(script);
});

test('every module a page preloads is served, on a live view too', async ({ page, request }) => {
  for (const url of ['/', '/status', '/d/api?range=15m&refresh=10s']) {
    await page.goto(url);
    await expect(page.locator('html[data-hydrated="true"]'), url).toBeAttached();
    const preloads = await page
      .locator('link[rel="modulepreload"], link[rel="preload"]')
      .evaluateAll((links) => links.map((link) => (link as HTMLLinkElement).href));
    // At least the wasm-bindgen module and the WASM.
    expect(preloads.length, url).toBeGreaterThanOrEqual(2);
    for (const href of preloads) {
      expect((await request.get(href)).status(), href).toBe(200);
    }
  }
});
