"""An SQS → function event source mapping on `eventrouter run`: a message sent to an idle queue
over the wire reaches its function at once (the send wakes the router's driver)."""
import os
import shutil
import unittest

from harness import Server, temporary_workspace

REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class MappingTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.workspace = temporary_workspace({"mapping.json": {
            "Account": "123456789012", "Region": "us-east-1",
            "Queues": [{"QueueName": "jobs"}],
            "EventSourceMappings": [{"EventSourceArn": "arn:aws:sqs:us-east-1:123456789012:jobs",
                                     "FunctionName": "echo", "BatchSize": 1}],
        }})
        shutil.copytree(os.path.join(REPOSITORY, "Functions", "echo"), os.path.join(cls.workspace, "Functions", "echo"))
        cls.server = Server(cls.workspace, args=["--log-level", "info"]).start()

    @classmethod
    def tearDownClass(cls):
        status = cls.server.stop()
        shutil.rmtree(cls.workspace)
        assert status == 0, f"eventrouter run exited {status}"

    def test_a_message_sent_to_an_idle_queue_is_handed_to_its_function(self):
        sqs = self.server.client("sqs")
        url = sqs.get_queue_url(QueueName="jobs")["QueueUrl"]
        sqs.send_message(QueueUrl=url, MessageBody="résumé ✓")
        line = self.server.wait_for_line("[mapping-batch]")
        self.assertIsNotNone(line, "no mapping batch was logged within 20 s of the send:\n" + "".join(self.server.output))
        self.assertIn("success", line)
        self.assertIn("function:echo", line)
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        self.assertEqual(attributes["ApproximateNumberOfMessages"], "0")


if __name__ == "__main__":
    unittest.main()
