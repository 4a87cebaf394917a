package org.vnetscope.ctf.internal;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.vnetscope.ctf.Discard;
import org.vnetscope.ctf.Event;
import org.vnetscope.ctf.StreamFile;
import org.vnetscope.ctf.Trace;
import org.vnetscope.ctf.TraceReader;

/**
 * Merges the records of every stream in timestamp order with a binary heap of streams, each holding its next
 * record: O(log streams) per record.
 *
 * <p>Equal timestamps are ordered as babeltrace2's muxer orders them: by trace UUID (traces without one last),
 * then trace name, stream class id, and stream id; the stream file path settles the rest, so the order is total
 * and stable. Within one stream the file order is kept, even when timestamps go backwards.
 */
final class MergingReader implements TraceReader {
    private final List<Trace> traces;
    private final List<StreamFile> streamFiles;
    private final StreamDecoder[] decoders;
    /** Position of each decoder in the tie order. */
    private final int[] tieRank;
    private final int[] heap;
    private int size;
    private boolean started;
    private StreamDecoder current;
    private final EventView view = new EventView();

    MergingReader(List<Trace> traces, List<StreamDecoder> decoders, List<String> traceNames) {
        this.traces = List.copyOf(traces);
        this.decoders = decoders.toArray(StreamDecoder[]::new);
        this.streamFiles = decoders.stream().map(d -> d.file).toList();
        Integer[] order = new Integer[this.decoders.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        // Traces are records holding their whole metadata: find them by identity, never by deep equality.
        String[] traceName = new String[this.decoders.length];
        for (int i = 0; i < traceName.length; i++) {
            for (int t = 0; t < traces.size(); t++) {
                if (traces.get(t) == this.decoders[i].trace.trace) {
                    traceName[i] = traceNames.get(t);
                }
            }
        }
        Comparator<Integer> byTrace = (a, b) -> compareTraces(this.decoders[a].trace, this.decoders[b].trace,
                traceName[a], traceName[b]);
        Arrays.sort(order, byTrace
                .thenComparing((a, b) -> Long.compareUnsigned(this.decoders[a].file.streamClassId(),
                        this.decoders[b].file.streamClassId()))
                .thenComparing((a, b) -> Long.compareUnsigned(this.decoders[a].streamIdForOrder,
                        this.decoders[b].streamIdForOrder))
                .thenComparing(a -> this.decoders[a].path.toString()));
        tieRank = new int[order.length];
        for (int rank = 0; rank < order.length; rank++) {
            tieRank[order[rank]] = rank;
        }
        heap = new int[this.decoders.length];
    }

    private static int compareTraces(CompiledTrace a, CompiledTrace b, String nameA, String nameB) {
        if (a.uuid != null && b.uuid == null) {
            return -1;
        }
        if (a.uuid == null && b.uuid != null) {
            return 1;
        }
        if (a.uuid != null) {
            int byUuid = Arrays.compareUnsigned(a.uuid, b.uuid);
            if (byUuid != 0) {
                return byUuid;
            }
        }
        return nameA.compareTo(nameB);
    }

    @Override
    public List<Trace> traces() {
        return traces;
    }

    @Override
    public List<StreamFile> streams() {
        return streamFiles;
    }

    @Override
    public boolean next() {
        if (!started) {
            started = true;
            for (int i = 0; i < decoders.length; i++) {
                if (decoders[i].advance()) {
                    heap[size++] = i;
                }
            }
            for (int i = size / 2 - 1; i >= 0; i--) {
                siftDown(i);
            }
        } else if (current != null) {
            if (current.advance()) {
                siftDown(0);
            } else {
                heap[0] = heap[--size];
                if (size > 0) {
                    siftDown(0);
                }
            }
        }
        if (size == 0) {
            current = null;
            return false;
        }
        current = decoders[heap[0]];
        if (current.kind == StreamDecoder.EVENT) {
            view.set(current);
        }
        return true;
    }

    private boolean before(int a, int b) {
        long ta = decoders[a].timestampNs;
        long tb = decoders[b].timestampNs;
        if (ta != tb) {
            return ta < tb;
        }
        return tieRank[a] < tieRank[b];
    }

    private void siftDown(int index) {
        int item = heap[index];
        int half = size >>> 1;
        while (index < half) {
            int child = 2 * index + 1;
            int right = child + 1;
            if (right < size && before(heap[right], heap[child])) {
                child = right;
            }
            if (!before(heap[child], item)) {
                break;
            }
            heap[index] = heap[child];
            index = child;
        }
        heap[index] = item;
    }

    @Override
    public Event event() {
        return current != null && current.kind == StreamDecoder.EVENT ? view : null;
    }

    @Override
    public Discard discard() {
        return current != null && current.kind == StreamDecoder.DISCARD ? current.discard : null;
    }

    @Override
    public void close() {
        for (StreamDecoder decoder : decoders) {
            decoder.close();
        }
        current = null;
        size = 0;
    }
}
