#!/usr/bin/env python3
"""Worker protocol: one JSON line in ({"payload", "context"}), one JSON line out ({"requestId", "result"})."""
import json
import sys

for line in sys.stdin:
    request = json.loads(line)
    request_id = request.get("context", {}).get("requestId")
    sys.stdout.write(json.dumps({"requestId": request_id, "result": {"echo": request.get("payload")}}) + "\n")
    sys.stdout.flush()
