//! The integrator's brand: name, logo, colours, corner radius, font, support contact and
//! which tip groups to show. Served by the backend with the session; checked when the
//! server starts, so a colour pair below WCAG AA never reaches a customer.

use super::json::json_struct;

use super::tips::TipGroup;

json_struct! {
    /// What an integrator may set. Everything is optional: the app's own look is the default.
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    pub struct Branding where null = default {
        /// Shown in the header next to the logo.
        pub name: Option<String> = omitted_if_empty,
        /// An https URL or a path on this origin.
        pub logo_url: Option<String> = omitted_if_empty,
        /// Buttons and links, light scheme (`#rrggbb`).
        pub primary: Option<String> = omitted_if_empty,
        /// Text on primary buttons, light scheme.
        pub on_primary: Option<String> = omitted_if_empty,
        /// Buttons and links, dark scheme.
        pub primary_dark: Option<String> = omitted_if_empty,
        /// Text on primary buttons, dark scheme.
        pub on_primary_dark: Option<String> = omitted_if_empty,
        /// Corner radius of buttons and cards, in pixels.
        pub radius_px: Option<u8> = omitted_if_empty,
        /// A CSS font-family list, e.g. `Inter, system-ui, sans-serif`.
        pub font: Option<String> = omitted_if_empty,
        /// Where the rejected and contact-support screens send the customer.
        pub support_url: Option<String> = omitted_if_empty,
        /// The support link's text (for example a phone number or "Message us").
        pub support_text: Option<String> = omitted_if_empty,
        /// Where the customer goes back to once there is nothing left to do here (verified,
        /// under review, only support can help): an https URL, a path, or the integrator's own
        /// app link (`acmebank://kyc-done`).
        pub return_url: Option<String> = omitted_if_empty,
        /// The tip groups of the prep screen, in order (ids such as `id-photo`); all when unset.
        pub tip_groups: Option<Vec<String>> = omitted_if_empty,
    }
}

/// An app's own link (`acmebank://kyc-done`): a scheme of its own, never one a browser runs
/// or reads locally, nor plain http.
fn is_app_link(url: &str) -> bool {
    let Some((scheme, rest)) = url.split_once("://") else {
        return false;
    };
    let own = scheme
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_lowercase())
        && scheme
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"+.-".contains(&b));
    let browser = [
        "http",
        "https",
        "javascript",
        "data",
        "vbscript",
        "file",
        "blob",
        "about",
        "filesystem",
    ];
    own && !browser.contains(&scheme) && !rest.is_empty()
}

/// The page's background colours, which the primary colour must stand out against.
const LIGHT_SURFACE: Rgb = Rgb(0xff, 0xff, 0xff);
const DARK_SURFACE: Rgb = Rgb(0x12, 0x14, 0x1a);
/// WCAG AA for normal text.
pub const AA: f64 = 4.5;

/// A colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// Reads `#rrggbb` (or `#rgb`).
    pub fn parse(text: &str) -> Option<Rgb> {
        let hex = text.trim().strip_prefix('#')?;
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let channel = |s: &str| u8::from_str_radix(s, 16).ok();
        match hex.len() {
            6 => Some(Rgb(
                channel(&hex[0..2])?,
                channel(&hex[2..4])?,
                channel(&hex[4..6])?,
            )),
            3 => {
                let d = |i: usize| channel(&hex[i..i + 1]).map(|v| v * 17);
                Some(Rgb(d(0)?, d(1)?, d(2)?))
            }
            _ => None,
        }
    }

    /// Relative luminance as WCAG 2 defines it.
    pub fn luminance(self) -> f64 {
        let linear = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.039_28 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * linear(self.0) + 0.7152 * linear(self.1) + 0.0722 * linear(self.2)
    }

    /// The WCAG contrast ratio between two colours (1 to 21).
    pub fn contrast(self, other: Rgb) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        let (hi, lo) = if a > b { (a, b) } else { (b, a) };
        (hi + 0.05) / (lo + 0.05)
    }
}

fn colour(name: &str, value: &Option<String>) -> Result<Option<Rgb>, String> {
    match value {
        None => Ok(None),
        Some(text) => Rgb::parse(text)
            .map(Some)
            .ok_or_else(|| format!("{name} must be a colour like #1f4fd1, got `{text}`")),
    }
}

fn pair(what: &str, a: Rgb, b: Rgb) -> Result<(), String> {
    let ratio = a.contrast(b);
    if ratio < AA {
        Err(format!(
            "{what} have a contrast of {ratio:.2}:1, below the 4.5:1 that WCAG AA asks for"
        ))
    } else {
        Ok(())
    }
}

impl Branding {
    /// Checks the settings: colours that parse and pass AA against each other and the page,
    /// a font list without CSS syntax, https (or same-origin) URLs, known tip groups.
    pub fn validate(&self) -> Result<(), String> {
        let primary = colour("primary", &self.primary)?;
        let on_primary = colour("on_primary", &self.on_primary)?;
        let primary_dark = colour("primary_dark", &self.primary_dark)?;
        let on_primary_dark = colour("on_primary_dark", &self.on_primary_dark)?;
        if let Some(p) = primary {
            pair("the primary colour and the white page", p, LIGHT_SURFACE)?;
            pair(
                "the primary colour and its text",
                p,
                on_primary.unwrap_or(LIGHT_SURFACE),
            )?;
        }
        if on_primary.is_some() && primary.is_none() {
            return Err("on_primary needs primary".to_owned());
        }
        if let Some(p) = primary_dark {
            pair("the dark primary colour and the dark page", p, DARK_SURFACE)?;
            pair(
                "the dark primary colour and its text",
                p,
                on_primary_dark.unwrap_or(DARK_SURFACE),
            )?;
        }
        if let Some(font) = &self.font {
            let ok = !font.is_empty()
                && font.len() <= 200
                && font
                    .chars()
                    .all(|c| c.is_alphanumeric() || " ,-'\"".contains(c));
            if !ok {
                return Err(format!(
                    "font must be a plain font-family list, got `{font}`"
                ));
            }
        }
        for (name, url) in [
            ("logo_url", &self.logo_url),
            ("support_url", &self.support_url),
            ("return_url", &self.return_url),
        ] {
            if let Some(url) = url {
                let ok = url.starts_with("https://")
                    || (url.starts_with('/') && !url.starts_with("//"))
                    || (name == "support_url"
                        && (url.starts_with("mailto:") || url.starts_with("tel:")))
                    || (name == "return_url" && is_app_link(url));
                if !ok
                    || url
                        .chars()
                        .any(|c| c.is_whitespace() || c == '"' || c == '<')
                {
                    return Err(format!(
                        "{name} must be an https URL or a path, got `{url}`"
                    ));
                }
            }
        }
        if let Some(groups) = &self.tip_groups {
            for id in groups {
                if !TipGroup::PREP.iter().any(|g| g.id() == id) {
                    return Err(format!("unknown tip group `{id}`"));
                }
            }
        }
        Ok(())
    }

    /// The link back to the integrator, with its label: "Back to {name}" when the brand has
    /// a name.
    pub fn return_link(&self) -> Option<(&str, Option<&str>)> {
        let url = self.return_url.as_deref()?;
        Some((url, self.name.as_deref()))
    }

    /// The prep screen's tip groups.
    pub fn prep_tips(&self) -> Vec<TipGroup> {
        match &self.tip_groups {
            Some(ids) => ids.iter().filter_map(|id| TipGroup::from_id(id)).collect(),
            None => TipGroup::PREP.to_vec(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_ratios_match_wcag() {
        assert!((Rgb(0, 0, 0).contrast(Rgb(255, 255, 255)) - 21.0).abs() < 1e-9);
        assert!((Rgb::parse("#777").unwrap().contrast(LIGHT_SURFACE) - 4.48).abs() < 0.01);
        assert_eq!(Rgb::parse("#1f4fd1"), Some(Rgb(0x1f, 0x4f, 0xd1)));
        assert_eq!(Rgb::parse("1f4fd1"), None);
        assert_eq!(Rgb::parse("#12345"), None);
        assert_eq!(Rgb::parse("#gggggg"), None);
    }

    #[test]
    fn the_default_palette_passes() {
        let app = Branding {
            primary: Some("#1f4fd1".into()),
            on_primary: Some("#ffffff".into()),
            primary_dark: Some("#8fb0ff".into()),
            on_primary_dark: Some("#0b1020".into()),
            ..Branding::default()
        };
        assert_eq!(app.validate(), Ok(()));
        assert_eq!(Branding::default().validate(), Ok(()));
    }

    #[test]
    fn pairs_below_aa_are_refused_with_a_clear_message() {
        let pale = Branding {
            primary: Some("#7fb2ff".into()),
            ..Branding::default()
        };
        let err = pale.validate().unwrap_err();
        assert!(err.contains("below the 4.5:1"), "{err}");
        let clash = Branding {
            primary: Some("#1f4fd1".into()),
            on_primary: Some("#2050d0".into()),
            ..Branding::default()
        };
        assert!(clash.validate().unwrap_err().contains("its text"));
        let dark = Branding {
            primary_dark: Some("#202a40".into()),
            ..Branding::default()
        };
        assert!(dark.validate().unwrap_err().contains("dark page"));
    }

    #[test]
    fn fonts_urls_and_tip_groups_are_checked() {
        let bad = |b: Branding| b.validate().is_err();
        assert!(bad(Branding {
            font: Some("x; background: url(evil)".into()),
            ..Default::default()
        }));
        assert!(bad(Branding {
            logo_url: Some("http://example.com/logo.png".into()),
            ..Default::default()
        }));
        assert!(bad(Branding {
            logo_url: Some("//evil.example/x.png".into()),
            ..Default::default()
        }));
        assert!(bad(Branding {
            support_url: Some("javascript:alert(1)".into()),
            ..Default::default()
        }));
        assert!(bad(Branding {
            tip_groups: Some(vec!["nope".into()]),
            ..Default::default()
        }));
        for url in [
            "javascript://alert(1)",
            "javascript:alert(1)",
            "http://bank.example/done",
            "data://x",
            "file:///etc/passwd",
            "mailto:help@example.com",
            "//evil.example/",
            "Acme://done",
            "acme://",
            "https://bank.example/done\"><script>",
        ] {
            assert!(
                bad(Branding {
                    return_url: Some(url.into()),
                    ..Default::default()
                }),
                "{url}"
            );
        }
        for url in [
            "https://bank.example/kyc-done",
            "/done",
            "acmebank://kyc/done",
        ] {
            let ok = Branding {
                return_url: Some(url.into()),
                ..Default::default()
            };
            assert_eq!(ok.validate(), Ok(()), "{url}");
        }
        let good = Branding {
            font: Some("Inter, \"Segoe UI\", sans-serif".into()),
            logo_url: Some("https://cdn.example/logo.svg".into()),
            support_url: Some("mailto:help@example.com".into()),
            tip_groups: Some(vec!["selfie".into(), "id-photo".into()]),
            ..Default::default()
        };
        assert_eq!(good.validate(), Ok(()));
        assert_eq!(good.prep_tips(), [TipGroup::Selfie, TipGroup::IdPhoto]);
    }
}
