#!/bin/sh
# Writes a log line to stderr, then echoes its event.
echo "logger: handling request $EVENTROUTER_REQUEST_ID" >&2
exec cat
