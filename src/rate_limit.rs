//! The `X-RateLimit-*` response headers.

/// Rate-limit state read from a response's headers. Each field is `None` when its header is
/// absent.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct RateLimit {
    /// Requests allowed per window (`X-RateLimit-Limit`).
    pub limit: Option<f64>,
    /// Requests left in the current window (`X-RateLimit-Remaining`).
    pub remaining: Option<f64>,
    /// Start of the next window in Unix seconds (`X-RateLimit-Reset`).
    pub reset_unix_secs: Option<f64>,
}

impl RateLimit {
    /// Reads the three headers through `header`, which returns a header's value by name.
    ///
    /// Values convert like JavaScript's `Number(value)`, as `@stream-io/node-sdk` 0.7.64 does,
    /// so a header that is not a number gives `NaN`.
    pub fn from_headers(header: impl Fn(&str) -> Option<String>) -> Self {
        let number = |name: &str| header(name).map(|value| js_number(&value));
        Self {
            limit: number("x-ratelimit-limit"),
            remaining: number("x-ratelimit-remaining"),
            reset_unix_secs: number("x-ratelimit-reset"),
        }
    }

    /// Returns the reset time in Unix milliseconds, the value of the JavaScript `Date`.
    pub fn reset_unix_millis(&self) -> Option<f64> {
        self.reset_unix_secs.map(|secs| secs * 1000.0)
    }
}

/// Converts decimal text the way JavaScript's `Number(text)` does: surrounding whitespace is
/// ignored, empty text is 0, and anything else that is not a decimal number is `NaN`.
///
/// The hexadecimal, octal and binary prefixes that `Number` also accepts give `NaN` here;
/// Stream sends decimal values.
fn js_number(text: &str) -> f64 {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return 0.0;
    }
    let unsigned = trimmed.strip_prefix(['+', '-']).unwrap_or(trimmed);
    if unsigned == "Infinity" {
        return if trimmed.starts_with('-') {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        };
    }

    // Rust's parser also accepts "inf" and "nan", which JavaScript does not.
    let decimal_chars = unsigned
        .bytes()
        .all(|b| b.is_ascii_digit() || b"eE.+-".contains(&b));
    if !decimal_chars {
        return f64::NAN;
    }
    trimmed.parse::<f64>().unwrap_or(f64::NAN)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn reads_all_three_headers() {
        let rate_limit = RateLimit::from_headers(headers(&[
            ("x-ratelimit-limit", "1000"),
            ("x-ratelimit-remaining", "998"),
            ("x-ratelimit-reset", "1700000060"),
        ]));

        assert_eq!(rate_limit.limit, Some(1000.0));
        assert_eq!(rate_limit.remaining, Some(998.0));
        assert_eq!(rate_limit.reset_unix_secs, Some(1_700_000_060.0));
        assert_eq!(rate_limit.reset_unix_millis(), Some(1_700_000_060_000.0));
    }

    #[test]
    fn absent_headers_are_none() {
        let rate_limit = RateLimit::from_headers(headers(&[]));

        assert_eq!(rate_limit, RateLimit::default());
    }

    #[test]
    fn conversion_follows_js_number() {
        assert_eq!(js_number(" 42 "), 42.0);
        assert_eq!(js_number(""), 0.0);
        assert_eq!(js_number("1e3"), 1000.0);
        assert_eq!(js_number("-Infinity"), f64::NEG_INFINITY);
        assert!(js_number("soon").is_nan());
        assert!(js_number("inf").is_nan());
        assert!(js_number("nan").is_nan());
    }
}
