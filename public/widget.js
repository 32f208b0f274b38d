// Porthole's script widget loader. A landing page adds
//   <div data-porthole="overview/latency"></div>
//   <script type="module" src="https://porthole.example/widget.js"></script>
// and each [data-porthole] element shows that panel's chart. Modules run
// once per page, so any number of widgets share one download.
import init, { mount } from './widget/porthole-widget.js';

const origin = new URL(import.meta.url).origin;
await init({ module_or_path: new URL('./widget/porthole-widget_bg.wasm', import.meta.url) });
mount(origin);
