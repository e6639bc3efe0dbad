//! First screen while the app finds out where the customer stands.

use leptos::prelude::*;

use super::{t, Heading};
use crate::core::text::Msg;

/// The picture of an ID card and a selfie, as a data URL so it paints without a request.
/// `index.html` carries the same URL in its static first paint (a test keeps the two equal).
pub const HERO: &str = concat!("data:image/svg+xml;utf8,", include_str!("hero.svg"));

/// "Getting things ready".
#[component]
pub fn LoadingScreen() -> impl IntoView {
    view! {
        <section class="screen">
            <img class="hero" src=HERO alt="" width="320" height="160" />
            <Heading text=t(Msg::LoadingTitle) />
            <p class="status" role="status">
                <span class="spinner" aria-hidden="true"></span>
                {t(Msg::LoadingBody)}
            </p>
        </section>
    }
}
