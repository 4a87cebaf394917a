package org.vnetscope.ctf.meta;

/**
 * A named member of a structure or an option of a variant.
 *
 * @param name the name as written in the metadata, without the one leading underscore that CTF 1.8 strips
 *             from identifiers (so {@code _skbaddr} is {@code skbaddr})
 */
public record Field(String name, FieldType type) {
}
