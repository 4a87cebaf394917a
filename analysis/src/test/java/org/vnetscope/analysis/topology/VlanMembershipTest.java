package org.vnetscope.analysis.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.vnetscope.analysis.InterfaceIdentities;
import org.vnetscope.analysis.SyntheticEvent;
import org.vnetscope.ctf.FieldKey;

/**
 * The VLAN rule on forwarding-database sequences the lab traces do not hold: a filtering bridge, a bridge with no
 * VLAN evidence, a VLAN leaving a port that stays, a removal whose local entries come in another order, the
 * bridge's own entries, a requested entry the kernel may refuse, and parts merged at every cut.
 */
class VlanMembershipTest {

    private static final FieldKey BR_DEV = FieldKey.of("br_dev");
    private static final FieldKey DEV = FieldKey.of("dev");
    private static final FieldKey ADDR = FieldKey.of("addr");
    private static final FieldKey VID = FieldKey.of("vid");
    private static final FieldKey FLAGS = FieldKey.of("flags");
    private static final FieldKey ADDED_BY_USER = FieldKey.of("added_by_user");
    private static final FieldKey NDM_FLAGS = FieldKey.of("ndm_flags");
    private static final long LOCAL_AND_STATIC = 0x3;
    private static final long STATIC_BY_USER = 0xA;

    /** One FDB event, applied to a builder. */
    private record Step(long timeNs, Consumer<TopologyBuilder> apply) {
    }

    private static Step learned(long timeNs, String port, int mac, int vid) {
        SyntheticEvent event = new SyntheticEvent(timeNs).with(BR_DEV, "br0").with(DEV, port).with(ADDR, mac(mac))
                .with(VID, vid).with(FLAGS, 0L).with(ADDED_BY_USER, 0L);
        return new Step(timeNs, builder -> builder.onUpdate(event));
    }

    private static Step deleted(long timeNs, String device, int mac, int vid, long flags) {
        SyntheticEvent event = new SyntheticEvent(timeNs).with(BR_DEV, "br0").with(DEV, device).with(ADDR, mac(mac))
                .with(VID, vid).with(FLAGS, flags);
        return new Step(timeNs, builder -> builder.onDelete(event));
    }

    private static Step requested(long timeNs, String port, int mac, int vid) {
        SyntheticEvent event = new SyntheticEvent(timeNs).with(NDM_FLAGS, 0x4L).with(DEV, port).with(ADDR, mac(mac))
                .with(VID, vid);
        return new Step(timeNs, builder -> builder.onAdd(event));
    }

    /** The removal of a port: its local entries, one per VLAN and one without, in the order given. */
    private static List<Step> removal(long timeNs, String port, int mac, int... vids) {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < vids.length; i++) {
            steps.add(deleted(timeNs + i * 100L, port, mac, vids[i], LOCAL_AND_STATIC));
        }
        return steps;
    }

    private static byte[] mac(int last) {
        return new byte[] {0x52, 0x54, 0, 0, 0, (byte) last};
    }

    private static Topology topology(List<Step> steps) {
        TopologyBuilder builder = new TopologyBuilder();
        steps.forEach(step -> step.apply.accept(builder));
        return builder.result(VmDirectory.empty(), new InterfaceIdentities());
    }

    private static Topology.Bridge bridge(Topology topology) {
        assertThat(topology.bridges()).extracting(Topology.Bridge::name).containsExactly("br0");
        return topology.bridges().get(0);
    }

    /** Each port's VLANs, as "vid pvid untagged source [until]". */
    private static Map<String, List<String>> vlans(Topology topology) {
        Map<String, List<String>> vlans = new TreeMap<>();
        for (Topology.Port port : bridge(topology).ports()) {
            vlans.put(port.name(), port.vlanMembership().stream().map(VlanMembershipTest::describe).toList());
        }
        return vlans;
    }

    private static String describe(Topology.Vlan vlan) {
        return vlan.vid() + " " + vlan.pvid() + " " + vlan.untagged() + " " + vlan.source()
                + (vlan.untilNs() == null ? "" : " until " + vlan.untilNs());
    }

    @Test
    void aFilteringBridgeShowsTheLearnedVlansOfEachPortAndInfersNothing() {
        Topology topology = topology(List.of(learned(10, "vnet0", 1, 10), learned(20, "vnet1", 2, 20),
                learned(30, "vnet0", 3, 10), deleted(40, "vnet2", 4, 0, STATIC_BY_USER)));
        assertThat(bridge(topology).vlanFiltering()).isTrue();
        assertThat(bridge(topology).defaultPvid()).isNull();
        assertThat(bridge(topology).vlanMembership()).isEmpty();
        // learned on VLAN 10 proves the membership; whether 10 is the PVID or tagged there, no event tells
        assertThat(vlans(topology)).isEqualTo(Map.of("vnet0", List.of("10 null null fdb"),
                "vnet1", List.of("20 null null fdb"), "vnet2", List.of()));
        assertThat(bridge(topology).ports().get(0).vlanMembership().get(0).seenNs()).isEqualTo(10L);
    }

    @Test
    void aNonFilteringBridgeWithoutVlanEvidenceIsAssumedToKeepTheKernelsDefaultPvid() {
        Topology topology = topology(List.of(learned(10, "vnet0", 1, 0), learned(20, "vnet1", 2, 0),
                deleted(30, "vnet1", 2, 0, 0)));
        Topology.Bridge bridge = bridge(topology);
        assertThat(bridge.vlanFiltering()).isFalse();
        assertThat(bridge.defaultPvid()).isEqualTo(1);
        assertThat(bridge.defaultPvidSource()).isEqualTo("kernel_default");
        assertThat(bridge.vlanMembership()).extracting(VlanMembershipTest::describe)
                .containsExactly("1 true true kernel_default");
        assertThat(vlans(topology)).isEqualTo(Map.of("vnet0", List.of("1 true true kernel_default"),
                "vnet1", List.of("1 true true kernel_default")));
    }

    @Test
    void aBridgeNotKnownNotToFilterClaimsNoVlan() {
        Topology topology = topology(List.of(deleted(30, "vnet1", 2, 0, STATIC_BY_USER)));
        assertThat(bridge(topology).vlanFiltering()).isNull();
        assertThat(bridge(topology).defaultPvid()).isNull();
        assertThat(bridge(topology).vlanMembership()).isEmpty();
        assertThat(vlans(topology)).isEqualTo(Map.of("vnet1", List.of()));
    }

    @Test
    void aRemovedPortsVlanMakesTheDefaultPvidOfANonFilteringBridge() {
        List<Step> steps = new ArrayList<>(List.of(learned(10, "vnet0", 1, 0), learned(20, "vnet1", 2, 0)));
        steps.addAll(removal(1_000, "vnet1", 0xf2, 1, 0));
        Topology topology = topology(steps);
        Topology.Bridge bridge = bridge(topology);
        assertThat(bridge.vlanFiltering()).isFalse();
        assertThat(bridge.defaultPvid()).isEqualTo(1);
        // seen on vnet1 (the flags are the default PVID's), inferred on vnet0 and the bridge device
        assertThat(vlans(topology)).isEqualTo(Map.of("vnet0", List.of("1 true true default_pvid"),
                "vnet1", List.of("1 true true fdb")));
        assertThat(bridge.ports().get(1).vlanMembership().get(0).flagsSource()).isEqualTo("default_pvid");
        assertThat(bridge.ports().get(1).removedNs()).isEqualTo(1_100L);
        assertThat(bridge.vlanMembership()).extracting(VlanMembershipTest::describe)
                .containsExactly("1 true true default_pvid");
    }

    @Test
    void aRemovalWhoseEntryWithoutVlanComesFirstKeepsTheVlanHeldAtTheRemoval() {
        List<Step> steps = new ArrayList<>(List.of(learned(10, "vnet0", 1, 0)));
        steps.addAll(removal(1_000, "vnet0", 0xf1, 0, 1, 5));
        Topology topology = topology(steps);
        assertThat(vlans(topology)).isEqualTo(Map.of("vnet0", List.of("1 null null fdb", "5 null null fdb")));
        assertThat(topology.changes()).extracting(Topology.Change::kind).containsExactly("added", "removal");
    }

    @Test
    void aVlanLeavingAPortThatStaysEndsThereAndComesBackWithNewEvidence() {
        Topology topology = topology(List.of(learned(10, "vnet0", 1, 10), learned(11, "vnet0", 1, 20),
                deleted(5_000_000_000L, "vnet0", 0xf1, 10, LOCAL_AND_STATIC),
                deleted(6_000_000_000L, "vnet0", 0xf1, 20, LOCAL_AND_STATIC),
                learned(7_000_000_000L, "vnet0", 1, 20)));
        // no port removal: only an entry without VLAN would show one
        assertThat(topology.changes()).extracting(Topology.Change::kind).doesNotContain("removal");
        assertThat(vlans(topology)).isEqualTo(Map.of("vnet0",
                List.of("10 null null fdb until 5000000000", "20 null null fdb")));
    }

    @Test
    void aVlanThatLeftLongBeforeThePortsRemovalIsNotHeldAtIt() {
        List<Step> steps = new ArrayList<>(List.of(learned(10, "vnet0", 1, 10),
                deleted(1_000, "vnet0", 0xf1, 10, LOCAL_AND_STATIC)));
        steps.addAll(removal(9_000_000_000L, "vnet0", 0xf1, 20, 0));
        assertThat(vlans(topology(steps))).isEqualTo(Map.of("vnet0",
                List.of("10 null null fdb until 1000", "20 null null fdb")));
    }

    @Test
    void portsOfANonFilteringBridgeWithDifferentVlansGiveNoDefault() {
        List<Step> steps = new ArrayList<>(List.of(learned(10, "vnet0", 1, 0), learned(20, "vnet2", 3, 0)));
        steps.addAll(removal(1_000, "vnet0", 0xf1, 1, 0));
        steps.addAll(removal(2_000, "vnet1", 0xf2, 5, 0));
        Topology topology = topology(steps);
        assertThat(bridge(topology).defaultPvid()).isNull();
        assertThat(vlans(topology)).isEqualTo(Map.of("vnet0", List.of("1 null null fdb"),
                "vnet1", List.of("5 null null fdb"), "vnet2", List.of()));
    }

    @Test
    void aRequestedEntrysVlanIsNoMembership() {
        // the request's event fires before the kernel checks the VLAN against the port
        Topology topology = topology(List.of(learned(10, "vnet0", 1, 0), requested(20, "vnet0", 0x99, 7)));
        Topology.Port port = bridge(topology).ports().get(0);
        assertThat(port.vlans()).containsExactly(7);
        assertThat(port.vlanMembership()).isEmpty();
    }

    @Test
    void theBridgesOwnLocalEntriesAreItsVlansAndNoPort() {
        Topology topology = topology(List.of(learned(10, "vnet0", 1, 0),
                deleted(20, "null", 0xff, 1, LOCAL_AND_STATIC), deleted(30, "br0", 0xff, 0, LOCAL_AND_STATIC)));
        Topology.Bridge bridge = bridge(topology);
        assertThat(bridge.ports()).extracting(Topology.Port::name).containsExactly("vnet0");
        assertThat(topology.changes()).extracting(Topology.Change::kind).containsExactly("added");
        assertThat(bridge.defaultPvid()).isEqualTo(1);
        // its entry deleted while it stays: the VLAN left it
        assertThat(bridge.vlanMembership()).extracting(VlanMembershipTest::describe)
                .containsExactly("1 true true fdb until 20");
        assertThat(vlans(topology)).isEqualTo(Map.of("vnet0", List.of("1 true true default_pvid")));
    }

    @Test
    void partsMergedAtAnyCutEqualOnePass() {
        List<Step> steps = new ArrayList<>(List.of(learned(10, "vnet0", 1, 0), learned(20, "vnet1", 2, 0),
                learned(30, "vnet2", 3, 0), deleted(40, "vnet0", 0x99, 1, STATIC_BY_USER),
                deleted(50, "vnet2", 0xf3, 1, LOCAL_AND_STATIC)));
        steps.addAll(removal(1_000, "vnet1", 0xf2, 1, 0));
        Topology onePass = topology(steps);
        assertThat(bridge(onePass).defaultPvid()).isEqualTo(1);
        assertThat(vlans(onePass)).isEqualTo(Map.of("vnet0", List.of("1 true true fdb"),
                "vnet1", List.of("1 true true fdb"), "vnet2", List.of("1 true true fdb until 50")));
        for (int cut = 0; cut <= steps.size(); cut++) {
            TopologyBuilder first = new TopologyBuilder();
            TopologyBuilder second = new TopologyBuilder();
            steps.subList(0, cut).forEach(step -> step.apply.accept(first));
            steps.subList(cut, steps.size()).forEach(step -> step.apply.accept(second));
            first.merge(second);
            assertThat(first.result(VmDirectory.empty(), new InterfaceIdentities())).as("cut before step %d", cut)
                    .isEqualTo(onePass);
        }
    }
}
