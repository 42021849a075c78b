#!/usr/bin/env python3
"""Lambda Invoke (RequestResponse) over HTTP from one boto3 thread against a running (release)
`eventrouter run` on Tests/ClientSuite/workspaces/lambda.

Run with the client suite's venv (created by run_suite.py), e.g.
  swift build -c release --product eventrouter
  .build/client-venv/bin/python Tests/ClientSuite/bench/bench_lambda.py --binary .build/release/eventrouter all

Subcommands (each starts its own server unless --endpoint is given):
  swift    invocations/s of the Swift example function order-total (compiled in)
  worker   invocations/s of the Python worker-protocol function py-worker
  process  invocations/s of the per-invocation shell function echo (one process each)
  ceiling  calls/s of DryRun invocations (no handler runs): the client and HTTP path alone
  all      every one of them
"""
import argparse
import json
import os
import time

from bench_wire import start, stop  # the same server start and stop as the wire benchmarks

HERE = os.path.dirname(os.path.abspath(__file__))
WORKSPACE = os.path.join(os.path.dirname(HERE), "workspaces", "lambda")
ORDER = json.dumps({"detail": {"orderId": "o-1", "items": [{"sku": "a", "price": 2.5, "quantity": 2}, {"sku": "b", "price": 1.25}]}})


def client(endpoint):
    import boto3
    from botocore.config import Config
    return boto3.client("lambda", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test",
                        aws_secret_access_key="test", config=Config(retries={"total_max_attempts": 1}, max_pool_connections=2))


def cpu_seconds(pid):
    """User + system CPU seconds of process `pid` so far (Linux /proc), or None."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def invocations(endpoint, function, payload, seconds, invocation_type="RequestResponse", server_pid=None):
    lam = client(endpoint)
    for _ in range(20):  # warm up the connection, the client and the function's worker
        lam.invoke(FunctionName=function, Payload=payload, InvocationType=invocation_type)["Payload"].read()
    server_before, client_before = cpu_seconds(server_pid) if server_pid else None, time.process_time()
    count, errors, started = 0, 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        response = lam.invoke(FunctionName=function, Payload=payload, InvocationType=invocation_type)
        # Reading the (possibly empty) payload hands the connection back to the pool: an
        # unread DryRun body would cost a new TCP connection per call.
        response["Payload"].read()
        errors += "FunctionError" in response
        count += 1
    elapsed = time.perf_counter() - started
    result = {"function": function, "type": invocation_type, "invocations": count, "seconds": round(elapsed, 2),
              "per_second": round(count / elapsed), "function_errors": errors,
              "client_cpu_us_per_call": round((time.process_time() - client_before) / count * 1e6)}
    server_after = cpu_seconds(server_pid) if server_pid else None
    if server_before is not None and server_after is not None:
        # The server's CPU includes its handler processes' pipe I/O, not the processes themselves.
        result["server_cpu_us_per_call"] = round((server_after - server_before) / count * 1e6)
    return result


BENCHES = {
    "swift": lambda e, s, p: invocations(e, "order-total", ORDER, s, server_pid=p),
    "worker": lambda e, s, p: invocations(e, "py-worker", b'{"n": 1}', s, server_pid=p),
    "process": lambda e, s, p: invocations(e, "echo", b'{"n": 1}', s, server_pid=p),
    "ceiling": lambda e, s, p: invocations(e, "order-total", ORDER, s, invocation_type="DryRun", server_pid=p),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("bench", choices=sorted(BENCHES) + ["all"])
    parser.add_argument("--binary", default=".build/release/eventrouter")
    parser.add_argument("--endpoint", help="use a running server instead of starting one")
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    names = ["ceiling", "swift", "worker", "process"] if args.bench == "all" else [args.bench]
    for name in names:
        process, endpoint = (None, args.endpoint) if args.endpoint else start(args.binary, WORKSPACE)
        try:
            print(json.dumps({"bench": name, **BENCHES[name](endpoint, args.seconds, process.pid if process else None)}), flush=True)
        finally:
            if process:
                stop(process)


if __name__ == "__main__":
    main()
