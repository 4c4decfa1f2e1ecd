#!/usr/bin/env bash
# Stops the single-host Grid Engine started by start.sh: `qconf -kej` ends sge_execd and the
# jobs it runs, `qconf -km` ends sge_qmaster (its shutdown takes several seconds); this waits
# until both processes are gone, killing them after 30 s. Idempotent: nothing running is not
# an error. The configuration stays (start.sh reuses it).
set -euo pipefail
if ! command -v qconf >/dev/null; then
  echo "local-sge: Grid Engine is not installed; nothing to stop" >&2
  exit 0
fi
host="$(hostname)"
pids=()
for daemon in sge_execd sge_qmaster; do
  for pid in $(pgrep -x "$daemon" || true); do pids+=("$pid"); done
done
if [ ${#pids[@]} -eq 0 ]; then
  echo "local-sge: not running" >&2
  exit 0
fi
# (/etc/init.d/gridengine-master stop returns 0 and stops nothing.)
qconf -kej "$host" >/dev/null 2>&1 || true
qconf -km >/dev/null 2>&1 || true
alive=1
for _ in $(seq 1 300); do
  alive=0
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
  [ "$alive" = 0 ] && break
  sleep 0.1
done
if [ "$alive" = 1 ]; then
  echo "local-sge: daemons still running 30 s after qconf -kej/-km; killing ${pids[*]}" >&2
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
fi
echo "local-sge: stopped" >&2
