package org.vnetscope.analysis.topology;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Names of VMs, keyed by what a trace can show of them: the host-side device (a libvirt {@code <target dev>}),
 * a MAC address, or a network namespace inode. Filled from a mapping file and/or libvirt domain XML.
 *
 * <p>Mapping file: one VM per line, {@code name key...}, where each key is a device name, a MAC address
 * ({@code xx:xx:xx:xx:xx:xx}) or a namespace inode (digits); {@code #} starts a comment.
 */
public final class VmDirectory implements Serializable {

    private final Map<String, String> byDevice = new HashMap<>();
    private final Map<String, String> byMac = new HashMap<>();
    private final Map<Long, String> byNetns = new HashMap<>();
    private final Map<String, Size> sizes = new HashMap<>();

    /** A VM's size as its libvirt domain declares it ({@code <vcpu>}, {@code <memory unit=...>}). */
    public record Size(double cpu, long memoryMib) implements Serializable {
    }

    public static VmDirectory empty() {
        return new VmDirectory();
    }

    /** Reads a mapping file. */
    public VmDirectory addMapping(Path file) {
        try {
            int lineNumber = 0;
            for (String line : Files.readAllLines(file)) {
                lineNumber++;
                String content = line.replaceFirst("#.*", "").trim();
                if (content.isEmpty()) {
                    continue;
                }
                String[] words = content.split("\\s+");
                if (words.length < 2) {
                    throw new IllegalArgumentException(file + ":" + lineNumber + ": expected 'vm-name key...'");
                }
                for (int i = 1; i < words.length; i++) {
                    add(words[0], words[i]);
                }
            }
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read VM mapping " + file, e);
        }
    }

    /** Reads a libvirt domain XML file, or every {@code *.xml} of a folder. */
    public VmDirectory addLibvirt(Path fileOrFolder) {
        if (Files.isDirectory(fileOrFolder)) {
            try (Stream<Path> files = Files.list(fileOrFolder)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".xml")).sorted().toList()) {
                    addLibvirt(file);
                }
                return this;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + fileOrFolder, e);
            }
        }
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document document = factory.newDocumentBuilder().parse(fileOrFolder.toFile());
            NodeList names = document.getDocumentElement().getElementsByTagName("name");
            if (names.getLength() == 0) {
                throw new IllegalArgumentException(fileOrFolder + ": no <name> in the domain XML");
            }
            String domain = names.item(0).getTextContent().trim();
            NodeList vcpu = document.getDocumentElement().getElementsByTagName("vcpu");
            NodeList memory = document.getDocumentElement().getElementsByTagName("memory");
            if (vcpu.getLength() > 0 && memory.getLength() > 0) {
                Element amount = (Element) memory.item(0);
                sizes.put(domain, new Size(Double.parseDouble(vcpu.item(0).getTextContent().trim()),
                        mib(Double.parseDouble(amount.getTextContent().trim()), amount.getAttribute("unit"))));
            }
            NodeList interfaces = document.getElementsByTagName("interface");
            for (int i = 0; i < interfaces.getLength(); i++) {
                Element element = (Element) interfaces.item(i);
                attribute(element, "mac", "address").ifPresent(mac -> add(domain, mac));
                attribute(element, "target", "dev").ifPresent(dev -> add(domain, dev));
            }
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read libvirt XML " + fileOrFolder, e);
        } catch (javax.xml.parsers.ParserConfigurationException | org.xml.sax.SAXException e) {
            throw new IllegalArgumentException(fileOrFolder + ": not a libvirt domain XML: " + e.getMessage(), e);
        }
    }

    /** libvirt's memory units (KiB when none is given), in MiB. */
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

    /** The size the domain XML of a VM declares, or null. */
    public Size sizeOf(String vm) {
        return sizes.get(vm);
    }

    private static java.util.Optional<String> attribute(Element parent, String tag, String name) {
        NodeList children = parent.getElementsByTagName(tag);
        if (children.getLength() == 0) {
            return java.util.Optional.empty();
        }
        String value = ((Element) children.item(0)).getAttribute(name);
        return value.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(value);
    }

    private void add(String vm, String key) {
        if (key.matches("(?i)([0-9a-f]{2}:){5}[0-9a-f]{2}")) {
            byMac.put(key.toLowerCase(Locale.ROOT), vm);
        } else if (key.matches("\\d+")) {
            byNetns.put(Long.parseLong(key), vm);
        } else {
            byDevice.put(key, vm);
        }
    }

    /** The VM behind a port: by its device name, then the MACs learned on it, then its peer's namespace. */
    public String vmOf(String device, List<String> macs, Long peerNetns) {
        String vm = byDevice.get(device);
        for (int i = 0; vm == null && i < macs.size(); i++) {
            vm = byMac.get(macs.get(i));
        }
        if (vm == null && peerNetns != null) {
            vm = byNetns.get(peerNetns);
        }
        return vm;
    }

    /** Every VM name known, for listings. */
    public List<String> names() {
        List<String> all = new ArrayList<>();
        Stream.of(byDevice.values(), byMac.values(), byNetns.values()).flatMap(c -> c.stream()).distinct()
                .sorted().forEach(all::add);
        return all;
    }
}
