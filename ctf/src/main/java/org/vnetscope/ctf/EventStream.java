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
 * once per event class, so a handler costs nothing for events it did not subscribe to.
 */
public final class EventStream implements Closeable {

    private final TraceReader reader;
    private final Map<String, List<Consumer<Event>>> byName = new HashMap<>();
    private final List<Consumer<Event>> forAll = new ArrayList<>();
    private final List<Consumer<Discard>> discardHandlers = new ArrayList<>();
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

    /** Reads everything, calling the handlers; returns when the traces end. */
    public void start() {
        while (reader.next()) {
            Event event = reader.event();
            if (event == null) {
                Discard lost = reader.discard();
                for (Consumer<Discard> handler : discardHandlers) {
                    handler.accept(lost);
                }
                continue;
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
