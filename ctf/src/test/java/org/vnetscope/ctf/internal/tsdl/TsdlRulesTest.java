package org.vnetscope.ctf.internal.tsdl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vnetscope.ctf.CtfException;
import org.vnetscope.ctf.Scope;
import org.vnetscope.ctf.meta.ArrayType;
import org.vnetscope.ctf.meta.EnumType;
import org.vnetscope.ctf.meta.EventClass;
import org.vnetscope.ctf.meta.Field;
import org.vnetscope.ctf.meta.FieldRef;
import org.vnetscope.ctf.meta.IntegerType;
import org.vnetscope.ctf.meta.SequenceType;
import org.vnetscope.ctf.meta.StructType;
import org.vnetscope.ctf.meta.TraceClass;
import org.vnetscope.ctf.meta.VariantType;

/** Focused checks of the TSDL rules that are easy to get wrong, on small synthetic metadata. */
class TsdlRulesTest {

    private static final String TYPES = """
            typealias integer { size = 8; align = 8; signed = false; } := uint8_t;
            typealias integer { size = 32; align = 8; signed = false; } := uint32_t;
            """;
    private static final String TRACE_LE = "trace { major = 1; minor = 8; byte_order = le; };\n";

    @TempDir
    Path folder;

    private final List<String> warnings = new ArrayList<>();

    private TraceClass parse(String text) throws IOException {
        Path file = folder.resolve("metadata");
        Files.writeString(file, text, StandardCharsets.ISO_8859_1);
        return MetadataParser.parse(file, warnings::add);
    }

    private EventClass onlyEvent(TraceClass trace) {
        return trace.streams().get(0L).events().values().iterator().next();
    }

    private CtfException failure(String text) throws IOException {
        Path file = folder.resolve("metadata");
        Files.writeString(file, text, StandardCharsets.ISO_8859_1);
        try {
            MetadataParser.parse(file, warnings::add);
        } catch (CtfException e) {
            return e;
        }
        throw new AssertionError("metadata accepted: " + text);
    }

    @Test
    void oneLeadingUnderscoreIsDroppedUnlessNamesWouldClash() throws IOException {
        EventClass event = onlyEvent(parse(TYPES + TRACE_LE + """
                event { name = e; fields := struct {
                    uint8_t _skbaddr; uint8_t __x; uint8_t _; uint8_t str; uint8_t _str; }; };
                """));
        assertThat(event.payload().fields()).extracting(Field::name)
                .containsExactly("skbaddr", "_x", "", "str", "_str");
    }

    @Test
    void nativeByteOrderResolvesToTheTraceByteOrderDeclaredLater() throws IOException {
        TraceClass trace = parse("""
                typealias integer { size = 32; align = 8; signed = false; byte_order = native; } := u32;
                typealias integer { size = 16; align = 8; signed = false; byte_order = le; } := le16;
                typealias floating_point { exp_dig = 11; mant_dig = 53; align = 64; } := double_t;
                event { name = e; fields := struct { u32 a; le16 b; double_t c; enum : u32 { X } d; }; };
                trace { major = 1; minor = 8; byte_order = be; };
                """);
        List<Field> fields = onlyEvent(trace).payload().fields();
        assertThat(((IntegerType) fields.get(0).type()).byteOrder()).isEqualTo(ByteOrder.BIG_ENDIAN);
        assertThat(((IntegerType) fields.get(1).type()).byteOrder()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
        assertThat(((org.vnetscope.ctf.meta.FloatType) fields.get(2).type()).byteOrder())
                .isEqualTo(ByteOrder.BIG_ENDIAN);
        assertThat(((EnumType) fields.get(3).type()).container().byteOrder()).isEqualTo(ByteOrder.BIG_ENDIAN);
    }

    @Test
    void enumValuesIncrementFromThePreviousUpperBound() throws IOException {
        EventClass event = onlyEvent(parse(TYPES + TRACE_LE + """
                typealias integer { size = 8; align = 8; signed = true; } := int;
                event { name = e; fields := struct {
                    enum { A, B = 5 ... 7, C, "quoted label" = -3, A = 100, } e; }; };
                """));
        EnumType enumeration = (EnumType) event.payload().fields().get(0).type();
        assertThat(enumeration.container().signed()).isTrue();
        assertThat(enumeration.mappings()).containsExactly(new EnumType.Mapping("A", 0, 0),
                new EnumType.Mapping("B", 5, 7), new EnumType.Mapping("C", 8, 8),
                new EnumType.Mapping("quoted label", -3, -3), new EnumType.Mapping("A", 100, 100));
    }

    @Test
    void enumValueOutsideItsContainerIsRejected() throws IOException {
        assertThat(failure(TYPES + TRACE_LE + "enum e : uint8_t { A = 250 ... 256 };").getMessage())
                .contains("out of range of its unsigned 8-bit container");
    }

    @Test
    void relativeReferencesResolveInnermostFirstThenEarlierScopes() throws IOException {
        TraceClass trace = parse(TYPES + TRACE_LE + """
                stream { event.context := struct { uint8_t ctxlen; }; };
                event { name = e; fields := struct {
                    uint8_t len;
                    enum : uint8_t { a, b } tag;
                    struct {
                        uint8_t len;
                        uint32_t inner[len];
                        variant <tag> { uint8_t a; uint32_t b; } v;
                    } s;
                    uint32_t outer[len];
                    uint32_t fromContext[ctxlen];
                    uint32_t absolute[stream.event.context.ctxlen];
                    uint32_t grid[2][len];
                }; };
                """);
        List<Field> fields = onlyEvent(trace).payload().fields();
        StructType s = (StructType) fields.get(2).type();
        assertThat(((SequenceType) s.fields().get(1).type()).length())
                .isEqualTo(new FieldRef(Scope.EVENT_PAYLOAD, List.of("s", "len")));
        assertThat(((VariantType) s.fields().get(2).type()).tag())
                .isEqualTo(new FieldRef(Scope.EVENT_PAYLOAD, List.of("tag")));
        assertThat(((SequenceType) fields.get(3).type()).length())
                .isEqualTo(new FieldRef(Scope.EVENT_PAYLOAD, List.of("len")));
        FieldRef context = new FieldRef(Scope.STREAM_EVENT_CONTEXT, List.of("ctxlen"));
        assertThat(((SequenceType) fields.get(4).type()).length()).isEqualTo(context);
        assertThat(((SequenceType) fields.get(5).type()).length()).isEqualTo(context);
        // [2][len]: the first brackets are the outer array, as in C
        ArrayType grid = (ArrayType) fields.get(6).type();
        assertThat(grid.length()).isEqualTo(2);
        assertThat(((SequenceType) grid.element()).length())
                .isEqualTo(new FieldRef(Scope.EVENT_PAYLOAD, List.of("len")));
    }

    @Test
    void aReferenceDeclaredInATypedefKeepsTheFieldItSawWhereItWasDeclared() throws IOException {
        // the typedef sees the outer uint8_t len; the string len of the struct it is used in comes later
        EventClass event = onlyEvent(parse(TYPES + TRACE_LE + """
                event { name = e; fields := struct {
                    uint8_t len;
                    typedef struct { uint32_t a[len]; } field_t;
                    struct { string len; field_t x; } s;
                }; };
                """));
        StructType x = (StructType) ((StructType) event.payload().fields().get(1).type()).fields().get(1).type();
        assertThat(((SequenceType) x.fields().get(0).type()).length())
                .isEqualTo(new FieldRef(Scope.EVENT_PAYLOAD, List.of("len")));
    }

    @Test
    void lengthsMustBeUnsignedIntegersDecodedBefore() throws IOException {
        assertThat(failure(TYPES + TRACE_LE + """
                typealias integer { size = 8; align = 8; signed = true; } := int8_t;
                event { name = e; fields := struct { int8_t n; uint8_t a[n]; }; };
                """).getMessage()).contains("must be an unsigned integer");
        assertThat(failure(TYPES + TRACE_LE + """
                event { name = e; fields := struct { uint8_t a[event.fields.n]; uint8_t n; }; };
                """).getMessage()).contains("not decoded before");
        assertThat(failure(TYPES + TRACE_LE + """
                stream { event.context := struct { uint8_t a[event.fields.n]; }; };
                event { name = e; fields := struct { uint8_t n; }; };
                """).getMessage()).contains("not decoded before");
    }

    @Test
    void packetizedBigEndianMetadataIsJoinedAndErrorsPointIntoTheFile() throws IOException {
        String first = "/* CTF 1.8 */\ntrace { major = 1; minor = 8; ";
        String second = "byte_order = be; };\nevent { name = e; id = \"x\"; };\n";
        byte[] packets = concat(packet(first, 0), packet(second, 13));
        Path file = folder.resolve("metadata");
        Files.write(file, packets);
        CtfException error = null;
        try {
            MetadataParser.parse(file, warnings::add);
        } catch (CtfException e) {
            error = e;
        }
        assertThat(error).isNotNull();
        int secondPacket = MetadataText.PACKET_HEADER_BYTES + first.length();
        long expected = secondPacket + MetadataText.PACKET_HEADER_BYTES + second.indexOf("id =");
        assertThat(error.offset()).isEqualTo(expected);
        assertThat(error.getMessage()).contains("at byte " + expected).contains("'id' must be an integer");

        Files.write(file, concat(packet(first, 0), packet(second.replace("id = \"x\"", "id = 3"), 13)));
        TraceClass trace = MetadataParser.parse(file, warnings::add);
        assertThat(trace.byteOrder()).isEqualTo(ByteOrder.BIG_ENDIAN);
        assertThat(trace.streams().get(0L).events()).containsKey(3L);
    }

    /** A big-endian metadata packet holding this text followed by {@code padding} bytes. */
    private static byte[] packet(String text, int padding) {
        byte[] payload = text.getBytes(StandardCharsets.US_ASCII);
        int content = MetadataText.PACKET_HEADER_BYTES + payload.length;
        ByteBuffer buffer = ByteBuffer.allocate(content + padding).order(ByteOrder.BIG_ENDIAN);
        buffer.putInt(0x75D11D57).put(new byte[16]).putInt(0).putInt(content * 8).putInt((content + padding) * 8);
        buffer.put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 1).put((byte) 8).put(payload);
        return buffer.array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    @Test
    void deepNestingIsRejectedWithAClearError() throws IOException {
        String deep = "struct { ".repeat(10_000) + "uint8_t x; " + "} s; ".repeat(10_000);
        CtfException error = failure(TYPES + TRACE_LE + "event { name = e; fields := struct { " + deep + "}; };");
        assertThat(error.getMessage()).contains("nested deeper than " + MetadataParser.MAX_NESTING);
    }

    private static org.vnetscope.ctf.meta.FieldType type(StructType struct, String name) {
        return struct.fields().get(struct.indexOf(name)).type();
    }

    @Test
    void anIntegerBodyWrittenAgainByteForByteIsTheSameTypeWithItsOwnSideEffectsAndPlaces() throws IOException {
        String plain = "integer { size = 32; align = 8; signed = false; }";
        String mapped = "integer { size = 64; align = 8; signed = false; map = clock.%s.value; }";
        String text = TYPES + TRACE_LE + "clock { name = \"c\"; };\n"
                + "event { name = \"e\"; fields := struct {\n"
                + "  " + plain + " a;\n  " + plain + " b;\n"
                + "  " + mapped.formatted("c") + " t1;\n  " + mapped.formatted("c") + " t2;\n"
                + "  " + mapped.formatted("d") + " u1;\n  " + mapped.formatted("d") + " u2;\n"
                + "  integer { size = 32; align = 8; signed = false; custom = 1; } x1;\n"
                + "  integer { size = 32; align = 8; signed = false; custom = 1; } x2;\n"
                + "}; };\n";
        StructType payload = onlyEvent(parse(text)).payload();
        IntegerType a = (IntegerType) type(payload, "a");
        assertThat(type(payload, "b")).isSameAs(a);
        assertThat(a.sizeBits()).isEqualTo(32);
        assertThat(((IntegerType) type(payload, "t1")).mappedClock()).isEqualTo("c");
        assertThat(((IntegerType) type(payload, "t2")).mappedClock()).isEqualTo("c");
        assertThat(((IntegerType) type(payload, "u2")).mappedClock()).isEqualTo("d");
        // each repeated body warns again, at its own place
        int first = text.indexOf("clock.d.value");
        int second = text.indexOf("clock.d.value", first + 1);
        int custom = text.indexOf("custom = 1");
        int customAgain = text.indexOf("custom = 1", custom + 1);
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("at byte " + first).contains("clock 'd'"))
                .anySatisfy(w -> assertThat(w).contains("at byte " + second).contains("clock 'd'"))
                .filteredOn(w -> w.contains("custom")).hasSize(2);
        assertThat(warnings.stream().filter(w -> w.contains("custom")))
                .anySatisfy(w -> assertThat(w).contains(String.valueOf(custom)))
                .anySatisfy(w -> assertThat(w).contains(String.valueOf(customAgain)));
    }

    @Test
    void unknownAttributesWarnAndEventAttributesAreKept() throws IOException {
        EventClass event = onlyEvent(parse(TYPES + TRACE_LE + """
                event { name = "e"; loglevel = 13; model.emf.uri = "uri"; custom = some.thing; };
                """));
        assertThat(event.logLevel()).isEqualTo(13L);
        assertThat(event.modelEmfUri()).isEqualTo("uri");
        assertThat(event.attributes()).containsEntry("custom", "some.thing");
        assertThat(warnings).singleElement().asString().contains("unknown event attribute 'custom'");
    }

    @Test
    void everyEscapeFormAndCharacterConstantsAreRead() throws IOException {
        EventClass event = onlyEvent(parse(TYPES + TRACE_LE + """
                event { name = "e";
                    quote = "\\""; simple = "\\a\\b\\f\\n\\r\\t\\v\\'\\?\\\\";
                    numeric = "?\\x20\\040\\101\\x4a?"; short_octal = "\\7\\12x";
                    unicode = "\\u00e9\\U0001F600"; nul = "ab\\0cd";
                    letter = 'a'; newline = '\\n'; apostrophe = '\\''; several = 'ab'; };
                """));
        assertThat(event.attributes())
                .containsEntry("quote", "\"")
                .containsEntry("simple", "\u0007\b\f\n\r\t\u000b'?\\")
                .containsEntry("numeric", "?  AJ?")
                .containsEntry("short_octal", "\u0007\nx")
                .containsEntry("unicode", "\u00e9\uD83D\uDE00")
                .containsEntry("nul", "ab")
                .containsEntry("letter", "a")
                .containsEntry("newline", "\n")
                .containsEntry("apostrophe", "'")
                .containsEntry("several", "ab");
    }

    @Test
    void characterConstantsAndEscapesInTraceAttributesAreWarningsAsInBabeltrace2() throws IOException {
        TraceClass trace = parse(TYPES + """
                trace { major = 1; minor = 8; byte_order = le; test = "\\""; test2 = "?\\x20\\040?"; test3 = '\\n'; };
                stream { weird = 'x'; };
                """);
        assertThat(trace.byteOrder()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
        assertThat(warnings).hasSize(4)
                .anySatisfy(w -> assertThat(w).contains("unknown trace attribute 'test3'"))
                .anySatisfy(w -> assertThat(w).contains("'weird'"));
    }

    @Test
    void malformedLiteralsNameTheirPlace() throws IOException {
        String head = TYPES + TRACE_LE;
        assertThat(failure(head + "event { name = \"e\"; a = ''; };").getMessage())
                .contains("at byte " + (head.length() + 24)).contains("empty character constant");
        assertThat(failure(head + "event { name = \"e\"; a = 'x; };").getMessage())
                .contains("unterminated character constant");
        assertThat(failure(head + "event { name = \"e\"; a = \"\\u12\"; };").getMessage())
                .contains("malformed escape '\\u': expected 4 hexadecimal digits");
        assertThat(failure(head + "event { name = \"e\"; a = \"\\UFFFFFFFF\"; };").getMessage())
                .contains("universal character name out of range");
        assertThat(failure(head + "event { name = \"e\"; a = \"\\o040\"; };").getMessage())
                .contains("unknown escape '\\o' in string literal");
        assertThat(failure(head + "event { name = \"e\"; a = '\\q'; };").getMessage())
                .contains("unknown escape '\\q' in character constant");
    }

    @Test
    void clockDefaultsAndNegativeOffsets() throws IOException {
        TraceClass trace = parse(TRACE_LE + """
                clock { name = "c"; offset_s = -5; offset = -1000; absolute = TRUE; };
                """);
        assertThat(trace.clocks().get("c")).satisfies(clock -> {
            assertThat(clock.frequency()).isEqualTo(1_000_000_000L);
            assertThat(clock.offsetSeconds()).isEqualTo(-5);
            assertThat(clock.offsetCycles()).isEqualTo(-1000);
            assertThat(clock.absolute()).isTrue();
        });
    }

    @Test
    void callsitesAreKept() throws IOException {
        TraceClass trace = parse(TRACE_LE + """
                callsite { name = "ust:ev"; func = "main"; ip = 0x401000; file = "app.c"; line = 42; };
                """);
        assertThat(trace.callsites()).singleElement()
                .isEqualTo(new org.vnetscope.ctf.meta.Callsite("ust:ev", "main", 0x401000, "app.c", 42));
    }
}
