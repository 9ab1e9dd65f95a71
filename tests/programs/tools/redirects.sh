#!/bin/bash
# A shell script redirecting its own output as scripts do: >file, 2>/dev/null, >&2, a group
# into stderr, exec >log and back through a saved descriptor. Only what reached the script's
# own stdout and stderr may replay there.
set -e
echo "to stdout"
echo "into a file" > out.txt
ls /no/such/file 2>/dev/null || echo "ls failed quietly"
echo "to stderr" >&2
cat out.txt
{ echo "group to stderr"; } 1>&2
exec 3>&1
exec >log.txt
echo "into the log"
echo "through the saved stdout" >&3
exec >&3 3>&-
echo "stdout again"
cat log.txt >&2
