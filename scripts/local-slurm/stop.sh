#!/usr/bin/env bash
# Stops the single-host SLURM started by start.sh: `scontrol shutdown` ends slurmctld and
# every slurmd; this waits until their processes are gone. Idempotent: nothing running is
# not an error. munged is left running (start.sh reuses it).
set -euo pipefail
if ! command -v scontrol >/dev/null || [ ! -f /etc/slurm/slurm.conf ]; then
  echo "local-slurm: no SLURM configured; nothing to stop" >&2
  exit 0
fi
pids=()
for file in /run/slurmctld.pid /run/slurmd-n1.pid /run/slurmd-n2.pid /run/slurmd-n3.pid; do
  if [ -f "$file" ] && kill -0 "$(cat "$file")" 2>/dev/null; then pids+=("$(cat "$file")"); fi
done
if scontrol ping 2>/dev/null | grep -q "is UP"; then
  scontrol shutdown >/dev/null
fi
if [ ${#pids[@]} -eq 0 ]; then
  echo "local-slurm: not running" >&2
  exit 0
fi
for _ in $(seq 1 100); do
  alive=0
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
  [ "$alive" = 0 ] && break
  sleep 0.1
done
if [ "$alive" = 1 ]; then
  echo "local-slurm: daemons still running 10 s after scontrol shutdown: ${pids[*]}" >&2
  exit 1
fi
echo "local-slurm: stopped" >&2
