#!/usr/bin/env python3
"""Memory soak: distinct searches against a real kpo-server; RSS must plateau.

Builds a larger corpus (content/ copied COPIES times under new ids), indexes
it with kpo-index (or serves --data), starts kpo-server on loopback with
/metrics open to 127.0.0.1, and runs two phases of distinct searches (two
words drawn from the corpus and the Dutch word list, never the same pair
twice) over keep-alive connections:

1. Warm-up, as fast as the client goes, until every bounded cache reports
   in /metrics (kpo_cache_bytes against kpo_cache_bound_bytes) that it holds
   at least --full of its bound: the caches are then at the size an operator
   configured, and what follows is the server's steady state. Bounded by
   --warm-up-max seconds (a cache still below its bound then is named).
2. Measurement: --seconds at --rate searches a second, a line every
   --interval seconds: the server's RSS, the C heap (in use / kept free),
   the caches' bytes, p50/p99 of the interval's searches, the load average.

Verdict (exit status 1 on FAIL): RSS at the end at most --max-growth above
RSS at the start of the measurement; no upward p99 drift (the median p99 of
the last third of the intervals at most --p99-drift times that of the first
third, plus 5 ms); no answer other than 200. Not in CI at 10 minutes
(docs/performance.md, "Operations"); tests/soak/soak_test.py runs the
verdict and a 30-second soak on a small corpus.

  python3 tests/soak/soak.py --build build-test [--seconds 600] [--rate 40]
        [--copies 30] [--interval 30] [--server-env KPO_CACHE_SETS_MB=64 ...]
        [--wrapper "heaptrack -o FILE"] [--data DIR] [--port N [--server-pid PID]]

--data serves a data directory made by kpo-index (e.g. the 100k-item one of
tests/load/load.py --keep-data D: D/data) instead of the copied corpus; its
words come from the Dutch word list only. --server-pid soaks a kpo-server
already running on --port (e.g. one that has just rebuilt a 100k index).
"""
import argparse
import http.client
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# Caches that searches keep near their bound once full (LRU). Only reported:
# the spelling suggestions, dropped whole when full (at most a sixteenth of
# the sets' bound), so they never stay "at" it; and the group weights, which
# only the warming after a publication fills (search/ranker.h), and the soak
# publishes nothing.
LRU_CACHES = ("match_sets", "search_pages", "rendered_pages")


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


def parse_metrics(text):
    """{(name, frozenset(labels)): value} of a Prometheus text exposition."""
    out = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = re.match(r'^([a-z_]+)(?:\{(.*)\})? (\S+)$', line)
        if not m:
            continue
        labels = frozenset(re.findall(r'([a-z_]+)="((?:[^"\\]|\\.)*)"', m.group(2) or ""))
        out[(m.group(1), labels)] = float(m.group(3))
    return out


def caches(metrics):
    """{cache: (bytes, bound)} from parsed /metrics."""
    out = {}
    for (name, labels), value in metrics.items():
        if name in ("kpo_cache_bytes", "kpo_cache_bound_bytes"):
            cache = dict(labels).get("cache", "")
            held, bound = out.get(cache, (0.0, 0.0))
            out[cache] = (value, bound) if name == "kpo_cache_bytes" else (held, value)
    return out


def not_full(cache_use, full):
    """The LRU caches holding less than `full` of their bound (bound > 0)."""
    return sorted(c for c in LRU_CACHES
                  if c in cache_use and cache_use[c][1] > 0
                  and cache_use[c][0] < full * cache_use[c][1])


def verdict(samples, max_growth, p99_drift, errors):
    """PASS/FAIL of a measurement. `samples`: [(seconds, rss_kib, p99_ms)],
    the first taken when the measurement started (p99 None). Returns
    (passed, [reasons])."""
    reasons = []
    if len(samples) < 2:
        return False, ["te weinig metingen"]
    start, end = samples[0][1], samples[-1][1]
    growth = (end - start) / float(start)
    if growth > max_growth:
        reasons.append("RSS groeide %.1f %% (%.1f -> %.1f MiB), meer dan %.1f %%" % (
            100 * growth, start / 1024.0, end / 1024.0, 100 * max_growth))
    p99s = [p for _, _, p in samples[1:] if p is not None]
    if len(p99s) >= 3:
        third = max(1, len(p99s) // 3)
        first, last = statistics.median(p99s[:third]), statistics.median(p99s[-third:])
        if last > p99_drift * first + 5.0:
            reasons.append("p99 liep op: mediaan %.1f ms in het eerste derde, %.1f ms in het "
                           "laatste" % (first, last))
    if errors:
        reasons.append("%d antwoorden anders dan 200" % errors)
    return not reasons, reasons


class Searcher:
    """One keep-alive connection sending distinct searches."""

    def __init__(self, port, words, seed):
        self.port = port
        self.words = words
        self.rng = random.Random(seed)
        self.seen = set()
        self.conn = None

    def get(self, path):
        """(status, body); status 0 on a connection error."""
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            self.conn.request("GET", path, headers={"Connection": "keep-alive"})
            r = self.conn.getresponse()
            return r.status, r.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = None
            return 0, b""

    def search(self):
        """(latency ms, ok) of one search never sent before."""
        while True:
            q = "%s %s" % (self.rng.choice(self.words), self.rng.choice(self.words))
            if q not in self.seen:
                self.seen.add(q)
                break
        t0 = time.perf_counter()
        status, _ = self.get("/api/search?q=" + urllib.parse.quote_plus(q))
        return (time.perf_counter() - t0) * 1000.0, status == 200


def read_metrics(port):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request("GET", "/metrics")
    r = c.getresponse()
    body = r.read().decode()
    c.close()
    if r.status != 200:
        sys.exit("GET /metrics: %d (start kpo-server met --metrics-address 127.0.0.1)" % r.status)
    return parse_metrics(body)


def memory_line(metrics):
    mib = lambda v: v / 1048576.0  # noqa: E731
    heap = {dict(l).get("kind"): v for (n, l), v in metrics.items() if n == "kpo_memory_bytes"}
    use = caches(metrics)
    return (mib(heap.get("heap_in_use", 0)), mib(heap.get("heap_free", 0)),
            mib(sum(b for b, _ in use.values())))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build-test")
    ap.add_argument("--seconds", type=int, default=600)
    ap.add_argument("--rate", type=float, default=40.0)
    ap.add_argument("--max-requests", type=int, default=1000000)
    ap.add_argument("--copies", type=int, default=30)
    ap.add_argument("--interval", type=int, default=30)
    ap.add_argument("--full", type=float, default=0.98, help="share of a bound that counts as full")
    ap.add_argument("--warm-up-max", type=int, default=1200)
    ap.add_argument("--ready-max", type=int, default=3600)
    ap.add_argument("--max-growth", type=float, default=0.05)
    ap.add_argument("--p99-drift", type=float, default=1.5)
    ap.add_argument("--server-env", nargs="*", default=[])
    # E.g. "heaptrack -o /tmp/kpo-soak" to see where the memory goes; RSS is
    # then that of the wrapper's child, the server.
    ap.add_argument("--wrapper", default="")
    ap.add_argument("--data", default="", help="an indexed data dir to serve (not removed)")
    ap.add_argument("--port", type=int, default=0, help="default: a free port")
    ap.add_argument("--server-pid", type=int, default=0,
                    help="soak the kpo-server of this pid, running on --port with "
                         "--metrics-address 127.0.0.1 (not started or stopped here)")
    args = ap.parse_args()
    if args.server_pid and not args.port:
        sys.exit("--server-pid vraagt ook --port")
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
        if not args.server_pid:
            server = subprocess.Popen(
                args.wrapper.split() +
                [os.path.join(build, "backend", "kpo-server"), "--data", data, "--port",
                 str(port), "--address", "127.0.0.1", "--static", os.path.join(ROOT, "static"),
                 "--metrics-address", "127.0.0.1"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        # Ready, not only alive: the server verifies its index at start.
        # A data dir of an older index layout is rebuilt first (not ready).
        probe = Searcher(port, words, 0)
        deadline = time.monotonic() + args.ready_max
        while probe.get("/api/ready")[0] != 200:
            if server is not None and server.poll() is not None:
                sys.exit("kpo-server stopte (%d)" % server.returncode)
            if time.monotonic() > deadline:
                sys.exit("kpo-server werd niet gereed binnen %d s" % args.ready_max)
            time.sleep(0.5)
        pid = args.server_pid or server_pid(port, server.pid)
        print("items=%s words=%d rate=%.0f/s seconds=%d env=%s load average %s" %
              (items or data, len(words), args.rate, args.seconds,
               " ".join(args.server_env) or "-", load_average()), flush=True)

        # Phase 1: warm-up until every LRU cache is at its bound.
        client = Searcher(port, words, 13)
        start = time.monotonic()
        sent = 0
        missing = not_full(caches(read_metrics(port)), args.full)
        next_check = start
        while missing and time.monotonic() - start < args.warm_up_max:
            client.search()
            sent += 1
            if time.monotonic() >= next_check:
                next_check += 5
                metrics = read_metrics(port)
                use = caches(metrics)
                missing = not_full(use, args.full)
                print("warm-up %4.0f s %7d searches RSS %6.1f MiB caches %s" % (
                    time.monotonic() - start, sent, rss_kib(pid) / 1024.0,
                    " ".join("%s=%.0f/%.0f" % (c, b / 1048576.0, bound / 1048576.0)
                             for c, (b, bound) in sorted(use.items()))), flush=True)
        if missing:
            print("warm-up stopped after %d s: below %.0f %% of their bound: %s" % (
                args.warm_up_max, 100 * args.full, ", ".join(missing)))
        else:
            print("warm-up done after %.0f s, %d searches: every cache at its bound" % (
                time.monotonic() - start, sent))

        # Phase 2: the measurement at the realistic rate.
        print("%6s %8s %8s %8s %8s %9s %7s %7s  %s" % (
            "s", "requests", "rss_mib", "heap_mib", "free_mib", "cache_mib", "p50_ms", "p99_ms",
            "load average"))
        start = time.monotonic()
        sent = errors = 0
        next_report = 0.0
        latencies = []  # of the current interval, ms
        samples = []
        while True:
            now = time.monotonic() - start
            if now >= next_report:
                latencies.sort()

                def pct(p):
                    if not latencies:
                        return None
                    return latencies[min(len(latencies) - 1, int(p * (len(latencies) - 1)))]

                rss = rss_kib(pid)
                heap, free, cached = memory_line(read_metrics(port))
                p50, p99 = pct(0.5), pct(0.99)
                samples.append((now, rss, p99))
                print("%6.0f %8d %8.1f %8.1f %8.1f %9.1f %7s %7s  %s" % (
                    now, sent, rss / 1024.0, heap, free, cached,
                    "-" if p50 is None else "%.1f" % p50, "-" if p99 is None else "%.1f" % p99,
                    load_average()), flush=True)
                latencies = []
                next_report += args.interval
            if now >= args.seconds or sent >= args.max_requests:
                break
            took, ok = client.search()
            latencies.append(took)
            errors += 0 if ok else 1
            sent += 1
            delay = start + sent / args.rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        passed, reasons = verdict(samples, args.max_growth, args.p99_drift, errors)
        growth = 100.0 * (samples[-1][1] - samples[0][1]) / samples[0][1]
        print("RSS %.1f -> %.1f MiB (%+.1f %%) over %d s, %d non-200" % (
            samples[0][1] / 1024.0, samples[-1][1] / 1024.0, growth, args.seconds, errors))
        print("VERDICT: %s%s" % ("PASS" if passed else "FAIL",
                                 "" if passed else ": " + "; ".join(reasons)))
        return 0 if passed else 1
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
