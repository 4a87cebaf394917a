package org.vnetscope.analysis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Kernel symbols from a {@code /proc/kallsyms} copy (plain or gzip), to name the code that freed a packet:
 * {@code icmp_rcv+0x1b1}, {@code br_pass_frame_up [bridge]+0x1b7}. Only text symbols are kept.
 */
public final class Kallsyms implements Serializable {

    private final long[] addresses;
    private final String[] names;

    private Kallsyms(long[] addresses, String[] names) {
        this.addresses = addresses;
        this.names = names;
    }

    /**
     * Reads a kallsyms file.
     *
     * @throws UncheckedIOException when it cannot be read
     * @throws IllegalArgumentException when it has no text symbols (e.g. read without privileges: all zeros)
     */
    public static Kallsyms read(Path file) {
        record Symbol(long address, String name) { }
        List<Symbol> symbols = new ArrayList<>();
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
             BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                String[] parts = line.split("\\s+");
                if (parts.length < 3 || !(parts[1].equals("t") || parts[1].equals("T"))) {
                    continue;
                }
                long address = Long.parseUnsignedLong(parts[0], 16);
                if (address == 0) {
                    continue;
                }
                String name = parts.length > 3 ? parts[2] + " " + parts[3] : parts[2];
                symbols.add(new Symbol(address, name));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read kallsyms: " + e.getMessage(), e);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ": not a kallsyms file: " + e.getMessage());
        }
        if (symbols.isEmpty()) {
            throw new IllegalArgumentException(file + ": no kernel text symbols (zero addresses need root)");
        }
        symbols.sort((a, b) -> Long.compareUnsigned(a.address(), b.address()));
        long[] addresses = new long[symbols.size()];
        String[] names = new String[symbols.size()];
        for (int i = 0; i < addresses.length; i++) {
            addresses[i] = symbols.get(i).address();
            names[i] = symbols.get(i).name();
        }
        return new Kallsyms(addresses, names);
    }

    /** {@code symbol+0xoffset} for an address, or null when it lies before every symbol. */
    public String symbolize(long address) {
        int low = 0;
        int high = addresses.length - 1;
        int found = -1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            if (Long.compareUnsigned(addresses[middle], address) <= 0) {
                found = middle;
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        if (found < 0) {
            return null;
        }
        return names[found] + "+0x" + Long.toHexString(address - addresses[found]);
    }

    int size() {
        return addresses.length;
    }
}
