"""Starts `eventrouter run` for a test module and hands out real clients pointed at it."""
import json
import os
import signal
import subprocess
import tempfile
import threading

import boto3
from botocore.config import Config

HERE = os.path.dirname(os.path.abspath(__file__))
WORKSPACES = os.path.join(HERE, "workspaces")
REGION = "us-east-1"
DEFAULT_ACCOUNT = "123456789012"


class Server:
    """One `eventrouter run --port 0` process; use as a context manager or start()/stop()."""

    def __init__(self, workspace="basic", args=(), env=None):
        self.workspace = workspace if os.path.isabs(workspace) else os.path.join(WORKSPACES, workspace)
        self.args = list(args)
        self.env = env
        self.process = None
        self.endpoint = None
        self.output = []
        self.printed = threading.Condition()

    def start(self):
        binary = os.environ["EVENTROUTER_BINARY"]
        # In memory unless a test passes --data-dir: servers of one workspace run side by side,
        # and no test leaves a .eventrouter/ folder in the repository.
        storage = [] if "--data-dir" in self.args or "--in-memory" in self.args else ["--in-memory"]
        command = [binary, "run", "--port", "0", "--workspace", self.workspace] + storage + self.args
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                        env=dict(os.environ, **(self.env or {})))
        line = self.process.stdout.readline()
        prefix = "eventrouter listening on "
        if not line.startswith(prefix):
            self.process.kill()
            raise AssertionError(f"eventrouter run did not start: {line!r} {self.process.stderr.read()}")
        self.endpoint = line[len(prefix):].strip()
        # Keep draining stdout so the server never blocks on a full pipe.
        threading.Thread(target=self._drain, daemon=True).start()
        return self

    def _drain(self):
        for line in self.process.stdout:
            with self.printed:
                self.output.append(line)
                self.printed.notify_all()

    def wait_for_line(self, text, timeout=20):
        """The first line the server printed that contains `text`, waiting up to `timeout` seconds
        for it to be printed (a guard: a passing test returns as soon as the line appears)."""
        def found():
            return next((line for line in self.output if text in line), None)
        with self.printed:
            self.printed.wait_for(found, timeout=timeout)
            return found()

    def stop(self):
        """SIGTERM; returns the exit status (0 expected)."""
        if self.process is None:
            return None
        self.process.send_signal(signal.SIGTERM)
        try:
            status = self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise AssertionError("eventrouter run did not exit within 15 s of SIGTERM")
        self.process.stderr.close()
        self.process = None
        return status

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        status = self.stop()
        if exc[0] is None and status != 0:
            raise AssertionError(f"eventrouter run exited {status} after SIGTERM")

    def client(self, service, access_key="test", secret_key="test", region=REGION, **config):
        """A boto3 client for `service` pointed at this server."""
        return boto3.client(service, endpoint_url=self.endpoint, region_name=region, aws_access_key_id=access_key,
                            aws_secret_access_key=secret_key,
                            config=Config(retries={"max_attempts": 1}, **config))

    def aws(self, *args, access_key="test", secret_key="test", check=True):
        """Runs the AWS CLI (`aws ARGS --endpoint-url …`); returns (exit status, parsed JSON or text, stderr)."""
        venv_bin = os.path.dirname(os.path.realpath(os.sys.executable))
        aws = os.path.join(os.path.dirname(os.sys.executable), "aws")
        env = dict(os.environ, AWS_ACCESS_KEY_ID=access_key, AWS_SECRET_ACCESS_KEY=secret_key, AWS_DEFAULT_REGION=REGION,
                   AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull, PATH=venv_bin + os.pathsep + os.environ.get("PATH", ""))
        result = subprocess.run([aws, *args, "--endpoint-url", self.endpoint, "--output", "json"],
                                capture_output=True, text=True, env=env, timeout=60)
        if check and result.returncode != 0:
            raise AssertionError(f"aws {' '.join(args)} exited {result.returncode}: {result.stderr}")
        try:
            body = json.loads(result.stdout) if result.stdout.strip() else None
        except ValueError:
            body = result.stdout
        return result.returncode, body, result.stderr


def temporary_workspace(files):
    """A workspace folder with Rules/NAME.json for each (NAME, JSON value) in `files`."""
    folder = tempfile.mkdtemp(prefix="eventrouter-client-")
    os.makedirs(os.path.join(folder, "Rules"))
    for name, value in files.items():
        with open(os.path.join(folder, "Rules", name), "w") as f:
            json.dump(value, f)
    return folder
