#!/usr/bin/env python3
"""Rolling average worker: one JSON line in ({"payload", "context"}), one JSON line out
({"requestId", "result"} or {"requestId", "error"}).

The payload is an EventBridge event whose detail has a numeric "total" (or a bare
{"value": N}); the reply is the average of the last WINDOW values.
"""
import json
import os
import sys
from collections import deque

window = deque(maxlen=int(os.environ.get("WINDOW", "5")))

for line in sys.stdin:
    request_id = None
    try:
        request = json.loads(line)
        request_id = request.get("context", {}).get("requestId")
        payload = request.get("payload") or {}
        detail = payload.get("detail") if isinstance(payload.get("detail"), dict) else payload
        value = detail.get("total", detail.get("value"))
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            reply = {"error": {"type": "ValueError", "message": "expected a numeric detail.total or value, got %r" % (value,)}}
        else:
            window.append(value)
            reply = {"result": {"average": sum(window) / len(window), "count": len(window), "window": list(window),
                                "requestId": request.get("context", {}).get("requestId")}}
    except Exception as error:  # a bad line must not kill the worker
        reply = {"error": {"type": type(error).__name__, "message": str(error)}}
    reply["requestId"] = request_id  # ties the reply to its request
    sys.stdout.write(json.dumps(reply) + "\n")
    sys.stdout.flush()
