#!/bin/sh
# Holds its concurrency slot for about a second, then echoes its event.
sleep 1
exec cat
