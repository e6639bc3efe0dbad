//! Every customer-facing text, by key: the one place words live. Components, the failure
//! catalog and the tests all read from here.

pub use super::catalog::{Catalog, Lang};

/// A set of customer-facing texts by key, English built in: the app's ([`Msg`]) and the
/// server's own pages' ([`PageMsg`]). Other languages come from a [`Catalog`].
pub trait Texts: Copy + 'static {
    /// Every key, in declaration order.
    const ALL: &'static [Self];
    /// The key's name (stable: the catalogs' JSON keys).
    fn key(self) -> &'static str;
    /// The English text.
    fn en(self) -> &'static str;
    /// The key's position in [`Texts::ALL`].
    fn index(self) -> usize;
    /// Which list of keys this is ([`key_list_fingerprint`] of every key's name, in order):
    /// a catalog in list form ([`Catalog::to_list`]) is only read by the same list.
    const KEYS: u64;
}

/// FNV-1a (32-bit) over the keys' names, each followed by a zero byte. The compiler works
/// it out, so the app knows which key list a catalog follows without carrying the names.
pub const fn key_list_fingerprint(keys: &[&str]) -> u64 {
    let mut hash: u32 = 0x811c_9dc5;
    let mut i = 0;
    while i < keys.len() {
        let name = keys[i].as_bytes();
        let mut j = 0;
        while j <= name.len() {
            let byte = if j < name.len() { name[j] } else { 0 };
            hash = (hash ^ byte as u32).wrapping_mul(0x0100_0193);
            j += 1;
        }
        i += 1;
    }
    hash as u64
}

/// Declares a set of message keys and their English text side by side. An optional `later`
/// group holds the texts only the second wasm module's screens show (`src/ui/later.rs`): they
/// are reached through [`Msg::later_en`] alone, which only that module calls, so the release
/// build's splitter moves them out of the first load (about 2.5 KB gzip).
macro_rules! messages {
    (
        $(#[$set_meta:meta])* $set:ident { $($(#[$meta:meta])* $key:ident => $en:literal,)+ }
        $(later { $($(#[$lmeta:meta])* $lkey:ident => $len:literal,)+ })?
    ) => {
        $(#[$set_meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[allow(missing_docs)] // each key's English text is its documentation
        pub enum $set {
            $($(#[$meta])* $key,)+
            $($($(#[$lmeta])* $lkey,)+)?
        }

        impl $set {
            /// Every key.
            pub const ALL: &'static [$set] = &[$($set::$key,)+ $($($set::$lkey,)+)?];

            /// The key's name (stable, for catalogs exported to tests).
            pub fn key(self) -> &'static str {
                match self {
                    $($set::$key => stringify!($key),)+
                    $($($set::$lkey => stringify!($lkey),)+)?
                }
            }

            /// The English text. The release app reads it in two halves instead
            /// ([`Self::first_en`], [`Self::later_en`]), so that the second half's strings
            /// stay out of its first load.
            pub fn en(self) -> &'static str {
                match self {
                    $($set::$key => $en,)+
                    $($($set::$lkey => $len,)+)?
                }
            }

            /// The English text of a key the first screens show; `None` for a key of the
            /// `later` group.
            pub fn first_en(self) -> Option<&'static str> {
                #[allow(unreachable_patterns)]
                match self {
                    $($set::$key => Some($en),)+
                    _ => None,
                }
            }

            /// The English text of a key of the `later` group (empty for the others).
            pub fn later_en(self) -> &'static str {
                #[allow(unreachable_patterns)]
                match self {
                    $($($set::$lkey => $len,)+)?
                    _ => "",
                }
            }
        }

        impl Texts for $set {
            const ALL: &'static [$set] = $set::ALL;
            fn key(self) -> &'static str {
                $set::key(self)
            }
            fn en(self) -> &'static str {
                $set::en(self)
            }
            fn index(self) -> usize {
                self as usize
            }
            const KEYS: u64 = key_list_fingerprint(&[
                $(stringify!($key),)+
                $($(stringify!($lkey),)+)?
            ]);
        }
    };
}

messages! {
    /// A customer-facing text of the app.
    Msg {
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

    // Whole app.
    AppTitle => "Verify your identity",
    OfflineBanner => "You are offline. We will carry on as soon as your connection is back.",
    RetryingBanner => "We could not reach our server just now. Trying again…",
    SandboxBadge => "Sandbox: nothing here is real",
    LanguageLabel => "Language",
    LanguageUnavailable => "That language could not be loaded. Check your connection, then pick it again.",
    PartMissingTitle => "This part of the page did not arrive",
    PartMissingBody => "Your verification is safe. Check your connection, then try again.",

    // Loading.
    LoadingTitle => "Getting things ready",
    LoadingBody => "Checking your account…",

    // Before you start.
    PrepTitle => "Before you start",
    PrepIntro => "We need to confirm that it is really you. It takes about three minutes.",
    PrepNeedTitle => "What you need",
    PrepNeedId => "A valid government photo ID that has not expired",
    PrepNeedName => "The name on the ID must match the legal name on your account",
    PrepNeedPhone => "A phone with a camera works best",
    PrepNeedTime => "Somewhere with good light",
    PrepTipsTitle => "Tips for a smooth check",
    PrepStart => "Start verification",
    PrepPrivacy => "Your photos go straight to Persona, our verification partner, over a secure connection.",

    // Device check.
    DeviceCheckTitle => "Before you begin on this device",
    DeviceNoCameraTitle => "No camera found",
    DeviceNoCameraBody => "This device does not seem to have a camera. Use a phone or a computer with a camera.",
    DeviceBlockedTitle => "Camera access is turned off",
    DeviceBlockedIos => "On iPhone: open Settings, scroll to Safari (or your browser), tap Camera and choose Allow. Then come back and reload this page.",
    DeviceBlockedAndroid => "On Android: tap the icon to the left of the address bar, open Permissions, and allow Camera. Then reload this page.",
    DeviceBlockedDesktop => "Click the icon to the left of the address bar, allow the camera for this site, then reload this page.",
    DeviceInAppTitle => "Open this page in your browser",
    DeviceInAppIos => "You are inside another app, where the camera usually does not work. Copy the link and open it in Safari or Chrome.",
    DeviceInAppAndroid => "You are inside another app, where the camera usually does not work. Copy the link and open it in Chrome.",
    DeviceCopyLink => "Copy link",
    DeviceLinkCopied => "Link copied",
    DeviceLinkLabel => "Your link (it works once, for ten minutes):",
    DeviceLinkFailed => "We could not make a link. Check your connection, then try again.",
    DeviceDesktopTitle => "A phone gives the best results",
    DeviceDesktopBody => "Computer webcams often take blurry pictures of IDs. If you can, continue on your phone.",
    DeviceOldBrowserTitle => "Your browser is out of date",
    DeviceOldBrowserBody => "Update your browser, or use a current version of Chrome or Safari, before you start.",
    DeviceLowBatteryTitle => "Your battery is low",
    DeviceLowBatteryBody => "Plug in your device or charge it first: the camera uses a lot of power.",

    // Preparing.
    PreparingTitle => "Getting your verification ready",
    StillPreparingTitle => "This is taking longer than usual",

    // Capture.
    CaptureTitle => "Complete the steps in the secure window",
    PersonaFrameTitle => "Identity check by Persona",

    // Handoff to a phone.
    ContinueOnPhone => "Continue on your phone",
    ContinueOnAnotherDevice => "Continue on another device",
    HandoffTitle => "Continue on your phone",
    CaptureOnPhoneTitle => "Finish on your phone",

    // Paused.
    PausedTitle => "Your verification is saved",
    DocumentsRequestedTitle => "One more document, please",
    DocRefusedTitle => "We could not use your document",

    // Checking.
    CheckingTitle => "Checking your details",
    StillCheckingTitle => "Still checking",

    // Outcomes.
    VerifiedTitle => "You are verified",
    ReviewTitle => "We are taking a closer look",
    RetryTitle => "Let's try that again",
    TryAgain => "Try again",
    RejectedTitle => "We could not verify your identity online",
    ContactSupportTitle => "Please contact support",
    FrozenTitle => "Your account is on hold",
    SupportDefault => "To get help, open the app you came from and contact its support team.",
    SupportLink => "Contact support",
    ReturnToBrand => "Back to {name}",
    ReturnToApp => "Back to the app",
    ExpiredTitle => "Your verification expired",
    SessionEndedTitle => "Your session has ended",

    // Problems.
    ProblemNetworkTitle => "We cannot reach our servers",
    ProblemServerTitle => "Something went wrong on our side",
    PersonaErrorTitle => "The verification stopped",
    PersonaUnavailableTitle => "The identity check could not load",
    UnknownCustomerTitle => "We need to check your account",

    // Camera check (the rehearsal before Persona).
    CamCheck => "Check my camera",
    }
    later {
    // The tips of each group (the prep screen draws them once the second module is here).
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
    TipSessionResume => "If you are interrupted, open identity verification again from the app you came from: you will pick up where you left off.",

    // Contact details.
    TipContactCurrent => "Check that the phone number and email address on your account are current and belong to you.",
    TipContactUpdate => "You can try again without support. If a detail on file is wrong, support can correct it.",

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

    // Preparing.
    StageLooking => "Looking for a verification you already started…",
    StageCreating => "Creating your verification…",
    StageWaiting => "Setting up your secure verification…",
    StageReconnecting => "Reconnecting to your verification…",
    StageOpening => "Opening the camera screens…",
    PreparingSlow => "This is taking a little longer than usual. Thank you for waiting.",
    StillPreparingBody => "Your verification is still being set up. You can keep waiting, or come back later through the app you came from: we will pick up where you left off.",
    SlowPreparingBody => "Your verification is still being set up, and we keep checking. You can also continue on another device, or come back later: nothing is lost.",
    SlowCaptureBody => "The secure window for your photos is slow to open, and we are still trying. You can also try again, continue on another device, or come back later: nothing is lost.",
    KeepWaiting => "Keep waiting",
    ComeBackLater => "Come back later",
    ComeBackLaterBody => "You can close this page now. When you open identity verification again from the app you came from, you will continue from here.",

    // Capture.
    CaptureBody => "Follow the instructions to photograph your ID and take a selfie. If the window closes, you can continue from where you stopped.",

    // Handoff to a phone.
    HandoffIntro => "Scan this code with your phone's camera and open the link. Phone cameras take sharper pictures of IDs.",
    HandoffIntroOther => "Scan this code with the camera of the device you want to use, then open the link there. This page will show how it goes.",
    HandoffQrLabel => "QR code that opens this verification on another device",
    HandoffLinkLabel => "Or type this link into the other device's browser:",
    HandoffOnce => "The code works once, for three minutes.",
    HandoffConfirm => "Your phone will show this number too:",
    NotMyPhone => "This isn't my phone",
    HandoffMaking => "Making your code…",
    PhoneWaiting => "Waiting for the other device…",
    PhoneConnected => "The other device is connected. Continue there.",
    PhoneInProgress => "You are taking the photos on the other device. This page will show the result.",
    PhoneCodeExpired => "This code has expired. Make a new one to continue on the other device.",
    NewCode => "Make a new code",
    UseThisDevice => "Use this device instead",
    CaptureOnPhoneBody => "The identity check gave you a link to finish on your phone. Keep this page open: it updates when you are done.",

    // Paused.
    PausedBody => "Continue whenever you are ready: what you have done so far is kept.",
    SendDocument => "Send the document",
    DocumentsRequestedBody => "The team reviewing your verification needs a document from you: a recent bank statement, or a utility or phone bill. Have it at hand, then continue.",
    DocAskBankStatement => "The team reviewing your verification could not confirm your date of birth. Please send a bank statement from the last 90 days that shows your full name and current address.",
    DocAskProofOfAddress => "The team reviewing your verification could not confirm your address. Please send a recent utility or phone bill with your full name and current address. If you have no bill, a bank statement from the last 90 days works too.",
    DocAskVerified => "You are verified, and the team needs one more document from you, for example to check a bank account you added: a bank statement from the last 90 days with your full name and current address.",
    DocRefusedBody => "The team still needs it. Please send it again, or send another one that is clear and complete.",
    SendAnotherDocument => "Send the document again",
    Resume => "Continue where you left off",
    ReadTipsAgain => "Read the tips again",

    // Checking.
    CheckingDecision => "We are reviewing your ID and selfie. Most checks finish within 10 minutes.",
    CheckingAccount => "Your verification passed. We are updating your account…",
    CheckingLeave => "You can keep this page open, or close it: your result will be waiting when you open identity verification again from the app you came from.",
    StillCheckingBody => "This is taking longer than usual. You can close this page and see your result later by opening identity verification again from the app you came from.",

    // Outcomes.
    VerifiedBody => "Thank you. Your identity is confirmed and your account is ready to use.",
    VerifiedNext => "You can go back to the app you came from.",
    ReviewBody => "Our compliance team is reviewing your verification. You do not need to do anything.",
    ReviewLeave => "This page updates by itself. You can also close it: the result will be here when you come back.",
    ReviewDocuments => "The team may ask you for a recent bank statement or utility bill. If they do, this page will say so and show you how to send it.",
    ReasonsTitle => "What we found",
    RetryBody => "Your verification did not go through, but you can try again right away.",
    RetryReasonsTitle => "What went wrong",
    RetryTipsTitle => "Tips for your next try",
    RejectedBody => "This can happen for many reasons and does not always mean something is wrong. Support can help you finish.",
    ContactSupportBody => "We need a person to finish your verification. Support can tell you what to do next.",
    ContactSupportCodes => "When you contact support, mention:",
    FrozenBody => "Identity verification is not available while your account is on hold. Support can tell you more.",
    ExpiredBody => "It was not finished in time, so it cannot be continued. A new one only takes a few minutes.",
    ExpiredIdBody => "The ID you used has expired, so it cannot be accepted. Start a new verification with a valid ID that has not expired.",
    ExpiredUnclearBody => "Either it was not finished in time, or the ID you used has expired. Start a new verification, and use a valid ID that has not expired.",
    RenewBody => "You were verified before, but the ID you used has expired since then. To keep using your account, renew your verification with a valid ID that has not expired.",
    RetryAfterReview => "The team that reviewed your verification could not confirm some of your details. You can start a new one now. Use an ID that shows your legal name as it is on your account.",
    RetryDetailsFix => "You do not need support to try again. If your name or address on file is wrong, support can correct it.",
    RetryContactFix => "You do not need support to try again. If your phone number or email address on file is wrong, support can correct it.",
    StartAgain => "Start again",
    SessionEndedBody => "For your security, sessions end after a while. Go back to the app you came from and open identity verification again.",
    SessionEndedSandbox => "Sandbox: pick a scenario to start a new session.",
    CheckAgain => "Check again",

    // Problems.
    ProblemNetworkBody => "Check your internet connection, then try again.",
    ProblemServerBody => "Please try again in a moment. If it keeps happening, contact support and mention error {status}.",
    PersonaApplicationError => "The identity check ran into a problem. Continue where you left off: nothing you did is lost.",
    PersonaInvalidConfig => "The identity check is not set up correctly. Please contact support.",
    PersonaUnauthenticated => "Your secure session with the identity check timed out. Continue where you left off to start a new one.",
    PersonaInactiveTemplate => "Identity checks are not available right now. Please contact support.",
    PersonaOther => "The identity check stopped unexpectedly. Continue where you left off: nothing you did is lost.",
    PersonaUnavailableBody => "Check your connection. If you use an ad or content blocker, allow this page, then try again.",
    UnknownCustomerBody => "We cannot tell from here where your account stands. Please contact support.",
    NotFoundTitle => "Page not found",
    NotFoundBody => "This address does not lead anywhere.",
    GoToStart => "Go to the start",

    // Camera check (the rehearsal before Persona).
    CamIntro => "Test your camera and light first. Your browser will ask to use the camera.",
    CamPrivacy => "Nothing the camera sees leaves this device.",
    CamOpen => "Open camera",
    CamSkip => "Skip",
    CamNext => "Next: selfie",
    CamDone => "Done",
    CamOpening => "Opening camera…",
    CamDark => "Too dark. Move near a window or turn on a light.",
    CamGlare => "Glare on the ID. Tilt it away from the lamp.",
    CamBlurry => "Blurry. Hold still and let the camera focus.",
    CamGood => "Looks good.",
    CamBackTitle => "What your camera check found",
    CamBackFine => "Your camera check found enough light and a sharp picture, so your camera can do it. This time, take it slowly: keep the whole ID in the frame and let the camera focus before the photo.",
    CamBackFix => "Your camera check had found this to fix before the photo of your ID:",
    CamBackSmall => "This camera's pictures are too small to read an ID. Use the back camera of a phone.",
    CamBackTry => "Check my camera again",
    CamBusy => "The camera is in use or not working. Close other apps, then try again.",

    // The session's end.
    SessionEndingBanner => "Are you still there? To keep your account safe, your session ends soon if nothing happens.",
    StayHere => "I am still here",

    // Before a business starts (KYB).
    BizPrepIntro => "You are verifying a business. The check asks about the business and its owners, so have these details at hand before you start.",
    BizNeedTitle => "About the business",
    BizNeedName => "Its full legal name, and any other name it trades under (its DBA, or “doing business as” name)",
    BizNeedEin => "Its Employer Identification Number (EIN)",
    BizNeedContact => "Its address, phone number and website",
    BizNeedPapers => "The papers that show the business is registered",
    BizOwnersTitle => "About its owners",
    BizNeedOwners => "The name of each person who owns 25% or more of the business",
    BizOwnersKyc => "Each of these owners must also verify who they are, with their own photo ID and a selfie.",
    BizTimingSummary => "Best done in one go, with the details at hand.",
    BizTimingOneGo => "Set aside enough time to enter everything in one go.",
    BizPrivacy => "What you enter goes straight to Persona, our verification partner, over a secure connection.",

    // What a business reads after it starts (KYB).
    BizStageOpening => "Opening the secure window for the business's details…",
    BizCaptureBody => "Follow the steps to enter the business's details. If the window closes, you can continue from where you stopped.",
    BizCheckingDecision => "We are checking the business's details against official records. You do not need to do anything.",
    BizVerifiedBody => "Thank you. The business is verified and its account is ready to use.",
    BizReasonRecords => "The business's legal name, EIN or address could not be matched with official records.",
    BizReasonManualReview => "Some checks on the business need a closer look by our compliance team.",
    BizReasonCannotVerifyOnline => "We were not able to verify the business online.",
    BizReviewDocuments => "The team may ask you for more about the business, such as its registration papers or its owners.",
    BizRejectedTitle => "We could not verify the business online",
    BizRetryAfterReview => "The team that reviewed your business could not confirm some of its details. You can start a new verification now. Check that the legal name, EIN and address you give match the business's registration papers.",
    BizContactSupportBody => "We need a person to finish verifying the business. Support can tell you what to do next.",
}}

messages! {
    /// A customer-facing text of the pages the server renders itself, before the app runs:
    /// a sign-in link refused, the phone's Continue page. Same catalogs as the app's texts.
    PageMsg {
    PageContinueTitle => "Continue on this device",
    PageContinueBody => "This link carries on your identity check from where you started it. Tap Continue to go on here.",
    PageContinueButton => "Continue",
    PageContinueConfirm => "Check that this number is the same as the one next to the QR code on your computer. If it is not, close this page.",
    PagePhoneConnected => "Connected: {device}",
    PageDeviceOn => "{browser} on {os}",
    PageDeviceUnknown => "a device we could not recognize",
    PageContinueWarning => "Only continue if you made this code or link yourself, on your own computer or in your own app. If someone else sent it to you, close this page: continuing would verify their account with your ID.",
    PageCodeUsedTitle => "This code has expired or was already used",
    PageCodeUsedBody => "Go back to where you got it (the QR code on your computer, or the app you came from) and make a new one.",
    PageTooManyTitle => "Too many tries",
    PageTooManyBody => "Wait a minute, then make a new code or link and try again.",
    PageScanTitle => "Open the code or link again",
    PageScanBody => "To keep your account safe, this page only works from the QR code or the link made for you.",
    PageLaunchOffTitle => "Sign-in links are not set up",
    PageLaunchOffBody => "Identity verification is not available from this link. Go back to the app you came from and try again later.",
    PageNoAccountTitle => "We could not find your account",
    PageNoAccountBody => "Go back to the app you came from and start again.",
    PageUnavailableTitle => "Identity verification is not available right now",
    PageUnavailableBody => "Go back to the app you came from and try again in a few minutes.",
    PageLinkSpentTitle => "This link has expired or was already used",
    PageLinkSpentBody => "Go back to the app you came from and open identity verification again.",
    PageDescription => "Confirm your identity with a photo ID and a selfie.",
    PageNoScript => "This page needs JavaScript. Turn it on, or open the page in Chrome or Safari.",
    PageStillLoading => "Still loading: on a slow connection this can take up to a minute. Keep this page open.",
    PageLoadFailedTitle => "The page could not load",
    PageLoadFailedBody => "Part of this page did not arrive, or this browser cannot run it. Check your connection and try again. If it happens again, open the link in an up-to-date Chrome or Safari.",
    PageWrongSiteTitle => "Open this link from your app",
    PageWrongSiteBody => "To keep your account safe, this sign-in link only works when it comes from your provider's own app or website. Go back there and open identity verification again.",
}}

/// Every key of both sets with its English text.
#[cfg(test)]
pub(crate) fn all_texts() -> Vec<(&'static str, &'static str)> {
    let app = Msg::ALL.iter().map(|m| (m.key(), m.en()));
    app.chain(PageMsg::ALL.iter().map(|m| (m.key(), m.en())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_names_every_language_but_english_and_reads_back() {
        for lang in Lang::ALL {
            let query = lang.link_query();
            match lang {
                Lang::En => assert_eq!(query, ""),
                _ => {
                    assert_eq!(query, ["?lang=", lang.tag()].concat());
                    assert_eq!(Lang::parse(&query["?lang=".len()..]), Some(lang));
                }
            }
        }
    }

    /// The files whose code runs before the second wasm module has arrived (the first
    /// screens, the frame around every screen, the shell) and the titles every screen puts in
    /// the tab: a text they show must be in the first group, or the release build would have
    /// no English for it yet.
    #[test]
    fn what_the_first_module_shows_is_in_the_first_group() {
        const FIRST_MODULE: &[&str] = &[
            "src/ui/loading.rs",
            "src/ui/prep.rs",
            "src/ui/device_check.rs",
            "src/ui/tips.rs",
            "src/ui/mod.rs",
            "src/ui/i18n.rs",
            "src/ui/address.rs",
            "src/ui/illustrations.rs",
            "src/ui/later.rs",
            "src/app.rs",
            "src/language.rs",
            "src/shell.rs",
            "src/host.rs",
            "src/device.rs",
            "src/api/mod.rs",
            "src/persona/mod.rs",
            "src/core/tips.rs",
            "src/core/device.rs",
        ];
        let root = env!("CARGO_MANIFEST_DIR");
        let mut shown: Vec<String> = Vec::new();
        for file in FIRST_MODULE {
            let mut source = std::fs::read_to_string(format!("{root}/{file}")).unwrap();
            // What tests name is not shown.
            if let Some(tests) = source.find("#[cfg(test)]") {
                source.truncate(tests);
            }
            if *file == "src/core/tips.rs" {
                // The tips inside each group come with the second module: the prep screen's
                // groups open on their titles and summaries and draw the tips once it is
                // here (`src/ui/tips.rs`). Only the lists of tips (the file's last part)
                // are left out of the scan.
                source.truncate(source.find("pub fn tips(self)").unwrap());
            }
            shown.extend(keys_named(&source));
        }
        let flow = std::fs::read_to_string(format!("{root}/src/core/flow/screens.rs")).unwrap();
        let headings = [
            "pub fn title(&self) -> Msg {",
            "pub fn info(&self) -> ScreenInfo {",
        ];
        for titles in headings.iter().flat_map(|h| flow.split(h).skip(1)) {
            let body = &titles[..titles.find("\n    }").unwrap()];
            shown.extend(keys_named(body));
        }
        assert!(shown.len() > 50, "the scan found the first screens' texts");
        for key in shown {
            let msg = Msg::ALL.iter().find(|m| m.key() == key).unwrap();
            assert!(
                msg.first_en().is_some(),
                "Msg::{key} is shown before the second module arrives: move it to the first group"
            );
        }
    }

    /// The keys `source` names: as `Msg::Key` or bare, after a `use Msg::*` (a word that
    /// happens to equal a key counts too: that only keeps a text in the first load).
    fn keys_named(source: &str) -> Vec<String> {
        source
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|word| Msg::ALL.iter().any(|m| m.key() == *word))
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn the_two_groups_split_every_key_once() {
        for msg in Msg::ALL {
            match msg.first_en() {
                Some(text) => assert_eq!((text, msg.later_en()), (msg.en(), "")),
                None => assert_eq!(msg.later_en(), msg.en()),
            }
        }
        assert!(Msg::ALL.iter().any(|m| m.first_en().is_none()));
    }

    #[test]
    fn keys_are_unique_across_both_sets_and_texts_are_filled() {
        let texts = all_texts();
        let mut keys: Vec<&str> = texts.iter().map(|(key, _)| *key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), texts.len(), "one catalog file holds both sets");
        for (key, text) in texts {
            assert!(!text.trim().is_empty(), "{key} is empty");
            assert_eq!(text, text.trim(), "{key} has stray whitespace");
        }
    }
}
