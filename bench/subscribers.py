#!/usr/bin/env python3
"""Compare sensoro-sub with mosquitto_sub on a broker this script starts itself.

Modes (both run unless --mode picks one):
  drain    N pushes queued in the broker for a durable session while the subscriber is stopped, then
           the subscriber is started and timed until the N-th line reaches its stdout. Peak RSS and
           CPU time per push are measured with GNU time. At QoS 0 and QoS 1.
  latency  the subscriber runs; pushes are published at a steady rate, each carrying its send time;
           publish -> stdout latency p50/p99 per subscriber.

Rounds alternate between the two subscribers so that drift of the machine hits both alike.
Loopback only; every process is killed by PID. Needs mosquitto, mosquitto_pub, mosquitto_sub,
GNU time, and a release build of sensoro-sub (built if missing).

  python3 bench/subscribers.py                      # defaults: 20000 pushes, 5 rounds
  python3 bench/subscribers.py --pushes 20000 --rounds 2 --mode drain
  python3 bench/subscribers.py --baseline /tmp/old/sensoro-sub   # also an earlier build, same rounds
"""
import argparse
import functools
import json
import os
import random
import shutil
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
    def __init__(self):
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
                    f"acl_file {self.dir}/acl\nmax_queued_messages 0\nmax_inflight_messages 0\nqueue_qos0_messages true\npersistence false\n")
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

    def stop(self):
        self.proc.kill()
        self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)

    def pub_command(self, qos):
        return ["mosquitto_pub", "-h", "127.0.0.1", "-p", str(self.port), "-u", PUBLISHER, "-P", PUBLISHER_SECRET,
                "-t", TOPIC, "-q", str(qos), "-l"]

    def publish_lines(self, path, qos):
        with open(path, "rb") as f:
            subprocess.run(self.pub_command(qos), stdin=f, check=True)

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
        self.qos, self.packet_id = qos, 0
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

    def close(self):
        self.sock.sendall(bytes([0xE0, 0]))  # DISCONNECT
        self.sock.close()


BASELINE = "baseline"
BINARIES = {"sensoro-sub": os.path.join(ROOT, "target", "release", "sensoro-sub")}


def subscriber_command(tool, broker, qos, count, durable):
    suffix = f"bench-{tool}"
    if tool in BINARIES:
        cmd = [BINARIES[tool], "--host", "127.0.0.1", "--port", str(broker.port),
               "--app-id", APP_ID, "--app-secret", SECRET, "--qos", str(qos), "--format", "ndjson", "-q"]
        cmd += ["--session", suffix] if durable else []
        cmd += ["--count", str(count)] if count else []
    else:
        cmd = ["mosquitto_sub", "-h", "127.0.0.1", "-p", str(broker.port), "-u", APP_ID, "-P", SECRET,
               "-q", str(qos), "-t", TOPIC, "-i", f"{APP_ID}/{suffix}"]
        cmd += ["-c"] if durable else []
        cmd += ["-C", str(count)] if count else []
    return cmd, suffix


def drain_round(tool, broker, qos, backlog_file, count):
    cmd, suffix = subscriber_command(tool, broker, qos, count, durable=True)
    broker.register(suffix, qos)
    broker.publish_lines(backlog_file, qos)
    timing = tempfile.NamedTemporaryFile(prefix="time-", delete=False).name
    start = time.perf_counter()
    proc = subprocess.Popen(["/usr/bin/time", "-f", "%M %U %S", "-o", timing] + cmd, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)
    lines = 0
    deadline = start + 120
    while lines < count:
        chunk = proc.stdout.read1(1 << 16)
        if not chunk or time.perf_counter() > deadline:
            break
        lines += chunk.count(b"\n")
    elapsed = time.perf_counter() - start
    proc.stdout.close()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    with open(timing) as f:
        rss_kib, user, system = f.read().split()[-3:]
    os.unlink(timing)
    if lines < count:
        raise SystemExit(f"{tool}: only {lines} of {count} lines arrived")
    return {"rate": count / elapsed, "rss_mib": int(rss_kib) / 1024, "cpu_us": (float(user) + float(system)) / count * 1e6}


def latency_round(tool, broker, qos, rate, seconds):
    cmd, _ = subscriber_command(tool, broker, qos, 0, durable=False)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
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
    time.sleep(1.0)  # connected and subscribed (loopback); pushes before that would be lost, not late
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


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pushes", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--mode", choices=["drain", "latency", "both"], default="both")
    parser.add_argument("--rate", type=int, default=1000, help="latency mode: pushes per second")
    parser.add_argument("--seconds", type=int, default=10, help="latency mode: how long to publish")
    parser.add_argument("--baseline", metavar="BINARY",
                        help="an earlier sensoro-sub build to run in the same alternating rounds")
    args = parser.parse_args()
    if not os.path.exists(BINARIES["sensoro-sub"]):
        subprocess.run(["cargo", "build", "--release", "--locked"], cwd=ROOT, check=True)
    tools = ["sensoro-sub", "mosquitto_sub"]
    if args.baseline:
        BINARIES[BASELINE] = os.path.abspath(args.baseline)
        tools.append(BASELINE)
    broker = Broker()
    try:
        if args.mode in ("drain", "both"):
            backlog = tempfile.NamedTemporaryFile("w", suffix=".ndjson", delete=False)
            rng = random.Random(7)
            for n in range(args.pushes):
                backlog.write(push(n, rng) + "\n")
            backlog.close()
            size = os.path.getsize(backlog.name) / args.pushes
            print(f"drain: {args.pushes} pushes of ~{size:.0f} bytes, {args.rounds} alternating rounds")
            for qos in (0, 1):
                results = {tool: [] for tool in tools}
                for r in range(args.rounds):
                    for tool in (tools if r % 2 == 0 else tools[::-1]):
                        results[tool].append(drain_round(tool, broker, qos, backlog.name, args.pushes))
                summary = {t: {k: statistics.median(x[k] for x in results[t]) for k in results[t][0]} for t in tools}
                for tool in tools:
                    s = summary[tool]
                    print(f"  QoS {qos}  {tool:<13} {s['rate']:>9.0f} msg/s  {s['cpu_us']:5.2f} us CPU/msg  "
                          f"peak RSS {s['rss_mib']:5.1f} MiB")
                for tool in [t for t in tools if t != "mosquitto_sub"]:
                    ratio = summary[tool]["rate"] / summary["mosquitto_sub"]["rate"]
                    print(f"  QoS {qos}  throughput ratio {tool} / mosquitto_sub = {ratio:.2f}x")
            os.unlink(backlog.name)
        if args.mode in ("latency", "both"):
            print(f"latency: {args.rate} pushes/s for {args.seconds} s, QoS 1, median of {args.rounds} rounds")
            results = {tool: [] for tool in tools}
            for r in range(args.rounds):
                for tool in (tools if r % 2 == 0 else tools[::-1]):
                    results[tool].append(latency_round(tool, broker, 1, args.rate, args.seconds))
            for tool in tools:
                p50 = statistics.median(x["p50_us"] for x in results[tool])
                p99 = statistics.median(x["p99_us"] for x in results[tool])
                print(f"  {tool:<13} p50 {p50:8.0f} us   p99 {p99:8.0f} us")
    finally:
        broker.stop()


if __name__ == "__main__":
    sys.exit(main())
