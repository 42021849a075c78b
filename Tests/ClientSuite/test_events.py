"""EventBridge through boto3 and the AWS CLI: puts routed to queues (received with SQS), input
shaping, dead-letter queues, rule/target/bus/archive/replay/tag round trips, modeled exceptions,
cross-account puts allowed and refused by a bus policy, and non-ASCII text both ways."""
import datetime
import json
import os
import tempfile
import unittest

from harness import DEFAULT_ACCOUNT, REGION, Server

OTHER_ACCOUNT = "111122223333"
MAIN_KEY, OTHER_KEY = "AKIDEVENTSMAIN", "AKIDEVENTSOTHER"


def queue_arn(name, account=DEFAULT_ACCOUNT):
    return f"arn:aws:sqs:{REGION}:{account}:{name}"


class EventBridgeTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        keys = {"Accounts": [
            {"Id": DEFAULT_ACCOUNT, "AccessKeys": [{"AccessKeyId": MAIN_KEY, "SecretAccessKey": "main-secret"}]},
            {"Id": OTHER_ACCOUNT, "AccessKeys": [{"AccessKeyId": OTHER_KEY, "SecretAccessKey": "other-secret"}]},
        ]}
        handle, cls.keys_file = tempfile.mkstemp(suffix=".json")
        with os.fdopen(handle, "w") as f:
            json.dump(keys, f)
        cls.server = Server("events", args=["--access-keys", cls.keys_file]).start()
        cls.events = cls.server.client("events", access_key=MAIN_KEY, secret_key="main-secret")
        cls.other = cls.server.client("events", access_key=OTHER_KEY, secret_key="other-secret")
        cls.sqs = cls.server.client("sqs", access_key=MAIN_KEY, secret_key="main-secret")

    @classmethod
    def tearDownClass(cls):
        status = cls.server.stop()
        os.unlink(cls.keys_file)
        assert status == 0, f"eventrouter run exited {status}"

    # Helpers

    def receive(self, queue, wait=10, attributes=False):
        """One message from a queue, waiting on a long poll (not a sleep)."""
        url = self.sqs.get_queue_url(QueueName=queue)["QueueUrl"]
        extra = {"MessageAttributeNames": ["All"]} if attributes else {}
        reply = self.sqs.receive_message(QueueUrl=url, WaitTimeSeconds=wait, MaxNumberOfMessages=1, **extra)
        messages = reply.get("Messages", [])
        self.assertEqual(len(messages), 1, f"no message arrived in {queue}")
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=messages[0]["ReceiptHandle"])
        return messages[0]

    def rule_to(self, name, queue, bus="shop", pattern=None, **target):
        pattern = pattern or {"source": [name]}
        arn = self.events.put_rule(Name=name, EventBusName=bus, EventPattern=json.dumps(pattern))["RuleArn"]
        reply = self.events.put_targets(Rule=name, EventBusName=bus, Targets=[dict(Id="t", Arn=queue_arn(queue), **target)])
        self.assertEqual(reply["FailedEntryCount"], 0)
        return arn

    # Routing

    def test_put_events_are_received_from_the_target_queue(self):
        self.rule_to("orders", "ev-orders")
        reply = self.events.put_events(Entries=[{"Source": "orders", "DetailType": "Placed", "Detail": json.dumps({"id": 1}), "EventBusName": "shop"}])
        self.assertEqual(reply["FailedEntryCount"], 0)
        event = json.loads(self.receive("ev-orders")["Body"])
        self.assertEqual(event["id"], reply["Entries"][0]["EventId"])
        self.assertEqual(event["detail"], {"id": 1})
        self.assertEqual(event["account"], DEFAULT_ACCOUNT)

    def test_input_transformer_shapes_what_the_queue_receives(self):
        self.rule_to("shaped", "ev-shaped", InputTransformer={
            "InputPathsMap": {"id": "$.detail.id"}, "InputTemplate": '{"order": <id>, "rule": "<aws.events.rule-name>"}'})
        self.events.put_events(Entries=[{"Source": "shaped", "DetailType": "t", "Detail": '{"id": 42}', "EventBusName": "shop"}])
        self.assertEqual(json.loads(self.receive("ev-shaped")["Body"]), {"order": 42, "rule": "shaped"})

    def test_a_failing_target_ends_in_the_dead_letter_queue_with_the_error_attributes(self):
        rule_arn = self.events.put_rule(Name="lost", EventBusName="shop", EventPattern='{"source": ["lost"]}')["RuleArn"]
        missing = queue_arn("nowhere", "999999999999")
        self.events.put_targets(Rule="lost", EventBusName="shop", Targets=[{
            "Id": "missing", "Arn": missing, "RetryPolicy": {"MaximumRetryAttempts": 0},
            "DeadLetterConfig": {"Arn": queue_arn("ev-dlq")}}])
        self.events.put_events(Entries=[{"Source": "lost", "DetailType": "t", "Detail": "{}", "EventBusName": "shop"}])
        message = self.receive("ev-dlq", attributes=True)
        attributes = {k: v["StringValue"] for k, v in message["MessageAttributes"].items()}
        self.assertEqual(attributes["RULE_ARN"], rule_arn)
        self.assertEqual(attributes["TARGET_ARN"], missing)
        self.assertEqual(attributes["ERROR_CODE"], "NO_RESOURCE")
        self.assertTrue(attributes["ERROR_MESSAGE"])
        self.assertEqual(json.loads(message["Body"])["source"], "lost")

    # Round trips

    def test_rules_and_targets_round_trip(self):
        for name in ["rt-a", "rt-b", "rt-c"]:
            self.events.put_rule(Name=name, EventBusName="shop", EventPattern='{"source": ["rt"]}', Description="round trip")
        pages = self.events.get_paginator("list_rules").paginate(EventBusName="shop", NamePrefix="rt-", PaginationConfig={"PageSize": 2})
        self.assertEqual([r["Name"] for page in pages for r in page["Rules"]], ["rt-a", "rt-b", "rt-c"])
        described = self.events.describe_rule(Name="rt-a", EventBusName="shop")
        self.assertEqual((described["State"], described["Description"], described["EventPattern"]), ("ENABLED", "round trip", '{"source": ["rt"]}'))
        self.events.disable_rule(Name="rt-a", EventBusName="shop")
        self.assertEqual(self.events.describe_rule(Name="rt-a", EventBusName="shop")["State"], "DISABLED")
        self.events.enable_rule(Name="rt-a", EventBusName="shop")
        self.events.put_targets(Rule="rt-a", EventBusName="shop", Targets=[
            {"Id": "q", "Arn": queue_arn("ev-orders"), "InputPath": "$.detail", "RetryPolicy": {"MaximumRetryAttempts": 3, "MaximumEventAgeInSeconds": 600}}])
        targets = self.events.list_targets_by_rule(Rule="rt-a", EventBusName="shop")["Targets"]
        self.assertEqual(targets[0]["InputPath"], "$.detail")
        self.assertEqual(targets[0]["RetryPolicy"], {"MaximumRetryAttempts": 3, "MaximumEventAgeInSeconds": 600})
        names = self.events.list_rule_names_by_target(TargetArn=queue_arn("ev-orders"), EventBusName="shop")["RuleNames"]
        self.assertIn("rt-a", names)
        with self.assertRaises(self.events.exceptions.ClientError) as refused:
            self.events.delete_rule(Name="rt-a", EventBusName="shop")
        self.assertEqual(refused.exception.response["Error"]["Code"], "ValidationException")
        self.events.remove_targets(Rule="rt-a", EventBusName="shop", Ids=["q"])
        self.events.delete_rule(Name="rt-a", EventBusName="shop")
        with self.assertRaises(self.events.exceptions.ResourceNotFoundException):
            self.events.describe_rule(Name="rt-a", EventBusName="shop")

    def test_buses_and_tags_round_trip(self):
        arn = self.events.create_event_bus(Name="rt-bus", Tags=[{"Key": "team", "Value": "a"}])["EventBusArn"]
        self.assertEqual(arn, f"arn:aws:events:{REGION}:{DEFAULT_ACCOUNT}:event-bus/rt-bus")
        with self.assertRaises(self.events.exceptions.ResourceAlreadyExistsException):
            self.events.create_event_bus(Name="rt-bus")
        self.assertEqual(self.events.describe_event_bus(Name="rt-bus")["Arn"], arn)
        self.assertIn("rt-bus", [b["Name"] for b in self.events.list_event_buses(NamePrefix="rt-")["EventBuses"]])
        self.events.tag_resource(ResourceARN=arn, Tags=[{"Key": "env", "Value": "test"}])
        self.events.untag_resource(ResourceARN=arn, TagKeys=["team"])
        self.assertEqual(self.events.list_tags_for_resource(ResourceARN=arn)["Tags"], [{"Key": "env", "Value": "test"}])
        rule_arn = self.events.put_rule(Name="tagged", EventBusName="rt-bus", EventPattern='{"source": ["x"]}', Tags=[{"Key": "k", "Value": "v"}])["RuleArn"]
        self.assertEqual(self.events.list_tags_for_resource(ResourceARN=rule_arn)["Tags"], [{"Key": "k", "Value": "v"}])
        self.events.delete_rule(Name="tagged", EventBusName="rt-bus")
        self.events.delete_event_bus(Name="rt-bus")
        with self.assertRaises(self.events.exceptions.ResourceNotFoundException):
            self.events.describe_event_bus(Name="rt-bus")

    def test_archive_and_replay_round_trip(self):
        bus_arn = self.events.create_event_bus(Name="replayed")["EventBusArn"]
        self.rule_to("replay-me", "ev-replayed", bus="replayed")
        archive = self.events.create_archive(ArchiveName="rt-archive", EventSourceArn=bus_arn, EventPattern='{"source": ["replay-me"]}', RetentionDays=1)
        self.assertEqual(archive["State"], "ENABLED")
        self.events.put_events(Entries=[{"Source": "replay-me", "DetailType": "t", "Detail": '{"n": 1}', "EventBusName": "replayed"}])
        self.assertNotIn("replay-name", json.loads(self.receive("ev-replayed")["Body"]))
        self.assertEqual(self.events.describe_archive(ArchiveName="rt-archive")["EventCount"], 1)
        self.events.update_archive(ArchiveName="rt-archive", Description="kept", RetentionDays=2)
        self.assertEqual(self.events.describe_archive(ArchiveName="rt-archive")["RetentionDays"], 2)
        self.assertIn("rt-archive", [a["ArchiveName"] for a in self.events.list_archives(NamePrefix="rt-")["Archives"]])
        now = datetime.datetime.now(datetime.timezone.utc)
        started = self.events.start_replay(ReplayName="rt-replay", EventSourceArn=archive["ArchiveArn"],
                                           EventStartTime=archive["CreationTime"] - datetime.timedelta(minutes=1), EventEndTime=now,
                                           Destination={"Arn": bus_arn})
        self.assertIn(started["State"], ("STARTING", "RUNNING", "COMPLETED"))
        replayed = json.loads(self.receive("ev-replayed")["Body"])
        self.assertEqual(replayed["replay-name"], "rt-replay")
        # The replayed event has arrived; the replay's state follows within a few calls.
        state = None
        for _ in range(50):
            state = self.events.describe_replay(ReplayName="rt-replay")["State"]
            if state == "COMPLETED":
                break
        self.assertEqual(state, "COMPLETED")
        self.assertEqual([r["ReplayName"] for r in self.events.list_replays(NamePrefix="rt-")["Replays"]], ["rt-replay"])
        with self.assertRaises(self.events.exceptions.IllegalStatusException):
            self.events.cancel_replay(ReplayName="rt-replay")
        self.events.delete_archive(ArchiveName="rt-archive")
        with self.assertRaises(self.events.exceptions.ResourceNotFoundException):
            self.events.describe_archive(ArchiveName="rt-archive")

    def test_test_event_pattern(self):
        event = {"id": "1", "account": DEFAULT_ACCOUNT, "source": "s", "time": "2026-01-01T00:00:00Z", "region": REGION,
                 "resources": [], "detail-type": "t", "detail": {"n": 5}}
        self.assertTrue(self.events.test_event_pattern(EventPattern='{"detail": {"n": [{"numeric": [">", 4]}]}}', Event=json.dumps(event))["Result"])
        self.assertFalse(self.events.test_event_pattern(EventPattern='{"source": ["other"]}', Event=json.dumps(event))["Result"])

    # Errors

    def test_errors_are_boto3_modeled_exceptions(self):
        with self.assertRaises(self.events.exceptions.ResourceNotFoundException):
            self.events.describe_rule(Name="ghost", EventBusName="shop")
        with self.assertRaises(self.events.exceptions.InvalidEventPatternException):
            self.events.put_rule(Name="bad", EventBusName="shop", EventPattern='{"source": "not-a-list"}')
        with self.assertRaises(self.events.exceptions.ClientError) as eleven:
            self.events.put_events(Entries=[{"Source": "s", "DetailType": "t", "Detail": "{}"}] * 11)
        self.assertEqual(eleven.exception.response["Error"]["Code"], "ValidationException")
        self.events.put_rule(Name="limited", EventBusName="shop", EventPattern='{"source": ["x"]}')
        with self.assertRaises(self.events.exceptions.LimitExceededException):
            self.events.put_targets(Rule="limited", EventBusName="shop", Targets=[{"Id": f"t{i}", "Arn": queue_arn("ev-orders")} for i in range(6)])
        with self.assertRaises(self.events.exceptions.ClientError) as retry:
            self.events.put_targets(Rule="limited", EventBusName="shop", Targets=[{"Id": "t", "Arn": queue_arn("ev-orders"), "RetryPolicy": {"MaximumRetryAttempts": 200}}])
        self.assertIn("'MaximumRetryAttempts' must be between 0 and 185, got 200", retry.exception.response["Error"]["Message"])
        failed = self.events.put_events(Entries=[{"Source": "s", "DetailType": "t", "Detail": "not json"}, {"Source": "s", "DetailType": "t", "Detail": "{}", "EventBusName": "ghost"}])
        self.assertEqual(failed["FailedEntryCount"], 2)
        self.assertEqual([e["ErrorCode"] for e in failed["Entries"]], ["MalformedDetail", "ResourceNotFoundException"])

    # Accounts

    def test_cross_account_put_is_refused_until_the_bus_policy_allows_it(self):
        central = f"arn:aws:events:{REGION}:{DEFAULT_ACCOUNT}:event-bus/central"
        entry = {"Source": "partner", "DetailType": "t", "Detail": '{"from": "other"}', "EventBusName": central}
        refused = self.other.put_events(Entries=[entry])
        self.assertEqual(refused["Entries"][0]["ErrorCode"], "AccessDeniedException")
        self.events.put_permission(EventBusName="central", Action="events:PutEvents", Principal=OTHER_ACCOUNT, StatementId="partner")
        policy = json.loads(self.events.describe_event_bus(Name="central")["Policy"])
        self.assertEqual(policy["Statement"][0]["Sid"], "partner")
        allowed = self.other.put_events(Entries=[entry])
        self.assertEqual(allowed["FailedEntryCount"], 0)
        event = json.loads(self.receive("ev-central")["Body"])
        self.assertEqual((event["account"], event["detail"]), (OTHER_ACCOUNT, {"from": "other"}))
        self.events.remove_permission(EventBusName="central", StatementId="partner")
        self.assertEqual(self.other.put_events(Entries=[entry])["FailedEntryCount"], 1)

    # Text

    def test_non_ascii_text_both_ways(self):
        text = "grüß dich, 東京 😀"
        self.rule_to("texte", "ev-text", pattern={"source": ["texte"], "detail": {"greeting": [text]}})
        self.events.put_rule(Name="texte", EventBusName="shop", EventPattern=json.dumps({"source": ["texte"], "detail": {"greeting": [text]}}), Description=text)
        self.assertEqual(self.events.describe_rule(Name="texte", EventBusName="shop")["Description"], text)
        self.events.put_events(Entries=[{"Source": "texte", "DetailType": "Grüße", "Detail": json.dumps({"greeting": text}), "EventBusName": "shop"}])
        event = json.loads(self.receive("ev-text")["Body"])
        self.assertEqual((event["detail"]["greeting"], event["detail-type"]), (text, "Grüße"))

    # AWS CLI

    def test_aws_cli_put_events_and_list_rules(self):
        self.rule_to("cli", "ev-cli")
        entries = json.dumps([{"Source": "cli", "DetailType": "t", "Detail": '{"via": "cli"}', "EventBusName": "shop"}])
        status, body, _ = self.server.aws("events", "put-events", "--entries", entries, access_key=MAIN_KEY, secret_key="main-secret")
        self.assertEqual((status, body["FailedEntryCount"]), (0, 0))
        self.assertEqual(json.loads(self.receive("ev-cli")["Body"])["detail"], {"via": "cli"})
        status, body, _ = self.server.aws("events", "list-rules", "--event-bus-name", "shop", "--name-prefix", "cli", access_key=MAIN_KEY, secret_key="main-secret")
        self.assertEqual([r["Name"] for r in body["Rules"]], ["cli"])
        status, _, stderr = self.server.aws("events", "describe-rule", "--name", "ghost", access_key=MAIN_KEY, secret_key="main-secret", check=False)
        self.assertNotEqual(status, 0)
        self.assertIn("ResourceNotFoundException", stderr)


if __name__ == "__main__":
    unittest.main()
