#!/bin/sh
# Fails every invocation: the message goes to stderr, exit status 1.
cat > /dev/null
echo "boom: this function always fails" >&2
exit 1
