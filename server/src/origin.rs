//! Web origins (`scheme://host[:port]`), read with the `url` crate: the one place that says
//! what the origin of an address is, and which origins a setting may name.

use url::Url;

/// The origin of an absolute http(s) address, without path, query or trailing slash
/// (`https://cdn.example/x.js` -> `https://cdn.example`), host in lower case and the
/// scheme's default port left out; `None` for a relative address, another scheme or text
/// that is not an address.
pub fn origin_of(address: &str) -> Option<String> {
    let url = Url::parse(address).ok()?;
    if !matches!(url.scheme(), "https" | "http") || url.host_str().is_none_or(str::is_empty) {
        return None;
    }
    Some(url.origin().ascii_serialization())
}

/// Whether an http address is on this machine (`localhost`, `127.0.0.1`): for trying the
/// server out, where plain http is allowed.
pub fn is_on_this_machine(address: &str) -> bool {
    Url::parse(address).is_ok_and(|url| {
        url.scheme() == "http" && matches!(url.host_str(), Some("localhost" | "127.0.0.1"))
    })
}

/// Whether an address is https, or plain http to a loopback address (`localhost`,
/// `127.0.0.0/8`, `[::1]`): where a server may send credentials.
pub fn is_https_or_loopback(address: &str) -> bool {
    Url::parse(address).is_ok_and(|url| match (url.scheme(), url.host()) {
        ("https", Some(_)) => true,
        ("http", Some(url::Host::Domain(host))) => host == "localhost",
        ("http", Some(url::Host::Ipv4(ip))) => ip.is_loopback(),
        ("http", Some(url::Host::Ipv6(ip))) => ip.is_loopback(),
        _ => false,
    })
}

/// Whether `text` names an origin and nothing more: https (http only on this machine), a
/// host, maybe a port, and no path (not even a trailing `/`), query, fragment or user.
pub fn is_origin(text: &str) -> bool {
    let Ok(url) = Url::parse(text) else {
        return false;
    };
    (url.scheme() == "https" || is_on_this_machine(text))
        && url.host_str().is_some_and(|host| !host.is_empty())
        && url.path() == "/"
        && !text.ends_with('/')
        && url.query().is_none()
        && url.fragment().is_none()
        && url.username().is_empty()
        && url.password().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_origin_of_an_address() {
        for (address, origin) in [
            (
                "https://cdn.withpersona.com/dist/persona-v5.9.0.js",
                "https://cdn.withpersona.com",
            ),
            ("https://kyc.example.com", "https://kyc.example.com"),
            ("https://kyc.example.com/", "https://kyc.example.com"),
            (
                "https://kyc.example.com:8443/app?x#y",
                "https://kyc.example.com:8443",
            ),
            ("http://localhost:8080/", "http://localhost:8080"),
            ("https://App.Example.com/page", "https://app.example.com"),
        ] {
            assert_eq!(origin_of(address).as_deref(), Some(origin), "{address}");
        }
        for not in [
            "/persona.js",
            "javascript://x",
            "",
            "kyc.example.com",
            "file:///x",
        ] {
            assert_eq!(origin_of(not), None, "{not}");
        }
    }

    #[test]
    fn origins_a_setting_may_name() {
        for good in [
            "https://app.example.com",
            "https://app.example.com:8443",
            "http://localhost:3000",
            "http://127.0.0.1",
        ] {
            assert!(is_origin(good), "{good}");
        }
        for bad in [
            "app.example.com",
            "http://app.example.com",
            "http://localhost.example.com",
            "https://a.example/path",
            "https://a.example/",
            "https://a.example?q",
            "https://user@a.example",
            "*",
            "",
        ] {
            assert!(!is_origin(bad), "{bad}");
        }
        assert!(is_on_this_machine("http://localhost:8080/app"));
        assert!(!is_on_this_machine("http://localhost.example.com"));
        assert!(!is_on_this_machine("https://localhost"));
    }
}
