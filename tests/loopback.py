"""A loopback OpenAI-compatible server for tests: real HTTP on 127.0.0.1.

Each request to ``/v1/chat/completions`` takes the next step of a script
(the last step repeats); every request is recorded (path, headers, JSON body).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def completion(content: str | None, *, finish_reason: str = "stop", refusal: str | None = None,
               model: str = "test-model", usage: tuple[int, int] = (100, 50)) -> dict:
    return {
        "id": "chatcmpl-loopback", "object": "chat.completion", "created": 1700000000, "model": model,
        "choices": [{"index": 0, "finish_reason": finish_reason, "logprobs": None,
                     "message": {"role": "assistant", "content": content, "refusal": refusal}}],
        "usage": {"prompt_tokens": usage[0], "completion_tokens": usage[1], "total_tokens": sum(usage)},
    }


@dataclass
class Step:
    status: int = 200
    body: dict | str | bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


def ok(content: str, **kw) -> Step:
    return Step(body=completion(content, **kw))


def error(status: int, message: str = "error", headers: dict[str, str] | None = None) -> Step:
    return Step(status=status, body={"error": {"message": message, "type": "server_error"}}, headers=headers or {})


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    body: dict | None
    at: float


class LoopbackServer:
    def __init__(self, script: list[Step]):
        self.script = list(script)
        self.requests: list[Seen] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep test output quiet
                pass

            def do_POST(self):
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = None
                with server._lock:
                    server.requests.append(Seen(self.path, {k.lower(): v for k, v in self.headers.items()}, body, time.monotonic()))
                    index = min(len(server.requests), len(server.script)) - 1
                    step = server.script[index]
                if step.delay:
                    time.sleep(step.delay)
                if isinstance(step.body, (dict, list)):
                    payload, ctype = json.dumps(step.body).encode(), "application/json"
                elif isinstance(step.body, str):
                    payload, ctype = step.body.encode(), "text/html"
                else:
                    payload, ctype = step.body or b"", "application/octet-stream"
                try:
                    self.send_response(step.status)
                    self.send_header("content-type", ctype)
                    self.send_header("content-length", str(len(payload)))
                    for k, v in step.headers.items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __enter__(self) -> "LoopbackServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
