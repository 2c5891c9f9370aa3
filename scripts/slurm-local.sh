#!/usr/bin/env bash
# A real single-node Slurm on this machine, from Debian's slurm-wlm and munge (scripts/setup.sh installs them),
# for `credit sweep run --executor slurm` and its integration test. Needs root; uses no systemd:
#
#   scripts/slurm-local.sh start    # munged, slurmctld, slurmd; returns once the node accepts jobs
#   scripts/slurm-local.sh status   # which daemons run, and sinfo
#   scripts/slurm-local.sh stop     # stops the three daemons this script started (by their pid files)
#
# start and stop are idempotent. After start, sinfo / sbatch / squeue / scancel work in any shell: the config
# is written to /etc/slurm/slurm.conf (only if that file is absent or was written by this script).
# What makes Slurm work in a container without systemd or cgroups (see stack.md): munged started as the munge
# user with /run/munge created first, ProctrackType=proctrack/linuxproc and TaskPlugin=task/none.
set -euo pipefail

CONF=/etc/slurm/slurm.conf
MARK="# written by credit scripts/slurm-local.sh"
RUN=/run/credit-slurm
MUNGE_PID=/run/munge/munged.pid
CTLD_PID=$RUN/slurmctld.pid
SLURMD_PID=$RUN/slurmd.pid
LOGS=/var/log/credit-slurm

die() { echo "slurm-local: $*" >&2; exit 2; }

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

need_root() {
  [ "$(id -u)" -eq 0 ] || die "needs root (it starts munged, slurmctld and slurmd)"
  for c in munged slurmctld slurmd sinfo; do
    command -v "$c" >/dev/null 2>&1 || [ -x "/usr/sbin/$c" ] || die "$c not found: run scripts/setup.sh (installs slurm-wlm, munge)"
  done
}

write_config() {
  if [ -f "$CONF" ] && ! grep -qF "$MARK" "$CONF"; then
    die "$CONF exists and was not written by this script; not touching a real cluster's config"
  fi
  local host cpus mem
  host=$(hostname -s)
  cpus=$(nproc)
  # slurmd drains a node whose configured memory exceeds what it finds: claim 90 % of it.
  mem=$(awk '/MemTotal/ {printf "%d", $2 / 1024 * 0.9}' /proc/meminfo)
  mkdir -p /etc/slurm /var/spool/credit-slurm/ctld /var/spool/credit-slurm/d "$RUN" "$LOGS"
  cat > "$CONF.tmp" <<EOF
$MARK
ClusterName=credit-local
SlurmctldHost=$host
SlurmUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
MpiDefault=none
ReturnToService=2
KillWait=30
StateSaveLocation=/var/spool/credit-slurm/ctld
SlurmdSpoolDir=/var/spool/credit-slurm/d
SlurmctldPidFile=$CTLD_PID
SlurmdPidFile=$SLURMD_PID
SlurmctldLogFile=$LOGS/slurmctld.log
SlurmdLogFile=$LOGS/slurmd.log
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
  mv "$CONF.tmp" "$CONF"
}

start_munge() {
  if alive "$MUNGE_PID"; then return; fi
  mkdir -p /run/munge /var/log/munge /var/lib/munge
  chown munge:munge /run/munge /var/log/munge /var/lib/munge
  chmod 0755 /run/munge
  [ -f /etc/munge/munge.key ] || die "/etc/munge/munge.key is missing (reinstall munge)"
  runuser -u munge -- /usr/sbin/munged --pid-file="$MUNGE_PID"
}

wait_for_node() {
  local state=""
  for _ in $(seq 1 60); do
    state=$(sinfo -h -N -o %T 2>/dev/null | head -1 || true)
    case "$state" in
      idle*|mixed*|allocated*) return 0 ;;
      down*|drain*) scontrol update nodename="$(hostname -s)" state=resume >/dev/null 2>&1 || true ;;
    esac
    sleep 1
  done
  die "the node did not become ready (state '${state:-none}'); see $LOGS/slurmctld.log and $LOGS/slurmd.log"
}

start() {
  need_root
  write_config
  start_munge
  alive "$CTLD_PID" || /usr/sbin/slurmctld
  alive "$SLURMD_PID" || /usr/sbin/slurmd
  wait_for_node
  echo "slurm-local: running ($(sinfo -h -o '%P %D node(s) %c cpus %T' | head -1))"
}

stop_one() {
  local name=$1 pidfile=$2
  if alive "$pidfile"; then
    local pid
    pid=$(cat "$pidfile")
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid"; fi
    echo "slurm-local: stopped $name (pid $pid)"
  fi
  rm -f "$pidfile"
}

stop() {
  need_root
  stop_one slurmd "$SLURMD_PID"
  stop_one slurmctld "$CTLD_PID"
  stop_one munged "$MUNGE_PID"
}

status() {
  local all=0
  for d in "munged:$MUNGE_PID" "slurmctld:$CTLD_PID" "slurmd:$SLURMD_PID"; do
    if alive "${d#*:}"; then echo "${d%%:*}: running (pid $(cat "${d#*:}"))"; else echo "${d%%:*}: stopped"; all=1; fi
  done
  [ $all -eq 0 ] && sinfo
  return $all
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
