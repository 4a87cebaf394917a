package org.vnetscope.ctf.internal;

import java.nio.MappedByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.vnetscope.ctf.Event;
import org.vnetscope.ctf.FieldGroup;
import org.vnetscope.ctf.FieldKey;
import org.vnetscope.ctf.Scope;
import org.vnetscope.ctf.StreamFile;
import org.vnetscope.ctf.meta.EventClass;
import org.vnetscope.ctf.meta.FloatType;
import org.vnetscope.ctf.meta.IntegerType;

/**
 * The reusable {@link Event} of a reader: a view on the value frames of the stream decoder whose record is
 * current. Field keys resolve once per event class to a packed location (scope, kind, slot).
 */
final class EventView implements Event {
    private static final int SCOPE_SHIFT = 28;
    private static final int GUARDED = 1 << 27;
    private static final int KIND_SHIFT = 24;
    private static final int SLOT_MASK = (1 << 24) - 1;
    private static final int ABSENT = -1;
    private static final int CACHED = 2;
    private static final int SMALL_COPY = 16;
    private static final int PAYLOAD = Scope.EVENT_PAYLOAD.ordinal();
    private static final int INTEGER_KINDS = (1 << Node.INT) | (1 << Node.ENUM);
    private static final int BYTE_KINDS = (1 << Node.STRING) | (1 << Node.ARRAY) | (1 << Node.SEQUENCE);
    private static final Scope[] LOOKUP_ORDER = {
        Scope.EVENT_PAYLOAD, Scope.EVENT_CONTEXT, Scope.STREAM_EVENT_CONTEXT, Scope.PACKET_CONTEXT};

    private DecodedRecord decoder;
    private CompiledTrace.Event compiled;
    private InPlaceWalker walker;

    void set(DecodedRecord current) {
        decoder = current;
        compiled = current.event;
        walker = null;
    }

    @Override
    public EventClass eventClass() {
        return compiled.eventClass;
    }

    /** Dense index of the event class among all those of the reader (see {@link org.vnetscope.ctf.Event}). */
    @Override
    public int classIndex() {
        return compiled.index;
    }

    @Override
    public long timestampNs() {
        return decoder.timestampNs;
    }

    @Override
    public long cycles() {
        return decoder.cycles;
    }

    @Override
    public StreamFile stream() {
        return decoder.file;
    }

    // ---------------------------------------------------------------- field lookup

    /**
     * The key's location in this event class, resolved once: the cache holds it plus {@link #CACHED}, so that 0
     * means not resolved yet and an absent key (asked on every event of a class without it) is cached too.
     */
    private int location(FieldKey key) {
        int id = key.id();
        int[] cache = compiled.keyLocations;
        if (id < cache.length) {
            int cached = cache[id];
            if (cached != 0) {
                return cached - CACHED;
            }
        } else {
            cache = java.util.Arrays.copyOf(cache, Math.max(id + 1, cache.length * 2));
            compiled.keyLocations = cache;
        }
        int resolved = resolve(key.path());
        cache[id] = resolved + CACHED;
        return resolved;
    }

    private int resolve(String[] path) {
        for (Scope scope : LOOKUP_ORDER) {
            Plan plan = decoder.plan(scope.ordinal());
            Node node = plan.root;
            for (String name : path) {
                node = node.kind == Node.STRUCT || node.kind == Node.VARIANT ? node.child(name) : null;
                if (node == null) {
                    break;
                }
            }
            if (node != null) {
                // An integer wider than 64 bits answers no typed getter: it is filed under a kind none accepts.
                int kind = node.integer != null && node.integer.wide() ? Node.STRUCT : node.kind;
                return (scope.ordinal() << SCOPE_SHIFT) | (node.guardSlot >= 0 ? GUARDED : 0)
                        | (kind << KIND_SHIFT) | node.slot;
            }
        }
        return ABSENT;
    }

    private boolean selected(int location) {
        if ((location & GUARDED) == 0) {
            return true;
        }
        int scope = location >>> SCOPE_SHIFT;
        // nearly all guarded fields are payload fields (the network headers): their plan without a call
        Plan plan = scope == PAYLOAD ? compiled.payload : decoder.plan(scope);
        long[] frame = decoder.values[scope];
        int[] guards = plan.nodes[location & SLOT_MASK].guards;
        for (int i = 0; i < guards.length; i += 2) {
            if (frame[guards[i]] != guards[i + 1]) {
                return false;
            }
        }
        return true;
    }

    /** The location of a selected field, checked against the kinds the caller accepts. */
    private int require(FieldKey key, int kindMask, String what) {
        int location = location(key);
        if (location == ABSENT || ((1 << ((location >>> KIND_SHIFT) & 7)) & kindMask) == 0 || !selected(location)) {
            throw new IllegalArgumentException("event " + compiled.eventClass.name() + " has no " + what
                    + " field " + key);
        }
        return location;
    }

    // has and getLong run several times per event of every analysis: the cached location is read in place rather
    // than through location() and require(), calls the C1 compiler the launcher uses would not inline

    @Override
    public boolean has(FieldKey key) {
        int id = key.id();
        int[] cache = compiled.keyLocations;
        int cached = id < cache.length ? cache[id] : 0;
        int location = cached != 0 ? cached - CACHED : location(key);
        if (location == ABSENT) {
            return false;
        }
        if ((location & GUARDED) != 0) {
            // selected(), in place: a network header's fields are all guarded, and a call per field adds up
            int scope = location >>> SCOPE_SHIFT;
            long[] frame = decoder.values[scope];
            Plan plan = scope == PAYLOAD ? compiled.payload : decoder.plan(scope);
            int[] guards = plan.nodes[location & SLOT_MASK].guards;
            for (int i = 0; i < guards.length; i += 2) {
                if (frame[guards[i]] != guards[i + 1]) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public long getLong(FieldKey key) {
        int id = key.id();
        int[] cache = compiled.keyLocations;
        int cached = id < cache.length ? cache[id] : 0;
        int location = cached != 0 ? cached - CACHED : location(key);
        if (location == ABSENT || ((1 << ((location >>> KIND_SHIFT) & 7)) & INTEGER_KINDS) == 0) {
            require(key, INTEGER_KINDS, "integer"); // throws
        }
        int scope = location >>> SCOPE_SHIFT;
        int slot = location & SLOT_MASK;
        long[] frame = decoder.values[scope];
        if ((location & GUARDED) != 0) {
            // selected(), in place, as in has()
            int[] guards = (scope == PAYLOAD ? compiled.payload : decoder.plan(scope)).nodes[slot].guards;
            for (int i = 0; i < guards.length; i += 2) {
                if (frame[guards[i]] != guards[i + 1]) {
                    require(key, INTEGER_KINDS, "integer"); // throws
                }
            }
        }
        return frame[slot];
    }

    @Override
    public double getDouble(FieldKey key) {
        int location = require(key, (1 << Node.FLOAT) | (1 << Node.INT), "floating point");
        int scope = location >>> SCOPE_SHIFT;
        int slot = location & SLOT_MASK;
        long raw = decoder.values[scope][slot];
        Node node = decoder.plan(scope).nodes[slot];
        if (node.kind == Node.INT) {
            return node.integer.signed() || raw >= 0 ? raw : Double.parseDouble(Long.toUnsignedString(raw));
        }
        return ((FloatType) node.type).sizeBits() == 32 ? Float.intBitsToFloat((int) raw) : Double.longBitsToDouble(raw);
    }

    @Override
    public String[] getEnumLabels(FieldKey key) {
        int location = require(key, 1 << Node.ENUM, "enumeration");
        int scope = location >>> SCOPE_SHIFT;
        int slot = location & SLOT_MASK;
        return decoder.plan(scope).nodes[slot].labels.of(decoder.values[scope][slot]);
    }

    @Override
    public String getString(FieldKey key) {
        int location = require(key, (1 << Node.STRING) | (1 << Node.ARRAY) | (1 << Node.SEQUENCE), "string");
        int scope = location >>> SCOPE_SHIFT;
        int slot = location & SLOT_MASK;
        Node node = decoder.plan(scope).nodes[slot];
        if (node.kind == Node.STRING) {
            return text((int) decoder.values[scope][slot], (int) decoder.aux[scope][slot]);
        }
        Node element = node.children[0];
        if (element.integer == null || element.integer.sizeBits() != 8) {
            throw new IllegalArgumentException("field " + key + " of " + compiled.eventClass.name() + " is not text");
        }
        byte[] bytes = bytes(node, scope, slot);
        int length = 0;
        while (length < bytes.length && bytes[length] != 0) {
            length++;
        }
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    @Override
    public byte[] getBytes(FieldKey key) {
        int location = require(key, (1 << Node.ARRAY) | (1 << Node.SEQUENCE), "byte array");
        int scope = location >>> SCOPE_SHIFT;
        int slot = location & SLOT_MASK;
        Node node = decoder.plan(scope).nodes[slot];
        Node element = node.children[0];
        if (element.integer == null || element.integer.sizeBits() != 8) {
            throw new IllegalArgumentException("field " + key + " of " + compiled.eventClass.name()
                    + " is not an array of 8-bit integers");
        }
        return bytes(node, scope, slot);
    }

    @Override
    public int copyBytes(FieldKey key, byte[] into) {
        // runs for every device name and address: the cached location is read in place, as in getLong
        int id = key.id();
        int[] cache = compiled.keyLocations;
        int cached = id < cache.length ? cache[id] : 0;
        int location = cached != 0 ? cached - CACHED : location(key);
        if (location == ABSENT || ((1 << ((location >>> KIND_SHIFT) & 7)) & BYTE_KINDS) == 0) {
            require(key, BYTE_KINDS, "string or integer array"); // throws
        }
        int scope = location >>> SCOPE_SHIFT;
        int slot = location & SLOT_MASK;
        Node node = (scope == PAYLOAD ? compiled.payload : decoder.plan(scope)).nodes[slot];
        if ((location & GUARDED) != 0) {
            // selected(), in place, as in has(): IP addresses are guarded
            long[] frame = decoder.values[scope];
            int[] guards = node.guards;
            for (int i = 0; i < guards.length; i += 2) {
                if (frame[guards[i]] != guards[i + 1]) {
                    require(key, BYTE_KINDS, "string or integer array"); // throws
                }
            }
        }
        if (node.kind == Node.STRING) {
            int start = (int) decoder.values[scope][slot];
            int length = (int) decoder.aux[scope][slot];
            copy(start, into, Math.min(length, into.length));
            return length;
        }
        Node element = node.children[0];
        IntegerType integer = element.integer;
        long n = decoder.aux[scope][slot];
        long start = decoder.values[scope][slot];
        // bytes packed from a byte boundary (addresses, MACs): tested first and through the integer layout alone
        // (an enum's alignment is its container's), as the generic path costs several calls C1 does not inline
        if (integer != null && integer.sizeBits() == 8 && integer.alignmentBits() <= 8 && (start & 7) == 0) {
            copy((int) (start >>> 3), into, (int) Math.min(n, into.length));
            return (int) n;
        }
        if (integer == null || (integer.sizeBits() & 7) != 0 || integer.sizeBits() > 64) {
            throw new IllegalArgumentException("field " + key + " of " + compiled.eventClass.name()
                    + " is not an array of whole-byte integers");
        }
        int size = integer.sizeBits();
        int width = size >>> 3;
        long stride = PlanCompiler.roundUp(size, element.type.alignmentBits());
        boolean bigEndian = integer.byteOrder() == java.nio.ByteOrder.BIG_ENDIAN;
        long at = PlanCompiler.roundUp(start, element.type.alignmentBits());
        long total = n * width;
        if (width == 1 && stride == 8 && (at & 7) == 0) {
            copy((int) (at >>> 3), into, (int) Math.min(total, into.length));
            return (int) total;
        }
        int copied = 0;
        for (long i = 0; i < n && copied < into.length; i++, at += stride) {
            long value = decoder.readBits(at, size, bigEndian);
            for (int shift = size - 8; shift >= 0 && copied < into.length; shift -= 8) {
                into[copied++] = (byte) (value >>> shift);
            }
        }
        return (int) total;
    }

    @Override
    public long readLongs(FieldGroup group, long[] into) {
        GroupPlan plan = groupPlan(group);
        if (plan.oneByOne) {
            return READ_ONE_BY_ONE;
        }
        long[][] frames = decoder.values;
        // each variant option the members lie in, checked once: bit g set when guard g holds
        int[] guardScopes = plan.guardScopes;
        int[] guardSlots = plan.guardSlots;
        long[] guardOptions = plan.guardOptions;
        long holding = 0;
        for (int g = 0; g < guardScopes.length; g++) {
            if (frames[guardScopes[g]][guardSlots[g]] == guardOptions[g]) {
                holding |= 1L << g;
            }
        }
        int[] reads = plan.reads;
        int[] scopes = plan.scopes;
        int[] slots = plan.slots;
        long[] needs = plan.needs;
        long present = 0;
        for (int i = 0; i < reads.length; i++) {
            int read = reads[i];
            if (read == GroupPlan.NO_FIELD || (needs[i] & ~holding) != 0) {
                continue; // has() would be false: no such field, or an option not selected
            }
            if (read == GroupPlan.INTEGER) {
                into[i] = frames[scopes[i]][slots[i]];
            } else if (read == GroupPlan.BYTES) {
                int length = plan.byteLengths[i];
                long start = frames[scopes[i]][slots[i]];
                if (decoder.aux[scopes[i]][slots[i]] != length || (start & 7) != 0) {
                    return READ_ONE_BY_ONE; // another length, or bits not on a byte boundary
                }
                into[i] = bigEndian((int) (start >>> 3), length);
            } else {
                return READ_ONE_BY_ONE;
            }
            present |= 1L << i;
        }
        return present;
    }

    /** The bytes from {@code start} as an unsigned number, the first most significant (as {@link #copy} copies them). */
    private long bigEndian(int start, int length) {
        if (length == Integer.BYTES) {
            return decoder.intBe(start) & 0xFFFF_FFFFL;
        }
        long value = 0;
        for (int i = 0; i < length; i++) {
            value = value << 8 | (decoder.byteAt(start + i) & 0xFF);
        }
        return value;
    }

    private GroupPlan groupPlan(FieldGroup group) {
        int id = group.id();
        GroupPlan[] plans = compiled.groupPlans;
        if (id < plans.length) {
            GroupPlan known = plans[id];
            if (known != null) {
                return known;
            }
        } else {
            // another thread's view may resolve the same group at the same time: a lost plan is made again
            plans = Arrays.copyOf(plans, Math.max(id + 1, plans.length * 2));
            compiled.groupPlans = plans;
        }
        GroupPlan plan = new GroupPlan(this, group);
        plans[id] = plan;
        return plan;
    }

    /**
     * A group resolved for one event class: each member's place and how it reads, and the distinct variant guards
     * its members lie behind. Immutable (final fields), so that a view on another thread may take it as made.
     */
    static final class GroupPlan {
        static final int NO_FIELD = 0;
        static final int INTEGER = 1;
        static final int BYTES = 2;
        /** Any other kind: a read finding the field present leaves the group to be read one by one. */
        static final int OTHER = 3;

        final int[] reads;
        final int[] scopes;
        final int[] slots;
        final int[] byteLengths;
        /** Per member, the guards it needs, as bits. */
        final long[] needs;
        final int[] guardScopes;
        final int[] guardSlots;
        final long[] guardOptions;
        /** More distinct guards than bits: the group is always read one by one. */
        final boolean oneByOne;

        /** Resolves the group for the event class the view is on. */
        GroupPlan(EventView view, FieldGroup group) {
            int size = group.size();
            reads = new int[size];
            scopes = new int[size];
            slots = new int[size];
            byteLengths = new int[size];
            needs = new long[size];
            int[] gScopes = new int[8];
            int[] gSlots = new int[8];
            long[] gOptions = new long[8];
            int guards = 0;
            boolean tooMany = false;
            for (int i = 0; i < size; i++) {
                int location = view.location(group.key(i));
                byteLengths[i] = group.byteLength(i);
                if (location == ABSENT) { // the view's: no such field in this event class
                    reads[i] = NO_FIELD;
                    continue;
                }
                int scope = location >>> SCOPE_SHIFT;
                int slot = location & SLOT_MASK;
                int kind = (location >>> KIND_SHIFT) & 7;
                Node node = (scope == PAYLOAD ? view.compiled.payload : view.decoder.plan(scope)).nodes[slot];
                scopes[i] = scope;
                slots[i] = slot;
                if (byteLengths[i] == 0) {
                    reads[i] = ((1 << kind) & INTEGER_KINDS) != 0 ? INTEGER : OTHER;
                } else {
                    Node element = kind == Node.ARRAY || kind == Node.SEQUENCE ? node.children[0] : null;
                    IntegerType integer = element == null ? null : element.integer;
                    reads[i] = integer != null && integer.sizeBits() == 8 && integer.alignmentBits() <= 8
                            ? BYTES : OTHER;
                }
                if ((location & GUARDED) != 0) {
                    int[] pairs = node.guards;
                    for (int p = 0; p < pairs.length; p += 2) {
                        int g = 0;
                        while (g < guards && !(gScopes[g] == scope && gSlots[g] == pairs[p]
                                && gOptions[g] == pairs[p + 1])) {
                            g++;
                        }
                        if (g == guards) {
                            if (guards == Long.SIZE) {
                                tooMany = true;
                                break;
                            }
                            if (guards == gScopes.length) {
                                gScopes = Arrays.copyOf(gScopes, guards * 2);
                                gSlots = Arrays.copyOf(gSlots, guards * 2);
                                gOptions = Arrays.copyOf(gOptions, guards * 2);
                            }
                            gScopes[guards] = scope;
                            gSlots[guards] = pairs[p];
                            gOptions[guards] = pairs[p + 1];
                            guards++;
                        }
                        needs[i] |= 1L << g;
                    }
                }
            }
            guardScopes = Arrays.copyOf(gScopes, guards);
            guardSlots = Arrays.copyOf(gSlots, guards);
            guardOptions = Arrays.copyOf(gOptions, guards);
            oneByOne = tooMany;
        }
    }

    /**
     * Copies {@code count} bytes of the stream from byte {@code start}. Device names and addresses are a few bytes,
     * for which some int reads cost less than the buffer's bulk get with all its checks.
     */
    private void copy(int start, byte[] into, int count) {
        MappedByteBuffer buffer = decoder.buffer();
        if (count > SMALL_COPY) {
            buffer.get(start, into, 0, count);
            return;
        }
        int i = 0;
        for (; i + 4 <= count; i += 4) {
            int word = decoder.intLe(start + i);
            into[i] = (byte) word;
            into[i + 1] = (byte) (word >>> 8);
            into[i + 2] = (byte) (word >>> 16);
            into[i + 3] = (byte) (word >>> 24);
        }
        for (; i < count; i++) {
            into[i] = decoder.byteAt(start + i);
        }
    }

    private String text(int start, int length) {
        byte[] bytes = new byte[length];
        decoder.buffer().get(start, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The elements of an array of 8-bit integers. */
    private byte[] bytes(Node node, int scope, int slot) {
        long start = decoder.values[scope][slot];
        long n = decoder.aux[scope][slot];
        byte[] bytes = new byte[(int) n];
        Node element = node.children[0];
        long stride = PlanCompiler.roundUp(8, element.type.alignmentBits());
        boolean bigEndian = element.integer.byteOrder() == java.nio.ByteOrder.BIG_ENDIAN;
        long at = PlanCompiler.roundUp(start, element.type.alignmentBits());
        if (stride == 8 && (at & 7) == 0) {
            decoder.buffer().get((int) (at >>> 3), bytes);
            return bytes;
        }
        for (int i = 0; i < n; i++) {
            bytes[i] = (byte) decoder.readBits(at, 8, bigEndian);
            at += stride;
        }
        return bytes;
    }

    // ---------------------------------------------------------------- generic access

    @Override
    public Object[] scope(Scope scope) {
        Plan plan = decoder.plan(scope.ordinal());
        if (plan.isEmpty()) {
            return new Object[0];
        }
        Materializer materializer = new Materializer(decoder, plan, decoder.scopeStart[scope.ordinal()]);
        return (Object[]) materializer.decode(plan.root);
    }

    /** See {@link ValueVisitor#walk}. */
    void walk(Scope scope, ValueVisitor visitor) {
        if (walker == null) {
            walker = decoder.walker();
        }
        walker.walk(decoder.plan(scope.ordinal()), visitor);
    }

    @Override
    public long decodeAll() {
        long hash = 17;
        long[][] values = decoder.values;
        for (Plan plan : compiled.eventPlans) {
            long[] frame = values[plan.frame];
            for (int slot : plan.scalarSlots) {
                hash = hash * 31 + frame[slot];
            }
            if (plan.deferredSlot.length != 0) {
                hash = hashDeferred(hash, plan, frame, decoder.aux[plan.frame]);
            }
        }
        return hash;
    }

    /**
     * Continues the hash of {@link #decodeAll()} with the strings, arrays and guarded scalars of a plan. A plan
     * whose variant options hold many such fields (network headers) jumps over the options not selected; the
     * others (an event header's two options) test each field, in a loop whose counter only counts, which C2
     * compiles better: the two loops differ in that only.
     */
    private long hashDeferred(long hash, Plan plan, long[] frame, long[] lengths) {
        int[] kinds = plan.deferredKind;
        int[] slots = plan.deferredSlot;
        int[] guards = plan.deferredGuardSlot;
        int[] options = plan.deferredGuardOption;
        boolean[] nested = plan.deferredNestedGuard;
        if (plan.deferredSkip == null) {
            for (int i = 0; i < slots.length; i++) {
                int guard = guards[i];
                if (guard >= 0 && (frame[guard] != options[i]
                        || nested[i] && !active(plan, frame, plan.nodes[guard]))) {
                    continue;
                }
                int slot = slots[i];
                switch (kinds[i]) {
                    case Plan.HASH_VALUE -> hash = hash * 31 + frame[slot];
                    case Plan.HASH_STRING -> hash = hashBytes(hash, (int) frame[slot], (int) lengths[slot]);
                    // the plan aligned the array's start to its 8-bit elements' alignment of 8
                    case Plan.HASH_BYTES -> hash = hashBytes(hash, (int) (frame[slot] >>> 3), (int) lengths[slot]);
                    default -> hash = hashElements(hash, plan.deferred[i], frame[slot], lengths[slot], plan);
                }
            }
            return hash;
        }
        int[] skip = plan.deferredSkip;
        for (int i = 0; i < slots.length; i++) {
            int guard = guards[i];
            if (guard >= 0 && frame[guard] != options[i]) {
                i = skip[i] - 1;
                continue;
            }
            if (guard >= 0 && nested[i] && !active(plan, frame, plan.nodes[guard])) {
                continue;
            }
            int slot = slots[i];
            switch (kinds[i]) {
                case Plan.HASH_VALUE -> hash = hash * 31 + frame[slot];
                case Plan.HASH_STRING -> hash = hashBytes(hash, (int) frame[slot], (int) lengths[slot]);
                case Plan.HASH_BYTES -> hash = hashBytes(hash, (int) (frame[slot] >>> 3), (int) lengths[slot]);
                default -> hash = hashElements(hash, plan.deferred[i], frame[slot], lengths[slot], plan);
            }
        }
        return hash;
    }

    private static boolean active(Plan plan, long[] frame, Node node) {
        while (node.guardSlot >= 0) {
            if (frame[node.guardSlot] != node.guardOption) {
                return false;
            }
            node = plan.nodes[node.guardSlot];
        }
        return true;
    }

    private long hashBytes(long hash, int start, int length) {
        DecodedRecord decoder = this.decoder;
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            hash = hash * 31 + decoder.longLe(start + i);
        }
        for (; i < length; i++) {
            hash = hash * 31 + decoder.byteAt(start + i);
        }
        return hash;
    }

    /** Reads every element of an array stepped over by the plan; loop-decoded elements were read already. */
    private long hashElements(long hash, Node node, long start, long n, Plan plan) {
        if (!node.skipped || n == 0) {
            return hash;
        }
        Node element = node.children[0];
        if (element.integer != null && element.integer.sizeBits() == 8 && (start & 7) == 0
                && element.type.alignmentBits() <= 8 && n <= Integer.MAX_VALUE) {
            return hashBytes(hash, (int) (start >>> 3), (int) n);
        }
        if (element.integer != null) {
            int size = element.integer.sizeBits();
            boolean bigEndian = element.integer.byteOrder() == java.nio.ByteOrder.BIG_ENDIAN;
            long stride = PlanCompiler.roundUp(size, element.type.alignmentBits());
            long at = start;
            for (long i = 0; i < n; i++) {
                hash = hash * 31 + decoder.readBits(at, size, bigEndian);
                at += stride;
            }
            return hash;
        }
        Materializer materializer = new Materializer(decoder, plan, start);
        for (long i = 0; i < n; i++) {
            hash = hash * 31 + java.util.Arrays.deepHashCode(new Object[] {materializer.decode(element)});
        }
        return hash;
    }
}
