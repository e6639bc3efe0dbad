//! A business customer's screens (KYB, second wasm module): "Before you start" with what
//! the person needs at hand about the business and its owners, and [`said`], which gives a
//! later screen's text in a business's words.

use leptos::prelude::*;

use super::illustrations::Illustration;
use super::{t, ActionButton, DeviceCheck, HandoffButton, Heading, TipGroupView};
use crate::core::business::{for_business, timing_tips, BUSINESS_NEEDS, OWNER_NEEDS};
use crate::core::device::DeviceNotice;
use crate::core::flow::UserAction;
use crate::core::text::Msg;
use crate::core::tips::TipGroup;

/// The text of `msg` for this customer: a business reads its own words where a person reads
/// about their ID, their selfie or themselves.
pub fn said(msg: Msg) -> &'static str {
    let business = use_context::<super::Page>().is_some_and(|p| p.business.get_untracked());
    t(if business { for_business(msg) } else { msg })
}

/// "Before you start" for a business: what to have at hand, the device check, the device
/// and timing tips, start and hand off to a phone. (No camera check: it rehearses an ID and
/// a selfie, which a business's registration does not ask of this person.)
#[component]
pub fn BusinessPrepScreen() -> impl IntoView {
    let page = expect_context::<super::Page>();
    page.preload.run(());
    // Inside another app the camera usually fails: the notice's link is the way on.
    let in_app = super::device_found(|notices| {
        notices
            .iter()
            .any(|n| matches!(n, DeviceNotice::InAppBrowser(_)))
    });
    let list = |msgs: &[Msg]| {
        msgs.iter()
            .map(|m| view! { <li>{t(*m)}</li> })
            .collect_view()
    };
    view! {
        <section class="screen prep" data-testid="business-prep">
            <Heading text=t(Msg::PrepTitle) />
            <p class="lead">{t(Msg::BizPrepIntro)}</p>
            <h2>{t(Msg::BizNeedTitle)}</h2>
            <ul class="needs">{list(&BUSINESS_NEEDS)}</ul>
            <h2>{t(Msg::BizOwnersTitle)}</h2>
            <ul class="needs">{list(&OWNER_NEEDS)}</ul>
            <DeviceCheck />
            <h2>{t(Msg::PrepTipsTitle)}</h2>
            <div class="tips">
                <TipGroupView group=TipGroup::Device open=false />
                <details class="tip-group" data-group="business-timing">
                    <summary>
                        <Illustration group=TipGroup::Session />
                        <span class="tip-text">
                            <span class="tip-title">{t(Msg::TipsSessionTitle)}</span>
                            <span class="tip-summary">{t(Msg::BizTimingSummary)}</span>
                        </span>
                    </summary>
                    <ul>
                        {timing_tips(super::on_phone())
                            .map(|m| view! { <li>{t(m)}</li> })
                            .collect_view()}
                    </ul>
                </details>
            </div>
            <div class="actions">
                <ActionButton action=UserAction::Start label=Msg::PrepStart secondary=in_app />
                <HandoffButton />
            </div>
            <p class="small muted">{said(Msg::PrepPrivacy)}</p>
        </section>
    }
}
