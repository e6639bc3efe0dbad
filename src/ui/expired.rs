//! A verification that cannot be carried on: out of time, an expired ID, or a verification
//! to renew. Start a new one, with the accepted-ID tips where a valid ID is the answer.

use leptos::prelude::*;

use super::{t, ActionButton, HandoffButton, Heading, TipGroupView};
use crate::core::flow::{ExpiryCause, UserAction};
use crate::core::text::Msg;
use crate::core::tips::TipGroup;

/// "Your verification expired", said as the platform's data tells it.
#[component]
pub fn ExpiredScreen(
    /// Why a new verification is needed.
    cause: ExpiryCause,
) -> impl IntoView {
    let (body, label) = match cause {
        ExpiryCause::TimeRanOut => (Msg::ExpiredBody, Msg::StartAgain),
        ExpiryCause::IdExpired => (Msg::ExpiredIdBody, Msg::StartAgain),
        ExpiryCause::Unclear => (Msg::ExpiredUnclearBody, Msg::StartAgain),
        ExpiryCause::Renewal => (Msg::RenewBody, Msg::PrepStart),
    };
    view! {
        <section class="screen outcome">
            <Heading text=t(Msg::ExpiredTitle) />
            <p class="lead">{t(body)}</p>
            {cause
                .needs_valid_id()
                .then(|| {
                    view! {
                        <div class="tips">
                            <TipGroupView group=TipGroup::AcceptedIds open=true />
                        </div>
                    }
                })}
            <div class="actions">
                <ActionButton action=UserAction::Start label=label />
                <HandoffButton />
            </div>
        </section>
    }
}
