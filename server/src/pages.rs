//! The customer-facing pages the server renders itself, before the app runs: a sign-in link
//! refused, the phone's Continue page, a handoff code refused. They speak the customer's
//! language (the browser's `Accept-Language`), with the texts of the app's own catalogs
//! ([`PageMsg`] in `locales/<tag>.json`), so every word still lives in one place.

use std::sync::OnceLock;

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use kyc_onboarding::core::text::{Catalog, Lang, PageMsg};
use maud::{html, Markup, DOCTYPE};

/// The language a page is shown in, with its texts.
#[derive(Clone, Copy, Debug)]
pub struct PageLanguage {
    lang: Lang,
    catalog: Option<&'static Catalog<PageMsg>>,
}

impl PageLanguage {
    /// The language the customer picked in the app on this browser (the [`Lang::COOKIE`]),
    /// else the best of ours for the browser's `Accept-Language`; English otherwise.
    pub fn of(headers: &HeaderMap) -> PageLanguage {
        PageLanguage::chosen(headers, None)
    }

    /// The language the customer picked in the app on this browser, else `lang` (the
    /// integrator's, or the one a link names: `?lang=`, a handoff link made on a page in that
    /// language), else as [`PageLanguage::of`]: the order the app itself follows.
    pub fn chosen(headers: &HeaderMap, lang: Option<Lang>) -> PageLanguage {
        let picked = crate::session::cookie_value(headers, Lang::COOKIE).and_then(Lang::parse);
        let accepted = headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .map(accepted_languages)
            .unwrap_or_default();
        PageLanguage::new(
            picked
                .or(lang)
                .unwrap_or_else(|| Lang::negotiate(&[], &accepted)),
        )
    }

    /// The language.
    pub fn lang(self) -> Lang {
        self.lang
    }

    /// `?lang=<tag>` of a language a link named, to carry it on; else empty.
    pub fn carried(lang: Option<Lang>) -> &'static str {
        lang.map_or("", Lang::link_query)
    }

    fn new(lang: Lang) -> PageLanguage {
        PageLanguage {
            lang,
            catalog: catalog(lang),
        }
    }

    /// A text in this language (English where the catalog lacks it).
    pub fn text(self, msg: PageMsg) -> &'static str {
        match self.catalog {
            Some(catalog) => catalog.text(msg),
            None => msg.en(),
        }
    }

    /// A whole page: heading, text and, when given, a form.
    fn html(self, title: PageMsg, body: PageMsg, form: Option<Markup>) -> Markup {
        let heading = self.text(title);
        html! {
            (DOCTYPE)
            html lang=(self.lang.tag()) {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    title { (heading) }
                    link rel="stylesheet" href="/pages.css";
                }
                body {
                    main {
                        h1 { (heading) }
                        p { (self.text(body)) }
                        @if let Some(form) = form { (form) }
                    }
                }
            }
        }
    }

    /// A page with a heading and a text, never stored (they answer one request only).
    pub fn message(self, status: StatusCode, title: PageMsg, body: PageMsg) -> Response {
        self.respond(status, self.html(title, body, None))
    }

    /// The phone that came, as the desktop shows it: "Connected: Chrome on Android", either
    /// name alone when the other is not known. Written here, in the desktop's language, so
    /// the app's first load carries no text of its own for it.
    pub fn device(self, browser: &str, os: &str) -> String {
        let device = match (browser.is_empty(), os.is_empty()) {
            (false, false) => self
                .text(PageMsg::PageDeviceOn)
                .replace("{browser}", browser)
                .replace("{os}", os),
            (true, true) => self.text(PageMsg::PageDeviceUnknown).to_owned(),
            _ => [browser, os].concat(),
        };
        self.text(PageMsg::PagePhoneConnected)
            .replace("{device}", &device)
    }

    /// The phone's Continue page: a tap posts the code with its one-off value.
    ///
    /// It shows the code's confirmation number and asks the customer to check it is the one
    /// beside the QR code on their computer before the tap. Compared, not typed: whoever
    /// sees the QR code sees the number beside it, so typing it would stop no bystander
    /// (the desktop's "This isn't my phone" does that), while it would cost every customer
    /// a step and typos. What the comparison catches is the customer's phone opening a code
    /// that is not their own screen's (someone else's QR code or link put in front of them,
    /// which would verify that person's account with this customer's ID).
    pub fn continue_page(self, code: &str, confirm: &str, nonce: &str, carried: &str) -> Response {
        // The code is bound to whoever made it: a link forwarded by someone else would have
        // this phone's ID checked for their account, so the page says so before the tap.
        let form = html! {
            @if !confirm.is_empty() {
                p { (self.text(PageMsg::PageContinueConfirm)) }
                p.confirm data-testid="confirm" { strong { (confirm) } }
            }
            p.warning { strong { (self.text(PageMsg::PageContinueWarning)) } }
            form method="post" action={ "/handoff/" (code) (carried) } {
                input type="hidden" name="nonce" value=(nonce);
                button type="submit" { (self.text(PageMsg::PageContinueButton)) }
            }
        };
        let html = self.html(
            PageMsg::PageContinueTitle,
            PageMsg::PageContinueBody,
            Some(form),
        );
        self.respond(StatusCode::OK, html)
    }

    fn respond(self, status: StatusCode, html: Markup) -> Response {
        (
            status,
            [
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
                (
                    header::VARY,
                    HeaderValue::from_static("accept-language, cookie"),
                ),
            ],
            Html(html.into_string()),
        )
            .into_response()
    }
}

/// The catalog of a language other than English, read once from the app's own files.
fn catalog(lang: Lang) -> Option<&'static Catalog<PageMsg>> {
    static FR_CA: OnceLock<Option<Catalog<PageMsg>>> = OnceLock::new();
    static ES_MX: OnceLock<Option<Catalog<PageMsg>>> = OnceLock::new();
    let (cell, json) = match lang {
        Lang::En => return None,
        Lang::FrCa => (&FR_CA, include_str!("../../locales/fr-CA.json")),
        Lang::EsMx => (&ES_MX, include_str!("../../locales/es-MX.json")),
    };
    cell.get_or_init(|| Catalog::parse(json).ok()).as_ref()
}

/// The tags of an `Accept-Language` header, most wanted first (`q=0` means "not this one").
fn accepted_languages(header: &str) -> Vec<String> {
    let mut tags: Vec<(String, f32)> = header
        .split(',')
        .filter_map(|item| {
            let mut parts = item.split(';');
            let tag = parts.next()?.trim();
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())?;
            (!tag.is_empty() && q > 0.0).then(|| (tag.to_owned(), q))
        })
        .collect();
    // Stable: equal weights keep the browser's order.
    tags.sort_by(|a, b| b.1.total_cmp(&a.1));
    tags.into_iter().map(|(tag, _)| tag).collect()
}

/// The style sheet of the server's own pages (the phone's Continue page, refusals, the
/// sandbox's pages).
const STYLE: &str = include_str!("../static/pages.css");

/// `GET /pages.css`.
pub async fn style() -> axum::response::Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        STYLE,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn language(accept: &str) -> Lang {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_LANGUAGE, accept.parse().unwrap());
        PageLanguage::of(&headers).lang
    }

    #[test]
    fn the_browsers_best_language_we_speak_is_chosen() {
        assert_eq!(language("fr-CA,fr;q=0.9,en;q=0.8"), Lang::FrCa);
        assert_eq!(language("de-DE, es-US;q=0.7, en;q=0.5"), Lang::EsMx);
        assert_eq!(language("en;q=0.2, es-MX;q=0.9"), Lang::EsMx, "by weight");
        assert_eq!(language("fr;q=0, en"), Lang::En, "q=0 is a refusal");
        assert_eq!(language("de, *;q=0.1"), Lang::En);
        assert_eq!(language(";;, q=x"), Lang::En);
        assert_eq!(PageLanguage::of(&HeaderMap::new()).lang, Lang::En);
    }

    #[test]
    fn the_language_picked_in_the_app_comes_first() {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_LANGUAGE, "fr-CA".parse().unwrap());
        headers.insert(header::COOKIE, "a=1; kyc_lang=es-MX".parse().unwrap());
        assert_eq!(PageLanguage::of(&headers).lang, Lang::EsMx);
        assert_eq!(
            PageLanguage::chosen(&headers, Some(Lang::FrCa)).lang,
            Lang::EsMx
        );
        headers.insert(header::COOKIE, "kyc_lang=xx".parse().unwrap());
        assert_eq!(
            PageLanguage::chosen(&headers, Some(Lang::En)).lang,
            Lang::En
        );
        assert_eq!(PageLanguage::of(&headers).lang, Lang::FrCa);
    }

    #[test]
    fn every_page_text_comes_from_the_languages_catalog() {
        for lang in [Lang::FrCa, Lang::EsMx] {
            let page = PageLanguage::new(lang);
            assert!(page.catalog.is_some(), "{lang:?} catalog reads");
            for msg in PageMsg::ALL {
                assert_ne!(page.text(*msg), msg.en(), "{lang:?} {msg:?} is translated");
            }
        }
        let en = PageLanguage::new(Lang::En);
        assert_eq!(en.text(PageMsg::PageScanTitle), PageMsg::PageScanTitle.en());
    }

    #[test]
    fn pages_keep_their_markup_with_every_value_escaped() {
        let en = PageLanguage::new(Lang::En);
        let page = en
            .html(PageMsg::PageScanTitle, PageMsg::PageScanBody, None)
            .into_string();
        let title = maud::html! { (PageMsg::PageScanTitle.en()) }.into_string();
        let body = maud::html! { (PageMsg::PageScanBody.en()) }.into_string();
        assert_eq!(
            page,
            format!(
                "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
                 <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
                 <title>{title}</title><link rel=\"stylesheet\" href=\"/pages.css\"></head>\
                 <body><main><h1>{title}</h1><p>{body}</p></main></body></html>"
            )
        );
        let form = maud::html! {
            form action={ "/handoff/" ("a\"><b>") ("?lang=fr-CA") } {}
        };
        assert_eq!(
            form.into_string(),
            r#"<form action="/handoff/a&quot;&gt;&lt;b&gt;?lang=fr-CA"></form>"#
        );
    }
}
