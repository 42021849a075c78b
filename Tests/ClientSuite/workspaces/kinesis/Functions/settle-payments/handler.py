#!/usr/bin/env python3
"""Per-invocation handler for a Kinesis event: every record whose data is b"bad" is a batch item
failure (reported by sequence number); the others are settled. Logs what it saw to stderr."""
import base64
import json
import sys

event = json.load(sys.stdin)
failures = []
for record in event.get("Records", []):
    data = base64.b64decode(record["kinesis"]["data"])
    print("record %s %r" % (record["kinesis"]["sequenceNumber"], data), file=sys.stderr)
    if data == b"bad":
        failures.append({"itemIdentifier": record["kinesis"]["sequenceNumber"]})
json.dump({"batchItemFailures": failures}, sys.stdout)
