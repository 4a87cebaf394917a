package org.vnetscope.analysis;

import java.io.Serializable;

/**
 * Drops of one kind: same interface, reason and freeing code.
 *
 * @param iface    label of the interface where the skbs were last seen, or null when they never appeared on one
 * @param reason   drop reason label from the trace's enum, its number when the trace left it unmapped, or null
 *                 when the trace has no reason field
 * @param address  kernel address of the code that freed them
 * @param location that address as {@code symbol+0xoffset} when kallsyms were given, else as hex
 * @param ethertype the skbs' protocol (0x0800 IPv4, 0x0806 ARP)
 * @param packets  how many
 * @param netns    the interface's namespace inode as the interface table shows it, or null; what tells apart
 *                 rows of pairs with the same names (a user-space relay per VM)
 */
public record DropReport(String iface, String reason, long address, String location, int ethertype,
                         long packets, Long netns) implements Serializable {
}
