//! The lines printed on stdout once the socket is bound.

use std::net::SocketAddr;

use crate::config::Config;

/// Prints the base URL (always the first line, which tests parse), the key, a note on the
/// secret and a ready-to-paste curl command.
///
/// The secret itself is printed only when it is the public development default.
pub fn print(config: &Config, address: SocketAddr, server_token: &str) {
    let base_url = format!("http://{address}");
    println!("stream-sandbox listening on {base_url}");

    println!("  API key:    {}", config.api_key);
    if config.uses_default_secret() {
        println!(
            "  API secret: {} (the public development default: sandbox-only, never use it \
             with a real Stream app)",
            config.api_secret
        );
    } else {
        println!("  API secret: set by --api-secret or STREAM_SANDBOX_API_SECRET (not printed)");
    }
    if config.db == ":memory:" {
        println!("  Database:   in memory (lost when the sandbox stops)");
    } else {
        println!("  Database:   {}", config.db);
    }
    if config.demo_dir.is_some() {
        println!("  Demo page:  {base_url}/demo/");
    }

    let curl_host = match address {
        SocketAddr::V4(v4) if v4.ip().is_unspecified() => format!("127.0.0.1:{}", v4.port()),
        SocketAddr::V6(v6) if v6.ip().is_unspecified() => format!("[::1]:{}", v6.port()),
        other => other.to_string(),
    };
    let payload: String = form_urlencoded::byte_serialize(br#"{"filter_conditions":{}}"#).collect();
    let api_key: String = form_urlencoded::byte_serialize(config.api_key.as_bytes()).collect();
    println!("  Try it (query users with a server token):");
    println!(
        "    curl 'http://{curl_host}/api/v2/users?api_key={api_key}&payload={payload}' \\\n      \
         -H 'stream-auth-type: jwt' -H 'Authorization: {server_token}'"
    );
}
