//! Did not pass, may try again: the reasons in plain words and the tips that address them.

use leptos::prelude::*;

use super::{t, ActionButton, HandoffButton, Heading, ReasonList, TipGroupView};
use crate::core::failure::{FailureCategory, FailureCode};
use crate::core::flow::{Screen, UserAction};
use crate::core::text::Msg;
use crate::core::tips::TipGroup;

/// "Let's try that again".
#[component]
pub fn RetryScreen() -> impl IntoView {
    let page = expect_context::<super::Page>();
    let (mut codes, tips) = match page.screen.get_untracked() {
        Screen::Retry { reasons, tips } => (reasons, tips),
        _ => (Vec::new(), Vec::new()),
    };
    // A review that ended without approval, the customer still free to try (seed 000: the
    // customer's state says so): said as such, without the neutral "needs a closer look"
    // that only fits while the review goes on.
    let after_review = codes
        .iter()
        .any(|c| c.category() == FailureCategory::ComplianceReview);
    codes.retain(FailureCode::explains_review);
    // A phone number or email that failed its check: trying again needs nobody (seed 001);
    // support is only the way to correct a detail on file.
    let support = tips.contains(&TipGroup::ContactDetails);
    view! {
        <section class="screen outcome">
            <Heading text=t(Msg::RetryTitle) />
            <p class="lead">{t(Msg::RetryBody)}</p>
            {after_review.then(|| view! { <p>{t(Msg::RetryAfterReview)}</p> })}
            {(!codes.is_empty())
                .then(|| {
                    view! {
                        <h2>{t(Msg::RetryReasonsTitle)}</h2>
                        <ReasonList codes=codes />
                    }
                })}
            <h2>{t(Msg::RetryTipsTitle)}</h2>
            <div class="tips">
                {tips
                    .into_iter()
                    .enumerate()
                    .map(|(i, group)| view! { <TipGroupView group=group open=i == 0 /> })
                    .collect_view()}
            </div>
            <div class="actions">
                <ActionButton action=UserAction::Start label=Msg::TryAgain />
                <HandoffButton />
            </div>
            {(support || after_review)
                .then(|| {
                    view! {
                        <p data-testid="support-to-correct">
                            {t(if support { Msg::RetryContactFix } else { Msg::RetryDetailsFix })}
                        </p>
                        <super::SupportContact />
                    }
                })}
        </section>
    }
}
