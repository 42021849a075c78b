import json
import logging
import os

logger = logging.getLogger()
logger.setLevel(logging.INFO)

# Module-level initialisation runs once per execution environment (warm starts reuse it).
GREETING = os.environ.get("GREETING", "Hello")
invocations = 0


def lambda_handler(event, context):
    global invocations
    invocations += 1
    detail = event.get("detail", {}) if isinstance(event, dict) else {}
    name = detail.get("customer", "world")
    logger.info("greeting %s (request %s)", name, context.aws_request_id)
    print(f"remaining {context.get_remaining_time_in_millis()} ms")
    return {
        "message": f"{GREETING}, {name}!",
        "function": context.function_name,
        "memory": context.memory_limit_in_mb,
        "warm": invocations > 1,
    }
