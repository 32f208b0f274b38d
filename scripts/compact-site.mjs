// Makes what a browser downloads of the built site smaller, after
// cargo-leptos and before the service worker is built (so that its precache
// revisions are of what is served):
//
// - WASM (pkg/*.wasm): a second binaryen pass. cargo-leptos runs
//   `wasm-opt -Oz` once, and takes extra passes only as a set, in no fixed
//   order; flattening and re-looping the control flow, merging functions
//   that differ only in constants, then `-Oz` twice more takes about 1 KB
//   (brotli) off the main module.
// - JS that no other step minifies: pwa.js (public/, copied as written,
//   comments included) and the split modules' loader
//   (pkg/__wasm_split.*.js, written by cargo-leptos).
//
// Each file's precompressed siblings (.br, .gz), which the server sends as
// they are, are written anew.
//
//   node scripts/compact-site.mjs [site root, default target/site]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { minify } from 'terser';

const site = path.resolve(process.argv[2] ?? 'target/site');
const pkg = path.join(site, 'pkg');
// npm's binaryen, the one cargo-leptos runs (Debian's breaks hydration).
const wasmOpt = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', '.bin', 'wasm-opt');
const WASM_PASSES = ['--flatten', '--rereloop', '--merge-similar-functions', '-Oz', '-Oz'];
// The features cargo-leptos' own pass allows.
const WASM_FEATURES = ['--enable-bulk-memory', '--enable-nontrapping-float-to-int'];

function writeCompressed(file, bytes) {
  fs.writeFileSync(
    `${file}.br`,
    zlib.brotliCompressSync(bytes, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }),
  );
  fs.writeFileSync(`${file}.gz`, zlib.gzipSync(bytes, { level: zlib.constants.Z_BEST_COMPRESSION }));
}

const inPkg = (pattern) =>
  fs
    .readdirSync(pkg)
    .filter((name) => pattern.test(name))
    .map((name) => path.join(pkg, name));

for (const file of inPkg(/\.wasm$/)) {
  const before = fs.statSync(file).size;
  execFileSync(wasmOpt, [...WASM_PASSES, ...WASM_FEATURES, file, '-o', file], { stdio: 'inherit' });
  const bytes = fs.readFileSync(file);
  writeCompressed(file, bytes);
  console.log(`optimized ${path.relative(site, file)}: ${before} -> ${bytes.length} bytes`);
}

for (const file of [path.join(site, 'pwa.js'), ...inPkg(/^__wasm_split\..*\.js$/)]) {
  const source = fs.readFileSync(file, 'utf8');
  // Modules, so top-level names are local; exports keep their names.
  const { code } = await minify(source, { module: true, compress: true, mangle: true });
  fs.writeFileSync(file, code);
  writeCompressed(file, Buffer.from(code));
  console.log(`minified ${path.relative(site, file)}: ${source.length} -> ${code.length} bytes`);
}
