//! Random identifiers and tokens, and comparing secrets without leaking timing.

use base64::Engine;
use subtle::ConstantTimeEq;

/// `n` bytes from the operating system's generator.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    // Failing to read the OS generator is not something to carry on from.
    getrandom::fill(&mut bytes).expect("the operating system's random generator is available");
    bytes
}

/// A 32-hex-digit identifier, like Cybrid's guids.
pub fn hex_id() -> String {
    random_bytes::<16>()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A Persona-like inquiry id.
pub fn inquiry_id() -> String {
    format!("inq_{}", &hex_id()[..24])
}

/// `prefix_` followed by 256 random bits in URL-safe base64.
pub fn token(prefix: &str) -> String {
    format!(
        "{prefix}_{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random_bytes::<32>())
    )
}

/// Compares two secrets in time that depends only on their lengths (`subtle`'s
/// constant-time comparison).
pub fn equal(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_tokens_have_their_shape_and_differ() {
        let id = hex_id();
        assert_eq!(id.len(), 32);
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(hex_id(), id);
        let t = token("pst");
        assert!(t.starts_with("pst_"));
        assert_eq!(t.len(), 4 + 43, "256 bits in base64url");
        assert!(inquiry_id().starts_with("inq_"));
        assert_eq!(inquiry_id().len(), 28);
    }

    #[test]
    fn compares_secrets() {
        assert!(equal(b"abc", b"abc"));
        assert!(!equal(b"abc", b"abd"));
        assert!(!equal(b"abc", b"abcd"));
    }
}
