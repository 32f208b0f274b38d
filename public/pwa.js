// Porthole as an installed app: registers the service worker (sw.js),
// offers "New version available — reload" when a new release is waiting,
// and says "Offline — showing data from HH:MM" while the network is gone.
//
// Banners are added under <html>, outside the <body> the WASM app
// hydrates, so they never disturb it.

// Embeds live inside other sites' pages: none of this is theirs.
if (!location.pathname.startsWith('/embed/')) start();

function start() {
/**
 * When the server rendered this page, its data's time: the Date of the copy
 * the service worker keeps (what an offline reload shows), else when this
 * page was loaded. Pages carry no time of their own, so that each is the
 * same for every viewer and a cache's ETag holds.
 */
async function renderedAt() {
  const kept = await globalThis.caches?.match(location.href).catch(() => undefined);
  const date = Date.parse(kept?.headers.get('date') ?? '');
  return Number.isNaN(date) ? performance.timeOrigin : date;
}

function banner(id, text, action) {
  let element = document.getElementById(id);
  if (!element) {
    element = document.createElement('div');
    element.id = id;
    element.className = 'app-banner';
    element.setAttribute('role', 'status');
    document.documentElement.append(element);
  }
  element.replaceChildren(text);
  if (action) {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = action.label;
    button.addEventListener('click', action.run);
    element.append(' ', button);
  }
  return element;
}

function clock(millis) {
  const date = new Date(millis);
  const pad = (n) => String(n).padStart(2, '0');
  return `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())} UTC`;
}

// Offline: the last-known data, honestly dated. Whether the network is
// there is asked of the server itself (/health is never cached), as the
// browser's own online flag is often wrong. Back online, a page that came
// from the cache fetches fresh data; live updates reconnect on their own.
let shownOffline = false;
let polling = 0;
async function reachable() {
  try {
    const answer = await fetch('/health', { method: 'HEAD', cache: 'no-store', signal: AbortSignal.timeout(3000) });
    return answer.ok;
  } catch {
    return false;
  }
}
async function goneOffline() {
  banner('offline-banner', `Offline — showing data from ${clock(await renderedAt())}`);
  if (!polling) polling = setInterval(async () => { if (await reachable()) backOnline(); }, 5000);
}
function backOnline() {
  clearInterval(polling);
  polling = 0;
  document.getElementById('offline-banner')?.remove();
  if (shownOffline) location.reload();
}
addEventListener('offline', goneOffline);
addEventListener('online', async () => { if (await reachable()) backOnline(); });
// Only a page under the service worker can have come from its cache.
if (!navigator.onLine || navigator.serviceWorker?.controller) {
  reachable().then((up) => {
    if (!up) {
      shownOffline = true;
      goneOffline();
    }
  });
}

// Updates: a new service worker waits until the viewer takes it.
if ('serviceWorker' in navigator) {
  let reloadOnSwitch = false;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (reloadOnSwitch) location.reload();
  });
  const offer = (worker) => {
    banner('update-banner', 'New version available —', {
      label: 'reload',
      run: () => {
        reloadOnSwitch = true;
        worker.postMessage({ type: 'SKIP_WAITING' });
      },
    });
  };
  navigator.serviceWorker
    .register('/sw.js')
    .then((registration) => {
      if (registration.waiting && navigator.serviceWorker.controller) offer(registration.waiting);
      registration.addEventListener('updatefound', () => {
        const worker = registration.installing;
        worker?.addEventListener('statechange', () => {
          if (worker.state === 'installed' && navigator.serviceWorker.controller) offer(worker);
        });
      });
      // A page left open still learns of new releases.
      setInterval(() => registration.update().catch(() => {}), 60 * 60 * 1000);
    })
    .catch((error) => console.warn('service worker not registered:', error));
}
}
