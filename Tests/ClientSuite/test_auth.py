"""Accounts from the workspace's Accounts[].AccessKeys (and --access-keys files), and --strict-auth
with real clients: a right secret, a wrong one, and a key of no account, in each protocol."""
import json
import os
import subprocess
import tempfile
import unittest

from botocore.exceptions import ClientError

from harness import DEFAULT_ACCOUNT, Server

ALICE = ("AKIDALICE", "alice-secret", "111122223333")
BOB = ("AKIDBOB", "bob-secret", "444455556666")


def error_of(call):
    """(code, HTTP status) of the ClientError `call()` raises."""
    try:
        call()
    except ClientError as error:
        return error.response["Error"]["Code"], error.response["ResponseMetadata"]["HTTPStatusCode"]
    raise AssertionError("the call succeeded")


class StrictAuthTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server("auth", ["--strict-auth"]).start()

    @classmethod
    def tearDownClass(cls):
        assert cls.server.stop() == 0

    def test_workspace_keys_give_the_callers_account(self):
        for key, secret, account in (ALICE, BOB):
            identity = self.server.client("sts", access_key=key, secret_key=secret).get_caller_identity()
            self.assertEqual(identity["Account"], account)
            self.assertEqual(identity["Arn"], f"arn:aws:iam::{account}:root")

    def test_cli_with_the_right_secret(self):
        status, body, _ = self.server.aws("sts", "get-caller-identity", access_key=ALICE[0], secret_key=ALICE[1])
        self.assertEqual(status, 0)
        self.assertEqual(body["Account"], ALICE[2])

    def test_a_wrong_secret_is_refused_in_the_query_protocol(self):
        sts = self.server.client("sts", access_key=ALICE[0], secret_key="not-alices")
        self.assertEqual(error_of(sts.get_caller_identity), ("SignatureDoesNotMatch", 403))

    def test_a_wrong_secret_is_refused_in_the_json_protocols(self):
        sqs = self.server.client("sqs", access_key=ALICE[0], secret_key="not-alices")
        self.assertEqual(error_of(sqs.list_queues), ("InvalidSignatureException", 403))
        events = self.server.client("events", access_key=BOB[0], secret_key="not-bobs")
        self.assertEqual(error_of(events.list_rules), ("InvalidSignatureException", 403))

    def test_the_cli_reports_a_wrong_secret(self):
        status, _, errors = self.server.aws("sts", "get-caller-identity", access_key=ALICE[0], secret_key="wrong", check=False)
        self.assertNotEqual(status, 0)
        self.assertIn("SignatureDoesNotMatch", errors)

    def test_a_key_of_no_account_is_refused(self):
        sts = self.server.client("sts", access_key="AKIDMALLORY", secret_key="x")
        self.assertEqual(error_of(sts.get_caller_identity), ("InvalidClientTokenId", 403))
        events = self.server.client("events", access_key="AKIDMALLORY", secret_key="x")
        self.assertEqual(error_of(events.list_rules), ("UnrecognizedClientException", 403))
        sqs = self.server.client("sqs", access_key="AKIDMALLORY", secret_key="x")
        self.assertEqual(error_of(sqs.list_queues), ("UnrecognizedClientException", 403))


class OpenAuthTests(unittest.TestCase):
    """Without --strict-auth every key works: mapped keys act for their account, whatever the secret."""

    @classmethod
    def setUpClass(cls):
        cls.keys = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
        json.dump({"Accounts": [{"Id": "777788889999", "AccessKeys": [{"AccessKeyId": "AKIDCAROL", "SecretAccessKey": "c"}]}]}, cls.keys)
        cls.keys.close()
        cls.server = Server("auth", ["--access-keys", cls.keys.name]).start()

    @classmethod
    def tearDownClass(cls):
        assert cls.server.stop() == 0
        os.unlink(cls.keys.name)

    def test_accounts_come_from_the_workspace_the_key_file_a_12_digit_key_or_the_default(self):
        for key, account in (("AKIDALICE", "111122223333"), ("AKIDCAROL", "777788889999"), ("210987654321", "210987654321"),
                             ("AKIDSOMEONE", DEFAULT_ACCOUNT)):
            identity = self.server.client("sts", access_key=key, secret_key="any").get_caller_identity()
            self.assertEqual(identity["Account"], account, key)

    def test_a_key_declared_for_two_accounts_stops_the_start_naming_both(self):
        with tempfile.NamedTemporaryFile("w", suffix=".json") as keys:
            json.dump({"Accounts": [{"Id": "777788889999", "AccessKeys": [{"AccessKeyId": "AKIDALICE", "SecretAccessKey": "x"}]}]}, keys)
            keys.flush()
            result = subprocess.run([os.environ["EVENTROUTER_BINARY"], "run", "--port", "0", "--in-memory", "--workspace", self.server.workspace,
                                     "--access-keys", keys.name], capture_output=True, text=True, timeout=30)
        self.assertEqual(result.returncode, 1)
        self.assertIn(f"access key 'AKIDALICE' is declared for account 111122223333 (the workspace's Accounts) and for account "
                      f"777788889999 (--access-keys {keys.name})", result.stderr)


if __name__ == "__main__":
    unittest.main()
