#!/usr/bin/env python3
"""Compare sensoro-sub with its peers on a mosquitto this script starts itself: mosquitto_sub, the
vendor's Node.js sample (bench/node/vendor-sample.js) and `mqtt sub` (MQTT.js), the Node.js peers when
node and bench/node/node_modules are here (`bench/setup` installs them).

Drain scenarios (N pushes to the subscriber's stdout, a pipe this script reads; timed to the N-th line):
  paused        the subscriber is connected, then stopped (SIGSTOP, as Ctrl-Z does) while the N pushes
                queue, then resumed; timed from SIGCONT. Clean session, or a durable one ("session").
  fresh start   the N pushes queue for a durable session while the subscriber is away; timed from start.
Peak RSS and CPU time per push come from GNU time. Latency mode: the subscriber runs while pushes are
published at a steady rate, each carrying its send time; p50/p99 of publish -> stdout.

Rounds alternate the order of the subscribers so that drift of the machine hits all alike. Loopback
only; every process is killed by PID. Needs mosquitto, mosquitto_pub, mosquitto_sub, GNU time, and a
release build of sensoro-sub (built if missing).

  python3 bench/subscribers.py --table               # every scenario and latency; table into docs/performance.md
  python3 bench/subscribers.py --mode drain --scenario "paused, QoS 1" --pushes 100000
  python3 bench/subscribers.py --baseline /tmp/old/sensoro-sub   # also an earlier build, same rounds
  python3 bench/subscribers.py --mode drain --ceiling --inflight 20   # the null subscriber too; mosquitto's default window
"""
import argparse
import functools
import json
import os
import random
import select
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
APP_ID, SECRET = "foobar", "bench-secret"
PUBLISHER, PUBLISHER_SECRET = "publisher", "publisher-secret"
TOPIC = f"users/{APP_ID}/devices"
print = functools.partial(print, flush=True)  # progress shows as it comes, also through a pipe
TYPES = ["temp_humi", "light", "smoke", "leak", "ch4", "pm", "gas", "magnetic"]


def push(n, rng, sent_ns=None):
    """A realistic ~300-byte push; with sent_ns the send time rides in msgId."""
    data = {
        "temperature": round(rng.uniform(15, 30), 1),
        "humidity": rng.randint(30, 80),
        "battery": rng.randint(10, 100),
        "interval": 300,
        "lonlat": [round(116.3 + rng.random() / 5, 5), round(39.8 + rng.random() / 5, 5)],
        "customer": "%06x" % rng.getrandbits(24),
    }
    msg_id = f"t{sent_ns}" if sent_ns is not None else f"{rng.getrandbits(64):016x}{n:08x}"
    return json.dumps({
        "appId": APP_ID, "sn": "0117C9%010X" % (n % 500), "type": "text", "deviceType": TYPES[n % len(TYPES)],
        "createdTime": 1764094329000 + n, "msgId": msg_id, "data": data,
    }, separators=(",", ":"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Broker:
    def __init__(self, inflight=0):
        self.dir = tempfile.mkdtemp(prefix="sensoro-bench-")
        self.port = free_port()
        pw = os.path.join(self.dir, "passwd")
        subprocess.run(["mosquitto_passwd", "-b", "-c", pw, APP_ID, SECRET], check=True)
        subprocess.run(["mosquitto_passwd", "-b", pw, PUBLISHER, PUBLISHER_SECRET], check=True)
        with open(os.path.join(self.dir, "acl"), "w") as f:
            f.write(f"pattern read users/%u/devices\n\nuser {PUBLISHER}\ntopic readwrite #\n")
        conf = os.path.join(self.dir, "mosquitto.conf")
        with open(conf, "w") as f:
            f.write(f"user root\nlistener {self.port} 127.0.0.1\nallow_anonymous false\npassword_file {pw}\n"
                    f"acl_file {self.dir}/acl\nmax_queued_messages 0\nmax_inflight_messages {inflight}\nqueue_qos0_messages true\npersistence false\n"
                    f"log_dest file {self.dir}/log\nlog_type subscribe\n")
        self.proc = subprocess.Popen(["mosquitto", "-c", conf], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                if time.time() > deadline:
                    raise SystemExit("mosquitto did not start")
                time.sleep(0.02)

    def log_size(self):
        try:
            return os.path.getsize(os.path.join(self.dir, "log"))
        except OSError:
            return 0

    def wait_subscribed(self, client_id, since):
        """Waits for the broker to log `client_id`'s SUBSCRIBE after byte `since` of its log."""
        deadline = time.time() + 20
        while time.time() < deadline:
            with open(os.path.join(self.dir, "log"), "rb") as f:
                f.seek(since)
                if f" {client_id} ".encode() in f.read():
                    return
            time.sleep(0.01)
        raise SystemExit(f"{client_id} did not subscribe")

    def stop(self):
        self.proc.kill()
        self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)

    def publish_lines(self, path, qos):
        """Publishes each line of `path` as one push and waits until the broker has them all.
        Not `mosquitto_pub -l`: while a connected subscriber is stopped the broker answers slowly,
        mosquitto_pub gives up waiting for its PUBACKs and disconnects, and mosquitto 2.0.11 then
        drops the rest of its pushes (logged as "disconnected due to out of memory")."""
        publisher = DirectPublisher(self.port, qos)
        with open(path, "rb") as f:
            for line in f:
                publisher.publish(line.rstrip(b"\n"))
        publisher.close()

    def direct_publisher(self, qos):
        return DirectPublisher(self.port, qos)

    def register(self, client_suffix, qos):
        """Resets, then creates the durable session so that pushes queue while the subscriber is away."""
        base = ["mosquitto_sub", "-h", "127.0.0.1", "-p", str(self.port), "-u", APP_ID, "-P", SECRET,
                "-i", f"{APP_ID}/{client_suffix}", "-q", str(qos), "-t", TOPIC, "-E"]
        subprocess.run(base, check=True, stdout=subprocess.DEVNULL)          # clean session: drops the old one
        subprocess.run(base + ["-c"], check=True, stdout=subprocess.DEVNULL)


class DirectPublisher:
    """Publishes each push the moment it is given: one MQTT 3.1.1 PUBLISH per call on a plain socket
    with Nagle off. `mosquitto_pub -l` batches its stdin, which put ~55 ms into both subscribers' p99;
    this keeps the harness out of the latency it measures. At QoS 1 the broker's PUBACKs are left
    unread (a few bytes each; the socket buffer holds them all)."""

    def __init__(self, port, qos):
        self.qos, self.packet_id, self.sent = qos, 0, 0
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        field = lambda text: len(text.encode()).to_bytes(2, "big") + text.encode()
        # CONNECT: protocol "MQTT" level 4, flags username+password+clean session, keepalive 60 s.
        body = field("MQTT") + bytes([4, 0xC2]) + (60).to_bytes(2, "big")
        body += field("bench-publisher") + field(PUBLISHER) + field(PUBLISHER_SECRET)
        self.sock.sendall(bytes([0x10]) + self._length(len(body)) + body)
        connack = self.sock.recv(4)
        if len(connack) < 4 or connack[0] != 0x20 or connack[3] != 0:
            raise SystemExit(f"publisher refused: CONNACK {connack!r}")
        self.topic = field(TOPIC)

    @staticmethod
    def _length(n):
        out = bytearray()
        while True:
            byte, n = n % 128, n // 128
            out.append(byte | (0x80 if n else 0))
            if not n:
                return bytes(out)

    def publish(self, payload):
        body = self.topic
        if self.qos:
            self.packet_id = self.packet_id % 65535 + 1
            body += self.packet_id.to_bytes(2, "big")
        body += payload
        self.sock.sendall(bytes([0x30 | self.qos << 1]) + self._length(len(body)) + body)
        self.sent += 1

    def close(self):
        """At QoS 1, first waits for every PUBACK (4 bytes each), so the broker has every push."""
        if self.qos:
            expected, received = 4 * self.sent, 0
            self.sock.settimeout(120)
            while received < expected:
                chunk = self.sock.recv(1 << 16)
                if not chunk:
                    raise SystemExit("the broker closed the publisher's connection")
                received += len(chunk)
        self.sock.sendall(bytes([0xE0, 0]))  # DISCONNECT
        self.sock.close()
        self.sock.close()


BASELINE = "baseline"
BINARIES = {"sensoro-sub": os.path.join(ROOT, "target", "release", "sensoro-sub")}
NODE_DIR = os.path.join(ROOT, "bench", "node")
VENDOR_SAMPLE, MQTT_SUB = "vendor sample", "mqtt sub"
PAHO_FLOOR = "paho floor"
PAHO_FLOOR_BINARY = os.path.join(ROOT, "target", "release", "examples", "paho_floor")
CEILING = "null subscriber"
CEILING_BINARY = os.path.join(ROOT, "target", "release", "examples", "null_subscriber")
# Each scenario: (name, QoS, durable session?, how the backlog meets the subscriber).
SCENARIOS = [
    ("paused, QoS 0", 0, False, "paused"),
    ("paused, QoS 1", 1, False, "paused"),
    ("paused, QoS 1, session", 1, True, "paused"),
    ("fresh start, QoS 0, session", 0, True, "fresh"),
    ("fresh start, QoS 1, session", 1, True, "fresh"),
]
# Not in the peer table: the collector's case, lines into a file (sensoro-sub `--output FILE`, which
# syncs before acknowledging; the peers `> FILE`, which syncs nothing). Timed to the N-th line in the file.
FILE_SCENARIOS = [
    ("paused, QoS 1, session, to a file", 1, True, "paused"),
    ("fresh start, QoS 1, session, to a file", 1, True, "fresh"),
]


def subscriber_command(tool, broker, qos, count, durable, suffix):
    """The command line (and extra environment) of one subscriber; `count` 0 means run until killed."""
    client_id = f"{APP_ID}/{suffix}"
    env = dict(os.environ)
    if tool in BINARIES:
        cmd = [BINARIES[tool], "--host", "127.0.0.1", "--port", str(broker.port),
               "--app-id", APP_ID, "--app-secret", SECRET, "--qos", str(qos), "--format", "ndjson", "-q"]
        cmd += ["--session", suffix] if durable else ["--client-id", client_id]
        cmd += ["--count", str(count)] if count else []
    elif tool == "mosquitto_sub":
        cmd = ["mosquitto_sub", "-h", "127.0.0.1", "-p", str(broker.port), "-u", APP_ID, "-P", SECRET,
               "-q", str(qos), "-t", TOPIC, "-i", client_id]
        cmd += ["-c"] if durable else []
        cmd += ["-C", str(count)] if count else []
    elif tool == CEILING:
        cmd = [CEILING_BINARY, "127.0.0.1", str(broker.port), APP_ID, SECRET, client_id, str(qos), str(count),
               "1" if durable else "0"]
    elif tool == PAHO_FLOOR:
        cmd = [PAHO_FLOOR_BINARY, "127.0.0.1", str(broker.port), APP_ID, SECRET, client_id, str(qos), str(count),
               "1" if durable else "0"]
    elif tool == VENDOR_SAMPLE:
        cmd = ["node", os.path.join(NODE_DIR, "vendor-sample.js")]
        env.update(BENCH_HOST="127.0.0.1", BENCH_PORT=str(broker.port), BENCH_APP_ID=APP_ID, BENCH_APP_SECRET=SECRET,
                   BENCH_QOS=str(qos), BENCH_CLIENT_SUFFIX=suffix, BENCH_CLEAN="0" if durable else "1",
                   BENCH_COUNT=str(count))
    else:
        cmd = ["node", os.path.join(NODE_DIR, "node_modules", "mqtt", "build", "bin", "mqtt.js"), "sub",
               "-h", "127.0.0.1", "-p", str(broker.port), "-u", APP_ID, "-P", SECRET, "-q", str(qos),
               "-t", TOPIC, "-i", client_id]
        cmd += ["--no-clean"] if durable else []
    return cmd, env


def child_of(pid):
    """The one child of `pid` (GNU time's subscriber), so that signals reach the subscriber itself."""
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            with open(f"/proc/{pid}/task/{pid}/children") as f:
                children = f.read().split()
            if children:
                return int(children[0])
        except OSError:
            pass
        time.sleep(0.005)
    raise SystemExit(f"no child of {pid}")


def drain_round(tool, broker, qos, durable, how, backlog_file, count, round_number, to_file=False):
    """Times the drain of `count` queued pushes to the subscriber's stdout (read by this process).
    fresh: queued for a durable session while it is away, timed from start. paused: queued while the
    connected subscriber is stopped (SIGSTOP, as Ctrl-Z), timed from SIGCONT. to_file: into a file
    instead (sensoro-sub's own `--output`, with its syncs counted; the peers' stdout)."""
    suffix = f"bench-{tool.replace(' ', '-')}-{round_number}"
    cmd, env = subscriber_command(tool, broker, qos, count, durable, suffix)
    out_path = None
    if to_file:
        out_path = tempfile.NamedTemporaryFile(prefix="drain-", suffix=".ndjson", delete=False).name
        if tool == "sensoro-sub":
            cmd = [c for c in cmd if c != "-q"] + ["--output", out_path, "-v"]
    if durable:
        broker.register(suffix, qos)
    if how == "fresh":
        broker.publish_lines(backlog_file, qos)
    timing = tempfile.NamedTemporaryFile(prefix="time-", delete=False).name
    mark = broker.log_size()
    start = time.perf_counter()
    own_file = to_file and tool == "sensoro-sub"  # a baseline may predate --output: `> FILE` like a peer
    stdout = open(out_path, "wb") if to_file and not own_file else subprocess.PIPE
    proc = subprocess.Popen(["/usr/bin/time", "-f", "%M %U %S", "-o", timing] + cmd,
                            stdout=subprocess.DEVNULL if own_file else stdout,
                            stderr=subprocess.PIPE if own_file else subprocess.DEVNULL, env=env)
    subscriber = child_of(proc.pid)
    if how == "paused":
        broker.wait_subscribed(f"{APP_ID}/{suffix}", mark)
        os.kill(subscriber, signal.SIGSTOP)
        broker.publish_lines(backlog_file, qos)
        time.sleep(0.3)  # the broker has sent what the socket takes and queued the rest
        start = time.perf_counter()
        os.kill(subscriber, signal.SIGCONT)
    lines = 0
    deadline = start + 120
    if to_file:
        with open(out_path, "rb") as f:
            while lines < count and time.perf_counter() < deadline:
                chunk = f.read(1 << 16)
                if chunk:
                    lines += chunk.count(b"\n")
                else:
                    time.sleep(0.0005)
    while not to_file and lines < count:
        left = deadline - time.perf_counter()
        if left <= 0 or not select.select([proc.stdout], [], [], left)[0]:
            break
        chunk = proc.stdout.read1(1 << 16)
        if not chunk:
            break
        lines += chunk.count(b"\n")
    elapsed = time.perf_counter() - start
    try:
        proc.wait(timeout=2)
    except subprocess.TimeoutExpired:
        os.kill(subscriber, signal.SIGTERM)  # a peer without a count option
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    syncs = 0.0
    if own_file:
        # `-v`'s summary: "... N writes to stdout, S syncs; PUBACKs in B batched writes".
        report = proc.stderr.read().decode(errors="replace")
        for word, after in zip(report.split(), report.split()[1:]):
            if after.startswith("syncs"):
                syncs = float(word)
        proc.stderr.close()
    elif proc.stdout:
        proc.stdout.close()
    if out_path:
        if not isinstance(stdout, int):
            stdout.close()
        os.unlink(out_path)
    with open(timing) as f:
        rss_kib, user, system = f.read().split()[-3:]
    os.unlink(timing)
    if lines < count:
        raise SystemExit(f"{tool}: only {lines} of {count} lines arrived")
    return {"rate": count / elapsed, "rss_mib": int(rss_kib) / 1024, "cpu_us": (float(user) + float(system)) / count * 1e6,
            "syncs_per_push": syncs / count}


def latency_round(tool, broker, qos, rate, seconds, round_number):
    suffix = f"latency-{tool.replace(' ', '-')}-{round_number}"
    cmd, env = subscriber_command(tool, broker, qos, 0, False, suffix)
    mark = broker.log_size()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    latencies = []

    def read():
        buffer = b""
        while True:
            chunk = proc.stdout.read1(1 << 16)
            if not chunk:
                return
            now = time.perf_counter_ns()
            buffer += chunk
            *complete, buffer = buffer.split(b"\n")
            for line in complete:
                at = line.find(b'"msgId":"t')
                if at >= 0:
                    sent = int(line[at + 10:line.index(b'"', at + 10)])
                    latencies.append((now - sent) / 1e3)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    broker.wait_subscribed(f"{APP_ID}/{suffix}", mark)  # pushes before that would be lost, not late
    publisher = broker.direct_publisher(qos)
    rng = random.Random(1)
    total = int(rate * seconds)
    begin = time.perf_counter()
    for n in range(total):
        target = begin + n / rate
        pause = target - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        publisher.publish(push(n, rng, time.perf_counter_ns()).encode())
    publisher.close()
    time.sleep(1.0)
    proc.kill()
    proc.wait()
    reader.join(timeout=5)
    if len(latencies) < total * 0.99:
        raise SystemExit(f"{tool}: only {len(latencies)} of {total} pushes arrived")
    latencies.sort()
    return {"p50_us": latencies[len(latencies) // 2], "p99_us": latencies[int(len(latencies) * 0.99)]}


def node_peers():
    """The Node.js peers, when node and their packages are here (`bench/setup` installs them)."""
    if shutil.which("node") is None:
        print("note: no node: the vendor's Node.js sample and `mqtt sub` are left out")
        return []
    if not os.path.isdir(os.path.join(NODE_DIR, "node_modules", "mqtt")):
        print("note: bench/node/node_modules missing (run bench/setup): the Node.js peers are left out")
        return []
    return [VENDOR_SAMPLE, MQTT_SUB]


def alternate(tools, rounds, run):
    """Runs `run(tool, round)` for every tool in every round, each round in another order, so that
    drift of the machine hits every tool alike; returns the median of each measure per tool."""
    results = {tool: [] for tool in tools}
    for r in range(rounds):
        order = tools[r % len(tools):] + tools[:r % len(tools)]
        for tool in (order if r % 2 == 0 else order[::-1]):
            results[tool].append(run(tool, r))
    return {t: {k: statistics.median(x[k] for x in results[t]) for k in results[t][0]} for t in tools}


def table(tools, drains, latency, pushes, rounds, rate):
    """The peer table in Markdown: throughput as msg/s and the ratio to mosquitto_sub, CPU, memory."""
    out = [f"Drain of {pushes:,} pushes (~260 bytes, unique msgIds) to a pipe read by the harness; "
           f"median of {rounds} alternating rounds; ratio to mosquitto_sub in the same scenario.", "",
           "| subscriber | " + " | ".join(name for name, *_ in SCENARIOS) + " | p50 / p99 at " + f"{rate}/s, QoS 1 |"
           + " peak RSS |",
           "| --- |" + " --- |" * (len(SCENARIOS) + 2)]
    for tool in tools:
        cells = []
        for name, *_ in SCENARIOS:
            s, base = drains[name][tool], drains[name]["mosquitto_sub"]
            cells.append(f"{s['rate'] / 1000:.0f}k ({s['rate'] / base['rate']:.2f}×), {s['cpu_us']:.1f} µs CPU")
        lat = latency.get(tool)
        cells.append(f"{lat['p50_us'] / 1000:.2f} / {lat['p99_us'] / 1000:.2f} ms" if lat else "–")
        cells.append(f"{max(drains[name][tool]['rss_mib'] for name, *_ in SCENARIOS):.1f} MiB")
        label = f"**{tool}**" if tool == "sensoro-sub" else tool
        out.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"


TABLE_START, TABLE_END = "<!-- peer-table:start -->", "<!-- peer-table:end -->"


def write_table(path, text):
    with open(path) as f:
        doc = f.read()
    if TABLE_START not in doc:
        raise SystemExit(f"{path} has no {TABLE_START} ... {TABLE_END} section")
    head, rest = doc.split(TABLE_START, 1)
    _, tail = rest.split(TABLE_END, 1)
    stamp = time.strftime("%Y-%m-%d", time.gmtime())
    with open(path, "w") as f:
        f.write(f"{head}{TABLE_START}\n<!-- written by `python3 bench/subscribers.py --table` on {stamp} -->\n\n"
                f"{text}\n{TABLE_END}{tail}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pushes", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--mode", choices=["drain", "latency", "both"], default="both")
    parser.add_argument("--scenario", action="append", choices=[name for name, *_ in SCENARIOS + FILE_SCENARIOS],
                        help="drain only these scenarios (repeatable) [default: all]")
    parser.add_argument("--rate", type=int, default=1000, help="latency mode: pushes per second")
    parser.add_argument("--seconds", type=int, default=10, help="latency mode: how long to publish")
    parser.add_argument("--baseline", metavar="BINARY",
                        help="an earlier sensoro-sub build to run in the same alternating rounds")
    parser.add_argument("--no-node", action="store_true", help="leave out the Node.js peers")
    parser.add_argument("--floor", action="store_true",
                        help="add paho's floor: a paho subscriber whose callback does next to nothing")
    parser.add_argument("--ceiling", action="store_true",
                        help="add the null subscriber: a raw socket that discards pushes and batches its PUBACKs")
    parser.add_argument("--inflight", type=int, default=0, metavar="N",
                        help="the broker's max_inflight_messages (unacknowledged QoS 1 pushes per client) "
                             "[default: 0, unlimited; mosquitto's own default is 20]")
    parser.add_argument("--table", nargs="?", const=os.path.join(ROOT, "docs", "performance.md"), metavar="FILE",
                        help="write the peer table into FILE's peer-table section [default: docs/performance.md]")
    args = parser.parse_args()
    if args.table and (args.mode != "both" or args.scenario):
        raise SystemExit("--table needs every scenario and the latency run: drop --mode/--scenario")
    if not os.path.exists(BINARIES["sensoro-sub"]):
        subprocess.run(["cargo", "build", "--release", "--locked"], cwd=ROOT, check=True)
    tools = ["sensoro-sub", "mosquitto_sub"] + ([] if args.no_node else node_peers())
    if args.baseline:
        BINARIES[BASELINE] = os.path.abspath(args.baseline)
        tools.append(BASELINE)
    if args.floor:
        subprocess.run(["cargo", "build", "--release", "--locked", "--example", "paho_floor"], cwd=ROOT, check=True)
        tools.append(PAHO_FLOOR)
    if args.ceiling:
        subprocess.run(["cargo", "build", "--release", "--locked", "--example", "null_subscriber"], cwd=ROOT, check=True)
        tools.append(CEILING)
    scenarios = [s + (False,) for s in SCENARIOS if not args.scenario or s[0] in args.scenario]
    scenarios += [s + (True,) for s in FILE_SCENARIOS if args.scenario and s[0] in args.scenario]
    broker = Broker(args.inflight)
    print(f"mosquitto max_inflight_messages {args.inflight or 'unlimited'}")
    drains, latency = {}, {}
    try:
        if args.mode in ("drain", "both"):
            backlog = tempfile.NamedTemporaryFile("w", suffix=".ndjson", delete=False)
            rng = random.Random(7)
            for n in range(args.pushes):
                backlog.write(push(n, rng) + "\n")
            backlog.close()
            size = os.path.getsize(backlog.name) / args.pushes
            print(f"drain: {args.pushes} pushes of ~{size:.0f} bytes, {args.rounds} alternating rounds")
            for name, qos, durable, how, to_file in scenarios:
                summary = alternate(tools, args.rounds, lambda tool, r: drain_round(
                    tool, broker, qos, durable, how, backlog.name, args.pushes, r, to_file))
                drains[name] = summary
                base = summary["mosquitto_sub"]["rate"]
                for tool in tools:
                    s = summary[tool]
                    syncs = f"  {s['syncs_per_push']:.4f} syncs/push" if to_file and tool == "sensoro-sub" else ""
                    print(f"  {name:<28} {tool:<15} {s['rate']:>9.0f} msg/s ({s['rate'] / base:4.2f}x)  "
                          f"{s['cpu_us']:5.2f} us CPU/msg  peak RSS {s['rss_mib']:5.1f} MiB{syncs}")
            os.unlink(backlog.name)
        if args.mode in ("latency", "both"):
            print(f"latency: {args.rate} pushes/s for {args.seconds} s, QoS 1, median of {args.rounds} rounds")
            # The null subscriber prints no payloads, so it has no send times to measure: drains only.
            timed = [tool for tool in tools if tool != CEILING]
            latency = alternate(timed, args.rounds, lambda tool, r: latency_round(
                tool, broker, 1, args.rate, args.seconds, r))
            for tool in timed:
                print(f"  {tool:<13} p50 {latency[tool]['p50_us']:8.0f} us   p99 {latency[tool]['p99_us']:8.0f} us")
    finally:
        broker.stop()
    if args.table:
        text = table([t for t in tools if t not in (BASELINE, PAHO_FLOOR, CEILING)], drains, latency, args.pushes, args.rounds,
                     args.rate)
        write_table(args.table, text)
        print(f"peer table written to {args.table}")


if __name__ == "__main__":
    sys.exit(main())
