// Keeps the reader where they were across a change of view: a link or the
// window form of the view controls leads to another view of the same page,
// which opens where the last one was left. The position is saved on the
// click or submit and restored when the new page is revealed, before its
// first frame (`pagereveal`; the page is held from rendering until it is
// parsed whole, see the shell's `rel="expect"`), so it never paints at the
// top and then jumps. Browsers restore the position themselves only for
// back and forward. Inline in every page's head (app::shell): no request,
// no WASM.
(() => {
  const key = 'porthole-scroll';
  const fresh = 10_000; // ms: a saved position older than this is stale
  const save = (event) => {
    if (!(event.target instanceof Element)) return;
    if (!event.target.closest('.view-controls a, .view-controls form')) return;
    try {
      sessionStorage.setItem(key, JSON.stringify([location.pathname, Math.round(scrollY), Date.now()]));
    } catch {}
  };
  addEventListener('click', save, true);
  addEventListener('submit', save, true);
  let saved;
  try {
    saved = JSON.parse(sessionStorage.getItem(key) ?? 'null');
    sessionStorage.removeItem(key);
  } catch {
    return;
  }
  if (!Array.isArray(saved)) return;
  const [path, y, at] = saved;
  if (path !== location.pathname || !(fresh > Date.now() - at) || !Number.isFinite(y)) return;
  // Again once parsed whole, where `pagereveal` or the render block is
  // missing and the page was still too short.
  const restore = () => {
    if (Math.round(scrollY) !== y) scrollTo(0, y);
  };
  addEventListener('pagereveal', restore, { once: true });
  addEventListener('DOMContentLoaded', restore, { once: true });
})();
