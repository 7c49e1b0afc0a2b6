package io.jctr.core.version;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The daemon's version and source revision, stamped into the jar by the build. */
public final class JctrVersion {

    public static final String VERSION;
    public static final String REVISION;

    static {
        Properties p = new Properties();
        try (InputStream in = JctrVersion.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // an unreadable stamp leaves the version unknown; nothing else depends on it
        }
        VERSION = p.getProperty("version", "unknown");
        String rev = p.getProperty("revision", "");
        REVISION = rev.startsWith("${") ? "" : rev;
    }

    private JctrVersion() {
    }
}
