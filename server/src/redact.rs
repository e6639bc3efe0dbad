//! How secrets show in `Debug` output and logs: never. [`redacted`] stands in for a secret,
//! [`redis_url`] keeps a Redis address readable without its password.

use std::fmt;

/// What a secret shows as in `Debug` output.
pub struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// A stand-in for a secret's value in `Debug` output.
pub fn redacted() -> Redacted {
    Redacted
}

/// A Redis URL without its user's password (`redis://:<redacted>@host:6379/0`); a URL that
/// cannot be read shows as redacted altogether.
pub fn redis_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) => {
            if parsed.password().is_some() && parsed.set_password(Some("redacted")).is_err() {
                return "<redacted>".to_owned();
            }
            parsed.to_string()
        }
        Err(_) => "<redacted>".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_redis_password_is_not_shown() {
        let shown = redis_url("redis://user:hunter2@redis.internal:6379/2");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("redis.internal:6379/2"), "{shown}");
        assert_eq!(
            redis_url("redis://redis.internal"),
            "redis://redis.internal"
        );
        assert_eq!(redis_url("not a url:hunter2"), "<redacted>");
    }
}
