import http from 'node:http';
import { test, expect, type Page } from '@playwright/test';
import { importSamples } from '../samples';

/** Landing pages on two more loopback origins: each serves a page that
 * frames the embed named by its `?embed=` and sizes the iframe from the
 * embed's height messages. 4001 is allowed in the test config; 4002 is not. */
const hosts: http.Server[] = [];

test.beforeAll(async ({ request }) => {
  // The widgets' metric panel reads these.
  await importSamples(request);
  for (const port of [4001, 4002]) {
    const server = http.createServer((request, response) => {
      if (request.url?.startsWith('/widgets.html')) {
        const porthole = new URL(request.url, 'http://x').searchParams.get('porthole') ?? '';
        response.writeHead(200, { 'content-type': 'text/html' });
        response.end(`<!DOCTYPE html><html><body>
          <h1>Our product</h1>
          <div id="one" data-porthole="overview/users" style="width:640px"></div>
          <div id="two" data-porthole="api/requests" data-range="1h" data-title="0" style="width:420px"></div>
          <script type="module" src="${porthole.replaceAll('"', '')}/widget.js"></script>
          <script type="module" src="${porthole.replaceAll('"', '')}/widget.js"></script>
          </body></html>`);
        return;
      }
      // A landing page made of the Share dialog's snippet alone, pasted
      // as copied: nothing of its own sizes the frame.
      const snippet = new URL(request.url ?? '/', 'http://x').searchParams.get('snippet') ?? '';
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(`<!DOCTYPE html><html><body style="background:#fafafa;width:600px">
        <h1>Our product</h1>
        ${snippet}
        </body></html>`);
    });
    await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
    hosts.push(server);
  }
});

test.afterAll(() => {
  for (const server of hosts) server.close();
});

async function hostPage(page: Page, origin: string, snippet: string): Promise<void> {
  await page.goto(`${origin}/landing.html?snippet=${encodeURIComponent(snippet)}`);
}

/** The Share dialog's embed snippet for the overview, as a visitor copies it. */
async function copiedSnippet(page: Page): Promise<string> {
  await page.goto('/?range=7d&theme=dark');
  await expect(page.locator('main[data-hydrated="true"]')).toBeVisible();
  await page.getByText('Share', { exact: true }).click();
  return page.getByLabel('Embed (iframe)').inputValue();
}

test('the copied embed snippet, alone on a page of an allowed origin, sizes itself; another origin is refused', async ({
  page,
  request,
}) => {
  const snippet = await copiedSnippet(page);
  // Titled by the panel's title, not its id.
  const layout = await (await request.get('/api/dashboards/overview')).json();
  const chart = layout.panels.find((panel: { id: string }) => panel.id === 'users');
  expect(snippet).toContain(`title="${chart.title}"`);
  expect(snippet).toContain('<script>');

  const host = await page.context().newPage();
  await hostPage(host, 'http://127.0.0.1:4001', snippet);
  const iframe = host.locator('iframe[data-porthole-embed]');
  const frame = host.frameLocator('iframe[data-porthole-embed]');
  await expect(frame.locator('.embed figure.chart svg:visible')).toBeVisible();
  await expect(frame.locator('.topbar')).toHaveCount(0);
  await expect(frame.locator('.embed')).toHaveAttribute('data-theme', 'dark');
  // Once hydrated, the embed posts its height as an object and the
  // snippet's own lines size the frame to it: no scroll bar, no gap.
  const contentHeight = () => frame.locator('.embed').evaluate((embed) => embed.scrollHeight);
  await expect
    .poll(async () => {
      const shown = await iframe.evaluate((el) => el.getBoundingClientRect().height);
      return Math.abs(shown - (await contentHeight()));
    })
    .toBeLessThanOrEqual(1);
  expect(await iframe.evaluate((el) => (el as HTMLElement).style.height)).not.toBe('360px');
  // Nothing to scroll inside the frame.
  const inner = await frame.locator('html').evaluate((root) => root.scrollHeight - root.clientHeight);
  expect(inner).toBeLessThanOrEqual(1);

  const blocked = await page.context().newPage();
  const refused = blocked.waitForEvent('console', (m) => /frame-ancestors/.test(m.text()));
  await hostPage(blocked, 'http://127.0.0.1:4002', snippet);
  await refused;
  await expect(blocked.frameLocator('iframe[data-porthole-embed]').locator('figure.chart')).toHaveCount(0);
});

test('pages other than embeds may not be framed at all', async ({ request }) => {
  for (const path of ['/', '/status', '/d/api']) {
    const answer = await request.get(path);
    expect(answer.headers()['content-security-policy'], path).toMatch(/; frame-ancestors 'none'$/);
  }
  const embed = await request.get('/embed/overview/users');
  expect(embed.headers()['content-security-policy']).toMatch(
    /; frame-ancestors 'self' http:\/\/127\.0\.0\.1:4001$/,
  );
});

test('link previews: og and twitter tags point at a PNG of the requested size', async ({
  page,
  request,
}) => {
  const html = await (await request.get('/?range=7d')).text();
  const image = /<meta property="og:image" content="([^"]+)"/.exec(html)?.[1]?.replaceAll('&amp;', '&');
  expect(image).toBeTruthy();
  expect(html).toContain('name="twitter:card" content="summary_large_image"');
  expect(html).toMatch(/property="og:title" content="Overview"/);
  const png = await request.get(image!);
  expect(png.status()).toBe(200);
  expect(png.headers()['content-type']).toBe('image/png');
  // The browser decodes it at the size asked for.
  await page.goto('/status');
  const size = await page.evaluate(async (src) => {
    const img = new Image();
    img.src = src;
    await img.decode();
    return [img.naturalWidth, img.naturalHeight];
  }, image!);
  expect(size).toEqual([1200, 630]);
});

test('the Share dialog offers the view, the pinned window, an embed and images', async ({ page, baseURL }) => {
  await page.goto('/?range=7d&theme=dark');
  await expect(page.locator('main[data-hydrated="true"]')).toBeVisible();
  await page.getByText('Share', { exact: true }).click();
  const field = (label: string) => page.getByLabel(label);
  await expect(field('Link to this view')).toHaveValue(`${baseURL}/?range=7d&theme=dark`);
  const pinned = await field('Link with these exact times').inputValue();
  expect(pinned).toMatch(/\?from=\d{4}-\d\d-\d\dT\d\d:\d\d:00Z&to=\d{4}-\d\d-\d\dT\d\d:\d\d:00Z&theme=dark$/);
  await expect(field('Embed (iframe)')).toHaveValue(
    new RegExp(`^<iframe src="${baseURL}/embed/overview/users\\?range=7d&theme=dark"`),
  );
  const png = page.getByRole('link', { name: 'PNG image' });
  expect(await png.getAttribute('href')).toBe(`${baseURL}/render/overview/users.png?range=7d&theme=dark`);

  // The pinned link shows that fixed window.
  await page.goto(pinned);
  await expect(page.locator('.window-form summary')).toHaveAttribute('aria-current', 'page');
  await expect(page.locator('[data-panel="users"] figure.chart')).toHaveAttribute('aria-label', /UTC – /);
});

test('a snapshot from the Share dialog shows the view as captured, dated', async ({ page, request }) => {
  await page.goto('/d/product?range=30d');
  await expect(page.locator('main[data-hydrated="true"]')).toBeVisible();
  await page.getByText('Share', { exact: true }).click();
  await page.getByLabel('Keep the snapshot').selectOption('1d');
  await page.getByRole('button', { name: 'Create snapshot' }).click();
  await expect(page).toHaveURL(/\/s\/[A-Za-z0-9_-]{22}$/);
  await expect(page.getByRole('status').filter({ hasText: 'Snapshot taken at' })).toContainText(
    /Snapshot taken at \d{4}-\d\d-\d\d \d\d:\d\d UTC\. It is shown until/,
  );
  await expect(page.locator('[data-panel="users"] figure.chart svg:visible')).toBeVisible();
  await expect(page.getByRole('link', { name: 'See the live dashboard' })).toHaveAttribute('href', '/d/product');
  // Its link unfurls with the snapshot's own chart.
  const image = await page.locator('meta[property="og:image"]').getAttribute('content');
  expect(image).toMatch(/\/s\/[A-Za-z0-9_-]{22}\/chart\.png\?width=1200&height=630$/);
  const png = await request.get(image ?? '');
  expect(png.status()).toBe(200);
  expect(png.headers()['content-type']).toBe('image/png');
});

test('script widgets draw their charts on an allowed origin; a disallowed one gets a CORS refusal', async ({
  browser,
  baseURL,
}) => {
  const allowed = await browser.newPage();
  const downloads: string[] = [];
  allowed.on('request', (request) => {
    if (/\/widget\/porthole-widget(_bg\.wasm|\.js)$/.test(request.url())) downloads.push(request.url());
  });
  await allowed.goto(`http://127.0.0.1:4001/widgets.html?porthole=${baseURL}`);
  for (const [id, width] of [['#one', '640'], ['#two', '420']]) {
    const svg = allowed.locator(`${id} svg`);
    await expect(svg).toBeVisible();
    await expect(svg).toHaveAttribute('width', width);
  }
  await expect(allowed.locator('#one [role="img"]')).toHaveAttribute('aria-label', /^Total users, /);
  // The panel's title above the chart (data-title="0" leaves it out), and
  // a legend naming each line in its colour.
  await expect(allowed.locator('#one > p')).toHaveText('Total users');
  await expect(allowed.locator('#two > p')).toHaveCount(0);
  await expect(allowed.locator('#two li')).toHaveText(['200', '500']);
  const swatch = allowed.locator('#two li span').first();
  expect(await swatch.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(37, 99, 235)');
  // Two widgets and two script tags: one module, one WASM download.
  expect(downloads.filter((url) => url.endsWith('.wasm'))).toHaveLength(1);
  expect(downloads.filter((url) => url.endsWith('.js'))).toHaveLength(1);

  const refused = await browser.newPage();
  const cors = refused.waitForEvent('console', (m) => /CORS|Access-Control-Allow-Origin/.test(m.text()));
  await refused.goto(`http://127.0.0.1:4002/widgets.html?porthole=${baseURL}`);
  await cors;
  await expect(refused.locator('#one')).toContainText('Porthole: cannot load the chart');
  await expect(refused.locator('#one svg')).toHaveCount(0);
});
