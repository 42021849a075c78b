"""Firehose delivery streams on `eventrouter run` with real boto3 clients: PutRecord and
PutRecordBatch through a Lambda transform (Ok, Dropped, ProcessingFailed) into objects laid out
like S3 keys under the data directory, a rule target, a Kinesis stream as the source, and
Create/Describe/List/DeleteDeliveryStream with Firehose's errors."""
import json
import os
import re
import shutil
import tempfile
import time
import unittest

from botocore.exceptions import ClientError

from harness import Server

KEY = re.compile(r"^(\d{4})/(\d{2})/(\d{2})/(\d{2})/([a-z-]+)-1-(\d{4})-(\d{2})-(\d{2})-(\d{2})-(\d{2})-(\d{2})-[0-9a-f-]{36}$")


class FirehoseTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.data = tempfile.mkdtemp(prefix="eventrouter-firehose-")
        cls.server = Server("firehose", args=["--data-dir", cls.data]).start()
        cls.firehose = cls.server.client("firehose")
        cls.bucket = os.path.join(cls.data, "s3", "lake")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        shutil.rmtree(cls.data, ignore_errors=True)

    def objects(self, prefix):
        """{key under prefix: text} of the bucket's objects."""
        found = {}
        root = os.path.join(self.bucket, prefix)
        for folder, _, files in os.walk(root):
            for name in files:
                # An object is written to a temporary file beside it, then renamed (atomic).
                if name.startswith(".") or ".tmp-" in name:
                    continue
                path = os.path.join(folder, name)
                try:
                    with open(path) as f:
                        found[os.path.relpath(path, root)] = f.read()
                except FileNotFoundError:
                    continue
        return found

    def wait_for_objects(self, prefix, count=1, lines=None, timeout=90):
        """The objects under prefix once there are `count` (or, with `lines`, once their lines are those)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.objects(prefix)
            if (lines is None and len(found) >= count) or (lines is not None and sorted("".join(found.values()).splitlines()) == lines):
                return found
            time.sleep(0.05)
        self.fail(f"expected {lines or count} under {prefix}, found {self.objects(prefix)}")

    def test_1_put_records_through_the_transform(self):
        one = self.firehose.put_record(DeliveryStreamName="orders", Record={"Data": b"first"})
        self.assertTrue(one["RecordId"])
        batch = self.firehose.put_record_batch(DeliveryStreamName="orders",
                                               Records=[{"Data": b"second"}, {"Data": b"drop"}, {"Data": b"fail"}])
        self.assertEqual(batch["FailedPutCount"], 0)
        self.assertEqual(len(batch["RequestResponses"]), 3)
        self.assertTrue(all(r["RecordId"] for r in batch["RequestResponses"]))
        # Records concatenated as Firehose writes them (the transform ends each with a newline).
        delivered = self.wait_for_objects("orders", lines=["FIRST", "SECOND"])
        for key in delivered:
            self.assertRegex(key, KEY)
            self.assertEqual(KEY.match(key).group(5), "orders")
        failed = self.wait_for_objects("processing-failed", 1)
        (key, text), = failed.items()
        self.assertRegex(key, KEY)
        line = json.loads(text.splitlines()[0])
        self.assertEqual(line["errorCode"], "Lambda.ProcessingFailed")
        self.assertEqual(line["rawData"], "ZmFpbA==")
        self.assertEqual(line["lambdaArn"], "arn:aws:lambda:us-east-1:123456789012:function:shout:$LATEST")

    def test_2_a_rule_delivers_to_the_stream(self):
        events = self.server.client("events")
        result = events.put_events(Entries=[{"Source": "shop", "DetailType": "Placed", "Detail": json.dumps({"id": "o-17"})}])
        self.assertEqual(result["FailedEntryCount"], 0)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and '"O-17"\n' not in self.objects("orders").values():
            time.sleep(0.05)
        self.assertIn('"O-17"\n', self.objects("orders").values())

    def test_3_a_kinesis_stream_as_the_source(self):
        kinesis = self.server.client("kinesis")
        kinesis.put_record(StreamName="clicks", Data=b"click-1\n", PartitionKey="a")
        found = self.wait_for_objects("clicks", 1)
        self.assertEqual(list(found.values()), ["click-1\n"])
        with self.assertRaises(ClientError) as refused:
            self.firehose.put_record(DeliveryStreamName="clicks-archive", Record={"Data": b"x"})
        self.assertEqual(refused.exception.response["Error"]["Code"], "InvalidArgumentException")
        self.assertIn("KinesisStreamAsSource", refused.exception.response["Error"]["Message"])

    def test_4_describe_list_create_delete(self):
        names = self.firehose.list_delivery_streams()["DeliveryStreamNames"]
        self.assertEqual(names, ["clicks-archive", "orders"])
        d = self.firehose.describe_delivery_stream(DeliveryStreamName="orders")["DeliveryStreamDescription"]
        self.assertEqual(d["DeliveryStreamARN"], "arn:aws:firehose:us-east-1:123456789012:deliverystream/orders")
        self.assertEqual(d["DeliveryStreamStatus"], "ACTIVE")
        s3 = d["Destinations"][0]["ExtendedS3DestinationDescription"]
        self.assertEqual(s3["BufferingHints"], {"SizeInMBs": 1, "IntervalInSeconds": 0})
        self.assertEqual(s3["Prefix"], "orders/")
        created = self.firehose.create_delivery_stream(
            DeliveryStreamName="made", DeliveryStreamType="DirectPut",
            ExtendedS3DestinationConfiguration={"BucketARN": "arn:aws:s3:::lake", "RoleARN": "arn:aws:iam::123456789012:role/r",
                                                "Prefix": "made/", "BufferingHints": {"SizeInMBs": 1, "IntervalInSeconds": 0}})
        self.assertEqual(created["DeliveryStreamARN"], "arn:aws:firehose:us-east-1:123456789012:deliverystream/made")
        self.firehose.put_record(DeliveryStreamName="made", Record={"Data": b"made"})
        self.assertEqual(list(self.wait_for_objects("made", 1).values()), ["made"])
        with self.assertRaises(ClientError) as bad:
            self.firehose.create_delivery_stream(
                DeliveryStreamName="slow", ExtendedS3DestinationConfiguration={
                    "BucketARN": "arn:aws:s3:::lake", "RoleARN": "arn:aws:iam::123456789012:role/r",
                    "BufferingHints": {"SizeInMBs": 1, "IntervalInSeconds": 901}})
        self.assertEqual(bad.exception.response["Error"]["Code"], "InvalidArgumentException")
        self.assertEqual(bad.exception.response["Error"]["Message"],
                         "ExtendedS3DestinationConfiguration.BufferingHints.IntervalInSeconds: 'IntervalInSeconds' must be between 0 and 900, got 901")
        self.firehose.delete_delivery_stream(DeliveryStreamName="made")
        with self.assertRaises(ClientError) as missing:
            self.firehose.describe_delivery_stream(DeliveryStreamName="made")
        self.assertEqual(missing.exception.response["Error"]["Code"], "ResourceNotFoundException")
        self.assertEqual(missing.exception.response["Error"]["Message"], "Firehose made under account 123456789012 not found.")


if __name__ == "__main__":
    unittest.main()
