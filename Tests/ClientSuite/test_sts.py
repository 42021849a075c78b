"""STS GetCallerIdentity through boto3 and the AWS CLI, and the admin health endpoint."""
import unittest
import urllib.request

from harness import DEFAULT_ACCOUNT, Server


class STSTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server().start()

    @classmethod
    def tearDownClass(cls):
        assert cls.server.stop() == 0

    def test_health_answers_ready(self):
        with urllib.request.urlopen(self.server.endpoint + "/_eventrouter/health") as response:
            self.assertEqual(response.status, 200)

    def test_boto3_caller_identity_is_the_default_account(self):
        identity = self.server.client("sts").get_caller_identity()
        self.assertEqual(identity["Account"], DEFAULT_ACCOUNT)

    def test_cli_caller_identity_is_the_default_account(self):
        status, body, _ = self.server.aws("sts", "get-caller-identity")
        self.assertEqual(status, 0)
        self.assertEqual(body["Account"], DEFAULT_ACCOUNT)


if __name__ == "__main__":
    unittest.main()
