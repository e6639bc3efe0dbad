//! Something failed that the customer did not cause: what happened and what to do.

use leptos::prelude::*;

use super::{t, ActionButton, Heading};
use crate::core::flow::{Problem, UserAction};
use crate::core::text::Msg;

/// The problem screens (network, server, Persona, SDK, unknown account state).
#[component]
pub fn ProblemScreen(
    /// What went wrong.
    problem: Problem,
) -> impl IntoView {
    let body = match &problem {
        Problem::Server { status } => t(problem.body()).replace("{status}", &status.to_string()),
        _ => t(problem.body()).to_owned(),
    };
    // After an error inside Persona's window the button says it carries on where the
    // customer stopped; Persona that never opened is simply tried again.
    let action = if problem.resumes_persona() {
        UserAction::Resume
    } else {
        UserAction::Retry
    };
    let label = match problem {
        Problem::Persona(_) => Msg::Resume,
        _ => Msg::TryAgain,
    };
    view! {
        <section class="screen outcome">
            <Heading text=t(problem.title()) />
            <p class="lead">{body}</p>
            {if problem.retryable() {
                // The server's error says to contact support if it keeps happening: say how.
                let support = matches!(problem, Problem::Server { .. });
                // Persona's screens that do not load here (a blocker, a network that filters
                // them, an in-app browser) may load on another device or in another browser:
                // the device notices say what is in the way, and the phone is one tap away.
                let elsewhere = problem == Problem::PersonaUnavailable;
                view! {
                    {elsewhere.then(|| view! { <super::DeviceCheck /> })}
                    <div class="actions">
                        <ActionButton action=action label=label />
                        {elsewhere.then(|| view! { <super::HandoffButton /> })}
                    </div>
                    {support.then(|| view! { <super::SupportContact /> })}
                }
                .into_any()
            } else {
                // Nothing to try here: support, and the way back to the integrator's app.
                view! {
                    <super::SupportContact />
                    <super::ReturnLink secondary=true />
                }
                .into_any()
            }}
        </section>
    }
}
