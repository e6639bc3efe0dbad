//! The checks of each setting's text (clap's `value_parser`s) and of settings that must
//! agree with each other, for [`super::Settings`].

use std::net::SocketAddr;

use kyc_onboarding::core::text::Lang;

use super::List;
use crate::config::LogFormat;
use crate::origin::{is_origin, origin_of};

/// The networks of `KYC_TRUSTED_PROXIES`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proxies(pub Vec<ipnet::IpNet>);

/// Whole seconds from `min` to `max`, for the variable `name`.
pub(super) fn seconds_in(name: &str, min: u64, max: u64, text: &str) -> Result<u64, String> {
    match text.trim().parse::<u64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(format!(
            "{name} must be {min} to {max} seconds, got `{text}`"
        )),
    }
}

pub(super) fn drain_secs(text: &str) -> Result<u64, String> {
    seconds_in("KYC_DRAIN_SECS", 0, 600, text)
}

pub(super) fn header_read_timeout_secs(text: &str) -> Result<u64, String> {
    seconds_in("KYC_HEADER_READ_TIMEOUT_SECS", 1, 300, text)
}

pub(super) fn request_timeout_secs(text: &str) -> Result<u64, String> {
    seconds_in("KYC_REQUEST_TIMEOUT_SECS", 1, 600, text)
}

pub(super) fn at_least_one(text: &str) -> Result<u64, String> {
    match text.trim().parse::<u64>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!(
            "KYC_MAX_CONCURRENT_REQUESTS must be at least 1, got `{text}`"
        )),
    }
}

pub(super) fn log_format(text: &str) -> Result<LogFormat, String> {
    match text.trim() {
        "text" => Ok(LogFormat::Text),
        "json" => Ok(LogFormat::Json),
        _ => Err(format!("KYC_LOG_FORMAT must be text or json, got `{text}`")),
    }
}

pub(super) fn metrics_address(text: &str) -> Result<SocketAddr, String> {
    text.trim()
        .parse()
        .map_err(|_| format!("KYC_METRICS_ADDR must look like 127.0.0.1:9090, got `{text}`"))
}

pub(super) fn trusted_proxies(text: &str) -> Result<Proxies, String> {
    text.split([',', ' '])
        .filter(|p| !p.is_empty())
        .map(|p| {
            // A bare address is a network of one.
            p.parse::<ipnet::IpNet>()
                .or_else(|_| p.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| {
                    format!("KYC_TRUSTED_PROXIES must list CIDRs like 10.0.0.0/8, got `{p}`")
                })
        })
        .collect::<Result<_, _>>()
        .map(Proxies)
}

pub(super) fn redis_url(text: &str) -> Result<String, String> {
    let known = ["redis://", "rediss://", "redis+unix://", "unix://"];
    if known.iter().any(|scheme| text.starts_with(scheme)) {
        Ok(text.to_owned())
    } else {
        // Not the text itself: it may carry a password.
        Err("KYC_REDIS_URL must be a redis:// (or rediss://) URL".to_owned())
    }
}

pub(super) fn redis_prefix(text: &str) -> Result<String, String> {
    if text.len() > 64 || text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Err(format!(
            "KYC_REDIS_PREFIX must be up to 64 characters without spaces, got `{text}`"
        ))
    } else {
        Ok(text.to_owned())
    }
}

pub(super) fn listen_address(text: &str) -> Result<SocketAddr, String> {
    text.parse()
        .map_err(|_| format!("must look like 127.0.0.1:8080, got `{text}`"))
}

pub(super) fn whole_number(text: &str) -> Result<u64, String> {
    text.parse()
        .map_err(|_| format!("must be a whole number, got `{text}`"))
}

pub(super) fn public_url(text: &str) -> Result<String, String> {
    match origin_of(text) {
        Some(_) => Ok(text.to_owned()),
        None => Err(format!(
            "KYC_PUBLIC_URL must be an http or https address, got `{text}`"
        )),
    }
}

pub(super) fn launch_origins(text: &str) -> Result<List, String> {
    if text.trim() == "*" {
        return Ok(List(vec!["*".to_owned()]));
    }
    let origins: Vec<String> = text
        .split([' ', ','])
        .filter(|o| !o.is_empty())
        .map(|o| o.trim_end_matches('/').to_ascii_lowercase())
        .collect();
    match origins.iter().find(|o| !is_origin(o)) {
        Some(bad) => Err(format!(
            "KYC_LAUNCH_ORIGINS must list origins like https://app.example.com, got `{bad}`"
        )),
        None => Ok(List(origins)),
    }
}

/// A key id for a token header's `kid`: up to 64 printable characters.
pub(super) fn key_id(text: &str) -> Result<String, String> {
    if text.is_empty() || text.len() > 64 || !text.chars().all(|c| c.is_ascii_graphic()) {
        Err(format!(
            "a launch key id must be 1 to 64 printable characters without spaces, got `{text}`"
        ))
    } else {
        Ok(text.to_owned())
    }
}

/// The secrets and ids of a key rotation agree: a previous secret (at least 32 bytes) only
/// beside a current one, ids only for secrets that are set, and no two keys with one id.
pub(super) fn check_rotation(
    current: Option<&[u8]>,
    previous: Option<&[u8]>,
    id: Option<&str>,
    previous_id: Option<&str>,
) -> Result<(), String> {
    if previous.is_some_and(|s| s.len() < 32) {
        return Err("KYC_LAUNCH_SECRET_PREVIOUS must be at least 32 bytes".to_owned());
    }
    if previous.is_some() && current.is_none() {
        return Err(
            "KYC_LAUNCH_SECRET_PREVIOUS needs KYC_LAUNCH_SECRET, the new secret".to_owned(),
        );
    }
    if previous.is_some() && previous == current {
        return Err("KYC_LAUNCH_SECRET_PREVIOUS is the same as KYC_LAUNCH_SECRET".to_owned());
    }
    if id.is_some() && current.is_none() {
        return Err("KYC_LAUNCH_KEY_ID names no key: KYC_LAUNCH_SECRET is not set".to_owned());
    }
    if previous_id.is_some() && previous.is_none() {
        return Err(
            "KYC_LAUNCH_KEY_ID_PREVIOUS names no key: KYC_LAUNCH_SECRET_PREVIOUS is not set"
                .to_owned(),
        );
    }
    if id.is_some() && id == previous_id {
        return Err("KYC_LAUNCH_KEY_ID and KYC_LAUNCH_KEY_ID_PREVIOUS must differ".to_owned());
    }
    Ok(())
}

/// `frame-ancestors` sources: https (http for localhost), wildcards allowed (`https://*.x`).
pub(super) fn frame_ancestors(text: &str) -> Result<List, String> {
    let sources: Vec<String> = text.split_whitespace().map(str::to_owned).collect();
    match sources
        .iter()
        .find(|s| !(s.starts_with("https://") || s.starts_with("http://localhost")))
    {
        Some(bad) => Err(format!(
            "KYC_FRAME_ANCESTORS entries must be https origins, got `{bad}`"
        )),
        None => Ok(List(sources)),
    }
}

pub(super) fn host_origin(text: &str) -> Result<String, String> {
    if is_origin(text) {
        Ok(text.to_owned())
    } else {
        Err(format!(
            "KYC_HOST_ORIGIN must be an origin like https://app.example.com, got `{text}`"
        ))
    }
}

pub(super) fn tax_id_choice(text: &str) -> Result<bool, String> {
    match text.trim() {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(format!(
            "KYC_REQUIRE_TAX_ID must be `true` or `false`, got `{text}`"
        )),
    }
}

pub(super) fn language(text: &str) -> Result<String, String> {
    match Lang::parse(text) {
        Some(_) => Ok(text.to_owned()),
        None => Err(format!(
            "KYC_LANGUAGE must be one of en, fr-CA, es-MX, got `{text}`"
        )),
    }
}

pub(super) fn radius(text: &str) -> Result<u8, String> {
    text.parse()
        .ok()
        .filter(|r| *r <= 32)
        .ok_or(format!("KYC_BRAND_RADIUS_PX must be 0 to 32, got `{text}`"))
}

pub(super) fn comma_list(text: &str) -> Result<List, String> {
    Ok(List(text.split(',').map(|g| g.trim().to_owned()).collect()))
}
