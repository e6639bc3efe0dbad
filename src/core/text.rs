//! Every customer-facing text, by key: the one place words live. Components, the failure
//! catalog and the tests all read from here.

/// Declares the message keys and their English text side by side.
macro_rules! messages {
    ($($(#[$meta:meta])* $key:ident => $en:literal,)+) => {
        /// A customer-facing text.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[allow(missing_docs)] // each key's English text is its documentation
        pub enum Msg {
            $($(#[$meta])* $key,)+
        }

        impl Msg {
            /// Every key.
            pub const ALL: &'static [Msg] = &[$(Msg::$key,)+];

            /// The key's name (stable, for catalogs exported to tests).
            pub fn key(self) -> &'static str {
                match self {
                    $(Msg::$key => stringify!($key),)+
                }
            }

            /// The English text.
            pub fn en(self) -> &'static str {
                match self {
                    $(Msg::$key => $en,)+
                }
            }
        }
    };
}

messages! {
    // Tip groups.
    TipsAcceptedIdsTitle => "Which ID to use",
    TipsAcceptedIdsSummary => "An original government photo ID that has not expired, in your legal name.",
    TipsIdPhotoTitle => "Photographing your ID",
    TipsIdPhotoSummary => "Flat, sharp, all four corners, no glare.",
    TipsSelfieTitle => "Taking your selfie",
    TipsSelfieSummary => "Face the camera in good light, nothing covering your face.",
    TipsDeviceTitle => "Your phone and browser",
    TipsDeviceSummary => "A camera you allow the page to use, and power saving turned off.",
    TipsSessionTitle => "Timing",
    TipsSessionSummary => "About three minutes, best done in one go.",
    TipsContactTitle => "Your contact details",
    TipsContactSummary => "Your phone number and email address need to be current and your own.",
    TipsDocumentsTitle => "Sending a document",
    TipsDocumentsSummary => "A recent statement or bill with your full name and current address.",

    // Which ID to use.
    TipIdDriversLicense => "Driver's license (you will photograph the front and the back)",
    TipIdPassport => "Passport",
    TipIdPassportCard => "Passport card",
    TipIdVisa => "Visa",
    TipIdResidenceCard => "Residence card",
    TipIdUnexpired => "It must still be valid: an expired ID will not pass.",
    TipIdNameMatches => "The name on it must be the legal name on your account.",
    TipIdOriginal => "Use the real card or booklet, not a photocopy or a picture on another screen.",

    // Photographing the ID.
    TipPhotoFlatDark => "Lay the ID flat on a dark surface that does not shine.",
    TipPhotoFourCorners => "Keep all four corners inside the frame.",
    TipPhotoNoGlare => "Watch for glare and shadows: switch off a lamp that reflects on the ID, or move away from a bright window.",
    TipPhotoSteady => "Hold still and let the camera focus before you take the picture.",
    TipPhotoBothSides => "If your ID has a back, photograph it too when you are asked.",
    TipPhotoUsePhone => "Use a phone camera rather than a computer webcam: it takes sharper pictures.",

    // The selfie.
    TipSelfieFaceCamera => "Look straight at the camera with a relaxed, neutral face.",
    TipSelfieLighting => "Light your face evenly from the front. Avoid a window or a bright lamp behind you or right above you.",
    TipSelfieUncovered => "Take off hats, sunglasses, masks and anything else that hides your face.",
    TipSelfieBackground => "Stand in front of a plain background.",
    TipSelfieEyeLevel => "Hold the phone at eye level and keep it steady.",

    // Phone and browser.
    TipDeviceCamera => "You need a device with a working camera. A phone works best.",
    TipDevicePermission => "When the browser asks to use your camera, allow it. If it never asks, turn camera access on in your settings.",
    TipDevicePowerSaving => "Turn off Low Power Mode (iPhone) or Battery Saver (Android): they can stop the camera from working properly.",
    TipDeviceCharged => "Make sure your battery has enough charge.",
    TipDeviceBrowser => "Use an up-to-date Chrome or Safari.",

    // Timing.
    TipSessionOneGo => "Set aside about three minutes and finish in one go if you can.",
    TipSessionExpiry => "An unfinished verification expires after a while. After that you will need to start a new one.",
    TipSessionHandoff => "On a computer? You can carry on with your phone by scanning a QR code.",
    TipSessionResume => "If you are interrupted, come back to this page and pick up where you left off.",

    // Contact details.
    TipContactCurrent => "Check that the phone number and email address on your account are current and belong to you.",
    TipContactUpdate => "If something is out of date, ask support to update it before you try again.",

    // Documents.
    TipDocumentKinds => "Use a bank statement from the last 90 days, or a recent utility or phone bill.",
    TipDocumentNameAddress => "It must show your full name and your current address.",
    TipDocumentPhoto => "Photograph the whole page on a flat surface, with all four corners showing and no glare.",

    // What went wrong, per failure code.
    ReasonIdCheck => "We could not confirm your ID from the pictures.",
    ReasonIdQuality => "The picture of your ID was not clear enough to read.",
    ReasonIdExpired => "The ID you used has expired, or its expiry date could not be read.",
    ReasonIdBothSides => "We needed pictures of both the front and the back of your ID.",
    ReasonIdType => "That kind of ID cannot be used here.",
    ReasonIdCountry => "IDs from the country that issued yours cannot be used here.",
    ReasonPhone => "We could not confirm your phone number.",
    ReasonEmail => "We could not confirm your email address.",
    ReasonDocumentType => "The document you sent is not one of the kinds we asked for.",
    ReasonDocumentQuality => "The picture of your document was not clear enough to read.",
    ReasonDocumentCheck => "We could not confirm the document you sent.",
    ReasonCanceled => "The verification was stopped before it was finished.",
    ReasonTimeout => "The check took too long and timed out.",
    ReasonRecordsMatch => "Some of your details could not be matched automatically with official records.",
    ReasonIdDetailsReview => "Some details on your ID need to be checked by a person.",
    ReasonLocationReview => "Where the verification was done needs to be checked by a person.",
    ReasonManualReview => "Your verification needs a closer look by a person.",
    ReasonCannotVerifyOnline => "We were not able to verify your identity online.",
    ReasonUnexpected => "A check returned a result that does not apply to this verification.",
    ReasonUnrecognized => "A check returned a result this page does not recognize.",
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_texts_are_filled() {
        let mut keys: Vec<&str> = Msg::ALL.iter().map(|m| m.key()).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), Msg::ALL.len());
        for m in Msg::ALL {
            let text = m.en();
            assert!(!text.trim().is_empty(), "{m:?} is empty");
            assert_eq!(text, text.trim(), "{m:?} has stray whitespace");
        }
    }
}
