package org.vnetscope.ctf.internal.tsdl;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Splits TSDL text into tokens; comments and white space are dropped. */
final class Lexer {

    private static final BigInteger MAX_U64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final Set<String> INTEGER_SUFFIXES = Set.of("", "u", "U",
            "ul", "uL", "ull", "uLL", "Ul", "UL", "Ull", "ULL",
            "l", "L", "ll", "LL", "lu", "lU", "Lu", "LU", "llu", "llU", "LLu", "LLU");
    private static final Pattern SIGNATURE = Pattern.compile("/\\* CTF (\\d+)\\.(\\d+)");
    private final MetadataText source;
    private final String text;
    /** The text's bytes (one per char): a kernel trace's metadata is hundreds of kilobytes, read char by char. */
    private final byte[] chars;
    private int position;
    /**
     * Identifier and integer texts met so far, by a hash of their characters (a later text of the same hash
     * replaces the earlier one): a metadata file repeats a few hundred words and numbers tens of thousands of
     * times, and sharing them saves most of the tokens' allocation. An integer's value sits beside its text.
     */
    private final String[] seenText = new String[SEEN_SLOTS];
    private final BigInteger[] seenValue = new BigInteger[SEEN_SLOTS];
    /** Where in the text each seen text was met, to compare characters with no call per character. */
    private final int[] seenAt = new int[SEEN_SLOTS];
    /** Hash of the characters of the last identifier or integer scanned by {@link #scanWord}. */
    private int wordHash;
    private static final int SEEN_SLOTS = 4096;

    private static final String INTEGER = "integer";
    /** Plain integer bodies remembered, by a hash of their bytes (a later body of the same hash replaces one). */
    private static final int BODY_SLOTS = 256;
    private static final int LONGEST_PLAIN_BODY = 256;
    private final int[] bodyHash = new int[BODY_SLOTS];
    private final int[] bodyOpen = new int[BODY_SLOTS];
    private final int[] bodyLength = new int[BODY_SLOTS];
    /** Index of the body's first token ('{'), and how many it has (0: slot unused). */
    private final int[] bodyFirst = new int[BODY_SLOTS];
    private final int[] bodyTokens = new int[BODY_SLOTS];
    private Token[] tokens;
    private int count;

    private Lexer(MetadataText source) {
        this.source = source;
        this.text = source.text;
        this.chars = source.bytes;
    }

    /** The tokens of the text, the last one {@link Token.Kind#END}. */
    static Token[] tokenize(MetadataText source) {
        return new Lexer(source).run();
    }

    private Token[] run() {
        checkSignature();
        tokens = new Token[chars.length / 4 + 16];
        while (true) {
            skipSpaceAndComments();
            if (position >= chars.length) {
                add(new Token(Token.Kind.END, "", position, null));
                return Arrays.copyOf(tokens, count);
            }
            Token token = next();
            add(token);
            if (token.text() == INTEGER && token.kind() == Token.Kind.IDENTIFIER) {
                integerBody();
            }
        }
    }

    private void add(Token token) {
        if (count == tokens.length) {
            tokens = Arrays.copyOf(tokens, count * 2);
        }
        tokens[count++] = token;
    }

    /**
     * After the word {@code integer}: its body when it is plain ({@code {}, attributes, {@code }}, no comment,
     * string or nested brace) and written byte for byte like one met before is not scanned again but becomes one
     * {@link Token.Kind#REPEATED_BODY} token naming the earlier one. Half the text of a kernel trace's metadata is
     * a score of integer declarations written thousands of times. Anything else is left to the usual scan.
     */
    private void integerBody() {
        byte[] chars = this.chars;
        int open = position;
        while (open < chars.length && (chars[open] == ' ' || chars[open] == '\t' || chars[open] == '\n'
                || chars[open] == '\r')) {
            open++;
        }
        if (open >= chars.length || chars[open] != '{') {
            return;
        }
        int limit = Math.min(chars.length, open + LONGEST_PLAIN_BODY);
        int hash = '{';
        int close = open + 1;
        while (true) {
            if (close >= limit) {
                return;
            }
            byte c = chars[close];
            if (c == '}') {
                break;
            }
            if (c == '{' || c == '"' || c == '\'' || c == '/' || c == 0) {
                return;
            }
            hash = hash * 31 + c;
            close++;
        }
        int slot = (hash ^ (hash >>> 11)) & (BODY_SLOTS - 1);
        int length = close - open;
        int seenOpen = bodyOpen[slot];
        if (bodyTokens[slot] > 0 && bodyHash[slot] == hash && bodyLength[slot] == length
                && Arrays.equals(chars, seenOpen, seenOpen + length, chars, open, open + length)) {
            add(new Token(Token.Kind.REPEATED_BODY, "{", open, null, bodyFirst[slot]));
            position = close + 1;
            return;
        }
        int first = count;
        position = open;
        while (position <= close) {
            skipSpaceAndComments();
            add(next());
        }
        bodyHash[slot] = hash;
        bodyOpen[slot] = open;
        bodyLength[slot] = length;
        bodyFirst[slot] = first;
        bodyTokens[slot] = count - first;
    }

    /** A plain-text metadata may begin with the signature comment naming its version, which must be 1.8. */
    private void checkSignature() {
        if (!text.startsWith("/* CTF")) {
            return;
        }
        Matcher matcher = SIGNATURE.matcher(text);
        if (!matcher.lookingAt() || !matcher.group(1).equals("1") || !matcher.group(2).equals("8")) {
            throw source.error(0, "unsupported metadata signature: expected '/* CTF 1.8'");
        }
    }

    private void skipSpaceAndComments() {
        byte[] chars = this.chars;
        while (position < chars.length) {
            byte c = chars[position];
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B) {
                position++;
            } else if (c == '/' && position + 1 < chars.length && chars[position + 1] == '*') {
                int end = text.indexOf("*/", position + 2);
                if (end < 0) {
                    throw source.error(position, "unterminated comment: expected '*/'");
                }
                position = end + 2;
            } else if (c == '/' && position + 1 < chars.length && chars[position + 1] == '/') {
                int end = text.indexOf('\n', position);
                position = end < 0 ? chars.length : end + 1;
            } else {
                return;
            }
        }
    }

    private Token next() {
        int start = position;
        char c = (char) (chars[position] & 0xFF);
        if (isIdentifierStart(c)) {
            scanWord();
            return new Token(Token.Kind.IDENTIFIER, seenText(start, position), start, null);
        }
        if (c >= '0' && c <= '9') {
            return integer(start);
        }
        if (c == '"') {
            return string(start);
        }
        if (c == '\'') {
            return character(start);
        }
        String punctuator = punctuator(c);
        if (punctuator != null) {
            position += punctuator.length();
            return new Token(Token.Kind.PUNCTUATOR, punctuator, start, null);
        }
        String shown = c >= 0x20 && c < 0x7F ? "'" + c + "'" : String.format("byte 0x%02X", (int) c);
        throw source.error(start, "unexpected " + shown + ": expected a TSDL token");
    }

    /** The punctuator at the position, longest first ("..." over ".", ":=" over ":"), or null. */
    private String punctuator(char c) {
        char next = position + 1 < chars.length ? (char) (chars[position + 1] & 0xFF) : 0;
        return switch (c) {
            case '.' -> next == '.' && position + 2 < chars.length && chars[position + 2] == '.' ? "..." : ".";
            case ':' -> next == '=' ? ":=" : ":";
            case '-' -> next == '>' ? "->" : "-";
            case '{' -> "{";
            case '}' -> "}";
            case '[' -> "[";
            case ']' -> "]";
            case '(' -> "(";
            case ')' -> ")";
            case ';' -> ";";
            case ',' -> ",";
            case '=' -> "=";
            case '<' -> "<";
            case '>' -> ">";
            case '+' -> "+";
            case '*' -> "*";
            default -> null;
        };
    }

    /**
     * {@code 0x} hexadecimal, {@code 0} octal or decimal digits, then an optional C suffix ({@code u}, {@code l},
     * {@code ll} in either case and order). Hand-written rather than a regular expression: a kernel trace's
     * metadata holds tens of thousands of integer literals.
     */
    private Token integer(int start) {
        scanWord();
        int slot = seenSlot();
        String written = seenText[slot];
        if (seenValue[slot] != null && matches(slot, start, position)) {
            return new Token(Token.Kind.INTEGER, written, start, seenValue[slot]);
        }
        int radix;
        int digitsStart;
        if (position - start > 1 && (chars[start + 1] == 'x' || chars[start + 1] == 'X')
                && chars[start] == '0') {
            radix = 16;
            digitsStart = start + 2;
        } else {
            radix = chars[start] == '0' ? 8 : 10;
            digitsStart = start;
        }
        int digitsEnd = digitsStart;
        while (digitsEnd < position && Character.digit((char) (chars[digitsEnd] & 0xFF), radix) >= 0) {
            digitsEnd++;
        }
        if (digitsEnd == digitsStart
                || (digitsEnd < position && !INTEGER_SUFFIXES.contains(text.substring(digitsEnd, position)))) {
            throw source.error(start, "malformed integer literal '" + text.substring(start, position) + "'");
        }
        written = text.substring(start, position);
        int digits = digitsEnd - digitsStart;
        BigInteger value;
        if (digits <= (radix == 16 ? 15 : radix == 10 ? 18 : 20)) {
            // Fits a positive long: no BigInteger parsing.
            long small = 0;
            for (int i = digitsStart; i < digitsEnd; i++) {
                small = small * radix + Character.digit((char) (chars[i] & 0xFF), radix);
            }
            value = BigInteger.valueOf(small);
        } else {
            value = new BigInteger(text.substring(digitsStart, digitsEnd), radix);
        }
        if (value.compareTo(MAX_U64) > 0) {
            throw source.error(start, "integer literal '" + written + "' out of range: expected at most 2^64-1");
        }
        seenText[slot] = written;
        seenValue[slot] = value;
        seenAt[slot] = start;
        return new Token(Token.Kind.INTEGER, written, start, value);
    }

    /**
     * The identifier between two positions as the canonical (interned) string of its text, so that {@link Token#is}
     * compares by identity; the table spares most tokens the interning.
     */
    private String seenText(int start, int end) {
        int slot = seenSlot();
        String seen = seenText[slot];
        if (seen != null && seenValue[slot] == null && matches(slot, start, end)) {
            return seen;
        }
        seen = text.substring(start, end).intern();
        seenText[slot] = seen;
        seenValue[slot] = null;
        seenAt[slot] = start;
        return seen;
    }

    /** Moves past the letters, digits and underscores at the position, hashing them into {@link #wordHash}. */
    private void scanWord() {
        byte[] chars = this.chars;
        int at = position;
        int hash = 0;
        while (at < chars.length) {
            byte c = chars[at];
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (c >= '0' && c <= '9'))) {
                break;
            }
            hash = hash * 31 + c;
            at++;
        }
        position = at;
        wordHash = hash;
    }

    private int seenSlot() {
        return (wordHash ^ (wordHash >>> 12)) & (SEEN_SLOTS - 1);
    }

    /** Whether the text seen in a slot is the one between two positions. */
    private boolean matches(int slot, int start, int end) {
        int length = end - start;
        if (seenText[slot].length() != length) {
            return false;
        }
        byte[] chars = this.chars;
        int seen = seenAt[slot];
        for (int i = 0; i < length; i++) {
            if (chars[seen + i] != chars[start + i]) {
                return false;
            }
        }
        return true;
    }

    private Token string(int start) {
        position++;
        // Most literals are plain ASCII without escapes: taken as they are.
        int end = position;
        while (end < chars.length && chars[end] >= 0x20 && chars[end] < 0x7F && chars[end] != '"' && chars[end] != '\\') {
            end++;
        }
        if (end < chars.length && chars[end] == '"') {
            String value = text.substring(position, end);
            position = end + 1;
            return new Token(Token.Kind.STRING, value, start, null);
        }
        return quoted(start, '"', "string literal");
    }

    /**
     * A character constant ({@code 'a'}, {@code '\n'}, several characters as C allows): its characters, as
     * babeltrace2 takes it, a string token, so that an attribute given one is read (or warned about) like one
     * given a string.
     */
    private Token character(int start) {
        position++;
        Token token = quoted(start, '\'', "character constant");
        if (position - start == 2) {
            throw source.error(start, "empty character constant: expected a character between the quotes");
        }
        return token;
    }

    /** The rest of a literal whose opening quote was passed over, escapes decoded, up to its closing quote. */
    private Token quoted(int start, char quote, String what) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        while (true) {
            if (position >= text.length()) {
                throw source.error(start, "unterminated " + what + ": expected " + quoteShown(quote));
            }
            char c = text.charAt(position++);
            if (c == quote) {
                break;
            }
            if (c == '\n') {
                throw source.error(start, "unterminated " + what + ": expected " + quoteShown(quote)
                        + " before the end of line");
            }
            if (c == 0) {
                throw source.error(position - 1, "NUL byte inside a " + what);
            }
            if (c == '\\') {
                escape(bytes, what);
            } else {
                bytes.write(c);
            }
        }
        // like a C string, the value ends at an escaped NUL
        String value = bytes.toString(StandardCharsets.UTF_8);
        int nul = value.indexOf('\0');
        return new Token(Token.Kind.STRING, nul < 0 ? value : value.substring(0, nul), start, null);
    }

    private static String quoteShown(char quote) {
        return quote == '"' ? "'\"'" : "\"'\"";
    }

    /**
     * Decodes the escape sequence after a backslash into the literal's bytes: CTF 1.8's simple, octal ({@code \\ooo}),
     * hexadecimal ({@code \\xhh}) and universal character name ({@code \\uXXXX}, {@code \\UXXXXXXXX}, written
     * as UTF-8) forms.
     */
    private void escape(ByteArrayOutputStream bytes, String what) {
        int escapeStart = position - 1;
        if (position >= text.length()) {
            throw source.error(escapeStart, "unterminated " + what + ": expected a character after '\\'");
        }
        char c = text.charAt(position++);
        switch (c) {
            case 'n' -> bytes.write('\n');
            case 't' -> bytes.write('\t');
            case 'r' -> bytes.write('\r');
            case 'a' -> bytes.write(0x07);
            case 'b' -> bytes.write('\b');
            case 'f' -> bytes.write('\f');
            case 'v' -> bytes.write(0x0B);
            case '\\', '"', '\'', '?' -> bytes.write(c);
            case 'x' -> {
                int value = 0;
                int digits = 0;
                while (position < text.length() && Character.digit(text.charAt(position), 16) >= 0) {
                    value = value * 16 + Character.digit(text.charAt(position++), 16);
                    if (++digits == 3) {
                        break;
                    }
                }
                if (value > 0xFF) {
                    throw source.error(escapeStart, "hexadecimal escape out of range: expected at most \\xFF");
                }
                if (digits == 0) {
                    throw source.error(escapeStart, "malformed escape '\\x': expected hexadecimal digits");
                }
                bytes.write(value);
            }
            case 'u', 'U' -> {
                int digits = c == 'u' ? 4 : 8;
                long codePoint = 0;
                for (int i = 0; i < digits; i++) {
                    int digit = position < text.length() ? Character.digit(text.charAt(position), 16) : -1;
                    if (digit < 0) {
                        throw source.error(escapeStart, "malformed escape '\\" + c + "': expected " + digits
                                + " hexadecimal digits");
                    }
                    codePoint = codePoint * 16 + digit;
                    position++;
                }
                if (codePoint > Character.MAX_CODE_POINT
                        || (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE)) {
                    throw source.error(escapeStart, "universal character name out of range: expected a Unicode"
                            + " scalar value, at most \\U0010FFFF");
                }
                byte[] utf8 = new String(Character.toChars((int) codePoint)).getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
            }
            default -> {
                if (c < '0' || c > '7') {
                    throw source.error(escapeStart, "unknown escape '\\" + c + "' in " + what);
                }
                int value = c - '0';
                for (int i = 0; i < 2 && position < text.length(); i++) {
                    char digit = text.charAt(position);
                    if (digit < '0' || digit > '7') {
                        break;
                    }
                    value = value * 8 + (digit - '0');
                    position++;
                }
                if (value > 0xFF) {
                    throw source.error(escapeStart, "octal escape out of range: expected at most \\377");
                }
                bytes.write(value);
            }
        }
    }

    private static boolean isIdentifierStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }
}
