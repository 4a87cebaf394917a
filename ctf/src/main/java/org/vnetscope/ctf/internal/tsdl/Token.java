package org.vnetscope.ctf.internal.tsdl;

import java.math.BigInteger;

/**
 * A lexical token of TSDL.
 *
 * @param kind     what the token is
 * @param text     the identifier, the punctuator, the decoded string literal value, or the integer as written
 * @param position text position of its first character
 * @param number   the value of an integer literal (0 to 2^64-1), else null
 * @param repeats  of a {@link Kind#REPEATED_BODY}, the index of the '{' token that begins the body it repeats
 */
record Token(Kind kind, String text, int position, BigInteger number, int repeats) {

    /**
     * {@code REPEATED_BODY} stands for an integer body ({@code { ... }} after the word {@code integer}) written byte for
     * byte like an earlier one, whose tokens are not made again.
     */
    enum Kind { IDENTIFIER, INTEGER, STRING, PUNCTUATOR, END, REPEATED_BODY }

    Token(Kind kind, String text, int position, BigInteger number) {
        this(kind, text, position, number, -1);
    }

    /**
     * Whether the token is this punctuator or word, given as a literal: the lexer interns identifier texts and
     * punctuators are literals, so identity decides (a kernel trace's metadata makes hundreds of thousands of
     * these tests, most of them failing).
     */
    boolean is(String punctuatorOrWord) {
        return text == punctuatorOrWord && (kind == Kind.PUNCTUATOR || kind == Kind.IDENTIFIER);
    }

    /** How the token reads in a message. */
    String describe() {
        return switch (kind) {
            case END -> "end of metadata";
            case STRING -> "string \"" + text + "\"";
            case INTEGER -> "integer " + text;
            case REPEATED_BODY -> "'{'";
            default -> "'" + text + "'";
        };
    }
}
