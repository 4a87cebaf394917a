#!/bin/bash
# Boot two lab guests (hosts A and B) joined by a data wire and a control wire (qemu socket netdevs; A listens,
# B connects), with a selectable data NIC model. Adapted from the lab's multihost/boot-pair.sh.
# usage: DATA_NIC=virtio-net-pci|e1000 SCENS=nic1,nic2 nic-boot-pair.sh IMG_A IMG_B TAG
# Run from the work folder that holds rootfs/ (kernel and initrd are taken from rootfs/boot). TCG only.
WORK=${WORK:-$(pwd)}
cd $WORK
A=$1; B=$2; TAG=${3:-pair}
DATA_NIC=${DATA_NIC:-virtio-net-pci}; SCENS=${SCENS:-nic1}; TMO=${QEMU_TIMEOUT:-1500}
PORT=${WIRE_PORT:-40711}
K=$(ls rootfs/boot/vmlinuz-* | sort -V | tail -1); I=$(ls rootfs/boot/initrd.img-* | sort -V | tail -1)
base="root=/dev/vda rw console=ttyS0 init=/lab/run.sh panic=5 ipv6.disable=1 lab.scen=$SCENS lab.nic=$DATA_NIC"
mkdir -p logs
# data NIC: $DATA_NIC; control NIC: always virtio-net-pci; no other NIC (-nic none)
timeout $TMO qemu-system-x86_64 -accel tcg,thread=multi -m 1536 -smp 2 -no-reboot -kernel $K -initrd $I \
  -append "$base lab.role=A" -drive file=$A,format=raw,if=virtio -nic none \
  -netdev socket,id=wire,listen=127.0.0.1:$PORT -device $DATA_NIC,netdev=wire,mac=52:54:00:aa:00:01 \
  -netdev socket,id=ctl,listen=127.0.0.1:$((PORT+1)) -device virtio-net-pci,netdev=ctl,mac=52:54:00:aa:00:02 \
  -nographic </dev/null >logs/qemu-$TAG-A.log 2>&1 & PA=$!
sleep 3
timeout $TMO qemu-system-x86_64 -accel tcg,thread=multi -m 1536 -smp 2 -no-reboot -kernel $K -initrd $I \
  -append "$base lab.role=B" -drive file=$B,format=raw,if=virtio -nic none \
  -netdev socket,id=wire,connect=127.0.0.1:$PORT -device $DATA_NIC,netdev=wire,mac=52:54:00:bb:00:01 \
  -netdev socket,id=ctl,connect=127.0.0.1:$((PORT+1)) -device virtio-net-pci,netdev=ctl,mac=52:54:00:bb:00:02 \
  -nographic </dev/null >logs/qemu-$TAG-B.log 2>&1 & PB=$!
echo "qemu pids A=$PA B=$PB"
wait $PA; echo "A exit $?"; wait $PB; echo "B exit $?"
