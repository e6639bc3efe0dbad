//! The built SPA, held in memory with its precompressed siblings.
//!
//! Files are read once at start-up: a request never touches the filesystem, so no path a
//! client sends can reach outside `dist/`.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use kyc_onboarding::core::branding::Branding;
use kyc_onboarding::core::text::Lang;

use crate::pages::PageLanguage;

/// One file of the build.
#[derive(Debug)]
pub struct Asset {
    raw: Vec<u8>,
    brotli: Option<Vec<u8>>,
    gzip: Option<Vec<u8>>,
    content_type: &'static str,
    cache_control: &'static str,
}

/// Every file of the build, by URL path, and `index.html` in each language.
#[derive(Debug)]
pub struct Assets {
    files: HashMap<String, Asset>,
    /// `index.html` with its first paint in each language ([`crate::first_paint`]); the
    /// build's own stands for English.
    pages: Vec<(Lang, Asset)>,
}

/// Long-lived caching is only safe for names that change with their content.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";

impl Assets {
    /// Reads `dir` recursively. Fails when there is no `index.html`, which means the SPA was
    /// not built.
    pub fn load(dir: &Path) -> Result<Assets, String> {
        let mut files = HashMap::new();
        read_dir(dir, dir, &mut files)?;
        if !files.contains_key("/index.html") {
            return Err(format!(
                "{} has no index.html: build the SPA first (cargo xtask build)",
                dir.display()
            ));
        }
        Ok(Assets {
            files,
            pages: Vec::new(),
        })
    }

    /// Renders `index.html`'s first paint in each language, in `branding`, carrying
    /// `settings` (the JSON of the front end's settings) when given.
    pub fn with_first_paints(mut self, branding: &Branding, settings: Option<&str>) -> Assets {
        let index = self.index_html().to_owned();
        for lang in Lang::ALL {
            let html = crate::first_paint::render(&index, lang, branding, settings);
            if html == index {
                continue;
            }
            let (brotli, gzip) = crate::first_paint::compressed(&html);
            let page = Asset {
                raw: html.into_bytes(),
                brotli: Some(brotli),
                gzip: Some(gzip),
                content_type: "text/html; charset=utf-8",
                cache_control: REVALIDATE,
            };
            self.pages.push((lang, page));
        }
        self
    }

    /// Adds the catalogs the app fetches when the customer picks a language
    /// (`/locales/<tag>.json`), in the list form it reads (`Catalog::to_list`: the texts in key
    /// order under the key list's fingerprint, so the wasm carries no key names). They come
    /// from the same `locales/` the server's pages use, so any build of the SPA, a bare
    /// `trunk build` or the dev loop's included, can switch language; one a build left in
    /// `dist/locales/` is replaced.
    pub fn with_catalogs(mut self) -> Assets {
        use kyc_onboarding::core::text::Msg;
        for lang in Lang::ALL {
            let Some(catalog) = crate::first_paint::catalog::<Msg>(lang) else {
                continue;
            };
            let list = catalog.to_list();
            let (brotli, gzip) = crate::first_paint::compressed(&list);
            self.files.insert(
                format!("/locales/{}.json", lang.tag()),
                Asset {
                    raw: list.into_bytes(),
                    brotli: Some(brotli),
                    gzip: Some(gzip),
                    content_type: "application/json",
                    cache_control: REVALIDATE,
                },
            );
        }
        self
    }

    /// `index.html` in `lang`.
    fn page(&self, lang: Lang) -> &Asset {
        self.pages
            .iter()
            .find(|(l, _)| *l == lang)
            .map_or(&self.files["/index.html"], |(_, page)| page)
    }

    /// The text of `index.html` (for the CSP hashes of its inline scripts).
    pub fn index_html(&self) -> &str {
        std::str::from_utf8(&self.files["/index.html"].raw).unwrap_or_default()
    }

    fn get(&self, path: &str) -> Option<&Asset> {
        self.files.get(path)
    }
}

fn read_dir(root: &Path, dir: &Path, files: &mut HashMap<String, Asset>) -> Result<(), String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            read_dir(root, &path, files)?;
            continue;
        }
        let name = path.to_string_lossy();
        if name.ends_with(".br") || name.ends_with(".gz") {
            continue;
        }
        let rel = path
            .strip_prefix(root)
            .map_err(|e| e.to_string())?
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        let sibling = |ext: &str| std::fs::read(format!("{name}.{ext}")).ok();
        let raw = std::fs::read(&path).map_err(|e| format!("cannot read {name}: {e}"))?;
        let file_name = path.file_name().unwrap_or_default().to_string_lossy();
        files.insert(
            format!("/{rel}"),
            Asset {
                raw,
                brotli: sibling("br"),
                gzip: sibling("gz"),
                content_type: content_type(&file_name),
                cache_control: if has_content_hash(&file_name) {
                    IMMUTABLE
                } else {
                    REVALIDATE
                },
            },
        );
    }
    Ok(())
}

fn content_type(file_name: &str) -> &'static str {
    match file_name.rsplit('.').next().unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "json" => "application/json",
        "webmanifest" => "application/manifest+json",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// trunk names built files `name-<hex digits>.ext` (or `..._bg.wasm`): a 64-bit hash written
/// without leading zeros, so 16 digits or (one name in sixteen) fewer.
fn has_content_hash(file_name: &str) -> bool {
    file_name.split(['-', '_', '.']).any(|part| {
        (13..=16).contains(&part.len())
            && part
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    })
}

/// Which encoding the client accepts, best first.
fn pick_encoding<'a>(asset: &'a Asset, headers: &HeaderMap) -> (&'a [u8], Option<&'static str>) {
    let accepted = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let accepts = |name: &str| {
        accepted.split(',').any(|part| {
            let mut bits = part.trim().split(';');
            bits.next().map(str::trim) == Some(name)
                && !bits.any(|q| matches!(q.trim(), "q=0" | "q=0.0" | "q=0.00" | "q=0.000"))
        })
    };
    match (&asset.brotli, &asset.gzip) {
        (Some(br), _) if accepts("br") => (br, Some("br")),
        (_, Some(gz)) if accepts("gzip") => (gz, Some("gzip")),
        _ => (&asset.raw, None),
    }
}

/// Serves a file of the build; routes of the SPA (paths without an extension) get
/// `index.html` so a reload lands on the same screen.
pub async fn serve(
    State(state): State<Arc<crate::state::AppState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
        )
            .into_response();
    }
    let site = state.site.get();
    let assets = &site.assets;
    let path = uri.path();
    // A sandbox visitor without a session starts at the scenario list.
    if path == "/"
        && state.backend.emulator().is_some()
        // (A store that cannot say counts as no session: the scenario list needs none.)
        && !matches!(state.sessions.from_headers(&headers).await, Ok(Some(_)))
    {
        return axum::response::Redirect::to("/sandbox").into_response();
    }
    let wants_page = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    let mut status = StatusCode::OK;
    // The app's page, its first paint in the language the app will pick: the customer's
    // pick in the switcher, else the integrator's, else the link's, else the browser's.
    let page = || {
        let lang = state
            .config
            .language
            .as_deref()
            .and_then(Lang::parse)
            .or_else(|| crate::handoff::named_language(uri.query()));
        assets.page(PageLanguage::chosen(&headers, lang).lang())
    };
    let (asset, is_page) = match assets.get(path) {
        Some(_) if path == "/index.html" => (page(), true),
        Some(asset) => (asset, false),
        None if path == "/" || !last_segment_has_extension(path) => (page(), true),
        // A browser asking for a page gets the app, which says "not found" in its own words.
        None if wants_page => {
            status = StatusCode::NOT_FOUND;
            (page(), true)
        }
        None => return (StatusCode::NOT_FOUND, "Not found").into_response(),
    };
    let per_language = is_page && !assets.pages.is_empty();
    let (body, encoding) = pick_encoding(asset, &headers);
    let mut response = Response::new(if method == Method::HEAD {
        Body::empty()
    } else {
        Body::from(body.to_vec())
    });
    *response.status_mut() = status;
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(asset.content_type),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(asset.cache_control),
    );
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
    if per_language {
        let vary = if state.config.language.is_none() {
            "accept-encoding, accept-language, cookie"
        } else {
            "accept-encoding, cookie"
        };
        h.insert(header::VARY, HeaderValue::from_static(vary));
    } else if asset.brotli.is_some() || asset.gzip.is_some() {
        h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    if let Some(encoding) = encoding {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    response
}

fn last_segment_has_extension(path: &str) -> bool {
    path.rsplit('/').next().is_some_and(|seg| seg.contains('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_trunk_hashed_names() {
        assert!(has_content_hash("kyc-onboarding-5f1e2d3c4b5a6978_bg.wasm"));
        assert!(has_content_hash("main-0123456789abcdef.css"));
        assert!(has_content_hash("kyc-onboarding-5186ebbe8904933.js"));
        assert!(!has_content_hash("persona.js"));
        assert!(!has_content_hash("index.html"));
        assert!(!has_content_hash("favicon.svg"));
    }

    #[test]
    fn picks_brotli_then_gzip_then_raw() {
        let asset = Asset {
            raw: b"raw".to_vec(),
            brotli: Some(b"br".to_vec()),
            gzip: Some(b"gz".to_vec()),
            content_type: "text/plain",
            cache_control: REVALIDATE,
        };
        let with = |value: &str| {
            let mut h = HeaderMap::new();
            h.insert(
                header::ACCEPT_ENCODING,
                HeaderValue::from_str(value).unwrap(),
            );
            h
        };
        assert_eq!(
            pick_encoding(&asset, &with("gzip, deflate, br")).1,
            Some("br")
        );
        assert_eq!(pick_encoding(&asset, &with("gzip")).1, Some("gzip"));
        assert_eq!(pick_encoding(&asset, &with("br;q=0, gzip")).1, Some("gzip"));
        assert_eq!(pick_encoding(&asset, &with("identity")).1, None);
        assert_eq!(pick_encoding(&asset, &HeaderMap::new()).0, b"raw");
    }
}
