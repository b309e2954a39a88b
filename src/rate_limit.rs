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
    let (negative, unsigned) = match trimmed.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, trimmed.strip_prefix('+').unwrap_or(trimmed)),
    };
    let magnitude = if unsigned == "Infinity" {
        f64::INFINITY
    } else {
        let Some(json) = json_decimal(unsigned) else {
            return f64::NAN;
        };
        // `json` is a valid JSON number, so the only error left is an exponent beyond the
        // `f64` range, which JavaScript reads as Infinity.
        serde_json::from_str::<f64>(&json).unwrap_or(f64::INFINITY)
    };
    if negative {
        -magnitude
    } else {
        magnitude
    }
}

/// Rewrites an unsigned decimal literal of JavaScript's `Number` grammar (`"007"`, `".5"`,
/// `"5."`, `"1e3"`) as a JSON number, or returns `None` when `text` is not one.
///
/// The JSON text is then parsed by `serde_json`, which keeps the float parser and the large
/// tables of Rust's `f64::from_str` out of the WebAssembly file. NOTE: that parser can be
/// one unit in the last place off for decimals with more than 17 significant digits, while
/// integers up to 2^53, which rate limits and Unix times are, come out exact.
fn json_decimal(text: &str) -> Option<String> {
    let all_digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(at) => (&text[..at], Some(&text[at + 1..])),
        None => (text, None),
    };
    let (whole, fraction) = match mantissa.split_once('.') {
        Some((whole, fraction)) => (whole, fraction),
        None => (mantissa, ""),
    };
    if !all_digits(whole) || !all_digits(fraction) || (whole.is_empty() && fraction.is_empty()) {
        return None;
    }

    let mut json = String::with_capacity(text.len() + 2);
    let whole = whole.trim_start_matches('0');
    json.push_str(if whole.is_empty() { "0" } else { whole });
    if !fraction.is_empty() {
        json.push('.');
        json.push_str(fraction);
    }
    if let Some(exponent) = exponent {
        let digits = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
        if digits.is_empty() || !all_digits(digits) {
            return None;
        }
        json.push('e');
        json.push_str(exponent);
    }
    Some(json)
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

    #[test]
    fn conversion_covers_js_decimal_forms() {
        assert_eq!(js_number(".5"), 0.5);
        assert_eq!(js_number("5."), 5.0);
        assert_eq!(js_number("007"), 7.0);
        assert_eq!(js_number("+5"), 5.0);
        assert_eq!(js_number("-2.5e-1"), -0.25);
        assert_eq!(js_number("1E+2"), 100.0);
        assert_eq!(js_number("1e400"), f64::INFINITY);
        assert_eq!(js_number("-1e400"), f64::NEG_INFINITY);
        assert_eq!(js_number("1e-400"), 0.0);
        assert_eq!(js_number("1700000060"), 1_700_000_060.0);
        assert!(js_number("-0").is_sign_negative());
        for text in [
            "1e", ".", "1.2.3", "--5", "+-5", "e5", "1e5.5", "0x10", "1_000",
        ] {
            assert!(js_number(text).is_nan(), "{text:?}");
        }
    }
}
