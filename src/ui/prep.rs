//! "Before you start": what is needed, device checks, tips, and the start button.

use leptos::prelude::*;

use super::{t, ActionButton, DeviceCheck, HandoffButton, Heading, TipGroupView};
use crate::core::device::DeviceNotice;
use crate::core::flow::UserAction;
use crate::core::text::Msg;

/// The first screen of a verification. Loads Persona's SDK in the background meanwhile.
#[component]
pub fn PrepScreen() -> impl IntoView {
    let page = expect_context::<super::Page>();
    page.preload.run(());
    // The next screens' code, while the customer reads.
    super::later::prefetch();
    // Inside another app the camera usually fails: the notice's link is the way on, and
    // starting here anyway is not the main button.
    let in_app = super::device_found(|notices| {
        notices
            .iter()
            .any(|n| matches!(n, DeviceNotice::InAppBrowser(_)))
    });
    let needs = [
        Msg::PrepNeedId,
        Msg::PrepNeedName,
        Msg::PrepNeedPhone,
        Msg::PrepNeedTime,
    ];
    view! {
        <section class="screen prep">
            <Heading text=t(Msg::PrepTitle) />
            <p class="lead">{t(Msg::PrepIntro)}</p>
            <h2>{t(Msg::PrepNeedTitle)}</h2>
            <ul class="needs">
                {needs.into_iter().map(|m| view! { <li>{t(m)}</li> }).collect_view()}
            </ul>
            <DeviceCheck />
            <h2>{t(Msg::PrepTipsTitle)}</h2>
            <div class="tips">
                {page
                    .settings
                    .with_untracked(|s| s.branding.prep_tips())
                    .into_iter()
                    .map(|group| view! { <TipGroupView group=group open=false /> })
                    .collect_view()}
            </div>
            <div class="actions">
                <ActionButton action=UserAction::Start label=Msg::PrepStart secondary=in_app />
                <HandoffButton />
                <button
                    type="button"
                    class="button secondary"
                    on:click=move |_| page.rehearsing.set(true)
                >
                    {t(Msg::CamCheck)}
                </button>
            </div>
            <p class="small muted">{t(Msg::PrepPrivacy)}</p>
        </section>
    }
}
