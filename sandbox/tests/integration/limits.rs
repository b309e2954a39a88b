//! Rate limits, body and URI limits, malformed input, unknown routes and CORS.

use std::io::Write;
use std::net::TcpStream;

use serde_json::json;

use crate::support::{
    raw_exchange, read_one_response, read_raw_response, Options, Sandbox, API_KEY,
};

#[test]
fn rate_limit_per_endpoint() {
    let sandbox = Sandbox::start_with(Options {
        extra: vec![String::from("--rate-limit"), String::from("3")],
        ..Default::default()
    });
    let query = || sandbox.query(json!({"filter_conditions": {}}));

    let remaining: Vec<Option<String>> = (0..3)
        .map(|_| query().header("x-ratelimit-remaining"))
        .collect();
    let limited = query();
    let other_endpoint = sandbox.call("GET", "/api/v2/tasks/x").send();

    assert_eq!(
        remaining,
        [Some("2".into()), Some("1".into()), Some("0".into())]
    );
    assert!(limited.assert_error(429, 9).contains("Too many requests"));
    assert_eq!(limited.header("x-ratelimit-limit").as_deref(), Some("3"));
    assert_eq!(
        limited.header("x-ratelimit-remaining").as_deref(),
        Some("0")
    );
    let reset: i64 = limited
        .header("x-ratelimit-reset")
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(reset % 60, 0, "the window ends on a minute boundary");
    assert!(limited.header("retry-after").is_some());
    assert_eq!(limited.json()["unrecoverable"], false);
    assert_eq!(other_endpoint.status, 404);
    assert_eq!(
        other_endpoint.header("x-ratelimit-remaining").as_deref(),
        Some("2")
    );
}

#[test]
fn rate_limit_headers_on_every_api_response() {
    let sandbox = Sandbox::start();
    let replies = [
        sandbox.query(json!({"filter_conditions": {}})),
        sandbox
            .call("GET", "/api/v2/users")
            .without_query("api_key")
            .send(),
        sandbox
            .call("POST", "/api/v2/users")
            .raw_body(b"{".to_vec())
            .send(),
        sandbox.call("GET", "/api/v2/nothing/here").send(),
        sandbox.call("DELETE", "/api/v2/users").send(),
    ];

    for reply in replies {
        for header in [
            "x-ratelimit-limit",
            "x-ratelimit-remaining",
            "x-ratelimit-reset",
        ] {
            assert!(
                reply.header(header).is_some(),
                "{header} missing on {}",
                reply.status
            );
        }
    }
}

#[test]
fn body_over_limit_gets_413() {
    let sandbox = Sandbox::start();
    let big_name = "x".repeat(1024 * 1024);

    let reply = sandbox
        .call("POST", "/api/v2/users")
        .json(json!({"users": {"big": {"id": "big", "name": big_name}}}))
        .send();

    reply.assert_error(413, 22);
    assert_eq!(
        sandbox.query_ids(json!({"filter_conditions": {}})),
        Vec::<String>::new()
    );
}

#[test]
fn declared_length_over_limit_gets_413() {
    let sandbox = Sandbox::start();
    let head = format!(
        "POST /api/v2/users?api_key={API_KEY} HTTP/1.1\r\nHost: sandbox\r\n\
         stream-auth-type: jwt\r\nAuthorization: {}\r\nContent-Type: application/json\r\n\
         Content-Length: 1000000000000\r\nConnection: close\r\n\r\n{{}}",
        sandbox.server_token()
    );

    let (status, body) = raw_exchange(&sandbox.address(), head.as_bytes());

    assert_eq!(status, 413, "{body}");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&body).unwrap()["code"],
        22
    );
}

#[test]
fn streamed_body_stops_at_limit() {
    let sandbox = Sandbox::start();
    let mut stream = TcpStream::connect(sandbox.address()).unwrap();
    let head = format!(
        "POST /api/v2/users?api_key={API_KEY} HTTP/1.1\r\nHost: sandbox\r\n\
         stream-auth-type: jwt\r\nAuthorization: {}\r\nContent-Type: application/json\r\n\
         Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
        sandbox.server_token()
    );
    stream.write_all(head.as_bytes()).unwrap();
    let chunk = vec![b' '; 256 * 1024];
    // Send up to 8 MiB; the sandbox responds after 1 MiB and may close the connection.
    for _ in 0..32 {
        let framed = [format!("{:x}\r\n", chunk.len()).as_bytes(), &chunk, b"\r\n"].concat();
        if stream.write_all(&framed).is_err() {
            break;
        }
    }
    let _ = stream.write_all(b"0\r\n\r\n");

    let (status, body) = read_raw_response(&mut stream);

    assert_eq!(status, 413, "{body}");
}

#[test]
fn malformed_bodies_get_code_4() {
    let sandbox = Sandbox::start();
    let deep = format!(
        "{{\"users\":{{\"d\":{{\"id\":\"d\",\"custom\":{{\"x\":{}{}}}}}}}}}",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("truncated", br#"{"users":{"a":{"id":"a""#.to_vec()),
        ("empty", Vec::new()),
        ("null", b"null".to_vec()),
        ("array", b"[]".to_vec()),
        (
            "invalid utf-8",
            b"{\"users\":{\"a\":{\"id\":\"a\",\"name\":\"\xff\"}}}".to_vec(),
        ),
        (
            "number out of range",
            br#"{"users":{"n":{"id":"n","custom":{"n":1e999}}}}"#.to_vec(),
        ),
        ("deep nesting", deep.into_bytes()),
        ("form", b"users=a".to_vec()),
    ];

    for (name, body) in cases {
        let reply = sandbox.call("POST", "/api/v2/users").raw_body(body).send();
        let message = reply.assert_error(400, 4);
        assert!(
            message.starts_with("UpdateUsers failed"),
            "{name}: {message}"
        );
    }
    let gzip = sandbox
        .call("POST", "/api/v2/users")
        .header("content-encoding", "gzip")
        .raw_body(b"\x1f\x8b".to_vec())
        .send();
    assert!(gzip.assert_error(400, 4).contains("Content-Encoding"));
    assert!(!sandbox.logs().contains("panicked"));
}

#[test]
fn json_without_content_type_accepted() {
    let sandbox = Sandbox::start();

    let reply = sandbox
        .call("POST", "/api/v2/users")
        .header("content-type", "text/plain")
        .raw_body(br#"{"users":{"plain":{"id":"plain"}}}"#.to_vec())
        .send();

    assert_eq!(reply.status, 201, "{}", reply.text);
}

#[test]
fn unencoded_query_accepted() {
    let sandbox = Sandbox::start();
    sandbox.upsert(json!([{"id": "alice", "name": "O'Brien <b>"}]));
    let request = format!(
        "GET /api/v2/users?api_key={API_KEY}&payload={{\"filter_conditions\":{{\"name\":\"O'Brien%20<b>\"}}}} \
         HTTP/1.1\r\nHost: sandbox\r\nstream-auth-type: jwt\r\nAuthorization: {}\r\n\
         Connection: close\r\n\r\n",
        sandbox.server_token()
    );

    let (status, body) = raw_exchange(&sandbox.address(), request.as_bytes());

    assert_eq!(status, 200, "{body}");
    let found: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(found["users"][0]["id"], "alice");
}

#[test]
fn long_uri_gets_414() {
    let sandbox = Sandbox::start();
    let request = |query: &str| {
        format!("GET /api/v2/users?{query} HTTP/1.1\r\nHost: sandbox\r\nConnection: close\r\n\r\n")
    };
    let plain = format!("pad={}", "x".repeat(70 * 1024));
    let quoted = format!("pad=\"{}\"", "x".repeat(70 * 1024));

    let (plain_status, _) = raw_exchange(&sandbox.address(), request(&plain).as_bytes());
    let (quoted_status, quoted_body) =
        raw_exchange(&sandbox.address(), request(&quoted).as_bytes());

    assert_eq!(plain_status, 414);
    assert_eq!(quoted_status, 414);
    let envelope: serde_json::Value = serde_json::from_str(&quoted_body).unwrap();
    assert_eq!(envelope["code"], 4);
    assert_eq!(envelope["StatusCode"], 414);
}

#[test]
fn unknown_routes_get_envelopes() {
    let sandbox = Sandbox::start();

    let unknown = sandbox.call("GET", "/api/v2/channels").send();
    let outside = sandbox.call("GET", "/favicon.ico").send();
    let wrong_method = sandbox.call("DELETE", "/api/v2/users").send();

    assert!(unknown.assert_error(404, 16).contains("/api/v2/channels"));
    outside.assert_error(404, 16);
    assert!(wrong_method.assert_error(405, 17).contains("DELETE"));
}

#[test]
fn cors_preflight_allows_stream_headers() {
    let sandbox = Sandbox::start();

    let preflight = sandbox
        .call("OPTIONS", "/api/v2/users")
        .header("origin", "http://page.example")
        .header("access-control-request-method", "PATCH")
        .header(
            "access-control-request-headers",
            "authorization, stream-auth-type, content-type, x-client-request-id",
        )
        .send();
    let actual = sandbox
        .call("GET", "/api/v2/users")
        .header("origin", "http://page.example")
        .send();

    assert!(
        preflight.status == 200 || preflight.status == 204,
        "{}",
        preflight.status
    );
    assert_eq!(
        preflight.header("access-control-allow-origin").as_deref(),
        Some("http://page.example")
    );
    let allowed = preflight
        .header("access-control-allow-headers")
        .unwrap()
        .to_lowercase();
    for header in [
        "authorization",
        "stream-auth-type",
        "content-type",
        "x-client-request-id",
    ] {
        assert!(allowed.contains(header), "{header} not in {allowed}");
    }
    assert!(preflight
        .header("access-control-allow-methods")
        .unwrap()
        .contains("PATCH"));
    assert_eq!(
        actual.header("access-control-allow-origin").as_deref(),
        Some("http://page.example")
    );
    let exposed = actual
        .header("access-control-expose-headers")
        .unwrap()
        .to_lowercase();
    for header in [
        "x-ratelimit-limit",
        "x-ratelimit-remaining",
        "x-ratelimit-reset",
    ] {
        assert!(exposed.contains(header), "{header} not in {exposed}");
    }
}

#[test]
fn connection_survives_early_rejection() {
    let sandbox = Sandbox::start();
    let mut stream = TcpStream::connect(sandbox.address()).unwrap();
    let body = r#"{"users":{"a":{"id":"a"}}}"#;
    let rejected = format!(
        "POST /api/v2/users?api_key=wrong HTTP/1.1\r\nHost: sandbox\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let accepted = format!(
        "POST /api/v2/users?api_key={API_KEY} HTTP/1.1\r\nHost: sandbox\r\n\
         stream-auth-type: jwt\r\nAuthorization: {}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n{body}",
        sandbox.server_token(),
        body.len()
    );

    stream.write_all(rejected.as_bytes()).unwrap();
    let (first_status, _) = read_one_response(&mut stream);
    stream.write_all(accepted.as_bytes()).unwrap();
    let (second_status, second_body) = read_one_response(&mut stream);

    assert_eq!(first_status, 401);
    assert_eq!(second_status, 201, "{second_body}");
}
