package org.vnetscope.ctf.internal.ctf2;

import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import org.vnetscope.ctf.CtfException;

/**
 * A strict JSON (RFC 8259) reader for one fragment of a CTF 2 metadata stream. Objects and arrays remember the
 * byte offset where they start in the metadata file, so that later semantic errors can name it too.
 *
 * <p>Values: {@link JsonObject}, {@link JsonArray}, {@link String}, {@link Long} or {@link BigInteger} (integers
 * outside the long range), {@link Double} (numbers with a fraction or an exponent), {@link Boolean}, and
 * {@link #NULL}.
 */
final class Json {
    /** JSON's {@code null}, distinct from Java null (an absent member). */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** Deeper nesting than any metadata needs; keeps malicious input from overflowing the stack. */
    private static final int MAX_DEPTH = 256;

    /** An object: members in file order; duplicate member names are rejected. */
    static final class JsonObject extends LinkedHashMap<String, Object> {
        final long offset;

        JsonObject(long offset) {
            this.offset = offset;
        }
    }

    /** An array. */
    static final class JsonArray extends ArrayList<Object> {
        final long offset;

        JsonArray(long offset) {
            this.offset = offset;
        }
    }

    private final Path file;
    private final byte[] bytes;
    private final int end;
    private int at;
    private int depth;

    private Json(Path file, byte[] bytes, int start, int end) {
        this.file = file;
        this.bytes = bytes;
        this.at = start;
        this.end = end;
    }

    /** Parses {@code bytes[start, end)} (the whole metadata file, so offsets are file offsets) as exactly one JSON value surrounded by optional whitespace. */
    static Object parse(Path file, byte[] bytes, int start, int end) {
        Json json = new Json(file, bytes, start, end);
        json.skipWhitespace();
        if (json.at == end) {
            throw json.error("empty metadata fragment");
        }
        Object value = json.value();
        json.skipWhitespace();
        if (json.at != end) {
            throw json.error("unexpected " + json.describeHere() + " after the fragment's JSON value");
        }
        return value;
    }

    private Object value() {
        if (at >= end) {
            throw error("unexpected end of fragment, a value was expected");
        }
        byte c = bytes[at];
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", NULL);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw error("unexpected " + describeHere() + ", a value was expected");
            }
        };
    }

    private JsonObject object() {
        JsonObject object = new JsonObject(at);
        enter();
        at++;
        skipWhitespace();
        if (peek() == '}') {
            at++;
            depth--;
            return object;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("unexpected " + describeHere() + ", a member name was expected");
            }
            long nameOffset = at;
            String name = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            Object value = value();
            if (object.put(name, value) != null) {
                throw new CtfException(file, nameOffset, "duplicate JSON member \"" + name + "\"");
            }
            skipWhitespace();
            byte c = peek();
            at++;
            if (c == '}') {
                depth--;
                return object;
            }
            if (c != ',') {
                at--;
                throw error("unexpected " + describeHere() + ", ',' or '}' was expected");
            }
        }
    }

    private JsonArray array() {
        JsonArray array = new JsonArray(at);
        enter();
        at++;
        skipWhitespace();
        if (peek() == ']') {
            at++;
            depth--;
            return array;
        }
        while (true) {
            skipWhitespace();
            array.add(value());
            skipWhitespace();
            byte c = peek();
            at++;
            if (c == ']') {
                depth--;
                return array;
            }
            if (c != ',') {
                at--;
                throw error("unexpected " + describeHere() + ", ',' or ']' was expected");
            }
        }
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw error("JSON nesting deeper than " + MAX_DEPTH);
        }
    }

    private String string() {
        int start = at;
        at++;
        StringBuilder text = null;
        int runStart = at;
        while (true) {
            if (at >= end) {
                at = start;
                throw error("string not terminated");
            }
            byte c = bytes[at];
            if (c == '"') {
                String run = utf8(runStart, at);
                at++;
                return text == null ? run : text.append(run).toString();
            }
            if ((c & 0xFF) < 0x20) {
                throw error("control character in a string");
            }
            if (c != '\\') {
                at++;
                continue;
            }
            if (text == null) {
                text = new StringBuilder();
            }
            text.append(utf8(runStart, at));
            at++;
            if (at >= end) {
                throw error("string not terminated");
            }
            byte escape = bytes[at++];
            switch (escape) {
                case '"' -> text.append('"');
                case '\\' -> text.append('\\');
                case '/' -> text.append('/');
                case 'b' -> text.append('\b');
                case 'f' -> text.append('\f');
                case 'n' -> text.append('\n');
                case 'r' -> text.append('\r');
                case 't' -> text.append('\t');
                case 'u' -> text.append(hex4());
                default -> {
                    at--;
                    throw error("invalid escape sequence in a string");
                }
            }
            runStart = at;
        }
    }

    private char hex4() {
        if (at + 4 > end) {
            throw error("truncated \\u escape");
        }
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(bytes[at], 16);
            if (digit < 0) {
                throw error("invalid \\u escape");
            }
            value = value * 16 + digit;
            at++;
        }
        return (char) value;
    }

    private String utf8(int from, int to) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes, from, to - from)).toString();
        } catch (CharacterCodingException e) {
            at = from;
            throw error("string is not valid UTF-8");
        }
    }

    private Object number() {
        int start = at;
        boolean integral = true;
        if (bytes[at] == '-') {
            at++;
        }
        if (at >= end || !isDigit(bytes[at])) {
            at = start;
            throw error("invalid number");
        }
        if (bytes[at] == '0' && at + 1 < end && isDigit(bytes[at + 1])) {
            throw error("number with a leading zero");
        }
        digits();
        if (at < end && bytes[at] == '.') {
            integral = false;
            at++;
            requireDigit();
            digits();
        }
        if (at < end && (bytes[at] == 'e' || bytes[at] == 'E')) {
            integral = false;
            at++;
            if (at < end && (bytes[at] == '+' || bytes[at] == '-')) {
                at++;
            }
            requireDigit();
            digits();
        }
        String text = new String(bytes, start, at - start, StandardCharsets.US_ASCII);
        if (!integral) {
            return Double.parseDouble(text);
        }
        BigInteger value = new BigInteger(text);
        return value.bitLength() < 64 ? (Object) value.longValue() : value;
    }

    private void requireDigit() {
        if (at >= end || !isDigit(bytes[at])) {
            throw error("invalid number");
        }
    }

    private void digits() {
        while (at < end && isDigit(bytes[at])) {
            at++;
        }
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private Object literal(String word, Object value) {
        for (int i = 0; i < word.length(); i++) {
            if (at + i >= end || bytes[at + i] != word.charAt(i)) {
                throw error("unexpected " + describeHere() + ", a value was expected");
            }
        }
        at += word.length();
        return value;
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("unexpected " + describeHere() + ", '" + c + "' was expected");
        }
        at++;
    }

    private byte peek() {
        if (at >= end) {
            throw error("unexpected end of fragment");
        }
        return bytes[at];
    }

    private void skipWhitespace() {
        while (at < end) {
            byte c = bytes[at];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            at++;
        }
    }

    private String describeHere() {
        if (at >= end) {
            return "end of fragment";
        }
        int c = bytes[at] & 0xFF;
        return c >= 0x21 && c < 0x7F ? "'" + (char) c + "'" : String.format("byte 0x%02X", c);
    }

    private CtfException error(String problem) {
        return new CtfException(file, at, problem);
    }
}
