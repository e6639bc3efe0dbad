//! What the device and browser say about the customer's chances with the camera, decided
//! from facts the shell gathers (user agent, touch, media devices, permissions, battery).
//! Checks that cannot be done are `None` and never block.

use super::text::Msg;

/// Facts about the device, as far as the browser tells.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DeviceFacts {
    /// `navigator.userAgent`.
    pub user_agent: String,
    /// `navigator.maxTouchPoints`.
    pub max_touch_points: u32,
    /// Whether any camera is listed (`enumerateDevices`); `None` when it cannot be asked.
    pub has_camera: Option<bool>,
    /// The camera permission (Permissions API); `None` where unsupported.
    pub camera_permission: Option<Permission>,
    /// Battery level from 0 to 1 and whether it charges (Battery API); `None` elsewhere.
    pub battery: Option<(f64, bool)>,
}

/// A permission's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Permission {
    /// Allowed.
    Granted,
    /// Will be asked.
    Prompt,
    /// Refused earlier.
    Denied,
}

/// The platform, for the right instructions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Platform {
    /// iPhone, iPad or iPod.
    Ios,
    /// Android phone or tablet.
    Android,
    /// A computer.
    Desktop,
}

/// Something worth telling the customer before the camera opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeviceNotice {
    /// No camera at all.
    NoCamera,
    /// The camera was refused; how to turn it back on depends on the platform.
    CameraBlocked(Platform),
    /// Inside another app's browser, where the camera usually does not work.
    InAppBrowser(Platform),
    /// On a computer: a phone takes better pictures.
    Desktop,
    /// A browser too old for the capture flow.
    OldBrowser,
    /// Battery low and not charging.
    LowBattery,
}

impl DeviceNotice {
    /// The notice's heading.
    pub fn title(self) -> Msg {
        match self {
            DeviceNotice::NoCamera => Msg::DeviceNoCameraTitle,
            DeviceNotice::CameraBlocked(_) => Msg::DeviceBlockedTitle,
            DeviceNotice::InAppBrowser(_) => Msg::DeviceInAppTitle,
            DeviceNotice::Desktop => Msg::DeviceDesktopTitle,
            DeviceNotice::OldBrowser => Msg::DeviceOldBrowserTitle,
            DeviceNotice::LowBattery => Msg::DeviceLowBatteryTitle,
        }
    }

    /// What to do about it.
    pub fn body(self) -> Msg {
        match self {
            DeviceNotice::NoCamera => Msg::DeviceNoCameraBody,
            DeviceNotice::CameraBlocked(Platform::Ios) => Msg::DeviceBlockedIos,
            DeviceNotice::CameraBlocked(Platform::Android) => Msg::DeviceBlockedAndroid,
            DeviceNotice::CameraBlocked(Platform::Desktop) => Msg::DeviceBlockedDesktop,
            DeviceNotice::InAppBrowser(Platform::Ios) => Msg::DeviceInAppIos,
            DeviceNotice::InAppBrowser(_) => Msg::DeviceInAppAndroid,
            DeviceNotice::Desktop => Msg::DeviceDesktopBody,
            DeviceNotice::OldBrowser => Msg::DeviceOldBrowserBody,
            DeviceNotice::LowBattery => Msg::DeviceLowBatteryBody,
        }
    }

    /// Whether it is serious (the camera will probably not work) or only advice.
    pub fn is_warning(self) -> bool {
        matches!(
            self,
            DeviceNotice::NoCamera
                | DeviceNotice::CameraBlocked(_)
                | DeviceNotice::InAppBrowser(_)
                | DeviceNotice::OldBrowser
        )
    }

    /// A stable identifier for tests and styling.
    pub fn id(self) -> &'static str {
        match self {
            DeviceNotice::NoCamera => "no-camera",
            DeviceNotice::CameraBlocked(_) => "camera-blocked",
            DeviceNotice::InAppBrowser(_) => "in-app-browser",
            DeviceNotice::Desktop => "desktop",
            DeviceNotice::OldBrowser => "old-browser",
            DeviceNotice::LowBattery => "low-battery",
        }
    }
}

/// The platform from the user agent; iPadOS says "Macintosh" but has touch points. Inlined
/// (small): the camera check's call from the second module must not make it a function of
/// its own in the first.
#[inline(always)]
pub fn platform(facts: &DeviceFacts) -> Platform {
    let ua = facts.user_agent.as_str();
    let ipad_as_mac = ua.contains("Macintosh") && facts.max_touch_points > 1;
    if ua.contains("iPhone") || ua.contains("iPad") || ua.contains("iPod") || ipad_as_mac {
        Platform::Ios
    } else if ua.contains("Android") {
        Platform::Android
    } else {
        Platform::Desktop
    }
}

/// Whether the page runs inside another app's web view (Facebook, Instagram, TikTok...).
pub fn is_in_app_browser(user_agent: &str) -> bool {
    const MARKERS: [&str; 12] = [
        "FBAN",
        "FBAV",
        "FB_IAB",
        "Instagram",
        "Line/",
        "MicroMessenger",
        "LinkedInApp",
        "Snapchat",
        "musical_ly",
        "BytedanceWebview",
        "Twitter",
        "; wv)",
    ];
    if MARKERS.iter().any(|m| user_agent.contains(m)) {
        return true;
    }
    // iOS web views lack the "Safari/" token that Safari, Chrome and Firefox on iOS carry.
    let ios = user_agent.contains("iPhone") || user_agent.contains("iPad");
    ios && user_agent.contains("AppleWebKit") && !user_agent.contains("Safari/")
}

/// The major version after `marker` (e.g. `Chrome/120.0` -> 120).
fn major_after(ua: &str, marker: &str) -> Option<u32> {
    let start = ua.find(marker)? + marker.len();
    ua[start..]
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

/// Browsers older than about 2021 lack what the capture flow needs.
pub fn is_old_browser(user_agent: &str) -> bool {
    if user_agent.contains("MSIE") || user_agent.contains("Trident/") {
        return true;
    }
    if let Some(v) =
        major_after(user_agent, "Chrome/").or_else(|| major_after(user_agent, "CriOS/"))
    {
        return v < 90;
    }
    if let Some(v) = major_after(user_agent, "Firefox/") {
        return v < 90;
    }
    if user_agent.contains("Safari/") {
        if let Some(v) = major_after(user_agent, "Version/") {
            return v < 14;
        }
    }
    false
}

/// The notices worth showing, most serious first.
pub fn assess(facts: &DeviceFacts) -> Vec<DeviceNotice> {
    let platform = platform(facts);
    let mut notices = Vec::new();
    let in_app = is_in_app_browser(&facts.user_agent);
    // Inside another app, the fix for a missing or refused camera is the customer's own
    // browser, which that notice already says: no second, contradicting instruction.
    if in_app {
        notices.push(DeviceNotice::InAppBrowser(platform));
    } else if facts.has_camera == Some(false) {
        notices.push(DeviceNotice::NoCamera);
    } else if facts.camera_permission == Some(Permission::Denied) {
        notices.push(DeviceNotice::CameraBlocked(platform));
    }
    if !in_app && is_old_browser(&facts.user_agent) {
        notices.push(DeviceNotice::OldBrowser);
    }
    if platform == Platform::Desktop {
        notices.push(DeviceNotice::Desktop);
    }
    if let Some((level, charging)) = facts.battery {
        if level < 0.2 && !charging {
            notices.push(DeviceNotice::LowBattery);
        }
    }
    notices
}

#[cfg(test)]
mod tests {
    use super::*;

    const IPHONE_SAFARI: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";
    const PIXEL_CHROME: &str = "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36";
    const DESKTOP_CHROME: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
    const INSTAGRAM_IOS: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 330.0.0.0";
    const WKWEBVIEW: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148";
    const ANDROID_WEBVIEW: &str = "Mozilla/5.0 (Linux; Android 14; Pixel 7 Build/UQ1A; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/124.0.0.0 Mobile Safari/537.36";
    const OLD_CHROME: &str = "Mozilla/5.0 (Linux; Android 8.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.110 Mobile Safari/537.36";
    const IPAD_DESKTOP_MODE: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15";

    fn facts(ua: &str) -> DeviceFacts {
        DeviceFacts {
            user_agent: ua.to_owned(),
            ..DeviceFacts::default()
        }
    }

    #[test]
    fn a_current_phone_browser_gets_no_notice() {
        assert!(assess(&facts(IPHONE_SAFARI)).is_empty());
        assert!(assess(&facts(PIXEL_CHROME)).is_empty());
    }

    #[test]
    fn desktop_is_advised_to_use_a_phone() {
        assert_eq!(assess(&facts(DESKTOP_CHROME)), [DeviceNotice::Desktop]);
        let mut ipad = facts(IPAD_DESKTOP_MODE);
        ipad.max_touch_points = 5;
        assert_eq!(platform(&ipad), Platform::Ios);
        assert!(assess(&ipad).is_empty(), "an iPad is not a desktop");
    }

    #[test]
    fn in_app_browsers_are_detected() {
        for ua in [INSTAGRAM_IOS, WKWEBVIEW, ANDROID_WEBVIEW] {
            assert!(is_in_app_browser(ua), "{ua}");
        }
        for ua in [IPHONE_SAFARI, PIXEL_CHROME, DESKTOP_CHROME] {
            assert!(!is_in_app_browser(ua), "{ua}");
        }
        assert_eq!(
            assess(&facts(INSTAGRAM_IOS)),
            [DeviceNotice::InAppBrowser(Platform::Ios)]
        );
        assert_eq!(
            DeviceNotice::InAppBrowser(Platform::Android).body(),
            Msg::DeviceInAppAndroid
        );
    }

    #[test]
    fn camera_problems_come_first_with_platform_instructions() {
        let mut f = facts(PIXEL_CHROME);
        f.camera_permission = Some(Permission::Denied);
        assert_eq!(assess(&f), [DeviceNotice::CameraBlocked(Platform::Android)]);
        f.has_camera = Some(false);
        assert_eq!(
            assess(&f),
            [DeviceNotice::NoCamera],
            "no camera says it all"
        );
        let mut ios = facts(IPHONE_SAFARI);
        ios.camera_permission = Some(Permission::Denied);
        assert_eq!(assess(&ios)[0].body(), Msg::DeviceBlockedIos);
    }

    #[test]
    fn inside_another_app_only_its_own_browser_is_advised_for_the_camera() {
        let mut f = facts(INSTAGRAM_IOS);
        f.camera_permission = Some(Permission::Denied);
        assert_eq!(assess(&f), [DeviceNotice::InAppBrowser(Platform::Ios)]);
        f.has_camera = Some(false);
        assert_eq!(assess(&f), [DeviceNotice::InAppBrowser(Platform::Ios)]);
        let mut android = facts(ANDROID_WEBVIEW);
        android.battery = Some((0.1, false));
        android.camera_permission = Some(Permission::Denied);
        assert_eq!(
            assess(&android),
            [
                DeviceNotice::InAppBrowser(Platform::Android),
                DeviceNotice::LowBattery
            ],
            "advice that still holds in the own browser stays"
        );
    }

    #[test]
    fn old_browsers_and_low_battery() {
        assert_eq!(assess(&facts(OLD_CHROME)), [DeviceNotice::OldBrowser]);
        assert!(is_old_browser(
            "Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.1)"
        ));
        assert!(!is_old_browser(""), "unknown browsers are not blocked");
        let mut f = facts(PIXEL_CHROME);
        f.battery = Some((0.1, false));
        assert_eq!(assess(&f), [DeviceNotice::LowBattery]);
        f.battery = Some((0.1, true));
        assert!(assess(&f).is_empty(), "charging is fine");
    }

    #[test]
    fn unknown_facts_never_block() {
        let f = facts(PIXEL_CHROME);
        assert_eq!(f.has_camera, None);
        assert!(assess(&f).iter().all(|n| !n.is_warning()));
    }
}
