package org.vnetscope.ctf.internal.ctf2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vnetscope.ctf.CtfException;
import org.vnetscope.ctf.Event;
import org.vnetscope.ctf.FieldKey;
import org.vnetscope.ctf.TraceReader;

/** Hand-written CTF 2 traces for what no real trace here has: variable-length integers, optionals, bad metadata. */
class Ctf2SyntheticTest {
    private static final String RS = "\u001e";
    private static final String PREAMBLE = RS + "{\"type\": \"preamble\", \"version\": 2}\n";
    private static final String PAYLOAD = RS + """
            {"type": "data-stream-class"}
            """ + RS + """
            {"type": "event-record-class", "name": "sample", "payload-field-class": {"type": "structure",
              "member-classes": [
                {"name": "flag", "field-class": {"type": "fixed-length-boolean", "length": 8, "byte-order": "little-endian"}},
                {"name": "n", "field-class": {"type": "variable-length-unsigned-integer"}},
                {"name": "s", "field-class": "signed varint"},
                {"name": "maybe_short", "field-class": {"type": "optional", "selector-field-location": {"path": ["flag"]},
                  "field-class": {"type": "fixed-length-unsigned-integer", "length": 16, "byte-order": "big-endian",
                                  "alignment": 8, "preferred-display-base": 16}}},
                {"name": "kind", "field-class": {"type": "fixed-length-unsigned-integer", "length": 8, "byte-order": "little-endian"}},
                {"name": "len", "field-class": {"type": "variable-length-unsigned-integer"}},
                {"name": "maybe_text", "field-class": {"type": "optional",
                  "selector-field-location": {"origin": "event-record-payload", "path": ["kind"]},
                  "selector-field-ranges": [[3, 5], [100, 100]],
                  "field-class": {"type": "dynamic-length-string", "length-field-location": {"path": ["len"]}}}}
              ]}}
            """;
    private static final String METADATA = PREAMBLE + RS
            + "{\"type\": \"field-class-alias\", \"name\": \"signed varint\","
            + " \"field-class\": {\"type\": \"variable-length-signed-integer\"}}\n" + PAYLOAD;

    @TempDir
    Path directory;

    @Test
    void variableLengthIntegersAndOptionalsDecode() throws IOException {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.write(1);
        leb128(stream, 300, false);
        leb128(stream, -129, true);
        stream.write(new byte[] {(byte) 0xBE, (byte) 0xEF});
        stream.write(4);
        leb128(stream, 5, false);
        stream.write("hello".getBytes(StandardCharsets.UTF_8));
        // Second event: both optionals absent, the widest values.
        stream.write(0);
        leb128(stream, -1L, false);
        leb128(stream, Long.MIN_VALUE, true);
        stream.write(9);
        leb128(stream, 0, false);
        write(METADATA, stream.toByteArray());

        List<String> seen = new ArrayList<>();
        try (TraceReader reader = TraceReader.open(directory, TraceReader.Warnings.IGNORE)) {
            assertThat(reader.next()).isTrue();
            Event first = reader.event();
            assertThat(first.getLong(FieldKey.of("n"))).isEqualTo(300);
            assertThat(first.getLong(FieldKey.of("s"))).isEqualTo(-129);
            assertThat(first.getLong(FieldKey.of("maybe_short", "value"))).isEqualTo(0xBEEF);
            assertThat(first.getString(FieldKey.of("maybe_text", "value"))).isEqualTo("hello");
            seen.add(first.name());
            assertThat(reader.next()).isTrue();
            Event second = reader.event();
            assertThat(second.getLong(FieldKey.of("n"))).isEqualTo(-1L);
            assertThat(second.getLong(FieldKey.of("s"))).isEqualTo(Long.MIN_VALUE);
            assertThat(second.has(FieldKey.of("maybe_short", "value"))).isFalse();
            assertThat(second.has(FieldKey.of("maybe_text", "value"))).isFalse();
            assertThat(second.getLong(FieldKey.of("kind"))).isEqualTo(9);
            seen.add(second.name());
            assertThat(reader.next()).isFalse();
        }
        assertThat(seen).containsExactly("sample", "sample");
    }

    @Test
    void aVariableLengthIntegerBeyond64BitsIsAnError() throws IOException {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.write(0);
        stream.write(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
            (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x03});
        write(METADATA, stream.toByteArray());
        assertThatThrownBy(() -> {
            try (TraceReader reader = TraceReader.open(directory, TraceReader.Warnings.IGNORE)) {
                reader.next();
            }
        }).isInstanceOf(CtfException.class).hasMessageContaining("at byte 1:")
                .hasMessageContaining("does not fit 64 bits");
    }

    @Test
    void badJsonNamesTheByte() {
        String metadata = PREAMBLE + RS + "{\"type\": \"trace-class\",, }";
        int comma = metadata.indexOf(",,") + 1;
        assertThatThrownBy(() -> parse(metadata)).isInstanceOf(CtfException.class)
                .hasMessage("metadata at byte " + comma + ": unexpected ',', a member name was expected");
        assertThatThrownBy(() -> parse(PREAMBLE + RS + "{\"type\": \"trace-class\", \"type\": \"x\"}"))
                .hasMessageContaining("duplicate JSON member \"type\"");
        assertThatThrownBy(() -> parse("{\"type\": \"preamble\", \"version\": 2}"))
                .hasMessage("metadata at byte 0: CTF 2 metadata must start with a record separator (0x1E)");
    }

    @Test
    void unsupportedConceptsAreNamed() {
        String bitMap = METADATA.replace("{\"type\": \"fixed-length-boolean\", \"length\": 8,",
                "{\"type\": \"fixed-length-bit-map\", \"flags\": {\"a\": [[0, 0]]}, \"length\": 8,");
        assertThatThrownBy(() -> parse(bitMap))
                .hasMessageContaining("field class type \"fixed-length-bit-map\" is not supported");
        String utf16 = METADATA.replace("\"dynamic-length-string\",", "\"dynamic-length-string\", \"encoding\": \"utf-16le\",");
        assertThatThrownBy(() -> parse(utf16)).hasMessageContaining("string encoding utf-16le is not supported");
        String nestedRole = PREAMBLE + RS + """
                {"type": "data-stream-class", "packet-context-field-class": {"type": "structure", "member-classes": [
                  {"name": "inner", "field-class": {"type": "structure", "member-classes": [
                    {"name": "size", "field-class": {"type": "fixed-length-unsigned-integer", "length": 32,
                      "byte-order": "little-endian", "roles": ["packet-total-length"]}}]}}]}}
                """;
        assertThatThrownBy(() -> parse(nestedRole))
                .hasMessageContaining("role packet-total-length is only supported on a field at the top of its scope");
        String throughVariant = PREAMBLE + RS + """
                {"type": "data-stream-class"}
                """ + RS + """
                {"type": "event-record-class", "payload-field-class": {"type": "structure", "member-classes": [
                  {"name": "tag", "field-class": {"type": "fixed-length-unsigned-integer", "length": 8, "byte-order": "little-endian"}},
                  {"name": "v", "field-class": {"type": "variant", "selector-field-location": {"path": ["tag"]}, "options": [
                    {"name": "a", "selector-field-ranges": [[0, 0]], "field-class": {"type": "structure", "member-classes": [
                      {"name": "n", "field-class": {"type": "fixed-length-unsigned-integer", "length": 8, "byte-order": "little-endian"}}]}},
                    {"name": "b", "selector-field-ranges": [[1, 1]], "field-class": {"type": "structure", "member-classes": [
                      {"name": "n", "field-class": {"type": "fixed-length-unsigned-integer", "length": 8, "byte-order": "little-endian"}}]}}]}},
                  {"name": "data", "field-class": {"type": "dynamic-length-blob", "length-field-location": {"path": ["v", "n"]}}}]}}
                """;
        assertThatThrownBy(() -> parse(throughVariant))
                .hasMessageContaining("goes through variant v that does not enclose it");
    }

    private static void parse(String metadata) {
        Ctf2MetadataParser.parse(Path.of("metadata"), metadata.getBytes(StandardCharsets.UTF_8));
    }

    private void write(String metadata, byte[] stream) throws IOException {
        Files.writeString(directory.resolve("metadata"), metadata);
        Files.write(directory.resolve("stream_0"), stream);
    }

    /** LEB128: seven bits a byte, least significant first; signed values stop once the sign bits are all out. */
    private static void leb128(ByteArrayOutputStream out, long value, boolean signed) {
        while (true) {
            int group = (int) (value & 0x7F);
            value = signed ? value >> 7 : value >>> 7;
            boolean done = signed ? (value == 0 && (group & 0x40) == 0) || (value == -1 && (group & 0x40) != 0)
                    : value == 0;
            out.write(done ? group : group | 0x80);
            if (done) {
                return;
            }
        }
    }
}
