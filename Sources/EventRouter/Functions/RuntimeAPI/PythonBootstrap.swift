/// The bootstrap of the `python3.x` runtimes: a small Lambda runtime client in Python, run as
/// `python3 -u -B -c SOURCE` in the function's folder. It imports the handler's module once
/// (warm starts), then loops on the Runtime API: `GET …/next`, call `handler(event, context)`,
/// `POST …/response` or `…/error` with `{"errorMessage", "errorType", "requestId", "stackTrace"}`.
/// Import problems are posted to `…/init/error` as `Runtime.ImportModuleError`,
/// `Runtime.UserCodeSyntaxError`, `Runtime.HandlerNotFound` or `Runtime.MalformedHandlerName`.
/// It speaks HTTP/1.1 over one kept-alive socket itself (no http.client: it is faster).
enum PythonBootstrap {
    static let source = #"""
import json, os, socket, sys, time, traceback, importlib, logging

_api = os.environ["AWS_LAMBDA_RUNTIME_API"]
_host, _port = _api.rsplit(":", 1)
_prefix = "/2018-06-01/runtime/"
_sock = None
_buf = b""

def _connect():
    global _sock, _buf
    _sock = socket.create_connection((_host, int(_port)))
    _sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    _buf = b""

def _request(method, path, body=b"", headers=""):
    global _buf
    for attempt in (0, 1):
        try:
            if _sock is None:
                _connect()
            _sock.sendall(("%s %s%s HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n%s\r\n" % (method, _prefix, path, _api, len(body), headers)).encode() + body)
            while True:
                end = _buf.find(b"\r\n\r\n")
                if end >= 0:
                    break
                chunk = _sock.recv(65536)
                if not chunk:
                    raise ConnectionError("the Runtime API closed the connection")
                _buf += chunk
            lines = _buf[:end].decode("latin-1").split("\r\n")
            status = int(lines[0].split(" ", 2)[1])
            head = {}
            for line in lines[1:]:
                k, _, v = line.partition(":")
                head[k.strip().lower()] = v.strip()
            length = int(head.get("content-length", "0"))
            need = end + 4 + length
            while len(_buf) < need:
                chunk = _sock.recv(max(65536, need - len(_buf)))
                if not chunk:
                    raise ConnectionError("the Runtime API closed the connection")
                _buf += chunk
            data = _buf[end + 4:need]
            _buf = _buf[need:]
            if head.get("connection", "").lower() == "close":
                _sock.close()
                _reset()
            return status, head, data
        except (ConnectionError, OSError):
            _reset()
            if attempt == 1:
                raise
    raise ConnectionError("the Runtime API is unreachable")

def _reset():
    global _sock, _buf
    _sock = None
    _buf = b""

class LambdaContext(object):
    def __init__(self, request_id, deadline_ms, arn, trace_id):
        self.aws_request_id = request_id
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.invoked_function_arn = arn
        self.client_context = None
        self.identity = None
        self._deadline_ms = deadline_ms
        self._trace_id = trace_id

    def get_remaining_time_in_millis(self):
        remaining = self._deadline_ms - int(time.time() * 1000)
        return remaining if remaining > 0 else 0

    def log(self, message):
        sys.stdout.write(str(message))

    def __repr__(self):
        return "LambdaContext([aws_request_id=%s,function_name=%s,function_version=%s,invoked_function_arn=%s,memory_limit_in_mb=%s])" % (
            self.aws_request_id, self.function_name, self.function_version, self.invoked_function_arn, self.memory_limit_in_mb)

_current = {"id": ""}

class _RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = _current["id"]
        return True

def _setup_logging():
    handler = logging.StreamHandler(sys.stdout)
    formatter = logging.Formatter("[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s", "%Y-%m-%dT%H:%M:%S")
    formatter.converter = time.gmtime
    handler.setFormatter(formatter)
    handler.addFilter(_RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(os.environ.get("AWS_LAMBDA_LOG_LEVEL", "WARNING").upper())

def _user_frames(tb):
    return [f for f in traceback.extract_tb(tb) if f.filename != "<string>"]

def _error_document(exc, request_id=""):
    frames = _user_frames(exc.__traceback__)
    return {"errorMessage": str(exc), "errorType": type(exc).__name__, "requestId": request_id,
            "stackTrace": traceback.format_list(frames)}

def _print_error(doc):
    text = "[ERROR] %s: %s" % (doc["errorType"], doc["errorMessage"])
    if doc.get("stackTrace"):
        text += "\nTraceback (most recent call last):\n" + "".join(doc["stackTrace"])
    sys.stdout.write(text.rstrip("\n") + "\n")

def _init_error(doc):
    _print_error(doc)
    body = json.dumps(doc).encode()
    _request("POST", "init/error", body, "Content-Type: application/json\r\nLambda-Runtime-Function-Error-Type: %s\r\n" % doc["errorType"])
    sys.exit(1)

def _load_handler():
    root = os.environ.get("LAMBDA_TASK_ROOT", os.getcwd())
    if root not in sys.path:
        sys.path.insert(0, root)
    handler = os.environ.get("_HANDLER", "")
    try:
        module_name, function_name = handler.rsplit(".", 1)
    except ValueError as e:
        _init_error({"errorMessage": "Bad handler '%s': %s" % (handler, e), "errorType": "Runtime.MalformedHandlerName", "requestId": "", "stackTrace": []})
    module_name = module_name.replace("/", ".")
    path = os.path.join(root, module_name.replace(".", "/")) + ".py"
    try:
        module = importlib.import_module(module_name)
    except ImportError as e:
        _init_error({"errorMessage": "Unable to import module '%s': %s (looked for %s)" % (module_name, e, path), "errorType": "Runtime.ImportModuleError", "requestId": "", "stackTrace": []})
    except SyntaxError as e:
        trace = ['  File "%s" Line %s\n    %s\n' % (e.filename, e.lineno, (e.text or "").strip())]
        _init_error({"errorMessage": "Syntax error in module '%s': %s (%s, line %s)" % (module_name, e.msg, e.filename, e.lineno), "errorType": "Runtime.UserCodeSyntaxError", "requestId": "", "stackTrace": trace})
    except Exception as e:
        doc = _error_document(e)
        doc["errorMessage"] = "Unable to import module '%s': %s" % (module_name, e)
        doc["errorType"] = "Runtime.ImportModuleError"
        _init_error(doc)
    fn = getattr(module, function_name, None)
    if fn is None:
        _init_error({"errorMessage": "Handler '%s' missing on module '%s'" % (function_name, module_name), "errorType": "Runtime.HandlerNotFound", "requestId": "", "stackTrace": []})
    return fn

def _main():
    _setup_logging()
    handler = _load_handler()
    while True:
        status, head, data = _request("GET", "invocation/next")
        if status != 200:
            sys.stderr.write("runtime: GET next answered %d: %s\n" % (status, data[:500]))
            time.sleep(0.01)
            continue
        request_id = head.get("lambda-runtime-aws-request-id", "")
        _current["id"] = request_id
        if "lambda-runtime-trace-id" in head:
            os.environ["_X_AMZN_TRACE_ID"] = head["lambda-runtime-trace-id"]
        context = LambdaContext(request_id, int(head.get("lambda-runtime-deadline-ms", "0")),
                                head.get("lambda-runtime-invoked-function-arn"), head.get("lambda-runtime-trace-id"))
        try:
            event = json.loads(data) if data else None
            result = handler(event, context)
            try:
                body = json.dumps(result).encode()
            except (TypeError, ValueError) as e:
                raise _MarshalError("Unable to marshal response: %s" % e)
            _request("POST", "invocation/%s/response" % request_id, body)
        except Exception as e:
            doc = _error_document(e, request_id)
            if isinstance(e, _MarshalError):
                doc["errorType"] = "Runtime.MarshalError"
                doc["stackTrace"] = []
            _print_error(doc)
            _request("POST", "invocation/%s/error" % request_id, json.dumps(doc).encode(),
                     "Content-Type: application/json\r\nLambda-Runtime-Function-Error-Type: %s\r\n" % ("Unhandled" if doc["errorType"] != "Runtime.MarshalError" else "Runtime.MarshalError"))

class _MarshalError(Exception):
    pass

_main()
"""#
}
