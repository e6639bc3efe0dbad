//! The desktop-to-phone handoff: its codes, the phone's progress and how the machine
//! follows the phone.

use super::*;

/// How often the desktop asks how the phone is doing.
pub const HANDOFF_POLL_MS: u32 = 2_000;
/// Once the phone has had the verification this long without finishing (put down, its
/// battery gone), the desktop asks only every [`HANDOFF_SLOW_POLL_MS`]: an abandoned phone
/// must not cost the backend a call every two seconds until the session ends.
pub const HANDOFF_SLOW_AFTER: Millis = 5 * MINUTE;
/// The slower pace, still quick enough to follow a phone that carries on.
pub const HANDOFF_SLOW_POLL_MS: u32 = 10_000;
/// How long a handoff code works. Three minutes: scanning and tapping Continue takes
/// seconds, and while the screen is up the desktop makes a new code before this one lapses
/// ([`HANDOFF_REFRESH_BEFORE`]), so a short life costs the customer nothing; a code seen
/// once (over a shoulder, in a photo of the screen) is dead soon after.
pub const HANDOFF_CODE_LIFETIME: Millis = 3 * MINUTE;
/// A new code is made this long before the shown one lapses, while no phone has come.
pub const HANDOFF_REFRESH_BEFORE: Millis = 30_000;
/// What became of a handoff code: the `code` of `GET /handoff/status`, which the server
/// writes ([`HandoffCode::as_str`]) and the app reads ([`HandoffCode::parse`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HandoffCode {
    /// Waiting for the phone.
    Active,
    /// The phone opened it.
    Used,
    /// Its life ([`HANDOFF_CODE_LIFETIME`]) ran out before the phone came.
    Expired,
    /// There is no code.
    None,
}

impl HandoffCode {
    /// The status's `code`, as the server writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            HandoffCode::Active => "active",
            HandoffCode::Used => "used",
            HandoffCode::Expired => "expired",
            HandoffCode::None => "none",
        }
    }

    /// Reads the status's `code`; one this app does not know counts as no code.
    pub fn parse(text: &str) -> HandoffCode {
        match text {
            "active" => HandoffCode::Active,
            "used" => HandoffCode::Used,
            "expired" => HandoffCode::Expired,
            _ => HandoffCode::None,
        }
    }
}

/// The link in the QR code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HandoffLink {
    /// The path after the app's origin (`/handoff/<code>`).
    pub path: String,
    /// When it stops working.
    pub expires_ms: Option<Millis>,
    /// The number the phone's page shows too, for the customer to compare.
    pub confirm: Option<String>,
}

/// The whole link to a handoff code's `path` on the app's `origin`. It carries the page's
/// language unless that is English (the default), so the other device carries on in the
/// language the customer was reading.
pub fn handoff_url(origin: &str, path: &str, lang: Lang) -> String {
    [origin, path, lang.link_query()].concat()
}

/// How far the phone has got, as the desktop sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PhoneProgress {
    /// The code is shown; the phone has not opened it.
    WaitingForPhone,
    /// The phone opened the link.
    Connected,
    /// The customer is taking the photos on the phone.
    InProgress,
    /// The code ran out before the phone came: make a new one.
    CodeExpired,
}

impl Flow {
    /// Makes a (new) code and starts following the phone; `request` is `HandoffRevoke` to
    /// end the phone that came first. Called from five places: kept out of line (size).
    #[inline(never)]
    pub(super) fn start_handoff(&mut self, request: RequestKind, fx: &mut Vec<Effect>) {
        self.requests.timer = None;
        self.handoff.phone_since = None;
        self.handoff.phone_device = None;
        if !self.handoff.following {
            self.handoff.following = true;
            fx.push(Effect::MarkHandoff(true));
            let from = std::mem::replace(&mut self.phase, Phase::Prep);
            self.handoff.from =
                matches!(from, Phase::Paused | Phase::Outcome(_) | Phase::Problem(_))
                    .then_some(from);
        }
        self.phase = Phase::Handoff {
            link: None,
            phone: PhoneProgress::WaitingForPhone,
        };
        self.send(request, fx);
    }

    pub(super) fn stop_following_phone(&mut self, fx: &mut Vec<Effect>) {
        if self.handoff.following {
            self.handoff.following = false;
            fx.push(Effect::MarkHandoff(false));
        }
    }

    /// What the phone is doing, as the backend tells the desktop.
    pub(super) fn on_handoff_status(
        &mut self,
        now: Millis,
        code: HandoffCode,
        verification: Option<IdentityVerification>,
        fx: &mut Vec<Effect>,
    ) {
        if !matches!(self.phase, Phase::Handoff { .. }) {
            return;
        }
        if let Some(v) = &verification {
            self.adopt(v, fx);
            // The phone sent the document the review asked for.
            if Tracked::from(v).documents_done() {
                return self.back_to_review(fx);
            }
            if let Some(found) = verdict(v) {
                return self.conclude(now, v, found, fx);
            }
        }
        if code == HandoffCode::Active
            && matches!(self.phase, Phase::Handoff { link: None, .. })
            && self.requests.in_flight.is_none()
        {
            // A reload of this screen: the code is still unused but its link was only ever
            // in the old page's memory. Make a new one to show (the old one stops working).
            return self.start_handoff(RequestKind::Handoff, fx);
        }
        // Whether the phone has come is the code's to say; how far it got, the verification's.
        let progress = match (code, &verification) {
            (HandoffCode::Active, _) => PhoneProgress::WaitingForPhone,
            (HandoffCode::Used, Some(v)) if v.state == VerificationState::Pending => {
                PhoneProgress::InProgress
            }
            (HandoffCode::Used, _) => PhoneProgress::Connected,
            (HandoffCode::Expired | HandoffCode::None, _) => PhoneProgress::CodeExpired,
        };
        if let Phase::Handoff { phone, link } = &mut self.phase {
            *phone = progress;
            // A dead code's link and picture would only fail on the phone.
            if progress == PhoneProgress::CodeExpired {
                *link = None;
            }
        }
        let with_phone = matches!(
            progress,
            PhoneProgress::Connected | PhoneProgress::InProgress
        );
        let since = *self.handoff.phone_since.get_or_insert(now);
        if !with_phone {
            self.handoff.phone_since = None;
        }
        let pace = if with_phone && now - since >= HANDOFF_SLOW_AFTER {
            HANDOFF_SLOW_POLL_MS
        } else {
            HANDOFF_POLL_MS
        };
        if progress != PhoneProgress::CodeExpired {
            self.later(RequestKind::HandoffStatus, pace, fx);
        }
    }
}
