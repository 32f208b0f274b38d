// What a browser loads, per page: opens each URL in Debian's chromium with
// a cold cache (a fresh profile per page) and reports the JS + WASM bytes
// it transferred (bodies as sent, compressed; headers not counted), the
// time until its islands are interactive, and what the service worker
// fetched apart. Part of `make bench` (scripts/bench.sh).
//
//   node scripts/first-load.mjs NAME=URL [NAME=URL ...]
//   node scripts/first-load.mjs --live SECONDS URL
//   node scripts/first-load.mjs --navigate URL
//
// Prints one JSON object per page on its own line:
//   {"name", "url", "js_wasm_bytes", "encodings", "interactive_ms",
//    "files", "service_worker_bytes"}
// A page whose islands never become interactive (`html[data-hydrated]`,
// which Porthole's WASM sets) has "interactive_ms": null; a page of another
// product (the peers' UIs) is timed to its load event instead, and says so
// in "interactive" ("islands" or "load").
//
// With --live, it opens URL (a view with auto refresh), waits until the
// islands are interactive, then counts for SECONDS the bytes that arrive on
// its event stream (`/api/live/...`, its body; event streams are sent
// uncompressed) and the
// frames in them, and prints {"url", "seconds", "bytes", "frames"}.
//
// With --navigate, it opens URL (a dashboard with charts), scrolls to the
// view controls' row of ranges, clicks a range not shown yet, and reports
// what a visitor sees of the change: {"url", "to", "shown_ms" (click to
// the new view's link marked current), "interactive_ms" (click to islands
// interactive again), "bytes" (everything transferred, as sent),
// "new_document" (a page load, or the page patched in place),
// "scroll_before", "scroll_at_first_paint" (a new document's),
// "scroll_after",
// "layout_shift" (the new document's cumulative layout shift),
// "chart_changed" (the first chart's drawing differs), "hover_data_changed"
// (its island's props, what its hover readout reads, differ), "url_updated"}.
//
// Lazy modules a page fetches on its own once idle (live refresh, the
// status page's refresh) count: the page waits for the network to be idle,
// then one more second.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { chromiumArgs, chromiumPath } from '../end2end/chromium.cjs';

// Service workers' own fetches reach the context's request events.
process.env.PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS = '1';


const isCode = (url, type) =>
  type === 'script' || /\.(m?js|wasm)(\?|$)/.test(new URL(url).pathname);

/**
 * The body bytes of `response` as sent. Chromium reports no size (a
 * negative one) for a body it took from its preload cache; its
 * Content-Length says what was sent for it.
 */
async function transferredBody(request, response) {
  const { responseBodySize } = await request.sizes();
  if (responseBodySize >= 0) return responseBodySize;
  return Number((await response.headerValue('content-length')) ?? 0);
}

/** Runs `use` with a fresh chromium profile, and removes it afterwards. */
async function withFreshBrowser(use) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-first-load-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    args: chromiumArgs,
    viewport: { width: 1280, height: 900 },
  });
  try {
    return await use(context);
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

const measure = (name, url) =>
  withFreshBrowser(async (context) => {
    const seen = [];
    context.on('requestfinished', (request) => seen.push(request));
    // When Porthole's WASM marks the page interactive, by the page's clock.
    await context.addInitScript(() => {
      new MutationObserver((_, observer) => {
        if (document.documentElement?.dataset.hydrated === 'true') {
          globalThis.__portholeInteractive = performance.now();
          observer.disconnect();
        }
      }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-hydrated'] });
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const start = Date.now();
    await page.goto(url, { waitUntil: 'load' });
    let interactive = 'islands';
    let interactiveMs = null;
    try {
      await page.waitForSelector('html[data-hydrated="true"]', { state: 'attached', timeout: 15_000 });
      interactiveMs = await page.evaluate(() => globalThis.__portholeInteractive ?? performance.now());
    } catch {
      interactive = 'load';
      interactiveMs = await page.evaluate(
        () => performance.getEntriesByType('navigation')[0]?.loadEventEnd ?? null,
      );
    }
    await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => {});
    await page.waitForTimeout(1_000);
    let pageBytes = 0;
    let workerBytes = 0;
    const encodings = new Set();
    const files = [];
    for (const request of seen) {
      if (!isCode(request.url(), request.resourceType())) continue;
      const response = await request.response();
      if (!response) continue;
      if (request.serviceWorker()) {
        // The worker may have stopped since (chromium stops idle workers),
        // and its requests' sizes go with it; its precache is reported
        // apart and is no budget, so what it fetched counts as its
        // declared lengths.
        workerBytes += await transferredBody(request, response).catch(
          async () => Number((await response.headerValue('content-length')) ?? 0),
        );
        continue;
      }
      const bytes = await transferredBody(request, response);
      pageBytes += bytes;
      encodings.add((await response.headerValue('content-encoding')) ?? 'identity');
      files.push({ path: new URL(request.url()).pathname, bytes });
    }
    return {
      name,
      url,
      js_wasm_bytes: pageBytes,
      encodings: [...encodings].sort(),
      interactive,
      interactive_ms: interactiveMs === null ? null : Math.round(interactiveMs),
      wall_ms: Date.now() - start,
      files,
      service_worker_bytes: workerBytes,
    };
  });

const measureLive = (seconds, url) =>
  withFreshBrowser(async (context) => {
    const page = context.pages()[0] ?? (await context.newPage());
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    const streams = new Set();
    let counting = false;
    let bytes = 0;
    let frames = 0;
    cdp.on('Network.requestWillBeSent', ({ requestId, request }) => {
      if (new URL(request.url).pathname.startsWith('/api/live/')) streams.add(requestId);
    });
    // An open stream's chunks come with `encodedDataLength` 0 (Chromium
    // counts the encoded length when a response finishes, and a live one
    // never does); `dataLength` is its body as received. tower-http does not
    // compress event streams, so the two are the same bytes.
    cdp.on('Network.dataReceived', ({ requestId, dataLength }) => {
      if (counting && streams.has(requestId)) bytes += dataLength;
    });
    cdp.on('Network.eventSourceMessageReceived', ({ requestId }) => {
      if (counting && streams.has(requestId)) frames += 1;
    });
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForSelector('html[data-hydrated="true"]', { state: 'attached', timeout: 15_000 });
    await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => {});
    counting = true;
    await page.waitForTimeout(seconds * 1000);
    counting = false;
    return { url, seconds, bytes, frames, streams: streams.size };
  });

const measureNavigation = (url) =>
  withFreshBrowser(async (context) => {
    const page = context.pages()[0] ?? (await context.newPage());
    // In every document: its layout shifts, and the scroll position at its
    // first paint (before any script could move it).
    await context.addInitScript(() => {
      globalThis.__portholeShift = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          if (!entry.hadRecentInput) globalThis.__portholeShift += entry.value;
        }
      }).observe({ type: 'layout-shift', buffered: true });
      requestAnimationFrame(() => {
        globalThis.__portholeFirstPaintScroll = Math.round(scrollY);
      });
    });
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForSelector('html[data-hydrated="true"]', { state: 'attached', timeout: 15_000 });
    await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => {});
    const link = page.locator('.range-picker a:not([aria-current])').first();
    const to = await link.getAttribute('href');
    // The visitor has read down the page to its second panel.
    await page.evaluate(() => {
      const panels = document.querySelectorAll('.panel');
      (panels[1] ?? panels[0])?.scrollIntoView();
    });
    const chart = () =>
      page.evaluate(() => document.querySelector('figure.chart')?.innerHTML ?? '');
    // The drawn lines the first chart's island reads its hover values from.
    const props = () =>
      page.evaluate(() => document.querySelector('figure.chart')?.closest('leptos-island')?.dataset.props ?? '');
    const before = {
      scroll: await page.evaluate(() => Math.round(scrollY)),
      chart: await chart(),
      props: await props(),
      url: page.url(),
    };
    await page.evaluate(() => {
      globalThis.__portholeBeforeClick = true;
    });
    // Everything the change transfers, the service worker's fetches
    // included (it may answer the page from the network).
    const transferred = [];
    context.on('requestfinished', (request) => transferred.push(request));
    const clicked = Date.now();
    // The link is clicked where it is on screen, as a visitor would.
    await page.evaluate((href) => {
      document.querySelector(`.range-picker a[href="${CSS.escape(href)}"]`)?.click();
    }, to);
    await page.waitForFunction(
      (href) => document.querySelector('.range-picker a[aria-current="page"]')?.getAttribute('href') === href,
      to,
      { timeout: 15_000 },
    );
    const shownMs = Date.now() - clicked;
    await page.waitForSelector('html[data-hydrated="true"]', { state: 'attached', timeout: 15_000 });
    const interactiveMs = Date.now() - clicked;
    await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => {});
    await page.waitForTimeout(500);
    const newDocument = await page.evaluate(() => !globalThis.__portholeBeforeClick);
    let bytes = 0;
    for (const request of transferred) {
      const sizes = await request.sizes().catch(() => null);
      if (sizes) bytes += sizes.responseBodySize + sizes.responseHeadersSize;
    }
    return {
      url,
      to,
      new_document: newDocument,
      shown_ms: shownMs,
      interactive_ms: interactiveMs,
      bytes,
      scroll_before: before.scroll,
      scroll_at_first_paint: newDocument
        ? await page.evaluate(() => globalThis.__portholeFirstPaintScroll ?? null)
        : null,
      scroll_after: await page.evaluate(() => Math.round(scrollY)),
      layout_shift: await page.evaluate(() => Number(globalThis.__portholeShift.toFixed(4))),
      chart_changed: (await chart()) !== before.chart,
      hover_data_changed: (await props()) !== before.props,
      url_updated: page.url() !== before.url,
    };
  });

if (process.argv[2] === '--navigate') {
  const url = process.argv[3];
  try {
    console.log(JSON.stringify(await measureNavigation(url)));
  } catch (error) {
    console.log(JSON.stringify({ url, error: String(error) }));
  }
  process.exit(0);
}

if (process.argv[2] === '--live') {
  const [seconds, url] = [Number(process.argv[3]), process.argv[4]];
  try {
    console.log(JSON.stringify(await measureLive(seconds, url)));
  } catch (error) {
    console.log(JSON.stringify({ url, seconds, error: String(error) }));
  }
  process.exit(0);
}

for (const pair of process.argv.slice(2)) {
  const at = pair.indexOf('=');
  const [name, url] = [pair.slice(0, at), pair.slice(at + 1)];
  try {
    console.log(JSON.stringify(await measure(name, url)));
  } catch (error) {
    // A page that cannot be measured is a row without figures: the bench
    // makes it a FAIL.
    console.log(JSON.stringify({ name, url, error: String(error) }));
  }
}
