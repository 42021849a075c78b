"""`eventrouter run` itself: the start lines, log lines, admin state and shutdown, SIGTERM; and the
README's tour (create a queue, put an event, receive it) with boto3 and the AWS CLI."""
import json
import os
import signal
import subprocess
import time
import unittest
import urllib.error
import urllib.request

from harness import DEFAULT_ACCOUNT, Server

REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def http(method, url):
    """(status, body text) of a plain HTTP request."""
    request = urllib.request.Request(url, method=method, data=b"" if method == "POST" else None)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


class AdminTests(unittest.TestCase):
    def test_state_is_the_state_json_of_replay(self):
        with Server("auth") as server:
            status, body = http("GET", server.endpoint + "/_eventrouter/state")
            self.assertEqual(status, 200)
            state = json.loads(body)
            for key in ("queues", "streams", "functions", "deliveries", "archives", "topics", "eventSourceMappings"):
                self.assertIn(key, state)
            self.assertIn(f"arn:aws:sqs:us-east-1:{DEFAULT_ACCOUNT}:inbox", state["queues"])

    def test_remote_shutdown_is_refused_unless_allowed(self):
        with Server("auth") as server:
            status, body = http("POST", server.endpoint + "/_eventrouter/shutdown")
            self.assertEqual(status, 403)
            self.assertIn("--allow-remote-shutdown", json.loads(body)["message"])

    def test_remote_shutdown_stops_the_router_with_status_0(self):
        server = Server("auth", ["--allow-remote-shutdown"]).start()
        status, body = http("POST", server.endpoint + "/_eventrouter/shutdown")
        self.assertEqual((status, json.loads(body)), (202, {"status": "stopping"}))
        self.assertEqual(server.process.wait(timeout=10), 0)
        server.process.stderr.close()
        server.process = None


def spawn(*args):
    """`eventrouter run --port 0 ARGS` with stdout read here; returns (process, endpoint)."""
    process = subprocess.Popen([os.environ["EVENTROUTER_BINARY"], "run", "--port", "0", "--in-memory", *args], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    if not line.startswith("eventrouter listening on "):
        process.kill()
        raise AssertionError(f"eventrouter run did not start: {line!r} {process.stderr.read()}")
    return process, line[len("eventrouter listening on "):].strip()


def terminate(process):
    """SIGTERM; returns (exit status, seconds until exit, the rest of stdout)."""
    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    rest = process.stdout.read()
    status = process.wait(timeout=15)
    process.stdout.close()
    process.stderr.close()
    return status, time.monotonic() - started, rest


class CommandTests(unittest.TestCase):
    workspace = os.path.join(os.path.dirname(os.path.abspath(__file__)), "workspaces", "auth")

    def test_start_line_log_lines_and_sigterm(self):
        process, endpoint = spawn("--workspace", self.workspace, "--log-level", "debug")
        started = process.stdout.readline()
        self.assertIn("serving EventBridge, SQS, SNS, Kinesis, Lambda and STS", started)
        self.assertIn("resources created through the API last until this process ends", started)
        self.assertEqual(http("GET", endpoint + "/_eventrouter/health")[0], 200)
        status, seconds, rest = terminate(process)
        self.assertEqual(status, 0)
        self.assertLess(seconds, 10)
        lines = rest.splitlines()
        self.assertIn("debug [request] GET /_eventrouter/health (status=200)", lines)
        self.assertIn("notice [general] SIGTERM: stopping (finishing requests in flight)", lines)
        self.assertEqual(lines[-1], "info [general] eventrouter stopped")

    def test_quiet_prints_only_the_listening_line(self):
        process, endpoint = spawn("--workspace", self.workspace, "--quiet")
        self.assertEqual(http("GET", endpoint + "/_eventrouter/health")[0], 200)
        status, _, rest = terminate(process)
        self.assertEqual((status, rest), (0, ""))


class ReadmeTourTests(unittest.TestCase):
    """The README's tour on the example workspace: its `orders` bus routes OrderPlaced events to
    the queue `order-processing`."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server(REPOSITORY).start()

    @classmethod
    def tearDownClass(cls):
        assert cls.server.stop() == 0

    def test_boto3_creates_a_queue_puts_an_event_and_receives_it(self):
        sqs, events = self.server.client("sqs"), self.server.client("events")
        created = sqs.create_queue(QueueName="tour-boto3")["QueueUrl"]
        self.assertTrue(created.endswith(f"/{DEFAULT_ACCOUNT}/tour-boto3"), created)
        queue = sqs.get_queue_url(QueueName="order-processing")["QueueUrl"]
        reply = events.put_events(Entries=[{"EventBusName": "orders", "Source": "shop.orders", "DetailType": "OrderPlaced",
                                            "Detail": json.dumps({"orderId": "o-boto3", "total": 12})}])
        self.assertEqual(reply["FailedEntryCount"], 0)
        messages = sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=5, MaxNumberOfMessages=10).get("Messages", [])
        self.assertEqual([json.loads(m["Body"])["detail"]["orderId"] for m in messages], ["o-boto3"])

    def test_the_aws_cli_does_the_same(self):
        status, body, _ = self.server.aws("sqs", "create-queue", "--queue-name", "tour-cli")
        self.assertTrue(body["QueueUrl"].endswith("/tour-cli"))
        entries = json.dumps([{"EventBusName": "orders", "Source": "shop.orders", "DetailType": "OrderPlaced",
                               "Detail": json.dumps({"orderId": "o-cli", "total": 7})}])
        _, put, _ = self.server.aws("events", "put-events", "--entries", entries)
        self.assertEqual(put["FailedEntryCount"], 0)
        _, url, _ = self.server.aws("sqs", "get-queue-url", "--queue-name", "order-processing")
        _, received, _ = self.server.aws("sqs", "receive-message", "--queue-url", url["QueueUrl"], "--wait-time-seconds", "5",
                                         "--max-number-of-messages", "10")
        bodies = [json.loads(m["Body"])["detail"]["orderId"] for m in (received or {}).get("Messages", [])]
        self.assertIn("o-cli", bodies)


if __name__ == "__main__":
    unittest.main()
