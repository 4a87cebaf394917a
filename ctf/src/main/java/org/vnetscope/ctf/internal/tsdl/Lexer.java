package org.vnetscope.ctf.internal.tsdl;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Splits TSDL text into tokens; comments and white space are dropped. */
final class Lexer {

    private static final BigInteger MAX_U64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final Pattern INTEGER = Pattern.compile(
            "(?:0[xX]([0-9a-fA-F]+)|(0[0-7]*)|([1-9][0-9]*))(?:[uU](?:ll|LL|l|L)?|(?:ll|LL|l|L)[uU]?)?");
    private static final Pattern SIGNATURE = Pattern.compile("/\\* CTF (\\d+)\\.(\\d+)");
    /** Longest first, so that ":=" wins over ":" and "..." over ".". */
    private static final String[] PUNCTUATORS = {
        "...", ":=", "->", "{", "}", "[", "]", "(", ")", ";", ",", ":", "=", ".", "<", ">", "+", "-", "*"
    };

    private final MetadataText source;
    private final String text;
    private int position;

    private Lexer(MetadataText source) {
        this.source = source;
        this.text = source.text;
    }

    static List<Token> tokenize(MetadataText source) {
        return new Lexer(source).run();
    }

    private List<Token> run() {
        checkSignature();
        List<Token> tokens = new ArrayList<>(text.length() / 4);
        while (true) {
            skipSpaceAndComments();
            if (position >= text.length()) {
                tokens.add(new Token(Token.Kind.END, "", position, null));
                return tokens;
            }
            tokens.add(next());
        }
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
        while (position < text.length()) {
            char c = text.charAt(position);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B) {
                position++;
            } else if (text.startsWith("/*", position)) {
                int end = text.indexOf("*/", position + 2);
                if (end < 0) {
                    throw source.error(position, "unterminated comment: expected '*/'");
                }
                position = end + 2;
            } else if (text.startsWith("//", position)) {
                int end = text.indexOf('\n', position);
                position = end < 0 ? text.length() : end + 1;
            } else {
                return;
            }
        }
    }

    private Token next() {
        int start = position;
        char c = text.charAt(position);
        if (isIdentifierStart(c)) {
            while (position < text.length() && isIdentifierPart(text.charAt(position))) {
                position++;
            }
            return new Token(Token.Kind.IDENTIFIER, text.substring(start, position), start, null);
        }
        if (c >= '0' && c <= '9') {
            return integer(start);
        }
        if (c == '"') {
            return string(start);
        }
        for (String punctuator : PUNCTUATORS) {
            if (text.startsWith(punctuator, position)) {
                position += punctuator.length();
                return new Token(Token.Kind.PUNCTUATOR, punctuator, start, null);
            }
        }
        String shown = c >= 0x20 && c < 0x7F ? "'" + c + "'" : String.format("byte 0x%02X", (int) c);
        throw source.error(start, "unexpected " + shown + ": expected a TSDL token");
    }

    private Token integer(int start) {
        while (position < text.length() && isIdentifierPart(text.charAt(position))) {
            position++;
        }
        String written = text.substring(start, position);
        Matcher matcher = INTEGER.matcher(written);
        if (!matcher.matches()) {
            throw source.error(start, "malformed integer literal '" + written + "'");
        }
        BigInteger value;
        if (matcher.group(1) != null) {
            value = new BigInteger(matcher.group(1), 16);
        } else if (matcher.group(2) != null) {
            value = new BigInteger(matcher.group(2), 8);
        } else {
            value = new BigInteger(matcher.group(3), 10);
        }
        if (value.compareTo(MAX_U64) > 0) {
            throw source.error(start, "integer literal '" + written + "' out of range: expected at most 2^64-1");
        }
        return new Token(Token.Kind.INTEGER, written, start, value);
    }

    private Token string(int start) {
        position++;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        while (true) {
            if (position >= text.length()) {
                throw source.error(start, "unterminated string literal: expected '\"'");
            }
            char c = text.charAt(position++);
            if (c == '"') {
                break;
            }
            if (c == '\n') {
                throw source.error(start, "unterminated string literal: expected '\"' before the end of line");
            }
            if (c == 0) {
                throw source.error(position - 1, "NUL byte inside a string literal");
            }
            bytes.write(c == '\\' ? escape() : c);
        }
        // like a C string, the value ends at an escaped NUL
        String value = bytes.toString(StandardCharsets.UTF_8);
        int nul = value.indexOf('\0');
        return new Token(Token.Kind.STRING, nul < 0 ? value : value.substring(0, nul), start, null);
    }

    private int escape() {
        int escapeStart = position - 1;
        if (position >= text.length()) {
            throw source.error(escapeStart, "unterminated string literal: expected '\"'");
        }
        char c = text.charAt(position++);
        switch (c) {
            case 'n': return '\n';
            case 't': return '\t';
            case 'r': return '\r';
            case 'a': return 0x07;
            case 'b': return '\b';
            case 'f': return '\f';
            case 'v': return 0x0B;
            case '\\': case '"': case '\'': case '?': return c;
            case 'x': {
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
                return value;
            }
            default:
                if (c >= '0' && c <= '7') {
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
                    return value;
                }
                throw source.error(escapeStart, "unknown escape '\\" + c + "' in string literal");
        }
    }

    private static boolean isIdentifierStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean isIdentifierPart(char c) {
        return isIdentifierStart(c) || (c >= '0' && c <= '9');
    }
}
