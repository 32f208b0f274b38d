import { test, expect } from '@playwright/test';
import { vmPort } from '../playwright.config';
import { importSamples } from '../samples';

const vm = `http://127.0.0.1:${vmPort}`;

test.beforeAll(async ({ request }) => {
  await importSamples(request);
});

test('a metric dashboard: charts from VictoriaMetrics, legend toggles, table view, CSV', async ({
  page,
  request,
}) => {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));

  await page.goto('/d/api?range=1h');
  await expect(page.locator('main[data-hydrated="true"]')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'API', exact: true })).toBeVisible();
  // Every range is offered on a metric dashboard.
  await expect(page.getByRole('navigation', { name: 'Time range' }).getByRole('link')).toHaveCount(8);

  const latency = page.locator('section[data-panel="latency"]');
  const requests = page.locator('section[data-panel="requests"]');
  await expect(latency.locator('svg:visible polyline[stroke-width="2"]')).toHaveCount(3);
  await expect(latency.locator('.legend-item')).toHaveText(['p50', 'p95', 'p99']);

  // The legend hides and shows a line.
  const lines = requests.locator('svg:visible polyline[stroke-width="2"]');
  await expect(lines).toHaveCount(2);
  const failed = requests.getByRole('button', { name: '500' });
  await expect(failed).toHaveAttribute('aria-pressed', 'true');
  await failed.click();
  await expect(failed).toHaveAttribute('aria-pressed', 'false');
  await expect(lines).toHaveCount(1);
  await failed.click();
  await expect(lines).toHaveCount(2);

  // Hovering shows the values of every line at that time.
  const hover = latency.locator('.chart-hover');
  await hover.hover();
  const readout = latency.locator('.readout');
  await expect(readout).toBeVisible();
  await expect(readout.locator('li')).toHaveText(['p50 66.67 ms', 'p95 625 ms', 'p99 925 ms']);
  await expect(readout.locator('.time')).toContainText('UTC');
  await latency.getByRole('heading').hover();
  await expect(readout).toHaveCount(0);
  // And with the keyboard.
  await hover.focus();
  await page.keyboard.press('End');
  await expect(readout).toBeVisible();
  const last = await readout.locator('.time').textContent();
  await page.keyboard.press('ArrowLeft');
  await expect(readout.locator('.time')).not.toHaveText(last!);
  await page.keyboard.press('Escape');
  await expect(readout).toHaveCount(0);

  // The values as a table.
  await latency.getByText('View as table').click();
  const table = latency.locator('details table');
  await expect(table).toBeVisible();
  await expect(table.locator('thead th')).toHaveText(['Time', 'p50', 'p95', 'p99']);
  await expect(table.locator('tbody tr').first().locator('td').nth(2)).toHaveText('625 ms');

  // The CSV of what is shown.
  const href = await latency.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
  expect(href).toBe('/api/panels/api/latency/data.csv?range=1h');
  const csv = await request.get(href!);
  expect(csv.headers()['content-type']).toContain('text/csv');
  const [header, first] = (await csv.text()).split('\n');
  expect(header).toBe('time,p50,p95,p99');
  expect(first.split(',')[2]).toBe('625');

  // A range link leads to that view.
  await page.getByRole('link', { name: '6h', exact: true }).click();
  await expect(page).toHaveURL(/\/d\/api\?range=6h$/);
  await expect(latency.locator('figure.chart')).toHaveAttribute('data-range', '6h');

  expect(errors).toEqual([]);
});

test('half-width panels sit side by side on a wide screen', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto('/d/api?range=1h');
  const latency = (await page.locator('section[data-panel="latency"]').boundingBox())!;
  const requests = (await page.locator('section[data-panel="requests"]').boundingBox())!;
  expect(Math.abs(latency.y - requests.y)).toBeLessThan(2);
  expect(requests.x).toBeGreaterThan(latency.x + latency.width - 1);
  await page.screenshot({ path: 'end2end/test-results/wide-api.png', fullPage: true });
  await context.close();
});

test('an unknown dashboard is a 404 that leads home', async ({ page }) => {
  // A link without a range shows the dashboard's own default (6h).
  await page.goto('/d/api');
  await expect(page.locator('[data-panel="latency"] figure.chart')).toHaveAttribute('data-range', '6h');
  await expect(page.getByRole('link', { name: '6h', exact: true })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('navigation', { name: 'Theme' }).getByRole('link', { name: 'Dark' })).toHaveAttribute(
    'href',
    '/d/api?range=6h&theme=dark',
  );

  const response = await page.goto('/d/nope');
  expect(response?.status()).toBe(404);
  await expect(page.getByText('there is no dashboard "nope"')).toBeVisible();
  await page.getByRole('link', { name: 'Go to the overview' }).click();
  await expect(page).toHaveURL(/\/$/);
});

test('every panel kind a dashboard can configure shows its data', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/d/product?range=7d');
  await expect(page.locator('main[data-hydrated="true"]')).toBeVisible();
  // stat from PromQL: 10 requests per 15 s scrape.
  const rps = page.locator('[data-panel="rps"]');
  await expect(rps.getByRole('heading', { name: 'API requests per second' })).toBeVisible();
  await expect(rps.locator('.stat-label')).toHaveText('Latest');
  await expect(rps.locator('.stat-value')).toHaveText(/^0\.67\s*\/s$/);
  // growth: the KPI chart.
  await expect(page.locator('[data-panel="users"] figure.chart svg:visible')).toBeVisible();
  // status: a row per service.
  const services = page.locator('[data-panel="services"] table');
  await expect(services.getByRole('row', { name: /Porthole/ })).toBeVisible();
  await expect(services.getByRole('row', { name: /Docs/ })).toBeVisible();
  // uptime: daily uptime per service, or plainly none yet.
  await expect(
    page.locator('[data-panel="uptime"]').locator('figure.chart, .panel-state.empty'),
  ).toBeVisible();
  // table: the monthly KPIs.
  await expect(page.locator('[data-panel="monthly"] table tbody tr').first()).toBeVisible();
  expect(errors).toEqual([]);
});

test('auto refresh: the server pushes new data and the panel updates in place', async ({ page, request }) => {
  test.setTimeout(60_000);
  await page.goto('/d/api?range=15m&refresh=10s');
  await expect(page.locator('main[data-hydrated="true"]')).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Auto refresh' }).getByRole('link', { name: '10s' })).toHaveAttribute(
    'aria-current',
    'page',
  );
  const headline = page.locator('section[data-panel="requests"] .panel-latest');
  const before = await headline.textContent();
  await page.evaluate(() => ((window as unknown as { portholeMarker: number }).portholeMarker = 1));
  let panelFetches = 0;
  page.on('request', (r) => r.url().includes('/api/panels/') && panelFetches++);

  // A burst of traffic arrives upstream.
  const now = Math.floor(Date.now() / 1000);
  const burst = [20, 10, 0]
    .map((ago, i) => `http_requests_total{job="api",code="200"} ${100_000 * (i + 1)} ${(now - ago) * 1000}`)
    .join('\n');
  expect((await request.post(`${vm}/api/v1/import/prometheus`, { data: burst + '\n' })).ok()).toBe(true);
  expect((await request.get(`${vm}/internal/force_flush`)).ok()).toBe(true);

  await expect(headline).not.toHaveText(before!, { timeout: 30_000 });
  expect(panelFetches).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { portholeMarker?: number }).portholeMarker)).toBe(1);
});
