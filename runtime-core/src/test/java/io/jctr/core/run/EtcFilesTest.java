package io.jctr.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EtcFilesTest {

    @Test
    void writesTheContainersOwnFiles(@TempDir Path tmp) throws Exception {
        Path hostResolv = Files.writeString(tmp.resolve("resolv.conf"),
                "# generated\nnameserver 127.0.0.53\nnameserver 10.0.0.2\nnameserver ::1\nsearch lan\n");
        Path dir = tmp.resolve("c1");
        EtcFiles files = EtcFiles.in(dir);
        files.write(dir, "box", hostResolv);
        assertEquals("box\n", Files.readString(dir.resolve("hostname")));
        assertEquals("# generated\nnameserver 10.0.0.2\nsearch lan\n", Files.readString(dir.resolve("resolv.conf")));
        String hosts = Files.readString(dir.resolve("hosts"));
        assertEquals(true, hosts.startsWith("127.0.0.1\tlocalhost") && hosts.endsWith("127.0.1.1\tbox\n"), hosts);
    }

    @Test
    void hostNetworkKeepsTheHostsFiles(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("c2");
        EtcFiles files = EtcFiles.hostNetwork(dir);
        files.write(dir, "box", tmp.resolve("none"));
        assertEquals(Path.of("/etc/hosts"), files.hosts());
        assertEquals(false, Files.exists(dir.resolve("hosts")));
        assertEquals("box\n", Files.readString(dir.resolve("hostname")));
    }
}
