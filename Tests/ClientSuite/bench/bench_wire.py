#!/usr/bin/env python3
"""Issue 12's wire benchmarks with real clients against a running (release) `eventrouter run`.

Run with the client suite's venv (created by run_suite.py), e.g.
  swift build -c release --product eventrouter --product eventrouter-bench
  .build/client-venv/bin/python Tests/ClientSuite/bench/bench_wire.py --binary .build/release/eventrouter all

Subcommands (each starts its own server on Tests/ClientSuite/bench/workspace unless --endpoint is given):
  boto3-put   one boto3 thread, PutEvents of 10 entries routed to the SQS queue bench-target: entries/s
  latency     1-entry PutEvents → the event in a waiting ReceiveMessage answer: p50/p99 ms (queue kept empty)
  sqs-cycles  one boto3 thread, SendMessage → ReceiveMessage → DeleteMessage: cycles/s
  ready       start → GET /_eventrouter/health 200 (ms) and idle RSS (MB), on the example workspace
  native      eventrouter-bench http --target put-events against the server, CPU split client/server
  all         every one of them
"""
import argparse
import json
import os
import signal
import socket
import subprocess
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
WORKSPACE = os.path.join(HERE, "workspace")
ACCOUNT = "123456789012"


def start(binary, workspace=WORKSPACE):
    process = subprocess.Popen([binary, "run", "--port", "0", "--quiet", "--in-memory", "--workspace", workspace],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    if not line.startswith("eventrouter listening on "):
        raise SystemExit(f"eventrouter run did not start: {line!r} {process.stderr.read()}")
    return process, line.split()[-1]


def stop(process):
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=15)


def clients(endpoint):
    import boto3
    from botocore.config import Config
    config = Config(retries={"total_max_attempts": 1}, max_pool_connections=2)
    make = lambda service: boto3.client(service, endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test",
                                        aws_secret_access_key="test", config=config)
    return make("events"), make("sqs")


def boto3_put(endpoint, seconds):
    events, _ = clients(endpoint)
    entries = [{"EventBusName": "bench", "Source": "bench", "DetailType": "Tick", "Detail": json.dumps({"n": i, "item": "widget"})}
               for i in range(10)]
    events.put_events(Entries=entries)  # warm up the connection and the client
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        reply = events.put_events(Entries=entries)
        assert reply["FailedEntryCount"] == 0, reply
        count += 10
    elapsed = time.perf_counter() - started
    return f"boto3 PutEvents x10 → SQS target, 1 thread: {count / elapsed:,.0f} entries/s ({count} entries in {elapsed:.1f} s)"


def latency(endpoint, rounds):
    events, sqs = clients(endpoint)
    _, receiver = clients(endpoint)
    url = sqs.get_queue_url(QueueName="latency-target")["QueueUrl"]
    samples = []
    for i in range(rounds + 20):
        got = {}
        def receive():
            reply = receiver.receive_message(QueueUrl=url, WaitTimeSeconds=5, MaxNumberOfMessages=1)
            got["at"] = time.perf_counter()
            got["messages"] = reply.get("Messages", [])
        waiter = threading.Thread(target=receive)
        waiter.start()
        time.sleep(0.003)  # let the receive park on the server (a benchmark, not a test)
        events.put_events(Entries=[{"EventBusName": "latency", "Source": "bench", "DetailType": "Tick", "Detail": json.dumps({"i": i})}])
        returned = time.perf_counter()
        waiter.join()
        assert len(got["messages"]) == 1, got
        sqs.delete_message(QueueUrl=url, ReceiptHandle=got["messages"][0]["ReceiptHandle"])
        if i >= 20:  # the first rounds warm up
            samples.append(max(0.0, got["at"] - returned) * 1000)
    samples.sort()
    pick = lambda p: samples[min(len(samples) - 1, int(len(samples) * p))]
    return (f"put-to-visible latency, 1-entry PutEvents → waiting ReceiveMessage, {len(samples)} rounds: "
            f"p50 {pick(0.5):.3f} ms, p99 {pick(0.99):.3f} ms, max {samples[-1]:.3f} ms")


def sqs_cycles(endpoint, seconds):
    _, sqs = clients(endpoint)
    url = sqs.get_queue_url(QueueName="cycles")["QueueUrl"]
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        sqs.send_message(QueueUrl=url, MessageBody="hello")
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1)["Messages"]
        sqs.delete_message(QueueUrl=url, ReceiptHandle=messages[0]["ReceiptHandle"])
        count += 1
    elapsed = time.perf_counter() - started
    return f"SQS send → receive → delete, 1 boto3 thread: {count / elapsed:,.0f} cycles/s ({count} in {elapsed:.1f} s)"


def health_ok(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(b"GET /_eventrouter/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            return s.recv(64).startswith(b"HTTP/1.1 200")
    except OSError:
        return False


def ready(binary, runs):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    times, rss = [], []
    for _ in range(runs):
        started = time.perf_counter()
        process = subprocess.Popen([binary, "run", "--port", str(port), "--quiet", "--in-memory", "--workspace", ROOT],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        while not health_ok(port):
            if process.poll() is not None:
                raise SystemExit(f"eventrouter run exited: {process.stderr.read().decode()}")
            time.sleep(0.001)
        times.append((time.perf_counter() - started) * 1000)
        time.sleep(1)  # idle
        with open(f"/proc/{process.pid}/status") as f:
            rss.append(next(int(line.split()[1]) for line in f if line.startswith("VmRSS:")) / 1024)
        stop(process)
        process.stderr.close()
    times.sort()
    return (f"example workspace: start → health 200 in {times[len(times) // 2]:.0f} ms (median of {runs}; "
            f"min {times[0]:.0f}, max {times[-1]:.0f}), idle RSS {sorted(rss)[len(rss) // 2]:.1f} MB")


def native(bench, process, endpoint, seconds, connections):
    port = endpoint.rsplit(":", 1)[1]
    result = subprocess.run([bench, "http", "--target", "put-events", "--connections", str(connections), "--seconds", str(seconds),
                             "--port", port, "--server-pid", str(process.pid)], capture_output=True, text=True)
    with open(f"/proc/{process.pid}/status") as f:
        rss = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:")) / 1024
    return result.stdout.strip() + result.stderr.strip() + f"\nserver RSS afterwards {rss:.0f} MB"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["boto3-put", "latency", "sqs-cycles", "ready", "native", "all"])
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "eventrouter"))
    parser.add_argument("--bench", default=os.path.join(ROOT, ".build", "release", "eventrouter-bench"))
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=1000)
    parser.add_argument("--connections", type=int, default=4)
    args = parser.parse_args()
    chosen = ["boto3-put", "latency", "sqs-cycles", "native", "ready"] if args.what == "all" else [args.what]
    print(f"{time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}; load {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}; {args.binary}")
    for what in chosen:
        if what == "ready":
            print(ready(args.binary, 5))
            continue
        process, endpoint = start(args.binary)  # a fresh server each, so queues start empty
        try:
            if what == "boto3-put":
                print(boto3_put(endpoint, args.seconds))
            elif what == "latency":
                print(latency(endpoint, args.rounds))
            elif what == "sqs-cycles":
                print(sqs_cycles(endpoint, args.seconds))
            else:
                print(native(args.bench, process, endpoint, min(args.seconds, 5), args.connections))
        finally:
            stop(process)
        print(f"  (load now {os.getloadavg()[0]:.2f})")


if __name__ == "__main__":
    main()
