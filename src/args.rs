//! Typed reads of JSON arguments, with errors that name the argument and the value.
//!
//! JavaScript arguments reach the core as JSON (`JSON.stringify` output), so `undefined`
//! properties are already gone. A `null` property counts as absent, as the `??` defaults of
//! `@stream-io/node-sdk` treat it.

use serde_json::{Map, Value};

use crate::error::StreamError;

/// Maximum number of characters of a rejected value quoted in an error message.
const MAX_QUOTED_CHARS: usize = 80;

/// Renders a rejected value for an error message: compact JSON, shortened when long.
pub fn describe(value: Option<&Value>) -> String {
    let Some(value) = value else {
        return String::from("undefined");
    };
    let text = value.to_string();
    if text.chars().count() <= MAX_QUOTED_CHARS {
        return text;
    }
    let mut short: String = text.chars().take(MAX_QUOTED_CHARS).collect();
    short.push('…');
    short
}

/// The properties of one JSON object argument of an operation.
pub struct Fields<'a> {
    operation: &'static str,
    path: String,
    map: &'a Map<String, Value>,
}

impl<'a> Fields<'a> {
    /// Reads `value` as an object; `path` names it in errors (empty for the whole argument).
    ///
    /// `expected` completes the sentence "must be an object", for example
    /// `"with user_id"`.
    pub fn of(
        operation: &'static str,
        path: &str,
        value: Option<&'a Value>,
        expected: &str,
    ) -> Result<Self, StreamError> {
        match value {
            Some(Value::Object(map)) => Ok(Self {
                operation,
                path: path.to_owned(),
                map,
            }),
            other => {
                let name = if path.is_empty() {
                    "the argument"
                } else {
                    path
                };
                Err(StreamError::invalid_argument(
                    operation,
                    name,
                    format!("must be an object {expected}, got {}", describe(other)),
                ))
            }
        }
    }

    /// Returns the path of property `name` as shown in errors, for example `users[0].id`.
    pub fn path_of(&self, name: &str) -> String {
        if self.path.is_empty() {
            name.to_owned()
        } else {
            format!("{}.{name}", self.path)
        }
    }

    /// Returns the underlying map.
    pub fn map(&self) -> &'a Map<String, Value> {
        self.map
    }

    /// Returns property `name`, or `None` when it is absent or `null`.
    pub fn get(&self, name: &str) -> Option<&'a Value> {
        self.map.get(name).filter(|value| !value.is_null())
    }

    fn reject(&self, name: &str, problem: String) -> StreamError {
        StreamError::invalid_argument(self.operation, self.path_of(name), problem)
    }

    /// Reads a required, non-empty string such as a user ID.
    pub fn required_id(&self, name: &str) -> Result<&'a str, StreamError> {
        match self.get(name) {
            Some(Value::String(text)) if !text.is_empty() => Ok(text),
            None => Err(self.reject(
                name,
                String::from("is missing; it must be a non-empty string"),
            )),
            other => Err(self.reject(
                name,
                format!("must be a non-empty string, got {}", describe(other)),
            )),
        }
    }

    /// Reads an optional string.
    pub fn optional_string(&self, name: &str) -> Result<Option<&'a str>, StreamError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::String(text)) => Ok(Some(text)),
            other => Err(self.reject(name, format!("must be a string, got {}", describe(other)))),
        }
    }

    /// Reads an optional boolean.
    pub fn optional_bool(&self, name: &str) -> Result<Option<bool>, StreamError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Bool(flag)) => Ok(Some(*flag)),
            other => Err(self.reject(
                name,
                format!("must be true or false, got {}", describe(other)),
            )),
        }
    }

    /// Reads an optional object.
    pub fn optional_object(
        &self,
        name: &str,
    ) -> Result<Option<&'a Map<String, Value>>, StreamError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Object(map)) => Ok(Some(map)),
            other => Err(self.reject(name, format!("must be an object, got {}", describe(other)))),
        }
    }

    /// Reads an optional string that must be one of `choices`; the empty string, which Stream
    /// treats like an absent value, is accepted too.
    pub fn optional_choice(
        &self,
        name: &str,
        choices: &[&str],
    ) -> Result<Option<&'a str>, StreamError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::String(text)) if text.is_empty() || choices.contains(&text.as_str()) => {
                Ok(Some(text))
            }
            other => Err(self.reject(
                name,
                format!(
                    "must be one of {}, got {}",
                    quote_all(choices),
                    describe(other)
                ),
            )),
        }
    }

    /// Reads an optional array of strings.
    pub fn optional_strings(&self, name: &str) -> Result<Option<&'a Vec<Value>>, StreamError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Array(items)) => {
                self.check_strings(name, items)?;
                Ok(Some(items))
            }
            other => Err(self.reject(
                name,
                format!("must be an array of strings, got {}", describe(other)),
            )),
        }
    }

    /// Reads a required, non-empty array of user IDs.
    pub fn user_ids(&self, name: &str) -> Result<&'a Vec<Value>, StreamError> {
        match self.get(name) {
            Some(Value::Array(items)) if items.is_empty() => {
                Err(self.reject(name, String::from("must contain at least one user ID")))
            }
            Some(Value::Array(items)) => {
                self.check_strings(name, items)?;
                Ok(items)
            }
            None => Err(self.reject(name, String::from("is missing; pass an array of user IDs"))),
            other => Err(self.reject(
                name,
                format!("must be an array of user IDs, got {}", describe(other)),
            )),
        }
    }

    fn check_strings(&self, name: &str, items: &[Value]) -> Result<(), StreamError> {
        for (index, item) in items.iter().enumerate() {
            if !item.is_string() {
                return Err(self.reject(
                    &format!("{name}[{index}]"),
                    format!("must be a string, got {}", describe(Some(item))),
                ));
            }
        }
        Ok(())
    }
}

fn quote_all(choices: &[&str]) -> String {
    let quoted: Vec<String> = choices.iter().map(|c| format!("\"{c}\"")).collect();
    quoted.join(", ")
}

/// A JSON request body built from the validated properties of an argument.
#[derive(Debug, Default)]
pub struct Body {
    map: Map<String, Value>,
}

impl Body {
    /// Creates an empty body.
    pub fn new() -> Self {
        Self::default()
    }

    /// Copies property `name` of `fields`, unless it is absent or `null`.
    pub fn copy(&mut self, fields: &Fields<'_>, name: &str) {
        if let Some(value) = fields.get(name) {
            self.map.insert(name.to_owned(), value.clone());
        }
    }

    /// Sets property `name`.
    pub fn set(&mut self, name: &str, value: Value) {
        self.map.insert(name.to_owned(), value);
    }

    /// Returns the body as JSON text.
    pub fn into_json(self) -> String {
        Value::Object(self.map).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields(value: &Value) -> Fields<'_> {
        Fields::of("op", "", Some(value), "").unwrap()
    }

    #[test]
    fn describe_shortens_long_values() {
        let long = json!("x".repeat(200));

        let text = describe(Some(&long));

        assert_eq!(text.chars().count(), MAX_QUOTED_CHARS + 1);
        assert!(text.ends_with('…'));
        assert_eq!(describe(None), "undefined");
        assert_eq!(describe(Some(&json!(42))), "42");
    }

    #[test]
    fn of_rejects_non_objects() {
        let error = Fields::of("getTask", "", Some(&json!("t1")), "with id")
            .err()
            .unwrap();

        assert_eq!(
            error.to_string(),
            "getTask: the argument must be an object with id, got \"t1\""
        );
    }

    #[test]
    fn required_id_cases() {
        let value = json!({"a": "x", "b": "", "c": 7, "d": null});
        let fields = fields(&value);

        assert_eq!(fields.required_id("a").unwrap(), "x");
        assert!(fields
            .required_id("b")
            .unwrap_err()
            .to_string()
            .contains("got \"\""));
        assert!(fields
            .required_id("c")
            .unwrap_err()
            .to_string()
            .contains("got 7"));
        assert!(fields
            .required_id("d")
            .unwrap_err()
            .to_string()
            .contains("d is missing"));
    }

    #[test]
    fn nested_paths_in_errors() {
        let value = json!({"id": 5});
        let nested = Fields::of("upsertUsers", "users[1]", Some(&value), "").unwrap();

        let error = nested.required_id("id").unwrap_err();

        assert_eq!(
            error.to_string(),
            "upsertUsers: users[1].id must be a non-empty string, got 5"
        );
    }

    #[test]
    fn user_ids_cases() {
        let value = json!({"ok": ["a"], "empty": [], "mixed": ["a", 5], "text": "alice"});
        let fields = fields(&value);

        assert_eq!(fields.user_ids("ok").unwrap().len(), 1);
        assert!(fields
            .user_ids("empty")
            .unwrap_err()
            .to_string()
            .contains("at least one"));
        assert_eq!(
            fields.user_ids("mixed").unwrap_err().to_string(),
            "op: mixed[1] must be a string, got 5"
        );
        assert!(fields
            .user_ids("text")
            .unwrap_err()
            .to_string()
            .contains("got \"alice\""));
        assert!(fields
            .user_ids("none")
            .unwrap_err()
            .to_string()
            .contains("missing"));
    }

    #[test]
    fn optional_choice_accepts_empty_string() {
        let value = json!({"mode": "", "bad": "obliterate"});
        let fields = fields(&value);

        assert_eq!(fields.optional_choice("mode", &["soft"]).unwrap(), Some(""));
        assert_eq!(
            fields
                .optional_choice("bad", &["soft", "hard"])
                .unwrap_err()
                .to_string(),
            "op: bad must be one of \"soft\", \"hard\", got \"obliterate\""
        );
        assert_eq!(fields.optional_choice("absent", &["soft"]).unwrap(), None);
    }

    #[test]
    fn optional_bool_and_string() {
        let value = json!({"flag": true, "name": "n", "wrong": "yes"});
        let fields = fields(&value);

        assert_eq!(fields.optional_bool("flag").unwrap(), Some(true));
        assert_eq!(fields.optional_bool("missing").unwrap(), None);
        assert!(fields.optional_bool("wrong").is_err());
        assert_eq!(fields.optional_string("name").unwrap(), Some("n"));
        assert!(fields.optional_string("flag").is_err());
    }

    #[test]
    fn body_skips_null_and_absent() {
        let value = json!({"a": 1, "b": null});
        let fields = fields(&value);
        let mut body = Body::new();

        body.copy(&fields, "a");
        body.copy(&fields, "b");
        body.copy(&fields, "c");

        assert_eq!(body.into_json(), r#"{"a":1}"#);
    }
}
