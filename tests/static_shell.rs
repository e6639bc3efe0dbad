//! The static first paint in `index.html` (shown before the wasm arrives) matches what the
//! app renders: the same hero picture, so nothing flickers when the app takes over.
#![cfg(not(target_arch = "wasm32"))]

const INDEX: &str = include_str!("../index.html");
const HERO: &str = include_str!("../src/ui/hero.svg");

#[test]
fn index_html_inlines_the_same_hero_as_the_loading_screen() {
    let wanted = format!("src=\"data:image/svg+xml;utf8,{HERO}\"");
    assert!(
        INDEX.contains(&wanted),
        "index.html's hero differs from src/ui/hero.svg; paste the file's text after \
         `data:image/svg+xml;utf8,`"
    );
}

#[test]
fn hero_is_usable_inside_a_data_url_and_an_attribute() {
    // `#` would end the URL, `%` would start an escape, `"` would end the attribute.
    for bad in ['#', '%', '"', '\n'] {
        assert!(!HERO.contains(bad), "src/ui/hero.svg contains {bad:?}");
    }
    assert!(HERO.starts_with("<svg") && HERO.ends_with("</svg>"));
}
