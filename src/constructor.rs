//! Checks of the `StreamClient` constructor's arguments that come before the options are
//! read: the credentials must not be empty and every option name must be known.

use serde_json::Value;

use crate::args::describe;
use crate::error::StreamError;

/// The operation name used in constructor errors.
const OPERATION: &str = "StreamClient";

/// The names the options object may have.
pub const OPTION_NAMES: [&str; 5] = [
    "basePath",
    "timeout",
    "maxRetries",
    "retryBaseDelayMs",
    "logger",
];

/// Rejects an empty API key or secret, which would otherwise fail only at the first call.
///
/// The secret's value never appears in the error.
pub fn check_credentials(api_key: &str, secret: &str) -> Result<(), StreamError> {
    if api_key.is_empty() {
        return Err(StreamError::invalid_argument(
            OPERATION,
            "apiKey",
            "is empty; pass your app's API key from the Stream dashboard",
        ));
    }
    if secret.is_empty() {
        return Err(StreamError::invalid_argument(
            OPERATION,
            "secret",
            "is empty; pass your app's API secret from the Stream dashboard",
        ));
    }
    Ok(())
}

/// Returns the known option that an unknown name most likely means, if any.
fn likely_meant(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    OPTION_NAMES
        .into_iter()
        .find(|known| known.eq_ignore_ascii_case(name))
        .or_else(|| lower.starts_with("base").then_some("basePath"))
        .or_else(|| lower.contains("url").then_some("basePath"))
}

/// Rejects option names other than [`OPTION_NAMES`], so a misspelt option is not silently
/// ignored (for example `baseURL`, which would leave the default base URL in use).
pub fn check_option_names<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<(), StreamError> {
    let Some(unknown) = names.into_iter().find(|name| !OPTION_NAMES.contains(name)) else {
        return Ok(());
    };
    let hint =
        likely_meant(unknown).map_or_else(String::new, |known| format!(" (did you mean {known}?)"));
    Err(StreamError::invalid_argument(
        OPERATION,
        "options",
        format!(
            "has an unknown option {}{hint}; the options are {}",
            describe(Some(&Value::from(unknown))),
            OPTION_NAMES.join(", ")
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn empty_credentials_name_the_argument() {
        let key = check_credentials("", "s3cr3t-value").unwrap_err();
        let secret = check_credentials("key", "").unwrap_err();

        assert_eq!(key.kind(), ErrorKind::InvalidArgument);
        assert_eq!(
            key.to_string(),
            "StreamClient: apiKey is empty; pass your app's API key from the Stream dashboard"
        );
        assert!(!key.to_string().contains("s3cr3t-value"));
        assert_eq!(
            secret.to_string(),
            "StreamClient: secret is empty; pass your app's API secret from the Stream dashboard"
        );
        assert!(check_credentials("key", "secret").is_ok());
    }

    #[test]
    fn unknown_option_is_named_with_the_valid_ones() {
        let cases = [
            ("basepath", " (did you mean basePath?)"),
            ("baseURL", " (did you mean basePath?)"),
            ("url", " (did you mean basePath?)"),
            ("MaxRetries", " (did you mean maxRetries?)"),
            ("retries", ""),
        ];

        for (name, hint) in cases {
            let error = check_option_names(["timeout", name]).unwrap_err();

            assert_eq!(error.kind(), ErrorKind::InvalidArgument);
            assert_eq!(
                error.to_string(),
                format!(
                    "StreamClient: options has an unknown option \"{name}\"{hint}; the options \
                     are basePath, timeout, maxRetries, retryBaseDelayMs, logger"
                )
            );
        }
    }

    #[test]
    fn known_options_pass() {
        assert!(check_option_names(OPTION_NAMES).is_ok());
        assert!(check_option_names([]).is_ok());
    }
}
