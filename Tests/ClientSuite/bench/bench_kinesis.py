#!/usr/bin/env python3
"""Issue 13's Kinesis wire benchmarks with real boto3 against a running (release) `eventrouter run`.

Run with the client suite's venv (created by run_suite.py), e.g.
  swift build -c release --product eventrouter
  .build/client-venv/bin/python Tests/ClientSuite/bench/bench_kinesis.py --binary .build/release/eventrouter all

Subcommands (each starts its own server on Tests/ClientSuite/bench/workspace unless --endpoint is given;
streams are created over the wire with enough shards that Kinesis's per-shard limits are never the bottleneck):
  put     one boto3 thread, PutRecords of 500 records (100-byte data, distinct partition keys) into 100 shards:
          records accepted per second (throttled records are counted apart, not in the rate)
  drain   one boto3 thread, GetRecords (Limit 10000) draining 100,000 records from 20 shards: records/s
          (botocore's per-record response parsing bounds this; the server's CPU share is printed)
  drain-raw  the same drain with a plain keep-alive HTTP client (http.client + json, no botocore
          parsing): what the server serves when the client is not the bottleneck
  ceiling   botocore's own ceiling for the drain: the time it takes to parse one shard's
          GetRecords reply (~1,000 records, fetched once over plain HTTP), with no server involved
  all     all four
"""
import argparse
import os
import time

from bench_wire import start, stop

HERE = os.path.dirname(os.path.abspath(__file__))
PAYLOAD = b"x" * 100


def cpu_seconds(pid):
    """User + system CPU seconds of process `pid` so far (Linux /proc), or None without it."""
    if pid is None:
        return None
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def client(endpoint):
    import boto3
    from botocore.config import Config
    return boto3.client("kinesis", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test",
                        aws_secret_access_key="test", config=Config(retries={"total_max_attempts": 1}, max_pool_connections=2))


def batches(count, prefix):
    return [[{"Data": PAYLOAD, "PartitionKey": f"{prefix}-{b}-{i}"} for i in range(500)] for b in range(count)]


def put(endpoint, seconds, pid=None):
    kinesis = client(endpoint)
    kinesis.create_stream(StreamName="bench-put", ShardCount=100)
    prepared = batches(50, "k")
    kinesis.put_records(StreamName="bench-put", Records=prepared[0])  # warm up the connection and the client
    count, failed, started, n, cpu = 0, 0, time.perf_counter(), 0, cpu_seconds(pid)
    while time.perf_counter() - started < seconds:
        reply = kinesis.put_records(StreamName="bench-put", Records=prepared[n % len(prepared)])
        failed += reply["FailedRecordCount"]
        count += 500 - reply["FailedRecordCount"]
        n += 1
    elapsed = time.perf_counter() - started
    return (f"boto3 PutRecords x500 (100 B), 100 shards, 1 thread: {count / elapsed:,.0f} records/s "
            f"({count} records in {elapsed:.1f} s, {failed} throttled{server_cpu(pid, cpu, elapsed)})")


def server_cpu(pid, before, elapsed):
    if pid is None:
        return ""
    used = cpu_seconds(pid) - before
    return f"; server CPU {used:.2f} s = {100 * used / elapsed:.0f}% of one core"


def fill(kinesis, name, total, shards):
    """A stream `name` of `shards` shards holding `total` records; returns a TRIM_HORIZON iterator per shard."""
    kinesis.create_stream(StreamName=name, ShardCount=shards)
    for batch in batches(total // 500, "d"):
        while True:  # stay under 1,000 records/s per shard while filling
            reply = kinesis.put_records(StreamName=name, Records=batch)
            if reply["FailedRecordCount"] == 0:
                break
            batch = [r for r, out in zip(batch, reply["Records"]) if "ErrorCode" in out]
            time.sleep(0.2)
    ids = [s["ShardId"] for s in kinesis.list_shards(StreamName=name)["Shards"]]
    return [kinesis.get_shard_iterator(StreamName=name, ShardId=i, ShardIteratorType="TRIM_HORIZON")["ShardIterator"] for i in ids]


def drain(endpoint, total=100_000, shards=20, pid=None):
    kinesis = client(endpoint)
    iterators = fill(kinesis, "bench-drain", total, shards)
    count, calls, elapsed, used = drain_shards(iterators, lambda it: kinesis.get_records(ShardIterator=it, Limit=10_000), pid)
    assert count == total, (count, total)
    return f"boto3 GetRecords drain (Limit 10000), 1 thread: {count / elapsed:,.0f} records/s ({count} records, {calls} calls, {elapsed:.2f} s{used})"


def drain_shards(iterators, get_records, pid):
    """Reads every shard to its end with `get_records(iterator)`; returns (records, calls, seconds, server CPU note)."""
    count, calls, started, cpu = 0, 0, time.perf_counter(), cpu_seconds(pid)
    for iterator in iterators:
        while iterator:
            reply = get_records(iterator)
            calls += 1
            got = len(reply["Records"])
            count += got
            iterator = reply.get("NextShardIterator") if got else None
    elapsed = time.perf_counter() - started
    return count, calls, elapsed, server_cpu(pid, cpu, elapsed)


def drain_raw(endpoint, total=100_000, shards=20, pid=None):
    import http.client
    import json
    from urllib.parse import urlparse
    iterators = fill(client(endpoint), "bench-drain-raw", total, shards)
    url = urlparse(endpoint)
    connection = http.client.HTTPConnection(url.hostname, url.port)
    headers = {"X-Amz-Target": "Kinesis_20131202.GetRecords", "Content-Type": "application/x-amz-json-1.1"}

    def get_records(iterator):
        connection.request("POST", "/", body=json.dumps({"ShardIterator": iterator, "Limit": 10_000}), headers=headers)
        response = connection.getresponse()
        reply = json.loads(response.read())
        assert response.status == 200, reply
        return reply

    count, calls, elapsed, used = drain_shards(iterators, get_records, pid)
    assert count == total, (count, total)
    return (f"plain HTTP GetRecords drain (Limit 10000), 1 thread: {count / elapsed:,.0f} records/s "
            f"({count} records, {calls} calls, {elapsed:.2f} s{used})")


def ceiling(endpoint, rounds=10):
    import http.client
    import json
    from urllib.parse import urlparse
    import botocore.parsers
    kinesis = client(endpoint)
    iterator = fill(kinesis, "bench-ceiling", 5_000, 5)[0]
    url = urlparse(endpoint)
    connection = http.client.HTTPConnection(url.hostname, url.port)
    connection.request("POST", "/", body=json.dumps({"ShardIterator": iterator}),
                       headers={"X-Amz-Target": "Kinesis_20131202.GetRecords", "Content-Type": "application/x-amz-json-1.1"})
    response = connection.getresponse()
    body = response.read()
    shape = kinesis.meta.service_model.operation_model("GetRecords").output_shape
    parser = botocore.parsers.create_parser("json")
    reply = {"body": body, "headers": {"content-type": "application/x-amz-json-1.1"}, "status_code": 200}
    count = len(parser.parse(reply, shape)["Records"])
    started = time.perf_counter()
    for _ in range(rounds):
        parser.parse(reply, shape)
    elapsed = time.perf_counter() - started
    return (f"botocore parsing a {count}-record GetRecords reply, no server: {count * rounds / elapsed:,.0f} records/s "
            f"(the ceiling of any boto3 drain on this machine)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["put", "drain", "drain-raw", "ceiling", "all"])
    parser.add_argument("--binary", default=os.path.join(HERE, "..", "..", "..", ".build", "release", "eventrouter"))
    parser.add_argument("--endpoint")
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    process, endpoint = (None, args.endpoint) if args.endpoint else start(args.binary)
    try:
        if args.command in ("put", "all"):
            print(put(endpoint, args.seconds, pid=process and process.pid), flush=True)
        if args.command in ("drain", "all"):
            print(drain(endpoint, pid=process and process.pid), flush=True)
        if args.command in ("drain-raw", "all"):
            print(drain_raw(endpoint, pid=process and process.pid), flush=True)
        if args.command in ("ceiling", "all"):
            print(ceiling(endpoint), flush=True)
    finally:
        if process:
            stop(process)


if __name__ == "__main__":
    main()
