//! The page's language and its texts, at the edge (the catalog's fetch, the choice's cookie
//! and tab storage, `<html lang>`): chosen by the customer (the switcher), else the integrator's
//! configuration, else the URL (`?lang=fr`), else the browser's languages, else English.
//!
//! English is built in. French and Spanish are message catalogs (`locales/<tag>.json`,
//! keyed like [`Msg`], which the build writes into `dist/` in list form: the wasm carries no
//! key names) fetched when first needed, so English first loads carry no other language; a
//! page the server rendered in French or Spanish carries that catalog itself
//! (`server/src/first_paint.rs`). A loaded catalog lives for the rest of the page (at most
//! two).

use leptos::prelude::*;

use crate::core::text::{Catalog, Lang, Msg};

/// Where the customer's own choice is kept for this tab.
const CHOICE_KEY: &str = "kyc-onboarding.lang";

/// Where the English of a key comes from.
type EnglishOf = fn(Msg) -> &'static str;

/// The language in use and the catalogs loaded so far.
#[derive(Clone, Copy)]
pub struct I18n {
    lang: RwSignal<Lang>,
    catalogs: StoredValue<Vec<(Lang, &'static Catalog)>, LocalStorage>,
    chosen: RwSignal<bool>,
    /// The language most recently asked for: a catalog that arrives after the customer has
    /// moved on to another language is kept but not applied.
    wanted: StoredValue<Lang>,
    /// The language the customer just picked with the switcher, until the page has been
    /// rendered in it: that rendering keeps focus on the switcher instead of moving it to
    /// the screen's heading (changing a setting must not move the customer elsewhere).
    picked: StoredValue<Option<Lang>>,
    /// A language the customer picked whose catalog could not be fetched (offline): the
    /// switcher says so and shows the language still in use.
    unavailable: RwSignal<Option<Lang>>,
    /// The English of the later screens' texts ([`Msg::later_en`]), handed over by the
    /// second wasm module when it arrives: the first module carries none of those strings.
    later_english: StoredValue<Option<EnglishOf>>,
    /// Turns true when [`I18n::learn_later_english`] is first called: what shows texts of
    /// the later group on the first screen (the tips inside the prep screen's groups)
    /// draws them then.
    later_arrived: RwSignal<bool>,
}

fn tab_storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.session_storage().ok().flatten())
}

/// The language the customer picked last in this browser session, in any tab, from the
/// cookie that tells the server ([`Lang::COOKIE`]).
fn cookie_choice() -> Option<Lang> {
    let cookies = js_sys::Reflect::get(document().as_ref(), &"cookie".into()).ok()?;
    Lang::from_cookies(&cookies.as_string()?)
}

/// `?lang=` from the page's address.
pub fn url_language() -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    search
        .trim_start_matches('?')
        .split('&')
        .find_map(|pair| pair.strip_prefix("lang="))
        .map(str::to_owned)
}

fn browser_languages() -> Vec<String> {
    let Some(window) = web_sys::window() else {
        return Vec::new();
    };
    let list = window.navigator().languages();
    let mut out: Vec<String> = list.iter().filter_map(|v| v.as_string()).collect();
    if out.is_empty() {
        out.extend(window.navigator().language());
    }
    out
}

impl I18n {
    /// Picks the first language from what is known before the session arrives: the
    /// customer's choice, else the language the server rendered the page in (the
    /// integrator's, the link's or the browser's), else the link's, else the browser's.
    pub fn start() -> I18n {
        // The cookie first: it is what the server drew the page in (the latest pick in any
        // tab). The tab's own copy counts where cookies are refused (a third-party frame).
        let choice = cookie_choice()
            .map(|lang| lang.tag().to_owned())
            .or_else(|| tab_storage().and_then(|s| s.get_item(CHOICE_KEY).ok().flatten()));
        let url = url_language();
        // The server put the catalog of the page's language in the page: the app speaks it
        // from its first screen, without waiting for a request.
        let inline = document()
            .get_element_by_id("kyc-catalog")
            .and_then(|block| {
                let lang = block
                    .get_attribute("lang")
                    .as_deref()
                    .and_then(Lang::parse)?;
                Some((lang, block.text_content()?))
            });
        let page = inline.as_ref().map(|(lang, _)| lang.tag());
        let first = Lang::negotiate(
            &[choice.as_deref(), page, url.as_deref()],
            &browser_languages(),
        );
        // Until another language is ready, the page's own (what it shows and its `lang`
        // say): never English in between.
        let mut shown = Lang::En;
        let i18n = I18n {
            lang: RwSignal::new(Lang::En),
            catalogs: StoredValue::new_local(Vec::new()),
            chosen: RwSignal::new(choice.is_some()),
            wanted: StoredValue::new(Lang::En),
            picked: StoredValue::new(None),
            unavailable: RwSignal::new(None),
            later_english: StoredValue::new(None),
            later_arrived: RwSignal::new(false),
        };
        if let Some((lang, text)) = inline {
            if i18n.keep(lang, &text) {
                shown = lang;
            }
        }
        i18n.lang.set(shown);
        i18n.apply_lang_attribute(shown);
        i18n.switch(first, false);
        i18n
    }

    /// Keeps a catalog for the rest of the page (one per language, at most two); whether
    /// it could be read.
    fn keep(&self, lang: Lang, text: &str) -> bool {
        let Ok(catalog) = Catalog::from_list(text) else {
            return false;
        };
        let catalog: &'static Catalog = Box::leak(Box::new(catalog));
        self.catalogs
            .update_value(|list| list.push((lang, catalog)));
        true
    }

    /// The language in use (tracked).
    pub fn lang(&self) -> Lang {
        self.lang.get()
    }

    /// A message's text in the language in use (tracked).
    pub fn text(&self, msg: Msg) -> &'static str {
        self.text_in(self.lang.get(), msg)
    }

    /// The language in use, without tracking.
    pub fn lang_now(&self) -> Lang {
        self.lang.get_untracked()
    }

    /// A message's text in the language in use, without tracking.
    pub fn text_now(&self, msg: Msg) -> &'static str {
        self.text_in(self.lang.get_untracked(), msg)
    }

    /// Whether the page is being rendered again for a language the customer just picked.
    pub fn rendering_pick(&self) -> bool {
        self.picked.get_value() == Some(self.lang.get_untracked())
    }

    /// A message's text in `lang`, English where its catalog is not loaded or lacks it.
    fn text_in(&self, lang: Lang, msg: Msg) -> &'static str {
        if lang == Lang::En {
            return self.english(msg);
        }
        self.catalogs
            .with_value(|list| list.iter().find(|(l, _)| *l == lang).map(|(_, c)| *c))
            .and_then(|catalog| catalog.get(msg))
            .unwrap_or_else(|| self.english(msg))
    }

    /// Takes the later screens' English from the second module (it calls this whenever it
    /// is entered, before it builds anything).
    pub fn learn_later_english(&self, later: EnglishOf) {
        self.later_english.set_value(Some(later));
        if !self.later_arrived.get_untracked() {
            self.later_arrived.set(true);
        }
    }

    /// Whether the later group's English is here (tracked: see [`I18n::learn_later_english`]).
    pub fn later_arrived(&self) -> bool {
        self.later_arrived.get()
    }

    /// A message's English. In the split release build the later screens' half comes from
    /// the second module, which is always there before one of its screens is drawn.
    fn english(&self, msg: Msg) -> &'static str {
        if cfg!(kyc_split) {
            msg.first_en()
                .or_else(|| self.later_english.get_value().map(|later| later(msg)))
                .unwrap_or_default()
        } else {
            msg.en()
        }
    }

    /// The integrator's language arrived with the session: used unless the customer chose.
    pub fn configured(&self, tag: Option<&str>) {
        if self.chosen.get_untracked() {
            return;
        }
        if let Some(lang) = tag.and_then(Lang::parse) {
            self.switch(lang, false);
        }
    }

    /// Switches language, loading its catalog first if needed. `by_customer` remembers the
    /// choice for this tab.
    pub fn switch(&self, lang: Lang, by_customer: bool) {
        if by_customer {
            self.chosen.set(true);
        }
        self.wanted.set_value(lang);
        let loaded = lang == Lang::En
            || self
                .catalogs
                .with_value(|list| list.iter().any(|(l, _)| *l == lang));
        if loaded {
            return self.apply(lang, by_customer);
        }
        let i18n = *self;
        leptos::task::spawn_local(async move {
            let url = format!("/locales/{}.json", lang.tag());
            let kept = match crate::api::fetch_text(&url).await {
                Ok(text) => i18n.keep(lang, &text),
                Err(_) => false,
            };
            if !kept {
                if by_customer && i18n.wanted.get_value() == lang {
                    i18n.wanted.set_value(i18n.lang.get_untracked());
                    i18n.picked.set_value(None);
                    i18n.unavailable.set(Some(lang));
                }
                return;
            }
            if i18n.wanted.get_value() == lang {
                i18n.apply(lang, by_customer);
            }
        });
    }

    /// Uses `lang`, remembering it for this tab (and telling the server) when the customer
    /// picked it. The page is rendered again only for a language other than the one in use.
    fn apply(&self, lang: Lang, by_customer: bool) {
        if by_customer {
            // A note about an earlier pick that failed goes once this one is in. Not
            // before: the switcher's value follows this signal, and a write (even of `None`
            // over `None`) would put it back on the old language while this one loads.
            if self.unavailable.with_untracked(Option::is_some) {
                self.unavailable.set(None);
            }
            if let Some(s) = tab_storage() {
                let _ = s.set_item(CHOICE_KEY, lang.tag());
            }
            // Tells the server, so the next page load's first paint is in it.
            let _ =
                js_sys::Reflect::set(document().as_ref(), &"cookie".into(), &lang.cookie().into());
        }
        if self.lang.get_untracked() == lang {
            return;
        }
        self.apply_lang_attribute(lang);
        self.lang.set(lang);
    }

    /// Marks the page as written in `lang` (`<html lang>`, for screen readers' voices).
    fn apply_lang_attribute(&self, lang: Lang) {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", lang.tag());
        }
    }

    /// The customer picked `lang` with the switcher: the page is rendered again in it with
    /// focus kept on the switcher ([`I18n::rendering_pick`]).
    pub fn pick(&self, lang: Lang) {
        self.picked.set_value(Some(lang));
        self.switch(lang, true);
    }

    /// The page has been rendered in the picked language: focus goes back to normal.
    pub fn pick_rendered(&self) {
        self.picked.set_value(None);
    }

    /// A language the customer picked whose catalog could not be fetched (tracked).
    pub fn unavailable(&self) -> Option<Lang> {
        self.unavailable.get()
    }
}
