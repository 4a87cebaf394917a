package org.vnetscope.analysis.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vnetscope.analysis.AnalysisOptions;
import org.vnetscope.analysis.AnalysisReport;
import org.vnetscope.analysis.NetworkAnalysis;

/**
 * Traces recorded with LTTng's network addon module, as Trace Compass's synchronization test traces are: TCP
 * segments as the local socket sent them ({@code inet_sock_local_out}) and received them
 * ({@code inet_sock_local_in}), with the header fields the module records ({@code sk}, {@code seq},
 * {@code ack_seq}, {@code check}, {@code window}, {@code flags}, big-endian, names with the old leading
 * underscore). No such trace is at hand, so two are written: a client and a server whose clock reads 3 s ahead
 * and runs 20 ppm fast. The analysis must read the events and synchronization find that clock.
 */
class SocketAddonEventsTest {

    private static final long SECOND = 1_000_000_000L;
    private static final long START = 1_600_000_000L * SECOND;
    private static final long SERVER_AHEAD = 3 * SECOND;
    private static final double SERVER_PPM = 20;
    private static final String FIELDS = """
            fields := struct {
                    integer { size = 64; align = 8; signed = 0; base = 16; } _sk;
                    integer { size = 32; align = 8; signed = 0; byte_order = be; base = 16; } _seq;
                    integer { size = 32; align = 8; signed = 0; byte_order = be; base = 16; } _ack_seq;
                    integer { size = 16; align = 8; signed = 0; byte_order = be; base = 16; } _check;
                    integer { size = 16; align = 8; signed = 0; byte_order = be; base = 16; } _window;
                    integer { size = 16; align = 8; signed = 0; byte_order = be; base = 16; } _flags;
                };""";

    private record Segment(long timeNs, boolean out, long sequence, long ack, int window) {
    }

    private static long serverClock(long trueNs) {
        return trueNs + SERVER_AHEAD + Math.round((trueNs - START) * SERVER_PPM * 1e-6);
    }

    @Test
    void addonEventsAreMatchedAndTheServerClockFound(@TempDir Path dir) throws IOException {
        Random random = new Random(42);
        List<Segment> client = new ArrayList<>();
        List<Segment> server = new ArrayList<>();
        long clientSequence = 1_000_000;
        long serverSequence = 3_000_000_000L;
        int exchanges = 300;
        for (int i = 0; i < exchanges; i++) {
            long request = START + SECOND + i * 50_000_000L + random.nextInt(1_000_000);
            long arrives = request + 60_000 + (long) (-Math.log(1 - random.nextDouble()) * 40_000);
            int window = 500 + random.nextInt(100);
            client.add(new Segment(request, true, clientSequence, serverSequence, window));
            server.add(new Segment(serverClock(arrives), false, clientSequence, serverSequence, window));
            clientSequence += 100 + random.nextInt(1000);
            long reply = arrives + 150_000;
            long back = reply + 60_000 + (long) (-Math.log(1 - random.nextDouble()) * 40_000);
            server.add(new Segment(serverClock(reply), true, serverSequence, clientSequence, window + 7));
            client.add(new Segment(back, false, serverSequence, clientSequence, window + 7));
            serverSequence = (serverSequence + 200 + random.nextInt(3000)) & 0xFFFF_FFFFL;
        }
        Path clientTrace = write(dir.resolve("client"), "client", client);
        Path serverTrace = write(dir.resolve("server"), "server", server);
        AnalysisReport clientReport = NetworkAnalysis.analyze(clientTrace, AnalysisOptions.defaults());
        AnalysisReport serverReport = NetworkAnalysis.analyze(serverTrace, AnalysisOptions.defaults());
        assertThat(clientReport.boundaryPackets().size()).isEqualTo(2 * exchanges);
        assertThat(clientReport.boundaryPackets().outgoing()).isEqualTo(exchanges);

        ClockSync.Result result = ClockSync.synchronize(
                List.of(ClockSync.Host.of(clientReport), ClockSync.Host.of(serverReport)), "client");
        ClockSync.Transform transform = result.transforms().get(1);
        assertThat(transform.host()).isEqualTo("server");
        assertThat(transform.quality()).isEqualTo(SyncQuality.ACCURATE);
        assertThat(transform.matchesSent()).isEqualTo(exchanges);
        assertThat(transform.matchesReceived()).isEqualTo(exchanges);
        // the server's middle time back on the client's (true) clock
        long middle = transform.middleNs();
        double trueTime = START + (middle - SERVER_AHEAD - START) / (1 + SERVER_PPM * 1e-6);
        assertThat(Math.abs(transform.toReference(middle) - trueTime)).isLessThanOrEqualTo(transform.accuracyNs() + 1.0);
        assertThat(transform.driftPpm()).isCloseTo(-SERVER_PPM, org.assertj.core.data.Offset.offset(1.0));
        assertThat(result.pairs().get(0).violations()).isZero();
    }

    /** A CTF 1.8 trace of addon events: plain-text metadata and one stream without packet header. */
    private static Path write(Path trace, String hostname, List<Segment> segments) throws IOException {
        Files.createDirectories(trace);
        long clockOrigin = START - SECOND;
        String metadata = "/* CTF 1.8 */\n"
                + "trace { major = 1; minor = 8; byte_order = le; };\n"
                + "env { hostname = \"" + hostname + "\"; domain = \"kernel\"; };\n"
                + "clock { name = \"monotonic\"; uuid = \"" + UUID.nameUUIDFromBytes(hostname.getBytes(StandardCharsets.UTF_8))
                + "\"; freq = 1000000000; offset = " + clockOrigin + "; };\n"
                + "typealias integer { size = 64; align = 8; signed = false; map = clock.monotonic.value; }"
                + " := uint64_clock_monotonic_t;\n"
                + "typealias integer { size = 32; align = 8; signed = false; } := uint32_t;\n"
                + "stream { event.header := struct { uint32_t id; uint64_clock_monotonic_t timestamp; }; };\n"
                + "event { name = \"inet_sock_local_out\"; id = 0; " + FIELDS + " };\n"
                + "event { name = \"inet_sock_local_in\"; id = 1; " + FIELDS + " };\n";
        Files.writeString(trace.resolve("metadata"), metadata, StandardCharsets.US_ASCII);
        List<Segment> ordered = new ArrayList<>(segments);
        ordered.sort(Comparator.comparingLong(Segment::timeNs));
        ByteBuffer stream = ByteBuffer.allocate(ordered.size() * 34);
        for (Segment segment : ordered) {
            stream.order(ByteOrder.LITTLE_ENDIAN);
            stream.putInt(segment.out() ? 0 : 1);
            stream.putLong(segment.timeNs() - clockOrigin);
            stream.putLong(0xFFFF_8880_0000_1000L);
            stream.order(ByteOrder.BIG_ENDIAN);
            stream.putInt((int) segment.sequence());
            stream.putInt((int) segment.ack());
            stream.putShort((short) 0x1234);
            stream.putShort((short) segment.window());
            stream.putShort((short) 0x5010);
        }
        Files.write(trace.resolve("chan0_0"), stream.array());
        return trace;
    }
}
