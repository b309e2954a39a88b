//! Checks on token inputs: times in seconds, lifetimes, user IDs and call cids.

use serde_json::{Number, Value};

use crate::args::describe;
use crate::error::StreamError;

/// Times at or above this many seconds are taken for milliseconds. 10^11 seconds is the year
/// 5138, while `Date.now()` has returned more than 10^12 milliseconds since 2001.
pub const MILLISECONDS_THRESHOLD: f64 = 1e11;

/// Lifetime of a token when neither `exp` nor `validity_in_seconds` is given: one hour.
pub const DEFAULT_VALIDITY_SECS: f64 = 3600.0;

/// Reads `exp` or `iat`: a non-negative number of seconds since the Unix epoch.
pub fn unix_seconds(
    operation: &'static str,
    name: &str,
    value: &Value,
) -> Result<f64, StreamError> {
    let Some(seconds) = value.as_f64().filter(|s| s.is_finite()) else {
        return Err(StreamError::invalid_argument(
            operation,
            name,
            format!(
                "must be a number of seconds since the Unix epoch, got {}",
                describe(Some(value))
            ),
        ));
    };
    if seconds < 0.0 {
        return Err(StreamError::invalid_argument(
            operation,
            name,
            format!("must not be negative, got {}", describe(Some(value))),
        ));
    }
    if seconds >= MILLISECONDS_THRESHOLD {
        return Err(StreamError::invalid_argument(
            operation,
            name,
            format!(
                "is {}, which looks like milliseconds; pass Unix time in seconds, \
                 for example Math.floor(Date.now() / 1000)",
                describe(Some(value))
            ),
        ));
    }
    Ok(seconds)
}

/// Reads `validity_in_seconds`: a non-negative whole number of seconds.
pub fn validity_seconds(operation: &'static str, value: &Value) -> Result<f64, StreamError> {
    match value.as_f64() {
        Some(seconds) if seconds >= 0.0 && seconds.fract() == 0.0 && seconds.is_finite() => {
            Ok(seconds)
        }
        _ => Err(StreamError::invalid_argument(
            operation,
            "validity_in_seconds",
            format!(
                "must be a non-negative whole number of seconds, got {}",
                describe(Some(value))
            ),
        )),
    }
}

/// Rejects an expiry that is not after `now_secs`, since such a token is useless.
pub fn check_expiry_in_future(
    operation: &'static str,
    exp: f64,
    now_secs: i64,
    computed_from: Option<(f64, f64)>,
) -> Result<(), StreamError> {
    if exp > now_secs as f64 {
        return Ok(());
    }
    Err(match computed_from {
        None => StreamError::invalid_argument(
            operation,
            "exp",
            format!(
                "is {}, which is not in the future (now {now_secs}); pass a later expiry time",
                number(exp)
            ),
        ),
        Some((iat, validity)) => StreamError::invalid_argument(
            operation,
            "validity_in_seconds",
            format!(
                "{} with iat {} gives exp {}, which is not in the future (now {now_secs})",
                number(validity),
                number(iat),
                number(exp)
            ),
        ),
    })
}

/// Reads the user ID of a token: a non-empty string.
pub fn user_id<'a>(
    operation: &'static str,
    value: Option<&'a Value>,
) -> Result<&'a str, StreamError> {
    match value {
        Some(Value::String(id)) if !id.is_empty() => Ok(id),
        None | Some(Value::Null) => Err(StreamError::invalid_argument(
            operation,
            "user_id",
            "is missing; pass the ID of the user the token is for",
        )),
        other => Err(StreamError::invalid_argument(
            operation,
            "user_id",
            format!("must be a non-empty string, got {}", describe(other)),
        )),
    }
}

/// Reads the optional call role: a string when present.
pub fn role<'a>(
    operation: &'static str,
    value: Option<&'a Value>,
) -> Result<Option<&'a str>, StreamError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(role)) => Ok(Some(role)),
        other => Err(StreamError::invalid_argument(
            operation,
            "role",
            format!("must be a string, got {}", describe(other)),
        )),
    }
}

/// Reads `call_cids`: a non-empty array of `type:id` strings.
pub fn call_cids<'a>(
    operation: &'static str,
    value: Option<&'a Value>,
) -> Result<&'a Vec<Value>, StreamError> {
    let cids = match value {
        Some(Value::Array(cids)) if !cids.is_empty() => cids,
        Some(Value::Array(_)) => {
            return Err(StreamError::invalid_argument(
                operation,
                "call_cids",
                "is empty; pass at least one call cid of the form type:id",
            ))
        }
        None | Some(Value::Null) => {
            return Err(StreamError::invalid_argument(
                operation,
                "call_cids",
                "is missing; pass an array of call cids of the form type:id",
            ))
        }
        other => {
            return Err(StreamError::invalid_argument(
                operation,
                "call_cids",
                format!("must be an array of call cids, got {}", describe(other)),
            ))
        }
    };

    for (index, cid) in cids.iter().enumerate() {
        let well_formed = cid
            .as_str()
            .and_then(|text| text.split_once(':'))
            .is_some_and(|(call_type, id)| !call_type.is_empty() && !id.is_empty());
        if !well_formed {
            return Err(StreamError::invalid_argument(
                operation,
                format!("call_cids[{index}]"),
                format!(
                    "is {}, which is not of the form type:id (for example \"default:standup\")",
                    describe(Some(cid))
                ),
            ));
        }
    }
    Ok(cids)
}

/// Converts seconds to a JSON number: an integer when whole, as `JSON.stringify` prints it.
pub fn number(seconds: f64) -> Value {
    const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;
    if seconds.fract() == 0.0 && seconds.abs() <= MAX_SAFE_INTEGER {
        Value::from(seconds as i64)
    } else {
        Number::from_f64(seconds).map_or(Value::Null, Value::Number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unix_seconds_cases() {
        assert_eq!(
            unix_seconds("op", "exp", &json!(1_700_000_000)).unwrap(),
            1.7e9
        );
        assert_eq!(unix_seconds("op", "exp", &json!(1.5)).unwrap(), 1.5);

        let millis = unix_seconds("op", "exp", &json!(1_900_000_000_000_u64)).unwrap_err();
        assert_eq!(
            millis.to_string(),
            "op: exp is 1900000000000, which looks like milliseconds; pass Unix time in \
             seconds, for example Math.floor(Date.now() / 1000)"
        );

        let text = unix_seconds("op", "iat", &json!("5")).unwrap_err();
        assert!(text.to_string().contains("got \"5\""));
        let negative = unix_seconds("op", "iat", &json!(-1)).unwrap_err();
        assert!(negative.to_string().contains("negative, got -1"));
    }

    #[test]
    fn validity_cases() {
        assert_eq!(validity_seconds("op", &json!(0)).unwrap(), 0.0);
        assert_eq!(validity_seconds("op", &json!(60)).unwrap(), 60.0);
        for bad in [json!(-5), json!(1.5), json!("60"), json!(true)] {
            let error = validity_seconds("op", &bad).unwrap_err().to_string();
            assert!(error.contains(&format!("got {bad}")), "{error}");
        }
    }

    #[test]
    fn expiry_must_be_in_future() {
        assert!(check_expiry_in_future("op", 101.0, 100, None).is_ok());

        let given = check_expiry_in_future("op", 100.0, 100, None).unwrap_err();
        assert_eq!(
            given.to_string(),
            "op: exp is 100, which is not in the future (now 100); pass a later expiry time"
        );

        let computed = check_expiry_in_future("op", 90.0, 100, Some((90.0, 0.0))).unwrap_err();
        assert_eq!(
            computed.to_string(),
            "op: validity_in_seconds 0 with iat 90 gives exp 90, which is not in the future \
             (now 100)"
        );
    }

    #[test]
    fn user_id_cases() {
        assert_eq!(user_id("op", Some(&json!("alice"))).unwrap(), "alice");
        assert!(user_id("op", None)
            .unwrap_err()
            .to_string()
            .contains("user_id is missing"));
        assert!(user_id("op", Some(&json!(42)))
            .unwrap_err()
            .to_string()
            .contains("got 42"));
        assert!(user_id("op", Some(&json!("")))
            .unwrap_err()
            .to_string()
            .contains("got \"\""));
    }

    #[test]
    fn call_cids_cases() {
        assert_eq!(
            call_cids("op", Some(&json!(["default:a", "x:y:z"])))
                .unwrap()
                .len(),
            2
        );

        let empty = call_cids("op", Some(&json!([]))).unwrap_err();
        assert!(empty.to_string().contains("call_cids is empty"));

        let no_type = call_cids("op", Some(&json!(["default:a", "standup"]))).unwrap_err();
        assert_eq!(
            no_type.to_string(),
            "op: call_cids[1] is \"standup\", which is not of the form type:id \
             (for example \"default:standup\")"
        );

        let no_id = call_cids("op", Some(&json!(["default:"]))).unwrap_err();
        assert!(no_id.to_string().contains("\"default:\""));
        assert!(call_cids("op", Some(&json!([":x"]))).is_err());
        assert!(call_cids("op", Some(&json!([7]))).is_err());
        assert!(call_cids("op", Some(&json!("default:a"))).is_err());
        assert!(call_cids("op", None).is_err());
    }

    #[test]
    fn role_cases() {
        assert_eq!(role("op", None).unwrap(), None);
        assert_eq!(role("op", Some(&json!("admin"))).unwrap(), Some("admin"));
        assert!(role("op", Some(&json!(1))).is_err());
    }

    #[test]
    fn number_prints_like_json_stringify() {
        assert_eq!(number(1_700_000_000.0).to_string(), "1700000000");
        assert_eq!(number(3601.5).to_string(), "3601.5");
    }
}
