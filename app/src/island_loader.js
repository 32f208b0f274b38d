// Loads the browser's WASM and hydrates the page's islands (app::bundle).
// Leptos' own loader (leptos/src/hydration/island_script.js) with one
// change: each island is hydrated in a task of its own. Leptos' chains the
// whole walk in promise callbacks, so compiling the module's last bytes and
// hydrating every island ran as one task, 250 ms on Lighthouse's slowed
// phone CPU; the page could not answer a tap until it ended. Between
// islands the browser now gets its turn. Once every island is hydrated,
// `data-hydrated="true"` is set on the root element and on `<main>`: tests
// and styles tell the two states apart, and `make bench` times it as
// "interactive".
((root, pkgPath, outputName, wasmOutputName) => {
  // The browser's turn: `scheduler.yield()` resumes ahead of tasks queued
  // meanwhile; a timeout where the browser lacks it.
  const nextTask = () =>
    globalThis.scheduler?.yield ? scheduler.yield() : new Promise((resume) => setTimeout(resume, 0));
  // The `leptos-children` being walked: an island inside another's
  // children first takes them over (their `$$on_hydrate`).
  const childrenCallbacks = [];

  async function hydrateIslands(node, mod) {
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    const tag = node.tagName.toLowerCase();
    if (tag === 'leptos-island') {
      await hydrateIsland(node, node.dataset.component || null, mod);
    }
    const children = tag === 'leptos-children';
    if (children) childrenCallbacks.push(node.$$on_hydrate);
    for (const child of node.children) await hydrateIslands(child, mod);
    if (children) childrenCallbacks.pop();
  }

  async function hydrateIsland(el, id, mod) {
    const islandFn = mod[id];
    if (!islandFn) {
      console.warn(`Could not find WASM function for the island ${id}.`);
      return;
    }
    await nextTask();
    childrenCallbacks[childrenCallbacks.length - 1]?.();
    await islandFn(el);
  }

  function markHydrated() {
    document.querySelector('main')?.setAttribute('data-hydrated', 'true');
    document.documentElement.setAttribute('data-hydrated', 'true');
  }

  const idle = (work) => ('requestIdleCallback' in window ? requestIdleCallback(work) : work());
  idle(async () => {
    const mod = await import(`${root}/${pkgPath}/${outputName}.js`);
    window.__hydrateIsland = (el, id) => hydrateIsland(el, id, mod);
    await mod.default({ module_or_path: `${root}/${pkgPath}/${wasmOutputName}.wasm` });
    await nextTask();
    mod.hydrate();
    await hydrateIslands(document.body, mod);
    // The last island's effects run before the page says it is ready.
    await nextTask();
    markHydrated();
  });
});
