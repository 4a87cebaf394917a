package org.vnetscope.ctf.internal.tsdl;

import java.util.List;
import org.vnetscope.ctf.Scope;
import org.vnetscope.ctf.meta.FieldType;

/**
 * A variant tag or sequence length as the metadata wrote it, before it is placed in a dynamic scope.
 *
 * @param text          the reference as written
 * @param position      text position, for messages
 * @param absoluteScope the scope of an absolute reference ({@code event.fields.x}), else null
 * @param path          the components after the scope prefix (absolute) or all of them (relative)
 * @param owner         for a relative reference found among the members of an enclosing structure while
 *                      parsing: that structure; else null (looked up once the field is placed)
 * @param ownerIndexes  member indexes from the owner down to the target (when owner is set)
 * @param target        the target's type when already known, else null
 */
record Reference(String text, int position, Scope absoluteScope, List<String> path, StructBuilder owner,
                 int[] ownerIndexes, FieldType target) {
}
