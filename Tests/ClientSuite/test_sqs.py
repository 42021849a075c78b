"""SQS through real clients: boto3 (JSON 1.0), botocore on the query protocol, and the AWS CLI."""
import hashlib
import json
import struct
import threading
import time
import unittest
import urllib.request

from harness import DEFAULT_ACCOUNT, Server
from sqs_query import query_client

ARN = f"arn:aws:sqs:us-east-1:{DEFAULT_ACCOUNT}:"


def attributes_md5(attributes):
    """MD5OfMessageAttributes as AWS documents it, computed independently of the server."""
    buffer = b""
    for name in sorted(attributes, key=lambda n: n.encode()):
        value = attributes[name]
        encoded = name.encode()
        buffer += struct.pack(">I", len(encoded)) + encoded
        data_type = value["DataType"].encode()
        buffer += struct.pack(">I", len(data_type)) + data_type
        if value["DataType"].startswith("Binary"):
            buffer += b"\x02" + struct.pack(">I", len(value["BinaryValue"])) + value["BinaryValue"]
        else:
            text = value["StringValue"].encode()
            buffer += b"\x01" + struct.pack(">I", len(text)) + text
    return hashlib.md5(buffer).hexdigest()


class SQSTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server("sqs").start()
        cls.sqs = cls.server.client("sqs")

    @classmethod
    def tearDownClass(cls):
        assert cls.server.stop() == 0

    def url(self, name):
        return f"{self.server.endpoint}/{DEFAULT_ACCOUNT}/{name}"

    def test_create_list_get_url_and_attributes(self):
        url = self.sqs.create_queue(QueueName="attrs-a", Attributes={"VisibilityTimeout": "45", "DelaySeconds": "2"})["QueueUrl"]
        self.assertEqual(url, self.url("attrs-a"))
        self.assertEqual(self.sqs.create_queue(QueueName="attrs-a", Attributes={"VisibilityTimeout": "45"})["QueueUrl"], url)
        with self.assertRaises(self.sqs.exceptions.QueueNameExists) as caught:
            self.sqs.create_queue(QueueName="attrs-a", Attributes={"VisibilityTimeout": "46"})
        self.assertEqual(caught.exception.response["Error"]["Code"], "QueueAlreadyExists")
        self.sqs.create_queue(QueueName="attrs-b")
        listed = self.sqs.list_queues(QueueNamePrefix="attrs-")["QueueUrls"]
        self.assertEqual(listed, [url, self.url("attrs-b")])
        pages = list(self.sqs.get_paginator("list_queues").paginate(QueueNamePrefix="attrs-", PaginationConfig={"PageSize": 1}))
        self.assertEqual([p["QueueUrls"] for p in pages], [[url], [self.url("attrs-b")]])
        self.assertEqual(self.sqs.get_queue_url(QueueName="attrs-b")["QueueUrl"], self.url("attrs-b"))
        everything = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        self.assertEqual(everything["QueueArn"], ARN + "attrs-a")
        self.assertEqual(everything["VisibilityTimeout"], "45")
        self.assertEqual(everything["ApproximateNumberOfMessages"], "0")
        self.sqs.set_queue_attributes(QueueUrl=url, Attributes={"ReceiveMessageWaitTimeSeconds": "3", "Policy": json.dumps({"Version": "2012-10-17", "Statement": []})})
        named = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ReceiveMessageWaitTimeSeconds", "DelaySeconds"])["Attributes"]
        self.assertEqual(named, {"ReceiveMessageWaitTimeSeconds": "3", "DelaySeconds": "2"})
        with self.assertRaises(self.sqs.exceptions.ClientError) as caught:
            self.sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "50000"})
        self.assertEqual(caught.exception.response["Error"]["Code"], "InvalidAttributeValue")
        self.assertIn("VisibilityTimeout", caught.exception.response["Error"]["Message"])
        with self.assertRaises(self.sqs.exceptions.ClientError) as caught:
            self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["VisibilityTimeOut"])
        self.assertEqual(caught.exception.response["Error"]["Code"], "InvalidAttributeName")
        self.sqs.delete_queue(QueueUrl=self.url("attrs-b"))
        self.assertEqual(self.sqs.list_queues(QueueNamePrefix="attrs-")["QueueUrls"], [url])

    def test_send_receive_delete_with_non_ascii_text_and_exact_md5s(self):
        url = self.sqs.create_queue(QueueName="texts")["QueueUrl"]
        body = "Grüße, 東京 😀 <&>"
        attributes = {"city.name": {"DataType": "String", "StringValue": "Zürich ☃"}, "n": {"DataType": "Number.float", "StringValue": "3.25"},
                      "raw": {"DataType": "Binary", "BinaryValue": bytes([0, 255, 7])}}
        sent = self.sqs.send_message(QueueUrl=url, MessageBody=body, MessageAttributes=attributes)
        self.assertEqual(sent["MD5OfMessageBody"], hashlib.md5(body.encode()).hexdigest())
        self.assertEqual(sent["MD5OfMessageAttributes"], attributes_md5(attributes))
        got = self.sqs.receive_message(QueueUrl=url, MessageAttributeNames=["All"], MessageSystemAttributeNames=["ApproximateReceiveCount"])["Messages"]
        self.assertEqual(len(got), 1)
        message = got[0]
        self.assertEqual((message["MessageId"], message["Body"]), (sent["MessageId"], body))
        self.assertEqual(message["MessageAttributes"], attributes)
        self.assertEqual(message["MD5OfMessageAttributes"], attributes_md5(attributes))
        self.assertEqual(message["Attributes"], {"ApproximateReceiveCount": "1"})
        only = self.sqs.receive_message(QueueUrl=url, VisibilityTimeout=0)
        self.assertNotIn("Messages", only)
        self.sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0)
        again = self.sqs.receive_message(QueueUrl=url, MessageAttributeNames=["city.*"])["Messages"][0]
        self.assertEqual(list(again["MessageAttributes"]), ["city.name"])
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=again["ReceiptHandle"])
        self.assertEqual(self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]["ApproximateNumberOfMessagesNotVisible"], "0")
        with self.assertRaises(self.sqs.exceptions.ClientError) as caught:
            self.sqs.delete_message(QueueUrl=url, ReceiptHandle="not-a-handle")
        self.assertEqual(caught.exception.response["Error"]["Code"], "ReceiptHandleIsInvalid")

    def test_send_message_batch_reports_failures_per_entry(self):
        url = self.sqs.create_queue(QueueName="batches")["QueueUrl"]
        result = self.sqs.send_message_batch(QueueUrl=url, Entries=[
            {"Id": "ok", "MessageBody": "one"}, {"Id": "late", "MessageBody": "two", "DelaySeconds": 901},
            {"Id": "bad-attr", "MessageBody": "three", "MessageAttributes": {"x": {"DataType": "Number", "StringValue": "NaN?"}}},
            {"Id": "ok2", "MessageBody": "four"}])
        self.assertEqual([e["Id"] for e in result["Successful"]], ["ok", "ok2"])
        self.assertEqual([(e["Id"], e["Code"], e["SenderFault"]) for e in result["Failed"]],
                         [("late", "InvalidParameterValue", True), ("bad-attr", "InvalidParameterValue", True)])
        with self.assertRaises(self.sqs.exceptions.BatchEntryIdsNotDistinct):
            self.sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": "a", "MessageBody": "x"}, {"Id": "a", "MessageBody": "y"}])
        with self.assertRaises(self.sqs.exceptions.TooManyEntriesInBatchRequest):
            self.sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": f"e{i}", "MessageBody": "x"} for i in range(11)])
        received = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
        handles = [{"Id": f"d{i}", "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(received)]
        changed = self.sqs.change_message_visibility_batch(QueueUrl=url, Entries=[{**handles[0], "VisibilityTimeout": 60}, {"Id": "zz", "ReceiptHandle": "x.1", "VisibilityTimeout": 5}])
        self.assertEqual([e["Id"] for e in changed["Successful"]], ["d0"])
        self.assertEqual(changed["Failed"][0]["Code"], "ReceiptHandleIsInvalid")
        deleted = self.sqs.delete_message_batch(QueueUrl=url, Entries=handles)
        self.assertEqual(len(deleted["Successful"]), 2)
        self.assertEqual(deleted["Failed"], [])

    def test_fifo_groups_deduplication_and_order(self):
        url = self.sqs.get_queue_url(QueueName="jobs.fifo")["QueueUrl"]
        first = self.sqs.send_message(QueueUrl=url, MessageBody="a1", MessageGroupId="a")
        duplicate = self.sqs.send_message(QueueUrl=url, MessageBody="a1", MessageGroupId="a")
        self.assertEqual(first["MessageId"], duplicate["MessageId"])
        self.sqs.send_message(QueueUrl=url, MessageBody="a2", MessageGroupId="a", MessageDeduplicationId="d-a2")
        self.sqs.send_message(QueueUrl=url, MessageBody="b1", MessageGroupId="b")
        got = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, MessageSystemAttributeNames=["All"], ReceiveRequestAttemptId="try-1")["Messages"]
        self.assertEqual([m["Body"] for m in got], ["a1", "a2", "b1"])
        self.assertEqual([m["Attributes"]["MessageGroupId"] for m in got], ["a", "a", "b"])
        retried = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, ReceiveRequestAttemptId="try-1")["Messages"]
        self.assertEqual([m["ReceiptHandle"] for m in retried], [m["ReceiptHandle"] for m in got])
        self.assertNotIn("Messages", self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10))
        for m in got:
            self.sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        with self.assertRaises(self.sqs.exceptions.ClientError) as caught:
            self.sqs.send_message(QueueUrl=url, MessageBody="no group")
        self.assertEqual(caught.exception.response["Error"]["Code"], "MissingParameter")

    def test_long_poll_returns_as_soon_as_a_message_arrives(self):
        url = self.sqs.create_queue(QueueName="long-poll")["QueueUrl"]
        poller = self.server.client("sqs")
        results = {}
        polling = threading.Event()

        def poll():
            polling.set()
            start = time.monotonic()
            results["messages"] = poller.receive_message(QueueUrl=url, WaitTimeSeconds=20).get("Messages", [])
            results["seconds"] = time.monotonic() - start

        thread = threading.Thread(target=poll)
        thread.start()
        polling.wait()
        self.sqs.send_message(QueueUrl=url, MessageBody="wake up")
        thread.join(30)
        self.assertEqual([m["Body"] for m in results["messages"]], ["wake up"])
        self.assertLess(results["seconds"], 10)

    def test_sigterm_answers_a_parked_long_poll_and_exits_at_once(self):
        server = Server("sqs").start()
        sqs = server.client("sqs")
        url = sqs.get_queue_url(QueueName="work-dlq")["QueueUrl"]
        results = {}
        polling = threading.Event()

        def poll():
            polling.set()
            results["reply"] = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=20)

        thread = threading.Thread(target=poll)
        thread.start()
        polling.wait()
        # Wait (on an event, not a clock) until the poll is in flight: a second client's call
        # is served after the first request arrived on its own connection.
        server.client("sqs").list_queues()
        start = time.monotonic()
        self.assertEqual(server.stop(), 0)
        thread.join(30)
        self.assertLess(time.monotonic() - start, 8)
        self.assertEqual(results["reply"]["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertNotIn("Messages", results["reply"])

    def test_visibility_timeout_then_redrive_to_the_dead_letter_queue_and_move_back(self):
        url, dlq = self.url("work"), self.url("work-dlq")
        self.sqs.send_message(QueueUrl=url, MessageBody="poison")
        first = self.sqs.receive_message(QueueUrl=url, VisibilityTimeout=1)["Messages"][0]
        again = self.sqs.receive_message(QueueUrl=url, WaitTimeSeconds=10, MessageSystemAttributeNames=["ApproximateReceiveCount"])["Messages"][0]
        self.assertEqual(again["MessageId"], first["MessageId"])
        self.assertEqual(again["Attributes"]["ApproximateReceiveCount"], "2")
        self.sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=again["ReceiptHandle"], VisibilityTimeout=0)
        self.assertNotIn("Messages", self.sqs.receive_message(QueueUrl=url))
        dead = self.sqs.receive_message(QueueUrl=dlq, VisibilityTimeout=0, MessageSystemAttributeNames=["All"])["Messages"][0]
        self.assertEqual(dead["Body"], "poison")
        self.assertEqual(dead["Attributes"]["DeadLetterQueueSourceArn"], ARN + "work")
        self.assertEqual(self.sqs.list_dead_letter_source_queues(QueueUrl=dlq)["queueUrls"], [url])
        handle = self.sqs.start_message_move_task(SourceArn=ARN + "work-dlq")["TaskHandle"]
        tasks = self.sqs.list_message_move_tasks(SourceArn=ARN + "work-dlq")["Results"]
        self.assertEqual((tasks[0]["Status"], tasks[0]["ApproximateNumberOfMessagesMoved"]), ("COMPLETED", 1))
        with self.assertRaises(self.sqs.exceptions.ResourceNotFoundException):
            self.sqs.cancel_message_move_task(TaskHandle=handle)
        back = self.sqs.receive_message(QueueUrl=url)["Messages"][0]
        self.assertEqual(back["Body"], "poison")
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=back["ReceiptHandle"])

    def test_purge_once_per_minute(self):
        url = self.sqs.create_queue(QueueName="purged")["QueueUrl"]
        self.sqs.send_message(QueueUrl=url, MessageBody="x")
        self.sqs.purge_queue(QueueUrl=url)
        self.assertEqual(self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]["ApproximateNumberOfMessages"], "0")
        with self.assertRaises(self.sqs.exceptions.PurgeQueueInProgress) as caught:
            self.sqs.purge_queue(QueueUrl=url)
        self.assertEqual(caught.exception.response["Error"]["Code"], "AWS.SimpleQueueService.PurgeQueueInProgress")

    def test_tags(self):
        url = self.sqs.create_queue(QueueName="tagged", tags={"team": "orders"})["QueueUrl"]
        self.sqs.tag_queue(QueueUrl=url, Tags={"env": "dev", "team": "payments"})
        self.assertEqual(self.sqs.list_queue_tags(QueueUrl=url)["Tags"], {"env": "dev", "team": "payments"})
        self.sqs.untag_queue(QueueUrl=url, TagKeys=["env"])
        self.assertEqual(self.sqs.list_queue_tags(QueueUrl=url)["Tags"], {"team": "payments"})

    def test_missing_queues_raise_queue_does_not_exist(self):
        with self.assertRaises(self.sqs.exceptions.QueueDoesNotExist) as caught:
            self.sqs.get_queue_url(QueueName="nowhere")
        self.assertEqual(caught.exception.response["Error"]["Code"], "AWS.SimpleQueueService.NonExistentQueue")
        with self.assertRaises(self.sqs.exceptions.QueueDoesNotExist):
            self.sqs.send_message(QueueUrl=self.url("nowhere"), MessageBody="x")

    def test_the_callers_account_owns_the_queues_it_creates(self):
        other = self.server.client("sqs", access_key="111122223333")
        url = other.create_queue(QueueName="owned")["QueueUrl"]
        self.assertEqual(url, f"{self.server.endpoint}/111122223333/owned")
        self.assertEqual(other.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"],
                         "arn:aws:sqs:us-east-1:111122223333:owned")
        self.assertEqual(other.list_queues(QueueNamePrefix="owned")["QueueUrls"], [url])
        self.assertEqual(self.sqs.list_queues(QueueNamePrefix="owned").get("QueueUrls", []), [])
        with self.assertRaises(self.sqs.exceptions.QueueDoesNotExist):
            self.sqs.get_queue_url(QueueName="owned")
        self.assertEqual(self.sqs.get_queue_url(QueueName="owned", QueueOwnerAWSAccountId="111122223333")["QueueUrl"], url)

    def test_aws_cli(self):
        _, created, _ = self.server.aws("sqs", "create-queue", "--queue-name", "from-cli")
        self.assertEqual(created["QueueUrl"], self.url("from-cli"))
        _, sent, _ = self.server.aws("sqs", "send-message", "--queue-url", created["QueueUrl"], "--message-body", "über CLI")
        self.assertEqual(sent["MD5OfMessageBody"], hashlib.md5("über CLI".encode()).hexdigest())
        _, got, _ = self.server.aws("sqs", "receive-message", "--queue-url", created["QueueUrl"])
        self.assertEqual(got["Messages"][0]["Body"], "über CLI")
        _, listed, _ = self.server.aws("sqs", "list-queues", "--queue-name-prefix", "from-")
        self.assertEqual(listed["QueueUrls"], [self.url("from-cli")])
        status, _, error = self.server.aws("sqs", "get-queue-url", "--queue-name", "nowhere", check=False)
        self.assertNotEqual(status, 0)
        self.assertIn("NonExistentQueue", error)

    def test_query_protocol_through_botocore(self):
        sqs = query_client(self.server.endpoint)
        url = sqs.create_queue(QueueName="by-query", Attributes={"VisibilityTimeout": "20"}, tags={"via": "query"})["QueueUrl"]
        self.assertEqual(url, self.url("by-query"))
        self.assertEqual(sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["VisibilityTimeout"])["Attributes"], {"VisibilityTimeout": "20"})
        self.assertEqual(sqs.list_queue_tags(QueueUrl=url)["Tags"], {"via": "query"})
        attributes = {"ciudad": {"DataType": "String", "StringValue": "Málaga & <Cádiz>"}, "b": {"DataType": "Binary", "BinaryValue": b"\x01\x02"}}
        sent = sqs.send_message(QueueUrl=url, MessageBody="¡hola + adiós!", MessageAttributes=attributes)
        self.assertEqual(sent["MD5OfMessageAttributes"], attributes_md5(attributes))
        got = sqs.receive_message(QueueUrl=url, AttributeNames=["All"], MessageAttributeNames=["All"])["Messages"][0]
        self.assertEqual((got["Body"], got["MessageAttributes"]), ("¡hola + adiós!", attributes))
        self.assertEqual(got["Attributes"]["ApproximateReceiveCount"], "1")
        batch = sqs.delete_message_batch(QueueUrl=url, Entries=[{"Id": "ok", "ReceiptHandle": got["ReceiptHandle"]}, {"Id": "bad", "ReceiptHandle": "bad"}])
        self.assertEqual(([e["Id"] for e in batch["Successful"]], [e["Code"] for e in batch["Failed"]]), (["ok"], ["ReceiptHandleIsInvalid"]))
        self.assertIn(url, sqs.list_queues(QueueNamePrefix="by-")["QueueUrls"])
        with self.assertRaises(sqs.exceptions.QueueDoesNotExist) as caught:
            sqs.get_queue_url(QueueName="nowhere")
        self.assertEqual(caught.exception.response["Error"]["Code"], "AWS.SimpleQueueService.NonExistentQueue")
        with self.assertRaises(sqs.exceptions.QueueNameExists):
            sqs.create_queue(QueueName="by-query", Attributes={"VisibilityTimeout": "21"})

    def test_query_call_sent_to_the_queue_url_itself(self):
        url = self.sqs.create_queue(QueueName="by-path")["QueueUrl"]
        body = "Action=SendMessage&Version=2012-11-05&MessageBody=sent+to+the+URL"
        request = urllib.request.Request(url, data=body.encode(), method="POST",
                                         headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
        with urllib.request.urlopen(request) as response:
            self.assertEqual(response.status, 200)
            self.assertIn(b"<SendMessageResult>", response.read())
        self.assertEqual(self.sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"], "sent to the URL")


if __name__ == "__main__":
    unittest.main()
