"""HTTP/1.1 over a plain socket, for requests that http.client refuses to send.

Hostile requests need bytes that well-behaved clients never produce: invalid UTF-8 in the
path, a `Content-Length` far beyond the body, bodies of hundreds of megabytes. `exchange`
writes the request head as given, streams the body in chunks and stops sending as soon as the
server responds, as a server that rejects a body early expects.
"""

import http.client
import select
import socket
import urllib.parse

SOCKET_TIMEOUT_S = 60


class NoResponse(Exception):
    """The server closed or reset the connection without sending a response."""


def exchange(base_url, head, body_chunks=()):
    """Send `head` (bytes, ending with a blank line) and the body chunks; return the response.

    Returns an `http.client.HTTPResponse` whose body is already read into `.data`, and the
    number of body bytes that were sent before the server responded as `.sent_bytes`.
    """
    parsed = urllib.parse.urlsplit(base_url)
    with socket.create_connection((parsed.hostname, parsed.port), SOCKET_TIMEOUT_S) as sock:
        sent = 0
        try:
            sock.sendall(head)
            for chunk in body_chunks:
                readable, _, _ = select.select([sock], [], [], 0)
                if readable:
                    break
                sock.sendall(chunk)
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass

        response = http.client.HTTPResponse(sock, method=head.split(b" ", 1)[0].decode())
        try:
            response.begin()
            response.data = response.read()
        except (http.client.RemoteDisconnected, ConnectionResetError) as error:
            raise NoResponse(f"after {sent} body bytes: {error!r}") from error
        response.sent_bytes = sent
        return response


def request_head(method, target, headers):
    """Return the bytes of a request line and headers. `target` may hold any bytes."""
    if isinstance(target, str):
        target = target.encode("latin-1")
    lines = [method.encode() + b" " + target + b" HTTP/1.1"]
    for name, value in headers.items():
        if isinstance(value, str):
            value = value.encode("latin-1")
        lines.append(name.encode() + b": " + value)
    return b"\r\n".join(lines) + b"\r\n\r\n"


def chunked(chunks):
    """Frame body chunks with HTTP/1.1 chunked transfer encoding."""
    for chunk in chunks:
        yield f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    yield b"0\r\n\r\n"
