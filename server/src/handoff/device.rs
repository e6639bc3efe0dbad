//! The phone that redeemed a code, as the desktop is told of it: browser and system, coarse,
//! from its `User-Agent` ("Chrome on Android"). No version numbers, no model, no address:
//! enough for the customer to tell their phone from someone else's, nothing to track.

/// The browser's and the system's names (empty when not recognised). The order matters:
/// most browsers also name the ones they descend from.
pub fn coarse(user_agent: &str) -> (&'static str, &'static str) {
    let has = |s: &str| user_agent.contains(s);
    let browser = if has("EdgA/") || has("EdgiOS/") || has("Edg/") {
        "Edge"
    } else if has("SamsungBrowser/") {
        "Samsung Internet"
    } else if has("OPR/") || has("OPiOS/") {
        "Opera"
    } else if has("Firefox/") || has("FxiOS/") {
        "Firefox"
    } else if has("CriOS/") || has("Chrome/") {
        "Chrome"
    } else if has("Safari/") {
        "Safari"
    } else {
        ""
    };
    let os = if has("Android") {
        "Android"
    } else if has("iPhone") {
        "iPhone"
    } else if has("iPad") {
        "iPad"
    } else if has("CrOS") {
        "ChromeOS"
    } else if has("Windows") {
        "Windows"
    } else if has("Macintosh") || has("Mac OS X") {
        "Mac"
    } else if has("Linux") {
        "Linux"
    } else {
        ""
    };
    (browser, os)
}

#[cfg(test)]
mod tests {
    use super::coarse;

    #[test]
    fn common_phones_are_named_without_versions() {
        let pixel = "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36";
        assert_eq!(coarse(pixel), ("Chrome", "Android"));
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
        assert_eq!(coarse(iphone), ("Safari", "iPhone"));
        let samsung = "Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36";
        assert_eq!(coarse(samsung), ("Samsung Internet", "Android"));
        let chrome_ios = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0 Mobile/15E148 Safari/604.1";
        assert_eq!(coarse(chrome_ios), ("Chrome", "iPhone"));
        let firefox = "Mozilla/5.0 (Android 14; Mobile; rv:127.0) Gecko/127.0 Firefox/127.0";
        assert_eq!(coarse(firefox), ("Firefox", "Android"));
        let edge = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0";
        assert_eq!(coarse(edge), ("Edge", "Windows"));
        assert_eq!(coarse("curl/8.5.0"), ("", ""));
        assert_eq!(coarse(""), ("", ""));
    }
}
