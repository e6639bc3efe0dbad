//! The screens' side of the page's language: a message's text in it ([`t`]) and the switcher.
//! The language itself (its choice, catalogs, cookie) is [`crate::language`].

use leptos::prelude::*;

use crate::core::text::{Lang, Msg};
pub use crate::language::I18n;

/// The text for a message in the page's language (English outside the app, as in tests).
pub fn t(msg: Msg) -> &'static str {
    match use_context::<I18n>() {
        Some(i18n) => i18n.text(msg),
        None if cfg!(kyc_split) => msg.first_en().unwrap_or_default(),
        None => msg.en(),
    }
}

/// The language switcher: each language named in itself.
#[component]
pub fn LanguageSwitcher() -> impl IntoView {
    let i18n = expect_context::<I18n>();
    let on_change = move |ev: leptos::ev::Event| {
        if let Some(lang) = Lang::parse(&event_target_value(&ev)) {
            i18n.pick(lang);
        }
    };
    // Rendered again in the picked language: focus stays here, then things go back to normal
    // (the screen's heading has looked at the flag already, when it was built).
    let select = NodeRef::<leptos::html::Select>::new();
    Effect::new(move |_| {
        if let Some(select) = select.get() {
            if i18n.rendering_pick() {
                let _ = select.focus();
                i18n.pick_rendered();
            }
        }
    });
    // After a failed pick the list shows the language still in use again.
    let value = move || {
        let _ = i18n.unavailable();
        i18n.lang().tag()
    };
    let failed = Memo::new(move |_| i18n.unavailable().is_some());
    view! {
        {move || {
            failed
                .get()
                .then(|| {
                    view! {
                        <p class="language-failed" role="alert">
                            {move || i18n.text(Msg::LanguageUnavailable)}
                        </p>
                    }
                })
        }}
        <label class="language">
            <span class="visually-hidden">{move || i18n.text(Msg::LanguageLabel)}</span>
            <select node_ref=select on:change=on_change prop:value=value>
                {Lang::ALL
                    .into_iter()
                    .map(|lang| {
                        view! {
                            <option value=lang.tag() lang=lang.tag()>
                                {lang.native_name()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}
