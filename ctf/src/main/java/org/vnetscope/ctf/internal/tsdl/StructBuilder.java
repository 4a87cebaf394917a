package org.vnetscope.ctf.internal.tsdl;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.vnetscope.ctf.meta.Field;
import org.vnetscope.ctf.meta.FieldType;
import org.vnetscope.ctf.meta.StructType;

/**
 * The members of a structure (or the options of a variant) while its body is parsed: relative references made
 * inside the body are looked up here, among the members declared so far.
 */
final class StructBuilder {

    final List<String> writtenNames = new ArrayList<>();
    final List<FieldType> types = new ArrayList<>();
    /** The finished structure, set once the body is complete; identifies the owner of lexical references. */
    StructType built;

    boolean contains(String writtenName) {
        return writtenNames.contains(writtenName);
    }

    void add(String writtenName, FieldType type) {
        writtenNames.add(writtenName);
        types.add(type);
    }

    /**
     * Index of the member a reference component designates: the member written exactly so, else the one whose
     * name without its escaping underscore is so.
     */
    int find(String component) {
        int index = writtenNames.indexOf(component);
        if (index >= 0) {
            return index;
        }
        for (int i = 0; i < writtenNames.size(); i++) {
            if (unescape(writtenNames.get(i)).equals(component)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The members with their model names: CTF 1.8 drops one leading underscore of a name, unless that would make it
     * equal to another member's name as written (then the name is kept as written, so names stay distinct).
     */
    List<Field> fields() {
        Set<String> written = null;
        List<Field> fields = new ArrayList<>(types.size());
        for (int i = 0; i < types.size(); i++) {
            String name = writtenNames.get(i);
            if (name.startsWith("_")) {
                // Only names with a leading underscore need the set of written names: made for the first one.
                if (written == null) {
                    written = new HashSet<>(writtenNames);
                }
                String unescaped = name.substring(1);
                if (!written.contains(unescaped)) {
                    name = unescaped;
                }
            }
            fields.add(new Field(name, types.get(i)));
        }
        return fields;
    }

    static String unescape(String name) {
        return name.startsWith("_") ? name.substring(1) : name;
    }
}
