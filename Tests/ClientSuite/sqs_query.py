"""A botocore SQS client that speaks the QUERY protocol (form requests, XML replies), as
botocore < 1.34.90 and Debian's AWS CLI 2.9.19 do.

botocore 1.44 speaks JSON to SQS. This copies its SQS model, switches the protocol to "query"
and restores what the query-era model had (the flattened element names, each operation's
`resultWrapper` and the legacy error codes), then loads it through a `botocore.loaders.Loader`
search path, so real botocore serialises the requests and parses the XML replies.
"""
import gzip
import json
import os
import tempfile

import boto3
import botocore.loaders
import botocore.session
from botocore.config import Config

# The query-era model's `locationName`s (botocore 1.34.89, sqs/2012-11-05).
LIST_MEMBER_NAMES = {
    "AWSAccountIdList": "AWSAccountId", "ActionNameList": "ActionName", "AttributeNameList": "AttributeName",
    "BatchResultErrorEntryList": "BatchResultErrorEntry", "BinaryList": "BinaryListValue",
    "ChangeMessageVisibilityBatchRequestEntryList": "ChangeMessageVisibilityBatchRequestEntry",
    "ChangeMessageVisibilityBatchResultEntryList": "ChangeMessageVisibilityBatchResultEntry",
    "DeleteMessageBatchRequestEntryList": "DeleteMessageBatchRequestEntry",
    "DeleteMessageBatchResultEntryList": "DeleteMessageBatchResultEntry",
    "ListMessageMoveTasksResultEntryList": "ListMessageMoveTasksResultEntry", "MessageAttributeNameList": "MessageAttributeName",
    "MessageSystemAttributeList": "MessageSystemAttributeName", "MessageList": "Message", "QueueUrlList": "QueueUrl",
    "SendMessageBatchRequestEntryList": "SendMessageBatchRequestEntry", "SendMessageBatchResultEntryList": "SendMessageBatchResultEntry",
    "StringList": "StringListValue", "TagKeyList": "TagKey",
}
MAP_NAMES = {
    "MessageBodyAttributeMap": ("Name", "Value"), "MessageBodySystemAttributeMap": ("Name", "Value"),
    "MessageSystemAttributeMap": ("Name", "Value"), "QueueAttributeMap": ("Name", "Value"), "TagMap": ("Key", "Value"),
}
MEMBER_NAMES = {
    ("CreateQueueRequest", "Attributes"): "Attribute", ("CreateQueueRequest", "tags"): "Tag",
    ("GetQueueAttributesResult", "Attributes"): "Attribute", ("ListQueueTagsResult", "Tags"): "Tag",
    ("Message", "Attributes"): "Attribute", ("Message", "MessageAttributes"): "MessageAttribute",
    ("MessageAttributeValue", "StringListValues"): "StringListValue", ("MessageAttributeValue", "BinaryListValues"): "BinaryListValue",
    ("MessageSystemAttributeValue", "StringListValues"): "StringListValue", ("MessageSystemAttributeValue", "BinaryListValues"): "BinaryListValue",
    ("SendMessageBatchRequestEntry", "MessageAttributes"): "MessageAttribute",
    ("SendMessageBatchRequestEntry", "MessageSystemAttributes"): "MessageSystemAttribute",
    ("SendMessageRequest", "MessageAttributes"): "MessageAttribute", ("SendMessageRequest", "MessageSystemAttributes"): "MessageSystemAttribute",
    ("SetQueueAttributesRequest", "Attributes"): "Attribute",
}
ERRORS = {
    "BatchEntryIdsNotDistinct": ("AWS.SimpleQueueService.BatchEntryIdsNotDistinct", 400),
    "BatchRequestTooLong": ("AWS.SimpleQueueService.BatchRequestTooLong", 400),
    "EmptyBatchRequest": ("AWS.SimpleQueueService.EmptyBatchRequest", 400),
    "InvalidBatchEntryId": ("AWS.SimpleQueueService.InvalidBatchEntryId", 400),
    "MessageNotInflight": ("AWS.SimpleQueueService.MessageNotInflight", 400),
    "OverLimit": ("OverLimit", 403),
    "PurgeQueueInProgress": ("AWS.SimpleQueueService.PurgeQueueInProgress", 403),
    "QueueDeletedRecently": ("AWS.SimpleQueueService.QueueDeletedRecently", 400),
    "QueueDoesNotExist": ("AWS.SimpleQueueService.NonExistentQueue", 400),
    "QueueNameExists": ("QueueAlreadyExists", 400),
    "ResourceNotFoundException": ("ResourceNotFoundException", 404),
    "TooManyEntriesInBatchRequest": ("AWS.SimpleQueueService.TooManyEntriesInBatchRequest", 400),
    "UnsupportedOperation": ("AWS.SimpleQueueService.UnsupportedOperation", 400),
}


def query_model(json_model):
    """The query-protocol variant of botocore 1.44's JSON SQS model."""
    model = json.loads(json.dumps(json_model))
    metadata = model["metadata"]
    for key in ("awsQueryCompatible", "jsonVersion", "targetPrefix"):
        metadata.pop(key, None)
    metadata.update(protocol="query", protocols=["query"], xmlNamespace="http://queue.amazonaws.com/doc/2012-11-05/")
    for name, operation in model["operations"].items():
        if "output" in operation:
            operation["output"]["resultWrapper"] = name + "Result"
    shapes = model["shapes"]
    for name, element in LIST_MEMBER_NAMES.items():
        if name in shapes:
            shapes[name]["member"]["locationName"] = element
    for name, (key, value) in MAP_NAMES.items():
        if name in shapes:
            shapes[name]["key"]["locationName"] = key
            shapes[name]["value"]["locationName"] = value
    for (shape, member), element in MEMBER_NAMES.items():
        if shape in shapes and member in shapes[shape]["members"]:
            shapes[shape]["members"][member]["locationName"] = element
    for name, (code, status) in ERRORS.items():
        if name in shapes:
            shapes[name]["error"] = {"code": code, "httpStatusCode": status, "senderFault": True}
    return model


def _model_folder():
    """A search-path folder holding sqs/2012-11-05/service-2.json in the query protocol."""
    source = os.path.join(os.path.dirname(botocore.__file__), "data", "sqs", "2012-11-05", "service-2.json.gz")
    with gzip.open(source) as f:
        model = query_model(json.load(f))
    folder = tempfile.mkdtemp(prefix="sqs-query-model-")
    target = os.path.join(folder, "sqs", "2012-11-05")
    os.makedirs(target)
    with open(os.path.join(target, "service-2.json"), "w") as f:
        json.dump(model, f)
    return folder


def query_client(endpoint, region="us-east-1", access_key="test", secret_key="test"):
    """A boto3 SQS client on the query protocol, pointed at `endpoint`."""
    session = botocore.session.get_session()
    session.register_component("data_loader", botocore.loaders.Loader(extra_search_paths=[_model_folder()]))
    client = boto3.Session(botocore_session=session).client(
        "sqs", endpoint_url=endpoint, region_name=region, aws_access_key_id=access_key, aws_secret_access_key=secret_key,
        config=Config(retries={"max_attempts": 1}))
    assert client.meta.service_model.protocol == "query", client.meta.service_model.protocol
    return client
