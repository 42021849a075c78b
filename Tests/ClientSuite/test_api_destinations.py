"""API destinations through boto3: connections and API destinations created, described, listed,
updated and deleted; a rule with HttpParameters delivering to a local recording HTTP server; a
404 answer dead-lettered with its error code; modeled exceptions with their messages."""
import http.server
import json
import threading
import unittest

from harness import DEFAULT_ACCOUNT, REGION, Server


class Receiver:
    """A local HTTP server on a free port that records each request and answers `status`."""

    def __init__(self, status=200):
        received = self.received = []
        arrived = self.arrived = threading.Condition()
        self.status = status
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length).decode()
                self.send_response(owner.status)
                self.send_header("Content-Length", "0")
                self.end_headers()
                with arrived:
                    received.append((self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                    arrived.notify_all()

            def log_message(self, *args):
                pass

        self.server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait(self, count, timeout=20):
        """Waits on the condition (woken by each request) until `count` requests arrived."""
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.received) >= count, timeout=timeout)
            return list(self.received)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class ApiDestinationTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server("basic").start()
        cls.events = cls.server.client("events")
        cls.sqs = cls.server.client("sqs")
        cls.receiver = Receiver()

    @classmethod
    def tearDownClass(cls):
        cls.receiver.close()
        status = cls.server.stop()
        assert status == 0, f"eventrouter run exited {status}"

    def connection(self, name):
        return self.events.create_connection(
            Name=name, AuthorizationType="API_KEY",
            AuthParameters={"ApiKeyAuthParameters": {"ApiKeyName": "x-api-key", "ApiKeyValue": "s3cret"},
                            "InvocationHttpParameters": {"QueryStringParameters": [{"Key": "v", "Value": "2", "IsValueSecret": False}]}})

    def test_connection_and_destination_round_trip(self):
        created = self.connection("rt-conn")
        self.assertEqual(created["ConnectionState"], "AUTHORIZED")
        arn = created["ConnectionArn"]
        self.assertTrue(arn.startswith(f"arn:aws:events:{REGION}:{DEFAULT_ACCOUNT}:connection/rt-conn/"), arn)
        described = self.events.describe_connection(Name="rt-conn")
        self.assertEqual(described["AuthorizationType"], "API_KEY")
        self.assertEqual(described["AuthParameters"]["ApiKeyAuthParameters"], {"ApiKeyName": "x-api-key"})  # no secret
        self.assertIn("rt-conn", [c["Name"] for c in self.events.list_connections(NamePrefix="rt-")["Connections"]])
        self.events.update_connection(Name="rt-conn", Description="updated")
        self.assertEqual(self.events.describe_connection(Name="rt-conn")["Description"], "updated")

        dest = self.events.create_api_destination(Name="rt-dest", ConnectionArn=arn, InvocationEndpoint="https://example.com/in/*",
                                                  HttpMethod="POST", InvocationRateLimitPerSecond=5)
        self.assertEqual(dest["ApiDestinationState"], "ACTIVE")
        d = self.events.describe_api_destination(Name="rt-dest")
        self.assertEqual((d["ConnectionArn"], d["InvocationEndpoint"], d["HttpMethod"], d["InvocationRateLimitPerSecond"]),
                         (arn, "https://example.com/in/*", "POST", 5))
        self.events.update_api_destination(Name="rt-dest", HttpMethod="PUT")
        self.assertEqual(self.events.describe_api_destination(Name="rt-dest")["HttpMethod"], "PUT")
        listed = self.events.list_api_destinations(ConnectionArn=arn)["ApiDestinations"]
        self.assertEqual([x["Name"] for x in listed], ["rt-dest"])

        with self.assertRaises(self.events.exceptions.ResourceAlreadyExistsException):
            self.connection("rt-conn")
        self.events.delete_api_destination(Name="rt-dest")
        self.assertEqual(self.events.delete_connection(Name="rt-conn")["ConnectionState"], "DELETING")
        with self.assertRaises(self.events.exceptions.ResourceNotFoundException) as caught:
            self.events.describe_connection(Name="rt-conn")
        self.assertEqual(caught.exception.response["Error"]["Message"],
                         "Failed to describe the connection(s). Connection 'rt-conn' does not exist.")

    def test_invalid_input_is_a_validation_exception_saying_what_to_change(self):
        with self.assertRaises(self.events.exceptions.ClientError) as caught:
            self.events.create_connection(Name="bad", AuthorizationType="BASIC",
                                          AuthParameters={"ApiKeyAuthParameters": {"ApiKeyName": "k", "ApiKeyValue": "v"}})
        error = caught.exception.response["Error"]
        self.assertEqual(error["Code"], "ValidationException")
        self.assertIn("AuthParameters.ApiKeyAuthParameters: ApiKeyAuthParameters does not apply to AuthorizationType BASIC; give BasicAuthParameters instead", error["Message"])
        conn = self.connection("val-conn")["ConnectionArn"]
        with self.assertRaises(self.events.exceptions.ClientError) as caught:
            self.events.create_api_destination(Name="bad", ConnectionArn=conn, InvocationEndpoint="ftp://x/in", HttpMethod="POST")
        self.assertEqual(caught.exception.response["Error"]["Message"],
                         "InvocationEndpoint: 'ftp://x/in' is not an http:// or https:// URL; write e.g. https://api.example.com/hooks/* or http://127.0.0.1:8089/hooks/*")

    def test_a_rule_delivers_to_the_endpoint_with_parameters_and_a_404_is_dead_lettered(self):
        conn = self.connection("hook-conn")["ConnectionArn"]
        dest = self.events.create_api_destination(Name="hook", ConnectionArn=conn, InvocationEndpoint=self.receiver.base + "/hooks/*",
                                                  HttpMethod="POST")["ApiDestinationArn"]
        self.events.put_rule(Name="to-hook", EventBusName="shop", EventPattern=json.dumps({"source": ["hooks"]}))
        reply = self.events.put_targets(Rule="to-hook", EventBusName="shop", Targets=[{
            "Id": "hook", "Arn": dest, "InputPath": "$.detail",
            "HttpParameters": {"PathParameterValues": ["orders"], "HeaderParameters": {"X-Kind": "order"}},
            "RetryPolicy": {"MaximumRetryAttempts": 0},
            "DeadLetterConfig": {"Arn": f"arn:aws:sqs:{REGION}:{DEFAULT_ACCOUNT}:delivery-dlq"}}])
        self.assertEqual(reply["FailedEntryCount"], 0)
        targets = self.events.list_targets_by_rule(Rule="to-hook", EventBusName="shop")["Targets"]
        self.assertEqual(targets[0]["HttpParameters"]["PathParameterValues"], ["orders"])

        self.events.put_events(Entries=[{"Source": "hooks", "DetailType": "D", "Detail": json.dumps({"n": 1}), "EventBusName": "shop"}])
        method, path, headers, body = self.receiver.wait(1)[0]
        self.assertEqual((method, path), ("POST", "/hooks/orders?v=2"))
        self.assertEqual(headers["x-api-key"], "s3cret")
        self.assertEqual(headers["x-kind"], "order")
        self.assertEqual(json.loads(body), {"n": 1})

        self.receiver.status = 404
        self.events.put_events(Entries=[{"Source": "hooks", "DetailType": "D", "Detail": json.dumps({"n": 2}), "EventBusName": "shop"}])
        url = self.sqs.get_queue_url(QueueName="delivery-dlq")["QueueUrl"]
        messages = self.sqs.receive_message(QueueUrl=url, WaitTimeSeconds=10, MessageAttributeNames=["All"]).get("Messages", [])
        self.assertEqual(len(messages), 1)
        attributes = messages[0]["MessageAttributes"]
        self.assertEqual(attributes["ERROR_CODE"]["StringValue"], "SDK_CLIENT_ERROR")
        self.assertEqual(attributes["ERROR_MESSAGE"]["StringValue"],
                         f"Unable to invoke ApiDestination endpoint: the endpoint answered HTTP 404 to POST {self.receiver.base}/hooks/orders?v=2")
        self.assertEqual(json.loads(messages[0]["Body"])["detail"], {"n": 2})


if __name__ == "__main__":
    unittest.main()
