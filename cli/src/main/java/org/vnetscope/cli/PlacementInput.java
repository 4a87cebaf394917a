package org.vnetscope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.vnetscope.placement.Demand;
import org.vnetscope.placement.HostSpec;
import org.vnetscope.placement.VmSpec;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The files {@code vnetscope placement} reads: HOSTS.json, MATRIX.json and the sizes in libvirt domain XML. A
 * file that cannot be used is an {@link IllegalArgumentException} naming it and what is wrong.
 */
final class PlacementInput {

    /** A matrix file's content. */
    record Matrix(List<VmSpec> vms, List<Demand> demands, long binNs, long windowNs) {
    }

    /** A VM's size as libvirt declares it. */
    record Size(double cpu, long memoryMib) {
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

    /** vCPUs and memory of each domain in a libvirt XML file or folder, by domain name. */
    static Map<String, Size> libvirtSizes(List<Path> paths) {
        Map<String, Size> sizes = new HashMap<>();
        for (Path path : paths) {
            List<Path> files;
            try (Stream<Path> listing = Files.isDirectory(path) ? Files.list(path) : Stream.of(path)) {
                files = listing.filter(f -> f.toString().endsWith(".xml") || !Files.isDirectory(path)).sorted().toList();
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot list " + path + ": " + e.getMessage());
            }
            for (Path file : files) {
                try {
                    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
                    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
                    Document document = factory.newDocumentBuilder().parse(file.toFile());
                    Element domain = document.getDocumentElement();
                    String name = child(domain, "name");
                    String vcpu = child(domain, "vcpu");
                    String memory = child(domain, "memory");
                    if (name == null || vcpu == null || memory == null) {
                        continue;
                    }
                    String unit = ((Element) domain.getElementsByTagName("memory").item(0)).getAttribute("unit");
                    sizes.put(name, new Size(Double.parseDouble(vcpu.trim()), mib(Double.parseDouble(memory.trim()), unit)));
                } catch (Exception e) {
                    throw new IllegalArgumentException(file + ": not a libvirt domain XML (" + e.getMessage() + ")");
                }
            }
        }
        return sizes;
    }

    /** libvirt's memory units (KiB when none is given). */
    static long mib(double amount, String unit) {
        double bytes = switch (unit == null || unit.isEmpty() ? "KiB" : unit) {
            case "b", "bytes" -> amount;
            case "KB" -> amount * 1e3;
            case "k", "KiB" -> amount * 1024;
            case "MB" -> amount * 1e6;
            case "M", "MiB" -> amount * 1024 * 1024;
            case "GB" -> amount * 1e9;
            case "G", "GiB" -> amount * 1024 * 1024 * 1024;
            case "TB" -> amount * 1e12;
            case "T", "TiB" -> amount * 1024.0 * 1024 * 1024 * 1024;
            default -> throw new IllegalArgumentException("unknown memory unit " + unit);
        };
        return Math.round(bytes / (1024 * 1024));
    }

    private static String child(Element parent, String tag) {
        var nodes = parent.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent();
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
