//! Where the built site (WASM, JS, CSS, icons, service worker, widget)
//! is served from.
//!
//! A release binary built by `make build` carries the site inside it
//! (feature `embedded-site`): with no `--site-root`, it writes the site
//! into `<data-dir>/site` at start-up, replacing what an earlier version
//! left there, and serves it from there, so the one file is the whole
//! product. `--site-root` serves a site from disk instead, for
//! development; a binary without the site (tests, `cargo build`) serves
//! `target/site`.

use std::{
    path::{Path, PathBuf},
    sync::Arc,
};

use leptos::config::LeptosOptions;

/// Name of the JS and WASM files of the browser bundle, as set by
/// `output-name` in Cargo.toml's `[[workspace.metadata.leptos]]`.
const OUTPUT_NAME: &str = "porthole";

/// The file cargo-leptos writes the bundle's content hashes to, and that
/// `make build` puts in the site it embeds.
const HASH_FILE: &str = "hash.txt";

/// The built site, on disk, and the file of its bundle's hashes, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteFiles {
    /// The directory the site is served from.
    pub root: PathBuf,
    /// The hashes of the bundle's file names (`hash.txt`): `None` when
    /// its files have plain names.
    pub hash_file: Option<PathBuf>,
}

/// Why the site carried inside the binary could not be written out.
#[derive(Debug, thiserror::Error)]
#[error("cannot write the built site into {path}: {source}")]
pub struct SiteError {
    path: PathBuf,
    source: std::io::Error,
}

impl SiteFiles {
    /// The site to serve: the one under `site_root` when given; else the
    /// one inside the binary, written into `data_dir`; else `target/site`.
    pub fn locate(site_root: Option<&Path>, data_dir: &Path) -> Result<Self, SiteError> {
        if let Some(root) = site_root {
            return Ok(Self::on_disk(root));
        }
        match embedded::write_into(&data_dir.join("site"))? {
            Some(files) => Ok(files),
            None => Ok(Self::on_disk(Path::new("target/site"))),
        }
    }

    /// A site built under `root`, with its bundle's hashes: the `hash.txt`
    /// `make build` puts in the site, else the one cargo-leptos writes
    /// beside the binary.
    pub fn on_disk(root: &Path) -> Self {
        // Absolute, because Leptos reads a relative hash file from beside
        // the binary, not from the working directory a relative
        // `--site-root` names.
        let root = std::path::absolute(root).unwrap_or_else(|_| root.to_owned());
        let in_site = Some(root.join(HASH_FILE));
        let beside_binary = std::env::current_exe()
            .ok()
            .and_then(|exe| Some(exe.parent()?.join(HASH_FILE)));
        Self {
            root,
            hash_file: [in_site, beside_binary]
                .into_iter()
                .flatten()
                .find(|path| path.is_file()),
        }
    }

    /// Whether the site has its built bundle (`pkg/`): without it, pages
    /// render but do not hydrate.
    pub fn has_bundle(&self) -> bool {
        self.root.join("pkg").is_dir()
    }

    /// Leptos' settings for this site: pages link the bundle's hashed
    /// names when there is a hash file, the plain names otherwise.
    pub fn leptos_options(&self) -> LeptosOptions {
        LeptosOptions::builder()
            .output_name(OUTPUT_NAME)
            .site_root(self.root.to_string_lossy().as_ref())
            .site_pkg_dir("pkg")
            .hash_files(self.hash_file.is_some())
            // An absolute path: Leptos joins it to the binary's directory.
            .hash_file(self.hash_file.as_ref().map_or_else(
                || Arc::from(HASH_FILE),
                |path| Arc::from(path.to_string_lossy()),
            ))
            .build()
    }
}

#[cfg(feature = "embedded-site")]
mod embedded {
    use std::path::Path;

    use super::{SiteError, SiteFiles};

    /// The site `make build` left in `target/site`, with its `hash.txt`.
    #[derive(rust_embed::Embed)]
    #[folder = "../target/site/"]
    struct Site;

    /// Writes the site into `dir` (emptied first: a new binary's file
    /// names differ from an old one's) and names it.
    pub fn write_into(dir: &Path) -> Result<Option<SiteFiles>, SiteError> {
        let failed = |path: &Path| {
            let path = path.to_owned();
            move |source| SiteError { path, source }
        };
        if dir.exists() {
            std::fs::remove_dir_all(dir).map_err(failed(dir))?;
        }
        for name in Site::iter() {
            let Some(file) = Site::get(&name) else {
                continue;
            };
            let path = dir.join(name.as_ref());
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(failed(parent))?;
            }
            std::fs::write(&path, file.data.as_ref()).map_err(failed(&path))?;
        }
        Ok(Some(SiteFiles::on_disk(dir)))
    }
}

#[cfg(not(feature = "embedded-site"))]
mod embedded {
    use std::path::Path;

    use super::{SiteError, SiteFiles};

    /// This binary carries no site.
    pub fn write_into(_dir: &Path) -> Result<Option<SiteFiles>, SiteError> {
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::SiteFiles;

    #[test]
    fn a_named_site_is_served_from_disk_with_the_hashes_it_holds() {
        let dir = tempfile::tempdir().expect("tempdir");
        let data = tempfile::tempdir().expect("tempdir");
        let plain = SiteFiles::locate(Some(dir.path()), data.path()).expect("a site");
        assert_eq!(plain.root, dir.path());
        assert!(!plain.has_bundle());
        assert!(
            !plain.leptos_options().hash_files,
            "no hash.txt: plain names"
        );

        std::fs::create_dir(dir.path().join("pkg")).expect("pkg");
        std::fs::write(dir.path().join("hash.txt"), "js: abc\nwasm: def\n").expect("hashes");
        let hashed = SiteFiles::locate(Some(dir.path()), data.path()).expect("a site");
        assert!(hashed.has_bundle());
        let options = hashed.leptos_options();
        assert!(options.hash_files);
        assert_eq!(
            &*options.hash_file,
            dir.path().join("hash.txt").to_string_lossy()
        );
        assert!(
            !data.path().join("site").exists(),
            "a named site writes nothing into the data directory"
        );
    }

    #[test]
    fn a_relative_site_root_names_its_hashes_by_an_absolute_path() {
        // Leptos joins a relative hash file to the binary's directory, so a
        // relative `--site-root` must not reach it as written.
        let cwd = std::env::current_dir().expect("working directory");
        let dir = tempfile::tempdir_in(&cwd).expect("tempdir");
        let data = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("hash.txt"), "js: abc\nwasm: def\n").expect("hashes");
        let relative = dir
            .path()
            .strip_prefix(&cwd)
            .expect("under the working directory");
        let site = SiteFiles::locate(Some(relative), data.path()).expect("a site");
        let options = site.leptos_options();
        assert!(options.hash_files);
        assert_eq!(
            &*options.hash_file,
            cwd.join(relative).join("hash.txt").to_string_lossy()
        );
    }
}
