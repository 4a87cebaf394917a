package org.vnetscope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.vnetscope.placement.Demand;
import org.vnetscope.placement.HostSpec;
import org.vnetscope.placement.VmSpec;

/**
 * The files {@code vnetscope placement} reads: HOSTS.json and MATRIX.json. A
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
        List<HostSpec> list = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) {
            JsonNode host = hosts.get(i);
            String where = file + ": hosts[" + i + "]";
            list.add(new HostSpec(text(host, "name", where), number(host, "cpu", where),
                    (long) number(host, "memory_mib", where), (long) host.path("nic_bits_per_second").asDouble(0)));
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
