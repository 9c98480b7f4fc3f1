//! Component passwords: generated once, URL-safe, never printed.

use std::fmt;

/// Characters a password is made of: letters and digits, so it needs no escaping in a URL, a
/// connection string, a shell or a configuration file.
const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// The length of a generated password: 32 characters of 62 are about 190 bits.
pub const LENGTH: usize = 32;

/// A password. Its `Debug` and `Display` never show it; [`Password::expose`] is the one way to
/// read it, and only the Secret's template gets it.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    /// Generates a new password from the operating system's random source.
    #[must_use]
    pub fn generate() -> Self {
        let mut out = String::with_capacity(LENGTH);
        let mut bytes = [0u8; 64];
        while out.len() < LENGTH {
            getrandom::fill(&mut bytes).expect("the operating system's random source works");
            // Rejection sampling keeps every character equally likely.
            for byte in bytes {
                let limit = 256 - (256 % ALPHABET.len());
                if usize::from(byte) < limit && out.len() < LENGTH {
                    out.push(char::from(ALPHABET[usize::from(byte) % ALPHABET.len()]));
                }
            }
        }
        Self(out)
    }

    /// Returns the password itself.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(redacted)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_url_safe_and_differ() {
        let a = Password::generate();
        let b = Password::generate();
        assert_eq!(a.expose().len(), LENGTH);
        assert!(a.expose().bytes().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(a, b);
        assert_eq!(format!("{a:?}"), "Password(redacted)");
    }
}
