//! Starts the real `stream-sandbox` binary and talks to it over HTTP.

mod exchange;

pub use self::exchange::{raw_exchange, read_one_response, read_raw_response, Call, Reply};

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use serde_json::{json, Map, Value};
use stream_edge::jwt::Hs256Key;

pub const API_KEY: &str = "test-key";
pub const API_SECRET: &str = "test-secret-0123456789";

/// Upper bound for one HTTP exchange, so a hung sandbox fails the test instead of blocking.
pub(crate) const HTTP_TIMEOUT: Duration = Duration::from_secs(30);

/// Flags for one sandbox process.
pub struct Options {
    pub db: String,
    pub task_delay_ms: u64,
    pub extra: Vec<String>,
    pub env: Vec<(String, String)>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            db: String::from(":memory:"),
            task_delay_ms: 20,
            extra: Vec::new(),
            env: Vec::new(),
        }
    }
}

/// A running sandbox, killed when dropped.
pub struct Sandbox {
    child: Child,
    pub base_url: String,
    pub first_lines: Arc<Mutex<Vec<String>>>,
    logs: Arc<Mutex<String>>,
    agent: ureq::Agent,
    key: Hs256Key,
}

impl Sandbox {
    /// Starts a sandbox with an in-memory database and a 20 ms task delay.
    pub fn start() -> Self {
        Self::start_with(Options::default())
    }

    /// Starts a sandbox with the test key and secret and the given options.
    pub fn start_with(options: Options) -> Self {
        let mut command = Command::new(env!("CARGO_BIN_EXE_stream-sandbox"));
        command
            .args(["--port", "0", "--db", &options.db])
            .args(["--task-delay-ms", &options.task_delay_ms.to_string()])
            .args(["--api-key", API_KEY, "--api-secret", API_SECRET])
            .args(&options.extra)
            .env_remove("STREAM_SANDBOX_API_KEY")
            .env_remove("STREAM_SANDBOX_API_SECRET")
            .env("RUST_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (name, value) in &options.env {
            command.env(name, value);
        }
        Self::spawn(command)
    }

    /// Spawns a prepared command and waits for its listening line.
    pub fn spawn(mut command: Command) -> Self {
        let mut child = command.spawn().expect("spawn stream-sandbox");
        let logs = Arc::new(Mutex::new(String::new()));
        let stderr = child.stderr.take().expect("stderr is piped");
        let sink = Arc::clone(&logs);
        thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let mut logs = sink.lock().unwrap();
                logs.push_str(&line);
                logs.push('\n');
            }
        });

        let mut stdout = BufReader::new(child.stdout.take().expect("stdout is piped"));
        let mut first = String::new();
        stdout
            .read_line(&mut first)
            .expect("read the first stdout line");
        let pattern = regex::Regex::new(r"listening on (http://\S+)").unwrap();
        let Some(found) = pattern.captures(&first) else {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "first stdout line {first:?} has no URL; logs:\n{}",
                logs.lock().unwrap()
            );
        };
        let base_url = found[1].to_owned();
        let first_lines = Arc::new(Mutex::new(vec![first.trim_end().to_owned()]));
        let lines = Arc::clone(&first_lines);
        thread::spawn(move || {
            for line in stdout.lines().map_while(Result::ok) {
                lines.lock().unwrap().push(line);
            }
        });

        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(HTTP_TIMEOUT))
            .build()
            .into();
        let key = Hs256Key::new(API_SECRET.as_bytes()).unwrap();
        Self {
            child,
            base_url,
            first_lines,
            logs,
            agent,
            key,
        }
    }

    /// Returns everything the sandbox logged on stderr so far.
    pub fn logs(&self) -> String {
        self.logs.lock().unwrap().clone()
    }

    /// Returns the stdout lines printed so far.
    pub fn stdout_lines(&self) -> Vec<String> {
        self.first_lines.lock().unwrap().clone()
    }

    /// Waits until the start-up banner is complete (its last line is the curl command's
    /// headers) and returns its lines.
    pub fn banner(&self) -> Vec<String> {
        wait_until("the end of the banner", || {
            let lines = self.stdout_lines();
            lines
                .iter()
                .any(|line| line.contains("-H 'stream-auth-type: jwt'"))
                .then_some(lines)
        })
    }

    /// Waits until the log contains `needle` and returns the whole log. Log lines reach
    /// the test through a pipe, so they can arrive after the response.
    pub fn logs_containing(&self, needle: &str) -> String {
        wait_until(needle, || {
            let logs = self.logs();
            logs.contains(needle).then_some(logs)
        })
    }

    /// Sends SIGTERM and returns the exit status.
    pub fn terminate(&mut self) -> ExitStatus {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -TERM failed");
        self.child.wait().expect("wait for the sandbox")
    }

    /// Sends SIGKILL and waits for the process to end.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Returns the `host:port` the sandbox listens on.
    pub fn address(&self) -> String {
        self.base_url.trim_start_matches("http://").to_owned()
    }

    /// Signs a server token, `{"server": true}`.
    pub fn server_token(&self) -> String {
        self.key.sign_json(r#"{"server":true}"#)
    }

    /// Signs a token with the given claims with the app secret.
    pub fn token(&self, claims: Value) -> String {
        self.key
            .sign(claims.as_object().expect("claims are an object"))
    }

    /// Signs a user token for `user_id`, issued a second ago and valid for an hour.
    pub fn user_token(&self, user_id: &str) -> String {
        let now = now_secs();
        self.token(json!({"user_id": user_id, "iat": now - 1, "exp": now + 3600}))
    }

    /// Starts an API request authorized with the API key and a server token.
    pub fn call(&self, method: &str, path: &str) -> Call<'_> {
        Call {
            sandbox: self,
            method: method.to_owned(),
            path: path.to_owned(),
            query: vec![(String::from("api_key"), String::from(API_KEY))],
            headers: vec![
                (String::from("stream-auth-type"), String::from("jwt")),
                (String::from("authorization"), self.server_token()),
            ],
            body: None,
        }
    }

    /// Starts a control API request authorized with the secret.
    pub fn control(&self, method: &str, path: &str) -> Call<'_> {
        Call {
            sandbox: self,
            method: method.to_owned(),
            path: format!("/_sandbox/{path}"),
            query: Vec::new(),
            headers: vec![(
                String::from("authorization"),
                format!("Bearer {API_SECRET}"),
            )],
            body: None,
        }
    }

    /// Upserts users and asserts 201.
    pub fn upsert(&self, users: Value) -> Value {
        let by_id: Map<String, Value> = users
            .as_array()
            .expect("users is an array")
            .iter()
            .map(|user| (user["id"].as_str().unwrap().to_owned(), user.clone()))
            .collect();
        let reply = self
            .call("POST", "/api/v2/users")
            .json(json!({ "users": by_id }))
            .send();
        assert_eq!(reply.status, 201, "upsert: {}", reply.text);
        reply.json()
    }

    /// Queries users with a payload and returns the IDs, asserting 200.
    pub fn query_ids(&self, payload: Value) -> Vec<String> {
        let reply = self.query(payload);
        assert_eq!(reply.status, 200, "query: {}", reply.text);
        ids_of(&reply.json()["users"])
    }

    /// Queries users with a payload.
    pub fn query(&self, payload: Value) -> Reply {
        self.call("GET", "/api/v2/users")
            .query("payload", &payload.to_string())
            .send()
    }

    /// Polls a task until it ends, returning every status seen and the final body.
    pub fn wait_for_task(&self, task_id: &str) -> (Vec<String>, Value) {
        let mut seen = Vec::new();
        // The bound only stops a task that never ends from hanging the test.
        for _ in 0..3000 {
            let reply = self.call("GET", &format!("/api/v2/tasks/{task_id}")).send();
            assert_eq!(reply.status, 200, "get task: {}", reply.text);
            let body = reply.json();
            let status = body["status"].as_str().unwrap().to_owned();
            seen.push(status.clone());
            if status == "completed" || status == "failed" {
                return (seen, body);
            }
            thread::sleep(Duration::from_millis(5));
        }
        panic!("task {task_id} did not end: {seen:?}");
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Polls `check` every 10 ms until it returns a value. The bound of 30 s only stops a
/// missing value from hanging the test.
fn wait_until<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    for _ in 0..3000 {
        if let Some(value) = check() {
            return value;
        }
        thread::sleep(Duration::from_millis(10));
    }
    panic!("waited 30 s for {what}");
}

/// Returns the `id`s of a JSON array of users.
pub fn ids_of(users: &Value) -> Vec<String> {
    users
        .as_array()
        .expect("users is an array")
        .iter()
        .map(|user| user["id"].as_str().unwrap().to_owned())
        .collect()
}

/// Returns the current Unix time in seconds.
pub fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// A folder under the system temp folder, removed when dropped.
pub struct TempDir {
    pub path: PathBuf,
}

impl TempDir {
    pub fn new(label: &str) -> Self {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let path = std::env::temp_dir().join(format!(
            "stream-sandbox-{label}-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("create temp dir");
        Self { path }
    }

    pub fn join(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// Writes a file, creating its folder.
pub fn write_file(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}
