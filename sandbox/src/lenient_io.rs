//! A listener whose connections repair the request line of their first request.
//!
//! The `http` crate, which hyper uses, rejects a request target that contains `"`, `<` or
//! `>` with a bare 400, before the application receives the request. Stream's servers accept
//! such targets, and so does curl when a developer pastes an unencoded
//! `payload={"filter_conditions":...}`. Percent-encoding those bytes in place would push
//! long but valid targets over the `http` crate's 64 KiB URI limit, so this wrapper moves
//! the query of such a first request line into the header [`RAW_QUERY_HEADER`] and
//! percent-encodes the path. The `front` middleware puts the query back as the request's
//! query, so handlers see the request as sent.
//!
//! NOTE: only the first request of a keep-alive connection is repaired, because finding
//! later request lines would mean parsing message bodies here. Later requests with such
//! bytes still get hyper's bare 400.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

/// Maximum length of a first line collected for repair, in bytes. A longer line passes through as is,
/// and hyper rejects it as too large.
const MAX_REPAIRED_LINE_BYTES: usize = 512 * 1024;

/// A TCP listener whose connections are [`LenientStream`]s.
pub struct LenientListener {
    inner: TcpListener,
}

impl LenientListener {
    /// Wraps a bound listener.
    pub fn new(inner: TcpListener) -> Self {
        Self { inner }
    }
}

impl axum::serve::Listener for LenientListener {
    type Io = LenientStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            match self.inner.accept().await {
                Ok((stream, address)) => return (LenientStream::new(stream), address),
                Err(error) => {
                    // Errors such as "too many open files" pass once connections close.
                    tracing::warn!(%error, "accepting a connection failed; retrying");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.inner.local_addr()
    }
}

enum State {
    /// Reading until the end of the first line.
    Collecting(Vec<u8>),
    /// Handing out the repaired first line (and what was read after it).
    Replaying(Vec<u8>, usize),
    /// Reading straight from the socket.
    Passthrough,
}

/// A TCP stream whose first request line is repaired as the module describes.
pub struct LenientStream {
    inner: TcpStream,
    state: State,
}

impl LenientStream {
    fn new(inner: TcpStream) -> Self {
        Self {
            inner,
            state: State::Collecting(Vec::new()),
        }
    }
}

impl AsyncRead for LenientStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        context: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        loop {
            match &mut this.state {
                State::Passthrough => return Pin::new(&mut this.inner).poll_read(context, buf),
                State::Replaying(data, position) => {
                    let count = (data.len() - *position).min(buf.remaining());
                    buf.put_slice(&data[*position..*position + count]);
                    *position += count;
                    if *position == data.len() {
                        this.state = State::Passthrough;
                    }
                    return Poll::Ready(Ok(()));
                }
                State::Collecting(collected) => {
                    let mut chunk = [0u8; 8192];
                    let mut chunk_buf = ReadBuf::new(&mut chunk);
                    match Pin::new(&mut this.inner).poll_read(context, &mut chunk_buf) {
                        Poll::Pending => return Poll::Pending,
                        Poll::Ready(Err(error)) => return Poll::Ready(Err(error)),
                        Poll::Ready(Ok(())) => {}
                    }
                    let filled = chunk_buf.filled();
                    let at_end = filled.is_empty();
                    collected.extend_from_slice(filled);
                    let line_end = collected.iter().position(|byte| *byte == b'\n');
                    if line_end.is_none() && !at_end && collected.len() <= MAX_REPAIRED_LINE_BYTES {
                        continue;
                    }
                    let data = match line_end {
                        Some(end) => repair_request_line(std::mem::take(collected), end),
                        None => std::mem::take(collected),
                    };
                    if data.is_empty() {
                        this.state = State::Passthrough;
                        return Poll::Ready(Ok(()));
                    }
                    this.state = State::Replaying(data, 0);
                }
            }
        }
    }
}

impl AsyncWrite for LenientStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        context: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(context, data)
    }

    fn poll_flush(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(context)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(context)
    }
}

/// The header that carries a query moved out of the request line.
pub const RAW_QUERY_HEADER: &str = "x-stream-sandbox-raw-query";

/// Returns whether the `http` crate rejects a byte in a request target, or it is not ASCII.
fn rejected_in_target(byte: u8) -> bool {
    matches!(byte, b'"' | b'<' | b'>') || !(0x21..=0x7E).contains(&byte)
}

/// Appends `bytes`, percent-encoding those that `encode` selects.
fn push_encoded(out: &mut Vec<u8>, bytes: &[u8], encode: impl Fn(u8) -> bool) {
    for byte in bytes {
        if encode(*byte) {
            out.extend_from_slice(format!("%{byte:02X}").as_bytes());
        } else {
            out.push(*byte);
        }
    }
}

/// Repairs the request line that ends at `line_end` (the index of its `\n`) when its
/// target contains bytes the `http` crate rejects: the path is percent-encoded and the query
/// moves into a [`RAW_QUERY_HEADER`] header line after the request line. The header keeps
/// `"`, `<` and `>` as they are and percent-encodes only bytes outside visible ASCII.
fn repair_request_line(data: Vec<u8>, line_end: usize) -> Vec<u8> {
    let line = &data[..line_end];
    let Some(target_start) = line.iter().position(|byte| *byte == b' ').map(|i| i + 1) else {
        return data;
    };
    let Some(target_end) = line[target_start..]
        .iter()
        .position(|byte| *byte == b' ')
        .map(|i| target_start + i)
    else {
        return data;
    };
    let target = &line[target_start..target_end];
    if !target.iter().any(|byte| rejected_in_target(*byte)) {
        return data;
    }
    let (path, query) = match target.iter().position(|byte| *byte == b'?') {
        Some(mark) => (&target[..mark], Some(&target[mark + 1..])),
        None => (target, None),
    };

    let mut repaired = Vec::with_capacity(data.len() + 64);
    repaired.extend_from_slice(&data[..target_start]);
    push_encoded(&mut repaired, path, rejected_in_target);
    // The rest of the request line: the space, the version and the line end.
    repaired.extend_from_slice(&data[target_end..=line_end]);
    if let Some(query) = query {
        repaired.extend_from_slice(RAW_QUERY_HEADER.as_bytes());
        repaired.extend_from_slice(b": ");
        push_encoded(&mut repaired, query, |byte| !(0x20..=0x7E).contains(&byte));
        repaired.extend_from_slice(b"\r\n");
    }
    repaired.extend_from_slice(&data[line_end + 1..]);
    repaired
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repair(request: &[u8]) -> Vec<u8> {
        let end = request.iter().position(|b| *b == b'\n').unwrap();
        repair_request_line(request.to_vec(), end)
    }

    #[test]
    fn repair_moves_query_with_quotes_to_header() {
        let repaired = repair(b"GET /a?p={\"x\":\"<y>\"} HTTP/1.1\r\nHost: h\r\n\r\n");
        assert_eq!(
            repaired,
            b"GET /a HTTP/1.1\r\nx-stream-sandbox-raw-query: p={\"x\":\"<y>\"}\r\nHost: h\r\n\r\n"
                .to_vec()
        );
    }

    #[test]
    fn repair_leaves_valid_lines_alone() {
        let request = b"POST /api/v2/users?api_key=k HTTP/1.1\r\n\r\n{\"a\":1}";
        assert_eq!(repair(request), request.to_vec());
    }

    #[test]
    fn repair_encodes_path_bytes() {
        assert_eq!(
            repair(b"GET /demo/\xff\"?q=\xfe HTTP/1.1\r\n\r\n"),
            b"GET /demo/%FF%22 HTTP/1.1\r\nx-stream-sandbox-raw-query: q=%FE\r\n\r\n".to_vec()
        );
    }
}
