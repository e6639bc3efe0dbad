//! Did not pass, may try again: the reasons in plain words and the tips that address them.

use leptos::prelude::*;

use super::{t, ActionButton, HandoffButton, Heading, ReasonList, TipGroupView};
use crate::core::flow::{Screen, UserAction};
use crate::core::text::Msg;
use crate::core::tips::TipGroup;

/// "Let's try that again".
#[component]
pub fn RetryScreen() -> impl IntoView {
    let page = expect_context::<super::Page>();
    let (codes, tips) = match page.screen.get_untracked() {
        Screen::Retry { reasons, tips } => (reasons, tips),
        _ => (Vec::new(), Vec::new()),
    };
    // A phone number or email on file that failed its check is fixed by support, not by
    // trying again: say how to reach them.
    let support = tips.contains(&TipGroup::ContactDetails);
    view! {
        <section class="screen outcome">
            <Heading text=t(Msg::RetryTitle) />
            <p class="lead">{t(Msg::RetryBody)}</p>
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
            {support.then(|| view! { <super::SupportContact /> })}
        </section>
    }
}
