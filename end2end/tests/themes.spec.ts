import { test, expect } from '@playwright/test';

/** The computed fill of the chart's background rectangle. */
async function chartBackground(page: import('@playwright/test').Page): Promise<string> {
  return page.locator('figure.chart svg:visible rect').first().evaluate((r) => getComputedStyle(r).fill);
}

test('dark theme from the URL: page and charts are dark, links keep it', async ({ page }) => {
  await page.goto('/?range=7d&theme=dark');
  await expect(page.locator('main[data-hydrated="true"]')).toBeVisible();
  await expect(page.locator('.app')).toHaveAttribute('data-theme', 'dark');
  expect(await page.locator('.app').evaluate((e) => getComputedStyle(e).backgroundColor)).toBe('rgb(11, 17, 32)');
  expect(await chartBackground(page)).toBe('rgb(17, 24, 39)');
  // The range links keep the theme, the theme links keep the range.
  await expect(page.getByRole('link', { name: '30d', exact: true })).toHaveAttribute('href', '/?range=30d&theme=dark');
  await expect(page.getByRole('navigation', { name: 'Theme' }).getByRole('link', { name: 'Light' })).toHaveAttribute(
    'href',
    '/?range=7d&theme=light',
  );
  await page.getByRole('navigation', { name: 'Theme' }).getByRole('link', { name: 'Light' }).click();
  await expect(page.locator('.app')).toHaveAttribute('data-theme', 'light');
  expect(await chartBackground(page)).toBe('rgb(255, 255, 255)');
});

test('the system theme follows the device', async ({ browser }) => {
  const context = await browser.newContext({ colorScheme: 'dark' });
  const page = await context.newPage();
  await page.goto('/');
  await expect(page.locator('.app')).toHaveAttribute('data-theme', 'system');
  expect(await chartBackground(page)).toBe('rgb(17, 24, 39)');
  await context.close();
});

test('an unknown theme is a 400 that says what is expected', async ({ page }) => {
  const response = await page.goto('/?theme=purple');
  expect(response?.status()).toBe(400);
  await expect(page.getByRole('alert')).toContainText('light, dark or system');
  await expect(page.locator('[data-panel="users"] figure.chart')).toHaveCount(1);
});

for (const path of ['/', '/d/api?range=1h', '/status']) {
  test(`usable at 360 px wide without horizontal scrolling: ${path}`, async ({ browser }) => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    await page.goto(path);
    await expect(page.locator('main[data-hydrated="true"]')).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const name = path === '/' ? 'overview' : path.slice(1).replace(/[^a-z]+/g, '-');
    await page.screenshot({ path: `end2end/test-results/narrow-${name}.png`, fullPage: true });
    await context.close();
  });
}
