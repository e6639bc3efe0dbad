//! Ran out of time: start a new verification.

use leptos::prelude::*;

use super::{t, ActionButton, HandoffButton, Heading};
use crate::core::flow::UserAction;
use crate::core::text::Msg;

/// "Your verification expired".
#[component]
pub fn ExpiredScreen() -> impl IntoView {
    view! {
        <section class="screen outcome">
            <Heading text=t(Msg::ExpiredTitle) />
            <p class="lead">{t(Msg::ExpiredBody)}</p>
            <div class="actions">
                <ActionButton action=UserAction::Start label=Msg::StartAgain />
                <HandoffButton />
            </div>
        </section>
    }
}
