package io.jctr.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The client's own version, stamped by the build, for {@code --version} and {@code jctr version}. */
final class ClientVersion {

    static final String VERSION;
    static final String REVISION;

    static {
        Properties p = new Properties();
        try (InputStream in = ClientVersion.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // an unreadable stamp leaves the version unknown; nothing else depends on it
        }
        VERSION = p.getProperty("version", "unknown");
        REVISION = p.getProperty("revision", "");
    }

    private ClientVersion() {
    }

    /** picocli's {@code --version} text. */
    public static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"jctr " + VERSION + (REVISION.isEmpty() ? "" : " " + REVISION)};
        }
    }
}
