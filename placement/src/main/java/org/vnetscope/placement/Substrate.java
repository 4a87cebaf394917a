package org.vnetscope.placement;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The physical network VMs' traffic crosses between hosts: switches and the links joining them to the hosts and to
 * each other, each with its capacity, and optionally the tenants' virtual networks (groups of VMs) to embed.
 *
 * @param hosts    the hosts with their capacities, or empty when they are given apart (HOSTS.json)
 * @param switches the switches' names
 * @param links    the links, undirected: a link's capacity is shared by both directions, as a host's NIC is
 * @param tenants  declared tenant networks; VMs no tenant names form tenants of their own, one per connected
 *                 group of the traffic graph
 */
public record Substrate(List<HostSpec> hosts, List<String> switches, List<Link> links, List<Tenant> tenants) {

    /**
     * @param a             one end: a host or a switch
     * @param b             the other end
     * @param bitsPerSecond what the link carries, both directions together, in bits/s
     */
    public record Link(String a, String b, long bitsPerSecond) {

        public Link {
            if (a == null || a.isBlank() || b == null || b.isBlank()) {
                throw new IllegalArgumentException("a link needs two ends (\"a\" and \"b\")");
            }
            if (a.equals(b)) {
                throw new IllegalArgumentException("link " + a + "-" + b + " joins " + a + " to itself");
            }
            if (bitsPerSecond <= 0) {
                throw new IllegalArgumentException("link " + a + "-" + b + ": its capacity (bits_per_second) must be "
                        + "positive, not " + bitsPerSecond);
            }
        }

        public String name() {
            return a + "-" + b;
        }
    }

    /**
     * @param name the tenant's name
     * @param vms  its VMs, by the names the traffic knows them by
     */
    public record Tenant(String name, List<String> vms) {

        public Tenant {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a tenant needs a name");
            }
            if (vms == null || vms.isEmpty()) {
                throw new IllegalArgumentException("tenant " + name + " names no VM");
            }
            vms = List.copyOf(vms);
        }
    }

    public Substrate {
        hosts = List.copyOf(hosts);
        switches = List.copyOf(switches);
        links = List.copyOf(links);
        tenants = List.copyOf(tenants);
        Set<String> seen = new HashSet<>();
        for (HostSpec host : hosts) {
            if (!seen.add(host.name())) {
                throw new IllegalArgumentException("host " + host.name() + " is named twice");
            }
        }
        for (String name : switches) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a switch needs a name");
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException("switch " + name + " is named twice (or also names a host)");
            }
        }
        Set<String> tenantNames = new HashSet<>();
        Map<String, String> tenantOf = new HashMap<>();
        for (Tenant tenant : tenants) {
            if (!tenantNames.add(tenant.name())) {
                throw new IllegalArgumentException("tenant " + tenant.name() + " is named twice");
            }
            for (String vm : tenant.vms()) {
                String other = tenantOf.putIfAbsent(vm, tenant.name());
                if (other != null) {
                    throw new IllegalArgumentException("VM " + vm + " is in tenant " + other + " and in tenant "
                            + tenant.name());
                }
            }
        }
    }

    /**
     * Checks the links against the hosts the problem has (this file's or HOSTS.json's): every end a host or a
     * switch, no host named as a switch.
     */
    public void check(List<HostSpec> problemHosts) {
        Set<String> hostNames = new HashSet<>();
        problemHosts.forEach(h -> hostNames.add(h.name()));
        for (String name : switches) {
            if (hostNames.contains(name)) {
                throw new IllegalArgumentException("switch " + name + " is also a host's name");
            }
        }
        Set<String> switchNames = new HashSet<>(switches);
        for (Link link : links) {
            for (String end : List.of(link.a(), link.b())) {
                if (!hostNames.contains(end) && !switchNames.contains(end)) {
                    throw new IllegalArgumentException("link " + link.name() + " names " + end
                            + ", which is neither a host nor a switch");
                }
            }
        }
    }

    /** Checks the declared tenants against the VMs: each VM a tenant names must exist. */
    public void checkTenants(Set<String> vmNames) {
        for (Tenant tenant : tenants) {
            for (String vm : tenant.vms()) {
                if (!vmNames.contains(vm)) {
                    throw new IllegalArgumentException("tenant " + tenant.name() + " names VM " + vm
                            + ", which is not among the VMs");
                }
            }
        }
    }
}
