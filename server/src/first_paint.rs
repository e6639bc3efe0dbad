//! `index.html`'s first paint, the screen shown before the app's wasm arrives, in the
//! customer's language and the integrator's brand. The build writes it in English with the
//! app's own look; the server renders one page per language once at start (with the app's
//! own catalogs, so every word still lives in one place) and compresses each. A page goes
//! out in the language the customer picked in the app's switcher (the `kyc_lang` cookie, so
//! a reload does not flash another language), else the integrator's (`KYC_LANGUAGE`), else
//! the one a link names (`?lang=`), else the browser's: the order the app itself follows.
//!
//! The page also carries, as JSON data blocks the browser never runs, the app's catalog of
//! its language (`kyc-catalog`) and, with a brand, the front end's settings (`kyc-settings`,
//! `GET /session`'s answer without the session): the app's first screen is in that language
//! and brand, instead of English and the default look until a request brings them, and a
//! screen shown without a session (one that ended) still has the way back to the
//! integrator's app.

use std::io::Write;

use kyc_onboarding::core::branding::Branding;
use kyc_onboarding::core::text::{Catalog, Lang, Msg, PageMsg, Texts};

use crate::sandbox::pages::escape;

/// One text of the first paint: the markup around it (unique in the page), and its key.
enum Fragment {
    App(&'static str, Msg, &'static str),
    Page(&'static str, PageMsg, &'static str),
}

/// Every text of the first paint, with enough markup around it to be found once.
const FRAGMENTS: [Fragment; 10] = [
    Fragment::App("<title>", Msg::AppTitle, "</title>"),
    Fragment::Page(
        r#"<meta name="description" content=""#,
        PageMsg::PageDescription,
        r#"" />"#,
    ),
    Fragment::App(r#"<span class="brand">"#, Msg::AppTitle, "</span>"),
    Fragment::App("<h1>", Msg::LoadingTitle, "</h1>"),
    Fragment::App("</span>", Msg::LoadingBody, "</p>"),
    Fragment::Page("<noscript><p>", PageMsg::PageNoScript, "</p>"),
    Fragment::Page(r#"role="status">"#, PageMsg::PageStillLoading, "</p>"),
    Fragment::Page("<h1>", PageMsg::PageLoadFailedTitle, "</h1>"),
    Fragment::Page(r#"role="alert">"#, PageMsg::PageLoadFailedBody, "</p>"),
    Fragment::App(r#"class="button">"#, Msg::TryAgain, "</button>"),
];

/// The first paint in `lang` and `branding`, with the app's catalog of `lang` and
/// `settings` (JSON) when given. A text whose markup is not found (a changed `index.html`)
/// stays in English, and says so.
pub fn render(index: &str, lang: Lang, branding: &Branding, settings: Option<&str>) -> String {
    let app = catalog::<Msg>(lang);
    let page = catalog::<PageMsg>(lang);
    let mut html = index.replacen(
        r#"<html lang="en">"#,
        &format!(r#"<html lang="{}">"#, lang.tag()),
        1,
    );
    for fragment in FRAGMENTS {
        let (before, english, text, after) = match fragment {
            Fragment::App(before, msg, after) => {
                let text = app.as_ref().and_then(|c| c.get(msg)).unwrap_or(msg.en());
                (before, msg.en(), text, after)
            }
            Fragment::Page(before, msg, after) => {
                let text = page.as_ref().and_then(|c| c.get(msg)).unwrap_or(msg.en());
                (before, msg.en(), text, after)
            }
        };
        let from = [before, english, after].concat();
        let to = match (before, &branding.logo_url, &branding.name) {
            // The header as the app draws it: the logo, else the name.
            (r#"<span class="brand">"#, Some(logo), name) => format!(
                r#"<img class="logo" src="{}" alt="{}" />"#,
                escape(logo),
                escape(name.as_deref().unwrap_or(text))
            ),
            (r#"<span class="brand">"#, None, Some(name)) => {
                [before, &escape(name), after].concat()
            }
            _ => [before, &escape(text), after].concat(),
        };
        if html.contains(&from) {
            html = html.replacen(&from, &to, 1);
        } else {
            tracing::warn!(
                text = english,
                "index.html: a first-paint text was not found"
            );
        }
    }
    if let Some(app) = &app {
        // Only the app's texts, in the list form the app reads.
        let attributes = format!(r#"id="kyc-catalog" lang="{}""#, lang.tag());
        html = with_data(&html, &attributes, &app.to_list());
    }
    if let Some(json) = settings {
        html = with_data(&html, r#"id="kyc-settings""#, json);
    }
    html
}

/// `html` with a JSON data block at the end of its head, written without a `<` (JSON's
/// `\u003c` reads the same), so nothing in it can end the element or change how the
/// browser reads it (`</script>`, `<!--`).
fn with_data(html: &str, attributes: &str, json: &str) -> String {
    let json = json.replace('<', "\\u003c");
    let block = format!(r#"<script type="application/json" {attributes}>{json}</script></head>"#);
    html.replacen("</head>", &block, 1)
}

/// The first paint compressed: brotli and gzip, each at its best.
pub fn compressed(html: &str) -> (Vec<u8>, Vec<u8>) {
    let mut brotli = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut brotli, 64 * 1024, 11, 22);
        writer.write_all(html.as_bytes()).expect("writes to memory");
    }
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gzip.write_all(html.as_bytes()).expect("writes to memory");
    (brotli, gzip.finish().expect("writes to memory"))
}

/// The catalog of `lang` (none for English, built into the app), from `locales/`.
pub(crate) fn catalog<M: Texts>(lang: Lang) -> Option<Catalog<M>> {
    let json = match lang {
        Lang::En => return None,
        Lang::FrCa => include_str!("../../locales/fr-CA.json"),
        Lang::EsMx => include_str!("../../locales/es-MX.json"),
    };
    Catalog::parse(json).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const INDEX: &str = include_str!("../../index.html");

    #[test]
    fn every_text_of_the_first_paint_is_found_once_and_translated() {
        for fragment in FRAGMENTS {
            let (before, english, after) = match fragment {
                Fragment::App(b, m, a) => (b, m.en(), a),
                Fragment::Page(b, m, a) => (b, m.en(), a),
            };
            let english = [before, english, after].concat();
            assert_eq!(INDEX.matches(&english).count(), 1, "{english}");
        }
        let french = render(INDEX, Lang::FrCa, &Branding::default(), None);
        let fr = catalog::<Msg>(Lang::FrCa).unwrap();
        let fr_pages = catalog::<PageMsg>(Lang::FrCa).unwrap();
        assert!(french.contains(r#"<html lang="fr-CA">"#));
        for fragment in FRAGMENTS {
            let (english, text) = match fragment {
                Fragment::App(_, msg, _) => (msg.en(), fr.text(msg)),
                Fragment::Page(_, msg, _) => (msg.en(), fr_pages.text(msg)),
            };
            assert!(french.contains(&escape(text)), "{english}");
            assert!(!french.contains(english), "{english} is still in English");
        }
        assert_eq!(render(INDEX, Lang::En, &Branding::default(), None), INDEX);
    }

    #[test]
    fn the_pages_scripts_and_styles_are_left_as_they_are() {
        use crate::headers::inline_blocks;
        // As trunk builds it: the stylesheet and the bootstrap inlined, which the CSP allows
        // by their hashes (taken from the build's page).
        let built = INDEX.replacen(
            "</head>",
            r#"<style>h1{color:red}</style><script type="module">start('</h1>')</script></head>"#,
            1,
        );
        let french = render(&built, Lang::FrCa, &Branding::default(), Some("{}"));
        let blocks = |html: &str, tag: &str| {
            inline_blocks(html, tag)
                .map(str::to_owned)
                .collect::<Vec<_>>()
        };
        assert_eq!(blocks(&french, "style"), blocks(&built, "style"));
        let scripts = blocks(&french, "script");
        let (kept, data) = scripts.split_at(1);
        assert_eq!(kept, blocks(&built, "script").as_slice());
        assert_eq!(data.len(), 2, "the catalog and the settings, after them");
        for json in data {
            assert!(
                serde_json::from_str::<serde_json::Value>(json).is_ok(),
                "{json}"
            );
        }
    }

    #[test]
    fn the_page_carries_the_integrators_brand() {
        let named = Branding {
            name: Some("Bank & <Co>".into()),
            return_url: Some("https://bank.example/app".into()),
            ..Branding::default()
        };
        let settings = r#"{"branding":{"name":"<!--<script></script>"}}"#;
        let html = render(INDEX, Lang::En, &named, Some(settings));
        assert!(html.contains(r#"<span class="brand">Bank &amp; &lt;Co&gt;</span>"#));
        assert!(html.contains("<title>Verify your identity</title>"));
        let json = html
            .split_once(r#"<script type="application/json" id="kyc-settings">"#)
            .and_then(|(_, rest)| rest.split_once("</script>"))
            .map(|(json, _)| json)
            .expect("the settings block");
        assert_eq!(
            json, r#"{"branding":{"name":"\u003c!--\u003cscript>\u003c/script>"}}"#,
            "nothing in it can end the element"
        );
        let read: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(read["branding"]["name"], "<!--<script></script>");
        let logo = Branding {
            logo_url: Some("https://bank.example/logo.svg".into()),
            ..Branding::default()
        };
        let html = render(INDEX, Lang::En, &logo, None);
        assert!(html.contains(
            r#"<img class="logo" src="https://bank.example/logo.svg" alt="Verify your identity" />"#
        ));
    }

    #[test]
    fn the_page_carries_the_apps_catalog_of_its_language() {
        let french = render(INDEX, Lang::FrCa, &Branding::default(), None);
        let start = r#"<script type="application/json" id="kyc-catalog" lang="fr-CA">"#;
        let json = french
            .split_once(start)
            .and_then(|(_, rest)| rest.split_once("</script>"))
            .map(|(json, _)| json)
            .expect("the catalog block");
        // In the list form the app reads, holding the app's texts only.
        let inline = Catalog::<Msg>::from_list(json).unwrap();
        assert_eq!(Some(inline), catalog::<Msg>(Lang::FrCa));
        let page_text = catalog::<PageMsg>(Lang::FrCa).unwrap();
        let page_text = page_text.text(PageMsg::PageContinueTitle);
        assert!(!json.contains(page_text), "only the app's texts");
        assert!(french.find(start) < french.find("</head>"));
    }
}
