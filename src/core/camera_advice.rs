//! What the customer's camera check found, told again after a failure about the photo of
//! their ID: "your light was fine, the photo was blurry" rather than the tips alone.
//!
//! The check ([`super::rehearsal`]) keeps only which checks passed; the flow carries that
//! to the retry screen ([`super::flow::Screen::Retry`]), and this decides what it means
//! for the failure at hand. Only the retry screen (second wasm module) calls it.

use super::failure::FailureCode;
use super::rehearsal::Outcome;
use super::text::Msg;
use super::tips::TipGroup;

/// What the camera check says about a failed photo of the ID.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LookingBack {
    /// Every check of the ID passed: the camera and the light were up to it, so the photo
    /// itself is what to take more care over.
    IdFine,
    /// What the check had found to fix, in words to act on.
    IdToFix(Vec<Msg>),
}

/// Whether a failure is about the photo of the ID: a code whose advice is how to
/// photograph it, or no code at all (the general tips, which start with that).
pub fn about_the_id_photo(reasons: &[FailureCode]) -> bool {
    reasons.is_empty()
        || reasons
            .iter()
            .any(|code| code.info().tips.contains(&TipGroup::IdPhoto))
}

/// What the camera check (if the customer made one that reached the ID) says about a
/// failure with `reasons`; `None` when it has nothing to say about it.
pub fn looking_back(camera: Option<&Outcome>, reasons: &[FailureCode]) -> Option<LookingBack> {
    let id = camera?.id;
    if !about_the_id_photo(reasons) {
        return None;
    }
    let found = [
        (id.light, Msg::CamDark),
        (id.sharpness, Msg::CamBlurry),
        (id.glare, Msg::CamGlare),
        (id.resolution, Msg::CamBackSmall),
    ];
    if found.iter().all(|(passed, _)| passed.is_none()) {
        return None;
    }
    let to_fix: Vec<Msg> = found
        .into_iter()
        .filter(|(passed, _)| *passed == Some(false))
        .map(|(_, advice)| advice)
        .collect();
    Some(if to_fix.is_empty() {
        LookingBack::IdFine
    } else {
        LookingBack::IdToFix(to_fix)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::api::parse;
    use crate::core::rehearsal::Checks;

    /// A code by its name in the documents.
    fn code(name: &str) -> FailureCode {
        parse(&format!("\"{name}\"")).unwrap()
    }

    fn checked(id: Checks) -> Outcome {
        Outcome {
            finished: true,
            id,
            selfie: Checks::default(),
        }
    }

    const ALL_PASSED: Checks = Checks {
        light: Some(true),
        sharpness: Some(true),
        glare: Some(true),
        resolution: Some(true),
    };

    #[test]
    fn a_good_check_says_the_camera_was_up_to_it() {
        // Seed 001: id_quality_check_failure is an ID that could not be verified because
        // of the image quality.
        let fine = checked(ALL_PASSED);
        assert_eq!(
            looking_back(Some(&fine), &[code("id_quality_check_failure")]),
            Some(LookingBack::IdFine)
        );
    }

    #[test]
    fn what_failed_in_the_check_is_said_again_with_what_to_do() {
        let dark_and_glary = checked(Checks {
            light: Some(false),
            glare: Some(false),
            ..ALL_PASSED
        });
        assert_eq!(
            looking_back(Some(&dark_and_glary), &[code("id_quality_check_failure")]),
            Some(LookingBack::IdToFix(vec![Msg::CamDark, Msg::CamGlare]))
        );
        let small = checked(Checks {
            resolution: Some(false),
            ..ALL_PASSED
        });
        assert_eq!(
            looking_back(Some(&small), &[]),
            Some(LookingBack::IdToFix(vec![Msg::CamBackSmall])),
            "no code named: the general advice starts with the ID's photo"
        );
    }

    #[test]
    fn nothing_is_said_without_a_check_of_the_id_or_for_other_failures() {
        let blurry = code("id_quality_check_failure");
        assert_eq!(
            looking_back(None, std::slice::from_ref(&blurry)),
            None,
            "no check"
        );
        let selfie_only = Outcome {
            finished: false,
            id: Checks::default(),
            selfie: ALL_PASSED,
        };
        assert_eq!(looking_back(Some(&selfie_only), &[blurry]), None);
        // Seed 001: phone and email checks verify the person's phone number and email.
        let fine = checked(ALL_PASSED);
        for name in ["phone_number_check_failure", "email_address_check_failure"] {
            assert_eq!(looking_back(Some(&fine), &[code(name)]), None, "{name}");
        }
    }
}
