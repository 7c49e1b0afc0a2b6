package io.jctr.core.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code /etc/hosts}, {@code /etc/resolv.conf} and {@code /etc/hostname} a container gets,
 * written in its directory of the daemon's state and bind-mounted over the image's, as nerdctl
 * does: the image's own files stay untouched in the snapshot, and each container has its own.
 * With the host's network, hosts and resolv.conf are the host's own files (ctr's
 * {@code --net-host}).
 *
 * @param hosts      the file to mount on /etc/hosts
 * @param resolvConf the file to mount on /etc/resolv.conf
 * @param hostname   the file to mount on /etc/hostname
 */
record EtcFiles(Path hosts, Path resolvConf, Path hostname) {

    /** The host's files, for a container on the host's network (only /etc/hostname is its own). */
    static EtcFiles hostNetwork(Path dir) {
        return new EtcFiles(Path.of("/etc/hosts"), Path.of("/etc/resolv.conf"), dir.resolve("hostname"));
    }

    /** The paths in {@code dir} that {@link #write} fills. */
    static EtcFiles in(Path dir) {
        return new EtcFiles(dir.resolve("hosts"), dir.resolve("resolv.conf"), dir.resolve("hostname"));
    }

    /** Writes the files this record names inside {@code dir}, for a container called {@code hostname}. */
    void write(Path dir, String hostname, Path hostResolvConf) throws IOException {
        Files.createDirectories(dir);
        if (hosts.startsWith(dir)) {
            Files.writeString(hosts, hostsFile(hostname));
        }
        if (resolvConf.startsWith(dir)) {
            String host = Files.isReadable(hostResolvConf) ? Files.readString(hostResolvConf, StandardCharsets.UTF_8) : "";
            Files.writeString(resolvConf, resolvConf(host));
        }
        Files.writeString(this.hostname, hostname + "\n");
    }

    static String hostsFile(String hostname) {
        return "127.0.0.1\tlocalhost localhost.localdomain\n"
                + "::1\tlocalhost localhost.localdomain ip6-localhost ip6-loopback\n"
                + "127.0.1.1\t" + hostname + "\n";
    }

    /**
     * The host's resolv.conf without loopback name servers: a container has its own loopback,
     * where the host's local resolver (127.0.0.53 and the like) does not answer.
     */
    static String resolvConf(String host) {
        List<String> lines = new ArrayList<>();
        for (String line : host.split("\n")) {
            String t = line.trim();
            if (t.startsWith("nameserver")) {
                String[] parts = t.split("\\s+");
                if (parts.length < 2 || parts[1].startsWith("127.") || parts[1].equals("::1")) {
                    continue;
                }
            }
            if (!t.isEmpty()) {
                lines.add(t);
            }
        }
        return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
    }
}
