lttng create record-dryrun --output=/lab/out/record-dryrun/trace
lttng enable-channel --kernel --session=record-dryrun --discard --subbuf-size=1M --num-subbuf=16 vnetscope
lttng enable-event --kernel --session=record-dryrun --channel=vnetscope 'net_*'
lttng enable-event --kernel --session=record-dryrun --channel=vnetscope 'netif_*'
lttng enable-event --kernel --session=record-dryrun --channel=vnetscope 'napi_*'
lttng enable-event --kernel --session=record-dryrun --channel=vnetscope 'skb_*'
lttng enable-event --kernel --session=record-dryrun --channel=vnetscope 'lttng_statedump_*'
lttng add-context --kernel --session=record-dryrun --channel=vnetscope --type=procname --type=tid --type=pid --type=net_ns
lttng start record-dryrun
lttng stop record-dryrun
lttng destroy record-dryrun
