import * as path from 'node:path';
import { test, expect } from '@playwright/test';
import { importSamples } from '../samples';
import { adminToken } from '../admin';

/** Screenshot review: the overview, a metrics dashboard, the status page
 * (with an active incident and maintenance), an incident's page, the
 * history and a service's page at a laptop's and a phone's width, in both themes. Each full page
 * is kept as a test artifact (test-results/screens/) to look at, and
 * nothing may stick out of its panel or widen the page. */
let incidentId = 0;
const pages: [string, () => string][] = [
  ['overview', () => '/?range=7d'],
  ['metrics', () => '/d/api?range=1h'],
  ['status', () => '/status'],
  ['incident', () => `/status/incidents/${incidentId}`],
  ['history', () => '/status/history'],
  ['service', () => '/status/porthole'],
];
const auth = { authorization: `Bearer ${adminToken}` };
const written: string[] = [];

test.beforeAll(async ({ request }) => {
  await importSamples(request);
  const components = await (await request.get('/api/v2/components.json')).json();
  const service = components.components.find((c: { group: boolean }) => !c.group).id;
  const incident = await request.post('/api/v1/incidents', {
    headers: auth,
    data: {
      title: 'Logins are slow for some visitors of the sign-in page on phones',
      impact: 'major',
      services: [service],
      message:
        'We are **investigating** slow logins. Details: https://example.com/a/very/long/address/that/must/wrap/inside/its/card/and/never/widen/the/page and `a-long-identifier-without-spaces-0123456789`.',
    },
  });
  expect(incident.status()).toBe(201);
  incidentId = (await incident.json()).id;
  written.push(`/api/v1/incidents/${incidentId}`);
  const update = await request.post(`/api/v1/incidents/${incidentId}/updates`, {
    headers: auth,
    data: { status: 'identified', message: 'A slow database query; a fix is being rolled out.' },
  });
  expect(update.status()).toBe(201);
  const start = new Date(Date.now() + 3 * 86_400_000);
  const maintenance = await request.post('/api/v1/maintenance', {
    headers: auth,
    data: {
      title: 'Database upgrade',
      services: [service],
      starts_at: start.toISOString(),
      ends_at: new Date(start.getTime() + 3_600_000).toISOString(),
      message: 'Writes pause for up to an hour; reading stays available.',
    },
  });
  expect(maintenance.status()).toBe(201);
  written.push(`/api/v1/maintenance/${(await maintenance.json()).id}`);
});

test.afterAll(async ({ request }) => {
  for (const path of written) await request.delete(path, { headers: auth });
});

for (const [name, urlOf] of pages) {
  for (const width of [1280, 360]) {
    for (const theme of ['light', 'dark']) {
      test(`${name} at ${width} px, ${theme}: nothing overflows its panel`, async ({ page }, testInfo) => {
        const url = urlOf();
        await page.setViewportSize({ width, height: 900 });
        const separator = url.includes('?') ? '&' : '?';
        await page.goto(`${url}${separator}theme=${theme}`);
        await expect(page.locator('main[data-hydrated="true"]')).toBeVisible();
        await expect(page.locator('.app')).toHaveAttribute('data-theme', theme);
        const file = path.join(testInfo.project.outputDir, 'screens', `${name}-${width}-${theme}.png`);
        await page.screenshot({ path: file, fullPage: true });
        await testInfo.attach(`${name}-${width}-${theme}`, { path: file, contentType: 'image/png' });

        const overflowing = await page.evaluate(() => {
          const found: string[] = [];
          const describe = (el: Element) =>
            `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().replace(/\s+/g, '.') : ''}`;
          if (document.documentElement.scrollWidth > window.innerWidth + 1) {
            found.push(`the page is ${document.documentElement.scrollWidth} px wide in a ${window.innerWidth} px window`);
          }
          for (const panel of document.querySelectorAll('.panel, .service, .stat-card, .active-incident, .maintenance, .history-item')) {
            const box = panel.getBoundingClientRect();
            for (const el of panel.querySelectorAll('*')) {
              // What scrolls inside its own box is inside the panel; the
              // box itself is checked. Screen-reader-only text has no box.
              const scroller = el.parentElement?.closest('.table-scroll');
              if (scroller && panel.contains(scroller)) continue;
              if (el.closest('.visually-hidden')) continue;
              const r = el.getBoundingClientRect();
              if (r.width === 0 || r.height === 0) continue;
              if (r.left < box.left - 1 || r.right > box.right + 1) {
                found.push(`${describe(el)} (${Math.round(r.left)}–${Math.round(r.right)}) outside ${describe(panel)} (${Math.round(box.left)}–${Math.round(box.right)})`);
              }
            }
          }
          return found;
        });
        expect(overflowing).toEqual([]);
        // Axis text is at least 11 px as shown.
        const smallest = await page.evaluate(() => {
          let least = Infinity;
          for (const svg of document.querySelectorAll('figure.chart svg')) {
            const shown = svg.getBoundingClientRect().width;
            if (shown === 0) continue;
            const drawn = Number(svg.getAttribute('width'));
            for (const text of svg.querySelectorAll('text')) {
              least = Math.min(least, (Number(text.getAttribute('font-size') ?? '12') * shown) / drawn);
            }
          }
          return least;
        });
        expect(smallest).toBeGreaterThanOrEqual(11);
      });
    }
  }
}
