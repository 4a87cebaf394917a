package org.vnetscope.ctf;

import java.io.Closeable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Push-style reading, in the manner of {@code jdk.jfr.consumer.EventStream}: subscribe handlers to event
 * names, then {@link #start()} reads the traces once and calls them in timestamp order. Name matching is done
 * once per event class, so a handler costs nothing for events it did not subscribe to; and unless a handler takes
 * every event ({@link #onEvent(Consumer)}), the events nobody subscribed to are passed over by the reader, hardly
 * decoded.
 */
public final class EventStream implements Closeable {

    private final TraceReader reader;
    private final Map<String, List<Consumer<Event>>> byName = new HashMap<>();
    private final List<Consumer<Event>> forAll = new ArrayList<>();
    private final List<Consumer<Discard>> discardHandlers = new ArrayList<>();
    private final List<Checkpoint> checkpoints = new ArrayList<>();
    private final List<Consumer<EventStream>> endHandlers = new ArrayList<>();
    /** Events handed to handlers so far, and the earliest and latest of their times. */
    private long handed;
    private long firstNs = Long.MAX_VALUE;
    private long lastNs = Long.MIN_VALUE;
    /** Handlers by {@link Event#classIndex()}, filled on the first event of each class. */
    private Consumer<Event>[][] dispatch = newTable(64);

    private EventStream(TraceReader reader) {
        this.reader = reader;
    }

    public static EventStream open(Path path) {
        return new EventStream(TraceReader.open(path));
    }

    public static EventStream open(Path path, TraceReader.Warnings warnings) {
        return new EventStream(TraceReader.open(path, warnings));
    }

    public static EventStream of(TraceReader reader) {
        return new EventStream(reader);
    }

    /** The reader underneath, to look at traces and streams before starting. */
    public TraceReader reader() {
        return reader;
    }

    /** Calls the handler for every event of this name. */
    public EventStream onEvent(String eventName, Consumer<Event> handler) {
        byName.computeIfAbsent(eventName, n -> new ArrayList<>()).add(handler);
        return this;
    }

    /** Calls the handler for every event. */
    public EventStream onEvent(Consumer<Event> handler) {
        forAll.add(handler);
        return this;
    }

    /** Calls the handler for every discard record. */
    public EventStream onDiscard(Consumer<Discard> handler) {
        discardHandlers.add(handler);
        return this;
    }

    /**
     * Calls the handler every {@code everyEvents} events yielded while the stream runs, to look at how far it got
     * ({@link #events()}, {@link #lastEventNs()}, the reader's {@link TraceReader#bytesRead()}): unlike
     * {@link #onEvent(Consumer)}, it leaves the events nobody subscribed to passed over.
     */
    public EventStream onCheckpoint(int everyEvents, Consumer<EventStream> handler) {
        if (everyEvents < 1) {
            throw new IllegalArgumentException("a checkpoint every " + everyEvents + " events");
        }
        checkpoints.add(new Checkpoint(everyEvents, handler));
        return this;
    }

    private static final class Checkpoint {
        final int every;
        final Consumer<EventStream> handler;
        long next;

        Checkpoint(int every, Consumer<EventStream> handler) {
            this.every = every;
            this.handler = handler;
            this.next = every;
        }
    }

    /** Calls the checkpoints due at this many events yielded; returns when the next one is due. */
    private long checkpoint(long events) {
        long next = Long.MAX_VALUE;
        for (Checkpoint checkpoint : checkpoints) {
            if (checkpoint.next == events) {
                checkpoint.next += checkpoint.every;
                checkpoint.handler.accept(this);
            }
            next = Math.min(next, checkpoint.next);
        }
        return next;
    }

    /** Calls the handler once the traces have ended, before {@link #start()} returns. */
    public EventStream onEnd(Consumer<EventStream> handler) {
        endHandlers.add(handler);
        return this;
    }

    /**
     * How many events were read so far: those handed to handlers and those passed over because no handler wanted
     * them. Exact once the stream has ended.
     */
    public long events() {
        return handed + reader.passedOver().events();
    }

    /** The earliest event time read so far, events passed over included (ns); {@link Long#MAX_VALUE} if none. */
    public long firstEventNs() {
        return Math.min(firstNs, reader.passedOver().firstNs());
    }

    /** The latest event time read so far, events passed over included (ns); {@link Long#MIN_VALUE} if none. */
    public long lastEventNs() {
        return Math.max(lastNs, reader.passedOver().lastNs());
    }

    /**
     * Reads everything, calling the handlers; returns when the traces end. When no handler takes every event, the
     * events of names nobody subscribed to are passed over by the reader ({@link TraceReader#passOver}).
     */
    public void start() {
        if (forAll.isEmpty()) {
            reader.passOver(byName::containsKey);
        }
        long nextCheckpoint = checkpoint(0);
        while (reader.next()) {
            Event event = reader.event();
            if (event == null) {
                Discard lost = reader.discard();
                for (Consumer<Discard> handler : discardHandlers) {
                    handler.accept(lost);
                }
                continue;
            }
            long time = event.timestampNs();
            if (time < firstNs) {
                firstNs = time;
            }
            if (time > lastNs) {
                lastNs = time;
            }
            if (++handed == nextCheckpoint) {
                nextCheckpoint = checkpoint(handed);
            }
            // the table read in place, and handlersOf() called only for a class not seen yet: a call per event
            // the C1 compiler the launcher uses would not inline
            int index = event.classIndex();
            Consumer<Event>[] handlers = index < dispatch.length ? dispatch[index] : null;
            if (handlers == null) {
                handlers = handlersOf(event);
            }
            for (Consumer<Event> handler : handlers) {
                handler.accept(event);
            }
        }
        for (Consumer<EventStream> handler : endHandlers) {
            handler.accept(this);
        }
    }

    private Consumer<Event>[] handlersOf(Event event) {
        int index = event.classIndex();
        if (index >= dispatch.length) {
            Consumer<Event>[][] larger = newTable(Math.max(index + 1, dispatch.length * 2));
            System.arraycopy(dispatch, 0, larger, 0, dispatch.length);
            dispatch = larger;
        }
        Consumer<Event>[] handlers = dispatch[index];
        if (handlers == null) {
            List<Consumer<Event>> all = new ArrayList<>(forAll);
            all.addAll(byName.getOrDefault(event.name(), List.of()));
            handlers = toArray(all);
            dispatch[index] = handlers;
        }
        return handlers;
    }

    @SuppressWarnings("unchecked")
    private static Consumer<Event>[] toArray(List<Consumer<Event>> handlers) {
        return handlers.toArray(new Consumer[0]);
    }

    @SuppressWarnings("unchecked")
    private static Consumer<Event>[][] newTable(int length) {
        return new Consumer[length][];
    }

    @Override
    public void close() {
        reader.close();
    }
}
