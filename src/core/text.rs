//! Every customer-facing text, by key: the one place words live. Components, the failure
//! catalog and the tests all read from here.

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

/// Declares a set of message keys and their English text side by side.
macro_rules! messages {
    ($(#[$set_meta:meta])* $set:ident { $($(#[$meta:meta])* $key:ident => $en:literal,)+ }) => {
        $(#[$set_meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[allow(missing_docs)] // each key's English text is its documentation
        pub enum $set {
            $($(#[$meta])* $key,)+
        }

        impl $set {
            /// Every key.
            pub const ALL: &'static [$set] = &[$($set::$key,)+];

            /// The key's name (stable, for catalogs exported to tests).
            pub fn key(self) -> &'static str {
                match self {
                    $($set::$key => stringify!($key),)+
                }
            }

            /// The English text.
            pub fn en(self) -> &'static str {
                match self {
                    $($set::$key => $en,)+
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
            const KEYS: u64 = key_list_fingerprint(&[$(stringify!($key),)+]);
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

    // Camera check (the rehearsal before Persona).
    CamCheck => "Check my camera",
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
    CamBusy => "The camera is in use or not working. Close other apps, then try again.",

    // Preparing.
    PreparingTitle => "Getting your verification ready",
    StageLooking => "Looking for a verification you already started…",
    StageCreating => "Creating your verification…",
    StageWaiting => "Setting up your secure verification…",
    StageReconnecting => "Reconnecting to your verification…",
    StageOpening => "Opening the camera screens…",
    PreparingSlow => "This is taking a little longer than usual. Thank you for waiting.",
    StillPreparingTitle => "This is taking longer than usual",
    StillPreparingBody => "Your verification is still being set up. You can keep waiting, or come back later through the app you came from: we will pick up where you left off.",
    KeepWaiting => "Keep waiting",
    ComeBackLater => "Come back later",
    ComeBackLaterBody => "You can close this page now. When you open identity verification again from the app you came from, you will continue from here.",

    // Capture.
    CaptureTitle => "Complete the steps in the secure window",
    CaptureBody => "Follow the instructions to photograph your ID and take a selfie. If the window closes, you can continue from where you stopped.",
    PersonaFrameTitle => "Identity check by Persona",

    // Handoff to a phone.
    ContinueOnPhone => "Continue on your phone",
    ContinueOnAnotherDevice => "Continue on another device",
    HandoffTitle => "Continue on your phone",
    HandoffIntro => "Scan this code with your phone's camera and open the link. Phone cameras take sharper pictures of IDs.",
    HandoffIntroOther => "Scan this code with the camera of the device you want to use, then open the link there. This page will show how it goes.",
    HandoffQrLabel => "QR code that opens this verification on another device",
    HandoffLinkLabel => "Or type this link into the other device's browser:",
    HandoffOnce => "The code works once, for ten minutes. Nobody else can use it after the other device does.",
    HandoffMaking => "Making your code…",
    PhoneWaiting => "Waiting for the other device…",
    PhoneConnected => "The other device is connected. Continue there.",
    PhoneInProgress => "You are taking the photos on the other device. This page will show the result.",
    PhoneCodeExpired => "This code has expired. Make a new one to continue on the other device.",
    NewCode => "Make a new code",
    UseThisDevice => "Use this device instead",
    CaptureOnPhoneTitle => "Finish on your phone",
    CaptureOnPhoneBody => "The identity check gave you a link to finish on your phone. Keep this page open: it updates when you are done.",

    // Paused.
    PausedTitle => "Your verification is saved",
    PausedBody => "Continue whenever you are ready: what you have done so far is kept.",
    PausedUntil => "You can continue until {time}.",
    DocumentsRequestedTitle => "One more document, please",
    SendDocument => "Send the document",
    DocumentsRequestedBody => "The team reviewing your verification needs a document from you: a recent bank statement, or a utility or phone bill. Have it at hand, then continue.",
    Resume => "Continue where you left off",
    ReadTipsAgain => "Read the tips again",

    // Checking.
    CheckingTitle => "Checking your details",
    CheckingDecision => "We are reviewing your ID and selfie. Most checks finish within 10 minutes.",
    CheckingAccount => "Your verification passed. We are updating your account…",
    CheckingLeave => "You can keep this page open, or close it: your result will be waiting when you open identity verification again from the app you came from.",
    StillCheckingTitle => "Still checking",
    StillCheckingBody => "This is taking longer than usual. You can close this page and see your result later by opening identity verification again from the app you came from.",

    // Outcomes.
    VerifiedTitle => "You are verified",
    VerifiedBody => "Thank you. Your identity is confirmed and your account is ready to use.",
    VerifiedNext => "You can go back to the app you came from.",
    ReviewTitle => "We are taking a closer look",
    ReviewBody => "Our compliance team is reviewing your verification. You do not need to do anything.",
    ReviewLeave => "This page updates by itself. You can also close it: the result will be here when you come back.",
    ReviewDocuments => "The team may ask you for a recent bank statement or utility bill. If they do, this page will say so and show you how to send it.",
    ReasonsTitle => "What we found",
    RetryTitle => "Let's try that again",
    RetryBody => "Your verification did not go through, but you can try again right away.",
    RetryReasonsTitle => "What went wrong",
    RetryTipsTitle => "Tips for your next try",
    TryAgain => "Try again",
    RejectedTitle => "We could not verify your identity online",
    RejectedBody => "This can happen for many reasons and does not always mean something is wrong. Support can help you finish.",
    ContactSupportTitle => "Please contact support",
    ContactSupportBody => "We need a person to finish your verification. Support can tell you what to do next.",
    ContactSupportCodes => "When you contact support, mention:",
    FrozenTitle => "Your account is on hold",
    FrozenBody => "Identity verification is not available while your account is on hold. Support can tell you more.",
    SupportDefault => "To get help, open the app you came from and contact its support team.",
    SupportLink => "Contact support",
    ReturnToBrand => "Back to {name}",
    ReturnToApp => "Back to the app",
    ExpiredTitle => "Your verification expired",
    ExpiredBody => "It was not finished in time, so it cannot be continued. A new one only takes a few minutes.",
    StartAgain => "Start again",
    SessionEndedTitle => "Your session has ended",
    SessionEndedBody => "For your security, sessions end after a while. Go back to the app you came from and open identity verification again.",
    SessionEndedSandbox => "Sandbox: pick a scenario to start a new session.",
    CheckAgain => "Check again",

    // Problems.
    ProblemNetworkTitle => "We cannot reach our servers",
    ProblemNetworkBody => "Check your internet connection, then try again.",
    ProblemServerTitle => "Something went wrong on our side",
    ProblemServerBody => "Please try again in a moment. If it keeps happening, contact support and mention error {status}.",
    PersonaErrorTitle => "The verification stopped",
    PersonaApplicationError => "The identity check ran into a problem. Continue where you left off: nothing you did is lost.",
    PersonaInvalidConfig => "The identity check is not set up correctly. Please contact support.",
    PersonaUnauthenticated => "Your secure session with the identity check timed out. Continue where you left off to start a new one.",
    PersonaInactiveTemplate => "Identity checks are not available right now. Please contact support.",
    PersonaOther => "The identity check stopped unexpectedly. Continue where you left off: nothing you did is lost.",
    PersonaUnavailableTitle => "The identity check could not load",
    PersonaUnavailableBody => "Check your connection. If you use an ad or content blocker, allow this page, then try again.",
    UnknownCustomerTitle => "We need to check your account",
    UnknownCustomerBody => "We cannot tell from here where your account stands. Please contact support.",
    NotFoundTitle => "Page not found",
    NotFoundBody => "This address does not lead anywhere.",
    GoToStart => "Go to the start",
}}

messages! {
    /// A customer-facing text of the pages the server renders itself, before the app runs:
    /// a sign-in link refused, the phone's Continue page. Same catalogs as the app's texts.
    PageMsg {
    PageContinueTitle => "Continue on this device",
    PageContinueBody => "This link carries on your identity check from where you started it. Tap Continue to go on here.",
    PageContinueButton => "Continue",
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
fn all_texts() -> Vec<(&'static str, &'static str)> {
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

/// A language the app speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English (the built-in catalog).
    En,
    /// French, as written in Canada.
    FrCa,
    /// Spanish, as written in Mexico and by Spanish speakers in the US.
    EsMx,
}

impl Lang {
    /// Every language, English first.
    pub const ALL: [Lang; 3] = [Lang::En, Lang::FrCa, Lang::EsMx];

    /// The cookie holding the language the customer picked in the switcher (its tag), so
    /// the server draws a reloaded page's first paint in it. A preference, not personal
    /// data; it lasts the browser session.
    pub const COOKIE: &'static str = "kyc_lang";

    /// The [`Lang::COOKIE`] as the app sets it: `name=tag` and its attributes (the whole
    /// site, sent on a top-level visit from elsewhere).
    pub fn cookie(self) -> &'static str {
        match self {
            Lang::En => "kyc_lang=en; Path=/; SameSite=Lax",
            Lang::FrCa => "kyc_lang=fr-CA; Path=/; SameSite=Lax",
            Lang::EsMx => "kyc_lang=es-MX; Path=/; SameSite=Lax",
        }
    }

    /// The language whose cookie is among `cookies` (as `document.cookie` lists them).
    pub fn from_cookies(cookies: &str) -> Option<Lang> {
        cookies
            .split("; ")
            .find_map(|c| c.strip_prefix("kyc_lang="))
            .and_then(Lang::parse)
    }

    /// The BCP 47 tag (for `<html lang>` and the catalog's file name).
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::FrCa => "fr-CA",
            Lang::EsMx => "es-MX",
        }
    }

    /// `?lang=<tag>` for a link that should open in this language; empty for English, the
    /// default.
    pub fn link_query(self) -> &'static str {
        match self {
            Lang::En => "",
            Lang::FrCa => "?lang=fr-CA",
            Lang::EsMx => "?lang=es-MX",
        }
    }

    /// The locale handed to Persona's flow.
    pub fn persona_locale(self) -> &'static str {
        match self {
            Lang::En => "en-US",
            Lang::FrCa => "fr",
            Lang::EsMx => "es-MX",
        }
    }

    /// The language's name in itself, for the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::FrCa => "Français",
            Lang::EsMx => "Español",
        }
    }

    /// The language a tag asks for, by its primary subtag (`fr-FR` and `fr` are French).
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "fr" => Some(Lang::FrCa),
            "es" => Some(Lang::EsMx),
            _ => None,
        }
    }

    /// The first language the customer's choices name that the app speaks: in order, an
    /// explicit choice (the switcher, then the backend's configuration, then the URL), then
    /// the browser's languages, then English.
    pub fn negotiate(explicit: &[Option<&str>], browser: &[String]) -> Lang {
        explicit
            .iter()
            .flatten()
            .copied()
            .chain(browser.iter().map(String::as_str))
            .find_map(Lang::parse)
            .unwrap_or(Lang::En)
    }
}

/// The texts of one language other than English. Translators write `locales/<tag>.json`, a
/// JSON object from message key to text holding both sets of keys ([`Catalog::parse`]). The
/// browser gets the app's set in list form ([`Catalog::to_list`], written into `dist/` by
/// the build and into the page by the server), so the wasm needs no key names. Missing keys
/// fall back to English.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Catalog<M: Texts = Msg> {
    texts: Vec<Option<String>>,
    keys: std::marker::PhantomData<M>,
}

impl<M: Texts> Catalog<M> {
    /// Reads a catalog; unknown keys are ignored, missing ones fall back to English.
    pub fn parse(json: &str) -> Result<Self, super::api::ParseError> {
        use super::json::{object, FromJson, Json};
        let shape = |message: String| super::api::ParseError::Shape { message };
        let value = Json::parse(json)?;
        let value = object(&value).map_err(shape)?;
        // Looked up key by key: no map, so no sorting code in the wasm.
        let texts = M::ALL
            .iter()
            .map(|m| match value.get(m.key()) {
                None => Ok(None),
                Some(text) => String::from_json(text)
                    .map(Some)
                    .map_err(|e| format!("{}: {e}", m.key())),
            })
            .collect::<Result<_, _>>()
            .map_err(shape)?;
        Ok(Catalog {
            texts,
            keys: std::marker::PhantomData,
        })
    }

    /// The catalog in list form: `[<M::KEYS>, text, ...]`, the texts in key order, `null`
    /// where the catalog lacks one. A list, not an object: an app from before this form
    /// refuses it (it reads catalogs as objects) instead of taking it for an empty catalog.
    pub fn to_list(&self) -> String {
        let mut out = format!("[{}", M::KEYS);
        for text in &self.texts {
            out.push(',');
            match text {
                Some(text) => super::json::write_str(&mut out, text),
                None => out.push_str("null"),
            }
        }
        out.push(']');
        out
    }

    /// Reads a catalog in list form; one written for another list of keys (another version
    /// of the app) is refused rather than read into the wrong places.
    pub fn from_list(json: &str) -> Result<Self, super::api::ParseError> {
        use super::json::{FromJson, Json};
        let shape = |message: &str| super::api::ParseError::Shape {
            message: message.to_owned(),
        };
        let Json::Arr(items) = Json::parse(json)? else {
            return Err(shape("expected a list"));
        };
        let Some((keys, texts)) = items.split_first() else {
            return Err(shape("expected a list"));
        };
        if u64::from_json(keys).ok() != Some(M::KEYS) || texts.len() != M::ALL.len() {
            return Err(shape("texts for another version of the app"));
        }
        let texts = texts
            .iter()
            .map(Option::<String>::from_json)
            .collect::<Result<_, _>>()
            .map_err(|e| shape(&e))?;
        Ok(Catalog {
            texts,
            keys: std::marker::PhantomData,
        })
    }

    /// The text of a message, if the catalog has it.
    pub fn get(&self, msg: M) -> Option<&str> {
        self.texts.get(msg.index())?.as_deref()
    }

    /// The text of a message, in English when the catalog lacks it.
    pub fn text(&self, msg: M) -> &str {
        self.get(msg).unwrap_or(msg.en())
    }

    /// Keys the catalog lacks.
    pub fn missing(&self) -> Vec<&'static str> {
        M::ALL
            .iter()
            .filter(|m| self.get(**m).is_none())
            .map(|m| m.key())
            .collect()
    }
}

#[cfg(test)]
mod catalog_tests {
    use super::*;

    /// The `{name}` placeholders of a text, sorted.
    fn placeholders(text: &str) -> Vec<&str> {
        let mut found: Vec<&str> = text
            .match_indices('{')
            .filter_map(|(i, _)| text[i..].find('}').map(|j| &text[i..i + j + 1]))
            .collect();
        found.sort_unstable();
        found
    }

    #[test]
    fn every_language_has_every_key_and_the_same_placeholders() {
        for lang in [Lang::FrCa, Lang::EsMx] {
            let path = format!("{}/locales/{}.json", env!("CARGO_MANIFEST_DIR"), lang.tag());
            let json = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
            let catalog: Catalog = Catalog::parse(&json).unwrap_or_else(|e| panic!("{path}: {e}"));
            assert_eq!(catalog.missing(), Vec::<&str>::new(), "{path} lacks keys");
            let pages: Catalog<PageMsg> =
                Catalog::parse(&json).unwrap_or_else(|e| panic!("{path}: {e}"));
            assert_eq!(
                pages.missing(),
                Vec::<&str>::new(),
                "{path} lacks page keys"
            );
            let crate::core::json::Json::Obj(fields) =
                crate::core::json::Json::parse(&json).unwrap()
            else {
                panic!("{path} is not an object");
            };
            for (key, _) in &fields {
                assert!(
                    all_texts().iter().any(|(k, _)| k == key),
                    "{path}: unknown key {key}"
                );
            }
            let translated = Msg::ALL
                .iter()
                .map(|m| (m.key(), m.en(), catalog.get(*m).unwrap()))
                .chain(
                    PageMsg::ALL
                        .iter()
                        .map(|m| (m.key(), m.en(), pages.get(*m).unwrap())),
                );
            for (key, en, text) in translated {
                assert!(!text.trim().is_empty(), "{path}: {key} is empty");
                assert_eq!(placeholders(text), placeholders(en), "{path}: {key}");
            }
        }
    }

    #[test]
    fn the_language_cookie_names_the_tag_and_reads_back() {
        for lang in Lang::ALL {
            let set = lang.cookie();
            assert!(set.starts_with(&format!("{}={};", Lang::COOKIE, lang.tag())));
            assert_eq!(
                Lang::from_cookies(set.split(';').next().unwrap()),
                Some(lang)
            );
            let among = format!("a=1; {}; b=2", set.split(';').next().unwrap());
            assert_eq!(Lang::from_cookies(&among), Some(lang));
        }
        assert_eq!(Lang::from_cookies(""), None);
        assert_eq!(Lang::from_cookies("kyc_lang=de"), None);
        assert_eq!(Lang::from_cookies("xkyc_lang=fr-CA"), None);
        assert_eq!(
            Lang::from_cookies("xkyc_lang=fr-CA; kyc_lang=es"),
            Some(Lang::EsMx)
        );
    }

    #[test]
    fn languages_are_negotiated_in_order() {
        let browser = vec!["de-DE".to_owned(), "es-US".to_owned(), "en".to_owned()];
        assert_eq!(Lang::negotiate(&[None, None, None], &browser), Lang::EsMx);
        assert_eq!(
            Lang::negotiate(&[None, Some("fr"), Some("en")], &browser),
            Lang::FrCa
        );
        assert_eq!(
            Lang::negotiate(&[Some("xx"), None, Some("en-GB")], &browser),
            Lang::En
        );
        assert_eq!(Lang::negotiate(&[], &[]), Lang::En);
        assert_eq!(Lang::negotiate(&[], &["pt-BR".to_owned()]), Lang::En);
        assert_eq!(Lang::parse("FR_ca"), Some(Lang::FrCa));
        assert_eq!(Lang::EsMx.persona_locale(), "es-MX");
    }

    #[test]
    fn a_partial_catalog_falls_back_key_by_key() {
        let c = Catalog::parse(r#"{"PrepTitle":"Avant de commencer","NotAKey":"x"}"#).unwrap();
        assert_eq!(c.get(Msg::PrepTitle), Some("Avant de commencer"));
        assert_eq!(c.get(Msg::PrepStart), None);
        assert_eq!(c.missing().len(), Msg::ALL.len() - 1);
        assert!(Catalog::<Msg>::parse("[1,2]").is_err());
        let pages = Catalog::parse(r#"{"PageScanTitle":"Balayez le code"}"#).unwrap();
        assert_eq!(pages.text(PageMsg::PageScanTitle), "Balayez le code");
        assert_eq!(
            pages.text(PageMsg::PageScanBody),
            PageMsg::PageScanBody.en()
        );
    }

    #[test]
    fn the_list_form_reads_back_as_the_same_catalog() {
        for lang in [Lang::FrCa, Lang::EsMx] {
            let path = format!("{}/locales/{}.json", env!("CARGO_MANIFEST_DIR"), lang.tag());
            let json = std::fs::read_to_string(&path).unwrap();
            let catalog: Catalog = Catalog::parse(&json).unwrap();
            assert_eq!(
                Catalog::from_list(&catalog.to_list()),
                Ok(catalog),
                "{path}"
            );
        }
        // Gaps stay gaps, and texts that need escaping come back whole.
        let partial: Catalog =
            Catalog::parse(r#"{"PrepTitle":"«Avant» \"de\" commencer\n</script>"}"#).unwrap();
        let back = Catalog::<Msg>::from_list(&partial.to_list()).unwrap();
        assert_eq!(
            back.get(Msg::PrepTitle),
            Some("«Avant» \"de\" commencer\n</script>")
        );
        assert_eq!(back.get(Msg::PrepStart), None);
    }

    #[test]
    fn a_list_for_other_keys_is_refused() {
        let french: Catalog = Catalog::parse(r#"{"PrepTitle":"Avant de commencer"}"#).unwrap();
        let list = french.to_list();
        // Another key list (keys added, removed, renamed or moved) has another fingerprint.
        assert_ne!(Msg::KEYS, PageMsg::KEYS);
        assert_ne!(
            key_list_fingerprint(&["PrepTitle", "PrepStart"]),
            key_list_fingerprint(&["PrepStart", "PrepTitle"])
        );
        assert_ne!(
            key_list_fingerprint(&["PrepTitle", "PrepStart"]),
            key_list_fingerprint(&["PrepTitlePrep", "Start"])
        );
        let other_keys = list.replacen(&Msg::KEYS.to_string(), &(Msg::KEYS ^ 1).to_string(), 1);
        assert!(Catalog::<Msg>::from_list(&other_keys).is_err());
        // The right fingerprint with a list of another length is refused too.
        let short = list.replacen(",null,", ",", 1);
        assert_ne!(short, list);
        assert!(Catalog::<Msg>::from_list(&short).is_err());
        // As is anything that is not a catalog in list form.
        let keys = Msg::KEYS;
        for bad in [
            r#"{"PrepTitle":"x"}"#.to_owned(),
            "[]".to_owned(),
            format!(r#"["{keys}"]"#),
            format!("[{keys},7{}]", ",null".repeat(Msg::ALL.len() - 1)),
            "[".to_owned(),
        ] {
            assert!(Catalog::<Msg>::from_list(&bad).is_err(), "{bad}");
        }
        assert!(Catalog::<PageMsg>::from_list(&list).is_err());
        // An app from before the list form reads catalogs as objects: it refuses this one
        // rather than take it for a catalog without texts.
        assert!(Catalog::<Msg>::parse(&list).is_err());
    }

    #[test]
    fn a_catalog_text_that_is_not_a_string_is_an_error_naming_its_key() {
        let err = Catalog::<Msg>::parse(r#"{"PrepTitle":7}"#).unwrap_err();
        assert!(err.to_string().contains("PrepTitle"), "{err}");
        // Values under keys the app does not know are not read at all.
        assert!(Catalog::<Msg>::parse(r#"{"NotAKey":7}"#).is_ok());
    }
}
