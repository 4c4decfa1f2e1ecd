#!/usr/bin/env bash
# Starts a real single-host SLURM for tessera's tests: one slurmctld and three slurmd
# (nodes n1-n3, 4 CPUs and 6000 MB each, partition "normal") on this machine, as described in
# shared/reference/local-slurm.md. Needs root. Idempotent: a cluster that already runs with
# this configuration is reused as it is; missing daemons are started; a changed
# configuration restarts the daemons. Prints "local-slurm: ready" once sinfo shows the nodes idle.
set -euo pipefail

if [ "$(id -u)" != "0" ]; then
  echo "local-slurm: start.sh must run as root (it installs packages and starts slurmctld/slurmd)" >&2
  exit 77
fi

log() { echo "local-slurm: $*" >&2; }

# Several test runs may start it at once: one start at a time (the others then find it running).
mkdir -p /run/lock
exec 9>/run/lock/tessera-local-slurm.lock
flock -w 600 9 || { log "another start.sh held the lock for 10 minutes"; exit 1; }

# 1. Packages (a few minutes the first time, nothing afterwards).
missing=()
for package in slurm-wlm munge; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

host="$(hostname -s)"
nodes=(n1 n2 n3)
conf=/etc/slurm/slurm.conf

# 2. Configuration. MinJobAge keeps finished jobs visible to `squeue --states=all` for five
# minutes, long enough for a poller to see how a job ended.
desired="$(cat <<CONF
# Written by tessera scripts/local-slurm/start.sh: a controller and three nodes on one host.
ClusterName=tessera
SlurmctldHost=${host}(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerType=sched/backfill
SlurmdParameters=config_overrides
ReturnToService=2
MinJobAge=300
KillWait=5
InactiveLimit=0
Waittime=0
MailProg=/bin/true
SlurmctldPort=6817
SlurmctldPidFile=/run/slurmctld.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd/%n
SlurmdPidFile=/run/slurmd-%n.pid
SlurmdLogFile=/var/log/slurm/slurmd-%n.log
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
NodeName=n[1-3] NodeHostname=${host} NodeAddr=127.0.0.1 Port=17001-17003 CPUs=4 RealMemory=6000 State=UNKNOWN
PartitionName=normal Nodes=n[1-3] Default=YES MaxTime=INFINITE State=UP
CONF
)"

controller_up() { scontrol ping 2>/dev/null | grep -q "is UP"; }

config_changed=0
if [ ! -f "$conf" ] || [ "$(cat "$conf")" != "$desired" ]; then
  config_changed=1
  mkdir -p /etc/slurm
  printf '%s\n' "$desired" > "$conf"
  log "wrote $conf"
fi
if [ "$config_changed" = 1 ] && controller_up; then
  log "configuration changed: restarting the running cluster"
  bash "$(dirname "$0")/stop.sh"
fi

mkdir -p /var/spool/slurmctld /var/log/slurm
for node in "${nodes[@]}"; do mkdir -p "/var/spool/slurmd/$node"; done

# 3. munge: runs as the munge user with /run/munge owned by it.
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  mkdir -p /run/munge
  chown munge:munge /run/munge
  chmod 0755 /run/munge
  runuser -u munge -- /usr/sbin/munged 9>&-
  for _ in $(seq 1 50); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
  munge -n | unmunge >/dev/null || { log "munged did not start"; exit 1; }
  log "started munged"
fi

# 4. Daemons: a pid file whose process is alive means the daemon runs. Every daemon starts
# with the lock's descriptor closed (9>&-): one that inherited it would hold the lock for its
# whole life, and every later start.sh would wait for it in vain.
running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

if ! running /run/slurmctld.pid; then
  slurmctld 9>&-
  log "started slurmctld"
fi
for node in "${nodes[@]}"; do
  if ! running "/run/slurmd-$node.pid"; then
    slurmd -N "$node" 9>&-
    log "started slurmd -N $node"
  fi
done

# 5. Wait for the controller, then for three nodes in service: idle, or busy with (mix, alloc,
# completing) or planned for (plnd: the backfill scheduler holds it for a pending job) other jobs.
for _ in $(seq 1 100); do controller_up && break; sleep 0.2; done
controller_up || { log "slurmctld does not answer; see /var/log/slurm/slurmctld.log"; exit 1; }

for attempt in $(seq 1 150); do
  states="$(sinfo --noheader --nodes=n[1-3] --Node --format='%N %t' 2>/dev/null || true)"
  usable="$(echo "$states" | grep -cE ' (idle|mix|alloc|comp|plnd)$' || true)"
  if [ "$usable" = "${#nodes[@]}" ]; then
    log "ready"
    sinfo >&2
    exit 0
  fi
  # Nodes left down or drained by an earlier run come back into service.
  if [ "$attempt" = 25 ] && echo "$states" | grep -qE ' (down|drain|drng|fail)'; then
    scontrol update NodeName=n[1-3] State=RESUME >/dev/null 2>&1 || true
  fi
  sleep 0.2
done
log "nodes did not become idle within 30 s:"
echo "$states" >&2
exit 1
