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
    private final Map<org.vnetscope.ctf.meta.EventClass, Consumer<Event>[]> dispatch = new HashMap<>();

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
            for (Consumer<Event> handler : handlersOf(event.eventClass())) {
                handler.accept(event);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private Consumer<Event>[] handlersOf(org.vnetscope.ctf.meta.EventClass eventClass) {
        Consumer<Event>[] handlers = dispatch.get(eventClass);
        if (handlers == null) {
            List<Consumer<Event>> all = new ArrayList<>(forAll);
            all.addAll(byName.getOrDefault(eventClass.name(), List.of()));
            handlers = all.toArray(new Consumer[0]);
            dispatch.put(eventClass, handlers);
        }
        return handlers;
    }

    @Override
    public void close() {
        reader.close();
    }
}
