#!/bin/sh
# Installs the real servers the probe tests run on 127.0.0.1: etcd (Debian etcd-server), sshd
# (openssh-server), nginx and openssl; for kapas image: docker-registry (distribution 2.8), skopeo and
# htpasswd (apache2-utils). Only what is missing is installed; the packages' own
# services are not needed (tests start each server themselves on free high ports), so they are
# stopped again when the package's install script started them.
#   scripts/test-servers.sh install    install what is missing (needs root and Debian apt)
#   scripts/test-servers.sh check      exit 0 when everything is there, else list what is missing
set -eu

missing() {
  out=""
  command -v etcd >/dev/null 2>&1 || [ -x /usr/bin/etcd ] || out="$out etcd-server"
  [ -x /usr/sbin/sshd ] || out="$out openssh-server"
  [ -x /usr/sbin/nginx ] || out="$out nginx"
  command -v openssl >/dev/null 2>&1 || out="$out openssl"
  [ -x /usr/bin/docker-registry ] || out="$out docker-registry"
  [ -x /usr/bin/skopeo ] || out="$out skopeo"
  command -v htpasswd >/dev/null 2>&1 || out="$out apache2-utils"
  echo $out
}

case "${1:-install}" in
  check)
    m=$(missing)
    [ -z "$m" ] && exit 0
    echo "missing:$m"; exit 1 ;;
  install)
    m=$(missing)
    if [ -z "$m" ]; then echo "test servers: all installed"; exit 0; fi
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
      echo "test servers: cannot install$m (needs root and apt-get); the tests that need them are skipped" >&2
      exit 0
    fi
    # policy-rc.d 101: the packages' postinst must not start system services (port 22/80 may be
    # taken, and the tests run their own instances)
    prc=/usr/sbin/policy-rc.d; made_prc=""
    if [ ! -e "$prc" ]; then printf '#!/bin/sh\nexit 101\n' > "$prc"; chmod +x "$prc"; made_prc=1; fi
    apt-get -o DPkg::Lock::Timeout=600 update -qq || true
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $m >/dev/null \
      || echo "test servers: apt-get install$m failed; the tests that need them are skipped" >&2
    [ -n "$made_prc" ] && rm -f "$prc"
    m=$(missing)
    [ -z "$m" ] && echo "test servers: installed" || echo "test servers: still missing$m" >&2
    ;;
  *) echo "usage: $0 install|check" >&2; exit 2 ;;
esac
