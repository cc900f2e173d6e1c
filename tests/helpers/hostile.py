"""Hostile HTTP servers on 127.0.0.1, on raw sockets: what an endpoint (or a
page) can do to a client that trusts it.

``HostileServer(kind, ...)`` answers every request (any method, any path)
with a 200 whose body:

* ``endless``: never ends (chunked, ``piece`` bytes at a time, as fast as
  the client reads);
* ``drip``: comes one byte every ``interval`` seconds (a ``Content-Length``
  of ``size``), then, with ``silent=True``, stops sending after ``bytes``
  bytes while keeping the connection open;
* ``drip-head``: never gets to the body: its headers come one byte every
  ``interval`` seconds, without end;
* ``huge``: is ``size`` bytes, declared (``Content-Length``), or not
  (``declared=False``: chunked), sent as fast as the client reads.

It counts requests (``requests``); ``content_type`` sets the type (JSON by
default, ``text/html`` for a page).  Standalone (for ``bench/hostile.py``):
``python -m tests.helpers.hostile KIND [--size N] [--interval S]`` prints the
port on its first line.  Imports nothing from the project.
"""

from __future__ import annotations

import argparse
import socket
import sys
import threading
import time

KINDS = ("endless", "drip", "huge", "drip-head")
_PREFIX = b'{"id": "x", "object": "chat.completion", "choices": [{"index": 0, "message": {"role": "assistant", ' \
          b'"content": "'


def read_head(conn: socket.socket) -> bytes:
    """What a client sent up to the end of its request's headers (less, if it closed before)."""
    data = b""
    while b"\r\n\r\n" not in data:
        got = conn.recv(65536)
        if not got:
            break
        data += got
    return data


class HostileServer:
    def __init__(self, kind: str, *, size: int = 100 * 1024 * 1024, interval: float = 1.0, piece: int = 65536,
                 declared: bool = True, silent_after: int | None = None, content_type: str = "application/json"):
        assert kind in KINDS
        self.kind, self.size, self.interval, self.piece = kind, size, interval, piece
        self.declared, self.silent_after, self.content_type = declared, silent_after, content_type
        self.requests = 0
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._stop = threading.Event()
        self.port = self._sock.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        self.url = f"http://127.0.0.1:{self.port}/article.html"

    def __enter__(self) -> HostileServer:
        threading.Thread(target=self._serve, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._sock.close()

    def _serve(self) -> None:
        self._sock.settimeout(0.2)
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except (TimeoutError, socket.timeout):
                continue
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _read_request(self, conn: socket.socket) -> None:
        data = read_head(conn)
        if b"\r\n\r\n" not in data:
            return
        head, _, body = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        while len(body) < length:
            got = conn.recv(65536)
            if not got:
                return
            body += got

    def _handle(self, conn: socket.socket) -> None:
        try:
            self._read_request(conn)
            self.requests += 1
            head = f"HTTP/1.1 200 OK\r\nContent-Type: {self.content_type}\r\n"
            if self.kind == "endless" or (self.kind == "huge" and not self.declared):
                conn.sendall((head + "Transfer-Encoding: chunked\r\n\r\n").encode())
                filler = b"x" * self.piece
                chunk = f"{len(_PREFIX):x}\r\n".encode() + _PREFIX + b"\r\n"
                conn.sendall(chunk)
                sent = 0
                while not self._stop.is_set() and (self.kind == "endless" or sent < self.size):
                    conn.sendall(f"{len(filler):x}\r\n".encode() + filler + b"\r\n")
                    sent += len(filler)
                conn.sendall(b"0\r\n\r\n")
            elif self.kind == "huge":
                conn.sendall((head + f"Content-Length: {self.size}\r\n\r\n").encode())
                conn.sendall(_PREFIX)
                sent, filler = len(_PREFIX), b"x" * self.piece
                while not self._stop.is_set() and sent < self.size:
                    part = filler[:self.size - sent]
                    conn.sendall(part)
                    sent += len(part)
            elif self.kind == "drip-head":
                data = (head + "X-Padding: ").encode()
                n = 0
                while not self._stop.is_set():
                    conn.sendall(data[n:n + 1] if n < len(data) else b"p")
                    n += 1
                    self._stop.wait(self.interval)
            else:  # drip
                conn.sendall((head + f"Content-Length: {self.size}\r\n\r\n").encode())
                body = (_PREFIX + b"x" * self.size)[:self.size]
                for n, byte in enumerate(body):
                    if self._stop.is_set():
                        break
                    if self.silent_after is not None and n >= self.silent_after:
                        self._stop.wait()
                        break
                    conn.sendall(bytes([byte]))
                    self._stop.wait(self.interval)
        except OSError:
            pass  # the client gave up: what it should do
        finally:
            conn.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=KINDS)
    parser.add_argument("--size", type=int, default=100 * 1024 * 1024)
    parser.add_argument("--interval", type=float, default=1.0)
    parser.add_argument("--html", action="store_true", help="serve text/html (a page to fetch)")
    args = parser.parse_args()
    server = HostileServer(args.kind, size=args.size, interval=args.interval,
                           content_type="text/html" if args.html else "application/json")
    with server:
        print(server.port, flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            sys.exit(0)


if __name__ == "__main__":
    main()
