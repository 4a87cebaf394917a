package org.vnetscope.ctf.internal;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Predicate;
import org.vnetscope.ctf.Discard;
import org.vnetscope.ctf.Event;
import org.vnetscope.ctf.StreamFile;
import org.vnetscope.ctf.Trace;
import org.vnetscope.ctf.TraceReader;

/**
 * A {@link MergingReader} read on a thread of its own, a few batches of records ahead of its caller (see
 * {@link TraceReader#readingAhead()}). The reading thread decodes and merges as the reader alone does; after each
 * record it hands the record's value frames over, whole, to a {@link DecodedRecord} of a batch, and its decoder goes
 * on in other frames, so nothing is copied per field and the caller's {@link EventView} reads the very values the
 * decoder wrote, through the same code: the records, their order and every answer about them are those of the
 * reader read alone. The frames of a packet's header and context, which a decoder keeps for all the packet's
 * events, are copied once per packet.
 *
 * <p>Batches go round between the two threads through two queues: the caller hands a batch back once it has moved
 * past its last record, and the reading thread fills it again, each record trading the frames it held (now read)
 * for those of the next record it takes over. A {@link TraceReader.Preparation} runs on the events of a batch when
 * two filled batches are waiting for the caller as the reading thread starts it (the caller is the slower): what the
 * caller finds unprepared it works out itself, so the work moves to whichever thread has time for it. The reader's
 * warnings come from the reading thread; an error of the reader reaches the caller after the records before it, as
 * it would have reading alone.
 *
 * <p>The source also goes back to the caller's thread and over again, at batch boundaries, as a {@link ReadAheadPace}
 * decides from the pace of each way: between cores that share no cache, handing every record's values over can cost
 * more than it saves. To take the source back, the caller asks the reading thread to wait after the batch it fills,
 * takes the batches before it, then reads the source itself; to hand it over again, it wakes the reading thread,
 * which goes on from the caller's last record. Records read on the caller's thread are not prepared.
 */
final class ReadAhead implements TraceReader {

    /**
     * Records per batch, and batches: a hand-over between the threads per batch, and few records in flight, whose
     * frames go from one core's cache to the other's and back (on lab-large, 4 x 256 records in flight took less
     * CPU on both threads than 3 x 1,024, and 3 x 256, 4 x 128 or 2 x 512 no less: bench/README.md).
     */
    private static final int BATCH = 256;
    private static final int BATCHES = 4;
    /** Filled batches waiting for the caller from which the reading thread also prepares the batch it fills. */
    private static final int PREPARE_BEHIND = 2;
    private static final int HEADER = org.vnetscope.ctf.Scope.PACKET_HEADER.ordinal();
    private static final int PACKET_CONTEXT = org.vnetscope.ctf.Scope.PACKET_CONTEXT.ordinal();
    private static final int PAYLOAD = org.vnetscope.ctf.Scope.EVENT_PAYLOAD.ordinal();

    /** A record read ahead: a decoder's record as it was, with the event frames it was decoded into. */
    private static final class Record extends DecodedRecord {
        /** The preparation's slot, made on the record's first prepared event. */
        Object slot;
        /** Whether the slot holds what the preparation made of this record's event. */
        boolean prepared;
    }

    private static final class Batch {
        final Record[] records = new Record[BATCH];
        int size;
        /** The reader ended after this batch's records. */
        boolean last;
        /** What the reader threw after this batch's records. */
        Throwable failure;
        /** The reading thread waits after this batch, until the caller hands the source back. */
        boolean pausedAfter;

        Batch() {
            for (int i = 0; i < BATCH; i++) {
                records[i] = new Record();
            }
        }
    }

    /** The copies of a decoder's packet frames that its records of the current packet share. */
    private static final class PacketCopies {
        long[] headerValues;
        long[] headerAux;
        long[] contextValues;
        long[] contextAux;
        long copiedAt = -1;
    }

    private final MergingReader source;
    private final Preparation<?> preparation;
    private final BlockingQueue<Batch> filled = new ArrayBlockingQueue<>(BATCHES);
    private final BlockingQueue<Batch> free = new ArrayBlockingQueue<>(BATCHES);
    private final Filler filler;
    private final ReadAheadPace pace;
    private final EventView view = new EventView();
    /** Records are read on the caller's thread, from the source itself: the reading thread waits. */
    private boolean direct;
    /** Records read on this thread the pace will be told of; those left before it is. */
    private long directTold;
    private long directDue;
    private Thread reading;
    private boolean started;
    private final long totalBytes;
    private Batch batch;
    private int index;
    /** The current batch's size, read once: the batch object may share a cache line with the one being filled. */
    private int batchSize;
    private Record current;
    private boolean ended;

    ReadAhead(MergingReader source, Preparation<?> preparation) {
        this(source, preparation, ReadAheadPace.fromProperty());
    }

    ReadAhead(MergingReader source, Preparation<?> preparation, ReadAheadPace pace) {
        this.pace = pace;
        this.source = source;
        this.preparation = preparation;
        this.totalBytes = source.totalBytes(); // asked here, as the reading thread will use the decoders
        this.filler = new Filler(source, preparation, filled, free);
        for (int i = 0; i < BATCHES; i++) {
            free.add(new Batch());
        }
    }

    @Override
    public List<Trace> traces() {
        return source.traces();
    }

    @Override
    public List<StreamFile> streams() {
        return source.streams();
    }

    @Override
    public void limitTo(long beginNs, long endNs) {
        if (started) {
            throw new IllegalStateException("limitTo must come before the first next()");
        }
        source.limitTo(beginNs, endNs);
    }

    @Override
    public long startNs() {
        return source.startNs();
    }

    @Override
    public boolean passOver(Predicate<String> wanted) {
        if (started) {
            throw new IllegalStateException("passOver must come before the first next()");
        }
        return source.passOver(wanted);
    }

    /** As far as the reading thread got at its last batch; exact once the last batch was taken. */
    @Override
    public PassedOver passedOver() {
        return direct ? source.passedOver() : filler.passedOver;
    }

    @Override
    public long totalBytes() {
        return totalBytes;
    }

    /** As far as the reading thread got at its last batch: a little ahead of the caller. */
    @Override
    public long bytesRead() {
        return direct ? source.bytesRead() : filler.bytesRead;
    }

    @Override
    public boolean next() {
        if (!started) {
            started = true;
            if (pace.startsAhead()) {
                start();
            } else {
                // the reading thread starts at the first change of mode
                direct = true;
                pace.modeStarted();
                countDirect();
            }
        }
        if (direct) {
            if (ended) {
                return false;
            }
            if (directDue == 0) {
                if (pace.taken(directTold, false)) {
                    countDirect();
                } else {
                    resume();
                }
            }
            if (direct) {
                directDue--;
                return nextDirect();
            }
        } else if (batch != null && ++index < batchSize) {
            current = batch.records[index];
            setView();
            return true;
        }
        if (ended) {
            return false;
        }
        if (batch != null) {
            if (batch.failure != null || batch.last) {
                return end(batch);
            }
            boolean paused = batch.pausedAfter;
            free.add(batch); // never full: there are only BATCHES batches
            batch = null;
            if (paused) {
                // the reading thread waits and no batch is left: the source is the caller's from here on
                direct = true;
                current = null;
                pace.modeStarted();
                countDirect();
                directDue--;
                return nextDirect();
            }
        }
        batch = take();
        index = 0;
        batchSize = batch.size;
        if (!pace.taken(batchSize, true)) {
            // asked once: the pace waits, the records until the change timed in no phase
            filler.pauseAsked = true;
        }
        if (batchSize == 0) {
            return end(batch);
        }
        current = batch.records[0];
        setView();
        return true;
    }

    /** The records read on this thread from now until the pace is told of them. */
    private void countDirect() {
        directTold = pace.due();
        directDue = directTold;
    }

    private boolean nextDirect() {
        if (source.next()) {
            return true;
        }
        ended = true;
        return false;
    }

    /** Hands the source back to the reading thread, the caller being past its current record. */
    private void resume() {
        direct = false;
        filler.bytesRead = source.bytesRead();
        filler.passedOver = source.passedOver();
        filler.pauseAsked = false;
        if (reading == null) {
            start();
        } else {
            filler.resume.add(Boolean.TRUE); // never full: the reading thread took the last one before it waited
        }
        pace.modeStarted();
    }

    private void setView() {
        if (current.kind == StreamDecoder.EVENT) {
            view.set(current);
        }
    }

    private boolean end(Batch last) {
        ended = true;
        current = null;
        Throwable failure = last.failure;
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        return false;
    }

    private Batch take() {
        try {
            return filled.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the trace", e);
        }
    }

    @Override
    public Preparation<?> preparation() {
        return preparation;
    }

    @Override
    public Object prepared() {
        return current != null && current.prepared ? current.slot : null;
    }

    @Override
    public Event event() {
        if (direct) {
            return ended ? null : source.event();
        }
        return current != null && current.kind == StreamDecoder.EVENT ? view : null;
    }

    @Override
    public Discard discard() {
        if (direct) {
            return ended ? null : source.discard();
        }
        return current != null && current.kind == StreamDecoder.DISCARD ? current.discard : null;
    }

    @Override
    public void close() {
        filler.closed = true;
        Thread thread = reading;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        current = null;
        source.close();
    }

    private void start() {
        reading = new Thread(filler::readAll, "vnetscope-read-ahead");
        reading.setDaemon(true);
        reading.start();
    }

    /**
     * The reading thread's side: its state lies in an object of its own, apart from the caller's, which the caller
     * writes at every record. On the same cache line, each record's write by one thread and read by the other sends
     * the line from one core to the other and back; between cores that share no cache (on a virtual machine, often),
     * that round trip stalls both threads.
     */
    private static final class Filler {
        private final MergingReader source;
        @SuppressWarnings("rawtypes")
        private final Preparation preparation;
        private final BlockingQueue<Batch> filled;
        private final BlockingQueue<Batch> free;
        private final PacketCopies[] packetCopies;
        /** The slots of every decoder's largest event frame of each scope: the size of the frames records trade. */
        private final int[] eventSlots = new int[DecodedRecord.SCOPES];
        volatile boolean closed;
        /** The caller asks the reading thread to wait after the batch it fills. */
        volatile boolean pauseAsked;
        /** Where the caller hands the source back after reading on its own. */
        final BlockingQueue<Boolean> resume = new ArrayBlockingQueue<>(1);
        volatile long bytesRead;
        volatile PassedOver passedOver = PassedOver.NONE;

        Filler(MergingReader source, Preparation<?> preparation, BlockingQueue<Batch> filled,
                BlockingQueue<Batch> free) {
            this.source = source;
            this.preparation = preparation;
            this.filled = filled;
            this.free = free;
            this.packetCopies = new PacketCopies[source.decoders.length];
            for (int i = 0; i < packetCopies.length; i++) {
                packetCopies[i] = new PacketCopies();
            }
            for (StreamDecoder decoder : source.decoders) {
                for (int scope = 0; scope < eventSlots.length; scope++) {
                    if (scope != HEADER && scope != PACKET_CONTEXT && decoder.values[scope] != null) {
                        eventSlots[scope] = Math.max(eventSlots[scope], decoder.values[scope].length);
                    }
                }
            }
            // frames go round between decoders (of several traces, whose layouts differ): every one of the largest
            for (StreamDecoder decoder : source.decoders) {
                for (int scope = 0; scope < eventSlots.length; scope++) {
                    if (eventSlots[scope] > 0 && decoder.values[scope].length < eventSlots[scope]) {
                        decoder.values[scope] = new long[eventSlots[scope]];
                        decoder.aux[scope] = new long[eventSlots[scope]];
                    }
                }
            }
        }

        /** The reading thread: fills batches until the reader ends, fails, or the caller closes. */
        private void readAll() {
            Batch filling = null;
            // counted here and written once per batch: the batch the caller reads may lie beside this one
            int size = 0;
            try {
                while (!closed) {
                    filling = free.take();
                    // the preparation only while the caller is behind: what is not prepared the caller works out
                    // itself, so the two threads share that work as their pace allows. One filled batch waiting is
                    // the usual pipeline (the caller is in the batch before it), two mean the caller is the slower
                    // (on lab-large, preparing on one already left the reading thread the slower by a tenth:
                    // bench/README.md)
                    boolean prepare = preparation != null && filled.size() >= PREPARE_BEHIND;
                    boolean more = true;
                    size = 0;
                    Record[] records = filling.records;
                    while (size < BATCH && (more = source.next())) {
                        keep(records[size], prepare);
                        size++;
                    }
                    filling.size = size;
                    filling.last = !more;
                    boolean pause = more && pauseAsked;
                    filling.pausedAfter = pause;
                    bytesRead = source.bytesRead();
                    passedOver = source.passedOver();
                    filled.add(filling);
                    filling = null;
                    if (!more) {
                        return;
                    }
                    if (pause) {
                        resume.take(); // the source is the caller's until then
                    }
                }
            } catch (InterruptedException e) {
                // closed by the caller
            } catch (RuntimeException | Error e) {
                if (filling != null && !closed) {
                    // the records before the failure, then the failure, as reading alone would have shown them
                    filling.size = size;
                    filling.failure = e;
                    filled.add(filling);
                }
            }
        }

        /**
         * Makes the record the reader's current one: its event frames are traded for the decoder's, which hold the
         * record's values; its packet frames point to copies of the decoder's, made once per packet.
         */
        private void keep(Record record, boolean prepare) {
            StreamDecoder decoder = source.current();
            record.trace = decoder.trace;
            record.streamClass = decoder.streamClass;
            record.event = decoder.event;
            record.le = decoder.le;
            record.address = decoder.address;
            record.be = decoder.be;
            record.windowLength = decoder.windowLength;
            record.kind = decoder.kind;
            record.cycles = decoder.cycles;
            record.timestampNs = decoder.timestampNs;
            record.discard = decoder.discard;
            record.file = decoder.file;
            record.prepared = false;
            if (decoder.kind != StreamDecoder.EVENT) {
                return;
            }
            if (prepare) {
                // while the decoder's frames are its own: the reader's view reads through them
                if (record.slot == null) {
                    record.slot = preparation.newSlot();
                }
                prepare(source.event(), record.slot);
                record.prepared = true;
            }
            System.arraycopy(decoder.scopeStart, 0, record.scopeStart, 0, DecodedRecord.SCOPES);
            long[][] filled = decoder.values;
            long[][] filledAux = decoder.aux;
            long[][] empty = record.values;
            long[][] emptyAux = record.aux;
            if (empty[PAYLOAD] == null) {
                // a record's first event: event frames of its own, large enough for any decoder's, to trade
                for (int scope = 0; scope < eventSlots.length; scope++) {
                    if (eventSlots[scope] > 0) {
                        empty[scope] = new long[eventSlots[scope]];
                        emptyAux[scope] = new long[eventSlots[scope]];
                    }
                }
            }
            // the decoder goes on with its own packet frames in the record's event frames
            empty[HEADER] = filled[HEADER];
            empty[PACKET_CONTEXT] = filled[PACKET_CONTEXT];
            emptyAux[HEADER] = filledAux[HEADER];
            emptyAux[PACKET_CONTEXT] = filledAux[PACKET_CONTEXT];
            decoder.values = empty;
            decoder.aux = emptyAux;
            PacketCopies copies = packetCopies[source.currentStream()];
            if (copies.copiedAt != decoder.packetFramesWritten) {
                copies.copiedAt = decoder.packetFramesWritten;
                copies.headerValues = filled[HEADER].clone();
                copies.headerAux = filledAux[HEADER].clone();
                copies.contextValues = filled[PACKET_CONTEXT].clone();
                copies.contextAux = filledAux[PACKET_CONTEXT].clone();
            }
            filled[HEADER] = copies.headerValues;
            filled[PACKET_CONTEXT] = copies.contextValues;
            filledAux[HEADER] = copies.headerAux;
            filledAux[PACKET_CONTEXT] = copies.contextAux;
            record.values = filled;
            record.aux = filledAux;
        }

        @SuppressWarnings("unchecked")
        private void prepare(Event event, Object slot) {
            preparation.prepare(event, slot);
        }
    }
}
