//! Left part-way: continue with a new session, or read the tips again first.

use leptos::prelude::*;

use super::{t, ActionButton, DeviceCheck, HandoffButton, Heading, TipGroupView};
use crate::core::flow::{Screen, UserAction};
use crate::core::text::Msg;
use crate::core::tips::TipGroup;

/// Formats a time in the page's language and the customer's time zone, to the minute, with
/// the zone's name ("Nov 24, 2026, 6:09 PM EST"; "24 nov. 2026, 18 h 09 HNE").
fn local_time(ms: i64, lang: &str) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    let options = js_sys::Object::new();
    for (key, value) in [
        ("year", "numeric"),
        ("month", "short"),
        ("day", "numeric"),
        ("hour", "numeric"),
        ("minute", "2-digit"),
        ("timeZoneName", "short"),
    ] {
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    }
    date.to_locale_string(lang, &options)
        .as_string()
        .unwrap_or_default()
}

/// "Your verification is saved", or, when compliance asks for a document during a review,
/// "One more document" with the tips for it.
#[component]
pub fn PausedScreen() -> impl IntoView {
    let page = expect_context::<super::Page>();
    let i18n = use_context::<super::I18n>();
    let documents = matches!(
        page.screen.get_untracked(),
        Screen::Paused {
            documents: true,
            ..
        }
    );
    let until = move || match page.screen.get() {
        Screen::Paused {
            resumable_until: Some(ms),
            ..
        } => {
            let lang = i18n.map_or("en", |i18n| i18n.lang().tag());
            Some(t(Msg::PausedUntil).replace("{time}", &local_time(ms, lang)))
        }
        _ => None,
    };
    let (title, body) = if documents {
        (Msg::DocumentsRequestedTitle, Msg::DocumentsRequestedBody)
    } else {
        (Msg::PausedTitle, Msg::PausedBody)
    };
    view! {
        <section class="screen">
            <Heading text=t(title) />
            <p>{t(body)}</p>
            {move || until().map(|text| view! { <p class="muted">{text}</p> })}
            // A camera refused in Persona's window shows here, with how to allow it again.
            <DeviceCheck />
            {documents
                .then(|| {
                    view! {
                        <div class="tips">
                            <TipGroupView group=TipGroup::Documents open=true />
                        </div>
                    }
                })}
            <div class="actions">
                <ActionButton
                    action=UserAction::Resume
                    label=if documents { Msg::SendDocument } else { Msg::Resume }
                />
                {(!documents)
                    .then(|| {
                        view! {
                            <ActionButton
                                action=UserAction::StartOver
                                label=Msg::ReadTipsAgain
                                secondary=true
                            />
                        }
                    })}
                <HandoffButton />
            </div>
        </section>
    }
}
