#!/usr/bin/env bash
# A demo IoT device to probe: an "insecure" one and its "hardened" twin, each in its own network
# namespace, built from real Debian daemons. Needs root (network namespaces, private mounts).
#
#   scripts/demo-device.sh up     [--name PREFIX] [--net 10.231] [--lab NETNS]
#   scripts/demo-device.sh down   [--name PREFIX] [--lab NETNS]
#   scripts/demo-device.sh status [--name PREFIX]
#
# Addresses: insecure <net>.1.2, hardened <net>.2.2, reached from <net>.1.1 / <net>.2.1 on the
# host (or inside the --lab namespace, which is created if missing, so that a probe run there sees
# nothing but the two devices). Then, for example:
#   concord probe 10.231.1.2 10.231.2.2
#
# Insecure: busybox telnetd (root/xc3511, a Mirai pair), dropbear (root/vizxv), OpenSSH on 2222
# (admin/admin, legacy algorithms), lighttpd with basic auth admin/admin over plain HTTP, vsftpd
# with anonymous login, mosquitto accepting anonymous clients, `openssl s_server` on 443 accepting
# TLS 1.0 and weak ciphers with a self-signed certificate, snmpd with community "public" and the
# SNMPv3 user initialmd5 with its documented password initialmd5 (an ExtremeXOS default), and a
# unicast SSDP responder with a UPnP IGD whose control URL needs no authentication.
# Hardened: OpenSSH on 22 with keys only and current algorithms, lighttpd redirecting HTTP to HTTPS
# (TLS 1.2+ only) with a random password, mosquitto requiring a password, snmpd with a random
# community and one SNMPv3 user with a random SHA password; no telnet, FTP or UPnP.
#
# The accounts exist only inside each device: the daemons run in a private mount namespace where
# /etc/passwd and /etc/shadow are bind-mounted from the device's state folder.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
cmd="${1:-}"
shift || true
PREFIX="concord-demo"
NET="10.231"
LAB=""
while [ $# -gt 0 ]; do
  case "$1" in
    --name) PREFIX="$2"; shift 2 ;;
    --net) NET="$2"; shift 2 ;;
    --lab) LAB="$2"; shift 2 ;;
    *) echo "demo-device: unknown option $1" >&2; exit 2 ;;
  esac
done
STATE="${CONCORD_DEMO_STATE:-/tmp/concord-demo}/$PREFIX"

die() { echo "demo-device: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "$1 is missing: apt-get install $2"; }

busybox_with_telnetd() {
  for b in "${CONCORD_BUSYBOX:-}" /tmp/concord-ci-busybox/x/bin/busybox busybox; do
    [ -n "$b" ] || continue
    if "$b" telnetd --help 2>&1 | grep -q telnetd && ! "$b" telnetd --help 2>&1 | grep -q "applet not found"; then
      echo "$b"; return 0
    fi
  done
  return 1
}

# veth names are limited to 15 characters: derive short ones from the prefix.
short="$(printf '%s' "$PREFIX" | md5sum | cut -c1-6)"
NS_I="$PREFIX-insecure"
NS_H="$PREFIX-hardened"

run_in() { # run_in <ns> <dir> <logname> <command...>: start a daemon in the device's namespace with its private accounts
  local ns="$1" dir="$2" log="$3"
  shift 3
  ip netns exec "$ns" sh -c 'mount --bind "$1/passwd" /etc/passwd && mount --bind "$1/shadow" /etc/shadow && mount --bind "$1/group" /etc/group && shift && exec "$@"' \
    demo "$dir" "$@" >"$dir/$log.log" 2>&1 &
  echo $! >>"$dir/pids"
}

accounts() { # accounts <dir> <root password> [admin password]: a private passwd/shadow/group
  local dir="$1" rootpw="$2" adminpw="${3:-}"
  local rh; rh="$(openssl passwd -6 "$rootpw")"
  printf 'root:x:0:0:root:/root:/bin/sh\nsshd:x:101:65534::/run/sshd:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\nftp:x:102:65534::/srv/ftp:/usr/sbin/nologin\n' >"$dir/passwd"
  printf 'root:%s:19000:0:99999:7:::\nsshd:*:19000::::::\nnobody:*:19000::::::\nftp:*:19000::::::\n' "$rh" >"$dir/shadow"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$dir/group"
  if [ -n "$adminpw" ]; then
    echo "admin:x:1000:1000:admin:/tmp:/bin/sh" >>"$dir/passwd"
    echo "admin:$(openssl passwd -6 "$adminpw"):19000:0:99999:7:::" >>"$dir/shadow"
    echo "admin:x:1000:" >>"$dir/group"
  fi
  chmod 600 "$dir/shadow"
}

link() { # link <ns> <idx>: a veth from the host (or the lab) to the device, <net>.<idx>.1 <-> .2
  local ns="$1" idx="$2"
  local outer="c${short}${idx}"
  ip netns add "$ns"
  ip link add "$outer" type veth peer name eth0 netns "$ns"
  if [ -n "$LAB" ]; then ip link set "$outer" netns "$LAB"; fi
  local X=(); [ -n "$LAB" ] && X=(ip netns exec "$LAB")
  "${X[@]}" sysctl -qw "net.ipv6.conf.$outer.disable_ipv6=1" || true
  "${X[@]}" ip addr add "$NET.$idx.1/30" dev "$outer"
  "${X[@]}" ip link set "$outer" up
  ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 || true
  ip -n "$ns" addr add "$NET.$idx.2/30" dev eth0
  ip -n "$ns" link set eth0 up
  ip -n "$ns" link set lo up
}

cert() { # cert <dir> <cn>: a self-signed certificate and key
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$1/key.pem" -out "$1/cert.pem" -days 365 \
    -subj "/CN=$2/O=Concord Demo" >/dev/null 2>&1
  cat "$1/key.pem" "$1/cert.pem" >"$1/both.pem"
}

wait_port() { # wait_port <ns> <port>: until something listens on the TCP port inside the namespace
  for _ in $(seq 1 100); do
    ip netns exec "$1" ss -Hltn "sport = :$2" | grep -q . && return 0
    sleep 0.05
  done
  die "nothing listens on port $2 in $1 (see the logs in $STATE)"
}

up_insecure() {
  local d="$STATE/insecure" a="$NET.1.2" bb
  mkdir -p "$d/www" "$d/ftp" "$d/root"
  link "$NS_I" 1
  accounts "$d" vizxv admin
  cert "$d" "hc200.local"
  bb="$(busybox_with_telnetd)" || die "no busybox with telnetd: apt-get download busybox-static and set CONCORD_BUSYBOX"
  # telnet: a login that takes one Mirai pair, as a camera's own login would
  cat >"$d/login.sh" <<EOF
#!/bin/sh
printf 'hc200 login: '; read u
printf 'Password: '; read p
if [ "\$u" = root ] && [ "\$p" = xc3511 ]; then
  echo; echo 'BusyBox v1.35.0 built-in shell (ash)'; PS1='# ' exec $bb sh -i
fi
sleep 1; echo; echo 'Login incorrect'; exit 1
EOF
  chmod 755 "$d/login.sh"
  echo "HC200 IP Camera" >"$d/issue"
  run_in "$NS_I" "$d" telnetd "$bb" telnetd -F -p 23 -l "$d/login.sh" -f "$d/issue"
  # SSH: dropbear with root's password vizxv, OpenSSH with admin/admin and legacy algorithms
  dropbearkey -t rsa -s 2048 -f "$d/dropbear_rsa" >/dev/null 2>&1
  run_in "$NS_I" "$d" dropbear /usr/sbin/dropbear -F -E -p 22 -r "$d/dropbear_rsa"
  ssh-keygen -q -t rsa -b 2048 -N '' -f "$d/ssh_host_rsa_key"
  cat >"$d/sshd_config" <<EOF
Port 2222
HostKey $d/ssh_host_rsa_key
PasswordAuthentication yes
KbdInteractiveAuthentication yes
UsePAM no
PermitRootLogin yes
PidFile none
HostKeyAlgorithms +ssh-rsa
KexAlgorithms +diffie-hellman-group1-sha1,diffie-hellman-group14-sha1
Ciphers +aes128-cbc,3des-cbc
MACs +hmac-sha1,hmac-md5
EOF
  mkdir -p /run/sshd
  run_in "$NS_I" "$d" sshd /usr/sbin/sshd -D -e -f "$d/sshd_config"
  # HTTP admin with basic auth admin/admin, plain HTTP only
  printf '<html><head><title>HC200 admin</title></head><body><form method="post" action="/login"><input name="user"><input type="password" name="pass"></form></body></html>\n' >"$d/www/index.html"
  echo "admin:admin" >"$d/lighttpd.users"
  cat >"$d/lighttpd.conf" <<EOF
server.document-root = "$d/www"
server.port = 80
server.bind = "$a"
server.modules = ("mod_auth", "mod_authn_file")
server.tag = "lighttpd/1.4.69"
index-file.names = ("index.html")
auth.backend = "plain"
auth.backend.plain.userfile = "$d/lighttpd.users"
auth.require = ("/" => ("method" => "basic", "realm" => "HC200", "require" => "valid-user"))
EOF
  run_in "$NS_I" "$d" lighttpd /usr/sbin/lighttpd -D -f "$d/lighttpd.conf"
  # FTP with anonymous login
  mkdir -p "$d/empty"
  cat >"$d/vsftpd.conf" <<EOF
listen=YES
listen_ipv6=NO
background=NO
anonymous_enable=YES
anon_root=$d/ftp
local_enable=NO
write_enable=NO
secure_chroot_dir=$d/empty
ftpd_banner=HC200 FTP server ready.
EOF
  run_in "$NS_I" "$d" vsftpd /usr/sbin/vsftpd "$d/vsftpd.conf"
  # MQTT accepting anonymous clients
  printf 'listener 1883 %s\nallow_anonymous true\npersistence false\n' "$a" >"$d/mosquitto.conf"
  run_in "$NS_I" "$d" mosquitto /usr/sbin/mosquitto -c "$d/mosquitto.conf"
  # TLS 1.0 and weak ciphers, self-signed
  run_in "$NS_I" "$d" s_server openssl s_server -quiet -www -accept "$a:443" -cert "$d/cert.pem" -key "$d/key.pem" \
    -cipher 'ALL:eNULL:@SECLEVEL=0'
  # SNMP with community public, and a default SNMPv3 user (snmpd reads createUser from its
  # configuration and keeps the keys in SNMP_PERSISTENT_DIR, here the device's state folder)
  printf 'agentaddress udp:%s:161\nrocommunity public\nsysDescr HC200 camera firmware 2.4.1\ncreateUser initialmd5 MD5 initialmd5\nrouser initialmd5\n' "$a" >"$d/snmpd.conf"
  mkdir -p "$d/snmp"
  run_in "$NS_I" "$d" snmpd env SNMP_PERSISTENT_DIR="$d/snmp" /usr/sbin/snmpd -f -Lo -C -I -smux -c "$d/snmpd.conf" -p "$d/snmpd.pid"
  # SSDP + UPnP IGD
  run_in "$NS_I" "$d" ssdp node "$HERE/demo/ssdp-responder.mjs" "$a" 49152 1900
  for p in 21 22 23 80 443 1883 2222 49152; do wait_port "$NS_I" "$p"; done
}

up_hardened() {
  local d="$STATE/hardened" a="$NET.2.2" pw
  pw="$(openssl rand -hex 16)"
  mkdir -p "$d/www"
  link "$NS_H" 2
  accounts "$d" "$(openssl rand -hex 16)"
  cert "$d" "hc200.local"
  ssh-keygen -q -t ed25519 -N '' -f "$d/ssh_host_ed25519_key"
  cat >"$d/sshd_config" <<EOF
Port 22
HostKey $d/ssh_host_ed25519_key
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
PermitRootLogin prohibit-password
PidFile none
HostKeyAlgorithms ssh-ed25519
KexAlgorithms curve25519-sha256,curve25519-sha256@libssh.org
Ciphers chacha20-poly1305@openssh.com,aes256-gcm@openssh.com,aes128-gcm@openssh.com
MACs hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com
EOF
  mkdir -p /run/sshd
  run_in "$NS_H" "$d" sshd /usr/sbin/sshd -D -e -f "$d/sshd_config"
  printf '<html><head><title>HC200 admin</title></head><body><form method="post" action="/login"><input name="user"><input type="password" name="pass"></form></body></html>\n' >"$d/www/index.html"
  echo "admin:$pw" >"$d/lighttpd.users"
  cat >"$d/lighttpd.conf" <<EOF
server.document-root = "$d/www"
server.port = 80
server.bind = "$a"
server.modules = ("mod_auth", "mod_authn_file", "mod_openssl", "mod_redirect")
server.tag = "lighttpd"
index-file.names = ("index.html")
\$SERVER["socket"] == "$a:443" {
  ssl.engine = "enable"
  ssl.pemfile = "$d/both.pem"
  ssl.openssl.ssl-conf-cmd = ("MinProtocol" => "TLSv1.2", "CipherString" => "ECDHE+AESGCM:ECDHE+CHACHA20")
}
auth.backend = "plain"
auth.backend.plain.userfile = "$d/lighttpd.users"
\$HTTP["scheme"] == "http" {
  url.redirect = ("" => "https://\${url.authority}\${url.path}\${qsa}")
} else {
  auth.require = ("/" => ("method" => "basic", "realm" => "HC200", "require" => "valid-user"))
}
EOF
  run_in "$NS_H" "$d" lighttpd /usr/sbin/lighttpd -D -f "$d/lighttpd.conf"
  printf 'admin:%s\n' "$pw" >"$d/mosquitto.passwd"
  mosquitto_passwd -U "$d/mosquitto.passwd" >/dev/null 2>&1
  printf 'listener 1883 %s\nallow_anonymous false\npassword_file %s\npersistence false\n' "$a" "$d/mosquitto.passwd" >"$d/mosquitto.conf"
  run_in "$NS_H" "$d" mosquitto /usr/sbin/mosquitto -c "$d/mosquitto.conf"
  printf 'agentaddress udp:%s:161\nrocommunity %s\nsysDescr HC200 camera firmware 2.5.0\ncreateUser admin SHA %s\nrouser admin\n' "$a" "$(openssl rand -hex 12)" "$(openssl rand -hex 16)" >"$d/snmpd.conf"
  mkdir -p "$d/snmp"
  run_in "$NS_H" "$d" snmpd env SNMP_PERSISTENT_DIR="$d/snmp" /usr/sbin/snmpd -f -Lo -C -I -smux -c "$d/snmpd.conf" -p "$d/snmpd.pid"
  for p in 22 80 443 1883; do wait_port "$NS_H" "$p"; done
}

down() {
  for ns in "$NS_I" "$NS_H"; do
    if ip netns list | grep -qw "$ns"; then
      pids="$(ip netns pids "$ns" || true)"
      [ -n "$pids" ] && kill $pids 2>/dev/null || true
      sleep 0.2
      pids="$(ip netns pids "$ns" || true)"
      [ -n "$pids" ] && kill -9 $pids 2>/dev/null || true
      ip netns del "$ns"
    fi
  done
  for f in "$STATE"/*/pids; do [ -f "$f" ] && xargs -r kill 2>/dev/null <"$f" || true; done
  if [ -n "$LAB" ] && ip netns list | grep -qw "$LAB"; then ip netns del "$LAB"; fi
  rm -rf "$STATE"
}

case "$cmd" in
  up)
    [ "$(id -u)" -eq 0 ] || die "needs root (network namespaces and private mounts): run it with sudo"
    need ip iproute2; need dropbear dropbear-bin; need /usr/sbin/sshd openssh-server; need lighttpd lighttpd
    need vsftpd vsftpd; need mosquitto mosquitto; need snmpd snmpd; need openssl openssl; need node nodejs
    ip netns list | grep -qw "$NS_I" && die "$NS_I exists already: run '$0 down --name $PREFIX' first"
    if [ -n "$LAB" ] && ! ip netns list | grep -qw "$LAB"; then ip netns add "$LAB"; ip -n "$LAB" link set lo up; fi
    rm -rf "$STATE"; mkdir -p "$STATE"
    trap 'rc=$?; [ $rc -eq 0 ] || down; exit $rc' EXIT
    up_insecure
    up_hardened
    trap - EXIT
    echo "insecure device: $NET.1.2   hardened device: $NET.2.2${LAB:+   (reachable from netns $LAB)}"
    ;;
  down) down ;;
  status)
    for ns in "$NS_I" "$NS_H"; do
      if ip netns list | grep -qw "$ns"; then echo "$ns:"; ip netns exec "$ns" ss -Hlntu | awk '{print "  " $1 " " $5}'; else echo "$ns: down"; fi
    done
    ;;
  *) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
