package org.vnetscope.analysis.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A domain's vCPUs and memory from libvirt XML, in the units libvirt writes (KiB when none is named). */
class VmDirectorySizeTest {

    @Test
    void sizesInEveryUnit(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("web.xml"), "<domain type='kvm'><name>web</name><memory>2097152</memory>"
                + "<vcpu placement='static'>2</vcpu><devices><interface type='bridge'><mac address='52:54:00:aa:bb:01'/>"
                + "<target dev='vnet7'/></interface></devices></domain>");
        Files.writeString(dir.resolve("db.xml"), "<domain type='kvm'><name>db</name><memory unit='GiB'>8</memory>"
                + "<vcpu>4</vcpu></domain>");
        Files.writeString(dir.resolve("bare.xml"), "<domain type='kvm'><name>bare</name></domain>");
        VmDirectory vms = VmDirectory.empty().addLibvirt(dir);
        assertThat(vms.sizeOf("web")).isEqualTo(new VmDirectory.Size(2, 2048));
        assertThat(vms.sizeOf("db")).isEqualTo(new VmDirectory.Size(4, 8192));
        assertThat(vms.sizeOf("bare")).isNull();
        assertThat(vms.vmOf("vnet7", java.util.List.of(), null)).isEqualTo("web");
    }
}
