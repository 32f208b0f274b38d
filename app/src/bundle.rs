//! What a page links of the built browser bundle: its stylesheet, and the
//! head's scripts that make the page's islands interactive: what Leptos'
//! `HydrationScripts` writes for islands, with a loader of our own
//! (`island_loader.js`) that hydrates each island in a task of its own
//! rather than all in one (see the loader for why). The bundle's file
//! names (`hash.txt`) and its split modules' manifest are read once, when
//! the server starts (`Bundle::read`), and each render is handed what was
//! read: Leptos' `HashedStylesheet` reads `hash.txt` from disk for each page
//! it renders, and panics if the file goes away between its check and its
//! read.

use std::{path::PathBuf, sync::Arc};

// `WasmSplitManifest` is hidden from Leptos' docs: it is how
// `HydrationScripts` tells the rendering which split modules to preload,
// and so how this, its stand-in, must too.
use leptos::{WasmSplitManifest, prelude::*};

/// The preloads and the loader. With the islands router (a feature kept
/// for `make bench-islands-router`), Leptos' own: its navigation script
/// goes with its loader.
#[component]
pub fn IslandScripts(
    /// The site whose bundle the page loads (Leptos' own scripts read it).
    options: LeptosOptions,
    /// What was read of the site's bundle.
    bundle: Arc<Bundle>,
) -> impl IntoView {
    #[cfg(feature = "islands-router")]
    {
        let _ = bundle;
        view! { <HydrationScripts options islands=true islands_router=true /> }
    }
    #[cfg(not(feature = "islands-router"))]
    {
        let _ = options;
        if let Some(manifest) = &bundle.split_manifest {
            provide_context(manifest.clone());
        }
        let nonce = use_nonce();
        // As Leptos writes them: the module preload is cross-origin only on
        // a page with a nonce, the WASM's always.
        let module_crossorigin = nonce.as_ref().map(ToString::to_string);
        let wasm_crossorigin = module_crossorigin.clone().unwrap_or_default();
        let (js_href, wasm_href) = (bundle.js_href.clone(), bundle.wasm_href.clone());
        let loader = bundle.loader.clone();
        view! {
            <link rel="modulepreload" href=js_href crossorigin=module_crossorigin />
            <link
                rel="preload"
                href=wasm_href
                r#as="fetch"
                r#type="application/wasm"
                crossorigin=wasm_crossorigin
            />
            <script type="module" nonce=nonce>{loader}</script>
        }
    }
}

/// The bundle's stylesheet, linked as Leptos' `HashedStylesheet` links it.
#[component]
pub fn BundleStylesheet(
    /// What was read of the site's bundle.
    bundle: Arc<Bundle>,
    /// The link's id.
    id: &'static str,
) -> impl IntoView {
    view! { <link id=id rel="stylesheet" href=bundle.css_href.clone() /> }
}

/// A built site's browser bundle: its split modules, and what a page
/// writes of its files (all but the nonce, which is the page's own).
#[derive(Debug)]
pub struct Bundle {
    /// Where the stylesheet is served.
    css_href: Arc<str>,
    /// Which split modules each lazy function needs, for their preloads.
    split_manifest: Option<WasmSplitManifest>,
    /// Where the wasm-bindgen module is served.
    js_href: Arc<str>,
    /// Where the WASM is served.
    wasm_href: Arc<str>,
    /// The loader, called with this bundle's names.
    loader: Arc<str>,
}

impl Bundle {
    /// Reads the bundle of the site `options` describe: its files' names
    /// from `hash.txt` (when the site hashes them) and its split modules'
    /// manifest. What cannot be read is logged, and the plain names stand
    /// in for it.
    pub fn read(options: &LeptosOptions) -> Self {
        let hash_file = hash_file(options);
        let hashes = if options.hash_files {
            std::fs::read_to_string(&hash_file).unwrap_or_else(|error| {
                leptos::logging::error!("the bundle's hash file {}: {error}", hash_file.display());
                String::new()
            })
        } else {
            String::new()
        };
        let hash_of = |file: &str| {
            hashes.lines().find_map(|line| {
                let (name, hash) = line.trim().split_once(':')?;
                (name.trim() == file).then(|| hash.trim().to_owned())
            })
        };
        let named = |kind: &str, plain: &str| match hash_of(kind) {
            Some(hash) => format!("{plain}.{hash}"),
            None => plain.to_owned(),
        };
        let output = options.output_name.to_string();
        let manifest = named("manifest", "__wasm_split_manifest");
        let split_js = match hash_of("split") {
            Some(hash) => format!("__wasm_split.{hash}.js"),
            // cargo-leptos' name for it when it hashes nothing.
            None => "__wasm_split.______________________.js".to_owned(),
        };
        let split_manifest = std::fs::read_to_string(
            PathBuf::from(options.site_root.as_ref())
                .join(options.site_pkg_dir.as_ref())
                .join(format!("{manifest}.json")),
        )
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .map(|preloads| {
            WasmSplitManifest(ArcStoredValue::new((
                format!("/{}", options.site_pkg_dir),
                preloads,
                split_js,
            )))
        });
        let wasm = if options.hash_files || option_env!("LEPTOS_OUTPUT_NAME").is_some() {
            named("wasm", &output)
        } else {
            // wasm-bindgen's own name, which cargo-leptos keeps unless told
            // the output's name at build time.
            format!("{output}_bg")
        };
        let js = named("js", &output);
        let css = named("css", &output);
        let pkg = &options.site_pkg_dir;
        let loader = format!(
            "{}({:?}, {pkg:?}, {js:?}, {wasm:?});",
            include_str!("island_loader.js")
                .trim_end()
                .trim_end_matches(';'),
            "",
        );
        Self {
            css_href: Arc::from(format!("/{pkg}/{css}.css")),
            js_href: Arc::from(format!("/{pkg}/{js}.js")),
            wasm_href: Arc::from(format!("/{pkg}/{wasm}.wasm")),
            loader: Arc::from(loader),
            split_manifest,
        }
    }
}

/// Where `hash.txt` is: as Leptos reads it, beside the running binary
/// unless the options name it by an absolute path.
fn hash_file(options: &LeptosOptions) -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(PathBuf::from))
        .unwrap_or_default()
        .join(options.hash_file.as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(site: &std::path::Path, hashed: bool) -> LeptosOptions {
        LeptosOptions::builder()
            .output_name("porthole")
            .site_root(site.to_string_lossy().as_ref())
            .site_pkg_dir("pkg")
            .hash_files(hashed)
            .hash_file(Arc::from(site.join("hash.txt").to_string_lossy()))
            .build()
    }

    #[test]
    fn a_hashed_bundle_is_named_by_its_hash_file_and_preloads_its_split_modules() {
        let site = tempfile::tempdir().expect("site");
        std::fs::create_dir(site.path().join("pkg")).expect("pkg");
        std::fs::write(
            site.path().join("hash.txt"),
            "js: J1\nwasm: W2\n  manifest : M3\nsplit: S4\ncss: C5\n",
        )
        .expect("hashes");
        std::fs::write(
            site.path().join("pkg/__wasm_split_manifest.M3.json"),
            r#"{"redraw": ["chunk_5"]}"#,
        )
        .expect("manifest");
        let bundle = Bundle::read(&options(site.path(), true));
        assert_eq!(
            (&*bundle.js_href, &*bundle.wasm_href, &*bundle.css_href),
            (
                "/pkg/porthole.J1.js",
                "/pkg/porthole.W2.wasm",
                "/pkg/porthole.C5.css"
            )
        );
        assert!(
            bundle
                .loader
                .ends_with(r#"("", "pkg", "porthole.J1", "porthole.W2");"#)
        );
        let manifest = bundle.split_manifest.as_ref().expect("a split manifest");
        let (pkg, preloads, loader) = manifest.0.get_value();
        assert_eq!(pkg, "/pkg");
        assert_eq!(preloads["redraw"], ["chunk_5"]);
        assert_eq!(loader, "__wasm_split.S4.js");
    }

    #[test]
    fn without_hashes_or_a_manifest_the_names_are_plain() {
        let site = tempfile::tempdir().expect("site");
        let bundle = Bundle::read(&options(site.path(), false));
        assert_eq!(&*bundle.js_href, "/pkg/porthole.js");
        assert_eq!(&*bundle.css_href, "/pkg/porthole.css");
        assert!(bundle.wasm_href.starts_with("/pkg/porthole"));
        assert!(bundle.split_manifest.is_none());
        // A hash file that cannot be read: plain names, and no panic.
        let missing = Bundle::read(&options(&site.path().join("gone"), true));
        assert_eq!(&*missing.js_href, "/pkg/porthole.js");
    }
}
