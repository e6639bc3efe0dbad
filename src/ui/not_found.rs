//! An address that leads nowhere.

use leptos::prelude::*;

use super::{t, Heading};
use crate::core::text::Msg;

/// "Page not found", with a way back. Nothing from the address is shown.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="screen">
            <Heading text=t(Msg::NotFoundTitle) />
            <p>{t(Msg::NotFoundBody)}</p>
            <div class="actions">
                <a class="button primary" href="/">{t(Msg::GoToStart)}</a>
            </div>
        </section>
    }
}
