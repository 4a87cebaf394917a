package org.vnetscope.ctf.internal.tsdl;

import java.math.BigInteger;

/**
 * A lexical token of TSDL.
 *
 * @param kind     what the token is
 * @param text     the identifier, the punctuator, the decoded string literal value, or the integer as written
 * @param position text position of its first character
 * @param number   the value of an integer literal (0 to 2^64-1), else null
 */
record Token(Kind kind, String text, int position, BigInteger number) {

    enum Kind { IDENTIFIER, INTEGER, STRING, PUNCTUATOR, END }

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
            default -> "'" + text + "'";
        };
    }
}
