import { test, expect, type Browser } from '@playwright/test';
import { deleteIncident, openIncidentAndSnapshot } from '../admin';

// The viewer's language (`lang`) on every page kind, with JavaScript and
// without: pages are in it, say so (`<html lang>`), and name it in the
// language picker; once interactive, chart readouts drawn in the browser
// write numbers and dates the language's way. A browser that prefers
// German is sent to German on its first visit, and a visitor who picks
// English stays in English from page to page.

let incidentId = 0;
let snapshotId = '';

test.beforeAll(async ({ request }) => {
  ({ incidentId, snapshotId } = await openIncidentAndSnapshot(request));
});

test.afterAll(async ({ request }) => {
  await deleteIncident(request, incidentId);
});

/** Every page kind in German, with a text only its German words print. */
const pages = (): [string, string, RegExp][] => [
  ['dashboard', '/d/product?range=30d&lang=de', /Als Tabelle anzeigen/],
  ['status', '/status?lang=de', /Dienststatus/],
  ['service', '/status/porthole?lang=de', /Letzte Prüfung/],
  ['incident', `/status/incidents/${incidentId}?lang=de`, /Wird untersucht/],
  ['history', '/status/history?lang=de', /Vorfallverlauf/],
  ['snapshot', `/s/${snapshotId}?lang=de`, /Snapshot vom \d\d\.\d\d\.\d{4} \d\d:\d\d UTC/],
  ['embed', '/embed/product/users?range=30d&lang=de', /Zeitzone: UTC/],
];

async function newPage(browser: Browser, javaScriptEnabled: boolean, locale = 'en-US') {
  const context = await browser.newContext({ javaScriptEnabled, locale });
  return { context, page: await context.newPage() };
}

for (const javaScriptEnabled of [true, false]) {
  test(`every page kind speaks the link's language, JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, async ({
    browser,
  }) => {
    const { context, page } = await newPage(browser, javaScriptEnabled);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    for (const [name, url, german] of pages()) {
      const response = await page.goto(url);
      expect(response?.status(), name).toBe(200);
      expect(response?.headers()['content-language'], name).toBe('de');
      if (javaScriptEnabled && name !== 'embed') {
        await expect(page.locator('[data-hydrated="true"]').first(), name).toBeAttached();
      }
      await expect(page.locator('html'), name).toHaveAttribute('lang', 'de');
      await expect(page.locator('body'), name).toContainText(german);
      if (name !== 'embed') {
        await expect(page.locator('.language-picker [aria-current]'), name).toHaveText('Deutsch');
        await expect(page.locator('.language-picker a.lang-en'), name).toHaveText('English');
      }
    }
    expect(errors).toEqual([]);
    await context.close();
  });
}

test("once interactive, a German chart's readout writes German numbers and dates", async ({ browser }) => {
  const { context, page } = await newPage(browser, true);
  await page.goto('/d/product?range=30d&lang=de');
  await expect(page.locator('main[data-hydrated="true"]')).toBeVisible();
  const chart = page.locator('[data-panel="users"]');
  await chart.locator('.chart-hover').hover();
  await expect(chart.locator('.readout .time')).toHaveText(/^\d\d\.\d\d\.\d{4} \d\d:\d\d UTC$/);
  // Values of thousands are grouped with a point: "12.345".
  await expect(chart.locator('.readout .value').first()).toHaveText(/^[\d.,]+(k|M)?$/);
  const value = await chart.locator('.readout .value').first().innerText();
  expect(value).not.toMatch(/\d,\d{3}(\D|$)/);
  // Range links keep the language.
  await page.getByRole('link', { name: '7d', exact: true }).click();
  await expect(page).toHaveURL(/range=7d&lang=de/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  await context.close();
});

test('a German browser is sent to German, and a visitor who picks English stays in English', async ({ browser }) => {
  const { context, page } = await newPage(browser, false, 'de-DE');
  await page.goto('/status');
  await expect(page).toHaveURL(/\/status\?lang=de$/);
  await expect(page.locator('h1')).toHaveText('Dienststatus');
  await page.locator('.language-picker a.lang-en').click();
  await expect(page).toHaveURL(/\/status\?lang=en$/);
  await expect(page.locator('h1')).toHaveText('Service status');
  await page.locator('a[href^="/status/history"]').first().click();
  await expect(page).toHaveURL(/\/status\/history\?lang=en$/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await context.close();
});
