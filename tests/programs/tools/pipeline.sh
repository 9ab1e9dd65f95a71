#!/bin/bash
# A shell script as users write them: a pipeline, command substitutions, a subshell and a
# background job, all of which start processes.
set -e
words=$(printf 'pear apple fig apple pear apple\n' | tr ' ' '\n' | sort | uniq -c | sort -rn | head -1)
echo "most common: $(echo $words)"
count=$(seq 1 100 | awk '{ s += $1 } END { print s }')
echo "sum: $count"
(cd /; echo "subshell in $(pwd)")
sleep 0.1 &
wait $!
echo "background job: exit $?"
