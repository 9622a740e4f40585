#!/usr/bin/env python3
"""Memory soak: distinct searches against a real kpo-server, RSS over time.

Builds a larger corpus (content/ copied COPIES times under new ids), indexes
it with kpo-index, starts kpo-server on loopback and sends distinct searches
(two words drawn from the corpus and the Dutch word list, never the same pair
twice) at a fixed rate over keep-alive connections, printing the server's RSS
every INTERVAL seconds. Bounded in time (--seconds) and count (--max-requests);
loopback only; everything lives in a temporary directory removed at the end.

  python3 tests/soak/soak.py --build build-test [--seconds 180] [--rate 40]
        [--copies 30] [--interval 15] [--server-env KPO_CACHE_SETS_MB=64 ...]
        [--wrapper "heaptrack -o FILE"] [--data DIR] [--port N]

--data reuses a data directory made by kpo-index (e.g. the 100k-item one of
tests/load/load.py --keep-data D: D/data) instead of the copied corpus; its
words come from the Dutch word list only.

Each line: seconds, requests sent, the server's RSS, non-200 answers so far,
and p50/p99 latency of the interval's searches.

Exit status 0 when the run finished (the figures are for a person to judge;
timing goals live in benchmarks, not in tests).
"""
import argparse
import http.client
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def make_corpus(dst, copies):
    src = os.path.join(ROOT, "content")
    for name in ("vocabulary.yaml", "glossary.yaml"):
        shutil.copy(os.path.join(src, name), os.path.join(dst, name))
    words = set()
    count = 0
    for folder, _, files in os.walk(src):
        for f in files:
            if not f.endswith(".md"):
                continue
            text = open(os.path.join(folder, f), encoding="utf-8").read()
            words.update(w.lower() for w in re.findall(r"[A-Za-zëéïö]{5,}", text))
            for c in range(copies):
                out = re.sub(r"^id: (.*)$", lambda m: "id: %s-k%d" % (m.group(1), c), text,
                             count=1, flags=re.M)
                with open(os.path.join(dst, "k%d-%s" % (c, f)), "w", encoding="utf-8") as fh:
                    fh.write(out)
                count += 1
    return count, sorted(words)


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def server_pid(port, fallback):
    """The kpo-server listening on `port` (a wrapper may have started it)."""
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as fh:
                argv = fh.read().split(b"\0")
        except OSError:
            continue
        if argv and argv[0].endswith(b"kpo-server") and str(port).encode() in argv:
            return int(pid)
    return fallback


def load_average():
    with open("/proc/loadavg") as fh:
        return " ".join(fh.read().split()[:3])


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build-test")
    ap.add_argument("--seconds", type=int, default=180)
    ap.add_argument("--rate", type=float, default=40.0)
    ap.add_argument("--max-requests", type=int, default=100000)
    ap.add_argument("--copies", type=int, default=30)
    ap.add_argument("--interval", type=int, default=15)
    ap.add_argument("--server-env", nargs="*", default=[])
    # E.g. "heaptrack -o /tmp/kpo-soak" to see where the memory goes; RSS is
    # then that of the wrapper's child, the server.
    ap.add_argument("--wrapper", default="")
    ap.add_argument("--data", default="", help="an indexed data dir to serve (not removed)")
    ap.add_argument("--port", type=int, default=0, help="default: a free port")
    args = ap.parse_args()
    build = os.path.join(ROOT, args.build) if not os.path.isabs(args.build) else args.build

    tmp = tempfile.mkdtemp(prefix="kpo-soak-")
    server = None
    try:
        items, words = 0, []
        if args.data:
            data = args.data
        else:
            content = os.path.join(tmp, "content")
            data = os.path.join(tmp, "data")
            os.makedirs(content)
            items, words = make_corpus(content, args.copies)
        if os.path.exists("/usr/share/dict/dutch"):
            with open("/usr/share/dict/dutch", encoding="utf-8", errors="replace") as fh:
                words += [w.strip().lower() for w in fh if len(w.strip()) >= 5][:20000]
        if not args.data:
            rc = subprocess.run([os.path.join(build, "indexer", "kpo-index"), "--content",
                                 content, "--data", data], stdout=subprocess.DEVNULL).returncode
            if rc > 1:
                sys.exit("kpo-index faalde (%d)" % rc)
        port = args.port or free_port()
        env = dict(os.environ)
        for kv in args.server_env:
            k, _, v = kv.partition("=")
            env[k] = v
        server = subprocess.Popen(
            args.wrapper.split() +
            [os.path.join(build, "backend", "kpo-server"), "--data", data, "--port", str(port),
             "--address", "127.0.0.1", "--static", os.path.join(ROOT, "static")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        # Ready, not only alive: the server verifies its index at start.
        for _ in range(1200):
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                c.request("GET", "/api/ready")
                if c.getresponse().status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        pid = server_pid(port, server.pid)
        print("items=%s words=%d rate=%.0f/s seconds=%d env=%s load average %s" %
              (items or data, len(words), args.rate, args.seconds,
               " ".join(args.server_env) or "-", load_average()))
        print("%6s %8s %9s %8s %7s %7s" % ("s", "requests", "rss_mib", "non_200", "p50_ms",
                                            "p99_ms"))
        rng = random.Random(13)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        start = time.monotonic()
        sent = errors = 0
        next_report = 0.0
        seen = set()
        latencies = []  # of the current interval, ms
        while True:
            now = time.monotonic() - start
            if now >= next_report:
                latencies.sort()

                def pct(p):
                    if not latencies:
                        return float("nan")
                    return latencies[min(len(latencies) - 1, int(p * (len(latencies) - 1)))]

                print("%6.0f %8d %9.1f %8d %7.1f %7.1f" % (
                    now, sent, rss_kib(pid) / 1024.0, errors, pct(0.5), pct(0.99)), flush=True)
                latencies = []
                next_report += args.interval
            if now >= args.seconds or sent >= args.max_requests:
                break
            q = "%s %s" % (rng.choice(words), rng.choice(words))
            if q in seen:
                continue
            seen.add(q)
            t0 = time.perf_counter()
            try:
                conn.request("GET", "/api/search?q=" + urllib.parse.quote_plus(q),
                             headers={"Connection": "keep-alive"})
                r = conn.getresponse()
                r.read()
                latencies.append((time.perf_counter() - t0) * 1000.0)
                if r.status != 200:
                    errors += 1
            except (OSError, http.client.HTTPException):
                errors += 1
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            sent += 1
            delay = start + sent / args.rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        print("load average at the end: %s" % load_average())
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=20)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
