#!/usr/bin/env python3
"""Load: a realistic mix against a real kpo-server over a large index.

Builds (or reuses) a data directory of --items generated knowledge items
(Dutch text drawn from the demo content and /usr/share/dict/dutch, the demo
vocabulary's themes, regions and access levels) plus one course with a
large session, creates --members accounts, starts kpo-server on loopback and
runs --clients client threads for --seconds, each on its own keep-alive
connection, drawing every request from the mix:

  search   70 %  two or three distinct words from a large word list (never
                 the same query twice), anonymous or as a member
  item     20 %  GET /api/documents/{id} of a random item
  login     5 %  POST /api/auth/login of a random member
  enrol     5 %  a member enrols in the course session, then cancels

and prints throughput and p50/p99 per kind as a Markdown table (for
docs/performance.md). Bounded in time and count; loopback only.

  python3 tests/load/load.py --build build-test --items 100000 \\
      --keep-data /tmp/kpo-load-100k [--seconds 120] [--clients 8] [--driver wrk]

--driver python (default): the threads above; Python's interpreter lock and
JSON parsing cap it near 80-90 req/s, below the server. --driver wrk: the
same mix from lists written beforehand (every search distinct), sent by
Debian's wrk (installed when missing) with tests/load/mix.lua, --clients
wrk threads of one keep-alive connection each; each member of the first
--clients enrols and cancels on its own connection, so the pair stays in
order (enrol and cancel are then counted apart). It also prints the CPU
seconds of the server and of wrk over the run: on one machine they share the
cores, which caps the figures.
"""
import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PASSWORD = "belasting-test-wachtwoord-2027"
MIX = (("search", 70), ("item", 20), ("login", 5), ("enrol", 5))

COURSE = """---
id: cursus-belastingtest
title: "Cursus voor de belastingtest"
type: cursus
summary: "Veel plaatsen."
themes: [bibob]
access: members
published: 2024-01-01
format: klassikaal
sessions:
  - id: groot
    start: 2027-10-05T09:30
    end: 2027-10-05T16:30
    location: Utrecht
    capacity: 10000
---
Een cursus voor de belastingtest.
"""


def dutch_words():
    words = []
    if os.path.exists("/usr/share/dict/dutch"):
        with open("/usr/share/dict/dutch", encoding="utf-8", errors="replace") as fh:
            words = [w.strip().lower() for w in fh if w.strip().isalpha() and len(w.strip()) >= 4]
    return words


def generate(content, items, seed=20261129):
    """`items` item files: front matter like the demo content's, a body of
    sentences mixing the demo content's words with the Dutch word list."""
    src = os.path.join(ROOT, "content")
    for name in ("vocabulary.yaml", "glossary.yaml"):
        shutil.copy(os.path.join(src, name), os.path.join(content, name))
    rng = random.Random(seed)
    templates, field_words = [], []
    for folder, _, files in os.walk(src):
        for f in files:
            if not f.endswith(".md") or "academie" in folder:
                continue
            with open(os.path.join(folder, f), encoding="utf-8") as fh:
                text = fh.read()
            head, _, body = text.partition("\n---\n")
            head = "\n".join(line for line in head.splitlines()
                             if not line.startswith(("id:", "title:", "summary:")))
            templates.append(head)
            field_words += re.findall(r"[a-zà-ÿ]{4,}", body.lower())
    dictionary = dutch_words()
    os.makedirs(os.path.join(content, "gen"), exist_ok=True)
    for n in range(items):
        head = templates[n % len(templates)]

        def sentence(k):
            return " ".join(rng.choice(field_words) if rng.random() < 0.7 else
                            rng.choice(dictionary) for _ in range(k)).capitalize() + "."

        body = "\n\n".join(" ".join(sentence(rng.randint(8, 16)) for _ in range(4))
                           for _ in range(rng.randint(3, 6)))
        sub = os.path.join(content, "gen", "%03d" % (n // 1000))
        if n % 1000 == 0:
            os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, "item-%06d.md" % n), "w", encoding="utf-8") as fh:
            fh.write("%s\nid: item-%06d\ntitle: \"%s\"\nsummary: \"%s\"\n---\n%s\n" %
                     (head, n, sentence(5)[:-1], sentence(12)[:-1], body))
    os.makedirs(os.path.join(content, "academie"), exist_ok=True)
    with open(os.path.join(content, "academie", "belastingtest.md"), "w") as fh:
        fh.write(COURSE)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Client:
    """One keep-alive connection; reconnects after an error."""

    def __init__(self, port):
        self.port = port
        self.conn = None

    def call(self, method, path, body=None, headers=None):
        hdrs = {"Connection": "keep-alive"}
        hdrs.update(headers or {})
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            hdrs["Content-Type"] = "application/json"
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            try:
                self.conn.request(method, path, body=data, headers=hdrs)
                r = self.conn.getresponse()
                text = r.read()
                if (r.getheader("Connection") or "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                return r.status, r.getheader("Set-Cookie") or "", text
            except (OSError, http.client.HTTPException):
                self.conn.close()
                self.conn = None
                if attempt:
                    return 0, "", b""
        return 0, "", b""


def login(client, email):
    status, cookie, body = client.call("POST", "/api/auth/login",
                                       {"email": email, "password": PASSWORD})
    if status != 200:
        return status, None
    session = re.search(r"kpo_session=([^;]+)", cookie).group(1)
    return status, {"Cookie": "kpo_session=" + session,
                    "X-CSRF-Token": json.loads(body)["csrf_token"]}


def percentile(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100.0 * (len(values) - 1))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build-test")
    ap.add_argument("--items", type=int, default=100000)
    ap.add_argument("--members", type=int, default=40)
    ap.add_argument("--keep-data", default="", help="build the data dir here, reuse it next time")
    ap.add_argument("--seconds", type=int, default=120)
    ap.add_argument("--max-requests", type=int, default=2000000)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--server-threads", type=int, default=0)
    ap.add_argument("--port", type=int, default=0, help="default: a free port")
    ap.add_argument("--driver", choices=("python", "wrk"), default="python")
    ap.add_argument("--server-pid", type=int, default=0,
                    help="load the kpo-server of this pid on --port over --keep-data's data "
                         "(not started or stopped here)")
    args = ap.parse_args()
    if args.server_pid and not (args.port and args.keep_data):
        sys.exit("--server-pid vraagt ook --port en --keep-data")
    build = args.build if os.path.isabs(args.build) else os.path.join(ROOT, args.build)

    tmp = tempfile.mkdtemp(prefix="kpo-load-")
    base = args.keep_data or tmp
    content, data = os.path.join(base, "content"), os.path.join(base, "data")
    members = ["belasting%d@kpo.nl" % i for i in range(args.members)]
    server = None
    try:
        if not os.path.exists(os.path.join(base, "klaar")):
            shutil.rmtree(content, ignore_errors=True)
            shutil.rmtree(data, ignore_errors=True)
            os.makedirs(content)
            t0 = time.monotonic()
            generate(content, args.items)
            print("generated %d items in %.0f s" % (args.items, time.monotonic() - t0), flush=True)
            t0 = time.monotonic()
            r = subprocess.run([os.path.join(build, "indexer", "kpo-index"), "--content", content,
                                "--data", data], capture_output=True, text=True)
            if r.returncode != 0:
                sys.exit("kpo-index faalde (%d): %s" % (r.returncode, r.stderr[-2000:]))
            print("indexed in %.0f s" % (time.monotonic() - t0), flush=True)
            for email in members:
                r = subprocess.run([os.path.join(build, "backend", "kpo-admin"), "--data", data,
                                    "user", "add", email, "--name", "Belasting", "--role",
                                    "member", "--group", "gemeenten"],
                                   input=PASSWORD + "\n", capture_output=True, text=True)
                if r.returncode != 0:
                    sys.exit("kpo-admin faalde: " + r.stderr)
            open(os.path.join(base, "klaar"), "w").close()
        ids = []
        for folder, _, files in os.walk(content):
            ids += [f[:-3] for f in files if f.startswith("item-")]
        words = dutch_words()

        port = args.port or free_port()
        cmd = [os.path.join(build, "backend", "kpo-server"), "--data", data, "--port", str(port),
               "--address", "127.0.0.1", "--static", os.path.join(ROOT, "static")]
        if args.server_threads:
            cmd += ["--threads", str(args.server_threads)]
        if not args.server_pid:
            server = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        server_pid = args.server_pid or server.pid
        probe = Client(port)
        for _ in range(6000):
            if probe.call("GET", "/api/ready")[0] == 200:
                break
            time.sleep(0.1)
        else:
            sys.exit("kpo-server werd niet gereed")

        sessions = {}
        for email in members:
            status, headers = login(probe, email)
            if status != 200:
                sys.exit("login %s: %d" % (email, status))
            sessions[email] = headers
        enrol_path = "/api/courses/cursus-belastingtest/sessions/groot/enrolments"
        member_locks = {email: threading.Lock() for email in members}

        if args.driver == "wrk":
            return run_wrk(args, port, server_pid, ids, words, members, sessions, enrol_path)

        samples = {kind: [] for kind, _ in MIX}
        errors = {kind: 0 for kind, _ in MIX}
        seen = set()
        lock = threading.Lock()
        stop_at = time.monotonic() + args.seconds
        counter = [0]
        kinds = [kind for kind, weight in MIX for _ in range(weight)]

        def worker(n):
            rng = random.Random(n)
            client = Client(port)
            while time.monotonic() < stop_at:
                with lock:
                    counter[0] += 1
                    if counter[0] > args.max_requests:
                        return
                kind = rng.choice(kinds)
                email = rng.choice(members)
                t0 = time.perf_counter()
                if kind == "search":
                    while True:
                        q = " ".join(rng.choice(words) for _ in range(rng.choice((2, 2, 3))))
                        with lock:
                            if q not in seen:
                                seen.add(q)
                                break
                    headers = sessions[email] if rng.random() < 0.3 else None
                    ok = client.call("GET", "/api/search?q=" + urllib.parse.quote_plus(q),
                                     headers=headers)[0] == 200
                elif kind == "item":
                    status = client.call("GET", "/api/documents/" + rng.choice(ids),
                                         headers=sessions[email] if rng.random() < 0.3 else None)[0]
                    ok = status in (200, 404)  # 404: members-only for an anonymous caller
                elif kind == "login":
                    ok = login(client, email)[0] == 200
                else:
                    # One member's enrol + cancel at a time: no own double booking.
                    with member_locks[email]:
                        t0 = time.perf_counter()
                        ok = client.call("POST", enrol_path, headers=sessions[email])[0] == 200
                        ok = ok and client.call("DELETE", enrol_path + "/me",
                                                headers=sessions[email])[0] == 200
                elapsed = (time.perf_counter() - t0) * 1000.0
                with lock:
                    samples[kind].append(elapsed)
                    if not ok:
                        errors[kind] += 1

        load_start = load_average()
        rss_start = rss_kib(server_pid)
        t_start = time.monotonic()
        threads = [threading.Thread(target=worker, args=(n,)) for n in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.monotonic() - t_start
        rss_end = rss_kib(server_pid)

        total = sum(len(v) for v in samples.values())
        print("\nitems=%d clients=%d seconds=%.0f requests=%d (%.0f/s) server RSS %.0f -> %.0f MiB"
              % (len(ids), args.clients, wall, total, total / wall, rss_start / 1024.0,
                 rss_end / 1024.0))
        print("load average (1, 5, 15 min) at the start %s, at the end %s" %
              (load_start, load_average()))
        print("\n| kind | requests | req/s | p50 ms | p99 ms | errors |")
        print("|---|---:|---:|---:|---:|---:|")
        everything = []
        for kind, _ in MIX:
            v = samples[kind]
            everything += v
            print("| %s | %d | %.0f | %.1f | %.1f | %d |" % (
                kind, len(v), len(v) / wall, percentile(v, 50), percentile(v, 99), errors[kind]))
        print("| **all** | %d | %.0f | %.1f | %.1f | %d |" % (
            total, total / wall, percentile(everything, 50), percentile(everything, 99),
            sum(errors.values())))
        return 1 if sum(errors.values()) else 0
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
        shutil.rmtree(tmp, ignore_errors=True)


def cpu_seconds(pid):
    """User + system CPU seconds of process `pid` so far."""
    with open("/proc/%d/stat" % pid) as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def write_wrk_lists(prefix, args, ids, words, members, sessions, enrol_path):
    """One request list per wrk thread (tests/load/mix.lua's format), long
    enough for the run at a rate no run here reaches, so nothing repeats."""
    per_thread = max(1000, 4000 * args.seconds // args.clients)
    rng = random.Random(2026)
    seen = set()
    kinds = [kind for kind, weight in MIX for _ in range(weight)]
    sep = "\x1f"

    def auth(email):
        h = sessions[email]
        return "Cookie: %s%sX-CSRF-Token: %s" % (h["Cookie"], sep, h["X-CSRF-Token"])

    for n in range(args.clients):
        own = members[n % len(members)]  # enrols and cancels on this connection only
        lines = []
        while len(lines) < per_thread:
            kind = rng.choice(kinds)
            email = rng.choice(members)
            if kind == "search":
                while True:
                    q = " ".join(rng.choice(words) for _ in range(rng.choice((2, 2, 3))))
                    if q not in seen:
                        seen.add(q)
                        break
                lines.append(("search", "GET", "/api/search?q=" + urllib.parse.quote_plus(q),
                              auth(email) if rng.random() < 0.3 else "", ""))
            elif kind == "item":
                lines.append(("item", "GET", "/api/documents/" + rng.choice(ids),
                              auth(email) if rng.random() < 0.3 else "", ""))
            elif kind == "login":
                lines.append(("login", "POST", "/api/auth/login", "",
                              json.dumps({"email": email, "password": PASSWORD})))
            else:
                lines.append(("enrol", "POST", enrol_path, auth(own), ""))
                lines.append(("cancel", "DELETE", enrol_path + "/me", auth(own), ""))
        with open("%s.%d" % (prefix, n), "w", encoding="utf-8") as fh:
            for line in lines:
                fh.write("\t".join(line) + "\n")
    return per_thread


def run_wrk(args, port, server_pid, ids, words, members, sessions, enrol_path):
    if args.clients > len(members):
        sys.exit("--driver wrk: --clients mag niet groter zijn dan --members")
    if shutil.which("wrk") is None:
        subprocess.run(["bash", "-c", "source scripts/deps.sh && kpo_install_packages wrk"],
                       cwd=ROOT, check=True)
    work = tempfile.mkdtemp(prefix="kpo-wrk-")
    try:
        prefix = os.path.join(work, "list")
        per_thread = write_wrk_lists(prefix, args, ids, words, members, sessions, enrol_path)
        samples_path = os.path.join(work, "samples")
        env = dict(os.environ, KPO_WRK_LISTS=prefix, KPO_WRK_SAMPLES=samples_path)
        load_start = load_average()
        rss_start = rss_kib(server_pid)
        server_cpu = cpu_seconds(server_pid)
        children = os.times()
        t_start = time.monotonic()
        subprocess.run(["wrk", "-t", str(args.clients), "-c", str(args.clients),
                        "-d", "%ds" % args.seconds, "--timeout", "30s",
                        "-s", os.path.join(ROOT, "tests", "load", "mix.lua"),
                        "http://127.0.0.1:%d" % port],
                       env=env, check=True, stdout=subprocess.DEVNULL)
        wall = time.monotonic() - t_start
        server_cpu = cpu_seconds(server_pid) - server_cpu
        after = os.times()
        wrk_cpu = (after.children_user - children.children_user +
                   after.children_system - children.children_system)
        load_end = load_average()
        rss_end = rss_kib(server_pid)
        by_kind = {}
        errors = {}
        with open(samples_path) as fh:
            for line in fh:
                kind, status, micros = line.split()
                by_kind.setdefault(kind, []).append(int(micros) / 1000.0)
                ok = status == "200" or (kind == "item" and status == "404")
                errors[kind] = errors.get(kind, 0) + (0 if ok else 1)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    total = sum(len(v) for v in by_kind.values())
    cores = os.cpu_count()
    print("\nitems=%d driver=wrk connections=%d seconds=%.0f requests=%d (%.0f/s) "
          "server RSS %.0f -> %.0f MiB" % (len(ids), args.clients, wall, total, total / wall,
                                          rss_start / 1024.0, rss_end / 1024.0))
    print("CPU over the run (%d cores, %.0f core-seconds): kpo-server %.0f s (%.0f %%), "
          "wrk %.0f s (%.0f %%)" % (cores, cores * wall, server_cpu,
                                    100.0 * server_cpu / (cores * wall), wrk_cpu,
                                    100.0 * wrk_cpu / (cores * wall)))
    print("load average (1, 5, 15 min) at the start %s, at the end %s" % (load_start, load_end))
    if total > per_thread * args.clients:
        print("WARNING: a request list ran out and started again (repeated searches)")
    print("\n| kind | requests | req/s | p50 ms | p99 ms | errors |")
    print("|---|---:|---:|---:|---:|---:|")
    everything = []
    for kind in ("search", "item", "login", "enrol", "cancel"):
        v = by_kind.get(kind, [])
        everything += v
        print("| %s | %d | %.0f | %.1f | %.1f | %d |" % (
            kind, len(v), len(v) / wall, percentile(v, 50), percentile(v, 99),
            errors.get(kind, 0)))
    print("| **all** | %d | %.0f | %.1f | %.1f | %d |" % (
        total, total / wall, percentile(everything, 50), percentile(everything, 99),
        sum(errors.values())))
    return 1 if sum(errors.values()) else 0


def load_average():
    with open("/proc/loadavg") as fh:
        return " ".join(fh.read().split()[:3])


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
