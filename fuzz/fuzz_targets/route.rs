//! Request paths, as the access guard reads them with the route model.
//!
//! Properties: nothing panics; every accepted path is canonical (plain
//! bytes, no empty or dot segment, no trailing slash) and is exactly the
//! path of the route it parsed to; a route's own path parses back to it;
//! and a route that names a dashboard names it by a valid id.
#![no_main]

use libfuzzer_sys::fuzz_target;
use porthole_model::{Route, is_url_id};

fuzz_target!(|data: &[u8]| {
    let Ok(path) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(route) = Route::parse(path) else {
        return;
    };
    assert!(path.starts_with('/'), "{path:?}");
    assert!(path == "/" || !path.ends_with('/'), "{path:?}");
    assert!(
        path.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~/".contains(&b)),
        "{path:?}"
    );
    assert!(
        path == "/"
            || path[1..]
                .split('/')
                .all(|segment| !matches!(segment, "" | "." | "..")),
        "{path:?}"
    );
    assert_eq!(route.href(), path, "{route:?} is not at {path:?}");
    assert_eq!(Route::parse(&route.href()), Ok(route.clone()));
    if let Some(dashboard) = route.dashboard() {
        assert!(is_url_id(dashboard), "{route:?}");
    }
});
