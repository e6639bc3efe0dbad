//! The languages the app speaks and the catalogs of their texts (every language but
//! English, which `text.rs` carries).

use super::text::{Msg, Texts};

/// A language the app speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English (the built-in catalog).
    En,
    /// French, as written in Canada.
    FrCa,
    /// Spanish, as written in Mexico and by Spanish speakers in the US.
    EsMx,
}

impl Lang {
    /// Every language, English first.
    pub const ALL: [Lang; 3] = [Lang::En, Lang::FrCa, Lang::EsMx];

    /// The cookie holding the language the customer picked in the switcher (its tag), so
    /// the server draws a reloaded page's first paint in it. A preference, not personal
    /// data; it lasts the browser session.
    pub const COOKIE: &'static str = "kyc_lang";

    /// The [`Lang::COOKIE`] as the app sets it: `name=tag` and its attributes (the whole
    /// site, sent on a top-level visit from elsewhere).
    pub fn cookie(self) -> &'static str {
        match self {
            Lang::En => "kyc_lang=en; Path=/; SameSite=Lax",
            Lang::FrCa => "kyc_lang=fr-CA; Path=/; SameSite=Lax",
            Lang::EsMx => "kyc_lang=es-MX; Path=/; SameSite=Lax",
        }
    }

    /// The language whose cookie is among `cookies` (as `document.cookie` lists them).
    pub fn from_cookies(cookies: &str) -> Option<Lang> {
        cookies
            .split("; ")
            .find_map(|c| c.strip_prefix("kyc_lang="))
            .and_then(Lang::parse)
    }

    /// The BCP 47 tag (for `<html lang>` and the catalog's file name).
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::FrCa => "fr-CA",
            Lang::EsMx => "es-MX",
        }
    }

    /// `?lang=<tag>` for a link that should open in this language; empty for English, the
    /// default.
    pub fn link_query(self) -> &'static str {
        match self {
            Lang::En => "",
            Lang::FrCa => "?lang=fr-CA",
            Lang::EsMx => "?lang=es-MX",
        }
    }

    /// The locale handed to Persona's flow.
    pub fn persona_locale(self) -> &'static str {
        match self {
            Lang::En => "en-US",
            Lang::FrCa => "fr",
            Lang::EsMx => "es-MX",
        }
    }

    /// The language's name in itself, for the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::FrCa => "Français",
            Lang::EsMx => "Español",
        }
    }

    /// The language a tag asks for, by its primary subtag (`fr-FR` and `fr` are French).
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "fr" => Some(Lang::FrCa),
            "es" => Some(Lang::EsMx),
            _ => None,
        }
    }

    /// The first language the customer's choices name that the app speaks: in order, an
    /// explicit choice (the switcher, then the backend's configuration, then the URL), then
    /// the browser's languages, then English.
    pub fn negotiate(explicit: &[Option<&str>], browser: &[String]) -> Lang {
        explicit
            .iter()
            .flatten()
            .copied()
            .chain(browser.iter().map(String::as_str))
            .find_map(Lang::parse)
            .unwrap_or(Lang::En)
    }
}

/// The texts of one language other than English. Translators write `locales/<tag>.json`, a
/// JSON object from message key to text holding both sets of keys ([`Catalog::parse`]). The
/// browser gets the app's set in list form ([`Catalog::to_list`], written into `dist/` by
/// the build and into the page by the server), so the wasm needs no key names. Missing keys
/// fall back to English.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Catalog<M: Texts = Msg> {
    texts: Vec<Option<String>>,
    keys: std::marker::PhantomData<M>,
}

impl<M: Texts> Catalog<M> {
    /// Reads a catalog; unknown keys are ignored, missing ones fall back to English.
    pub fn parse(json: &str) -> Result<Self, super::api::ParseError> {
        use super::json::{object, FromJson, Json};
        let shape = |message: String| super::api::ParseError::Shape { message };
        let value = Json::parse(json)?;
        let value = object(&value).map_err(shape)?;
        // Looked up key by key: no map, so no sorting code in the wasm.
        let texts = M::ALL
            .iter()
            .map(|m| match value.get(m.key()) {
                None => Ok(None),
                Some(text) => String::from_json(text)
                    .map(Some)
                    .map_err(|e| format!("{}: {e}", m.key())),
            })
            .collect::<Result<_, _>>()
            .map_err(shape)?;
        Ok(Catalog {
            texts,
            keys: std::marker::PhantomData,
        })
    }

    /// The catalog in list form: `[<M::KEYS>, text, ...]`, the texts in key order, `null`
    /// where the catalog lacks one. A list, not an object: an app from before this form
    /// refuses it (it reads catalogs as objects) instead of taking it for an empty catalog.
    pub fn to_list(&self) -> String {
        let mut out = format!("[{}", M::KEYS);
        for text in &self.texts {
            out.push(',');
            match text {
                Some(text) => super::json::write_str(&mut out, text),
                None => out.push_str("null"),
            }
        }
        out.push(']');
        out
    }

    /// Reads a catalog in list form; one written for another list of keys (another version
    /// of the app) is refused rather than read into the wrong places.
    pub fn from_list(json: &str) -> Result<Self, super::api::ParseError> {
        use super::json::{FromJson, Json};
        let shape = |message: &str| super::api::ParseError::Shape {
            message: message.to_owned(),
        };
        let Json::Arr(items) = Json::parse(json)? else {
            return Err(shape("expected a list"));
        };
        let Some((keys, texts)) = items.split_first() else {
            return Err(shape("expected a list"));
        };
        if u64::from_json(keys).ok() != Some(M::KEYS) || texts.len() != M::ALL.len() {
            return Err(shape("texts for another version of the app"));
        }
        let texts = texts
            .iter()
            .map(Option::<String>::from_json)
            .collect::<Result<_, _>>()
            .map_err(|e| shape(&e))?;
        Ok(Catalog {
            texts,
            keys: std::marker::PhantomData,
        })
    }

    /// The text of a message, if the catalog has it.
    pub fn get(&self, msg: M) -> Option<&str> {
        self.texts.get(msg.index())?.as_deref()
    }

    /// The text of a message, in English when the catalog lacks it.
    pub fn text(&self, msg: M) -> &str {
        self.get(msg).unwrap_or(msg.en())
    }

    /// Keys the catalog lacks.
    pub fn missing(&self) -> Vec<&'static str> {
        M::ALL
            .iter()
            .filter(|m| self.get(**m).is_none())
            .map(|m| m.key())
            .collect()
    }
}

#[cfg(test)]
mod catalog_tests {
    use super::*;
    use crate::core::text::{all_texts, key_list_fingerprint, PageMsg};

    /// The `{name}` placeholders of a text, sorted.
    fn placeholders(text: &str) -> Vec<&str> {
        let mut found: Vec<&str> = text
            .match_indices('{')
            .filter_map(|(i, _)| text[i..].find('}').map(|j| &text[i..i + j + 1]))
            .collect();
        found.sort_unstable();
        found
    }

    #[test]
    fn every_language_has_every_key_and_the_same_placeholders() {
        for lang in [Lang::FrCa, Lang::EsMx] {
            let path = format!("{}/locales/{}.json", env!("CARGO_MANIFEST_DIR"), lang.tag());
            let json = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
            let catalog: Catalog = Catalog::parse(&json).unwrap_or_else(|e| panic!("{path}: {e}"));
            assert_eq!(catalog.missing(), Vec::<&str>::new(), "{path} lacks keys");
            let pages: Catalog<PageMsg> =
                Catalog::parse(&json).unwrap_or_else(|e| panic!("{path}: {e}"));
            assert_eq!(
                pages.missing(),
                Vec::<&str>::new(),
                "{path} lacks page keys"
            );
            let crate::core::json::Json::Obj(fields) =
                crate::core::json::Json::parse(&json).unwrap()
            else {
                panic!("{path} is not an object");
            };
            for (key, _) in &fields {
                assert!(
                    all_texts().iter().any(|(k, _)| k == key),
                    "{path}: unknown key {key}"
                );
            }
            let translated = Msg::ALL
                .iter()
                .map(|m| (m.key(), m.en(), catalog.get(*m).unwrap()))
                .chain(
                    PageMsg::ALL
                        .iter()
                        .map(|m| (m.key(), m.en(), pages.get(*m).unwrap())),
                );
            for (key, en, text) in translated {
                assert!(!text.trim().is_empty(), "{path}: {key} is empty");
                assert_eq!(placeholders(text), placeholders(en), "{path}: {key}");
            }
        }
    }

    #[test]
    fn the_language_cookie_names_the_tag_and_reads_back() {
        for lang in Lang::ALL {
            let set = lang.cookie();
            assert!(set.starts_with(&format!("{}={};", Lang::COOKIE, lang.tag())));
            assert_eq!(
                Lang::from_cookies(set.split(';').next().unwrap()),
                Some(lang)
            );
            let among = format!("a=1; {}; b=2", set.split(';').next().unwrap());
            assert_eq!(Lang::from_cookies(&among), Some(lang));
        }
        assert_eq!(Lang::from_cookies(""), None);
        assert_eq!(Lang::from_cookies("kyc_lang=de"), None);
        assert_eq!(Lang::from_cookies("xkyc_lang=fr-CA"), None);
        assert_eq!(
            Lang::from_cookies("xkyc_lang=fr-CA; kyc_lang=es"),
            Some(Lang::EsMx)
        );
    }

    #[test]
    fn languages_are_negotiated_in_order() {
        let browser = vec!["de-DE".to_owned(), "es-US".to_owned(), "en".to_owned()];
        assert_eq!(Lang::negotiate(&[None, None, None], &browser), Lang::EsMx);
        assert_eq!(
            Lang::negotiate(&[None, Some("fr"), Some("en")], &browser),
            Lang::FrCa
        );
        assert_eq!(
            Lang::negotiate(&[Some("xx"), None, Some("en-GB")], &browser),
            Lang::En
        );
        assert_eq!(Lang::negotiate(&[], &[]), Lang::En);
        assert_eq!(Lang::negotiate(&[], &["pt-BR".to_owned()]), Lang::En);
        assert_eq!(Lang::parse("FR_ca"), Some(Lang::FrCa));
        assert_eq!(Lang::EsMx.persona_locale(), "es-MX");
    }

    #[test]
    fn a_partial_catalog_falls_back_key_by_key() {
        let c = Catalog::parse(r#"{"PrepTitle":"Avant de commencer","NotAKey":"x"}"#).unwrap();
        assert_eq!(c.get(Msg::PrepTitle), Some("Avant de commencer"));
        assert_eq!(c.get(Msg::PrepStart), None);
        assert_eq!(c.missing().len(), Msg::ALL.len() - 1);
        assert!(Catalog::<Msg>::parse("[1,2]").is_err());
        let pages = Catalog::parse(r#"{"PageScanTitle":"Balayez le code"}"#).unwrap();
        assert_eq!(pages.text(PageMsg::PageScanTitle), "Balayez le code");
        assert_eq!(
            pages.text(PageMsg::PageScanBody),
            PageMsg::PageScanBody.en()
        );
    }

    #[test]
    fn the_list_form_reads_back_as_the_same_catalog() {
        for lang in [Lang::FrCa, Lang::EsMx] {
            let path = format!("{}/locales/{}.json", env!("CARGO_MANIFEST_DIR"), lang.tag());
            let json = std::fs::read_to_string(&path).unwrap();
            let catalog: Catalog = Catalog::parse(&json).unwrap();
            assert_eq!(
                Catalog::from_list(&catalog.to_list()),
                Ok(catalog),
                "{path}"
            );
        }
        // Gaps stay gaps, and texts that need escaping come back whole.
        let partial: Catalog =
            Catalog::parse(r#"{"PrepTitle":"«Avant» \"de\" commencer\n</script>"}"#).unwrap();
        let back = Catalog::<Msg>::from_list(&partial.to_list()).unwrap();
        assert_eq!(
            back.get(Msg::PrepTitle),
            Some("«Avant» \"de\" commencer\n</script>")
        );
        assert_eq!(back.get(Msg::PrepStart), None);
    }

    #[test]
    fn a_list_for_other_keys_is_refused() {
        let french: Catalog = Catalog::parse(r#"{"PrepTitle":"Avant de commencer"}"#).unwrap();
        let list = french.to_list();
        // Another key list (keys added, removed, renamed or moved) has another fingerprint.
        assert_ne!(Msg::KEYS, PageMsg::KEYS);
        assert_ne!(
            key_list_fingerprint(&["PrepTitle", "PrepStart"]),
            key_list_fingerprint(&["PrepStart", "PrepTitle"])
        );
        assert_ne!(
            key_list_fingerprint(&["PrepTitle", "PrepStart"]),
            key_list_fingerprint(&["PrepTitlePrep", "Start"])
        );
        let other_keys = list.replacen(&Msg::KEYS.to_string(), &(Msg::KEYS ^ 1).to_string(), 1);
        assert!(Catalog::<Msg>::from_list(&other_keys).is_err());
        // The right fingerprint with a list of another length is refused too.
        let short = list.replacen(",null,", ",", 1);
        assert_ne!(short, list);
        assert!(Catalog::<Msg>::from_list(&short).is_err());
        // As is anything that is not a catalog in list form.
        let keys = Msg::KEYS;
        for bad in [
            r#"{"PrepTitle":"x"}"#.to_owned(),
            "[]".to_owned(),
            format!(r#"["{keys}"]"#),
            format!("[{keys},7{}]", ",null".repeat(Msg::ALL.len() - 1)),
            "[".to_owned(),
        ] {
            assert!(Catalog::<Msg>::from_list(&bad).is_err(), "{bad}");
        }
        assert!(Catalog::<PageMsg>::from_list(&list).is_err());
        // An app from before the list form reads catalogs as objects: it refuses this one
        // rather than take it for a catalog without texts.
        assert!(Catalog::<Msg>::parse(&list).is_err());
    }

    #[test]
    fn a_catalog_text_that_is_not_a_string_is_an_error_naming_its_key() {
        let err = Catalog::<Msg>::parse(r#"{"PrepTitle":7}"#).unwrap_err();
        assert!(err.to_string().contains("PrepTitle"), "{err}");
        // Values under keys the app does not know are not read at all.
        assert!(Catalog::<Msg>::parse(r#"{"NotAKey":7}"#).is_ok());
    }
}
