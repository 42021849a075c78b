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
import signal
import subprocess
import time

HERE = os.path.dirname(os.path.abspath(__file__))
WORKSPACE = os.path.join(os.path.dirname(HERE), "workspaces", "lambda")
ORDER = json.dumps({"detail": {"orderId": "o-1", "items": [{"sku": "a", "price": 2.5, "quantity": 2}, {"sku": "b", "price": 1.25}]}})


def start(binary):
    process = subprocess.Popen([binary, "run", "--port", "0", "--quiet", "--workspace", WORKSPACE],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    if not line.startswith("eventrouter listening on "):
        raise SystemExit(f"eventrouter run did not start: {line!r} {process.stderr.read()}")
    return process, line.split()[-1]


def stop(process):
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=15)


def client(endpoint):
    import boto3
    from botocore.config import Config
    return boto3.client("lambda", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test",
                        aws_secret_access_key="test", config=Config(retries={"total_max_attempts": 1}, max_pool_connections=2))


def invocations(endpoint, function, payload, seconds, invocation_type="RequestResponse"):
    lam = client(endpoint)
    for _ in range(20):  # warm up the connection, the client and the function's worker
        lam.invoke(FunctionName=function, Payload=payload, InvocationType=invocation_type)["Payload"].read()
    count, errors, started = 0, 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        response = lam.invoke(FunctionName=function, Payload=payload, InvocationType=invocation_type)
        # Reading the (possibly empty) payload hands the connection back to the pool: an
        # unread DryRun body would cost a new TCP connection per call.
        response["Payload"].read()
        errors += "FunctionError" in response
        count += 1
    elapsed = time.perf_counter() - started
    return {"function": function, "type": invocation_type, "invocations": count, "seconds": round(elapsed, 2),
            "per_second": round(count / elapsed), "function_errors": errors}


BENCHES = {
    "swift": lambda e, s: invocations(e, "order-total", ORDER, s),
    "worker": lambda e, s: invocations(e, "py-worker", b'{"n": 1}', s),
    "process": lambda e, s: invocations(e, "echo", b'{"n": 1}', s),
    "ceiling": lambda e, s: invocations(e, "order-total", ORDER, s, invocation_type="DryRun"),
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
        process, endpoint = (None, args.endpoint) if args.endpoint else start(args.binary)
        try:
            print(json.dumps({"bench": name, **BENCHES[name](endpoint, args.seconds)}), flush=True)
        finally:
            if process:
                stop(process)


if __name__ == "__main__":
    main()
