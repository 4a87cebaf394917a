package org.vnetscope.ctf.internal;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.vnetscope.ctf.CtfException;
import org.vnetscope.ctf.Scope;
import org.vnetscope.ctf.Trace;
import org.vnetscope.ctf.meta.ClockClass;
import org.vnetscope.ctf.meta.EventClass;
import org.vnetscope.ctf.meta.StreamClass;
import org.vnetscope.ctf.meta.StructType;
import org.vnetscope.ctf.meta.TraceClass;

/** A trace's metadata compiled into decoding plans, once per trace. */
final class CompiledTrace {
    final Trace trace;
    final Path metadata;
    /** The trace UUID as the 16 bytes a packet header carries, or null. */
    final byte[] uuid;
    final Plan packetHeader;
    final Node magic;
    final Node uuidField;
    final Node streamId;
    final Node streamInstanceId;
    final Map<Long, Stream> streams = new LinkedHashMap<>();
    final int maxEventContextSlots;
    final int maxPayloadSlots;

    CompiledTrace(Trace trace, Path metadata, EventClassCounter counter, PlanCompiler.Interned plans) {
        this.trace = trace;
        this.metadata = metadata;
        TraceClass meta = trace.metadata();
        this.uuid = meta.uuid() == null ? null : bytes(meta.uuid());
        Plan[] scopes = new Plan[Scope.values().length];
        packetHeader = plans.compile(metadata, Scope.PACKET_HEADER, orEmpty(meta.packetHeader()), scopes,
                PlanCompiler.Roles.NONE);
        magic = integerField(packetHeader, "magic");
        uuidField = packetHeader.field("uuid");
        streamId = integerField(packetHeader, "stream_id");
        streamInstanceId = integerField(packetHeader, "stream_instance_id");
        int contextSlots = 0;
        int payloadSlots = 0;
        for (StreamClass streamClass : meta.streams().values()) {
            Stream stream = new Stream(this, streamClass, counter, plans);
            streams.put(streamClass.id(), stream);
            for (Event event : stream.events.values()) {
                contextSlots = Math.max(contextSlots, event.context.slotCount());
                payloadSlots = Math.max(payloadSlots, event.payload.slotCount());
            }
        }
        maxEventContextSlots = contextSlots;
        maxPayloadSlots = payloadSlots;
        eventClassCount = counter.count();
    }

    /** How many event classes this trace's numbering used. */
    private final int eventClassCount;

    static StructType orEmpty(StructType type) {
        return type == null ? StructType.EMPTY : type;
    }

    private static Node integerField(Plan plan, String name) {
        Node node = plan.field(name);
        return node != null && (node.kind == Node.INT || node.kind == Node.ENUM) ? node : null;
    }

    private static byte[] bytes(UUID uuid) {
        return ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits()).array();
    }

    /**
     * Moves this trace's event class numbers, counted from 0 in the order they were compiled, to follow the
     * {@code first} classes of the traces before it in a reader; called once. Returns how many it has.
     */
    int numberEventClassesFrom(int first) {
        for (Stream stream : streams.values()) {
            for (Event event : stream.events.values()) {
                event.index += first;
            }
        }
        return eventClassCount;
    }

    /** Hands out event class numbers within a trace, from 0. */
    static final class EventClassCounter {
        private int next;

        int next() {
            return next++;
        }

        int count() {
            return next;
        }
    }

    /** A stream class: its plans, its clock and its event classes by id. */
    static final class Stream {
        private static final int DENSE_LIMIT = 1 << 16;

        final CompiledTrace trace;
        final StreamClass streamClass;
        final Plan packetContext;
        final Plan eventHeader;
        final Plan eventContext;
        final Node contentSize;
        final Node packetSize;
        final Node timestampBegin;
        final Node timestampEnd;
        final Node eventsDiscarded;
        final Node packetSeqNum;
        /** Converts this stream's clock; {@link ClockConverter#IMPLICIT} when the metadata maps no clock. */
        final ClockConverter clock;
        final boolean headerHasId;
        final Map<Long, Event> events = new LinkedHashMap<>();
        /** Event classes by id when the ids are small, else null. */
        final Event[] dense;
        private final Map<Long, Event> sparse;

        Stream(CompiledTrace trace, StreamClass streamClass, EventClassCounter counter, PlanCompiler.Interned plans) {
            this.trace = trace;
            this.streamClass = streamClass;
            clock = clockOf(trace.trace.metadata(), streamClass);

            Plan[] scopes = new Plan[Scope.values().length];
            scopes[Scope.PACKET_HEADER.ordinal()] = trace.packetHeader;
            // The reader sets the clock from timestamp_begin itself; no packet context field moves it.
            packetContext = plans.compile(trace.metadata, Scope.PACKET_CONTEXT,
                    orEmpty(streamClass.packetContext()), scopes, PlanCompiler.Roles.NONE);
            scopes[Scope.PACKET_CONTEXT.ordinal()] = packetContext;
            eventHeader = plans.compile(trace.metadata, Scope.EVENT_HEADER, orEmpty(streamClass.eventHeader()),
                    scopes, HEADER_ROLES);
            headerHasId = hasEventId(eventHeader);
            scopes[Scope.EVENT_HEADER.ordinal()] = eventHeader;
            eventContext = plans.compile(trace.metadata, Scope.STREAM_EVENT_CONTEXT,
                    orEmpty(streamClass.eventContext()), scopes, PlanCompiler.Roles.NONE);
            scopes[Scope.STREAM_EVENT_CONTEXT.ordinal()] = eventContext;

            contentSize = integer(packetContext, "content_size");
            packetSize = integer(packetContext, "packet_size");
            timestampBegin = integer(packetContext, "timestamp_begin");
            timestampEnd = integer(packetContext, "timestamp_end");
            eventsDiscarded = integer(packetContext, "events_discarded");
            packetSeqNum = integer(packetContext, "packet_seq_num");

            long maxId = -1;
            for (EventClass eventClass : streamClass.events().values()) {
                Event event = new Event(this, eventClass, counter.next(), scopes, plans);
                events.put(eventClass.id(), event);
                maxId = Math.max(maxId, eventClass.id() < 0 ? DENSE_LIMIT : eventClass.id());
            }
            if (maxId < DENSE_LIMIT) {
                dense = new Event[(int) maxId + 1];
                for (Event event : events.values()) {
                    dense[(int) event.eventClass.id()] = event;
                }
                sparse = null;
            } else {
                dense = null;
                sparse = new HashMap<>(events);
            }
        }

        /**
         * The integers of an event header that set the clock (a mapped clock, or named timestamp) or the event id
         * (named id, at the top or in an option of the top-level variant v, as LTTng writes it).
         */
        private static final PlanCompiler.Roles HEADER_ROLES = node -> {
            int flags = 0;
            if ((node.integer.mappedClock() != null || "timestamp".equals(node.name)) && !node.inElement) {
                flags |= Plan.FLAG_CLOCK;
            }
            if ("id".equals(node.name) && isHeaderIdPosition(node)) {
                flags |= Plan.FLAG_EVENT_ID;
            }
            return flags;
        };

        private static boolean hasEventId(Plan header) {
            for (Node node : header.nodes) {
                if (node.integer != null && (HEADER_ROLES.flags(node) & Plan.FLAG_EVENT_ID) != 0) {
                    return true;
                }
            }
            return false;
        }

        /** The event class of an id, or null. */
        Event event(long id) {
            if (dense != null) {
                return id >= 0 && id < dense.length ? dense[(int) id] : null;
            }
            return sparse.get(id);
        }

        /** The only event class, for streams whose header has no id; null when there are several. */
        Event onlyEvent() {
            return events.size() == 1 ? events.values().iterator().next() : null;
        }

        private static Node integer(Plan plan, String name) {
            return integerField(plan, name);
        }

        /** The clock that timestamps of this stream class count, from the first field mapped to one. */
        /**
         * The clock a stream class's timestamps count: the one its event header or packet context maps, else the
         * trace's first, else an implicit one in ns.
         */
        static ClockConverter clockOf(TraceClass meta, StreamClass streamClass) {
            String clockName = clockName(streamClass);
            ClockClass clockClass = clockName == null ? null : meta.clocks().get(clockName);
            if (clockClass == null && meta.clocks().size() >= 1) {
                clockClass = meta.clocks().values().iterator().next();
            }
            return clockClass == null ? ClockConverter.IMPLICIT : ClockConverter.of(clockClass);
        }

        private static String clockName(StreamClass streamClass) {
            String found = mappedClock(orEmpty(streamClass.eventHeader()));
            return found != null ? found : mappedClock(orEmpty(streamClass.packetContext()));
        }

        private static String mappedClock(org.vnetscope.ctf.meta.FieldType type) {
            if (type instanceof org.vnetscope.ctf.meta.IntegerType integer) {
                return integer.mappedClock();
            } else if (type instanceof org.vnetscope.ctf.meta.EnumType enumType) {
                return enumType.container().mappedClock();
            } else if (type instanceof StructType struct) {
                for (org.vnetscope.ctf.meta.Field field : struct.fields()) {
                    String found = mappedClock(field.type());
                    if (found != null) {
                        return found;
                    }
                }
            } else if (type instanceof org.vnetscope.ctf.meta.VariantType variant) {
                for (org.vnetscope.ctf.meta.Field field : variant.options()) {
                    String found = mappedClock(field.type());
                    if (found != null) {
                        return found;
                    }
                }
            }
            return null;
        }

        /** {@code id} at the top of the header, or in an option of the top-level variant {@code v} (LTTng). */
        private static boolean isHeaderIdPosition(Node node) {
            if (node.inElement) {
                return false;
            }
            Node parent = node.parent;
            if (parent != null && parent.parent == null) {
                return true;
            }
            return parent != null && parent.kind == Node.STRUCT && parent.parent != null
                    && parent.parent.kind == Node.VARIANT && "v".equals(parent.parent.name)
                    && parent.parent.parent != null && parent.parent.parent.parent == null;
        }
    }

    /** An event class with its plans and a cache of field key locations. */
    static final class Event {
        private static Plan[] nonEmpty(Plan... plans) {
            int count = 0;
            for (Plan plan : plans) {
                count += plan.isEmpty() ? 0 : 1;
            }
            Plan[] kept = new Plan[count];
            count = 0;
            for (Plan plan : plans) {
                if (!plan.isEmpty()) {
                    kept[count++] = plan;
                }
            }
            return kept;
        }

        final Stream stream;
        final EventClass eventClass;
        /** Dense index among all event classes of the reader (its rank in its trace until the reader numbers it). */
        int index;
        final Plan context;
        final Plan payload;
        /** The non-empty plans of an event of this class, header to payload: what decodeAll walks. */
        final Plan[] eventPlans;
        /** Whether what follows the header (contexts, payload) has a fixed layout: events can be stepped over. */
        final boolean fixedAfterHeader;
        /** Resolved {@link org.vnetscope.ctf.FieldKey} locations by key id: 0 unresolved, else location + 1. */
        int[] keyLocations = new int[16];
        /** Resolved {@link org.vnetscope.ctf.FieldGroup}s by group id, null until first read. */
        EventView.GroupPlan[] groupPlans = new EventView.GroupPlan[4];

        Event(Stream stream, EventClass eventClass, int index, Plan[] streamScopes, PlanCompiler.Interned plans) {
            this.stream = stream;
            this.eventClass = eventClass;
            this.index = index;
            Plan[] scopes = streamScopes.clone();
            try {
                context = plans.compile(stream.trace.metadata, Scope.EVENT_CONTEXT,
                        orEmpty(eventClass.context()), scopes, PlanCompiler.Roles.NONE);
                scopes[Scope.EVENT_CONTEXT.ordinal()] = context;
                payload = plans.compile(stream.trace.metadata, Scope.EVENT_PAYLOAD,
                        orEmpty(eventClass.payload()), scopes, PlanCompiler.Roles.NONE);
            } catch (CtfException e) {
                throw new CtfException(stream.trace.metadata, -1,
                        "event " + eventClass.name() + ": " + e.getMessage().replaceFirst("^.*?: ", ""));
            }
            eventPlans = nonEmpty(stream.eventHeader, stream.eventContext, context, payload);
            fixedAfterHeader = stream.eventContext.fixedBits >= 0 && context.fixedBits >= 0 && payload.fixedBits >= 0;
        }
    }
}
