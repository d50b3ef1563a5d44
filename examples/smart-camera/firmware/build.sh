#!/usr/bin/env bash
# Rebuilds hc200-2.4.1.bin, the example camera's firmware: a vendor header followed by an
# xz-compressed SquashFS root filesystem with the weaknesses a lab would look for planted in it
# (a Mirai default password, telnet and a root console at boot, a shared private key, plain-HTTP
# updates, UPnP without secure mode, an unhardened daemon, old components). Needs gcc, openssl
# and squashfs-tools. The committed image is what `concord assess examples/smart-camera` reads.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
mkdir -p "$root"/{bin,sbin,etc/init.d,etc/ssl/private,etc/config,usr/sbin,usr/lib/opkg,www,var,tmp,dev,proc}

# Accounts: root's password is "xc3511", one of the factory defaults Mirai tried.
hash="$(openssl passwd -1 -salt hc200abc xc3511)"
cat > "$root/etc/passwd" <<PW
root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/var:/bin/false
camera:x:1000:1000:camera service:/var/camera:/bin/sh
PW
cat > "$root/etc/shadow" <<SH
root:${hash}:16800:0:99999:7:::
daemon:*:16800:0:99999:7:::
camera:!:16800:0:99999:7:::
SH
chmod 600 "$root/etc/shadow"

# Boot: a root shell on the serial console and telnetd started by rcS.
cat > "$root/etc/inittab" <<'IT'
::sysinit:/etc/init.d/rcS
ttyS0::respawn:/bin/sh
::shutdown:/bin/umount -a -r
IT
cat > "$root/etc/init.d/rcS" <<'RC'
#!/bin/sh
mount -t proc proc /proc
/usr/sbin/telnetd -p 23
/usr/sbin/miniupnpd -f /etc/miniupnpd.conf
/usr/sbin/camd &
/usr/sbin/fw_update --check &
RC
chmod 755 "$root/etc/init.d/rcS"
printf 'ext_ifname=eth0\nlisten_addr=0.0.0.0\nsecure_mode=no\nenable_upnp=yes\n' > "$root/etc/miniupnpd.conf"
printf 'UPDATE_URL=http://update.acme-devices.example/hc200/latest.bin\nCHECK_INTERVAL=86400\n' > "$root/etc/fw_update.conf"

# One TLS key for every unit: generated once at build time, baked into the image.
openssl genrsa -out "$root/etc/ssl/private/server.key" 2048 2>/dev/null
openssl req -new -x509 -key "$root/etc/ssl/private/server.key" -subj "/CN=hc200.local" -days 3650 -out "$root/etc/ssl/server.crt" 2>/dev/null

# Components as the package manager recorded them.
cat > "$root/usr/lib/opkg/status" <<'OP'
Package: busybox
Version: 1.24.1-1
Status: install user installed
Architecture: mipsel_24kc

Package: dropbear
Version: 2015.71-1
Status: install user installed
Architecture: mipsel_24kc

Package: dnsmasq
Version: 2.75-1
Status: install user installed
Architecture: mipsel_24kc

Package: libopenssl1.0.0
Version: 1.0.2k-1
Status: install user installed
Architecture: mipsel_24kc
OP

# The camera daemon, built without exploit mitigations.
cat > "$work/camd.c" <<'C'
#include <stdio.h>
#include <string.h>
int main(int argc, char **argv) { char buf[64]; if (argc > 1) strcpy(buf, argv[1]); puts("camd 2.4.1"); return 0; }
C
gcc -O0 -fno-stack-protector -no-pie -z execstack -Wl,-z,norelro -o "$root/usr/sbin/camd" "$work/camd.c"
printf '#!/bin/sh\n. /etc/fw_update.conf\nwget -O /tmp/fw.bin "$UPDATE_URL" && mtd write /tmp/fw.bin firmware\n' > "$root/usr/sbin/fw_update"
chmod 755 "$root/usr/sbin/fw_update" "$root/usr/sbin/camd"
echo '<html><body>HomeCam</body></html>' > "$root/www/index.html"

mksquashfs "$root" "$work/rootfs.sqfs" -comp xz -noappend -all-root -quiet -no-progress -mkfs-time 1700000000 -all-time 1700000000 >/dev/null
# The vendor header: a magic, the model and version, then the root filesystem at 0x100.
{ printf 'ACMEFW\x00\x02HC-200\x00\x002.4.1\x00'; head -c $((0x100 - 22)) /dev/zero; cat "$work/rootfs.sqfs"; } > "$here/hc200-2.4.1.bin"
echo "wrote $here/hc200-2.4.1.bin ($(stat -c %s "$here/hc200-2.4.1.bin") bytes)"
