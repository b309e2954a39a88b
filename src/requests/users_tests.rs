use serde_json::{json, Value};

use super::*;
use crate::error::ErrorKind;

fn body(request: &ApiRequest) -> Value {
    serde_json::from_str(request.body.as_deref().unwrap_or("null")).unwrap()
}

#[test]
fn upsert_array_is_keyed_by_id() {
    let users = json!([
        {"id": "alice", "name": "Alice", "custom": {"color": "red"}},
        {"id": "bob"}
    ]);

    let request = upsert_users(Some(&users)).unwrap();

    assert_eq!(request.method, Method::Post);
    assert_eq!(request.path, "/api/v2/users");
    assert_eq!(
        request.body.as_deref(),
        Some(
            r#"{"users":{"alice":{"id":"alice","name":"Alice","custom":{"color":"red"}},"bob":{"id":"bob"}}}"#
        )
    );
}

#[test]
fn upsert_rejects_duplicate_ids() {
    let users = json!([{"id": "a", "name": "first"}, {"id": "b"}, {"id": "a", "name": "second"}]);

    let error = upsert_users(Some(&users)).unwrap_err();

    assert_eq!(
        error.to_string(),
        "upsertUsers: users[2].id \"a\" repeats the id of users[0]; each user may appear once \
         per call, so merge the two"
    );
}

#[test]
fn upsert_legacy_key_must_match_id() {
    let users = json!({"users": {"carol": {"id": "dave"}}});

    let error = upsert_users(Some(&users)).unwrap_err();

    assert_eq!(
        error.to_string(),
        "upsertUsers: users.carol.id must equal its key \"carol\", got \"dave\""
    );
}

#[test]
fn upsert_legacy_form_is_sent_as_given() {
    let users =
        json!({"users": {"carol": {"id": "carol", "name": "Carol"}, "dave": {"id": "dave"}}});

    let request = upsert_users(Some(&users)).unwrap();

    assert_eq!(body(&request), users);
}

#[test]
fn upsert_errors_name_the_user() {
    let no_id = upsert_users(Some(&json!([{"id": "a"}, {"name": "x"}]))).unwrap_err();
    let not_user = upsert_users(Some(&json!(["alice"]))).unwrap_err();
    let legacy = upsert_users(Some(&json!({"users": {"carol": {"id": 3}}}))).unwrap_err();
    let missing = upsert_users(None).unwrap_err();

    assert_eq!(
        no_id.to_string(),
        "upsertUsers: users[1].id is missing; it must be a non-empty string"
    );
    assert_eq!(
        not_user.to_string(),
        "upsertUsers: users[0] must be an object with an id, got \"alice\""
    );
    assert_eq!(
        legacy.to_string(),
        "upsertUsers: users.carol.id must be a non-empty string, got 3"
    );
    assert_eq!(
        missing.to_string(),
        "upsertUsers: users must be an array of users or { users: { [id]: user } }, got undefined"
    );
}

#[test]
fn upsert_rejects_no_users() {
    for users in [json!([]), json!({"users": {}})] {
        let error = upsert_users(Some(&users)).unwrap_err();

        assert_eq!(error.kind(), ErrorKind::InvalidArgument);
        assert_eq!(
            error.to_string(),
            "upsertUsers: users is empty; pass at least one user, for example [{ id: \"alice\" }]"
        );
    }
}

#[test]
fn partial_update_request() {
    let input = json!({"users": [{"id": "gina", "set": {"name": "G"}, "unset": ["image"]}]});

    let request = update_users_partial(Some(&input)).unwrap();

    assert_eq!(request.method, Method::Patch);
    assert_eq!(request.path, "/api/v2/users");
    assert_eq!(body(&request), input);
}

#[test]
fn partial_update_errors() {
    let not_array = update_users_partial(Some(&json!({"users": "alice"}))).unwrap_err();
    let bad_unset = update_users_partial(Some(&json!({"users": [{"id": "a", "unset": "x"}]})));
    let bad_set = update_users_partial(Some(&json!({"users": [{"id": "a", "set": 1}]})));

    assert_eq!(
        not_array.to_string(),
        "updateUsersPartial: users must be an array of { id, set, unset }, got \"alice\""
    );
    assert!(bad_unset
        .unwrap_err()
        .to_string()
        .contains("users[0].unset must be an array"));
    assert!(bad_set
        .unwrap_err()
        .to_string()
        .contains("users[0].set must be an object"));
}

#[test]
fn partial_update_rejects_id_changes() {
    let set_id = json!({"users": [{"id": "a", "set": {"id": "b"}}]});
    let unset_id = json!({"users": [{"id": "a"}, {"id": "b", "unset": ["name", "id"]}]});

    let set_error = update_users_partial(Some(&set_id)).unwrap_err();
    let unset_error = update_users_partial(Some(&unset_id)).unwrap_err();

    assert_eq!(
        set_error.to_string(),
        "updateUsersPartial: users[0].set.id cannot be set: a user's id never changes; create \
         a new user instead"
    );
    assert_eq!(
        unset_error.to_string(),
        "updateUsersPartial: users[1].unset[1] is \"id\", which cannot be removed from a user"
    );
}

#[test]
fn partial_update_rejects_set_unset_overlap() {
    let input = json!({"users": [{"id": "a", "set": {"name": "A", "role": "admin"}, "unset": ["image", "role"]}]});

    let error = update_users_partial(Some(&input)).unwrap_err();

    assert_eq!(
        error.to_string(),
        "updateUsersPartial: users[0].unset[1] is \"role\", which set also changes; a field can \
         be set or unset in one update, not both"
    );
}

#[test]
fn query_users_checks_limit_and_offset() {
    let cases = [
        (
            json!({"limit": 101}),
            "payload.limit must be a whole number from 0 to 100, got 101",
        ),
        (
            json!({"limit": -1}),
            "payload.limit must be a whole number from 0 to 100, got -1",
        ),
        (
            json!({"limit": 2.5}),
            "payload.limit must be a whole number from 0 to 100, got 2.5",
        ),
        (
            json!({"limit": "10"}),
            "payload.limit must be a whole number from 0 to 100, got \"10\"",
        ),
        (
            json!({"offset": 1001}),
            "payload.offset must be a whole number from 0 to 1000, got 1001",
        ),
    ];

    for (mut payload, expected) in cases {
        payload["filter_conditions"] = json!({});
        let error = query_users(Some(&json!({ "payload": payload }))).unwrap_err();
        assert_eq!(error.to_string(), format!("queryUsers: {expected}"));
    }
    let bounds = json!({"payload": {"filter_conditions": {}, "limit": 100, "offset": 1000}});
    let zero = json!({"payload": {"filter_conditions": {}, "limit": 0, "offset": 0}});
    assert!(query_users(Some(&bounds)).is_ok());
    assert!(query_users(Some(&zero)).is_ok());
}

#[test]
fn query_users_puts_payload_in_query() {
    let input = json!({"payload": {"filter_conditions": {"name": {"$eq": "Zoë"}}, "limit": 5}});

    let request = query_users(Some(&input)).unwrap();

    assert_eq!(request.method, Method::Get);
    assert_eq!(request.body, None);
    assert_eq!(
        request.query,
        vec![(
            String::from("payload"),
            String::from(r#"{"filter_conditions":{"name":{"$eq":"Zoë"}},"limit":5}"#)
        )]
    );
}

#[test]
fn query_users_requires_payload() {
    let inputs = [
        None,
        Some(json!(null)),
        Some(json!({})),
        Some(json!({"payload": null})),
    ];

    for input in inputs {
        let error = query_users(input.as_ref()).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidArgument);
        assert_eq!(
            error.to_string(),
            "queryUsers: payload is missing; pass { payload: { filter_conditions: { id: { $in: \
             [\"alice\"] } } } }, or filter_conditions: {} to match every user"
        );
    }
}

#[test]
fn query_users_requires_filter_conditions() {
    let missing = query_users(Some(&json!({"payload": {"limit": 5}}))).unwrap_err();
    let wrong = query_users(Some(&json!({"payload": {"filter_conditions": "all"}}))).unwrap_err();
    let match_all = query_users(Some(&json!({"payload": {"filter_conditions": {}}}))).unwrap();

    assert_eq!(
        missing.to_string(),
        "queryUsers: payload.filter_conditions is missing; pass a filter such as \
         { id: { $in: [\"alice\"] } }, or {} to match every user"
    );
    assert_eq!(
        wrong.to_string(),
        "queryUsers: payload.filter_conditions must be a filter object such as \
         { id: { $in: [\"alice\"] } }, got \"all\""
    );
    assert_eq!(
        match_all.query,
        vec![(
            String::from("payload"),
            String::from(r#"{"filter_conditions":{}}"#)
        )]
    );
}

#[test]
fn query_users_payload_must_be_object() {
    let error = query_users(Some(&json!({"payload": "x"}))).unwrap_err();

    assert_eq!(
        error.to_string(),
        "queryUsers: payload must be an object, got \"x\""
    );
}

#[test]
fn create_guest_request() {
    let input = json!({"user": {"id": "guest-1", "name": "Visitor"}});

    let request = create_guest(Some(&input)).unwrap();

    assert_eq!(request.path, "/api/v2/guest");
    assert_eq!(body(&request), input);
}

#[test]
fn create_guest_requires_user() {
    let missing = create_guest(Some(&json!({}))).unwrap_err();
    let no_id = create_guest(Some(&json!({"user": {}}))).unwrap_err();

    assert!(missing
        .to_string()
        .starts_with("createGuest: user is missing"));
    assert!(no_id
        .to_string()
        .starts_with("createGuest: user.id is missing"));
}

#[test]
fn export_user_request() {
    let request = export_user(Some(&json!({"user_id": "pia"}))).unwrap();

    assert_eq!(request.method, Method::Get);
    assert_eq!(request.path, "/api/v2/users/pia/export");
}

#[test]
fn export_user_rejects_empty_id() {
    let error = export_user(Some(&json!({"user_id": ""}))).unwrap_err();

    assert_eq!(
        error.to_string(),
        "exportUser: user_id must be a non-empty string, got \"\""
    );
}
