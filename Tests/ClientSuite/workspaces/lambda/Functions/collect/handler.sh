#!/bin/sh
# Receives an SQS event from a mapping and returns it.
exec cat
