#!/usr/bin/env python3
"""Firehose record transformation: {"records": [{"recordId", "data"}]} in, {"records": [{"recordId", "result", "data"}]} out."""
import base64
import json
import sys

event = json.load(sys.stdin)
out = []
for record in event["records"]:
    data = base64.b64decode(record["data"]).decode()
    if data == "drop":
        out.append({"recordId": record["recordId"], "result": "Dropped", "data": record["data"]})
    elif data == "fail":
        out.append({"recordId": record["recordId"], "result": "ProcessingFailed", "data": record["data"]})
    else:
        out.append({"recordId": record["recordId"], "result": "Ok", "data": base64.b64encode((data.upper() + "\n").encode()).decode()})
json.dump({"records": out}, sys.stdout)
