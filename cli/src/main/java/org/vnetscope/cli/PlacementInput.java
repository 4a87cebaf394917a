package org.vnetscope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.vnetscope.document.ReportJson;
import org.vnetscope.placement.Demand;
import org.vnetscope.placement.HostSpec;
import org.vnetscope.placement.Substrate;
import org.vnetscope.placement.VmSpec;

/**
 * The files {@code vnetscope placement} reads: HOSTS.json, MATRIX.json and SUBSTRATE.json. A
 * file that cannot be used is an {@link IllegalArgumentException} naming it and what is wrong.
 */
final class PlacementInput {

    /** A matrix file's content. */
    record Matrix(List<VmSpec> vms, List<Demand> demands, long binNs, long windowNs) {
    }

    private PlacementInput() {
    }

    /** {@code {"hosts":[{"name","cpu","memory_mib","nic_bits_per_second"}]}} */
    static List<HostSpec> hosts(Path file) {
        JsonNode root = read(file);
        JsonNode hosts = root.path("hosts");
        if (!hosts.isArray() || hosts.isEmpty()) {
            throw new IllegalArgumentException(file + ": expected {\"hosts\": [{\"name\", \"cpu\", \"memory_mib\", "
                    + "\"nic_bits_per_second\"}, ...]}");
        }
        return hostList(file, hosts);
    }

    /**
     * {@code {"hosts":[...] (optional), "switches":[{"name"}], "links":[{"a","b","bits_per_second"}],
     * "tenants":[{"name","vms":[...]}] (optional)}}
     */
    static Substrate substrate(Path file) {
        JsonNode root = read(file);
        JsonNode links = root.path("links");
        if (!root.isObject() || !links.isArray()) {
            throw new IllegalArgumentException(file + ": expected {\"switches\": [{\"name\"}, ...], \"links\": "
                    + "[{\"a\", \"b\", \"bits_per_second\"}, ...]}, optionally \"hosts\" and \"tenants\"");
        }
        List<HostSpec> hosts = root.has("hosts") ? hostList(file, array(root, "hosts", file)) : List.of();
        List<String> switches = new ArrayList<>();
        JsonNode switchNodes = root.has("switches") ? array(root, "switches", file) : ReportJson.MAPPER.createArrayNode();
        for (int i = 0; i < switchNodes.size(); i++) {
            JsonNode node = switchNodes.get(i);
            switches.add(node.isTextual() ? node.asText() : text(node, "name", file + ": switches[" + i + "]"));
        }
        List<Substrate.Link> linkList = new ArrayList<>();
        for (int i = 0; i < links.size(); i++) {
            JsonNode link = links.get(i);
            String where = file + ": links[" + i + "]";
            String a = text(link, "a", where);
            String b = text(link, "b", where);
            double bps = number(link, "bits_per_second", where);
            linkList.add(within(where, () -> new Substrate.Link(a, b, (long) bps)));
        }
        List<Substrate.Tenant> tenants = new ArrayList<>();
        JsonNode tenantNodes = root.has("tenants") ? array(root, "tenants", file) : ReportJson.MAPPER.createArrayNode();
        for (int i = 0; i < tenantNodes.size(); i++) {
            JsonNode tenant = tenantNodes.get(i);
            String where = file + ": tenants[" + i + "]";
            String name = text(tenant, "name", where);
            JsonNode vms = tenant.path("vms");
            List<String> names = new ArrayList<>();
            if (vms.isArray()) {
                vms.forEach(vm -> names.add(vm.asText()));
            }
            if (!vms.isArray() || names.isEmpty() || names.stream().anyMatch(String::isBlank)) {
                throw new IllegalArgumentException(where + ": \"vms\" (a list of VM names) is missing or empty");
            }
            tenants.add(within(where, () -> new Substrate.Tenant(name, names)));
        }
        return within(file.toString(), () -> new Substrate(hosts, switches, linkList, tenants));
    }

    /**
     * The hosts a substrate file and a hosts file give: either one's, or both's when they agree (the same hosts with
     * the same capacities).
     */
    static List<HostSpec> agreeingHosts(Path hostsFile, List<HostSpec> fromHosts, Path substrateFile,
                                        List<HostSpec> fromSubstrate) {
        if (fromHosts == null || fromSubstrate.isEmpty()) {
            if (fromHosts == null && fromSubstrate.isEmpty()) {
                throw new IllegalArgumentException(substrateFile + ": lists no hosts; give them there or with --hosts");
            }
            return fromHosts != null ? fromHosts : fromSubstrate;
        }
        for (HostSpec host : fromSubstrate) {
            HostSpec other = fromHosts.stream().filter(h -> h.name().equals(host.name())).findFirst().orElse(null);
            if (other == null) {
                throw new IllegalArgumentException(substrateFile + ": lists host " + host.name() + ", which "
                        + hostsFile + " does not");
            }
            if (!other.equals(host)) {
                throw new IllegalArgumentException(substrateFile + ": host " + host.name() + " has " + capacities(host)
                        + ", " + hostsFile + " " + capacities(other));
            }
        }
        for (HostSpec host : fromHosts) {
            if (fromSubstrate.stream().noneMatch(h -> h.name().equals(host.name()))) {
                throw new IllegalArgumentException(hostsFile + ": lists host " + host.name() + ", which "
                        + substrateFile + " does not");
            }
        }
        return fromHosts;
    }

    private static String capacities(HostSpec host) {
        return host.cpu() + " vCPU, " + host.memoryMib() + " MiB and a NIC of " + host.nicBitsPerSecond() + " bit/s";
    }

    private static List<HostSpec> hostList(Path file, JsonNode hosts) {
        List<HostSpec> list = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) {
            JsonNode host = hosts.get(i);
            String where = file + ": hosts[" + i + "]";
            String name = text(host, "name", where);
            double cpu = number(host, "cpu", where);
            long memory = (long) number(host, "memory_mib", where);
            long nic = (long) host.path("nic_bits_per_second").asDouble(0);
            list.add(within(where, () -> new HostSpec(name, cpu, memory, nic)));
        }
        return list;
    }

    /**
     * {@code {"vms":[{"name","host","cpu","memory_mib"}],"traffic":[{"a","b","bytes"}]}}, optionally
     * {@code "bin_s"} with a {@code "bins"} series per traffic entry, and {@code "window_s"}.
     */
    static Matrix matrix(Path file) {
        JsonNode root = read(file);
        JsonNode vms = root.path("vms");
        JsonNode traffic = root.path("traffic");
        if (!vms.isArray() || !traffic.isArray()) {
            throw new IllegalArgumentException(file + ": expected {\"vms\": [{\"name\", \"host\", \"cpu\", "
                    + "\"memory_mib\"}], \"traffic\": [{\"a\", \"b\", \"bytes\"}]}");
        }
        List<VmSpec> vmList = new ArrayList<>();
        for (int i = 0; i < vms.size(); i++) {
            JsonNode vm = vms.get(i);
            String where = file + ": vms[" + i + "]";
            vmList.add(new VmSpec(text(vm, "name", where), vm.path("host").isTextual() ? vm.get("host").asText() : null,
                    number(vm, "cpu", where), (long) number(vm, "memory_mib", where), null));
        }
        long binNs = (long) (root.path("bin_s").asDouble(0) * 1e9);
        List<Demand> demands = new ArrayList<>();
        for (int i = 0; i < traffic.size(); i++) {
            JsonNode pair = traffic.get(i);
            String where = file + ": traffic[" + i + "]";
            long[] bins = null;
            if (binNs > 0 && pair.path("bins").isArray()) {
                bins = new long[pair.get("bins").size()];
                for (int b = 0; b < bins.length; b++) {
                    bins[b] = pair.get("bins").get(b).asLong();
                }
            }
            demands.add(new Demand(text(pair, "a", where), text(pair, "b", where), (long) number(pair, "bytes", where),
                    bins));
        }
        return new Matrix(vmList, demands, binNs, (long) (root.path("window_s").asDouble(0) * 1e9));
    }

    private static JsonNode array(JsonNode root, String field, Path file) {
        JsonNode node = root.get(field);
        if (!node.isArray()) {
            throw new IllegalArgumentException(file + ": \"" + field + "\" must be a list");
        }
        return node;
    }

    /** Builds a value, a refusal becoming a message that says where. */
    private static <T> T within(String where, java.util.function.Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode read(Path file) {
        try {
            return ReportJson.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not readable JSON (" + e.getMessage().lines().findFirst()
                    .orElse("") + ")");
        }
    }

    private static String text(JsonNode node, String field, String where) {
        if (!node.path(field).isTextual()) {
            throw new IllegalArgumentException(where + ": \"" + field + "\" (a string) is missing");
        }
        return node.get(field).asText();
    }

    private static double number(JsonNode node, String field, String where) {
        if (!node.path(field).isNumber()) {
            throw new IllegalArgumentException(where + ": \"" + field + "\" (a number) is missing");
        }
        return node.get(field).asDouble();
    }
}
