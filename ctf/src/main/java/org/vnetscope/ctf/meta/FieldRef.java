package org.vnetscope.ctf.meta;

import java.util.List;
import org.vnetscope.ctf.Scope;

/**
 * A resolved reference to a field decoded earlier (a variant's tag, a sequence's length): the dynamic scope it
 * lives in and the names of the structure fields (and variant options) from that scope's root down to it.
 * Relative references of the metadata are already resolved against the enclosing structures. At decode time
 * the reference designates the most recently decoded instance along that path (inside arrays, the current
 * element).
 */
public record FieldRef(Scope scope, List<String> path) {

    public FieldRef {
        path = List.copyOf(path);
    }

    @Override
    public String toString() {
        return scope + ":" + String.join(".", path);
    }
}
