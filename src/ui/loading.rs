//! First screen while the app finds out where the customer stands.

use leptos::prelude::*;

use super::{t, Heading};
use crate::core::text::Msg;

/// "Getting things ready".
#[component]
pub fn LoadingScreen() -> impl IntoView {
    view! {
        <section class="screen">
            <Heading text=t(Msg::LoadingTitle) />
            <p class="status" role="status">
                <span class="spinner" aria-hidden="true"></span>
                {t(Msg::LoadingBody)}
            </p>
        </section>
    }
}
