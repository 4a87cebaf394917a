#!/bin/bash
# Boot the two lab5 guests (hosta, hostb) joined by a data wire (phy0) and a control wire (ctl0): qemu socket
# netdevs, A listens, B connects. Adapted from the lab's multihost/boot-pair.sh: -nic none, lab.role=, a
# selectable port pair and a timeout; guest B gets lab.clockshift=SHIFT_S.
# usage: SCENS=mhu,mhv mh5-boot-pair.sh IMG_A IMG_B TAG [SHIFT_S]   (from the work folder holding rootfs/)
WORK=${WORK:-$(pwd)}
cd $WORK
A=$1; B=$2; TAG=${3:-pair}; SHIFT=${4:-3.2}
SCENS=${SCENS:-mhu}; TMO=${QEMU_TIMEOUT:-1500}; PORT=${WIRE_PORT:-40741}
K=$(ls rootfs/boot/vmlinuz-* | sort -V | tail -1); I=$(ls rootfs/boot/initrd.img-* | sort -V | tail -1)
base="root=/dev/vda rw console=ttyS0 init=/lab/run.sh panic=5 ipv6.disable=1 lab.scen=$SCENS"
mkdir -p logs
timeout $TMO qemu-system-x86_64 -accel tcg,thread=multi -m 1536 -smp 2 -no-reboot -kernel $K -initrd $I \
  -append "$base lab.role=A" -drive file=$A,format=raw,if=virtio -nic none \
  -netdev socket,id=wire,listen=127.0.0.1:$PORT -device virtio-net-pci,netdev=wire,mac=52:54:00:aa:00:01 \
  -netdev socket,id=ctl,listen=127.0.0.1:$((PORT+1)) -device virtio-net-pci,netdev=ctl,mac=52:54:00:aa:00:02 \
  -nographic </dev/null >logs/qemu-$TAG-A.log 2>&1 & PA=$!
sleep 3
timeout $TMO qemu-system-x86_64 -accel tcg,thread=multi -m 1536 -smp 2 -no-reboot -kernel $K -initrd $I \
  -append "$base lab.role=B lab.clockshift=$SHIFT" -drive file=$B,format=raw,if=virtio -nic none \
  -netdev socket,id=wire,connect=127.0.0.1:$PORT -device virtio-net-pci,netdev=wire,mac=52:54:00:bb:00:01 \
  -netdev socket,id=ctl,connect=127.0.0.1:$((PORT+1)) -device virtio-net-pci,netdev=ctl,mac=52:54:00:bb:00:02 \
  -nographic </dev/null >logs/qemu-$TAG-B.log 2>&1 & PB=$!
echo "qemu pids A=$PA B=$PB"
wait $PA; echo "A exit $?"; wait $PB; echo "B exit $?"
