// Builds Porthole's service worker (sw.js) into a built site with Workbox.
//
//   node scripts/service-worker.mjs [site root, default target/site]
//
// Precached, with a content revision each: the app shell (the hashed WASM,
// JS and CSS under pkg/, pwa.js, the icons and the offline
// page), so a new release replaces every one of them at once and never runs
// old WASM against a new server. The lazy WASM modules are cached when a
// page first fetches one. Pages and panel JSON go to the network first and
// fall back to the last answer cached when the network is gone or slower
// than three seconds; those caches are bounded. Pages never visited fall
// back to offline.html. Signed links (?token=) are never cached. The
// manifest is the server's (named by [site]) and is not precached.
import path from 'node:path';
import { generateSW } from 'workbox-build';

const site = path.resolve(process.argv[2] ?? 'target/site');

const { count, size, warnings } = await generateSW({
  globDirectory: site,
  // Precompressed siblings (.br, .gz) are the server's business.
  globPatterns: ['pkg/*.{js,wasm,css}', 'icons/*.png', 'pwa.js', '*.{svg,html}'],
  // The lazy WASM modules (`cargo leptos build --split`: chart drawing, live
  // refresh, the status page's refresh) are cached when a page first uses
  // them, not precached: a first visit does not download what its pages
  // may never run.
  globIgnores: ['pkg/split_*', 'pkg/chunk_*'],
  swDest: path.join(site, 'sw.js'),
  // The WASM is well over Workbox's 2 MiB default only in debug builds;
  // release bundles fit, and a shell that cannot load offline is no shell.
  maximumFileSizeToCacheInBytes: 16 * 1024 * 1024,
  // A new version waits until the page offers "reload" and the viewer
  // takes it (the page posts SKIP_WAITING), so a page never switches
  // bundles under its viewer's hands.
  skipWaiting: false,
  clientsClaim: true,
  inlineWorkboxRuntime: true,
  sourcemap: false,
  mode: 'production',
  cleanupOutdatedCaches: true,
  runtimeCaching: [
    {
      // Hashed names: a module's bytes never change under its name, and a
      // new release asks for new names.
      urlPattern: ({ url }) =>
        url.origin === self.location.origin && /^\/pkg\/(split|chunk)_[^/]+\.(wasm|js)$/.test(url.pathname),
      handler: 'CacheFirst',
      options: {
        cacheName: 'porthole-lazy-modules',
        expiration: { maxEntries: 64, maxAgeSeconds: 90 * 86400 },
      },
    },
    {
      urlPattern: ({ request, url }) =>
        request.mode === 'navigate' && url.origin === self.location.origin && !url.searchParams.has('token'),
      handler: 'NetworkFirst',
      options: {
        cacheName: 'porthole-pages',
        networkTimeoutSeconds: 3,
        expiration: { maxEntries: 50, maxAgeSeconds: 30 * 86400 },
        precacheFallback: { fallbackURL: '/offline.html' },
      },
    },
    {
      urlPattern: ({ url }) =>
        url.origin === self.location.origin &&
        /^\/api\/(dashboards|panels|status|snapshots)\//.test(url.pathname + '/') &&
        !url.searchParams.has('token'),
      handler: 'NetworkFirst',
      options: {
        cacheName: 'porthole-data',
        networkTimeoutSeconds: 3,
        expiration: { maxEntries: 200, maxAgeSeconds: 30 * 86400 },
      },
    },
  ],
});

for (const warning of warnings) console.warn(`service worker: ${warning}`);
console.log(`service worker: precaches ${count} files, ${(size / 1024).toFixed(0)} KiB`);
