//! The session's end: the warning before a quiet session's idle end, and the screen once
//! it is gone (sign in again where the customer came from).

use leptos::prelude::*;

use super::{t, ActionButton, Heading};
use crate::core::flow::UserAction;
use crate::core::text::Msg;

/// "Your session has ended".
#[component]
pub fn SessionEndedScreen() -> impl IntoView {
    let page = expect_context::<super::Page>();
    // The sandbox's own pages say more (the sandbox says it is one even without a session).
    let sandbox = page.settings.with_untracked(|s| s.sandbox);
    view! {
        <section class="screen outcome">
            <Heading text=t(Msg::SessionEndedTitle) />
            <p class="lead">{t(Msg::SessionEndedBody)}</p>
            <super::ReturnLink />
            <div class="actions">
                <ActionButton action=UserAction::Retry label=Msg::CheckAgain secondary=true />
            </div>
            // A button-sized link: a bare line of small text is under 24 px tall (2.5.8).
            {sandbox.then(|| view! { <p><a class="button secondary" href="/sandbox">{t(Msg::SessionEndedSandbox)}</a></p> })}
        </section>
    }
}

/// "Are you still there?": shown above the screen before a quiet session's idle end, with the
/// one press that keeps it (WCAG 2.2.1). Built by the second module: the warning comes
/// minutes after the first screen, long after that module arrived.
#[component]
pub fn SessionEndWarning() -> impl IntoView {
    view! {
        <div class="offline" role="alert">
            <p>{t(Msg::SessionEndingBanner)}</p>
            <ActionButton action=UserAction::StayHere label=Msg::StayHere />
        </div>
    }
}
