import { test, expect } from '@playwright/test';

// Porthole checks itself (up) and a port nothing listens on (down), every
// 5 seconds; the first checks land within seconds of start.

test('the status page shows the banner, each service and 90 daily bars', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await expect(async () => {
    await page.goto('/status');
    await expect(page.locator('.status-banner .count')).toHaveText('1 / 2 up', { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await expect(page.locator('.status-banner .headline')).toHaveText('Partial outage');
  await expect(page.locator('main[data-hydrated="true"]')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Platform' })).toBeVisible();

  const porthole = page.locator('#service-porthole');
  await expect(porthole.locator('.state')).toHaveText('Operational');
  const bars = porthole.locator('.uptime-bars .bar');
  await expect(bars).toHaveCount(90);
  await expect(bars.last()).toHaveClass(/good/);
  await expect(bars.first()).toHaveClass(/none/);
  // Focus (keyboard) shows what the day was.
  const tipWidth = async (bar: import('@playwright/test').Locator) =>
    (await bar.locator('.bar-tip').boundingBox())?.width ?? 0;
  await bars.last().focus();
  expect(await tipWidth(bars.last())).toBeGreaterThan(100);
  await expect(bars.last().locator('.bar-tip')).toContainText('100% up, no incidents');
  expect(await tipWidth(bars.first())).toBeLessThanOrEqual(1);
  await expect(porthole.locator('.service-figures')).toContainText('24h100%');

  const docs = page.locator('#service-docs');
  await expect(docs.locator('.state')).toHaveText('Down');
  // Why a check failed names hosts and addresses: not shown to visitors
  // unless [probes] public_details = true.
  await expect(docs.locator('.service-error')).toHaveCount(0);
  await expect(page.getByText('connection refused')).toHaveCount(0);
  await expect(docs.locator('.uptime-bars .bar').last()).toHaveClass(/bad/);

  // The navigation marks where we are and leads to the dashboard.
  await expect(page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Status' })).toHaveAttribute(
    'aria-current',
    'page',
  );
  expect(errors).toEqual([]);
});

test('the status page is complete without JavaScript and reloads itself', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await expect(async () => {
    await page.goto('/status');
    await expect(page.locator('.status-banner .count')).toHaveText('1 / 2 up', { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await expect(page.locator('.uptime-bars')).toHaveCount(2);
  await expect(page.locator('#service-docs .state')).toHaveText('Down');
  await expect(page.locator('noscript')).toHaveCount(1);
  expect(await page.content()).toContain('http-equiv="refresh" content="60"');
  await context.close();
});

test('badges of the status page', async ({ request }) => {
  await expect(async () => {
    const badge = await request.get('/badge/porthole/status.svg');
    expect(badge.status()).toBe(200);
    expect(await badge.text()).toContain('>operational</text>');
  }).toPass({ timeout: 20_000 });
  const unknown = await request.get('/badge/nope/status.svg');
  expect(unknown.status()).toBe(404);
  expect(unknown.headers()['content-type']).toContain('image/svg+xml');
});

test('the status page swaps in a fresh report every minute, without a reload', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  // The page's clock is the test's: a minute passes when the test says so.
  await page.clock.install();
  await page.goto('/status');
  await expect(page.locator('.status-report .status-banner')).toBeVisible();
  // Marks on the page and on the report shown: a reload would lose the
  // first, a swapped report loses the second.
  await page.evaluate(() => {
    (globalThis as { samePage?: boolean }).samePage = true;
    document.querySelector('.status-report .status-banner')?.setAttribute('data-shown', 'before');
  });
  // Until the refresh island has loaded and set its timer, a minute may
  // pass with nothing to fire; keep letting minutes pass.
  await expect(async () => {
    await page.clock.runFor('01:01');
    await expect(page.locator('.status-report .status-banner[data-shown="before"]')).toHaveCount(0, {
      timeout: 1_000,
    });
  }).toPass({ timeout: 20_000 });
  await expect(page.locator('.status-report .status-banner')).toBeVisible();
  expect(await page.evaluate(() => (globalThis as { samePage?: boolean }).samePage)).toBe(true);
  expect(errors).toEqual([]);
});

test("a service's page: reached from /status, its charts answer hover, complete without JavaScript", async ({
  page,
  browser,
}) => {
  await expect(async () => {
    await page.goto('/status');
    await expect(page.locator('#service-porthole .state')).toHaveText('Operational', { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await page.locator('#service-porthole h3 a').click();
  await expect(page).toHaveURL(/\/status\/porthole$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Porthole');
  await expect(page).toHaveTitle('Porthole · Status · Porthole');
  await expect(page.locator('#service-porthole .uptime-bars .bar')).toHaveCount(90);
  const day = page.locator('section[data-panel="porthole-latency-24h"]');
  await expect(day.getByRole('heading', { name: 'Response time, last 24 hours' })).toBeVisible();
  await expect(page.locator('section[data-panel="porthole-latency-90d"] svg:visible').first()).toBeVisible();
  await expect(page.locator('main[data-hydrated="true"]')).toBeVisible();
  await day.locator('.chart-hover').hover();
  const readout = day.locator('.readout');
  await expect(readout).toBeVisible();
  await expect(readout.locator('li').first()).toContainText(/^p50 \d/);
  await expect(page.locator('.badges code').first()).toContainText('/badge/porthole/status.svg');

  const context = await browser.newContext({ javaScriptEnabled: false });
  const still = await context.newPage();
  await still.goto('/status/porthole');
  await expect(still.locator('section[data-panel="porthole-latency-24h"] svg:visible').first()).toBeVisible();
  await expect(still.locator('#service-porthole .state')).toHaveText('Operational');
  expect((await still.goto('/status/no-such-service'))?.status()).toBe(404);
  await context.close();
});
