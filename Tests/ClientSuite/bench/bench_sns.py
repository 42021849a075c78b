#!/usr/bin/env python3
"""Issue 13's SNS wire benchmark with a real boto3 client against a running (release) `eventrouter run`.

Run with the client suite's venv (created by run_suite.py), e.g.
  swift build -c release --product eventrouter
  .build/client-venv/bin/python Tests/ClientSuite/bench/bench_sns.py --binary .build/release/eventrouter all

Subcommands:
  publish   one boto3 thread, Publish (200-byte message, one String attribute) to a topic with 10 SQS
            subscriptions: publishes/s, then every delivery is checked (each of the 10 queues holds
            exactly as many messages as were published)
  ceiling   the same boto3 Publish calls against a stub that answers a canned PublishResponse at once
            (a raw socket server in its own process, one write per reply, TCP_NODELAY): the client's
            own ceiling, which the router's figure is compared with
  all       both, ceiling first
  rounds    --rounds N alternations of ceiling and publish (fresh server each), then the median of
            router/ceiling: the figure to quote on a shared, noisy machine
  compare   --rounds N rounds of one ceiling then each of --binaries A,B,… (order alternated per round,
            fresh server each), then each binary's median router/ceiling: two builds side by side in one run
  stubs     --rounds N alternations of the Python stub and the C stub (canned_stub.c, the same reply bytes,
            compiled into .build/bench with cc): how far a server that does no work at all gets from the
            Python stub's ceiling on this machine
  raw       the same Publish bytes boto3 sends (captured once), replayed by a bare socket loop
            against the stub and the router: each server's own time per request, client overhead
            (~10-30 µs) aside

--subscriptions N sets the topic's SQS subscriptions (default 10; 0 and 1 tell the answer path from the
fan-out). --pin S,C pins the server (router or stub) to CPU S and this client to CPU C (an experiment on
the scheduler's placement, e.g. --pin 0,1; without it both float).
--stub c measures every ceiling against the C stub instead of the Python one.
--stub-delay-ms D makes the stub wait D ms before each reply (a router-like latency). Client CPU is
time.process_time() of this process in both modes; it grows with the wait alone (1.5 ms: about +0.35 to
+0.6 ms per call on the 2-core box, cache and wake-up costs), so compare client CPU at equal latency.
The stub's reply has the router's bytes: same status line, headers (x-amzn-RequestId, text/xml,
Content-Length, keep-alive), the same XML body, one write.
"""
import argparse
import multiprocessing
import os
import shutil
import socket
import subprocess
import threading
import time

from bench_wire import start, stop  # the same server start and stop as the other wire benchmarks

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
ACCOUNT = "123456789012"
SUBSCRIPTIONS = 10  # --subscriptions changes it
PIN = None  # (server CPU, client CPU) with --pin
STUB = "python"  # --stub c: the ceiling against canned_stub.c
MESSAGE = "x" * 200


def client(endpoint, service):
    import boto3
    from botocore.config import Config
    return boto3.client(service, endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test",
                        aws_secret_access_key="test", config=Config(retries={"total_max_attempts": 1}, max_pool_connections=2))


def publish_loop(sns, topic, seconds):
    attributes = {"kind": {"DataType": "String", "StringValue": "order"}}
    sns.publish(TopicArn=topic, Message=MESSAGE, MessageAttributes=attributes)  # warm up the connection and the client
    count, started = 1, time.perf_counter()
    while time.perf_counter() - started < seconds:
        sns.publish(TopicArn=topic, Message=MESSAGE, MessageAttributes=attributes)
        count += 1
    return count, time.perf_counter() - started


def pin_server(pid, pin=None):
    """With --pin, moves process `pid` (the router or the stub) to the server's CPU."""
    pin = pin or PIN
    if pin is None:
        return
    if pid == 0:
        os.sched_setaffinity(0, {pin[0]})  # the stub, before it starts its threads
        return
    for task in os.listdir(f"/proc/{pid}/task"):  # every thread of the running router (the pid alone is its main thread)
        os.sched_setaffinity(int(task), {pin[0]})


def cpu_seconds(pid):
    """User + system CPU seconds of process `pid` so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def publish(endpoint, seconds, pid):
    sns, sqs = client(endpoint, "sns"), client(endpoint, "sqs")
    topic = sns.create_topic(Name="bench-fan-out")["TopicArn"]
    urls = []
    for i in range(SUBSCRIPTIONS):
        urls.append(sqs.create_queue(QueueName=f"bench-sub-{i}")["QueueUrl"])
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=f"arn:aws:sqs:us-east-1:{ACCOUNT}:bench-sub-{i}")
    server_before, client_before = cpu_seconds(pid), time.process_time()
    count, elapsed = publish_loop(sns, topic, seconds)
    server_cpu, client_cpu = cpu_seconds(pid) - server_before, time.process_time() - client_before
    for _ in range(50):  # the last publish's deliveries are made just after its answer
        held = [int(sqs.get_queue_attributes(QueueUrl=u, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]["ApproximateNumberOfMessages"])
                for u in urls]
        if held == [count] * SUBSCRIPTIONS:
            break
        time.sleep(0.1)
    assert held == [count] * SUBSCRIPTIONS, f"published {count}, but the queues hold {held}"
    return (f"boto3 Publish → topic with {SUBSCRIPTIONS} SQS subscriptions, 1 thread: {count / elapsed:,.0f} publishes/s "
            f"= {count * SUBSCRIPTIONS / elapsed:,.0f} deliveries/s ({count} publishes in {elapsed:.1f} s; every queue holds {count}); "
            f"CPU per publish: server {server_cpu / count * 1e3:.3f} ms, client {client_cpu / count * 1e3:.3f} ms")


STUB_REPLY = (b'<?xml version="1.0" encoding="UTF-8"?>\n<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">'
              b'<PublishResult><MessageId>00000000-0000-4000-8000-000000000000</MessageId></PublishResult>'
              b'<ResponseMetadata><RequestId>00000000-0000-4000-8000-000000000001</RequestId></ResponseMetadata></PublishResponse>')


def stub_serve(listener, delay=0.0, pin=None):
    pin_server(0, pin)
    serve_stub(listener, delay)


def serve_stub(listener, delay=0.0):
    """Answers every request on every connection with the canned PublishResponse (one sendall each)."""
    reply = (b"HTTP/1.1 200 OK\r\nx-amzn-RequestId: 00000000-0000-4000-8000-000000000001\r\nContent-Type: text/xml\r\n"
             b"Content-Length: " + str(len(STUB_REPLY)).encode() + b"\r\n\r\n" + STUB_REPLY)  # the router's field order

    def connection(sock):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        buffer = b""
        while True:
            while b"\r\n\r\n" not in buffer:
                chunk = sock.recv(65536)
                if not chunk:
                    return
                buffer += chunk
            head, _, buffer = buffer.partition(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value.strip())
            while len(buffer) < length:
                chunk = sock.recv(65536)
                if not chunk:
                    return
                buffer += chunk
            buffer = buffer[length:]
            if delay:
                time.sleep(delay)
            sock.sendall(reply)

    while True:
        sock, _ = listener.accept()
        threading.Thread(target=connection, args=(sock,), daemon=True).start()


def c_stub_binary():
    """canned_stub.c compiled (once) into .build/bench."""
    source = os.path.join(HERE, "canned_stub.c")
    binary = os.path.join(ROOT, ".build", "bench", "canned_stub")
    if not os.path.exists(binary) or os.path.getmtime(binary) < os.path.getmtime(source):
        os.makedirs(os.path.dirname(binary), exist_ok=True)
        compiler = next((c for c in ("cc", "clang", "gcc") if shutil.which(c)), None)
        if compiler is None:
            raise SystemExit("--stub c needs a C compiler (cc, clang or gcc) on PATH")
        subprocess.run([compiler, "-O2", "-o", binary, source, "-lpthread"], check=True)
    return binary


def c_ceiling(seconds):
    """The same boto3 Publish calls against canned_stub.c."""
    process = subprocess.Popen([c_stub_binary(), "0"], stdout=subprocess.PIPE, text=True)
    try:
        port = int(process.stdout.readline().split()[-1])
        pin_server(process.pid)
        sns = client(f"http://127.0.0.1:{port}", "sns")
        client_before, server_before = time.process_time(), cpu_seconds(process.pid)
        count, elapsed = publish_loop(sns, f"arn:aws:sns:us-east-1:{ACCOUNT}:stub", seconds)
        client_cpu, server_cpu = time.process_time() - client_before, cpu_seconds(process.pid) - server_before
    finally:
        process.kill()
        process.wait()
    return (f"boto3 Publish against the C stub (canned_stub.c), 1 thread: {count / elapsed:,.0f} publishes/s ({count} in {elapsed:.1f} s); "
            f"client CPU per publish {client_cpu / count * 1e3:.3f} ms, stub {server_cpu / count * 1e6:.0f} µs")


def stubs(seconds, count):
    """Alternates the Python stub and the C stub: the C stub's rate over the Python stub's."""
    ratios = []
    for i in range(count):
        python_line, c_line = ceiling(seconds, stub="python"), ceiling(seconds, stub="c")
        python_rate, c_rate = (float(line.split("1 thread: ")[1].split(" publishes/s")[0].replace(",", "")) for line in (python_line, c_line))
        ratios.append(c_rate / python_rate)
        print(f"round {i + 1}: load {os.getloadavg()[0]:.2f}; Python stub {python_rate:,.0f}/s; C stub {c_rate:,.0f}/s "
              f"({c_line.split('; ')[1]}); C/Python {c_rate / python_rate:.2f}", flush=True)
    ratios.sort()
    print(f"median C stub/Python stub over {count} rounds: {ratios[len(ratios) // 2]:.2f} (min {ratios[0]:.2f}, max {ratios[-1]:.2f})")


def ceiling(seconds, delay=0.0, stub=None):
    if (stub or STUB) == "c":
        return c_ceiling(seconds)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    server = multiprocessing.Process(target=stub_serve, args=(listener, delay, PIN), daemon=True)
    server.start()
    try:
        sns = client(f"http://127.0.0.1:{listener.getsockname()[1]}", "sns")
        client_before = time.process_time()
        count, elapsed = publish_loop(sns, f"arn:aws:sns:us-east-1:{ACCOUNT}:stub", seconds)
        client_cpu = time.process_time() - client_before
    finally:
        server.terminate()
        server.join()
        listener.close()
    return (f"boto3 Publish against a stub (the client's ceiling; reply delay {delay * 1e3:g} ms), 1 thread: {count / elapsed:,.0f} publishes/s ({count} in {elapsed:.1f} s); "
            f"client CPU per publish {client_cpu / count * 1e3:.3f} ms")


def publish_once(binary, seconds):
    """One publish run on a fresh server: (publishes/s, server CPU ms per publish, the line)."""
    process, endpoint = start(binary)
    pin_server(process.pid)
    try:
        line = publish(endpoint, seconds, process.pid)
    finally:
        stop(process)
    rate = float(line.split(" thread: ")[1].split(" publishes/s")[0].replace(",", ""))
    server_ms = float(line.split("server ")[1].split(" ms")[0])
    return rate, server_ms, line


def rounds(binary, seconds, count):
    ratios = []
    for i in range(count):
        load = os.getloadavg()[0]
        ceiling_line = ceiling(seconds)
        ceiling_rate = float(ceiling_line.split("1 thread: ")[1].split(" publishes/s")[0].replace(",", ""))
        rate, server_ms, _ = publish_once(binary, seconds)
        ratios.append(rate / ceiling_rate)
        print(f"round {i + 1}: load {load:.2f}; ceiling {ceiling_rate:,.0f}/s; router {rate:,.0f}/s "
              f"(server {server_ms:.3f} ms CPU per publish, every delivery checked); router/ceiling {rate / ceiling_rate:.2f}")
    ratios.sort()
    print(f"median router/ceiling over {count} rounds: {ratios[len(ratios) // 2]:.2f} (min {ratios[0]:.2f}, max {ratios[-1]:.2f})")


def compare(binaries, seconds, count):
    ratios = {binary: [] for binary in binaries}
    for i in range(count):
        ceiling_line = ceiling(seconds)
        ceiling_rate = float(ceiling_line.split("1 thread: ")[1].split(" publishes/s")[0].replace(",", ""))
        line = f"round {i + 1}: load {os.getloadavg()[0]:.2f}; ceiling {ceiling_rate:,.0f}/s"
        for binary in (binaries if i % 2 == 0 else list(reversed(binaries))):
            rate, server_ms, _ = publish_once(binary, seconds)
            ratios[binary].append(rate / ceiling_rate)
            line += f"; {binary}: {rate:,.0f}/s ({rate / ceiling_rate:.2f}, server {server_ms * 1e3:.0f} µs CPU per publish)"
        print(line, flush=True)
    for binary in binaries:
        values = sorted(ratios[binary])
        print(f"{binary}: median router/ceiling over {count} rounds {values[len(values) // 2]:.2f} (min {values[0]:.2f}, max {values[-1]:.2f})")


def captured_publish():
    """The bytes boto3 sends for the benchmark's Publish, captured by a one-shot listener."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    got = {}

    def serve():
        sock, _ = listener.accept()
        got["request"] = read_request(sock)
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: " + str(len(STUB_REPLY)).encode() + b"\r\n\r\n" + STUB_REPLY)
        sock.close()

    thread = threading.Thread(target=serve)
    thread.start()
    sns = client(f"http://127.0.0.1:{listener.getsockname()[1]}", "sns")
    sns.publish(TopicArn=f"arn:aws:sns:us-east-1:{ACCOUNT}:bench-fan-out", Message=MESSAGE,
                MessageAttributes={"kind": {"DataType": "String", "StringValue": "order"}})
    thread.join()
    listener.close()
    return got["request"]


def read_request(sock, buffer=b""):
    """One whole HTTP message (head and Content-Length body) from `sock`."""
    while b"\r\n\r\n" not in buffer:
        buffer += sock.recv(65536)
    head, _, body = buffer.partition(b"\r\n\r\n")
    length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length"))
    while len(body) < length:
        body += sock.recv(65536)
    return head + b"\r\n\r\n" + body


def raw_loop(port, request, seconds):
    sock = socket.create_connection(("127.0.0.1", port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        sock.sendall(request)
        read_request(sock)
        count += 1
    sock.close()
    return count, time.perf_counter() - started


def raw(binary, seconds):
    request = captured_publish()
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    server = multiprocessing.Process(target=stub_serve, args=(listener, 0.0, PIN), daemon=True)
    server.start()
    try:
        count, elapsed = raw_loop(listener.getsockname()[1], request, seconds)
    finally:
        server.terminate()
        server.join()
        listener.close()
    print(f"bare socket loop → stub: {count / elapsed:,.0f} requests/s, {elapsed / count * 1e6:.0f} µs per round trip")
    process, endpoint = start(binary)
    pin_server(process.pid)
    try:
        sns, sqs = client(endpoint, "sns"), client(endpoint, "sqs")
        topic = sns.create_topic(Name="bench-fan-out")["TopicArn"]
        for i in range(SUBSCRIPTIONS):
            sqs.create_queue(QueueName=f"bench-sub-{i}")
            sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=f"arn:aws:sqs:us-east-1:{ACCOUNT}:bench-sub-{i}")
        before = cpu_seconds(process.pid)
        count, elapsed = raw_loop(int(endpoint.rsplit(":", 1)[1]), request, seconds)
        server_cpu = cpu_seconds(process.pid) - before
    finally:
        stop(process)
    print(f"bare socket loop → router ({SUBSCRIPTIONS} SQS subscriptions): {count / elapsed:,.0f} publishes/s, {elapsed / count * 1e6:.0f} µs per round trip, "
          f"server CPU {server_cpu / count * 1e6:.0f} µs per publish")


def main():
    global SUBSCRIPTIONS, PIN, STUB
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["publish", "ceiling", "all", "rounds", "compare", "raw", "stubs"])
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "eventrouter"))
    parser.add_argument("--binaries", help="BIN,BIN,…: the builds `compare` runs side by side")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=5, help="alternations for `rounds`")
    parser.add_argument("--stub", choices=["python", "c"], default="python", help="the stub every ceiling is measured against")
    parser.add_argument("--stub-delay-ms", type=float, default=0, help="the stub waits this long before each reply")
    parser.add_argument("--subscriptions", type=int, default=SUBSCRIPTIONS, help="SQS subscriptions of the topic")
    parser.add_argument("--pin", help="SERVER_CPU,CLIENT_CPU: pin the server and this client to one CPU each")
    args = parser.parse_args()
    SUBSCRIPTIONS = args.subscriptions
    STUB = args.stub
    if args.pin:
        PIN = tuple(int(c) for c in args.pin.split(","))
        os.sched_setaffinity(0, {PIN[1]})
    print(f"{time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}; load {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}; {args.binary}; "
          f"{SUBSCRIPTIONS} subscriptions; pinned {PIN or 'no'}; stub {STUB}")
    if args.what == "rounds":
        return rounds(args.binary, args.seconds, args.rounds)
    if args.what == "compare":
        return compare(args.binaries.split(","), args.seconds, args.rounds)
    if args.what == "stubs":
        return stubs(args.seconds, args.rounds)
    if args.what == "raw":
        return raw(args.binary, args.seconds)
    chosen = ["ceiling", "publish"] if args.what == "all" else [args.what]
    for what in chosen:
        if what == "ceiling":
            print(ceiling(args.seconds, args.stub_delay_ms / 1e3))
        else:
            process, endpoint = start(args.binary)
            try:
                print(publish(endpoint, args.seconds, process.pid))
            finally:
                stop(process)
        print(f"  (load now {os.getloadavg()[0]:.2f})")


if __name__ == "__main__":
    main()
