import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { test, expect, type APIRequestContext } from '@playwright/test';
import { adminToken } from '../admin';

/** Atlassian's own status widget (`@statuspage/status-widget` from npm),
 * on a landing page of another loopback origin, pointed at Porthole by
 * its URL alone: it reads `/api/v2/summary.json` as it would read a
 * Statuspage page. 4001 is an allowed origin in the test config. */
const widgetScript = fs.readFileSync(
  path.resolve(__dirname, '../../node_modules/@statuspage/status-widget/dist/index.js'),
);
let host: http.Server;

test.beforeAll(async () => {
  host = http.createServer((request, response) => {
    if (request.url === '/status-widget.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' });
      response.end(widgetScript);
      return;
    }
    const porthole = new URL(request.url ?? '/', 'http://x').searchParams.get('porthole') ?? '';
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end(`<!DOCTYPE html><html><head><script src="/status-widget.js"></script></head>
      <body><h1>Our product</h1>
      <statuspage-widget id="basic" src="${porthole.replaceAll('"', '')}"></statuspage-widget>
      <statuspage-widget id="badge" src="${porthole.replaceAll('"', '')}" appearance="badge"></statuspage-widget>
      </body></html>`);
  });
  await new Promise<void>((done) => host.listen(4001, '127.0.0.1', done));
});

test.afterAll(() => host.close());

const auth = { authorization: `Bearer ${adminToken}` };

async function openIncident(request: APIRequestContext): Promise<number> {
  const components = await (await request.get('/api/v2/components.json')).json();
  const service = components.components.find((c: { group: boolean }) => !c.group);
  const answer = await request.post('/api/v1/incidents', {
    headers: auth,
    data: {
      title: 'Logins fail',
      impact: 'critical',
      services: [service.id],
      status: 'investigating',
      message: 'We are looking into failing logins.',
    },
  });
  expect(answer.status()).toBe(201);
  return (await answer.json()).id;
}

test("Atlassian's status widget on another origin shows Porthole's status and follows an incident", async ({
  browser,
  request,
  baseURL,
}) => {
  const id = await openIncident(request);
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:4001/?porthole=${encodeURIComponent(baseURL ?? '')}`);
    const basic = page.locator('#basic');
    await expect(basic.locator('.status-text')).toHaveText('Major System Outage');
    await expect(basic.locator('.status-indicator')).toHaveClass(/critical/);
    // It links to the page it was pointed at.
    await expect(basic.locator('a')).toHaveAttribute('href', baseURL ?? '');
    await expect(page.locator('#badge')).toContainText(/major system outage/i);
    await context.close();

    // Resolved: a new visitor's widget no longer says so.
    const resolved = await request.post(`/api/v1/incidents/${id}/resolve`, { headers: auth });
    expect(resolved.status()).toBe(200);
    const later = await browser.newContext();
    const again = await later.newPage();
    await again.goto(`http://127.0.0.1:4001/?porthole=${encodeURIComponent(baseURL ?? '')}`);
    await expect(again.locator('#basic .status-text')).not.toHaveText('Major System Outage');
    await expect(again.locator('#basic .status-text')).toHaveText(/Operational|Outage|Degraded/);
    await later.close();
  } finally {
    await request.delete(`/api/v1/incidents/${id}`, { headers: auth });
  }
});
