package org.vnetscope.analysis.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vnetscope.ctf.Trace;
import org.vnetscope.ctf.meta.ClockClass;
import org.vnetscope.ctf.meta.StructType;
import org.vnetscope.ctf.meta.TraceClass;

/** Traces grouped by the host and boot that recorded them. */
class TraceHostsTest {

    private static final UUID BOOT_1 = UUID.fromString("2c649a2f-13ea-4205-a0b3-6336c94e7651");
    private static final UUID BOOT_2 = UUID.fromString("609e0a1f-4011-4be9-b082-9115b5cc5975");

    private static Trace trace(String directory, String hostname, String domain, UUID clockUuid) {
        Map<String, Object> env = new HashMap<>();
        if (hostname != null) {
            env.put("hostname", hostname);
        }
        env.put("domain", domain);
        Map<String, ClockClass> clocks = clockUuid == null ? Map.of()
                : Map.of("monotonic", new ClockClass("monotonic", clockUuid, null, 1_000_000_000L, 0, 0, 0, false));
        return new Trace(Path.of(directory), new TraceClass(1, 8, null, ByteOrder.LITTLE_ENDIAN,
                new StructType(List.of(), 8), env, clocks, Map.of()));
    }

    @Test
    void aHostsKernelAndUserSpaceTracesAreOneHost() {
        List<TraceHosts.Host> hosts = TraceHosts.of(List.of(
                trace("s/a/kernel", "hosta", "kernel", BOOT_1),
                trace("s/a/ust/uid/0/64-bit", "hosta", "ust", BOOT_1),
                trace("s/b/kernel", "hostb", "kernel", BOOT_2)));
        assertThat(hosts).extracting(TraceHosts.Host::name).containsExactly("hosta", "hostb");
        assertThat(hosts.get(0).directories()).containsExactly(Path.of("s/a/kernel"), Path.of("s/a/ust/uid/0/64-bit"));
        assertThat(hosts.get(0).clockUuid()).isEqualTo(BOOT_1.toString());
    }

    @Test
    void twoBootsOfOneHostAreTwoClocksAndSoTwoHosts() {
        List<TraceHosts.Host> hosts = TraceHosts.of(List.of(
                trace("monday/kernel", "web1", "kernel", BOOT_1),
                trace("tuesday/kernel", "web1", "kernel", BOOT_2),
                trace("tuesday/ust", "web1", "ust", BOOT_2)));
        assertThat(hosts).extracting(TraceHosts.Host::name).containsExactly("web1", "web1#2");
        assertThat(hosts.get(1).directories()).containsExactly(Path.of("tuesday/kernel"), Path.of("tuesday/ust"));
    }

    @Test
    void namesThatDifferOnlyInCaseAreToldApartAsBootsAre() {
        // two recordings' hosts, hostA and hosta: one name for two clocks, as the clock synchronization and
        // folders partitioned by host on a file system that ignores case see them
        List<TraceHosts.Host> hosts = TraceHosts.of(List.of(
                trace("lab4/hostA/kernel", "hostA", "kernel", BOOT_1),
                trace("lab5/hosta/kernel", "hosta", "kernel", BOOT_2)));
        assertThat(hosts).extracting(TraceHosts.Host::name).containsExactly("hostA", "hosta#2");
    }

    @Test
    void tracesThatNameNoHostAreEachAHostNamedAfterTheirFolder() {
        List<TraceHosts.Host> hosts = TraceHosts.of(List.of(
                trace("recordings/node7/trace/kernel", null, "kernel", null),
                trace("recordings/node8/trace/kernel", null, "kernel", null)));
        assertThat(hosts).extracting(TraceHosts.Host::name).containsExactly("node7", "node8");
        assertThat(hosts.get(0).clockUuid()).isNull();
    }
}
