//! Did not pass, may try again: the reasons in plain words and the tips that address them.

use leptos::prelude::*;

use super::{t, ActionButton, HandoffButton, Heading, ReasonList, RehearsalScreen, TipGroupView};
use crate::core::camera_advice::{about_the_id_photo, looking_back, LookingBack};
use crate::core::failure::{FailureCategory, FailureCode};
use crate::core::flow::{Screen, UserAction};
use crate::core::text::Msg;
use crate::core::tips::TipGroup;

/// "Let's try that again", or the camera check in its place when the customer asks for it
/// from here.
#[component]
pub fn RetryScreen(
    /// What went wrong.
    reasons: Vec<FailureCode>,
    /// Tips that address it, most relevant first.
    tips: Vec<TipGroup>,
) -> impl IntoView {
    let page = expect_context::<super::Page>();
    move || {
        if page.rehearsing.get() {
            view! { <RehearsalScreen /> }.into_any()
        } else {
            view! { <RetryAdvice codes=reasons.clone() tips=tips.clone() /> }.into_any()
        }
    }
}

/// The reasons, the tips, what the camera check found, and the ways to try again.
#[component]
fn RetryAdvice(
    /// What went wrong.
    mut codes: Vec<FailureCode>,
    /// Tips that address it.
    mut tips: Vec<TipGroup>,
) -> impl IntoView {
    let page = expect_context::<super::Page>();
    // What the camera check found follows the flow (a check made again from here).
    // A business's registration asks this person for no ID photo or selfie: neither those
    // tips nor the camera check apply.
    let business = page.business.get_untracked();
    if business {
        tips.retain(|g| {
            !matches!(
                g,
                TipGroup::AcceptedIds | TipGroup::IdPhoto | TipGroup::Selfie
            )
        });
    }
    // A review that ended without approval, the customer still free to try (seed 000: the
    // customer's state says so): said as such, without the neutral "needs a closer look"
    // that only fits while the review goes on.
    let after_review = codes
        .iter()
        .any(|c| c.category() == FailureCategory::ComplianceReview);
    // Whether the photo of the ID is what failed (before the review's codes leave the list).
    let photo = !business && about_the_id_photo(&codes);
    codes.retain(FailureCode::explains_review);
    // A phone number or email that failed its check: trying again needs nobody (seed 001);
    // support is only the way to correct a detail on file.
    let support = tips.contains(&TipGroup::ContactDetails);
    let camera = move || {
        page.screen.with(|screen| match screen {
            Screen::Retry {
                reasons, camera, ..
            } => looking_back(camera.as_ref(), reasons),
            _ => None,
        })
    };
    view! {
        <section class="screen outcome">
            <Heading text=t(Msg::RetryTitle) />
            <p class="lead">{t(Msg::RetryBody)}</p>
            {after_review.then(|| view! { <p>{super::said(Msg::RetryAfterReview)}</p> })}
            {(!codes.is_empty())
                .then(|| {
                    view! {
                        <h2>{t(Msg::RetryReasonsTitle)}</h2>
                        <ReasonList codes=codes />
                    }
                })}
            {move || camera().map(|found| view! { <CameraLookingBack found=found /> })}
            {(!tips.is_empty())
                .then(|| {
                    view! {
                        <h2>{t(Msg::RetryTipsTitle)}</h2>
                        <div class="tips">
                            {tips
                                .into_iter()
                                .enumerate()
                                .map(|(i, group)| view! { <TipGroupView group=group open=i == 0 /> })
                                .collect_view()}
                        </div>
                    }
                })}
            <div class="actions">
                <ActionButton action=UserAction::Start label=Msg::TryAgain />
                <HandoffButton />
                {photo
                    .then(|| {
                        let label = move || {
                            t(if camera().is_some() { Msg::CamBackTry } else { Msg::CamCheck })
                        };
                        view! {
                            <button
                                type="button"
                                class="button secondary"
                                on:click=move |_| page.rehearsing.set(true)
                            >
                                {label}
                            </button>
                        }
                    })}
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

/// What the customer's camera check found, said again after a failed photo of the ID.
#[component]
fn CameraLookingBack(found: LookingBack) -> impl IntoView {
    let body = match found {
        LookingBack::IdFine => view! { <p>{t(Msg::CamBackFine)}</p> }.into_any(),
        LookingBack::IdToFix(advice) => view! {
            <p>{t(Msg::CamBackFix)}</p>
            <ul>
                {advice.into_iter().map(|m| view! { <li>{t(m)}</li> }).collect_view()}
            </ul>
        }
        .into_any(),
    };
    view! {
        <section class="camera-looking-back" data-camera-check="">
            <h2>{t(Msg::CamBackTitle)}</h2>
            {body}
        </section>
    }
}
