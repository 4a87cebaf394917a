package org.vnetscope.ctf;

/** The dynamic scopes of CTF, in the order they are decoded for an event. */
public enum Scope {
    PACKET_HEADER,
    PACKET_CONTEXT,
    EVENT_HEADER,
    STREAM_EVENT_CONTEXT,
    EVENT_CONTEXT,
    EVENT_PAYLOAD
}
