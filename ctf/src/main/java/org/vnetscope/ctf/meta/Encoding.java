package org.vnetscope.ctf.meta;

/** Text encoding of an integer (a character) or a string. */
public enum Encoding { NONE, UTF8, ASCII }
