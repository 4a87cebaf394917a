#!/bin/bash
# boot-gen.sh WORK IMG TAG "KERNEL ARGS" : one guest boot under TCG (nested KVM hangs on the lab host), init = the lab's run-v2.sh.
# No ipv6.disable=1 on the command line: the generator switches IPv6 on per namespace for IPv6 scenarios and off everywhere else.
# No network: -nic none. Hard timeout QEMU_TIMEOUT (default 2400 s).
WORK=$1; IMG=$2; TAG=$3; ARGS=$4
cd "$WORK"; mkdir -p logs-gen
K=$(ls rootfs/boot/vmlinuz-* | sort -V | tail -1); I=$(ls rootfs/boot/initrd.img-* | sort -V | tail -1)
APPEND="root=/dev/vda rw console=ttyS0 init=/lab/run-v2.sh panic=5 $ARGS"
echo "append: $APPEND"
timeout ${QEMU_TIMEOUT:-2400} qemu-system-x86_64 -accel tcg,thread=multi -m 2G -smp 2 -no-reboot -kernel $K -initrd $I -append "$APPEND" \
  -drive file=$IMG,format=raw,if=virtio -nic none -nographic < /dev/null > logs-gen/qemu-$TAG.log 2>&1 &
QPID=$!; echo "qemu pid $QPID (log logs-gen/qemu-$TAG.log)"
wait $QPID; rc=$?
grep -a -E "^--- |LAB GUEST" logs-gen/qemu-$TAG.log | tr -d '\r' | tail -80
exit $rc
