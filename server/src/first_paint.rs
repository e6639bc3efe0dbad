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
use maud::html;

/// A text of the app's catalog or of the server pages'.
#[derive(Clone, Copy, Debug)]
pub enum Text {
    App(Msg),
    Page(PageMsg),
}

impl Text {
    /// Its key, as `index.html`'s placeholders name it (`LoadingTitle`).
    fn key(self) -> &'static str {
        match self {
            Text::App(msg) => msg.key(),
            Text::Page(msg) => msg.key(),
        }
    }

    /// Its English, as `index.html` carries it.
    #[cfg(test)]
    fn en(self) -> &'static str {
        match self {
            Text::App(msg) => msg.en(),
            Text::Page(msg) => msg.en(),
        }
    }
}

/// A place in `index.html` that the first paint fills in, marked by an attribute on its
/// element. Trunk leaves such attributes as they are (it rewrites only its own `data-trunk`
/// links); the rendered page goes without them, so customers get the same markup as before.
#[derive(Clone, Copy, Debug)]
pub enum Placeholder {
    /// `<html lang="en" data-kyc-lang>`: the element's `lang` is the page's language.
    Lang,
    /// `data-kyc-text="Key"`: the element's text (after its last child element, if any).
    Text(Text),
    /// `data-kyc-content="Key"`: the element's `content` attribute (a `<meta>`).
    Content(Text),
    /// `data-kyc-brand="Key"`: the header's brand, as the app draws it: the integrator's
    /// logo (the element becomes an `<img class="logo">`), else their name, else the text.
    Brand(Text),
}

impl Placeholder {
    /// The attribute that marks it, with its leading space.
    pub fn marker(self) -> String {
        match self {
            Placeholder::Lang => " data-kyc-lang".to_owned(),
            Placeholder::Text(text) => format!(r#" data-kyc-text="{}""#, text.key()),
            Placeholder::Content(text) => format!(r#" data-kyc-content="{}""#, text.key()),
            Placeholder::Brand(text) => format!(r#" data-kyc-brand="{}""#, text.key()),
        }
    }
}

/// Every place the first paint fills in; `index.html` must mark each once.
pub const PLACEHOLDERS: [Placeholder; 11] = [
    Placeholder::Lang,
    Placeholder::Content(Text::Page(PageMsg::PageDescription)),
    Placeholder::Text(Text::App(Msg::AppTitle)),
    Placeholder::Brand(Text::App(Msg::AppTitle)),
    Placeholder::Text(Text::App(Msg::LoadingTitle)),
    Placeholder::Text(Text::App(Msg::LoadingBody)),
    Placeholder::Text(Text::Page(PageMsg::PageNoScript)),
    Placeholder::Text(Text::Page(PageMsg::PageStillLoading)),
    Placeholder::Text(Text::Page(PageMsg::PageLoadFailedTitle)),
    Placeholder::Text(Text::Page(PageMsg::PageLoadFailedBody)),
    Placeholder::Text(Text::App(Msg::TryAgain)),
];

/// The markers of the placeholders `index` does not have exactly once.
pub fn missing_placeholders(index: &str) -> Vec<String> {
    PLACEHOLDERS
        .iter()
        .map(|p| p.marker())
        .filter(|marker| index.matches(marker.as_str()).count() != 1)
        .collect()
}

/// The first paint in `lang` and `branding`, with the app's catalog of `lang` and
/// `settings` (JSON) when given. A placeholder that is missing (a changed `index.html`)
/// leaves its text in English, and says so.
pub fn render(index: &str, lang: Lang, branding: &Branding, settings: Option<&str>) -> String {
    let app = catalog::<Msg>(lang);
    let page = catalog::<PageMsg>(lang);
    let translated = |text: Text| match text {
        Text::App(msg) => app.as_ref().and_then(|c| c.get(msg)).unwrap_or(msg.en()),
        Text::Page(msg) => page.as_ref().and_then(|c| c.get(msg)).unwrap_or(msg.en()),
    };
    let mut html = index.to_owned();
    for placeholder in PLACEHOLDERS {
        let filled = match placeholder {
            Placeholder::Lang => fill_attribute(&mut html, placeholder, "lang", lang.tag()),
            Placeholder::Content(text) => {
                fill_attribute(&mut html, placeholder, "content", translated(text))
            }
            Placeholder::Text(text) => fill_text(&mut html, placeholder, translated(text)),
            Placeholder::Brand(text) => {
                let text = translated(text);
                match (&branding.logo_url, &branding.name) {
                    (Some(logo), name) => {
                        let alt = name.as_deref().unwrap_or(text);
                        let img = html! { img.logo src=(logo) alt=(alt); };
                        replace_element(&mut html, placeholder, &img.into_string())
                    }
                    (None, Some(name)) => fill_text(&mut html, placeholder, name),
                    (None, None) => fill_text(&mut html, placeholder, text),
                }
            }
        };
        if filled.is_none() {
            tracing::warn!(
                placeholder = placeholder.marker().trim(),
                "index.html: a first-paint placeholder was not found"
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

/// Where the marked element is: its start tag's `<` and its name, with the marker taken out
/// of the page.
fn take_marker(html: &mut String, placeholder: Placeholder) -> Option<(usize, String)> {
    let marker = placeholder.marker();
    let at = html.find(&marker)?;
    let start = html[..at].rfind('<')?;
    let name: String = html[start + 1..at]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    html.replace_range(at..at + marker.len(), "");
    Some((start, name))
}

/// The end of the start tag at `start`, just past its `>`.
fn start_tag_end(html: &str, start: usize) -> Option<usize> {
    html[start..].find('>').map(|i| start + i + 1)
}

/// Sets the value of the marked element's attribute `name` to `value` (escaped).
fn fill_attribute(
    html: &mut String,
    placeholder: Placeholder,
    name: &str,
    value: &str,
) -> Option<()> {
    let (start, _) = take_marker(html, placeholder)?;
    let tag_end = start_tag_end(html, start)?;
    let opening = format!(r#" {name}=""#);
    let value_start = start + html[start..tag_end].find(&opening)? + opening.len();
    let value_end = value_start + html[value_start..tag_end].find('"')?;
    html.replace_range(value_start..value_end, &escaped(value));
    Some(())
}

/// Sets the marked element's text after its last child element to `text` (escaped).
fn fill_text(html: &mut String, placeholder: Placeholder, text: &str) -> Option<()> {
    let (start, name) = take_marker(html, placeholder)?;
    let tag_end = start_tag_end(html, start)?;
    let close = tag_end + html[tag_end..].find(&format!("</{name}>"))?;
    let text_start = html[..close].rfind('>')? + 1;
    html.replace_range(text_start..close, &escaped(text));
    Some(())
}

/// Replaces the whole marked element with `markup`.
fn replace_element(html: &mut String, placeholder: Placeholder, markup: &str) -> Option<()> {
    let (start, name) = take_marker(html, placeholder)?;
    let close_tag = format!("</{name}>");
    let close = start + html[start..].find(&close_tag)?;
    html.replace_range(start..close + close_tag.len(), markup);
    Some(())
}

/// `text` escaped for HTML text or a quoted attribute (by maud).
fn escaped(text: &str) -> String {
    html! { (text) }.into_string()
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

    /// `index.html` as customers got it before the placeholders: without their markers.
    fn unmarked(index: &str) -> String {
        PLACEHOLDERS.iter().fold(index.to_owned(), |html, p| {
            html.replacen(&p.marker(), "", 1)
        })
    }

    #[test]
    fn index_html_marks_every_placeholder_once_with_its_english() {
        assert_eq!(missing_placeholders(INDEX), Vec::<String>::new());
        // The English each marks is the catalog's: filled in, the English page is the page
        // without its markers.
        assert_eq!(
            render(INDEX, Lang::En, &Branding::default(), None),
            unmarked(INDEX)
        );
        assert!(unmarked(INDEX).contains(r#"<html lang="en">"#));
    }

    #[test]
    fn a_missing_placeholder_is_told() {
        for placeholder in PLACEHOLDERS {
            let marker = placeholder.marker();
            let without = INDEX.replacen(&marker, "", 1);
            assert_eq!(missing_placeholders(&without), vec![marker.clone()]);
            let twice = INDEX.replacen(&marker, &[&marker, " ", &marker].concat(), 1);
            assert_eq!(missing_placeholders(&twice), vec![marker]);
        }
    }

    #[test]
    fn every_text_of_the_first_paint_is_translated() {
        let french = render(INDEX, Lang::FrCa, &Branding::default(), None);
        let fr = catalog::<Msg>(Lang::FrCa).unwrap();
        let fr_pages = catalog::<PageMsg>(Lang::FrCa).unwrap();
        assert!(french.contains(r#"<html lang="fr-CA">"#));
        for placeholder in PLACEHOLDERS {
            assert!(
                !french.contains(&placeholder.marker()),
                "{placeholder:?} left"
            );
        }
        for placeholder in PLACEHOLDERS {
            let text = match placeholder {
                Placeholder::Lang => continue,
                Placeholder::Text(t) | Placeholder::Content(t) | Placeholder::Brand(t) => t,
            };
            let translated = match text {
                Text::App(msg) => fr.text(msg),
                Text::Page(msg) => fr_pages.text(msg),
            };
            assert!(french.contains(&escaped(translated)), "{text:?}");
            assert!(!french.contains(text.en()), "{text:?} is still in English");
        }
        // Where each goes, as the page had it.
        for (before, msg, after) in [
            ("<title>", Msg::AppTitle, "</title>"),
            (r#"<span class="brand">"#, Msg::AppTitle, "</span>"),
            ("<h1>", Msg::LoadingTitle, "</h1>"),
            (r#"aria-hidden="true"></span>"#, Msg::LoadingBody, "</p>"),
            (r#"class="button">"#, Msg::TryAgain, "</button>"),
        ] {
            let expected = [before, &escaped(fr.text(msg)), after].concat();
            assert!(french.contains(&expected), "{expected}");
        }
        let description = fr_pages.text(PageMsg::PageDescription);
        let expected = format!(
            r#"<meta name="description" content="{}" />"#,
            escaped(description)
        );
        assert!(french.contains(&expected), "{expected}");
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
            r#"<img class="logo" src="https://bank.example/logo.svg" alt="Verify your identity">"#
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
