package org.vnetscope.ctf.meta;

/**
 * A {@code callsite} block: where in the traced program an event class is emitted (LTTng-UST writes them).
 *
 * @param eventName          the event class name it applies to
 * @param function           the function name, or null
 * @param instructionPointer the instruction address, 0 when not given
 * @param file               the source file, or null
 * @param line               the source line, 0 when not given
 */
public record Callsite(String eventName, String function, long instructionPointer, String file, long line) {
}
