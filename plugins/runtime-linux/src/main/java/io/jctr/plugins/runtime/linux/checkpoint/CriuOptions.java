package io.jctr.plugins.runtime.linux.checkpoint;

import io.jctr.spi.JctrException;
import java.nio.file.Path;
import java.util.List;

/**
 * What a checkpoint or restore is asked for: runc 1.1's {@code checkpoint}/{@code restore} flags
 * (libcontainer's CriuOpts), each of which becomes a {@code criu} option.
 *
 * @param imageDir          where the images go or come from; created (0700) if missing
 * @param workDir           where CRIU writes its log ({@code dump.log}, {@code restore.log});
 *                          {@code null} for the image directory (criu's own default)
 * @param parentPath        {@code --parent-path}: the pre-dump's images, relative to
 *                          {@code imageDir}; {@code ""} for none
 * @param leaveRunning      the container keeps running after the dump
 * @param tcpEstablished    established TCP connections are dumped/restored
 * @param externalUnixSockets unix sockets connected outside the container are allowed
 * @param shellJob          the container's session and tty are allowed to come from outside
 * @param fileLocks         file locks are dumped/restored
 * @param preDump           only the memory is dumped, and the container keeps running
 * @param autoDedup         pages of the parent images are deduplicated
 * @param lazyPages         memory pages are served on demand (userfaultfd)
 * @param statusFd          with lazy pages, the descriptor CRIU writes {@code \0} to when
 *                          ready; -1 for none
 * @param pageServer        {@code ADDRESS:PORT} of a page server, or {@code ""}
 * @param manageCgroupsMode {@code soft}, {@code full}, {@code strict}, or {@code ""} (soft)
 * @param emptyNamespaces   namespaces created empty on restore ({@code network} only, as runc)
 * @param lsmProfile        {@code TYPE:NAME} for the restored processes, or {@code ""}
 * @param lsmMountContext   the LSM mount context on restore, or {@code ""}
 */
public record CriuOptions(
        Path imageDir,
        Path workDir,
        String parentPath,
        boolean leaveRunning,
        boolean tcpEstablished,
        boolean externalUnixSockets,
        boolean shellJob,
        boolean fileLocks,
        boolean preDump,
        boolean autoDedup,
        boolean lazyPages,
        int statusFd,
        String pageServer,
        String manageCgroupsMode,
        List<String> emptyNamespaces,
        String lsmProfile,
        String lsmMountContext) {

    /** Checks what can be checked without CRIU; runc's messages where it has them. */
    public CriuOptions {
        if (imageDir == null) {
            throw JctrException.invalidArgument("checkpoint: an image directory is required");
        }
        imageDir = imageDir.toAbsolutePath().normalize();
        workDir = workDir == null ? imageDir : workDir.toAbsolutePath().normalize();
        parentPath = parentPath == null ? "" : parentPath;
        pageServer = pageServer == null ? "" : pageServer;
        manageCgroupsMode = manageCgroupsMode == null ? "" : manageCgroupsMode;
        emptyNamespaces = emptyNamespaces == null ? List.of() : List.copyOf(emptyNamespaces);
        lsmProfile = lsmProfile == null ? "" : lsmProfile;
        lsmMountContext = lsmMountContext == null ? "" : lsmMountContext;
        if (!parentPath.isEmpty() && Path.of(parentPath).isAbsolute()) {
            throw JctrException.invalidArgument("--parent-path must be relative: %s", parentPath);
        }
        if (!List.of("", "soft", "full", "strict").contains(manageCgroupsMode)) {
            throw JctrException.invalidArgument("invalid manage cgroups mode \"%s\" (soft, full or strict)",
                    manageCgroupsMode);
        }
        for (String ns : emptyNamespaces) {
            if (!ns.equals("network")) {
                throw JctrException.invalidArgument("namespace \"%s\" is not supported", ns);
            }
        }
        if (!pageServer.isEmpty()) {
            int colon = pageServer.lastIndexOf(':');
            if (colon <= 0 || colon == pageServer.length() - 1) {
                throw JctrException.invalidArgument(
                        "use --page-server ADDRESS:PORT to specify page server, not \"%s\"", pageServer);
            }
            try {
                Integer.parseInt(pageServer.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw JctrException.invalidArgument("invalid port number in --page-server \"%s\"", pageServer);
            }
        }
    }

    /** A plain dump into {@code imageDir}, as the native runtime's checkpoint asks for one. */
    public static CriuOptions dump(Path imageDir, Path workDir, boolean leaveRunning) {
        return new CriuOptions(imageDir, workDir, "", leaveRunning, false, false, false, false, false,
                false, false, -1, "", "", List.of(), "", "");
    }
}
