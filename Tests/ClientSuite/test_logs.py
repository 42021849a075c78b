"""CloudWatch Logs on `eventrouter run` with real boto3 and AWS CLI clients: a rule with a log
group target writes each event PutEvents sends, read back with filter_log_events, get_log_events
and `aws logs tail`; the files in the data directory read by `eventrouter logs tail`; the served
operations and their errors."""
import json
import os
import shutil
import subprocess
import tempfile
import time
import unittest

from botocore.exceptions import ClientError

from harness import DEFAULT_ACCOUNT, REGION, Server, temporary_workspace

GROUP = "/aws/events/orders"
RULES = {
    "LogGroups": [{"LogGroupName": GROUP}],
    "Rules": [{"Name": "audit", "EventPattern": {"source": ["shop"]},
               "Targets": [{"Id": "log", "Arn": f"arn:aws:logs:{REGION}:{DEFAULT_ACCOUNT}:log-group:{GROUP}:*"}]}],
}


class LogsTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.workspace = temporary_workspace({"logs.json": RULES})
        cls.data = tempfile.mkdtemp(prefix="eventrouter-logs-data-")
        cls.server = Server(cls.workspace, args=["--data-dir", cls.data]).start()
        cls.logs = cls.server.client("logs")
        cls.events = cls.server.client("events")

    @classmethod
    def tearDownClass(cls):
        status = cls.server.stop()
        shutil.rmtree(cls.workspace, ignore_errors=True)
        shutil.rmtree(cls.data, ignore_errors=True)
        assert status == 0, f"eventrouter run exited {status}"

    def wait_for(self, group, count, **kwargs):
        deadline = time.monotonic() + 10
        while True:
            found = self.logs.filter_log_events(logGroupName=group, **kwargs)["events"]
            if len(found) >= count or time.monotonic() > deadline:
                return found
            time.sleep(0.05)

    def test_a_rule_writes_each_event_to_its_log_group(self):
        entries = [{"Source": "shop", "DetailType": "Order Placed", "Detail": json.dumps({"orderId": f"o-{i}", "total": 10 * i})}
                   for i in range(1, 4)]
        ids = [e["EventId"] for e in self.events.put_events(Entries=entries)["Entries"]]
        found = self.wait_for(GROUP, 3)
        self.assertEqual(sorted(e["logStreamName"] for e in found), sorted(ids))
        self.assertEqual({json.loads(e["message"])["id"] for e in found}, set(ids))
        # A JSON filter pattern, and a plain term.
        big = self.logs.filter_log_events(logGroupName=GROUP, filterPattern="{ $.detail.total >= 20 }")["events"]
        self.assertEqual(sorted(json.loads(e["message"])["detail"]["orderId"] for e in big), ["o-2", "o-3"])
        one = self.logs.filter_log_events(logGroupName=GROUP, filterPattern='"o-1"')["events"]
        self.assertEqual(len(one), 1)
        # Each stream is named after the event's id; GetLogEvents reads it.
        streams = self.logs.describe_log_streams(logGroupName=GROUP)["logStreams"]
        self.assertTrue(set(ids) <= {s["logStreamName"] for s in streams})
        got = self.logs.get_log_events(logGroupName=GROUP, logStreamName=ids[0], startFromHead=True)
        self.assertEqual(len(got["events"]), 1)
        self.assertTrue(got["nextForwardToken"].startswith("f/"))
        # The data directory holds the stream files; `eventrouter logs tail` prints them.
        folder = os.path.join(self.data, "logs", "%2Faws%2Fevents%2Forders")
        self.assertTrue(os.path.exists(os.path.join(folder, ids[0] + ".ndjson")))
        tail = subprocess.run([os.environ["EVENTROUTER_BINARY"], "logs", "tail", GROUP, "--data-dir", self.data],
                              capture_output=True, text=True, timeout=30)
        self.assertEqual(tail.returncode, 0, tail.stderr)
        self.assertTrue(any(ids[1] in line for line in tail.stdout.splitlines()), tail.stdout)
        # The AWS CLI reads it too.
        status, body, err = self.server.aws("logs", "filter-log-events", "--log-group-name", GROUP, "--filter-pattern", "Placed")
        self.assertGreaterEqual(len(body["events"]), 3, err)

    def test_groups_streams_and_events_over_the_wire(self):
        logs = self.logs
        logs.create_log_group(logGroupName="app/one")
        with self.assertRaises(ClientError) as caught:
            logs.create_log_group(logGroupName="app/one")
        self.assertEqual(caught.exception.response["Error"]["Code"], "ResourceAlreadyExistsException")
        names = [g["logGroupName"] for g in logs.describe_log_groups(logGroupNamePrefix="app/")["logGroups"]]
        self.assertEqual(names, ["app/one"])
        logs.create_log_stream(logGroupName="app/one", logStreamName="s")
        now = int(time.time() * 1000)
        logs.put_log_events(logGroupName="app/one", logStreamName="s",
                            logEvents=[{"timestamp": now + i, "message": f"line {i}"} for i in range(5)])
        page = logs.get_log_events(logGroupName="app/one", logStreamName="s", limit=2, startFromHead=True)
        self.assertEqual([e["message"] for e in page["events"]], ["line 0", "line 1"])
        page = logs.get_log_events(logGroupName="app/one", logStreamName="s", limit=2, nextToken=page["nextForwardToken"])
        self.assertEqual([e["message"] for e in page["events"]], ["line 2", "line 3"])
        last = logs.get_log_events(logGroupName="app/one", logStreamName="s", limit=2)
        self.assertEqual([e["message"] for e in last["events"]], ["line 3", "line 4"])
        every = [e["message"] for p in logs.get_paginator("filter_log_events").paginate(logGroupName="app/one", PaginationConfig={"PageSize": 2})
                 for e in p["events"]]
        self.assertEqual(every, [f"line {i}" for i in range(5)])
        with self.assertRaises(ClientError) as caught:
            logs.put_log_events(logGroupName="app/one", logStreamName="s",
                                logEvents=[{"timestamp": now + 10, "message": "b"}, {"timestamp": now, "message": "a"}])
        self.assertEqual(caught.exception.response["Error"]["Code"], "InvalidParameterException")
        self.assertIn("chronological order", caught.exception.response["Error"]["Message"])
        with self.assertRaises(ClientError) as caught:
            logs.get_log_events(logGroupName="app/one", logStreamName="missing")
        self.assertEqual(caught.exception.response["Error"]["Code"], "ResourceNotFoundException")
        with self.assertRaises(ClientError) as caught:
            logs.filter_log_events(logGroupName="app/one", filterPattern="[ip, user]")
        self.assertEqual(caught.exception.response["Error"]["Code"], "InvalidParameterException")
        # Retention: recorded, reported, applied to PutLogEvents and to reads, removable.
        logs.put_retention_policy(logGroupName="app/one", retentionInDays=1)
        described = logs.describe_log_groups(logGroupNamePrefix="app/one")["logGroups"][0]
        self.assertEqual(described["retentionInDays"], 1)
        answer = logs.put_log_events(logGroupName="app/one", logStreamName="s",
                                     logEvents=[{"timestamp": now - 2 * 86_400_000, "message": "expired"},
                                                {"timestamp": now + 20, "message": "kept"}])
        self.assertEqual(answer["rejectedLogEventsInfo"], {"expiredLogEventEndIndex": 0})
        self.assertNotIn("expired", [e["message"] for e in logs.filter_log_events(logGroupName="app/one")["events"]])
        with self.assertRaises(ClientError) as caught:
            logs.put_retention_policy(logGroupName="app/one", retentionInDays=8)
        self.assertEqual(caught.exception.response["Error"]["Code"], "InvalidParameterException")
        self.assertIn("Member must satisfy enum value set", caught.exception.response["Error"]["Message"])
        with self.assertRaises(ClientError) as caught:
            logs.put_retention_policy(logGroupName="app/missing", retentionInDays=7)
        self.assertEqual(caught.exception.response["Error"]["Code"], "ResourceNotFoundException")
        self.server.aws("logs", "delete-retention-policy", "--log-group-name", "app/one")
        self.assertNotIn("retentionInDays", logs.describe_log_groups(logGroupNamePrefix="app/one")["logGroups"][0])
        logs.delete_log_group(logGroupName="app/one")
        with self.assertRaises(ClientError) as caught:
            logs.delete_log_group(logGroupName="app/one")
        self.assertEqual(caught.exception.response["Error"]["Code"], "ResourceNotFoundException")


if __name__ == "__main__":
    unittest.main()
