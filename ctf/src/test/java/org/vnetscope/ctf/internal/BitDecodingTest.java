package org.vnetscope.ctf.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vnetscope.ctf.internal.Model.field;
import static org.vnetscope.ctf.internal.Model.integer;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vnetscope.ctf.Event;
import org.vnetscope.ctf.FieldKey;
import org.vnetscope.ctf.TraceReader;
import org.vnetscope.ctf.meta.ArrayType;
import org.vnetscope.ctf.meta.Field;
import org.vnetscope.ctf.meta.IntegerType;
import org.vnetscope.ctf.meta.StructType;
import org.vnetscope.ctf.meta.TraceClass;

/** Integers of every size at every bit alignment, in both byte orders, against an independent bit writer. */
class BitDecodingTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"LITTLE_ENDIAN", "BIG_ENDIAN"})
    void randomLayoutsDecodeToTheWrittenValues(String orderName) {
        ByteOrder order = orderName.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        Random random = new Random(orderName.hashCode());
        int[] alignments = {1, 1, 1, 2, 8, 16, 32, 64};
        List<Field> fields = new ArrayList<>();
        List<IntegerType> types = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            int size = 1 + random.nextInt(64);
            int align = size % 8 == 0 ? alignments[random.nextInt(alignments.length)] : alignments[random.nextInt(3)];
            IntegerType type = integer(size, align, random.nextBoolean(), order);
            types.add(type);
            fields.add(field("f" + i, type));
        }
        types.add(integer(8, 8, false, order));
        fields.add(field("last", types.get(types.size() - 1)));
        StructType payload = Model.struct(fields.toArray(Field[]::new));
        TraceClass metadata = Model.trace(StructType.EMPTY, null,
                Model.stream(0, StructType.EMPTY, StructType.EMPTY, StructType.EMPTY,
                        Model.event(0, "layout", payload)));

        int events = 20;
        long[][] expected = new long[events][types.size()];
        BitWriter w = new BitWriter();
        for (int e = 0; e < events; e++) {
            w.align(payload.alignmentBits());
            for (int i = 0; i < types.size(); i++) {
                IntegerType type = types.get(i);
                long raw = random.nextLong();
                int size = type.sizeBits();
                long bits = size == 64 ? raw : raw & ((1L << size) - 1);
                w.align(type.alignmentBits()).write(bits, size, order == ByteOrder.BIG_ENDIAN);
                expected[e][i] = type.signed() && size < 64 ? (bits << (64 - size)) >> (64 - size) : bits;
            }
        }

        try (TraceReader reader = Model.open(dir.resolve("t"), metadata, Map.of("stream", w.bytes()))) {
            for (int e = 0; e < events; e++) {
                assertThat(reader.next()).isTrue();
                Event event = reader.event();
                for (int i = 0; i < types.size(); i++) {
                    String name = fields.get(i).name();
                    assertThat(event.getLong(FieldKey.of(name)))
                            .as("event %d field %s (%s)", e, name, types.get(i))
                            .isEqualTo(expected[e][i]);
                }
                Object[] generic = event.scope(org.vnetscope.ctf.Scope.EVENT_PAYLOAD);
                for (int i = 0; i < types.size(); i++) {
                    assertThat(generic[i]).isEqualTo(expected[e][i]);
                }
            }
            assertThat(reader.next()).isFalse();
        }
    }

    @Test
    void bitPackedBigEndianFieldsFollowTheSpecOrdering() {
        // Two big-endian fields of 3 and 13 bits packed in 0b101_00000 0b00000011: the 3-bit field takes the most
        // significant bits of the first byte.
        IntegerType three = integer(3, 1, false, ByteOrder.BIG_ENDIAN);
        IntegerType thirteen = integer(13, 1, false, ByteOrder.BIG_ENDIAN);
        StructType payload = Model.struct(field("a", three), field("b", thirteen));
        TraceClass metadata = Model.trace(StructType.EMPTY, null,
                Model.stream(0, StructType.EMPTY, StructType.EMPTY, StructType.EMPTY, Model.event(0, "e", payload)));
        byte[] data = {(byte) 0b1010_0000, 0b0000_0011};
        try (TraceReader reader = Model.open(dir.resolve("be"), metadata, Map.of("stream", data))) {
            assertThat(reader.next()).isTrue();
            assertThat(reader.event().getLong(FieldKey.of("a"))).isEqualTo(0b101);
            assertThat(reader.event().getLong(FieldKey.of("b"))).isEqualTo(3);
        }
    }

    @Test
    void bitPackedLittleEndianFieldsFillFromTheLeastSignificantBit() {
        IntegerType three = integer(3, 1, true, ByteOrder.LITTLE_ENDIAN);
        IntegerType thirteen = integer(13, 1, false, ByteOrder.LITTLE_ENDIAN);
        StructType payload = Model.struct(field("a", three), field("b", thirteen));
        TraceClass metadata = Model.trace(StructType.EMPTY, null,
                Model.stream(0, StructType.EMPTY, StructType.EMPTY, StructType.EMPTY, Model.event(0, "e", payload)));
        // a = 0b110 (-2 signed), b = 0x1ABC >> 0 : bits 3..15
        int packed = 0b110 | (0x1ABC << 3);
        byte[] data = {(byte) packed, (byte) (packed >>> 8)};
        try (TraceReader reader = Model.open(dir.resolve("le"), metadata, Map.of("stream", data))) {
            assertThat(reader.next()).isTrue();
            assertThat(reader.event().getLong(FieldKey.of("a"))).isEqualTo(-2);
            assertThat(reader.event().getLong(FieldKey.of("b"))).isEqualTo(0x1ABC);
        }
    }

    @Test
    void copyBytesGivesArrayElementsMostSignificantByteFirst() {
        // an IPv6 address as LTTng writes it (eight big-endian 16-bit words), little-endian words, and bytes at an
        // odd bit offset: copyBytes gives each element's bytes most significant first
        IntegerType beWord = integer(16, 8, false, ByteOrder.BIG_ENDIAN);
        IntegerType leWord = integer(16, 8, false, ByteOrder.LITTLE_ENDIAN);
        IntegerType bitByte = integer(8, 1, false, ByteOrder.LITTLE_ENDIAN);
        StructType payload = Model.struct(field("address", new ArrayType(beWord, 8)),
                field("words", new ArrayType(leWord, 2)), field("flag", integer(3, 1, false, ByteOrder.LITTLE_ENDIAN)),
                field("odd", new ArrayType(bitByte, 2)));
        TraceClass metadata = Model.trace(StructType.EMPTY, null,
                Model.stream(0, StructType.EMPTY, StructType.EMPTY, StructType.EMPTY, Model.event(0, "e", payload)));
        long[] address = {0x2001, 0x0db8, 0, 0, 0, 0, 0xabcd, 0x0012};
        BitWriter w = new BitWriter();
        for (long word : address) {
            w.write(word, 16, true);
        }
        w.write(0x1234, 16, false).write(0xfedc, 16, false).write(5, 3, false).write(0xa5, 8, false).write(0x3c, 8, false);
        try (TraceReader reader = Model.open(dir.resolve("arrays"), metadata, Map.of("stream", w.bytes()))) {
            assertThat(reader.next()).isTrue();
            Event event = reader.event();
            byte[] into = new byte[16];
            assertThat(event.copyBytes(FieldKey.of("address"), into)).isEqualTo(16);
            assertThat(into).containsExactly(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0xab, 0xcd, 0x00, 0x12);
            byte[] short3 = new byte[3];
            assertThat(event.copyBytes(FieldKey.of("words"), short3)).as("full length past a short buffer").isEqualTo(4);
            assertThat(short3).containsExactly(0x12, 0x34, 0xfe);
            byte[] odd = new byte[2];
            assertThat(event.copyBytes(FieldKey.of("odd"), odd)).isEqualTo(2);
            assertThat(odd).containsExactly(0xa5, 0x3c).isEqualTo(event.getBytes(FieldKey.of("odd")));
        }
    }
}
