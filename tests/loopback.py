"""A loopback OpenAI-compatible server for tests: real HTTP on 127.0.0.1.

Each chat completion (any POST but the files/batches routes) takes the next step
of a script (the last step repeats) or asks a ``responder``; every request is
recorded (method, path, headers, JSON body).  Optional latency and a token-bucket
rate limit apply to live completions; the Files/Batch API subset lives in memory.
Standalone: ``python tests/loopback.py --content-file F [--latency S] [--rate-limit R] [--port P]``.
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import re
import signal
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

CHAT = "/v1/chat/completions"


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


def _fail(status: int, message: str, kind: str = "invalid_request_error") -> Step:
    """An OpenAI-style error answer."""
    return Step(status=status, body={"error": {"message": message, "type": kind, "param": None, "code": None}})


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    body: dict | None
    at: float
    method: str = "POST"


Responder = Callable[[dict | None, dict[str, str]], Step]


def _encode(body: dict | list | str | bytes | None) -> tuple[bytes, str]:
    if isinstance(body, (dict, list)):
        return json.dumps(body).encode(), "application/json"
    if isinstance(body, str):
        return body.encode(), "text/html"
    return body or b"", "application/octet-stream"


def _multipart(content_type: str, raw: bytes) -> dict[str, tuple[str | None, bytes]]:
    """Form fields of a multipart/form-data body: name -> (filename, bytes)."""
    found = re.search(r'boundary="?([^";]+)"?', content_type)
    fields: dict[str, tuple[str | None, bytes]] = {}
    for chunk in raw.split(b"--" + found.group(1).encode())[1:-1] if found else []:
        head, _, data = chunk.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        disposition = head.decode("utf-8", "replace")
        name, filename = re.search(r'\bname="([^"]*)"', disposition), re.search(r'filename="([^"]*)"', disposition)
        if name:
            fields[name.group(1)] = (filename.group(1) if filename else None, data.removesuffix(b"\r\n"))
    return fields


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128
    owner: LoopbackServer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out at once, without the 40 ms delayed-ACK wait
    server: _HTTPServer

    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    def do_POST(self) -> None:
        arrived = time.monotonic()
        raw = self.rfile.read(int(self.headers.get("content-length") or 0))
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            step = self.server.owner._route(self.command, self.path, headers, raw, body, arrived)
        except Exception as exc:  # a failing responder: answer 500 rather than drop the connection
            step = _fail(500, f"loopback: {exc!r}", "server_error")
        payload, ctype = _encode(step.body)
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

    do_GET = do_POST


class LoopbackServer:
    """Bound at construction, serving inside ``with``; ``base_url`` ends with /v1."""

    def __init__(self, script: list[Step] | None = None, *, responder: Responder | None = None,
                 latency: float = 0.0, rate_limit: float | None = None, batch_polls: int = 2, port: int = 0):
        self.script = list(script or [])
        self.responder, self.latency, self.rate_limit, self.batch_polls = responder, latency, rate_limit, batch_polls
        self.requests: list[Seen] = []
        self.completions = 0  # live chat completions answered 2xx
        self.rate_limited = 0  # 429s sent by the limiter
        self.files: dict[str, bytes] = {}
        self.batches: dict[str, dict] = {}
        self._meta: dict[str, dict] = {}  # file id -> FileObject
        self._inputs: dict[str, list[dict]] = {}  # batch id -> validated request lines
        self._polls: dict[str, int] = {}  # batch id -> in_progress retrieves so far
        self._steps, self._serial = 0, Counter[str]()
        self._tokens, self._refilled = max(1.0, rate_limit or 0), time.monotonic()
        self._lock = threading.Lock()
        self.httpd = _HTTPServer(("127.0.0.1", port), _Handler)
        self.httpd.owner = self
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __enter__(self) -> LoopbackServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def _route(self, method: str, path: str, headers: dict[str, str], raw: bytes, body: dict | None,
               arrived: float) -> Step:
        with self._lock:
            self.requests.append(Seen(path, headers, body, time.monotonic(), method))
        route = path.split("?", 1)[0]
        if method == "POST" and route == "/v1/files":
            return self._upload(headers.get("content-type", ""), raw)
        if method == "POST" and route == "/v1/batches":
            return self._create_batch(body if isinstance(body, dict) else {})
        if found := re.fullmatch(r"/v1/batches/([^/]+)(/cancel)?", route):
            if method != ("POST" if found.group(2) else "GET"):
                return _fail(405, f"Method not allowed: {method} {route}")
            return self._cancel(found.group(1)) if found.group(2) else self._retrieve(found.group(1))
        if found := re.fullmatch(r"/v1/files/([^/]+)(/content)?", route):
            if method != "GET":
                return _fail(405, f"Method not allowed: {method} {route}")
            with self._lock:
                if found.group(1) not in self.files:
                    return _fail(404, f"No such File object: {found.group(1)}")
                if found.group(2):
                    return Step(body=self.files[found.group(1)])
                return Step(body=dict(self._meta[found.group(1)]))
        if method == "POST":
            return self._live(body, headers, arrived)
        return _fail(404, f"Unknown route: {method} {route}")

    def _next(self, body: dict | None, headers: dict[str, str]) -> Step:
        """The responder's answer, else the next script step (the last repeats)."""
        if self.responder is not None:
            return self.responder(body, headers)
        with self._lock:
            if not self.script:
                return _fail(500, "loopback: empty script", "server_error")
            step = self.script[min(self._steps, len(self.script) - 1)]
            self._steps += 1
        return step

    def _take_token(self) -> int | None:
        """Under the lock: None if a token was taken, else milliseconds until one is available."""
        if not self.rate_limit:
            return None
        now = time.monotonic()
        self._tokens = min(max(1.0, self.rate_limit), self._tokens + (now - self._refilled) * self.rate_limit)
        self._refilled = now
        if self._tokens >= 1:
            self._tokens -= 1
            return None
        return max(1, math.ceil((1 - self._tokens) / self.rate_limit * 1000))

    def _live(self, body: dict | None, headers: dict[str, str], arrived: float) -> Step:
        """A completion, answered ``latency`` (+ the step's delay) after the request arrived."""
        with self._lock:
            wait = self._take_token()
            if wait is not None:
                self.rate_limited += 1
                return Step(429, {"error": {"message": "rate limit", "type": "rate_limit_error"}},
                            {"retry-after-ms": str(wait)})
        step = self._next(body, headers)
        wait = arrived + self.latency + step.delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        if 200 <= step.status < 300:
            with self._lock:
                self.completions += 1
        return step

    def _new_id(self, kind: str) -> int:
        """Under the lock: the next serial number of ``kind`` (file, batch, request)."""
        self._serial[kind] += 1
        return self._serial[kind]

    def _store(self, data: bytes, filename: str, purpose: str) -> dict:
        """Under the lock: keep ``data`` as a new file; its FileObject."""
        meta = {"id": f"file-{self._new_id('file')}", "object": "file", "bytes": len(data), "filename": filename,
                "created_at": int(time.time()), "purpose": purpose, "status": "processed"}
        self.files[meta["id"]], self._meta[meta["id"]] = data, meta
        return meta

    def _upload(self, content_type: str, raw: bytes) -> Step:
        fields = _multipart(content_type, raw)
        filename, data = fields.get("file", (None, b""))
        if filename is None or "purpose" not in fields:
            return _fail(400, "multipart/form-data with 'file' and 'purpose' is required")
        with self._lock:
            return Step(body=dict(self._store(data, filename, fields["purpose"][1].decode())))

    def _check(self, input_file_id: str | None, endpoint: str | None) -> tuple[list[dict], list[dict]]:
        """Under the lock: (requests, errors) of a batch's input file."""
        def problem(code: str, message: str, line: int | None = None) -> dict:
            return {"code": code, "line": line, "message": message, "param": None}
        if input_file_id not in self.files:
            return [], [problem("invalid_file", f"No such file: {input_file_id}")]
        if endpoint != CHAT:
            return [], [problem("invalid_endpoint", f"Unsupported endpoint: {endpoint}")]
        requests: list[dict] = []
        errors: list[dict] = []
        for n, line in enumerate(self.files[input_file_id].decode("utf-8", "replace").splitlines(), 1):
            try:
                req = json.loads(line) if line.strip() else None
            except ValueError:
                req = "not JSON"
            if req is not None and (not isinstance(req, dict) or not isinstance(req.get("custom_id"), str)
                                    or req["custom_id"] in {r["custom_id"] for r in requests}
                                    or req.get("method") != "POST" or req.get("url") != CHAT
                                    or not isinstance(req.get("body"), dict)):
                errors.append(problem("invalid_request", "need JSON with a unique custom_id, method POST, "
                                      f"url {CHAT} and a body", n))
            elif req is not None:
                requests.append(req)
        return requests, errors or ([] if requests else [problem("empty_file", "The input file is empty")])

    def _create_batch(self, body: dict) -> Step:
        """A new batch, "validating" (or "failed" at once when the input does not validate)."""
        with self._lock:
            requests, errors = self._check(body.get("input_file_id"), body.get("endpoint"))
            now, bid = int(time.time()), f"batch_{self._new_id('batch')}"
            batch = {"id": bid, "object": "batch", "status": "validating", "created_at": now, "expires_at": now + 86400,
                     **{k: body.get(k) for k in ("endpoint", "input_file_id", "completion_window", "metadata")},
                     "request_counts": {"total": len(requests), "completed": 0, "failed": 0}, "errors": None,
                     **dict.fromkeys(("output_file_id", "error_file_id", "in_progress_at", "finalizing_at",
                                      "completed_at", "failed_at", "cancelling_at", "cancelled_at"))}
            if errors:
                batch.update(status="failed", failed_at=now, errors={"object": "list", "data": errors})
            self.batches[bid], self._inputs[bid], self._polls[bid] = batch, requests, 0
            return Step(body=copy.deepcopy(batch))

    def _retrieve(self, bid: str) -> Step:
        """Advance one step: validating -> in_progress (max(1, batch_polls) retrieves) -> completed;
        cancelling -> cancelled."""
        run = False
        with self._lock:
            batch = self.batches.get(bid)
            if batch is None:
                return _fail(404, f"No such Batch object: {bid}")
            if batch["status"] == "validating":
                batch.update(status="in_progress", in_progress_at=int(time.time()))
                self._polls[bid] = 1
            elif batch["status"] == "in_progress" and self._polls[bid] < self.batch_polls:
                self._polls[bid] += 1
            elif batch["status"] == "in_progress":
                batch.update(status="finalizing", finalizing_at=int(time.time()))
                run = True
            elif batch["status"] == "cancelling":
                batch.update(status="cancelled", cancelled_at=int(time.time()))
        if run:
            self._finish(batch, self._inputs[bid])
        with self._lock:
            return Step(body=copy.deepcopy(batch))

    def _finish(self, batch: dict, requests: list[dict]) -> None:
        """Answer every line as a live completion would be (no latency, no rate limit), then complete."""
        out: list[str] = []
        err: list[str] = []
        for req in requests:
            step = self._next(req["body"], {"x-batch-custom-id": req["custom_id"]})
            answer = step.body if isinstance(step.body, (dict, list)) else _encode(step.body)[0].decode("utf-8", "replace")
            with self._lock:
                n = self._new_id("request")
            line = {"id": f"batch_req_{n}", "custom_id": req["custom_id"],
                    "response": {"status_code": step.status, "request_id": f"req_{n}", "body": answer}, "error": None}
            (out if 200 <= step.status < 300 else err).append(json.dumps(line))
        with self._lock:
            files = {kind: self._store(("\n".join(lines) + "\n").encode(), f"{batch['id']}_{kind}.jsonl",
                                       "batch_output")["id"] if lines else None
                     for kind, lines in (("output", out), ("error", err))}
            batch.update(status="completed", completed_at=int(time.time()), output_file_id=files["output"],
                         error_file_id=files["error"],
                         request_counts={"total": len(requests), "completed": len(out), "failed": len(err)})

    def _cancel(self, bid: str) -> Step:
        with self._lock:
            batch = self.batches.get(bid)
            if batch is None:
                return _fail(404, f"No such Batch object: {bid}")
            if batch["status"] in ("validating", "in_progress"):
                batch.update(status="cancelling", cancelling_at=int(time.time()))
            elif batch["status"] not in ("cancelling", "cancelled"):
                return _fail(409, f"Cannot cancel a batch with status {batch['status']}")
            return Step(body=copy.deepcopy(batch))


def main(argv: list[str] | None = None) -> None:
    """Serve a fixed completion (the text of --content-file) until SIGTERM/SIGINT; print counts."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--content-file", required=True, type=Path, help="message content of every completion")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every completion")
    parser.add_argument("--rate-limit", type=float, default=0.0, help="completions per second (0 = no limit)")
    parser.add_argument("--port", type=int, default=0, help="0 = any free port")
    args = parser.parse_args(argv)
    reply = ok(args.content_file.read_text("utf-8"))
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    with LoopbackServer(responder=lambda body, headers: reply, latency=args.latency,
                        rate_limit=args.rate_limit or None, port=args.port) as server:
        print(server.base_url, flush=True)
        while not stop.wait(0.2):
            pass
    print(json.dumps({"requests": len(server.requests), "completions": server.completions,
                      "rate_limited": server.rate_limited}), flush=True)


if __name__ == "__main__":
    main()
