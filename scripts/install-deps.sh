#!/usr/bin/env bash
# Installs the system tools Hypha's tests and real containers need, when they are missing:
# runc (OCI runtime), umoci (image unpacking), busybox-static (the built-in image),
# skopeo (registry images), etcd (the HA store's tests) and crun (its refusal on cgroup v1 hybrid
# hosts is tested). Debian/Ubuntu with apt only.
# With --runtime, only what `hypha up` needs to run real containers (runc, umoci, busybox-static).
set -euo pipefail
want=()
command -v runc >/dev/null 2>&1 || want+=(runc)
command -v umoci >/dev/null 2>&1 || want+=(umoci)
[ -x /bin/busybox ] || [ -x /usr/bin/busybox ] || want+=(busybox-static)
if [ "${1:-}" = "--runtime" ]; then
  [ ${#want[@]} -eq 0 ] && exit 0
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "hypha: real containers need ${want[*]}; install them (e.g. as root: apt-get install -y ${want[*]})," >&2
    echo "hypha: or run 'hypha up --runtime fake' to try the control flow without containers." >&2
    exit 1
  fi
  echo "hypha: installing ${want[*]} ..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq "${want[@]}" >/dev/null
  exit 0
fi
command -v skopeo >/dev/null 2>&1 || want+=(skopeo)
command -v etcd >/dev/null 2>&1 || want+=(etcd-server)
command -v etcdctl >/dev/null 2>&1 || want+=(etcd-client)
command -v crun >/dev/null 2>&1 || want+=(crun)
[ ${#want[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "hypha: missing ${want[*]}; install them with your package manager (as root: apt-get install -y ${want[*]})." >&2
  exit 1
fi
echo "hypha: installing ${want[*]} ..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq "${want[@]}" >/dev/null
