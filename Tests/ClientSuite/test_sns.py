"""SNS on `eventrouter run` with real boto3 and the AWS CLI: fan-out with filter policies (attribute
and body scopes), a FIFO topic to a FIFO queue in order, a topic → function subscription, an HTTP
subscription with SNS's confirmation handshake, and every operation at least once."""
import http.server
import json
import threading
import unittest
import urllib.request

from botocore.exceptions import ClientError

from harness import DEFAULT_ACCOUNT, REGION, Server

ACCOUNT = DEFAULT_ACCOUNT


def topic_arn(name):
    return f"arn:aws:sns:{REGION}:{ACCOUNT}:{name}"


def queue_arn(name):
    return f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}"


class Endpoint:
    """A tiny local HTTP server recording every POST (headers and JSON body) for an http subscription."""

    def __init__(self):
        self.posts = []
        self.arrived = threading.Condition()
        endpoint = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
                with endpoint.arrived:
                    endpoint.posts.append(({k.lower(): v for k, v in self.headers.items()}, body))
                    endpoint.arrived.notify_all()
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sns"

    def wait_for(self, message_type, count=1, timeout=20):
        """The POSTs of `message_type` once `count` have arrived (a guard: returns as soon as they do)."""
        def found():
            return [p for p in self.posts if p[0].get("x-amz-sns-message-type") == message_type]
        with self.arrived:
            self.arrived.wait_for(lambda: len(found()) >= count, timeout=timeout)
            return found()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class SNSTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server("sns").start()
        cls.sns = cls.server.client("sns")
        cls.sqs = cls.server.client("sqs")

    @classmethod
    def tearDownClass(cls):
        status = cls.server.stop()
        assert status == 0, f"eventrouter run exited {status}"

    def queue(self, name, **attributes):
        return self.sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]

    def drain(self, url, expected, attribute_names=False):
        """Receives until `expected` messages arrived (deliveries are made before Publish answers)."""
        messages = []
        for _ in range(expected + 5):
            kwargs = {"MessageAttributeNames": ["All"]} if attribute_names else {}
            got = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, **kwargs).get("Messages", [])
            for m in got:
                self.sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
            messages += got
            if len(messages) >= expected:
                break
        return messages

    def test_cli_tour_create_subscribe_publish_receive(self):
        self.server.aws("sqs", "create-queue", "--queue-name", "order-inbox")
        _, created, _ = self.server.aws("sns", "create-topic", "--name", "orders")
        self.assertEqual(created["TopicArn"], topic_arn("orders"))
        _, subscribed, _ = self.server.aws("sns", "subscribe", "--topic-arn", topic_arn("orders"), "--protocol", "sqs",
                                           "--notification-endpoint", queue_arn("order-inbox"))
        self.assertTrue(subscribed["SubscriptionArn"].startswith(topic_arn("orders") + ":"))
        _, published, _ = self.server.aws("sns", "publish", "--topic-arn", topic_arn("orders"), "--message", "hello from the CLI")
        self.assertIn("MessageId", published)
        _, received, _ = self.server.aws("sqs", "receive-message", "--queue-url", f"{self.server.endpoint}/{ACCOUNT}/order-inbox")
        envelope = json.loads(received["Messages"][0]["Body"])
        self.assertEqual(envelope["Type"], "Notification")
        self.assertEqual(envelope["Message"], "hello from the CLI")
        self.assertEqual(envelope["MessageId"], published["MessageId"])
        self.assertEqual(envelope["TopicArn"], topic_arn("orders"))
        for key in ("Timestamp", "SignatureVersion", "Signature", "SigningCertURL", "UnsubscribeURL"):
            self.assertIn(key, envelope)

    def test_fan_out_to_two_queues_with_attribute_and_body_filter_policies(self):
        arn = self.sns.create_topic(Name="fan-out")["TopicArn"]
        orders, big = self.queue("fan-orders"), self.queue("fan-big")
        self.sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=queue_arn("fan-orders"),
                           Attributes={"FilterPolicy": json.dumps({"kind": ["order"]})})
        self.sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=queue_arn("fan-big"),
                           Attributes={"FilterPolicy": json.dumps({"total": [{"numeric": [">", 100]}]}),
                                       "FilterPolicyScope": "MessageBody", "RawMessageDelivery": "true"})
        def publish(kind, total):
            self.sns.publish(TopicArn=arn, Message=json.dumps({"total": total}), Subject="fan",
                             MessageAttributes={"kind": {"DataType": "String", "StringValue": kind},
                                                "n": {"DataType": "Number", "StringValue": str(total)},
                                                "b": {"DataType": "Binary", "BinaryValue": b"\x00\x01"}})
        publish("order", 5)      # orders only
        publish("refund", 500)   # big only
        publish("order", 200)    # both
        got_orders = self.drain(orders, 2)
        self.assertEqual(sorted(json.loads(json.loads(m["Body"])["Message"])["total"] for m in got_orders), [5, 200])
        envelope = json.loads(got_orders[0]["Body"])
        self.assertEqual(envelope["Subject"], "fan")
        self.assertEqual(envelope["MessageAttributes"]["kind"], {"Type": "String", "Value": "order"})
        self.assertEqual(envelope["MessageAttributes"]["b"], {"Type": "Binary", "Value": "AAE="})
        got_big = self.drain(big, 2, attribute_names=True)
        self.assertEqual(sorted(json.loads(m["Body"])["total"] for m in got_big), [200, 500])
        self.assertEqual(got_big[0]["MessageAttributes"]["kind"]["DataType"], "String")
        self.assertEqual(self.drain(orders, 0) + self.drain(big, 0), [])

    def test_fifo_topic_delivers_to_a_fifo_queue_in_order_once(self):
        arn = self.sns.create_topic(Name="ledger.fifo", Attributes={"FifoTopic": "true", "ContentBasedDeduplication": "true"})["TopicArn"]
        url = self.queue("ledger.fifo", FifoQueue="true")
        self.sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=queue_arn("ledger.fifo"), Attributes={"RawMessageDelivery": "true"})
        sequence = []
        for i in range(12):
            result = self.sns.publish(TopicArn=arn, Message=f"entry {i}", MessageGroupId="account-1")
            sequence.append(int(result["SequenceNumber"]))
        self.assertEqual(sequence, sorted(sequence))
        again = self.sns.publish(TopicArn=arn, Message="entry 3", MessageGroupId="account-1")
        batch = self.sns.publish_batch(TopicArn=arn, PublishBatchRequestEntries=[
            {"Id": "a", "Message": "entry 12", "MessageGroupId": "account-1"},
            {"Id": "b", "Message": "entry 13", "MessageGroupId": "account-1", "MessageDeduplicationId": "d13"}])
        self.assertEqual([s["Id"] for s in batch["Successful"]], ["a", "b"])
        self.assertTrue(all("SequenceNumber" in s for s in batch["Successful"]))
        bodies = [m["Body"] for m in self.drain(url, 14)]
        self.assertEqual(bodies, [f"entry {i}" for i in range(14)])
        self.assertIn("MessageId", again)
        with self.assertRaises(self.sns.exceptions.InvalidParameterException) as caught:
            self.sns.publish(TopicArn=arn, Message="no group")
        self.assertIn("MessageGroupId parameter is required", str(caught.exception))

    def test_a_lambda_subscription_invokes_the_function_through_the_engine(self):
        arn = self.sns.create_topic(Name="to-function")["TopicArn"]
        function = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:sns-echo"
        self.sns.subscribe(TopicArn=arn, Protocol="lambda", Endpoint=function)
        message_id = self.sns.publish(TopicArn=arn, Message="for the function", Subject="hi")["MessageId"]
        url = self.sqs.get_queue_url(QueueName="lambda-results")["QueueUrl"]
        records = []
        for _ in range(20):  # the function runs asynchronously; each receive long-polls up to 1 s
            records += self.sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1).get("Messages", [])
            if records:
                break
        self.assertTrue(records, "the function's OnSuccess destination got no invocation record")
        event = json.loads(records[0]["Body"])["responsePayload"]
        sns = event["Records"][0]["Sns"]
        self.assertEqual(event["Records"][0]["EventSource"], "aws:sns")
        self.assertEqual((sns["Message"], sns["MessageId"], sns["Subject"], sns["TopicArn"]), ("for the function", message_id, "hi", arn))
        self.assertIn("SigningCertUrl", sns)

    def test_an_undeliverable_message_goes_to_the_subscriptions_dead_letter_queue(self):
        arn = self.sns.create_topic(Name="to-nowhere")["TopicArn"]
        dlq = self.queue("to-nowhere-dlq")
        missing = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:no-such-function"
        self.sns.subscribe(TopicArn=arn, Protocol="lambda", Endpoint=missing,
                           Attributes={"RedrivePolicy": json.dumps({"deadLetterTargetArn": queue_arn("to-nowhere-dlq")})})
        self.sns.publish(TopicArn=arn, Message="lost?")
        [message] = self.drain(dlq, 1, attribute_names=True)
        self.assertEqual(json.loads(message["Body"])["Records"][0]["Sns"]["Message"], "lost?")
        self.assertEqual(message["MessageAttributes"]["ErrorCode"]["StringValue"], "ResourceNotFoundException")
        self.assertIn("RequestID", message["MessageAttributes"])

    def test_http_subscription_confirms_by_handshake_then_receives_notifications(self):
        endpoint = Endpoint()
        self.addCleanup(endpoint.close)
        arn = self.sns.create_topic(Name="to-http")["TopicArn"]
        answer = self.sns.subscribe(TopicArn=arn, Protocol="http", Endpoint=endpoint.url)
        self.assertEqual(answer["SubscriptionArn"], "pending confirmation")
        confirmation = endpoint.wait_for("SubscriptionConfirmation")
        self.assertTrue(confirmation, f"no SubscriptionConfirmation was posted within 20 s (posts: {endpoint.posts})")
        headers, body = confirmation[0]
        message = json.loads(body)
        self.assertEqual((message["Type"], message["TopicArn"], headers["x-amz-sns-topic-arn"]), ("SubscriptionConfirmation", arn, arn))
        listed = self.sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]
        self.assertEqual([s["SubscriptionArn"] for s in listed], ["PendingConfirmation"])
        self.sns.publish(TopicArn=arn, Message="before confirmation")    # not delivered: still pending
        # Fetching SubscribeURL confirms, as with SNS; ConfirmSubscription with the token answers the ARN too.
        with urllib.request.urlopen(message["SubscribeURL"], timeout=10) as response:
            self.assertIn(b"ConfirmSubscriptionResult", response.read())
        confirmed = self.sns.confirm_subscription(TopicArn=arn, Token=message["Token"])["SubscriptionArn"]
        attributes = self.sns.get_subscription_attributes(SubscriptionArn=confirmed)["Attributes"]
        self.assertEqual((attributes["PendingConfirmation"], attributes["Protocol"]), ("false", "http"))
        self.sns.publish(TopicArn=arn, Message="after confirmation", MessageAttributes={"k": {"DataType": "String", "StringValue": "v"}})
        notifications = endpoint.wait_for("Notification")
        self.assertEqual(len(notifications), 1)
        headers, body = notifications[0]
        notification = json.loads(body)
        self.assertEqual((notification["Type"], notification["Message"]), ("Notification", "after confirmation"))
        self.assertEqual(headers["x-amz-sns-subscription-arn"], confirmed)
        self.assertEqual(notification["MessageAttributes"]["k"]["Value"], "v")

    def test_every_operation_and_its_errors(self):
        sns = self.sns
        arn = sns.create_topic(Name="ops", Attributes={"DisplayName": "Ops"}, Tags=[{"Key": "team", "Value": "a"}])["TopicArn"]
        self.assertEqual(sns.create_topic(Name="ops", Attributes={"DisplayName": "Ops"})["TopicArn"], arn)   # idempotent
        with self.assertRaises(sns.exceptions.InvalidParameterException) as caught:
            sns.create_topic(Name="ops", Attributes={"DisplayName": "Other"})
        self.assertIn("already exists with different attributes", str(caught.exception))
        sns.set_topic_attributes(TopicArn=arn, AttributeName="DisplayName", AttributeValue="Operations")
        attributes = sns.get_topic_attributes(TopicArn=arn)["Attributes"]
        self.assertEqual((attributes["DisplayName"], attributes["TopicArn"], attributes["Owner"]), ("Operations", arn, ACCOUNT))
        # Paging: more topics than a page holds.
        for i in range(101):
            sns.create_topic(Name=f"page-{i:03d}")
        first = sns.list_topics()
        self.assertEqual(len(first["Topics"]), 100)
        second = sns.list_topics(NextToken=first["NextToken"])
        self.assertNotIn("NextToken", second)
        everything = [t["TopicArn"] for t in first["Topics"] + second["Topics"]]
        self.assertIn(arn, everything)
        self.assertEqual(len(everything), len(set(everything)))
        _, listed, _ = self.server.aws("sns", "list-topics")   # the CLI follows NextToken itself
        self.assertEqual(len(listed["Topics"]), len(everything))
        # Subscriptions.
        self.queue("ops-inbox")
        sub = sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=queue_arn("ops-inbox"), ReturnSubscriptionArn=True)["SubscriptionArn"]
        self.assertEqual(sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=queue_arn("ops-inbox"))["SubscriptionArn"], sub)
        sns.set_subscription_attributes(SubscriptionArn=sub, AttributeName="FilterPolicy", AttributeValue='{"kind": ["x"]}')
        sns.set_subscription_attributes(SubscriptionArn=sub, AttributeName="RawMessageDelivery", AttributeValue="true")
        attributes = sns.get_subscription_attributes(SubscriptionArn=sub)["Attributes"]
        self.assertEqual(json.loads(attributes["FilterPolicy"]), {"kind": ["x"]})
        self.assertEqual(attributes["RawMessageDelivery"], "true")
        self.assertIn(sub, [s["SubscriptionArn"] for s in sns.list_subscriptions()["Subscriptions"]])
        self.assertEqual([s["Endpoint"] for s in sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]], [queue_arn("ops-inbox")])
        with self.assertRaises(sns.exceptions.InvalidParameterException) as caught:
            sns.set_subscription_attributes(SubscriptionArn=sub, AttributeName="FilterPolicy", AttributeValue='{"kind": "x"}')
        self.assertIn("FilterPolicy", str(caught.exception))
        # Batches: per-entry results.
        result = sns.publish_batch(TopicArn=arn, PublishBatchRequestEntries=[
            {"Id": "ok", "Message": "m", "MessageAttributes": {"kind": {"DataType": "String", "StringValue": "x"}}},
            {"Id": "bad", "Message": "m", "MessageAttributes": {"n": {"DataType": "Number", "StringValue": "many"}}}])
        self.assertEqual([s["Id"] for s in result["Successful"]], ["ok"])
        self.assertEqual((result["Failed"][0]["Id"], result["Failed"][0]["SenderFault"]), ("bad", True))
        self.assertIn("Number", result["Failed"][0]["Message"])
        for entries, error in (([], sns.exceptions.EmptyBatchRequestException),
                               ([{"Id": f"e{i}", "Message": "m"} for i in range(11)], sns.exceptions.TooManyEntriesInBatchRequestException),
                               ([{"Id": "same", "Message": "m"}] * 2, sns.exceptions.BatchEntryIdsNotDistinctException)):
            with self.assertRaises(error):
                sns.publish_batch(TopicArn=arn, PublishBatchRequestEntries=entries)
        # Tags.
        sns.tag_resource(ResourceArn=arn, Tags=[{"Key": "env", "Value": "dev"}])
        sns.untag_resource(ResourceArn=arn, TagKeys=["team"])
        self.assertEqual(sns.list_tags_for_resource(ResourceArn=arn)["Tags"], [{"Key": "env", "Value": "dev"}])
        # Errors of unknown resources.
        with self.assertRaises(sns.exceptions.NotFoundException):
            sns.publish(TopicArn=topic_arn("missing"), Message="m")
        with self.assertRaises(sns.exceptions.InvalidParameterException):
            sns.get_topic_attributes(TopicArn="not-an-arn")
        # Teardown through the API.
        sns.unsubscribe(SubscriptionArn=sub)
        self.assertEqual(sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"], [])
        sns.delete_topic(TopicArn=arn)
        with self.assertRaises(ClientError) as caught:
            sns.get_topic_attributes(TopicArn=arn)
        self.assertEqual(caught.exception.response["Error"]["Code"], "NotFound")

    def test_a_topic_declared_in_a_rule_file_is_served_too(self):
        arn = topic_arn("declared")
        self.assertIn(arn, [t["TopicArn"] for t in self.sns.list_topics()["Topics"]])
        self.sns.publish(TopicArn=arn, Message="raw body")
        url = self.sqs.get_queue_url(QueueName="declared-inbox")["QueueUrl"]
        self.assertEqual([m["Body"] for m in self.drain(url, 1)], ["raw body"])


if __name__ == "__main__":
    unittest.main()
