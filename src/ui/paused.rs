//! Left part-way: continue with a new session, or read the tips again first.

use leptos::prelude::*;

use super::{t, ActionButton, Heading};
use crate::core::flow::{Screen, UserAction};
use crate::core::text::Msg;

/// Formats a time in the customer's locale and time zone.
fn local_time(ms: i64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    date.to_locale_string("default", &wasm_bindgen::JsValue::UNDEFINED)
        .as_string()
        .unwrap_or_default()
}

/// "Pick up where you left off".
#[component]
pub fn PausedScreen() -> impl IntoView {
    let page = expect_context::<super::Page>();
    let until = move || match page.screen.get() {
        Screen::Paused {
            resumable_until: Some(ms),
        } => Some(t(Msg::PausedUntil).replace("{time}", &local_time(ms))),
        _ => None,
    };
    view! {
        <section class="screen">
            <Heading text=t(Msg::PausedTitle) />
            <p>{t(Msg::PausedBody)}</p>
            {move || until().map(|text| view! { <p class="muted">{text}</p> })}
            <div class="actions">
                <ActionButton action=UserAction::Resume label=Msg::Resume />
                <ActionButton action=UserAction::StartOver label=Msg::ReadTipsAgain secondary=true />
                <ActionButton action=UserAction::ContinueOnPhone label=Msg::ContinueOnPhone secondary=true />
            </div>
        </section>
    }
}
