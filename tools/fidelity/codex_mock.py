"""A local mock of the OpenAI Responses API that finds Codex's compaction trigger inside one `codex exec` run.

Every normal request is answered with a harmless tool call (PROBE_TOOL) whose `usage.total_tokens` is the
next probe `u`; Codex then either compacts before its follow-up request (a request with no tools and the
local "CONTEXT CHECKPOINT COMPACTION" prompt; or the remote forms: `/responses/compact`, a
`compaction_trigger` input item) or sends the follow-up directly. Codex compacts iff
`u + offset >= trigger` (offset: its local estimate of the tool output appended after the response), so the
mock bisects `u` step by step in the same turn and ends the turn with a plain answer once the bracket is
one token wide: the lowest compacting `u` is exact, in one process, without restarting Codex.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

COMPACTION_PROMPT = "CONTEXT CHECKPOINT COMPACTION"
# The tool call of every step names a tool Codex does not offer: it runs nothing (no sandbox, no approval) and
# Codex answers it with one fixed output, "unsupported call: cfglint_probe", whatever the release and model (the
# tools offered vary with both: `update_plan` is gone from 0.171.0's exec, `get_goal` depends on the model), so
# the count's offset is one constant per release.
PROBE_TOOL = "cfglint_probe"
# Probed range of `u`; negative totals are accepted by Codex (i64) and locate triggers <= 0 exactly.
LOWEST, HIGHEST = -(2 ** 31), 2 ** 24


class Bisection:
    """The probes of one run: the lowest `u` that makes Codex compact (None: none up to HIGHEST)."""

    def __init__(self) -> None:
        self.below, self.above = LOWEST - 1, HIGHEST + 1   # known: no compaction at `below`, compaction at `above`
        self.probes: list[tuple[int, bool]] = []
        self.pending: int | None = None    # the probe whose follow-up has not been seen yet

    def next_probe(self) -> int | None:
        """The next `u` to answer with; None when the bracket is closed."""
        if not self.probes:
            return 0
        if self.above - self.below <= 1:
            return None
        if self.above > HIGHEST:     # no compaction seen yet: gallop up
            return min(HIGHEST, max(self.below * 2, self.below + (1 << 16)))
        if self.below < LOWEST:      # compaction at every probe so far: gallop down
            return max(LOWEST, min(self.above * 2, self.above - (1 << 16)))
        return (self.below + self.above) // 2

    def settle(self, compacted: bool) -> None:
        """What Codex did after the pending probe."""
        if self.pending is None:
            return
        u, self.pending = self.pending, None
        self.probes.append((u, compacted))
        if compacted:
            self.above = min(self.above, u)
        else:
            self.below = max(self.below, u)

    @property
    def lowest_compacting(self) -> int | None:
        return self.above if self.above <= HIGHEST else None


def _usage(total: int) -> dict:
    return {"input_tokens": total, "input_tokens_details": {"cached_tokens": 0}, "output_tokens": 0,
            "output_tokens_details": {"reasoning_tokens": 0}, "total_tokens": total}


def sse_response(number: int, item: dict, total: int) -> bytes:
    """The Responses API stream for one output item and its usage."""
    response_id = f"resp_{number}"
    events = [("response.created", {"response": {"id": response_id, "status": "in_progress"}}),
              ("response.output_item.added", {"output_index": 0, "item": item}),
              ("response.output_item.done", {"output_index": 0, "item": item}),
              ("response.completed", {"response": {"id": response_id, "status": "completed", "output": [item],
                                                   "usage": _usage(total)}})]
    return "".join(f"event: {name}\ndata: {json.dumps({'type': name, **body})}\n\n"
                   for name, body in events).encode()


def is_compaction(path: str, body: dict) -> bool:
    """A compaction request in any of Codex's forms (local prompt, remote endpoint, remote trigger item)."""
    if path.rstrip("/").endswith("/responses/compact"):
        return True
    items = body.get("input") or []
    if any(isinstance(item, dict) and item.get("type") == "compaction_trigger" for item in items):
        return True
    return not body.get("tools") and COMPACTION_PROMPT in json.dumps(items[-1:])


class MockServer:
    """One server on 127.0.0.1 (ephemeral port), reused run after run: `start_run` resets the script."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.start_run(Bisection())
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:   # e.g. a model list: none here
                server.unexpected.append(f"GET {self.path}")
                self._send(404, b"{}", "application/json")

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    body = json.loads(raw)
                except ValueError:
                    server.unexpected.append(f"POST {self.path}: not JSON ({self.headers.get('Content-Encoding')})")
                    self._send(400, b"{}", "application/json")
                    return
                self._send(200, server.answer(self.path, body), "text/event-stream")

            def _send(self, status: int, payload: bytes, kind: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def start_run(self, bisection: Bisection) -> None:
        with self.lock:
            self.bisection = bisection
            self.requests: list[dict] = []    # per request: its path, whether it was a compaction
            self.unexpected: list[str] = []
            self.pre_turn_compaction = False

    def answer(self, path: str, body: dict) -> bytes:
        with self.lock:
            number = len(self.requests) + 1
            compaction = is_compaction(path, body)
            bisection = self.bisection
            self.requests.append({"path": path, "compaction": compaction})
            if compaction:
                if bisection.pending is None and not bisection.probes:
                    self.pre_turn_compaction = True
                bisection.settle(True)
                if not path.endswith("/compact"):
                    item = {"type": "message", "role": "assistant", "id": f"msg_{number}",
                            "content": [{"type": "output_text", "text": "Summary: probing the compaction trigger."}]}
                    return sse_response(number, item, 100)
                self.unexpected.append(f"remote compaction at {path}")
                return b"{}"
            bisection.settle(False)
            probe = bisection.next_probe()
            if probe is None:
                item = {"type": "message", "role": "assistant", "id": f"msg_{number}",
                        "content": [{"type": "output_text", "text": "done"}]}
                return sse_response(number, item, 0)
            bisection.pending = probe
            item = {"type": "function_call", "id": f"fc_{number}", "call_id": f"call_{number}",
                    "name": PROBE_TOOL, "arguments": "{}"}
            return sse_response(number, item, probe)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
