//! The camera check's findings travel with the flow to the retry screen, whose advice refers
//! back to them (issue: "your light was fine, the ID photo was blurry").

use super::*;
use crate::core::rehearsal::{Checks, Outcome};

/// A check that found the ID's light too dim and everything else fine.
fn dim_light() -> Outcome {
    Outcome {
        finished: true,
        id: Checks {
            light: Some(false),
            sharpness: Some(true),
            glare: Some(true),
            resolution: Some(true),
        },
        selfie: Checks::default(),
    }
}

/// Persona finished with an ID photo it could not read (seed 001: image quality).
fn blurry_photo(h: &mut Harness) -> Vec<Effect> {
    h.send(Event::User(UserAction::Start));
    h.send(Answer::VerificationsListed(vec![]));
    h.send(Answer::VerificationCreated(verification("storing", None)));
    h.send(Answer::VerificationPolled(verification(
        "waiting",
        Some(INQUIRY),
    )));
    h.send(Event::PersonaReady);
    h.send(Event::PersonaCompleted {
        status: "failed".into(),
    });
    h.send(Answer::VerificationPolled(completed(
        "failed",
        &["id_quality_check_failure"],
    )));
    h.send(Answer::CustomerLoaded(customer("unverified")))
}

fn camera_on_screen(fx: &[Effect]) -> Option<Option<Outcome>> {
    fx.iter().rev().find_map(|e| match e {
        Effect::Show(Screen::Retry { camera, .. }) => Some(*camera),
        _ => None,
    })
}

#[test]
fn a_check_on_the_prep_screen_reaches_the_retry_screen() {
    let mut h = Harness::new();
    assert_eq!(h.loaded(None, vec![]), [Effect::Show(Screen::Prep)]);
    let fx = h.send(Event::User(UserAction::CameraChecked(dim_light())));
    assert!(fx.is_empty(), "nothing to show or send: {fx:?}");
    let fx = blurry_photo(&mut h);
    assert_eq!(camera_on_screen(&fx), Some(Some(dim_light())));
}

#[test]
fn without_a_check_the_retry_screen_has_none_and_a_later_check_updates_it() {
    let mut h = Harness::new();
    h.loaded(None, vec![]);
    let fx = blurry_photo(&mut h);
    assert_eq!(camera_on_screen(&fx), Some(None));
    // Checked from the retry screen: the screen's advice follows at once.
    let fx = h.send(Event::User(UserAction::CameraChecked(dim_light())));
    assert_eq!(camera_on_screen(&fx), Some(Some(dim_light())));
}

#[test]
fn a_check_left_before_it_measured_anything_keeps_the_earlier_one() {
    let mut h = Harness::new();
    h.loaded(None, vec![]);
    h.send(Event::User(UserAction::CameraChecked(dim_light())));
    let fx = h.send(Event::User(UserAction::CameraChecked(Outcome::default())));
    assert!(fx.is_empty());
    let fx = blurry_photo(&mut h);
    assert_eq!(camera_on_screen(&fx), Some(Some(dim_light())));
}
