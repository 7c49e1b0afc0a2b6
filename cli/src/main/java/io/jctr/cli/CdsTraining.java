package io.jctr.cli;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Widens the class-data archive bin/jctr makes on the first run after a build. That run's JVM
 * archives the classes it loaded; one command alone would leave every other command's classes
 * out. So the training run also loads, without initialising, every class of the CLI and of the
 * generated API (loading is all the archive needs), and builds each API file's descriptor, which
 * pulls in protobuf's descriptor machinery (messages with map fields need it at run time).
 */
final class CdsTraining {

    /** Set by bin/jctr on the run that writes the archive. */
    static final String PROPERTY = "jctr.cds.training";

    private CdsTraining() {
    }

    static void loadClasses() {
        ClassLoader loader = CdsTraining.class.getClassLoader();
        load(jarOf(CdsTraining.class), "io/jctr/cli/", loader);
        load(jarOf(io.jctr.api.services.version.v1.VersionGrpc.class), "io/jctr/api/", loader);
        JctrCommand.withSubcommands(new picocli.CommandLine(new JctrCommand()), null);
    }

    private static Path jarOf(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    private static void load(Path jar, String prefix, ClassLoader loader) {
        if (jar == null || !jar.toString().endsWith(".jar")) {
            return;
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                String name = entries.nextElement().getName();
                if (name.startsWith(prefix) && name.endsWith(".class") && !name.endsWith("module-info.class")) {
                    try {
                        Class<?> c = Class.forName(name.substring(0, name.length() - 6).replace('/', '.'), false, loader);
                        if (c.getSimpleName().endsWith("Proto") && prefix.equals("io/jctr/api/")) {
                            c.getMethod("getDescriptor").invoke(null);
                        }
                    } catch (ReflectiveOperationException | LinkageError e) {
                        // a class that cannot load here is simply left out of the archive
                    }
                }
            }
        } catch (IOException e) {
            // no archive widening; the archive still holds what the command itself loaded
        }
    }
}
