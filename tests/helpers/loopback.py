"""A loopback OpenAI-compatible server for tests: real HTTP on 127.0.0.1.

Each chat completion (any POST but the files/batches routes) takes the next step
of a script (the last step repeats) or asks a ``responder``; every request is
recorded (method, path, headers, JSON body).  Optional latency, a token-bucket
rate limit and a ``FaultPlan`` (429, 500, 503, timeouts, truncated bodies,
invalid JSON, schema-invalid replies, refusals, cut-off replies at a set rate)
apply to live completions; the Files/Batch API subset lives in memory.
Standalone, from the project root: ``python -m tests.helpers.loopback --content-file F [--latency S]
[--rate-limit R] [--port P] [--fault-rate X --fault-kinds K,K... --fault-seed N --fault-retry-after S
--fault-hold S]``.  Imported as ``tests.helpers.loopback`` by the tests and ``bench/``; it imports
nothing from the project, so ``tools/snapshot.py`` can load it from its file.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
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
    truncate: bool = False  # send half the body under the full Content-Length, then close the connection
    content_type: str | None = None  # instead of the one the body's type implies


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

FAULT_KINDS = ("429", "500", "503", "timeout", "truncated", "invalid_json", "schema_invalid", "refusal", "length")


@dataclass
class FaultPlan:
    """Faults in place of live completions, at ``rate``, of ``kinds`` (uniformly).

    Whether the n-th request of a key (the ``key_header`` value: the article's
    hash) is a fault, and which, follows from (seed, key, n) alone, so a run is
    reproducible whatever order concurrent requests arrive in.  At most
    ``per_key`` faults per key when set (1: the first request fails, the retry
    succeeds).  429 and 503 carry ``retry_after`` seconds (``Retry-After`` when
    a whole number, else ``retry-after-ms``); a ``timeout`` holds the answer
    ``hold`` seconds (or until the server closes).
    """

    rate: float = 0.2
    kinds: tuple[str, ...] = FAULT_KINDS
    seed: int = 0
    retry_after: float = 1.0
    hold: float = 30.0
    per_key: int | None = None
    key_header: str = "x-verifier-article-sha256"

    def __post_init__(self) -> None:
        self.kinds = tuple(self.kinds)
        unknown = set(self.kinds) - set(FAULT_KINDS)
        if unknown or not self.kinds or not 0 <= self.rate <= 1:
            raise ValueError(f"fault kinds must be among {', '.join(FAULT_KINDS)} and 0 <= rate <= 1")

    def draw(self, key: str, n: int) -> str | None:
        """The fault kind of the ``n``-th request (from 0) of ``key``, or None."""
        digest = hashlib.sha256(f"{self.seed}:{key}:{n}".encode()).digest()
        if int.from_bytes(digest[:8], "big") / 2**64 >= self.rate:
            return None
        return self.kinds[int.from_bytes(digest[8:16], "big") % len(self.kinds)]

    def step(self, kind: str, good: Step) -> Step:
        """The answer of fault ``kind`` in place of the ``good`` one."""
        wait = ({"retry-after": str(int(self.retry_after))} if float(self.retry_after).is_integer()
                else {"retry-after-ms": str(round(self.retry_after * 1000))})
        content = _content(good)
        if kind == "429":
            return error(429, "Rate limit reached for requests", wait)
        if kind == "500":
            return error(500, "The server had an error while processing your request")
        if kind == "503":
            return error(503, "The server is overloaded, please try again later", wait)
        if kind == "timeout":
            return Step(good.status, good.body, good.headers, delay=self.hold)
        if kind == "truncated":
            return Step(good.status, good.body, good.headers, truncate=True)
        if kind == "invalid_json":
            return Step(body=b'{"id": "chatcmpl-loopback", "choices": [{"index": 0, "message": ',
                        content_type="application/json")
        if kind == "schema_invalid":
            return ok(_schema_invalid(content))
        if kind == "refusal":
            return ok(None, refusal="I'm sorry, but I can't help with that request.")
        return ok(content[: len(content) // 2], finish_reason="length")


def _content(step: Step) -> str:
    """The message content of a completion step ("" when it is not one)."""
    try:
        return step.body["choices"][0]["message"]["content"] or ""  # type: ignore[index]
    except (TypeError, KeyError, IndexError):
        return ""


def _schema_invalid(content: str) -> str:
    """``content`` (a JSON object) without its first field: valid JSON, invalid against a strict schema."""
    try:
        value = json.loads(content)
    except ValueError:
        value = None
    if isinstance(value, dict) and value:
        return json.dumps(dict(list(value.items())[1:]), ensure_ascii=False)
    return json.dumps({"unexpected": value})


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


# -- a numbered corpus: small French articles, each with its correct answer -----------------------

_NUMBER = re.compile(r"Ville n° (\d+) —")


def numbered_article(i: int) -> str:
    return (f"Ville n° {i} — Le conseil municipal a voté lundi un budget de {i} millions d'euros pour rénover "
            "les écoles. « Les travaux commenceront dès cet été », a déclaré la maire, Claire Martin, devant "
            "les élus. Selon l'opposition, le chantier coûtera davantage que prévu.\n")


def numbered_answer(i: int) -> str:
    """The analysis of ``numbered_article(i)`` as a model would send it: every quote verbatim."""
    budget = f"Le conseil municipal a voté lundi un budget de {i} millions d'euros pour rénover les écoles"
    draft = {
        "language": "fr",
        "claims": [
            {"text": f"Le conseil municipal a voté un budget de {i} millions d'euros pour rénover les écoles.",
             "modality": "asserted", "speaker": None, "evidence": [budget]},
            {"text": "Le chantier de rénovation des écoles coûtera davantage que prévu.", "modality": "reported",
             "speaker": "l'opposition", "evidence": ["Selon l'opposition, le chantier coûtera davantage que prévu"]},
        ],
        "attributions": [
            {"speaker": {"name": "Claire Martin", "role": "maire"},
             "content": "Les travaux commenceront dès cet été", "kind": "direct", "cue": "a déclaré",
             "is_denial": False, "is_no_comment": False,
             "evidence": "« Les travaux commenceront dès cet été », a déclaré la maire, Claire Martin"},
        ],
        "summary": [{"text": f"La ville n° {i} consacre {i} millions d'euros à la rénovation de ses écoles.",
                     "citations": [f"un budget de {i} millions d'euros pour rénover les écoles"]}],
    }
    return json.dumps(draft, ensure_ascii=False)


def answer_numbered(body: dict | None, headers: dict[str, str]) -> Step:
    """A responder: the answer of the numbered article in the request's messages."""
    for message in (body or {}).get("messages") or []:
        found = _NUMBER.search(str(message.get("content") or ""))
        if found:
            return ok(numbered_answer(int(found.group(1))), usage=(400, 200))
    return _fail(400, "loopback: no numbered article in the messages")


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
            self.send_header("content-type", step.content_type or ctype)
            self.send_header("content-length", str(len(payload)))
            for k, v in step.headers.items():
                self.send_header(k, v)
            self.end_headers()
            if step.truncate:
                self.close_connection = True
                payload = payload[: len(payload) // 2]
            self.wfile.write(payload)
        except OSError:  # the client left (it timed out): nothing to answer
            self.close_connection = True

    do_GET = do_POST


class LoopbackServer:
    """Bound at construction, serving inside ``with``; ``base_url`` ends with /v1."""

    def __init__(self, script: list[Step] | None = None, *, responder: Responder | None = None,
                 latency: float = 0.0, rate_limit: float | None = None, batch_polls: int = 2, port: int = 0,
                 faults: FaultPlan | None = None):
        self.script = list(script or [])
        self.responder, self.latency, self.rate_limit, self.batch_polls = responder, latency, rate_limit, batch_polls
        self.faults = faults
        self.requests: list[Seen] = []
        self.completions = 0  # live chat completions answered 2xx, faults aside
        self.rate_limited = 0  # 429s sent by the limiter
        self.injected = Counter[str]()  # faults sent, by kind
        self._asked, self._faulted = Counter[str](), Counter[str]()  # live completions and faults, by fault key
        self.files: dict[str, bytes] = {}
        self.batches: dict[str, dict] = {}
        self._meta: dict[str, dict] = {}  # file id -> FileObject
        self._inputs: dict[str, list[dict]] = {}  # batch id -> validated request lines
        self._polls: dict[str, int] = {}  # batch id -> in_progress retrieves so far
        self._steps, self._serial = 0, Counter[str]()
        self._tokens, self._refilled = max(1.0, rate_limit or 0), time.monotonic()
        self._lock = threading.Lock()
        self._closing = threading.Event()  # ends every wait (latency, held answers) at shutdown
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
        self._closing.set()
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
        kind = self._fault(headers)
        if kind is not None:
            step = self.faults.step(kind, step)
        wait = arrived + self.latency + step.delay - time.monotonic()
        if wait > 0:
            self._closing.wait(wait)
        if 200 <= step.status < 300 and kind is None:
            with self._lock:
                self.completions += 1
        return step

    def _fault(self, headers: dict[str, str]) -> str | None:
        """The fault this request gets from the plan (counted), or None."""
        if self.faults is None:
            return None
        key = headers.get(self.faults.key_header, "")
        with self._lock:
            n = self._asked[key]
            self._asked[key] += 1
            kind = self.faults.draw(key, n)
            if kind is not None and self.faults.per_key is not None and self._faulted[key] >= self.faults.per_key:
                kind = None
            if kind is not None:
                self._faulted[key] += 1
                self.injected[kind] += 1
        return kind

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
            answer = (step.body if isinstance(step.body, (dict, list))
                      else _encode(step.body)[0].decode("utf-8", "replace"))
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
    parser.add_argument("--fault-rate", type=float, default=0.0, help="share of completions answered by a fault")
    parser.add_argument("--fault-kinds", default="all", help=f"comma-separated, among {','.join(FAULT_KINDS)}")
    parser.add_argument("--fault-seed", type=int, default=0, help="the same seed draws the same faults")
    parser.add_argument("--fault-retry-after", type=float, default=1.0, help="Retry-After of 429 and 503, seconds")
    parser.add_argument("--fault-hold", type=float, default=30.0, help="seconds a 'timeout' fault holds the answer")
    args = parser.parse_args(argv)
    reply = ok(args.content_file.read_text("utf-8"))
    kinds = FAULT_KINDS if args.fault_kinds == "all" else tuple(k.strip() for k in args.fault_kinds.split(","))
    try:
        plan = FaultPlan(args.fault_rate, kinds, args.fault_seed, args.fault_retry_after,
                         args.fault_hold) if args.fault_rate else None
    except ValueError as exc:
        parser.error(str(exc))
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    with LoopbackServer(responder=lambda body, headers: reply, latency=args.latency,
                        rate_limit=args.rate_limit or None, port=args.port, faults=plan) as server:
        print(server.base_url, flush=True)
        while not stop.wait(0.2):
            pass
    counts = {"requests": len(server.requests), "completions": server.completions,
              "rate_limited": server.rate_limited}
    print(json.dumps({**counts, "faults": dict(server.injected)} if plan else counts), flush=True)


if __name__ == "__main__":
    main()
