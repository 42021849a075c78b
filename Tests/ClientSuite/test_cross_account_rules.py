"""Rules in another account's bus (issue 17 item 6) with real boto3 clients and two access keys:
the creator account puts a rule and its targets on the bus owner's bus (by ARN), as the bus's
policy allows; the rule delivers to the creator's own queue; what the policy does not allow is
AccessDeniedException; the owner sees the rule with CreatedBy."""
import json
import unittest

from botocore.exceptions import ClientError

from harness import Server, temporary_workspace

OWNER = ("AKIDOWNER", "owner-secret", "123456789012")
SALES = ("AKIDSALES", "sales-secret", "111122223333")
OTHER = ("AKIDOTHER", "other-secret", "222233334444")
CENTRAL = "arn:aws:events:us-east-1:123456789012:event-bus/central"
RULES = "arn:aws:events:us-east-1:123456789012:rule/central/*"

WORKSPACE = {
    "central.json": {
        "Account": "123456789012",
        "Accounts": [
            {"Id": OWNER[2], "AccessKeys": [{"AccessKeyId": OWNER[0], "SecretAccessKey": OWNER[1]}]},
            {"Id": SALES[2], "OrganizationId": "o-aaaaaaaaaa", "AccessKeys": [{"AccessKeyId": SALES[0], "SecretAccessKey": SALES[1]}]},
            {"Id": OTHER[2], "AccessKeys": [{"AccessKeyId": OTHER[0], "SecretAccessKey": OTHER[1]}]},
        ],
        "EventBuses": [{"Name": "central", "Policy": {"Version": "2012-10-17", "Statement": [{
            "Sid": "org-rules", "Effect": "Allow", "Principal": "*",
            "Action": ["events:PutRule", "events:PutTargets", "events:DeleteRule", "events:RemoveTargets", "events:DescribeRule"],
            "Resource": RULES,
            "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-aaaaaaaaaa"},
                          "StringEqualsIfExists": {"events:creatorAccount": "${aws:PrincipalAccount}"},
                          "ForAllValues:StringEquals": {"events:source": ["shop.sales"]}}}]}}],
    },
    "sales.json": {"Account": "111122223333", "Queues": [{"QueueName": "sales-inbox"}]},
    "other.json": {"Account": "222233334444", "Queues": [{"QueueName": "elsewhere"}]},
}


def error_of(call):
    """(code, message) of the ClientError `call()` raises."""
    try:
        call()
    except ClientError as error:
        return error.response["Error"]["Code"], error.response["Error"]["Message"]
    raise AssertionError("the call succeeded")


class CrossAccountRuleTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(temporary_workspace(WORKSPACE), ["--strict-auth"]).start()
        cls.owner = cls.server.client("events", access_key=OWNER[0], secret_key=OWNER[1])
        cls.sales = cls.server.client("events", access_key=SALES[0], secret_key=SALES[1])
        cls.other = cls.server.client("events", access_key=OTHER[0], secret_key=OTHER[1])
        cls.sales_sqs = cls.server.client("sqs", access_key=SALES[0], secret_key=SALES[1])

    @classmethod
    def tearDownClass(cls):
        assert cls.server.stop() == 0

    def test_a_rule_created_on_another_accounts_bus_delivers_to_the_creators_queue(self):
        arn = self.sales.put_rule(Name="sales-to-inbox", EventBusName=CENTRAL,
                                  EventPattern=json.dumps({"source": ["shop.sales"]}))["RuleArn"]
        self.assertEqual(arn, "arn:aws:events:us-east-1:123456789012:rule/central/sales-to-inbox")
        queue = self.sales_sqs.get_queue_url(QueueName="sales-inbox")["QueueUrl"]
        queue_arn = "arn:aws:sqs:us-east-1:111122223333:sales-inbox"
        reply = self.sales.put_targets(Rule="sales-to-inbox", EventBusName=CENTRAL, Targets=[{"Id": "inbox", "Arn": queue_arn}])
        self.assertEqual(reply["FailedEntryCount"], 0)
        described = self.sales.describe_rule(Name="sales-to-inbox", EventBusName=CENTRAL)
        self.assertEqual(described["CreatedBy"], SALES[2])
        self.assertEqual(described["Arn"], arn)
        # The owner lists it on its bus and sees who created it.
        listed = self.owner.list_rules(EventBusName="central")["Rules"]
        self.assertIn("sales-to-inbox", [r["Name"] for r in listed])
        self.assertEqual(self.owner.describe_rule(Name="sales-to-inbox", EventBusName="central")["CreatedBy"], SALES[2])
        # An event on central reaches the creator's queue.
        put = self.owner.put_events(Entries=[{"Source": "shop.sales", "DetailType": "Sale", "Detail": "{\"n\": 1}", "EventBusName": "central"}])
        self.assertEqual(put["FailedEntryCount"], 0)
        messages = self.sales_sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=10, MaxNumberOfMessages=1).get("Messages", [])
        self.assertEqual(len(messages), 1)
        self.assertEqual(json.loads(messages[0]["Body"])["id"], put["Entries"][0]["EventId"])
        # Tidy up as the creator.
        self.sales.remove_targets(Rule="sales-to-inbox", EventBusName=CENTRAL, Ids=["inbox"])
        self.sales.delete_rule(Name="sales-to-inbox", EventBusName=CENTRAL)
        self.assertNotIn("sales-to-inbox", [r["Name"] for r in self.owner.list_rules(EventBusName="central")["Rules"]])

    def test_a_source_the_policy_does_not_allow_is_refused(self):
        code, message = error_of(lambda: self.sales.put_rule(Name="orders", EventBusName=CENTRAL,
                                                             EventPattern=json.dumps({"source": ["shop.orders"]})))
        self.assertEqual(code, "AccessDeniedException")
        self.assertIn("requires events:source ForAllValues:StringEquals shop.sales; here events:source is shop.orders", message)

    def test_an_account_outside_the_organization_is_refused(self):
        code, message = error_of(lambda: self.other.put_rule(Name="mine", EventBusName=CENTRAL,
                                                             EventPattern=json.dumps({"source": ["shop.sales"]})))
        self.assertEqual(code, "AccessDeniedException")
        self.assertIn("account 222233334444 is not allowed to call PutRule", message)

    def test_a_target_in_a_third_account_is_refused(self):
        self.sales.put_rule(Name="to-elsewhere", EventBusName=CENTRAL, EventPattern=json.dumps({"source": ["shop.sales"]}))
        code, message = error_of(lambda: self.sales.put_targets(
            Rule="to-elsewhere", EventBusName=CENTRAL, Targets=[{"Id": "x", "Arn": "arn:aws:sqs:us-east-1:222233334444:elsewhere"}]))
        self.assertEqual(code, "AccessDeniedException")
        self.assertIn("may only target resources of the account that created it (111122223333)", message)
        self.sales.delete_rule(Name="to-elsewhere", EventBusName=CENTRAL)


if __name__ == "__main__":
    unittest.main()
