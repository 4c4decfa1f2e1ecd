#!/usr/bin/env bash
# Starts a real single-host Grid Engine (Son of Grid Engine 8.1.9, Debian's gridengine-*) for
# tessera's tests: one sge_qmaster and one sge_execd on this machine, a queue all.q with a
# slot per core (at least 2) and a parallel environment "smp", as described in
# shared/reference/local-sge-mpi.md. Needs root. Idempotent: running daemons are reused, the
# configuration is applied only where it differs. Prints "local-sge: ready" once
# `qstat -f` shows the queue instance with no state flags. It runs beside the local SLURM
# (qmaster port 6444, execd 6445) and leaves /etc/hosts alone (SLURM relies on it).
set -euo pipefail

if [ "$(id -u)" != "0" ]; then
  echo "local-sge: start.sh must run as root (it installs gridengine-* and starts sge_qmaster/sge_execd)" >&2
  exit 77
fi

log() { echo "local-sge: $*" >&2; }

# Several test runs may start it at once: one start at a time (the others then find it running).
mkdir -p /run/lock
exec 9>/run/lock/tessera-local-sge.lock
flock -w 300 9 || { log "another start.sh held the lock for 5 minutes"; exit 1; }

host="$(hostname)"
SGE_ROOT=/var/lib/gridengine
common="$SGE_ROOT/default/common"

# 1. Packages (seconds). debconf answers first: the package creates the cell only on its first
# install, and only when told the master host and that it may configure.
missing=()
for package in gridengine-master gridengine-exec gridengine-client; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  debconf-set-selections <<DEBCONF
gridengine-common shared/gridenginemaster string ${host}
gridengine-common shared/gridenginecell string default
gridengine-common shared/gridengineconfig boolean true
DEBCONF
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq gridengine-master gridengine-exec gridengine-client >/dev/null
fi
if [ ! -f "$common/act_qmaster" ]; then
  log "$common/act_qmaster is missing: the cell was never created (was gridengine installed without the debconf answers above?)"
  exit 1
fi

# 2. The hostname resolves to 127.0.0.1, which resolves back to "localhost": Grid Engine then
# refuses every command ("client IP resolved to host name localhost. This is not identical to
# clients host name"). An alias, read by the daemons at start-up, makes the two one host.
aliases="${host} localhost"
if [ "$(cat "$common/host_aliases" 2>/dev/null)" != "$aliases" ]; then
  printf '%s\n' "$aliases" > "$common/host_aliases"
  log "wrote $common/host_aliases"
  if pgrep -x sge_qmaster >/dev/null || pgrep -x sge_execd >/dev/null; then
    log "host aliases changed: restarting the daemons"
    bash "$(dirname "$0")/stop.sh"
  fi
fi

qmaster_up() { qconf -sh >/dev/null 2>&1; }

# 3. sge_qmaster (it switches to sgeadmin by itself). A defunct one may linger after a stop.
if ! qmaster_up; then
  if ! pgrep -x sge_qmaster >/dev/null; then
    sge_qmaster 9>&-  # a daemon holding the lock's descriptor would hold the lock for ever
    log "started sge_qmaster"
  fi
  for _ in $(seq 1 150); do qmaster_up && break; sleep 0.2; done
  qmaster_up || { log "sge_qmaster does not answer; see /var/spool/gridengine/qmaster/messages"; exit 1; }
fi

# 4. Configuration, each part applied only when it differs from what qconf shows.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# "name value" lines of a qconf listing (continuation lines joined), for comparing.
normalise() { sed -e ':a' -e '/\\$/N; s/\\\n[[:space:]]*/ /; ta' | awk 'NF && $1 !~ /^#/ { $1 = $1; print }' | sort; }

# set_attributes <show command…> -- <modify flag> <file name> <attribute value>…: rewrites the
# shown configuration with the given attributes replaced and loads it with `qconf <flag> file`.
set_attributes() {
  local show=() flag file
  while [ "$1" != "--" ]; do show+=("$1"); shift; done
  shift
  flag=$1 file=$2
  shift 2
  "${show[@]}" > "$work/current"
  cp "$work/current" "$work/$file"
  local changed=0
  while [ $# -gt 0 ]; do
    local name=$1 value=$2
    shift 2
    if ! normalise < "$work/$file" | grep -qxF "$name $value"; then
      changed=1
      # Drop the attribute (and its continuation lines), then append the wanted value.
      awk -v name="$name" '
        skip && /^[[:space:]]/ { next }
        { skip = 0 }
        $1 == name { skip = 1; next }
        { print }
      ' "$work/$file" > "$work/$file.tmp"
      mv "$work/$file.tmp" "$work/$file"
      printf '%-30s %s\n' "$name" "$value" >> "$work/$file"
    fi
  done
  if [ "$changed" = 1 ]; then
    # qconf -Mconf wants the configuration's name as a file name in the current directory.
    (cd "$work" && qconf "$flag" "$file" >/dev/null)
    log "updated ${show[*]}"
  fi
}

# Global: root's jobs are accepted (tests submit as root); accounting written at once.
set_attributes qconf -sconf global -- -Mconf global \
  min_uid 0 min_gid 0 \
  reporting_params "accounting=true reporting=false flush_time=00:00:01 joblog=false sharelog=00:00:00"
# Scheduler: a pass every second (default 15 s: qsub → running took 11 s), and the
# "scheduling info" reasons qstat -j shows for waiting jobs. No load adjustments: several
# test suites share two cores here, and a loaded host must not look full.
set_attributes qconf -ssconf -- -Msconf scheduler \
  schedule_interval 0:0:1 flush_submit_sec 1 flush_finish_sec 1 schedd_job_info true \
  job_load_adjustments NONE load_adjustment_decay_time 0:0:0

# Hosts: this one is an admin, submit and exec host.
qconf -sh 2>/dev/null | grep -qx "$host" || qconf -ah "$host" >/dev/null
qconf -ss 2>/dev/null | grep -qx "$host" || qconf -as "$host" >/dev/null
if ! qconf -sel 2>/dev/null | grep -qx "$host"; then
  printf 'hostname %s\nload_scaling NONE\ncomplex_values NONE\nuser_lists NONE\nxuser_lists NONE\nprojects NONE\nxprojects NONE\nusage_scaling NONE\nreport_variables NONE\n' "$host" > "$work/exechost"
  qconf -Ae "$work/exechost" >/dev/null
  log "added exec host $host"
fi

slots=$(( $(nproc) < 2 ? 2 : $(nproc) ))
if ! qconf -spl 2>/dev/null | grep -qx smp; then
  cat > "$work/smp" <<PE
pe_name            smp
slots              999
user_lists         NONE
xuser_lists        NONE
start_proc_args    NONE
stop_proc_args     NONE
allocation_rule    \$pe_slots
control_slaves     TRUE
job_is_first_task  TRUE
urgency_slots      min
accounting_summary FALSE
qsort_args         NONE
PE
  qconf -Ap "$work/smp" >/dev/null
  log "added parallel environment smp"
fi

if ! qconf -sql 2>/dev/null | grep -qx all.q; then
  # Start from Grid Engine's own template, then set what this cluster needs below.
  qconf -sq > "$work/all.q"
  sed -i -e "s/^qname .*/qname all.q/" -e "s/^hostlist .*/hostlist $host/" -e "s/^pe_list .*/pe_list smp/" "$work/all.q"
  qconf -Aq "$work/all.q" >/dev/null
  log "added queue all.q"
fi
# unix_behavior: the job script's #! line picks its shell (the default starts it with csh).
# No load threshold: a busy shared test host must not put the queue into alarm state.
set_attributes qconf -sq all.q -- -Mq all.q \
  hostlist "$host" slots "$slots" pe_list smp shell_start_mode unix_behavior load_thresholds NONE shell /bin/bash

# 5. sge_execd: starting a second one hangs ~26 s and fails, so only when none runs.
if ! pgrep -x sge_execd >/dev/null; then
  sge_execd 9>&-
  log "started sge_execd"
fi

queue_ready() {
  # The queue instance's line: "all.q@host  BIP  0/0/2  0.50  lx-amd64  [states]"
  local line
  line="$(qstat -f -q "all.q@$host" 2>/dev/null | awk -v q="all.q@$host" '$1 == q')"
  [ -n "$line" ] && [ "$(echo "$line" | awk '{ print NF }')" = 5 ]
}
for attempt in $(seq 1 300); do
  if queue_ready; then
    log "ready"
    qstat -f >&2
    exit 0
  fi
  # A queue instance left disabled or in error by an earlier run is cleared once.
  if [ "$attempt" = 50 ]; then
    qmod -e "all.q@$host" >/dev/null 2>&1 || true
    qmod -c "all.q@$host" >/dev/null 2>&1 || true
  fi
  sleep 0.2
done
log "all.q@$host did not become usable within 60 s:"
qstat -f >&2 || true
exit 1
