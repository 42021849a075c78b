#!/usr/bin/env python3
"""Runs cfn-lint on the templates given as arguments.

Creates (once) a virtual environment under .build/cfn-venv with the pinned cfn-lint of
requirements.txt. Fails (exit 1), never skips, when the environment cannot be made. Exits 0
when cfn-lint reports no errors (warnings and informational findings are printed, allowed),
1 otherwise.
"""
import hashlib
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
VENV = os.path.join(ROOT, ".build", "cfn-venv")
REQUIREMENTS = os.path.join(HERE, "requirements.txt")


def fail(message):
    print(f"run_cfn_lint: {message}", file=sys.stderr)
    sys.exit(1)


def ensure_venv():
    python = os.path.join(VENV, "bin", "python")
    marker = os.path.join(VENV, "requirements.sha256")
    with open(REQUIREMENTS, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    if os.path.exists(marker) and open(marker).read().strip() == digest:
        return python
    result = subprocess.run([sys.executable, "-m", "venv", "--clear", VENV], capture_output=True, text=True)
    if result.returncode != 0:
        fail(f"cannot create {VENV}: {result.stderr.strip()} (install python3-venv)")
    result = subprocess.run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", REQUIREMENTS],
                            capture_output=True, text=True)
    if result.returncode != 0:
        fail(f"cannot install cfn-lint from PyPI (pip exited {result.returncode}):\n{result.stdout}{result.stderr}")
    with open(marker, "w") as f:
        f.write(digest)
    return python


def main():
    templates = sys.argv[1:]
    if not templates:
        fail("give the templates to check")
    python = ensure_venv()
    result = subprocess.run([os.path.join(VENV, "bin", "cfn-lint"), "--format", "parseable", *templates], capture_output=True, text=True)
    print(result.stdout, end="")
    print(result.stderr, end="", file=sys.stderr)
    # cfn-lint's exit status is a bit mask: 2 errors, 4 warnings, 8 informational; 1 a crash.
    if result.returncode & 3:
        fail(f"cfn-lint found errors (exit {result.returncode})")
    sys.exit(0)


if __name__ == "__main__":
    main()
