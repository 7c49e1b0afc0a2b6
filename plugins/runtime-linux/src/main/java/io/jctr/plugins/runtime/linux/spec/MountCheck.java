package io.jctr.plugins.runtime.linux.spec;

import java.util.List;

/** Checks {@code mounts}. */
final class MountCheck {

    private MountCheck() {
    }

    static void check(RuntimeSpec spec, NamespaceSet ns, Problems p) {
        List<Mount> mounts = spec.mounts();
        for (int i = 0; i < mounts.size(); i++) {
            checkMount(JsonPath.index("mounts", i), mounts.get(i), ns, p);
        }
    }

    private static void checkMount(String path, Mount m, NamespaceSet ns, Problems p) {
        String dest = path + ".destination";
        if (p.present(dest, m.destination()) && !m.destination().startsWith("/")) {
            // Runtime spec 1.1, "Mounts": relative destinations are deprecated and MUST be
            // interpreted as relative to "/".
            p.warn(dest, JsonPath.quote(m.destination())
                    + " is relative; relative destinations are deprecated and resolved from \"/\"");
        }
        p.noNul(path + ".type", m.type());
        p.noNul(path + ".source", m.source());
        if (m.isBind()) {
            p.present(path + ".source", m.source());
        } else if (m.type().isEmpty()) {
            p.add(path + ".type", "must be set unless options include bind or rbind");
        }
        for (int j = 0; j < m.options().size(); j++) {
            String option = JsonPath.index(path + ".options", j);
            if (m.options().get(j).isEmpty()) {
                p.add(option, "must not be empty");
            } else {
                p.noNul(option, m.options().get(j));
            }
        }
        checkIdMapping(path, m, ns, p);
    }

    private static void checkIdMapping(String path, Mount m, NamespaceSet ns, Problems p) {
        boolean uid = !m.uidMappings().isEmpty();
        boolean gid = !m.gidMappings().isEmpty();
        if (uid != gid) {
            p.add(path + (uid ? ".gidMappings" : ".uidMappings"),
                    "must be set together with " + (uid ? "uidMappings" : "gidMappings"));
        }
        NamespaceCheck.checkMappings(path + ".uidMappings", m.uidMappings(), p);
        NamespaceCheck.checkMappings(path + ".gidMappings", m.gidMappings(), p);
        boolean idmap = m.options().contains("idmap") || m.options().contains("ridmap");
        // Runtime spec 1.1, "idmap": without mappings of its own the mount uses the container's
        // user namespace mapping, and with neither an error MUST be returned.
        if (idmap && !uid && !ns.contains(NamespaceType.USER)) {
            p.add(path + ".options", "idmap needs uidMappings and gidMappings or a user namespace");
        }
    }
}
