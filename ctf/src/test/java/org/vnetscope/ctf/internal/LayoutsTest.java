package org.vnetscope.ctf.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vnetscope.ctf.Scope;
import org.vnetscope.ctf.TraceReader;
import org.vnetscope.ctf.internal.tsdl.MetadataParser;
import org.vnetscope.ctf.meta.ArrayType;
import org.vnetscope.ctf.meta.Encoding;
import org.vnetscope.ctf.meta.EnumType;
import org.vnetscope.ctf.meta.EventClass;
import org.vnetscope.ctf.meta.Field;
import org.vnetscope.ctf.meta.FieldRef;
import org.vnetscope.ctf.meta.FieldType;
import org.vnetscope.ctf.meta.FloatType;
import org.vnetscope.ctf.meta.IntegerType;
import org.vnetscope.ctf.meta.SequenceType;
import org.vnetscope.ctf.meta.StreamClass;
import org.vnetscope.ctf.meta.StringType;
import org.vnetscope.ctf.meta.StructType;
import org.vnetscope.ctf.meta.TraceClass;
import org.vnetscope.ctf.meta.VariantType;

/** {@link Layouts} says of field types what the records' own equals and hashCode say. */
class LayoutsTest {
    private static final Path REPO = Path.of(System.getProperty("vnetscope.repo", ".."));

    @Test
    void everyComponentOfTheFieldTypeRecordsIsOneLayoutsCompares() {
        // When a record gains a component, Layouts must compare it too: then update this list.
        Map<Class<?>, List<String>> compared = new LinkedHashMap<>();
        compared.put(StructType.class, List.of("fields", "alignmentBits"));
        compared.put(Field.class, List.of("name", "type"));
        compared.put(IntegerType.class, List.of("sizeBits", "alignmentBits", "signed", "byteOrder", "base", "encoding",
                "mappedClock", "variableLength"));
        compared.put(EnumType.class, List.of("container", "mappings"));
        compared.put(EnumType.Mapping.class, List.of("label", "lower", "upper"));
        compared.put(StringType.class, List.of("encoding"));
        compared.put(ArrayType.class, List.of("element", "length"));
        compared.put(SequenceType.class, List.of("element", "length", "lengthText"));
        compared.put(VariantType.class, List.of("tag", "tagText", "options", "optionRanges"));
        compared.put(VariantType.Range.class, List.of("lower", "upper"));
        compared.put(FloatType.class, List.of("exponentDigits", "mantissaDigits", "alignmentBits", "byteOrder"));
        compared.put(FieldRef.class, List.of("scope", "path"));
        for (Map.Entry<Class<?>, List<String>> entry : compared.entrySet()) {
            assertThat(Arrays.stream(entry.getKey().getRecordComponents()).map(RecordComponent::getName))
                    .as(entry.getKey().getSimpleName()).containsExactlyElementsOf(entry.getValue());
        }
        assertThat(FieldType.class.getPermittedSubclasses()).containsExactlyInAnyOrder(IntegerType.class,
                FloatType.class, StringType.class, EnumType.class, StructType.class, VariantType.class,
                ArrayType.class, SequenceType.class);
    }

    @Test
    void aTypeDifferingInOneComponentIsAnotherLayout() {
        IntegerType base = new IntegerType(32, 8, false, ByteOrder.LITTLE_ENDIAN, 10, Encoding.NONE, null);
        List<FieldType> others = List.of(
                new IntegerType(16, 8, false, ByteOrder.LITTLE_ENDIAN, 10, Encoding.NONE, null),
                new IntegerType(32, 32, false, ByteOrder.LITTLE_ENDIAN, 10, Encoding.NONE, null),
                new IntegerType(32, 8, true, ByteOrder.LITTLE_ENDIAN, 10, Encoding.NONE, null),
                new IntegerType(32, 8, false, ByteOrder.BIG_ENDIAN, 10, Encoding.NONE, null),
                new IntegerType(32, 8, false, ByteOrder.LITTLE_ENDIAN, 16, Encoding.NONE, null),
                new IntegerType(32, 8, false, ByteOrder.LITTLE_ENDIAN, 10, Encoding.UTF8, null),
                new IntegerType(32, 8, false, ByteOrder.LITTLE_ENDIAN, 10, Encoding.NONE, "monotonic"),
                new FloatType(8, 24, 32, ByteOrder.LITTLE_ENDIAN),
                new StringType(Encoding.UTF8),
                new ArrayType(base, 4),
                new EnumType(base, List.of(new EnumType.Mapping("A", 0, 0))));
        assertThat(Layouts.same(base, new IntegerType(32, 8, false, ByteOrder.LITTLE_ENDIAN, 10, Encoding.NONE, null)))
                .isTrue();
        for (FieldType other : others) {
            assertThat(Layouts.same(base, other)).as(other.toString()).isFalse();
            assertThat(Layouts.same(other, base)).as(other.toString()).isFalse();
        }
        StructType struct = new StructType(List.of(new Field("ret", base)), 8);
        assertThat(Layouts.same(struct, new StructType(List.of(new Field("fd", base)), 8))).isFalse();
        assertThat(Layouts.same(struct, new StructType(List.of(new Field("ret", base)), 32))).isFalse();
        assertThat(Layouts.same(struct, new StructType(List.of(new Field("ret", base), new Field("x", base)), 8)))
                .isFalse();
        SequenceType byCount = new SequenceType(base, new FieldRef(Scope.EVENT_PAYLOAD, List.of("count")), "count");
        assertThat(Layouts.same(byCount,
                new SequenceType(base, new FieldRef(Scope.EVENT_CONTEXT, List.of("count")), "count"))).isFalse();
        assertThat(Layouts.same(byCount,
                new SequenceType(base, new FieldRef(Scope.EVENT_PAYLOAD, List.of("count")), "count"))).isTrue();
    }

    @Test
    void onRealTracesLayoutsAgreeWithTheRecordsEquality() {
        List<StructType> types = new ArrayList<>();
        for (String trace : List.of("samples/bridge-basic/trace/kernel", "samples/lab2/ipv6/trace/kernel")) {
            TraceClass metadata = MetadataParser.parse(REPO.resolve(trace).resolve("metadata"),
                    TraceReader.Warnings.IGNORE);
            types.add(metadata.packetHeader());
            for (StreamClass stream : metadata.streams().values()) {
                types.add(stream.packetContext());
                types.add(stream.eventHeader());
                for (EventClass event : stream.events().values()) {
                    types.add(CompiledTrace.orEmpty(event.payload()));
                }
            }
        }
        assertThat(types).hasSizeGreaterThan(70);
        int equalPairs = 0;
        for (StructType a : types) {
            for (StructType b : types) {
                boolean equal = a.equals(b);
                assertThat(Layouts.same(a, b)).as("%s\n%s", a, b).isEqualTo(equal);
                if (equal) {
                    assertThat(Layouts.hash(a)).isEqualTo(Layouts.hash(b));
                    equalPairs += a == b ? 0 : 1;
                }
            }
        }
        // the two traces declare the same layouts in separate objects
        assertThat(equalPairs).isGreaterThan(types.size());
    }
}
