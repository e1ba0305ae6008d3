#!/bin/sh
# Installs the real servers the probe tests run on 127.0.0.1: etcd (Debian etcd-server), sshd
# (openssh-server), nginx and openssl; the tools the image catalogers are checked against; for kapas
# image: docker-registry (distribution 2.8), skopeo and htpasswd (apache2-utils); chromium for the HTML report. Only what is missing is installed; the packages' own
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
  # oracles of the image catalogers (dev.kapas.source.image.catalog): rpm/rpmbuild, go, npm
  command -v rpmbuild >/dev/null 2>&1 || out="$out rpm"
  command -v go >/dev/null 2>&1 || out="$out golang-go"
  command -v npm >/dev/null 2>&1 || out="$out npm"
  # version-order oracles of the vulnerability matcher's property tests
  /usr/bin/python3 -c 'import apt_pkg' >/dev/null 2>&1 || out="$out python3-apt"
  /usr/bin/python3 -c 'import packaging.version' >/dev/null 2>&1 || out="$out python3-packaging"
  [ -x /usr/bin/docker-registry ] || out="$out docker-registry"
  [ -x /usr/bin/skopeo ] || out="$out skopeo"
  command -v htpasswd >/dev/null 2>&1 || out="$out apache2-utils"
  # the browser the HTML report is rendered in (dev.kapas.report.HtmlReportBrowserTest)
  command -v chromium >/dev/null 2>&1 || out="$out chromium"
  echo $out
}

# apt-get, retried while another apt or dpkg holds its locks (another job on a shared machine,
# unattended-upgrades), for at most APT_LOCK_WAIT seconds (default 900). DPkg::Lock::Timeout
# covers the dpkg lock only; `apt-get update` fails at once on the lists lock.
apt_retry() {
  deadline=$(( $(date +%s) + ${APT_LOCK_WAIT:-900} ))
  while :; do
    log=$(mktemp)
    if apt-get -o DPkg::Lock::Timeout=60 "$@" 2>"$log"; then rm -f "$log"; return 0; fi
    if ! grep -q "Could not get lock\|Unable to acquire\|is another process using it" "$log" \
        || [ "$(date +%s)" -ge "$deadline" ]; then
      cat "$log" >&2; rm -f "$log"; return 1
    fi
    rm -f "$log"
    echo "test servers: apt is locked by another process; retrying in 10 s" >&2
    sleep 10
  done
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
      echo "test servers: cannot install$m (needs root and apt-get); the tests that need them fail in CI (CI=true), else are skipped" >&2
      exit 0
    fi
    # policy-rc.d 101: the packages' postinst must not start system services (port 22/80 may be
    # taken, and the tests run their own instances)
    prc=/usr/sbin/policy-rc.d; made_prc=""
    if [ ! -e "$prc" ]; then printf '#!/bin/sh\nexit 101\n' > "$prc"; chmod +x "$prc"; made_prc=1; fi
    apt_retry update -qq || true
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt_retry install -y -qq --no-install-recommends $m >/dev/null \
      || echo "test servers: apt-get install$m failed; the tests that need them fail in CI (CI=true), else are skipped" >&2
    [ -n "$made_prc" ] && rm -f "$prc"
    m=$(missing)
    [ -z "$m" ] && echo "test servers: installed" || echo "test servers: still missing$m" >&2
    ;;
  *) echo "usage: $0 install|check" >&2; exit 2 ;;
esac
