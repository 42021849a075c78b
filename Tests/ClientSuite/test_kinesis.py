"""Kinesis Data Streams on `eventrouter run` with real boto3 and AWS CLI clients: the README tour,
reading across a split and a merge, UpdateShardCount, throttling seen by a client that does not
retry, a stream → function mapping with a partial batch failure, a rule writing to a stream
created over the wire, and every served operation at least once."""
import base64
import json
import os
import time
import unittest

import boto3
from botocore.exceptions import ClientError

from harness import DEFAULT_ACCOUNT, REGION, Server

HALF = str(2 ** 127)


def cbor(value):
    """A tiny CBOR encoder (maps, text, bytes, unsigned ints, tag 1 as ("t1", n)) for the Java SDKs' wire form."""
    def head(major, n):
        if n < 24:
            return bytes([major << 5 | n])
        for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
            if n < 1 << (8 * size):
                return bytes([major << 5 | info]) + n.to_bytes(size, "big")
    if isinstance(value, tuple):
        return b"\xc1" + cbor(value[1])
    if isinstance(value, int):
        return head(0, value)
    if isinstance(value, bytes):
        return head(2, len(value)) + value
    if isinstance(value, str):
        return head(3, len(value.encode())) + value.encode()
    return head(5, len(value)) + b"".join(cbor(k) + cbor(v) for k, v in value.items())


def uncbor(data, at=0):
    """Decodes the item at `at` of `data` (definite lengths, as the router writes); returns (value, next offset)."""
    major, info = data[at] >> 5, data[at] & 31
    at += 1
    if major == 7:
        return {20: False, 21: True, 22: None}[info], at
    n = info
    if info >= 24:
        size = 1 << (info - 24)
        n, at = int.from_bytes(data[at:at + size], "big"), at + size
    if major == 0:
        return n, at
    if major in (2, 3):
        raw = data[at:at + n]
        return (raw if major == 2 else raw.decode()), at + n
    if major == 6:
        value, at = uncbor(data, at)
        return ("t%d" % n, value), at
    items = []
    for _ in range(n * (2 if major == 5 else 1)):
        item, at = uncbor(data, at)
        items.append(item)
    return (dict(zip(items[::2], items[1::2])) if major == 5 else items), at


def cbor_call(endpoint, operation, body):
    """POSTs a CBOR Kinesis call as the Java SDKs do; returns (status, content type, decoded reply)."""
    import http.client
    from urllib.parse import urlparse
    url = urlparse(endpoint)
    connection = http.client.HTTPConnection(url.hostname, url.port)
    connection.request("POST", "/", body=cbor(body), headers={"X-Amz-Target": f"Kinesis_20131202.{operation}",
                                                              "Content-Type": "application/x-amz-cbor-1.1"})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, response.getheader("Content-Type"), uncbor(data)[0]


def records(kinesis, stream, shard, iterator_type="TRIM_HORIZON", **extra):
    """GetRecords from `shard` at `iterator_type`; returns the reply."""
    iterator = kinesis.get_shard_iterator(StreamName=stream, ShardId=shard, ShardIteratorType=iterator_type, **extra)["ShardIterator"]
    return kinesis.get_records(ShardIterator=iterator)


class KinesisTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server("kinesis", args=["--log-level", "info"]).start()
        cls.kinesis = cls.server.client("kinesis")

    @classmethod
    def tearDownClass(cls):
        status = cls.server.stop()
        assert status == 0, f"eventrouter run exited {status}"

    def create(self, name, shards=1):
        self.kinesis.create_stream(StreamName=name, ShardCount=shards)
        self.kinesis.get_waiter("stream_exists").wait(StreamName=name, WaiterConfig={"Delay": 0, "MaxAttempts": 3})

    def test_the_readme_tour_with_the_cli(self):
        aws = self.server.aws
        aws("kinesis", "create-stream", "--stream-name", "tour", "--shard-count", "1")
        _, put, _ = aws("kinesis", "put-record", "--stream-name", "tour", "--partition-key", "order-1", "--data", "hello")
        self.assertEqual(put["ShardId"], "shardId-000000000000")
        _, iterator, _ = aws("kinesis", "get-shard-iterator", "--stream-name", "tour", "--shard-id", "shardId-000000000000",
                             "--shard-iterator-type", "TRIM_HORIZON")
        _, got, _ = aws("kinesis", "get-records", "--shard-iterator", iterator["ShardIterator"])
        self.assertEqual([base64.b64decode(r["Data"]) for r in got["Records"]], [b"hello"])
        self.assertEqual(got["Records"][0]["SequenceNumber"], put["SequenceNumber"])
        self.assertEqual(got["MillisBehindLatest"], 0)

    def test_records_before_a_split_are_on_the_parent_and_after_it_on_the_children(self):
        k = self.kinesis
        self.create("split")
        k.put_record(StreamName="split", Data=b"before", PartitionKey="a")
        k.split_shard(StreamName="split", ShardToSplit="shardId-000000000000", NewStartingHashKey=HALF)
        low = k.put_record(StreamName="split", Data=b"after-low", PartitionKey="x", ExplicitHashKey="1")
        high = k.put_record(StreamName="split", Data=b"after-high", PartitionKey="x", ExplicitHashKey=HALF)
        self.assertEqual((low["ShardId"], high["ShardId"]), ("shardId-000000000001", "shardId-000000000002"))
        parent = records(k, "split", "shardId-000000000000")
        self.assertEqual([r["Data"] for r in parent["Records"]], [b"before"])
        self.assertNotIn("NextShardIterator", parent)
        self.assertEqual([(c["ShardId"], c["ParentShards"]) for c in parent["ChildShards"]],
                         [("shardId-000000000001", ["shardId-000000000000"]), ("shardId-000000000002", ["shardId-000000000000"])])
        self.assertEqual([r["Data"] for r in records(k, "split", "shardId-000000000001")["Records"]], [b"after-low"])
        self.assertEqual([r["Data"] for r in records(k, "split", "shardId-000000000002")["Records"]], [b"after-high"])
        # merge the children back; the merged shard names both parents
        k.merge_shards(StreamName="split", ShardToMerge="shardId-000000000001", AdjacentShardToMerge="shardId-000000000002")
        child = records(k, "split", "shardId-000000000001")["ChildShards"]
        self.assertEqual(child[0]["ParentShards"], ["shardId-000000000001", "shardId-000000000002"])
        merged = k.put_record(StreamName="split", Data=b"merged", PartitionKey="m")
        self.assertEqual(merged["ShardId"], child[0]["ShardId"])

    def test_update_shard_count_scales_uniformly(self):
        k = self.kinesis
        self.create("scaled", 2)
        out = k.update_shard_count(StreamName="scaled", TargetShardCount=4, ScalingType="UNIFORM_SCALING")
        self.assertEqual((out["CurrentShardCount"], out["TargetShardCount"]), (2, 4))
        open_shards = k.list_shards(StreamName="scaled", ShardFilter={"Type": "AT_LATEST"})["Shards"]
        starts = [int(s["HashKeyRange"]["StartingHashKey"]) for s in open_shards]
        self.assertEqual(sorted(starts), [0, 2 ** 126, 2 ** 127, 3 * 2 ** 126])
        self.assertEqual(k.describe_stream_summary(StreamName="scaled")["StreamDescriptionSummary"]["OpenShardCount"], 4)
        k.update_shard_count(StreamName="scaled", TargetShardCount=2, ScalingType="UNIFORM_SCALING")
        self.assertEqual(len(k.list_shards(StreamName="scaled", ShardFilter={"Type": "AT_LATEST"})["Shards"]), 2)

    def test_throttling_reaches_a_client_that_does_not_retry(self):
        self.create("narrow")
        previous = os.environ.get("AWS_MAX_ATTEMPTS")
        os.environ["AWS_MAX_ATTEMPTS"] = "1"
        try:
            k = boto3.client("kinesis", endpoint_url=self.server.endpoint, region_name=REGION,
                             aws_access_key_id="test", aws_secret_access_key="test")
            batch = [{"Data": b"r", "PartitionKey": str(i)} for i in range(500)]
            error, throttled = None, None
            for _ in range(10):
                # Use up the shard's 1,000 records for this second; then one more record is refused.
                out = k.put_records(StreamName="narrow", Records=batch)
                if out["FailedRecordCount"] == 0:
                    continue
                throttled = out
                try:
                    k.put_record(StreamName="narrow", Data=b"one more", PartitionKey="p")
                except k.exceptions.ProvisionedThroughputExceededException as e:
                    error = e
                    break
            self.assertIsNotNone(throttled, "PutRecords never reported a throttled record")
            codes = {r.get("ErrorCode") for r in throttled["Records"] if "ErrorCode" in r}
            self.assertEqual(codes, {"ProvisionedThroughputExceededException"})
            self.assertIsNotNone(error, "a PutRecord right after a throttled PutRecords was never refused")
            self.assertEqual(error.response["ResponseMetadata"]["HTTPStatusCode"], 400)
            self.assertEqual(error.response["ResponseMetadata"]["RetryAttempts"], 0)
            self.assertIn("Rate exceeded for shard shardId-000000000000 in stream narrow", str(error))
        finally:
            if previous is None:
                del os.environ["AWS_MAX_ATTEMPTS"]
            else:
                os.environ["AWS_MAX_ATTEMPTS"] = previous

    def test_a_mapping_reports_a_partial_batch_failure_and_sends_the_rest_on(self):
        k = self.kinesis
        sqs = self.server.client("sqs")
        out = k.put_records(StreamName="payments", Records=[{"Data": d, "PartitionKey": "p"} for d in (b"ok-1", b"bad", b"ok-2")])
        self.assertEqual(out["FailedRecordCount"], 0)
        bad = out["Records"][1]["SequenceNumber"]
        url = sqs.get_queue_url(QueueName="payment-failures")["QueueUrl"]
        messages = []
        deadline = time.monotonic() + 30
        while not messages and time.monotonic() < deadline:
            messages = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=5).get("Messages", [])
        self.assertTrue(messages, "no OnFailure record within 30 s:\n" + "".join(self.server.output[-40:]))
        info = json.loads(messages[0]["Body"])["KinesisBatchInfo"]
        self.assertEqual(info["shardId"], "shardId-000000000000")
        self.assertEqual(info["startSequenceNumber"], bad)
        self.assertEqual(info["streamArn"], f"arn:aws:kinesis:{REGION}:{DEFAULT_ACCOUNT}:stream/payments")
        batch = self.server.wait_for_line("[mapping-batch]")
        self.assertIsNotNone(batch)
        self.assertIn("stream/payments", batch)

    def test_a_rule_writes_to_a_stream_created_over_the_wire(self):
        k = self.kinesis
        events, sqs = self.server.client("events"), self.server.client("sqs")
        self.create("audit")
        arn = k.describe_stream_summary(StreamName="audit")["StreamDescriptionSummary"]["StreamARN"]
        url = sqs.create_queue(QueueName="audit-copy")["QueueUrl"]
        queue_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        events.put_rule(Name="to-audit", EventPattern=json.dumps({"source": ["shop"]}))
        events.put_targets(Rule="to-audit", Targets=[{"Id": "audit", "Arn": arn, "KinesisParameters": {"PartitionKeyPath": "$.detail.id"}},
                                                     {"Id": "copy", "Arn": queue_arn}])
        self.assertEqual(events.put_events(Entries=[{"Source": "shop", "DetailType": "t", "Detail": json.dumps({"id": "o-1"})}])["FailedEntryCount"], 0)
        # The queue copy is the event to wait on (a long poll); the stream's copy is delivered beside it.
        copy = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=10).get("Messages", [])
        self.assertEqual(len(copy), 1, "the rule delivered nothing within 10 s")
        got = []
        for _ in range(4):  # under the shard's 5 GetRecords calls per second; each empty read waits on the queue for up to 1 s
            got = records(k, "audit", "shardId-000000000000")["Records"]
            if got:
                break
            sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1)
        self.assertEqual(len(got), 1)
        self.assertEqual(got[0]["PartitionKey"], "o-1")
        self.assertEqual(json.loads(got[0]["Data"])["detail"], {"id": "o-1"})

    def test_cbor_calls_as_the_java_sdks_send_them(self):
        self.create("java")
        status, kind, put = cbor_call(self.server.endpoint, "PutRecord", {"StreamName": "java", "Data": b"\x00\xffbin", "PartitionKey": "k"})
        self.assertEqual((status, kind), (200, "application/x-amz-cbor-1.1"))
        iterator = cbor_call(self.server.endpoint, "GetShardIterator", {"StreamName": "java", "ShardId": put["ShardId"],
                                                                        "ShardIteratorType": "TRIM_HORIZON"})[2]["ShardIterator"]
        _, _, got = cbor_call(self.server.endpoint, "GetRecords", {"ShardIterator": iterator})
        record = got["Records"][0]
        self.assertEqual((record["Data"], record["SequenceNumber"]), (b"\x00\xffbin", put["SequenceNumber"]))
        tag, millis = record["ApproximateArrivalTimestamp"]
        self.assertEqual(tag, "t1")
        self.assertLess(abs(millis / 1000 - time.time()), 60, "tag 1 carries epoch milliseconds")
        # boto3 reads the same record over JSON
        self.assertEqual(records(self.kinesis, "java", put["ShardId"])["Records"][0]["Data"], b"\x00\xffbin")
        status, _, error = cbor_call(self.server.endpoint, "DescribeStream", {"StreamName": "missing"})
        self.assertEqual((status, error["__type"]), (400, "ResourceNotFoundException"))

    def test_every_other_operation(self):
        k = self.kinesis
        k.create_stream(StreamName="ops", StreamModeDetails={"StreamMode": "ON_DEMAND"}, Tags={"team": "payments"})
        summary = k.describe_stream_summary(StreamName="ops")["StreamDescriptionSummary"]
        self.assertEqual((summary["StreamModeDetails"]["StreamMode"], summary["OpenShardCount"]), ("ON_DEMAND", 4))
        arn = summary["StreamARN"]
        page = k.describe_stream(StreamName="ops", Limit=3)["StreamDescription"]
        self.assertEqual((len(page["Shards"]), page["HasMoreShards"]), (3, True))
        rest = k.describe_stream(StreamARN=arn, ExclusiveStartShardId=page["Shards"][-1]["ShardId"])["StreamDescription"]
        self.assertEqual((len(rest["Shards"]), rest["HasMoreShards"]), (1, False))
        # ListShards: paging with NextToken, and each filter
        first = k.list_shards(StreamName="ops", MaxResults=2)
        second = k.list_shards(NextToken=first["NextToken"])
        self.assertEqual(len(first["Shards"]) + len(second["Shards"]), 4)
        self.assertNotIn("NextToken", second)
        after = k.list_shards(StreamName="ops", ExclusiveStartShardId="shardId-000000000001")["Shards"]
        self.assertEqual([s["ShardId"] for s in after], ["shardId-000000000002", "shardId-000000000003"])
        for kind in ("AT_LATEST", "AT_TRIM_HORIZON", "FROM_TRIM_HORIZON"):
            self.assertEqual(len(k.list_shards(StreamName="ops", ShardFilter={"Type": kind})["Shards"]), 4, kind)
        self.assertEqual(len(k.list_shards(StreamName="ops", ShardFilter={"Type": "AFTER_SHARD_ID", "ShardId": "shardId-000000000002"})["Shards"]), 1)
        now = time.time()
        for kind in ("AT_TIMESTAMP", "FROM_TIMESTAMP"):
            self.assertEqual(len(k.list_shards(StreamName="ops", ShardFilter={"Type": kind, "Timestamp": now})["Shards"]), 4, kind)
        # ListStreams with paging
        names = k.list_streams(Limit=1)
        self.assertTrue(names["HasMoreStreams"])
        more = k.list_streams(NextToken=names["NextToken"])
        self.assertIn("ops", names["StreamNames"] + more["StreamNames"] + k.list_streams(ExclusiveStartStreamName="a")["StreamNames"])
        self.assertEqual(more["StreamSummaries"][0]["StreamStatus"], "ACTIVE")
        # records: explicit hash key, ordering, every iterator type
        first_put = k.put_record(StreamName="ops", Data=b"one", PartitionKey="p", ExplicitHashKey="0")
        second_put = k.put_record(StreamARN=arn, Data=b"two", PartitionKey="p", ExplicitHashKey="0",
                                  SequenceNumberForOrdering=first_put["SequenceNumber"])
        shard = first_put["ShardId"]
        self.assertEqual(shard, "shardId-000000000000")
        at = records(k, "ops", shard, "AT_SEQUENCE_NUMBER", StartingSequenceNumber=second_put["SequenceNumber"])
        self.assertEqual([r["Data"] for r in at["Records"]], [b"two"])
        after_first = records(k, "ops", shard, "AFTER_SEQUENCE_NUMBER", StartingSequenceNumber=first_put["SequenceNumber"])
        self.assertEqual([r["Data"] for r in after_first["Records"]], [b"two"])
        # a shard serves 5 GetRecords calls per second: this is the third; LATEST reads another shard
        self.assertEqual(records(k, "ops", "shardId-000000000001", "LATEST")["Records"], [])
        since = records(k, "ops", shard, "AT_TIMESTAMP", Timestamp=now - 60)
        self.assertEqual([r["Data"] for r in since["Records"]], [b"one", b"two"])
        one = k.get_records(ShardIterator=k.get_shard_iterator(StreamName="ops", ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"], Limit=1)
        self.assertEqual(len(one["Records"]), 1)
        self.assertGreaterEqual(one["MillisBehindLatest"], 0)
        self.assertEqual(k.get_records(ShardIterator=one["NextShardIterator"], StreamARN=arn)["Records"][0]["Data"], b"two")
        # tags, both forms
        k.add_tags_to_stream(StreamName="ops", Tags={"env": "test"})
        k.remove_tags_from_stream(StreamName="ops", TagKeys=["team"])
        self.assertEqual(k.list_tags_for_stream(StreamName="ops")["Tags"], [{"Key": "env", "Value": "test"}])
        k.tag_resource(ResourceARN=arn, Tags={"owner": "me"})
        k.untag_resource(ResourceARN=arn, TagKeys=["env"])
        self.assertEqual(k.list_tags_for_resource(ResourceARN=arn)["Tags"], [{"Key": "owner", "Value": "me"}])
        # retention
        k.increase_stream_retention_period(StreamName="ops", RetentionPeriodHours=72)
        k.decrease_stream_retention_period(StreamName="ops", RetentionPeriodHours=48)
        self.assertEqual(k.describe_stream_summary(StreamName="ops")["StreamDescriptionSummary"]["RetentionPeriodHours"], 48)
        with self.assertRaises(k.exceptions.InvalidArgumentException):
            k.decrease_stream_retention_period(StreamName="ops", RetentionPeriodHours=12)
        # enhanced fan-out: a clear error for each operation
        consumer = f"{arn}/consumer/c:1"
        calls = [lambda: k.register_stream_consumer(StreamARN=arn, ConsumerName="c"),
                 lambda: k.describe_stream_consumer(ConsumerARN=consumer),
                 lambda: k.list_stream_consumers(StreamARN=arn),
                 lambda: k.subscribe_to_shard(ConsumerARN=consumer, ShardId=shard, StartingPosition={"Type": "LATEST"}),
                 lambda: k.deregister_stream_consumer(ConsumerARN=consumer)]
        for call in calls:
            with self.assertRaises(ClientError) as caught:
                call()
            self.assertEqual(caught.exception.response["Error"]["Code"], "UnsupportedOperationException")
            self.assertIn("HTTP/2 event stream", caught.exception.response["Error"]["Message"])
        # errors with AWS's codes
        with self.assertRaises(k.exceptions.ResourceNotFoundException):
            k.describe_stream(StreamName="missing")
        with self.assertRaises(k.exceptions.ResourceInUseException):
            k.create_stream(StreamName="ops", ShardCount=1)
        with self.assertRaises(k.exceptions.InvalidArgumentException):
            k.get_records(ShardIterator="not-an-iterator")
        k.delete_stream(StreamName="ops")
        with self.assertRaises(k.exceptions.ResourceNotFoundException):
            k.describe_stream_summary(StreamName="ops")


if __name__ == "__main__":
    unittest.main()
