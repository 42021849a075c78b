"""Lambda over rest-json with real boto3 and the AWS CLI against `eventrouter run` on
workspaces/lambda (process, worker and Swift functions): synchronous and asynchronous
invocations, the log tail, event-invoke configurations ending in an OnFailure destination,
reserved concurrency throttling a burst, event source mappings created over the API, and
the refusal of CreateFunction and friends. The server runs with `--async-retry-delays 0.2,0.4`
so an asynchronous event exhausts its retries in well under a second."""
import base64
import concurrent.futures
import json
import os
import shutil
import tempfile
import unittest

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from harness import DEFAULT_ACCOUNT, Server

ARN = f"arn:aws:lambda:us-east-1:{DEFAULT_ACCOUNT}:function:"
FAILURES = f"arn:aws:sqs:us-east-1:{DEFAULT_ACCOUNT}:failures"
INBOX = f"arn:aws:sqs:us-east-1:{DEFAULT_ACCOUNT}:inbox"
ORDER = {"detail": {"orderId": "o-1", "items": [{"sku": "a", "price": 2.5, "quantity": 2}, {"sku": "b", "price": 1.25}]}}


class LambdaTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server("lambda", args=["--log-level", "info", "--async-retry-delays", "0.2,0.4"]).start()
        cls.lam = cls.server.client("lambda")
        cls.sqs = cls.server.client("sqs")
        cls.scratch = tempfile.mkdtemp(prefix="eventrouter-lambda-")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.scratch)
        assert cls.server.stop() == 0

    def error(self, call, **kwargs):
        with self.assertRaises(ClientError) as raised:
            call(**kwargs)
        return raised.exception.response

    # Invoke

    def test_sync_invoke_of_a_process_function_returns_its_result(self):
        response = self.lam.invoke(FunctionName="echo", Payload=json.dumps({"hello": "wörld"}))
        self.assertEqual(response["StatusCode"], 200)
        self.assertEqual(response["ExecutedVersion"], "$LATEST")
        self.assertNotIn("FunctionError", response)
        self.assertEqual(json.loads(response["Payload"].read()), {"hello": "wörld"})

    def test_sync_invoke_of_the_swift_example_function_by_arn(self):
        response = self.lam.invoke(FunctionName=ARN + "order-total", Payload=json.dumps(ORDER))
        self.assertEqual(json.loads(response["Payload"].read()), {"orderId": "o-1", "total": 6.25, "itemCount": 3})

    def test_sync_invoke_of_a_python_worker_function(self):
        response = self.lam.invoke(FunctionName=f"{DEFAULT_ACCOUNT}:function:py-worker", Payload=b'{"n": 1}', Qualifier="$LATEST")
        self.assertEqual(json.loads(response["Payload"].read()), {"echo": {"n": 1}})

    def test_a_function_error_is_a_200_with_the_function_error_header(self):
        response = self.lam.invoke(FunctionName="order-total", Payload=json.dumps({"detail": {"orderId": "o-2", "items": []}}))
        self.assertEqual(response["StatusCode"], 200)
        self.assertEqual(response["FunctionError"], "Unhandled")
        body = json.loads(response["Payload"].read())
        self.assertEqual(body["errorType"], "EmptyOrder")
        self.assertEqual(body["errorMessage"], "order o-2 has no items")

    def test_log_type_tail_returns_the_handlers_log(self):
        response = self.lam.invoke(FunctionName="logger", Payload=b"{}", LogType="Tail")
        log = base64.b64decode(response["LogResult"]).decode()
        request_id = response["ResponseMetadata"]["RequestId"]
        self.assertIn(f"START RequestId: {request_id} Version: $LATEST", log)
        self.assertIn(f"logger: handling request {request_id}", log)
        self.assertIn(f"REPORT RequestId: {request_id}", log)

    def test_dry_run_and_event_invocations(self):
        self.assertEqual(self.lam.invoke(FunctionName="echo", InvocationType="DryRun")["StatusCode"], 204)
        self.assertEqual(self.lam.invoke(FunctionName="echo", InvocationType="Event", Payload=b"{}")["StatusCode"], 202)

    def test_bad_invocations_answer_lambdas_errors(self):
        missing = self.error(self.lam.invoke, FunctionName="ghost", Payload=b"{}")
        self.assertEqual(missing["Error"]["Code"], "ResourceNotFoundException")
        self.assertEqual(missing["ResponseMetadata"]["HTTPStatusCode"], 404)
        self.assertIn("Function not found: " + ARN + "ghost", missing["Error"]["Message"])
        alias = self.error(self.lam.invoke, FunctionName="echo", Qualifier="prod", Payload=b"{}")
        self.assertIn("The function's aliases are none", alias["Error"]["Message"])
        bad = self.error(self.lam.invoke, FunctionName="echo", Payload=b"{not json")
        self.assertEqual(bad["Error"]["Code"], "InvalidRequestContentException")
        large = self.error(self.lam.invoke, FunctionName="echo", InvocationType="Event", Payload=json.dumps({"x": "y" * 1_048_576}))
        self.assertEqual(large["ResponseMetadata"]["HTTPStatusCode"], 413)
        self.assertEqual(large["Error"]["Code"], "RequestEntityTooLargeException")

    # Asynchronous invocation: retries, then the OnFailure destination

    def test_an_async_invoke_ends_in_its_on_failure_destination_after_retries(self):
        put = self.lam.put_function_event_invoke_config(
            FunctionName="fail", MaximumRetryAttempts=2, DestinationConfig={"OnFailure": {"Destination": FAILURES}})
        self.assertEqual(put["FunctionArn"], ARN + "fail:$LATEST")
        got = self.lam.get_function_event_invoke_config(FunctionName="fail")
        self.assertEqual(got["DestinationConfig"]["OnFailure"]["Destination"], FAILURES)
        accepted = self.lam.invoke(FunctionName="fail", InvocationType="Event", Payload=json.dumps({"order": 7}))
        self.assertEqual(accepted["StatusCode"], 202)
        url = self.sqs.get_queue_url(QueueName="failures")["QueueUrl"]
        messages = self.sqs.receive_message(QueueUrl=url, WaitTimeSeconds=15).get("Messages", [])
        self.assertEqual(len(messages), 1, "no invocation record reached the OnFailure queue within 15 s")
        record = json.loads(messages[0]["Body"])
        self.assertEqual(record["requestContext"]["condition"], "RetriesExhausted")
        self.assertEqual(record["requestContext"]["approximateInvokeCount"], 3)
        self.assertEqual(record["requestContext"]["requestId"], accepted["ResponseMetadata"]["RequestId"])
        self.assertEqual(record["requestPayload"], {"order": 7})
        self.assertEqual(record["responseContext"]["functionError"], "Unhandled")
        self.assertIn("boom", record["responsePayload"]["errorMessage"])

    def test_event_invoke_config_update_list_delete(self):
        self.lam.put_function_event_invoke_config(FunctionName="logger", MaximumEventAgeInSeconds=3600)
        updated = self.lam.update_function_event_invoke_config(FunctionName="logger", MaximumRetryAttempts=0)
        self.assertEqual((updated["MaximumRetryAttempts"], updated["MaximumEventAgeInSeconds"]), (0, 3600))
        listed = self.lam.list_function_event_invoke_configs(FunctionName="logger")["FunctionEventInvokeConfigs"]
        self.assertEqual([c["FunctionArn"] for c in listed], [ARN + "logger:$LATEST"])
        self.lam.delete_function_event_invoke_config(FunctionName="logger")
        gone = self.error(self.lam.get_function_event_invoke_config, FunctionName="logger")
        self.assertEqual(gone["Error"]["Code"], "ResourceNotFoundException")
        wrong = self.error(self.lam.put_function_event_invoke_config, FunctionName="logger", MaximumRetryAttempts=5)
        self.assertEqual(wrong["Error"]["Code"], "InvalidParameterValueException")
        self.assertIn("MaximumRetryAttempts", wrong["Error"]["Message"])

    # Concurrency

    def test_reserved_concurrency_throttles_a_burst(self):
        self.assertEqual(self.lam.put_function_concurrency(FunctionName="slow", ReservedConcurrentExecutions=1)["ReservedConcurrentExecutions"], 1)
        self.assertEqual(self.lam.get_function_concurrency(FunctionName="slow")["ReservedConcurrentExecutions"], 1)
        self.assertEqual(self.lam.get_function(FunctionName="slow")["Concurrency"]["ReservedConcurrentExecutions"], 1)
        settings = self.lam.get_account_settings()
        self.assertEqual(settings["AccountLimit"]["ConcurrentExecutions"], 1000)
        self.assertEqual(settings["AccountLimit"]["UnreservedConcurrentExecutions"], 999)
        self.assertEqual(settings["AccountUsage"]["FunctionCount"], 7)

        def call(i):
            # total_max_attempts=1 is AWS_MAX_ATTEMPTS=1: the client does not resend a 429 by itself.
            client = boto3.client("lambda", endpoint_url=self.server.endpoint, region_name="us-east-1", aws_access_key_id="test",
                                  aws_secret_access_key="test", config=Config(retries={"total_max_attempts": 1}))
            try:
                return client.invoke(FunctionName="slow", Payload=json.dumps({"i": i}))["StatusCode"]
            except ClientError as error:
                return error.response
        try:
            with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
                results = list(pool.map(call, range(4)))
        finally:
            self.lam.delete_function_concurrency(FunctionName="slow")
        throttled = [r for r in results if isinstance(r, dict)]
        self.assertGreaterEqual(results.count(200), 1, results)
        self.assertGreaterEqual(len(throttled), 1, results)
        for response in throttled:
            self.assertEqual(response["ResponseMetadata"]["HTTPStatusCode"], 429)
            self.assertEqual(response["Error"]["Code"], "TooManyRequestsException")
            self.assertEqual(response["Reason"], "ReservedFunctionConcurrentInvocationLimitExceeded")
        self.assertEqual(self.lam.get_function_concurrency(FunctionName="slow").get("ReservedConcurrentExecutions"), None)

    # Functions

    def test_list_get_and_configuration_come_from_the_functions_folders(self):
        names = []
        for page in self.lam.get_paginator("list_functions").paginate(PaginationConfig={"PageSize": 3}):
            names += [f["FunctionName"] for f in page["Functions"]]
        self.assertEqual(names, ["collect", "echo", "fail", "logger", "order-total", "py-worker", "slow"])
        config = self.lam.get_function_configuration(FunctionName="echo")
        self.assertEqual((config["State"], config["LastUpdateStatus"], config["Handler"], config["Timeout"]), ("Active", "Successful", "handler.sh", 3))
        self.assertEqual(config["Environment"]["Variables"], {"GREETING": "hello"})
        self.assertEqual(config["FunctionArn"], ARN + "echo")
        swift = self.lam.get_function(FunctionName="order-total")["Configuration"]
        self.assertEqual((swift["Runtime"], swift["Handler"], swift["MemorySize"]), ("provided.al2023", "OrderTotal", 128))

    def test_creating_or_changing_functions_is_refused_with_the_folder_layout(self):
        for call, kwargs in [
            (self.lam.create_function, {"FunctionName": "new", "Role": "arn:aws:iam::123456789012:role/r", "Code": {"ZipFile": b"x"}}),
            (self.lam.update_function_code, {"FunctionName": "echo", "ZipFile": b"x"}),
            (self.lam.update_function_configuration, {"FunctionName": "echo", "Timeout": 9}),
            (self.lam.delete_function, {"FunctionName": "echo"}),
        ]:
            response = self.error(call, **kwargs)
            self.assertEqual(response["Error"]["Code"], "InvalidParameterValueException")
            self.assertIn("functions are folders under Functions/", response["Error"]["Message"])
            self.assertIn("Functions/NAME/function.json", response["Error"]["Message"])

    # Event source mappings

    def test_a_mapping_created_over_the_api_feeds_the_function(self):
        created = self.lam.create_event_source_mapping(EventSourceArn=INBOX, FunctionName="collect", BatchSize=5,
                                                       FunctionResponseTypes=["ReportBatchItemFailures"])
        uuid = created["UUID"]
        self.assertEqual(created["State"], "Creating")
        self.assertEqual(created["ResponseMetadata"]["HTTPStatusCode"], 202)
        try:
            url = self.sqs.get_queue_url(QueueName="inbox")["QueueUrl"]
            self.sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"job": 1}))
            line = self.server.wait_for_line("function:collect")
            self.assertIsNotNone(line, "the mapping did not invoke collect within 20 s:\n" + "".join(self.server.output))
            self.assertIn("success", line)
            got = self.lam.get_event_source_mapping(UUID=uuid)
            self.assertEqual((got["State"], got["LastProcessingResult"], got["BatchSize"]), ("Enabled", "OK", 5))
            listed = self.lam.list_event_source_mappings(FunctionName="collect", EventSourceArn=INBOX)["EventSourceMappings"]
            self.assertEqual([m["UUID"] for m in listed], [uuid])
            updated = self.lam.update_event_source_mapping(UUID=uuid, BatchSize=2, Enabled=False)
            self.assertEqual((updated["State"], updated["BatchSize"]), ("Disabling", 2))
            attributes = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
            self.assertEqual(attributes["ApproximateNumberOfMessages"], "0")
            self.assertEqual(attributes["ApproximateNumberOfMessagesNotVisible"], "0")
        finally:
            deleted = self.lam.delete_event_source_mapping(UUID=uuid)
        self.assertEqual(deleted["State"], "Deleting")
        self.assertEqual(self.error(self.lam.get_event_source_mapping, UUID=uuid)["Error"]["Code"], "ResourceNotFoundException")
        unknown = self.error(self.lam.create_event_source_mapping, EventSourceArn=INBOX + "-ghost", FunctionName="collect")
        self.assertEqual(unknown["Error"]["Code"], "InvalidParameterValueException")

    def test_a_stream_mapping_created_over_the_api_reads_what_a_rule_puts_on_the_stream(self):
        stream = f"arn:aws:kinesis:us-east-1:{DEFAULT_ACCOUNT}:stream/clicks"
        created = self.lam.create_event_source_mapping(
            EventSourceArn=stream, FunctionName="echo", StartingPosition="TRIM_HORIZON", BatchSize=10,
            BisectBatchOnFunctionError=True, MaximumRetryAttempts=1, MaximumRecordAgeInSeconds=3600, ParallelizationFactor=2,
            DestinationConfig={"OnFailure": {"Destination": FAILURES}},
            FilterCriteria={"Filters": [{"Pattern": json.dumps({"data": {"source": ["clicks"]}})}]})
        uuid = created["UUID"]
        try:
            self.assertEqual((created["State"], created["StartingPosition"], created["ParallelizationFactor"]), ("Creating", "TRIM_HORIZON", 2))
            self.assertEqual(created["DestinationConfig"]["OnFailure"]["Destination"], FAILURES)
            events = self.server.client("events")
            events.put_events(Entries=[{"Source": "clicks", "DetailType": "Click", "Detail": json.dumps({"user": "u1"})}])
            line = self.server.wait_for_line("stream/clicks shard")
            self.assertIsNotNone(line, "the stream mapping did not invoke echo within 20 s:\n" + "".join(self.server.output))
            self.assertIn("success", line)
            self.assertIn("function:echo", line)
            got = self.lam.get_event_source_mapping(UUID=uuid)
            self.assertEqual((got["State"], got["LastProcessingResult"], got["BisectBatchOnFunctionError"]), ("Enabled", "OK", True))
        finally:
            self.lam.delete_event_source_mapping(UUID=uuid)

    # The AWS CLI (the README tour's commands, verbatim apart from --endpoint-url)

    def test_cli_tour(self):
        # The README tour's commands on the example workspace, verbatim apart from --endpoint-url
        # (the harness adds it): list the functions, invoke one with its log, read the result,
        # put an event-invoke configuration.
        _, listed, _ = self.server.aws("lambda", "list-functions", "--query", "Functions[].FunctionName")
        self.assertIn("order-total", listed)
        out = os.path.join(self.scratch, "out.json")
        _, invoked, _ = self.server.aws("lambda", "invoke", "--function-name", "order-total", "--log-type", "Tail", "--payload",
                                        '{"detail": {"orderId": "o-1", "items": [{"sku": "a", "price": 2.5, "quantity": 2}]}}', out)
        self.assertEqual((invoked["StatusCode"], invoked["ExecutedVersion"]), (200, "$LATEST"))
        with open(out) as f:
            self.assertEqual(json.load(f), {"orderId": "o-1", "total": 5, "itemCount": 2})
        self.assertIn("START RequestId:", base64.b64decode(invoked["LogResult"]).decode())
        _, config, _ = self.server.aws("lambda", "put-function-event-invoke-config", "--function-name", "order-total",
                                       "--maximum-retry-attempts", "0", "--destination-config",
                                       '{"OnFailure": {"Destination": "arn:aws:sqs:us-east-1:123456789012:order-total-failures"}}')
        self.assertEqual(config["MaximumRetryAttempts"], 0)
        self.assertEqual(config["DestinationConfig"]["OnFailure"]["Destination"], "arn:aws:sqs:us-east-1:123456789012:order-total-failures")
        status, _, stderr = self.server.aws("lambda", "invoke", "--function-name", "ghost", out, check=False)
        self.assertNotEqual(status, 0)
        self.assertIn("ResourceNotFoundException", stderr)


if __name__ == "__main__":
    unittest.main()
