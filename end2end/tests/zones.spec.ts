import { test, expect, type Browser } from '@playwright/test';
import { deleteIncident, openIncidentAndSnapshot } from '../admin';

// The viewer's time zone (`tz`) on every page kind, with JavaScript and
// without: pages name the zone and print times in it; once interactive, a
// page offers the visitor's own zone (the browser's), and chart readouts,
// drawn in the browser, keep the page's zone.

let incidentId = 0;
let snapshotId = '';

test.beforeAll(async ({ request }) => {
  // The dashboard's status table prints each service's last check.
  await expect(async () => {
    const status = await (await request.get('/api/status')).json();
    const services = status.groups.flatMap((group: { services: unknown[] }) => group.services);
    expect(services.every((service: { last_check?: number }) => typeof service.last_check === 'number')).toBe(true);
  }).toPass({ timeout: 20_000 });
  ({ incidentId, snapshotId } = await openIncidentAndSnapshot(request));
});

test.afterAll(async ({ request }) => {
  await deleteIncident(request, incidentId);
});

/** Every page kind, each with `tz` set, and a text only the zone's times print. */
const pages = (): [string, string][] => [
  ['dashboard', '/d/product?range=30d&tz=Asia/Tokyo'],
  ['status', '/status?tz=Asia/Tokyo'],
  ['service', '/status/porthole?tz=Asia/Tokyo'],
  ['incident', `/status/incidents/${incidentId}?tz=Asia/Tokyo`],
  ['history', '/status/history?tz=Asia/Tokyo'],
  ['snapshot', `/s/${snapshotId}?tz=Asia/Tokyo`],
  ['embed', '/embed/product/users?range=30d&tz=Asia/Tokyo'],
];

async function newPage(browser: Browser, javaScriptEnabled: boolean) {
  const context = await browser.newContext({ javaScriptEnabled, timezoneId: 'Europe/Berlin' });
  return { context, page: await context.newPage() };
}

for (const javaScriptEnabled of [true, false]) {
  test(`every page kind prints its times in the link's zone, JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, async ({
    browser,
  }) => {
    const { context, page } = await newPage(browser, javaScriptEnabled);
    for (const [name, url] of pages()) {
      const response = await page.goto(url);
      expect(response?.status(), name).toBe(200);
      if (javaScriptEnabled && name !== 'embed') {
        await expect(page.locator('[data-hydrated="true"]').first(), name).toBeAttached();
      }
      await expect(page.locator('.zone-current'), name).toHaveText('Times in Asia/Tokyo');
      const text = await page.locator('body').innerText();
      // An embed's chart prints no full time until it is pointed at.
      if (name !== 'embed') expect(text, name).toMatch(/\d\d:\d\d(:\d\d)? JST/);
      expect(text, name).not.toMatch(/\d\d:\d\d(:\d\d)? UTC/);
    }
    await context.close();
  });
}

test("once interactive, a page offers the visitor's own zone, and readouts keep the page's", async ({ browser }) => {
  const { context, page } = await newPage(browser, true);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto('/d/product?range=30d');
  await expect(page.locator('.zone-current')).toHaveText('Times in UTC');
  const offer = page.locator('.zone-offer');
  await expect(offer).toHaveText('Show in Europe/Berlin');
  await offer.click();
  await expect(page).toHaveURL(/[?&]range=30d&tz=Europe\/Berlin$/);
  await expect(page.locator('.zone-current')).toHaveText('Times in Europe/Berlin');
  await expect(page.locator('.zone-offer')).toHaveCount(0);
  await expect(page.locator('main[data-hydrated="true"]')).toBeVisible();

  const chart = page.locator('[data-panel="users"]');
  await chart.locator('.chart-hover').hover();
  await expect(chart.locator('.readout .time')).toHaveText(/ CES?T$/);
  // Range links keep the zone.
  await page.getByRole('link', { name: '7d', exact: true }).click();
  await expect(page).toHaveURL(/range=7d&tz=Europe\/Berlin/);
  await page.locator('.zone-utc').click();
  await expect(page.locator('.zone-current')).toHaveText('Times in UTC');
  expect(errors).toEqual([]);

  // Without JavaScript there is nothing to offer, and `tz` still works.
  const still = await newPage(browser, false);
  await still.page.goto('/d/product?range=30d');
  await expect(still.page.locator('.zone-offer')).toHaveCount(0);
  await still.context.close();
  await context.close();
});

test("a browser without Temporal still offers the visitor's own zone (through Intl)", async ({ browser }) => {
  const { context, page } = await newPage(browser, true);
  await context.addInitScript(() => {
    delete (globalThis as { Temporal?: unknown }).Temporal;
  });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto('/d/product?range=30d');
  expect(await page.evaluate(() => typeof (globalThis as { Temporal?: unknown }).Temporal)).toBe('undefined');
  await expect(page.locator('.zone-offer')).toHaveText('Show in Europe/Berlin');
  expect(errors).toEqual([]);
  await context.close();
});
