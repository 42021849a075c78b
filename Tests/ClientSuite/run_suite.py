#!/usr/bin/env python3
"""Runs the client suite: real boto3 and AWS CLI clients against the built `eventrouter run`.

Usage: python3 Tests/ClientSuite/run_suite.py --binary PATH [unittest names...]

Creates (once) a virtual environment under .build/client-venv with the pinned clients of
requirements.txt, then runs every Tests/ClientSuite/test_*.py with it. Fails (exit 1), never
skips, when the environment cannot be created or the clients cannot be installed.
"""
import argparse
import hashlib
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
VENV = os.path.join(ROOT, ".build", "client-venv")
REQUIREMENTS = os.path.join(HERE, "requirements.txt")


def fail(message):
    print(f"client suite: {message}", file=sys.stderr)
    sys.exit(1)


def ensure_venv():
    """The venv with the pinned clients; reinstalled when requirements.txt changes."""
    python = os.path.join(VENV, "bin", "python")
    marker = os.path.join(VENV, "requirements.sha256")
    with open(REQUIREMENTS, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    if os.path.exists(python) and os.path.exists(marker) and open(marker).read().strip() == digest:
        return python
    result = subprocess.run([sys.executable, "-m", "venv", "--clear", VENV], capture_output=True, text=True)
    if result.returncode != 0:
        fail(f"cannot create the virtual environment {VENV} (python3 -m venv exited {result.returncode}): "
             f"{result.stderr.strip()}\ninstall Python's venv module (Debian: apt-get install python3-venv) and run again")
    result = subprocess.run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", REQUIREMENTS],
                            capture_output=True, text=True)
    if result.returncode != 0:
        fail(f"cannot install the pinned clients of {REQUIREMENTS} from PyPI (pip exited {result.returncode}):\n"
             f"{result.stdout[-2000:]}{result.stderr[-4000:]}\ncheck the network or the PyPI mirror and run again")
    with open(marker, "w") as f:
        f.write(digest + "\n")
    return python


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True, help="the built eventrouter executable")
    parser.add_argument("names", nargs="*", help="unittest names (default: discover every test_*.py)")
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    if not os.access(binary, os.X_OK):
        fail(f"{binary} is not an executable: build it first (swift build --product eventrouter)")
    python = ensure_venv()
    env = dict(os.environ, EVENTROUTER_BINARY=binary, PYTHONPATH=HERE, PYTHONDONTWRITEBYTECODE="1")
    if args.names:
        command = [python, "-m", "unittest", "-v", *args.names]
    else:
        command = [python, "-m", "unittest", "discover", "-v", "-s", HERE, "-t", HERE, "-p", "test_*.py"]
    # Everything goes to stderr, which the Swift test reads (so stdout can never fill up unread).
    sys.exit(subprocess.run(command, cwd=HERE, env=env, stdout=sys.stderr).returncode)


if __name__ == "__main__":
    main()
