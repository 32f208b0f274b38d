import { test, expect, type Page } from '@playwright/test';

/**
 * Collects console errors and uncaught exceptions; the test fails on any,
 * except messages matching `expected` (such as the 404 of a 404 page).
 */
function watchErrors(page: Page, expected?: RegExp): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !expected?.test(message.text())) errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/** The chart markup as the browser would serialize it from server HTML. */
async function chartInServerHtml(page: Page, html: string): Promise<string> {
  return page.evaluate((source) => {
    const doc = new DOMParser().parseFromString(source, 'text/html');
    return doc.querySelector('[data-panel="users"] figure.chart')?.innerHTML ?? '';
  }, html);
}

test('the server sends the chart, hydration keeps it, a range link leads to its view where the reader was', async ({
  page,
  request,
}) => {
  const errors = watchErrors(page);

  const response = await request.get('/');
  expect(response.status()).toBe(200);
  const html = await response.text();
  expect(html).toMatch(/<figure[^>]*class="chart"[^>]*><svg[^>]*>[\s\S]*<polyline/);

  await page.goto('/');
  await expect(page.locator('main[data-hydrated="true"]')).toBeVisible();
  const chart = page.locator('[data-panel="users"] figure.chart');
  await expect(chart).toHaveAttribute('data-range', '30d');
  // No jump: after hydration the chart is exactly what the server sent.
  expect(await chart.innerHTML()).toBe(await chartInServerHtml(page, html));
  const before = await chart.innerHTML();

  // The link leads to the 7d view's page (kept rendered by the server), and
  // the reader stays where they were. (A script click: Playwright's own
  // would scroll the link into view first.)
  // Where each document is at its first frame: the new view's page must
  // open where the reader was, not paint at the top and then jump.
  await page.addInitScript(() => {
    requestAnimationFrame(() => {
      (globalThis as { firstFrameScroll?: number }).firstFrameScroll = window.scrollY;
    });
  });
  await page.evaluate(() => window.scrollTo(0, 300));
  const scrolled = await page.evaluate(() => window.scrollY);
  expect(scrolled).toBeGreaterThan(0);
  await page.getByRole('link', { name: '7d', exact: true }).evaluate((link: HTMLElement) => link.click());

  await expect(page).toHaveURL(/\?range=7d$/);
  await expect(page.locator('main[data-hydrated="true"]')).toBeVisible();
  await expect(chart).toHaveAttribute('data-range', '7d');
  await expect(page.getByRole('link', { name: '7d', exact: true })).toHaveAttribute('aria-current', 'page');
  expect(await chart.innerHTML()).not.toBe(before);
  await expect(chart.locator('svg:visible polyline[stroke-width="2"]')).toHaveCount(1);
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(scrolled);
  expect(await page.evaluate(() => (globalThis as { firstFrameScroll?: number }).firstFrameScroll)).toBe(scrolled);

  expect(errors).toEqual([]);
});

test('a custom from/to window is a link, and a range link leaves it', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/?range=7d&theme=dark');
  await expect(page.locator('main[data-hydrated="true"]')).toBeVisible();
  const day = (ago: number) => new Date(Date.now() - ago * 86_400_000).toISOString().slice(0, 10);
  await page.locator('.window-form summary').click();
  await page.getByLabel('From (UTC)').fill(`${day(20)}T00:00`);
  await page.getByLabel('To (UTC)').fill(`${day(10)}T00:00`);
  await page.getByRole('button', { name: 'Show' }).click();

  await expect(page).toHaveURL(new RegExp(`from=${day(20)}T00%3A00&to=${day(10)}T00%3A00&theme=dark`));
  const chart = page.locator('[data-panel="users"] figure.chart');
  await expect(chart).toHaveAttribute(
    'aria-label',
    new RegExp(`${day(20)} 00:00 UTC – ${day(10)} 00:00 UTC`),
  );
  await expect(page.locator('.app')).toHaveAttribute('data-theme', 'dark');
  await expect(page.locator('.window-form summary')).toHaveAttribute('aria-current', 'page');
  // The form shows the window it leads to.
  await expect(page.getByLabel('From (UTC)')).toHaveValue(`${day(20)}T00:00`);

  await page.getByRole('link', { name: '30d', exact: true }).click();
  await expect(page).toHaveURL(/\?range=30d&theme=dark$/);
  await expect(chart).toHaveAttribute('aria-label', /last 30 days/);
  expect(errors).toEqual([]);
});

test('an unknown page is a 404 with a way home', async ({ page }) => {
  const errors = watchErrors(page, /status of 404 \(Not Found\)/);
  const response = await page.goto('/no/such/page');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await page.getByRole('link', { name: 'Go to the dashboard' }).click();
  await expect(page.locator('[data-panel="users"] figure.chart')).toBeVisible();
  expect(errors).toEqual([]);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the growth panels are all on the page', async ({ page }) => {
    await page.goto('/');
    // The headline row (services, requests, errors, latency), then the KPIs.
    await expect(page.locator('.stat-card')).toHaveCount(8);
    await expect(page.locator('.stat-card').first()).toContainText('Services up');
    await expect(page.locator('.stat-card').nth(1)).toContainText('set [overview] requests');
    await expect(page.locator('.stat-card').nth(4)).toContainText('Total users');
    await expect(page.getByText('Demo data').first()).toBeVisible();
    const table = page.getByRole('table', { name: 'Monthly growth' });
    await expect(table.locator('tbody tr')).toHaveCount(12);
    await expect(table.locator('thead th')).toHaveText(['Month', 'Total users', 'New users', 'Growth']);
  });

  test('the chart is on the page and the range links reload it', async ({ page }) => {
    await page.goto('/');
    const chart = page.locator('[data-panel="users"] figure.chart');
    await expect(chart.locator('svg:visible polyline[stroke-width="2"]')).toHaveCount(1);
    const before = await chart.innerHTML();
    await page.getByRole('link', { name: '90d', exact: true }).click();
    await expect(page).toHaveURL(/\?range=90d$/);
    await expect(chart).toHaveAttribute('data-range', '90d');
    expect(await chart.innerHTML()).not.toBe(before);
  });
});
