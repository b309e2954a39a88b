//! User tokens whose claims are written directly, without building a JSON map.
//!
//! `generateUserToken({ user_id })`, `generateUserToken({ user_id, validity_in_seconds })`
//! and `createToken(userId)` are the common calls. Their claims have a fixed shape, so they
//! are written straight into a buffer here. The result is byte for byte what the general
//! path in [`super::claims`] produces. Inputs that would make the general path raise an
//! error, or whose claims differ from the fixed shape, return `None`, and the caller then
//! takes the general path, which reports the error.

use super::claims::{default_iat, default_legacy_exp};

/// The largest `validity_in_seconds` taken here. Larger values go through the general path,
/// where an `exp` above 2^53 is written as a float.
const MAX_DIRECT_VALIDITY_SECS: u64 = 1_000_000_000_000;

/// The claims shape of a directly written user token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DirectClaims {
    /// `generateUserToken({ user_id })`: `{"user_id","iat","exp"}`, one hour of validity.
    UserId,
    /// `generateUserToken({ user_id, validity_in_seconds })`, keys in that order:
    /// `{"user_id","validity_in_seconds","iat","exp"}`.
    UserIdWithValidity(u64),
    /// `createToken(userId)`: `{"user_id","exp","iat"}`, with `exp` one hour from now
    /// rounded as the deprecated method rounds it.
    Legacy,
}

/// Appends `"name":` to `out`.
fn key(out: &mut Vec<u8>, name: &str) {
    out.push(b'"');
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b"\":");
}

/// Appends `value` in decimal to `out`.
fn integer(out: &mut Vec<u8>, value: i64) {
    let mut digits = [0u8; 20];
    let mut rest = value.unsigned_abs();
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    if value < 0 {
        out.push(b'-');
    }
    out.extend_from_slice(&digits[start..]);
}

/// Appends `text` as a JSON string, escaped as `serde_json` escapes it: `"`, `\` and the
/// control characters below U+0020, with the short forms `\b \f \n \r \t`.
fn string(out: &mut Vec<u8>, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    for &byte in text.as_bytes() {
        match byte {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\x08' => out.extend_from_slice(b"\\b"),
            b'\x0c' => out.extend_from_slice(b"\\f"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0..=0x1f => {
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(byte >> 4)]);
                out.push(HEX[usize::from(byte & 0xf)]);
            }
            _ => out.push(byte),
        }
    }
    out.push(b'"');
}

/// Writes the claims of `shape` for `user_id` at `now_ms` (Unix milliseconds) into `out`,
/// which is cleared first.
///
/// Returns `None` when the general path must handle the call: an empty `user_id`, one that
/// contains U+FFFD (which is also what a lone UTF-16 surrogate turns into on its way into
/// WebAssembly, while the general path rejects it), an `iat` of 0 or less (left out or
/// negative there), an expiry that is not in the future, or a validity above
/// [`MAX_DIRECT_VALIDITY_SECS`].
pub fn write_claims(
    out: &mut Vec<u8>,
    shape: DirectClaims,
    user_id: &str,
    now_ms: i64,
) -> Option<()> {
    if user_id.is_empty() || user_id.contains('\u{fffd}') {
        return None;
    }
    let now_secs = now_ms.div_euclid(1000);
    let iat = default_iat(now_ms);
    if iat <= 0 {
        return None;
    }
    out.clear();
    out.push(b'{');
    key(out, "user_id");
    string(out, user_id);
    let times = match shape {
        DirectClaims::UserId | DirectClaims::UserIdWithValidity(_) => {
            let validity = match shape {
                DirectClaims::UserIdWithValidity(validity) => {
                    if validity > MAX_DIRECT_VALIDITY_SECS {
                        return None;
                    }
                    out.push(b',');
                    key(out, "validity_in_seconds");
                    integer(out, validity as i64);
                    validity as i64
                }
                _ => 3600,
            };
            [("iat", iat), ("exp", iat + validity)]
        }
        DirectClaims::Legacy => [("exp", default_legacy_exp(now_ms)), ("iat", iat)],
    };
    for (name, seconds) in times {
        if name == "exp" && seconds <= now_secs {
            return None;
        }
        out.push(b',');
        key(out, name);
        integer(out, seconds);
    }
    out.push(b'}');
    Some(())
}

#[cfg(test)]
#[path = "direct_tests.rs"]
mod tests;
