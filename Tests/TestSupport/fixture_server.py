#!/usr/bin/env python3
"""HTTP/1.1 fixture server with fault injection for biomech's downloader tests.

Usage:
    python3 fixture_server.py --root DIR [--port 0] [--log FILE] [--control]

Binds 127.0.0.1:<port> (0 = any free port), prints exactly one line
``PORT <n>`` to stdout, then serves until SIGTERM/SIGINT. Python 3.11 stdlib
only.

Plain paths ``/<relpath>`` serve ``DIR/<relpath>`` (GET and HEAD) with
single-range support (``bytes=START-``, ``bytes=START-END``, ``bytes=-N``).
Any other Range form (multiple ranges, garbage, START > END) is ignored and
the whole file is served with 200, as RFC 9110 allows.

Fault-injection prefixes (they do not nest):

    /drop/<N>/<file>              first N GETs: headers + half the body, then close
    /status/<CODE>/<N>/<file>     first N requests: CODE + short text, Connection: close
    /retry-after/<SECS>/<N>/<file> first N requests: 429 + Retry-After: SECS
    /norange/<file>               ignores Range, always 200 with the whole file
    /badrange/<file>              Range -> 206 whose Content-Range/body start at 0
    /corrupt/<N>/<file>           first N GETs: byte TOTAL//2 xor 0xFF
    /corrupt-always/<file>        always corrupted as above
    /stall/<SECS>/<N>/<file>      first N GETs: headers + half body, sleep SECS, close
    /slow/<BYTES_PER_SEC>/<file>  body throttled (chunks of max(1, BPS//20) every 50 ms)
    /hold/<NAME>/<N>/<file>       first N GETs: headers + half body, print ``HELD NAME``, then
                                  wait until ``RELEASE NAME`` arrives on stdin; send the rest

    /__log     GET: JSON lines logged so far (application/json-lines), not logged
    /__reset   GET/POST: clears the fault counters and the in-memory log

With ``--control``, stdin takes commands and the server exits when stdin closes (its test
process is gone, even by a crash). One line each, for tests that wait on events, not time:
    RELEASE <NAME>  lets every request held by /hold/<NAME>/ go on (and later ones pass)
    SYNC <TOKEN>    once no request is being handled, prints ``SYNCED <TOKEN>``: every
                    response the client has seen is then in the log
Stdout carries only ``PORT <n>`` and these event lines.

Counting: counters are kept per full request path (query string excluded).
``status`` and ``retry-after`` count every request (GET and HEAD). The body
faults (``drop``, ``stall``, ``corrupt``) count only GET requests that would
carry a body (so a HEAD probe does not use up the fault), and requests for a
missing file or an unsatisfiable range (404/416) never consume a count.

Log entries (one JSON object per request, in memory and appended to --log):
    {"path", "method", "range", "status", "bytes_sent", "fault", "time"}
``time`` is when the request arrived (Unix seconds). An entry is written once
its response is finished (after the sleep, for ``stall``), so a client may see
the end of a body a moment before the entry appears.
``hold`` counts like the body faults.
``fault`` is the name of the fault that was actually injected into that
response (e.g. "drop"), or null when the response was a normal one.
"""

from __future__ import annotations

import argparse
import email.utils
import json
import os
import signal
import socket
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DISCONNECT_ERRORS = (
    BrokenPipeError,
    ConnectionResetError,
    ConnectionAbortedError,
    TimeoutError,
)

COPY_CHUNK = 256 * 1024
SENDFILE_MAX = 1 << 30


class FaultState:
    """Thread-safe per-path counters plus the in-memory request log."""

    def __init__(self, log_path: str | None) -> None:
        self._lock = threading.Lock()
        self._counts: dict[str, int] = {}
        self._log: list[str] = []
        self._log_file = open(log_path, "a", encoding="utf-8") if log_path else None
        self._busy = threading.Condition()
        self._in_flight = 0
        self._gates: dict[str, threading.Event] = {}
        self._stdout_lock = threading.Lock()

    # -- events for the test on the other end of stdin/stdout --------------

    def emit(self, line: str) -> None:
        with self._stdout_lock:
            sys.stdout.write(line + "\n")
            sys.stdout.flush()

    def gate(self, name: str) -> threading.Event:
        with self._lock:
            return self._gates.setdefault(name, threading.Event())

    def begin(self) -> None:
        with self._busy:
            self._in_flight += 1

    def end(self) -> None:
        with self._busy:
            self._in_flight -= 1
            self._busy.notify_all()

    def wait_idle(self) -> None:
        with self._busy:
            self._busy.wait_for(lambda: self._in_flight == 0)

    def control(self) -> None:
        """Reads RELEASE/SYNC commands from stdin; returns when it closes."""
        for line in sys.stdin:
            words = line.split()
            if len(words) == 2 and words[0] == "RELEASE":
                self.gate(words[1]).set()
            elif len(words) == 2 and words[0] == "SYNC":
                token = words[1]

                def sync() -> None:
                    self.wait_idle()
                    self.emit(f"SYNCED {token}")

                threading.Thread(target=sync, daemon=True).start()

    def consume(self, key: str, limit: int) -> bool:
        """Count one request for ``key``; True while it is among the first ``limit``."""
        with self._lock:
            n = self._counts.get(key, 0) + 1
            self._counts[key] = n
            return n <= limit

    def record(self, entry: dict) -> None:
        line = json.dumps(entry, separators=(",", ":"))
        with self._lock:
            self._log.append(line)
            if self._log_file is not None:
                try:
                    self._log_file.write(line + "\n")
                    self._log_file.flush()
                except OSError:
                    pass

    def log_text(self) -> bytes:
        with self._lock:
            return "".join(line + "\n" for line in self._log).encode("utf-8")

    def reset(self) -> None:
        with self._lock:
            self._counts.clear()
            self._log.clear()


class BadRequest(Exception):
    pass


def parse_int(text: str, what: str, minimum: int = 0) -> int:
    if not text.isdigit():
        raise BadRequest(f"bad {what}: {text!r}")
    value = int(text)
    if value < minimum:
        raise BadRequest(f"bad {what}: {text!r}")
    return value


def parse_range(header: str | None, total: int):
    """Return None (no usable Range), "unsatisfiable", or (start, end) inclusive."""
    if header is None:
        return None
    value = header.strip()
    if not value.lower().startswith("bytes="):
        return None
    spec = value[6:].strip()
    if "," in spec or "-" not in spec:
        return None
    first, last = (part.strip() for part in spec.split("-", 1))
    if first == "":
        # Suffix range: last N bytes.
        if not last.isdigit():
            return None
        n = int(last)
        if n == 0:
            return "unsatisfiable"
        if total == 0:
            return "unsatisfiable"
        return (max(0, total - n), total - 1)
    if not first.isdigit() or (last and not last.isdigit()):
        return None
    start = int(first)
    if last:
        end = int(last)
        if end < start:
            return None
    else:
        end = total - 1
    if start >= total:
        return "unsatisfiable"
    return (start, min(end, total - 1))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "biomech-fixture/1.0"

    def version_string(self):
        return self.server_version

    # -- plumbing ---------------------------------------------------------

    def log_message(self, format, *args):  # noqa: A002 - quiet server
        pass

    def send_response(self, code, message=None):
        self._status = code
        super().send_response(code, message)

    def finish(self):
        try:
            super().finish()
        except (OSError, ValueError):
            pass

    def handle_one_request(self):
        try:
            super().handle_one_request()
        except DISCONNECT_ERRORS:
            self.close_connection = True

    @property
    def state(self) -> FaultState:
        return self.server.fault_state  # type: ignore[attr-defined]

    def _abort_connection(self) -> None:
        """Close the connection abruptly (used by drop/stall)."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        try:
            self.connection.close()
        except OSError:
            pass

    def _simple(self, code: int, text: str, extra=(), head: bool = False) -> None:
        body = text.encode("utf-8")
        self.send_response(code)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        if not head and body:
            self.wfile.write(body)
            self._bytes_sent += len(body)

    # -- methods ----------------------------------------------------------

    def do_GET(self):
        self._dispatch(head=False)

    def do_HEAD(self):
        self._dispatch(head=True)

    def do_POST(self):
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self._bytes_sent = 0
        if path == "/__reset":
            self.state.reset()
            self._simple(200, "ok\n")
        elif path == "/__log":
            self._send_log(head=False)
        else:
            self._simple(405, "method not allowed\n", extra=[("Allow", "GET, HEAD")])

    def _send_log(self, head: bool) -> None:
        body = self.state.log_text()
        self.send_response(200)
        self.send_header("Content-Type", "application/json-lines")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _dispatch(self, head: bool) -> None:
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        self._status = 0
        self._bytes_sent = 0
        self._fault = None
        started = time.time()

        if path == "/__log":
            self._send_log(head)
            return
        if path == "/__reset":
            self.state.reset()
            self._simple(200, "ok\n", head=head)
            return

        range_header = self.headers.get("Range")
        self.state.begin()
        try:
            self._serve(path, head, range_header)
        except BadRequest as exc:
            self._simple(400, f"{exc}\n", head=head)
        except DISCONNECT_ERRORS:
            self.close_connection = True
        except OSError:
            # The connection may already have been torn down on purpose.
            self.close_connection = True
        finally:
            self.state.record(
                {
                    "path": path,
                    "method": self.command,
                    "range": range_header,
                    "status": self._status,
                    "bytes_sent": self._bytes_sent,
                    "fault": self._fault,
                    "time": round(started, 6),
                }
            )
            self.state.end()

    # -- routing ----------------------------------------------------------

    def _serve(self, path: str, head: bool, range_header: str | None) -> None:
        segments = path.split("/")[1:]  # leading "" from the initial "/"
        if "\x00" in path or any(seg == ".." for seg in segments):
            raise BadRequest("path traversal rejected")

        kind = segments[0] if segments else ""
        rest = segments[1:]

        def need(n: int) -> list[str]:
            if len(rest) <= n:
                raise BadRequest(f"/{kind}/ needs {n} parameter(s) and a file")
            return rest[:n]

        if kind == "drop":
            (n,) = need(1)
            limit = parse_int(n, "count")
            self._serve_file(rest[1:], head, range_header, mode="drop", limit=limit, key=path)
        elif kind == "status":
            code, n = need(2)
            code_i = parse_int(code, "status code", 100)
            if code_i > 599:
                raise BadRequest(f"bad status code: {code!r}")
            limit = parse_int(n, "count")
            if self.state.consume(path, limit):
                self._fault = "status"
                self._simple(
                    code_i,
                    f"injected fault: status {code_i}\n",
                    extra=[("Connection", "close")],
                    head=head,
                )
                return
            self._serve_file(rest[2:], head, range_header)
        elif kind == "retry-after":
            secs, n = need(2)
            parse_int(secs, "seconds")
            limit = parse_int(n, "count")
            if self.state.consume(path, limit):
                self._fault = "retry-after"
                self._simple(
                    429,
                    f"injected fault: retry after {secs}s\n",
                    extra=[("Retry-After", secs)],
                    head=head,
                )
                return
            self._serve_file(rest[2:], head, range_header)
        elif kind == "norange":
            need(0)
            self._serve_file(rest, head, range_header, mode="norange")
        elif kind == "badrange":
            need(0)
            self._serve_file(rest, head, range_header, mode="badrange")
        elif kind == "corrupt":
            (n,) = need(1)
            limit = parse_int(n, "count")
            self._serve_file(rest[1:], head, range_header, mode="corrupt", limit=limit, key=path)
        elif kind == "corrupt-always":
            need(0)
            self._serve_file(rest, head, range_header, mode="corrupt-always")
        elif kind == "stall":
            secs, n = need(2)
            stall_secs = float(parse_int(secs, "seconds"))
            limit = parse_int(n, "count")
            self._serve_file(
                rest[2:], head, range_header, mode="stall", limit=limit, key=path,
                stall_secs=stall_secs,
            )
        elif kind == "hold":
            name, n = need(2)
            limit = parse_int(n, "count")
            self._serve_file(rest[2:], head, range_header, mode="hold", limit=limit, key=path, gate=name)
        elif kind == "slow":
            (bps,) = need(1)
            rate = parse_int(bps, "bytes per second", 1)
            self._serve_file(rest[1:], head, range_header, mode="slow", rate=rate)
        else:
            self._serve_file(segments, head, range_header)

    # -- file serving -----------------------------------------------------

    def _resolve(self, rel_segments: list[str]) -> str | None:
        root = self.server.root  # type: ignore[attr-defined]
        rel = "/".join(seg for seg in rel_segments if seg not in ("", "."))
        if not rel:
            return None
        full = os.path.realpath(os.path.join(root, rel))
        if full != root and not full.startswith(root + os.sep):
            return None
        if not os.path.isfile(full):
            return None
        return full

    def _serve_file(
        self,
        rel_segments: list[str],
        head: bool,
        range_header: str | None,
        mode: str | None = None,
        limit: int = 0,
        key: str = "",
        stall_secs: float = 0.0,
        rate: int = 0,
        gate: str = "",
    ) -> None:
        full = self._resolve(rel_segments)
        if full is None:
            self._simple(404, "not found\n", head=head)
            return
        try:
            f = open(full, "rb")
        except OSError:
            self._simple(404, "not found\n", head=head)
            return
        with f:
            st = os.fstat(f.fileno())
            total = st.st_size
            last_modified = email.utils.formatdate(st.st_mtime, usegmt=True)

            rng = parse_range(range_header, total)
            if mode == "norange":
                if rng is not None:
                    self._fault = "norange"
                rng = None
            if rng == "unsatisfiable":
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{total}")
                self.send_header("Content-Length", "0")
                self.send_header("Accept-Ranges", "bytes")
                self.end_headers()
                return

            if rng is None:
                status, start, length = 200, 0, total
                content_range = None
            else:
                start, end = rng
                status, length = 206, end - start + 1
                content_range = f"bytes {start}-{end}/{total}"
                if mode == "badrange":
                    self._fault = "badrange"
                    start = 0
                    content_range = f"bytes 0-{length - 1}/{total}"

            # Decide whether a counted body fault applies to this request.
            active = None
            if mode in ("drop", "stall", "corrupt", "hold"):
                if not head and self.state.consume(key, limit):
                    active = mode
            elif mode in ("corrupt-always", "slow"):
                active = mode
            if active is not None:
                self._fault = active

            self.send_response(status)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(length))
            self.send_header("Accept-Ranges", "bytes")
            self.send_header("Last-Modified", last_modified)
            if content_range is not None:
                self.send_header("Content-Range", content_range)
            self.end_headers()
            if head or length == 0:
                return

            if active == "hold":
                half = length // 2
                self._copy(f, start, half)
                self.wfile.flush()
                event = self.state.gate(gate)
                if not event.is_set():
                    self.state.emit(f"HELD {gate}")
                    event.wait()
                self._copy(f, start + half, length - half)
            elif active in ("drop", "stall"):
                self._copy(f, start, length // 2)
                if active == "stall":
                    time.sleep(stall_secs)
                self._abort_connection()
            elif active in ("corrupt", "corrupt-always"):
                self._copy(f, start, length, flip_at=total // 2)
            elif active == "slow":
                self._copy(f, start, length, rate=rate)
            else:
                self._sendfile(f, start, length)

    def _sendfile(self, f, offset: int, count: int) -> None:
        out_fd = self.connection.fileno()
        in_fd = f.fileno()
        remaining = count
        while remaining > 0:
            try:
                sent = os.sendfile(out_fd, in_fd, offset, min(remaining, SENDFILE_MAX))
            except BlockingIOError:
                continue
            except OSError as exc:
                if exc.errno in (getattr(os, "ENOTSOCK", -1),):
                    self._copy(f, offset, remaining)
                    return
                raise
            if sent == 0:
                break  # file shrank underneath us
            offset += sent
            remaining -= sent
            self._bytes_sent += sent
        if remaining > 0:
            # Keep the promised Content-Length unreachable: close instead of hanging.
            self.close_connection = True

    def _copy(self, f, offset: int, count: int, flip_at: int = -1, rate: int = 0) -> None:
        chunk = max(1, rate // 20) if rate else COPY_CHUNK
        f.seek(offset)
        pos = offset
        remaining = count
        while remaining > 0:
            data = f.read(min(chunk, remaining))
            if not data:
                self.close_connection = True
                break
            if pos <= flip_at < pos + len(data):
                buf = bytearray(data)
                buf[flip_at - pos] ^= 0xFF
                data = bytes(buf)
            self.wfile.write(data)
            self._bytes_sent += len(data)
            pos += len(data)
            remaining -= len(data)
            if rate and remaining > 0:
                # 50 ms per chunk when BPS >= 20; slower for tiny rates so the
                # average stays close to BPS.
                time.sleep(max(0.05, len(data) / rate))


class FixtureServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        if isinstance(exc, (OSError, ValueError)):
            return  # client went away / socket torn down: stay quiet
        super().handle_error(request, client_address)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", required=True, help="directory to serve")
    parser.add_argument("--port", type=int, default=0, help="port (0 = any free port)")
    parser.add_argument("--log", default=None, help="append JSON lines per request here")
    parser.add_argument("--control", action="store_true", help="commands on stdin; exit when it closes")
    args = parser.parse_args(argv)

    root = os.path.realpath(args.root)
    if not os.path.isdir(root):
        parser.error(f"--root is not a directory: {args.root}")

    server = FixtureServer(("127.0.0.1", args.port), Handler)
    server.root = root  # type: ignore[attr-defined]
    server.fault_state = FaultState(args.log)  # type: ignore[attr-defined]

    def on_signal(signum, frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    # A parent such as a Swift test runner may start us with these blocked; unblock them.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})

    server.fault_state.emit(f"PORT {server.server_address[1]}")  # type: ignore[attr-defined]
    if args.control:
        def control_then_stop() -> None:
            server.fault_state.control()  # type: ignore[attr-defined]
            server.shutdown()  # stdin closed: whoever started us is gone

        threading.Thread(target=control_then_stop, daemon=True).start()

    try:
        server.serve_forever()
    except (SystemExit, KeyboardInterrupt):
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
