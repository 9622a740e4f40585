#!/usr/bin/env python3
"""Hostile clients against a real kpo-server (issue 13, "Proof"): slow
clients (slowloris heads, trickled bodies), a thousand idle connections,
oversized and malformed requests, and random bytes. Every answer is a 4xx
JSON error with a request id, or the connection is closed; never a 5xx, a
crash, internal details (library names, exception texts) or a hang of the
other clients, who keep being answered throughout.
(tests/integration/http_framing_test.cc covers the exact framing of the
heads issue 13 found; this suite covers volume and time.)

  python3 tests/security/hostile_test.py --build build-test [-k NAME]
"""
import argparse
import concurrent.futures
import http.client
import os
import random
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.join(ROOT, "build-test")
INTERNALS = (b"std::", b"basic_string", b"what()", b"bad_alloc", b"Xapian", b"sqlite",
             b"SQLITE", b"stoull", b"Pistache", b"terminate called", b"exception")


QUIET = 0.3  # seconds of silence after an answer that end a read (raw)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def raw(port, data, timeout=5.0):
    """Sends `data`, reads until the server closes or goes quiet: `timeout`
    for the first answer, then QUIET for the next bytes (a keep-alive
    connection stays open after its answers, and a second pipelined answer
    follows the first within milliseconds)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        try:
            s.sendall(data)
        except OSError:
            pass  # the server may close before it has read everything
        out = b""
        while True:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            except OSError:
                break
            if not chunk:
                break
            out += chunk
            s.settimeout(QUIET)
        return out
    finally:
        s.close()


class Watchdog:
    """A well-behaved client asking /api/health every 0.2 s on fresh
    connections; remembers the slowest answer and every failure."""

    def __init__(self, port):
        self.port = port
        self.slowest = 0.0
        self.failures = []
        self.answers = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run)
        self.thread.start()

    def run(self):
        while not self.stop.is_set():
            t0 = time.monotonic()
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                c.request("GET", "/api/health")
                r = c.getresponse()
                r.read()
                c.close()
                if r.status != 200:
                    self.failures.append(r.status)
                self.answers += 1
            except (OSError, http.client.HTTPException) as e:
                self.failures.append(repr(e))
            self.slowest = max(self.slowest, time.monotonic() - t0)
            self.stop.wait(0.2)

    def finish(self):
        self.stop.set()
        self.thread.join()


class Hostile(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 8192), hard))
        cls.tmp = tempfile.mkdtemp(prefix="kpo-hostile-")
        data = os.path.join(cls.tmp, "data")
        r = subprocess.run([os.path.join(BUILD, "indexer", "kpo-index"), "--content",
                            os.path.join(ROOT, "content"), "--data", data],
                           capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        cls.port = free_port()
        cls.log = open(os.path.join(cls.tmp, "server.log"), "w+")
        cls.server = subprocess.Popen(
            [os.path.join(BUILD, "backend", "kpo-server"), "--data", data, "--port",
             str(cls.port), "--address", "127.0.0.1", "--static", os.path.join(ROOT, "static")],
            stdout=cls.log, stderr=subprocess.STDOUT)
        for _ in range(600):
            try:
                c = http.client.HTTPConnection("127.0.0.1", cls.port, timeout=2)
                c.request("GET", "/api/ready")
                if c.getresponse().status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.1)

    @classmethod
    def tearDownClass(cls):
        cls.server.send_signal(signal.SIGTERM)
        cls.server.wait(timeout=30)
        cls.log.close()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def setUp(self):
        self.watchdog = Watchdog(self.port)

    def tearDown(self):
        self.watchdog.finish()
        self.assertIsNone(self.server.poll(), "kpo-server stopte")
        # Other clients were answered throughout, and never slowly.
        self.assertEqual(self.watchdog.failures, [])
        self.assertGreater(self.watchdog.answers, 0)
        self.assertLess(self.watchdog.slowest, 3.0)

    def assert_clean_answer(self, answer, what):
        """Nothing, or answers below 500 (501 for an unknown method) with a
        request id, and no internals."""
        for bad in INTERNALS:
            self.assertNotIn(bad, answer, what)
        for m in re.finditer(rb"HTTP/1\.1 (\d{3}) [^\r\n]*\r\n(.*?)\r\n\r\n", answer, re.S):
            status = int(m.group(1))  # a mutation may still be a valid request
            self.assertTrue(status < 500 or status == 501, what)  # 501: unknown method
            self.assertIn(b"X-Request-Id", m.group(2), what)

    def test_slowloris_heads_are_timed_out_and_nobody_waits(self):
        conns = []
        for _ in range(300):
            s = socket.create_connection(("127.0.0.1", self.port), timeout=5)
            s.sendall(b"GET /api/search?q=bibob HTTP/1.1\r\nHost: x\r\n")
            conns.append(s)
        # One more header line every second: never the blank line.
        closed = 0
        for i in range(14):
            time.sleep(1)
            for s in conns:
                try:
                    s.sendall(b"X-Slow-%d: a\r\n" % i)
                except OSError:
                    pass
        # The header timeout (10 s) has passed: the server closed them.
        for s in conns:
            s.settimeout(2)
            try:
                data = s.recv(4096)
                if data == b"" or data.startswith(b"HTTP/1.1 4"):
                    closed += 1
                # Pistache 0.0.5's idle-peer check answers a bare 408 itself
                # (no handler sees it): no request id, but nothing internal
                # either, and the connection closes (docs/security.md).
                if data.startswith(b"HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\n"):
                    continue
                self.assert_clean_answer(data, "slowloris")
            except OSError:
                closed += 1
            s.close()
        self.assertGreaterEqual(closed, 290)

    def test_trickled_bodies_do_not_hold_up_others(self):
        conns = []
        for _ in range(100):
            s = socket.create_connection(("127.0.0.1", self.port), timeout=5)
            s.sendall(b"POST /api/auth/login HTTP/1.1\r\nHost: x\r\n"
                      b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
            conns.append(s)
        for _ in range(5):
            time.sleep(1)
            for s in conns:
                try:
                    s.sendall(b" ")
                except OSError:
                    pass
        for s in conns:
            s.close()

    def test_a_thousand_idle_connections(self):
        conns = [socket.create_connection(("127.0.0.1", self.port), timeout=5)
                 for _ in range(1000)]
        time.sleep(3)
        for s in conns:
            s.close()

    def test_oversized_requests(self):
        cases = {
            "long target": b"GET /api/search?q=" + b"a" * 200000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
            "many headers": b"GET / HTTP/1.1\r\nHost: x\r\n" +
                            b"".join(b"X-%d: y\r\n" % i for i in range(20000)) + b"\r\n",
            "huge cookie": b"GET / HTTP/1.1\r\nHost: x\r\nCookie: " + b"k=v; " * 100000 +
                           b"\r\n\r\n",
            "huge body": b"POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 4000000\r\n"
                         b"Content-Type: application/json\r\n\r\n" + b"[" * 4000000,
            "announced 8 GB": b"POST /api/auth/login HTTP/1.1\r\nHost: x\r\n"
                              b"Content-Length: 8000000000\r\n\r\n",
            "deep json": b"POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
                         b"\r\nContent-Length: 200000\r\n\r\n" + b"[" * 100000 + b"]" * 100000,
        }
        for what, data in cases.items():
            answer = raw(self.port, data)
            self.assert_clean_answer(answer, what)

    def test_malformed_and_random_requests(self):
        rng = random.Random(13)
        valid = [b"GET /api/search?q=bibob HTTP/1.1\r\nHost: x\r\n\r\n",
                 b"POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 b"Content-Length: 17\r\n\r\n{\"email\":\"a@b\"}",
                 b"GET /documenten/x?y=%zz HTTP/1.1\r\nHost: x\r\n\r\n"]
        cases = []
        for i in range(300):
            if i % 3 == 0:
                data = bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 400)))
            else:
                data = bytearray(rng.choice(valid))
                for _ in range(rng.randint(1, 8)):
                    pos = rng.randrange(len(data))
                    op = rng.randrange(3)
                    if op == 0:
                        data[pos] = rng.getrandbits(8)
                    elif op == 1:
                        del data[pos]
                    else:
                        data[pos:pos] = bytes([rng.choice(b"\r\n\0 :%/?")]) * rng.randint(1, 50)
                data = bytes(data)
            cases.append(data)
        # Most cases end in silence (a head that never ends waits for the
        # header timeout), so each read waits its second: 16 at a time.
        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            answers = list(pool.map(lambda d: raw(self.port, d, timeout=1.0), cases))
        for data, answer in zip(cases, answers):
            self.assert_clean_answer(answer, repr(data[:80]))

    def test_hostile_parameters_get_dutch_4xx(self):
        for target in ("/api/search?q=%27%20OR%201%3D1--", "/api/search?q=" + "%22" * 900,
                       "/api/search?page=-1", "/api/search?size=99999999999999999999",
                       "/api/search?from=2022-02-30", "/api/search?q=%00%01",
                       "/api/documents/..%2F..%2Fetc%2Fpasswd", "/api/documents/%FF%FE",
                       "/api/suggest?q=" + "a" * 5000, "/zoeken?q=%3Cscript%3Ealert(1)%3C/script%3E",
                       "/api/courses/x/sessions/y/enrolments"):
            c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            c.request("GET", target)
            r = c.getresponse()
            body = r.read()
            c.close()
            self.assertLess(r.status, 500, target)
            for bad in INTERNALS:
                self.assertNotIn(bad, body, target)
            self.assertNotIn(b"<script>alert(1)", body, target)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build-test")
    args, rest = ap.parse_known_args()
    BUILD = args.build if os.path.isabs(args.build) else os.path.join(ROOT, args.build)
    unittest.main(argv=[sys.argv[0], "-v"] + rest)
