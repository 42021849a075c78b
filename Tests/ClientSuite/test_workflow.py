"""The whole workflow of issue 13, assembled and checked from the client alone:

PutEvents on bus `orders` → rule `placed` → SNS topic `orders-topic`
  → SQS subscription to queue `work` → event source mapping (CreateEventSourceMapping) → function `echo`
  → Lambda subscription of function `notify` (asynchronous) → OnSuccess destination: bus `results`
      → rule `results-to-queue` → queue `results`.

Every resource except the function folders is created over the wire; the checks read queues,
mappings and the router's state through the API."""
import json
import os
import shutil
import time
import unittest

from harness import Server, temporary_workspace

REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ACCOUNT, REGION = "123456789012", "us-east-1"


class WorkflowTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.workspace = temporary_workspace({"workflow.json": {"Account": ACCOUNT, "Region": REGION}})
        for name in ("echo", "notify"):
            shutil.copytree(os.path.join(REPOSITORY, "Functions", "echo"), os.path.join(cls.workspace, "Functions", name))
        cls.server = Server(cls.workspace, args=["--log-level", "info"]).start()

    @classmethod
    def tearDownClass(cls):
        status = cls.server.stop()
        shutil.rmtree(cls.workspace)
        assert status == 0, f"eventrouter run exited {status}"

    def wait_for_messages(self, sqs, url, count, timeout=30):
        """Receives until `count` messages arrived (long polls, no sleeps); returns their bodies."""
        bodies, deadline = [], time.monotonic() + timeout
        while len(bodies) < count and time.monotonic() < deadline:
            reply = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=2)
            for message in reply.get("Messages", []):
                bodies.append(message["Body"])
                sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        return bodies

    def test_put_events_reaches_every_stage_and_comes_back_through_a_destination(self):
        events, sns, sqs, lam = (self.server.client(s) for s in ("events", "sns", "sqs", "lambda"))
        topic = sns.create_topic(Name="orders-topic")["TopicArn"]
        work_url = sqs.create_queue(QueueName="work")["QueueUrl"]
        work_arn = sqs.get_queue_attributes(QueueUrl=work_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        results_url = sqs.create_queue(QueueName="results")["QueueUrl"]
        results_arn = sqs.get_queue_attributes(QueueUrl=results_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]

        events.create_event_bus(Name="orders")
        results_bus = events.create_event_bus(Name="results")["EventBusArn"]
        events.put_rule(Name="placed", EventBusName="orders",
                        EventPattern=json.dumps({"source": ["shop"], "detail-type": ["OrderPlaced"]}))
        events.put_targets(Rule="placed", EventBusName="orders", Targets=[{"Id": "topic", "Arn": topic}])
        events.put_rule(Name="results-to-queue", EventBusName="results",
                        EventPattern=json.dumps({"source": ["lambda"], "detail-type": [{"prefix": "Lambda Function Invocation Result"}]}))
        events.put_targets(Rule="results-to-queue", EventBusName="results", Targets=[{"Id": "q", "Arn": results_arn}])

        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=work_arn)
        notify_arn = lam.get_function(FunctionName="notify")["Configuration"]["FunctionArn"]
        lam.put_function_event_invoke_config(FunctionName="notify", MaximumRetryAttempts=0,
                                             DestinationConfig={"OnSuccess": {"Destination": results_bus}})
        sns.subscribe(TopicArn=topic, Protocol="lambda", Endpoint=notify_arn)
        mapping = lam.create_event_source_mapping(EventSourceArn=work_arn, FunctionName="echo", BatchSize=5)

        detail = {"orderId": "o-42", "total": 99}
        reply = events.put_events(Entries=[{"EventBusName": "orders", "Source": "shop", "DetailType": "OrderPlaced",
                                            "Detail": json.dumps(detail)}])
        self.assertEqual(reply["FailedEntryCount"], 0, reply)
        event_id = reply["Entries"][0]["EventId"]

        # The destination record on bus `results`, routed to queue `results`.
        bodies = self.wait_for_messages(sqs, results_url, 1)
        self.assertEqual(len(bodies), 1, "no destination record reached queue results:\n" + "".join(self.server.output[-40:]))
        record = json.loads(bodies[0])
        self.assertEqual(record["source"], "lambda")
        self.assertEqual(record["detail-type"], "Lambda Function Invocation Result - Success")
        self.assertEqual(record["resources"], [notify_arn + ":$LATEST"])
        notification = record["detail"]["requestPayload"]["Records"][0]["Sns"]
        self.assertEqual(notification["TopicArn"], topic)
        self.assertEqual(json.loads(notification["Message"])["id"], event_id)
        self.assertEqual(json.loads(notification["Message"])["detail"], detail)

        # The queue `work` was drained by the mapping into `echo`.
        line = self.server.wait_for_line("[mapping-batch]")
        self.assertIsNotNone(line, "the mapping never handed a batch to echo")
        self.assertIn("function:echo", line)
        uuid = mapping["UUID"]
        self.assertEqual(lam.get_event_source_mapping(UUID=uuid)["State"], "Enabled")
        attributes = sqs.get_queue_attributes(QueueUrl=work_url, AttributeNames=["All"])["Attributes"]
        self.assertEqual(attributes["ApproximateNumberOfMessages"], "0")
        self.assertEqual(attributes["ApproximateNumberOfMessagesNotVisible"], "0")


if __name__ == "__main__":
    unittest.main()
