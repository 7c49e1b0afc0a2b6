package io.jctr.core.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import io.jctr.api.services.containers.v1.Container;
import io.jctr.core.containers.ContainerService;
import io.jctr.core.identifiers.Identifiers;
import io.jctr.core.images.ImageRecord;
import io.jctr.core.images.ImageService;
import io.jctr.core.leases.LeaseService;
import io.jctr.core.mount.Mounter;
import io.jctr.core.registry.Descriptor;
import io.jctr.core.registry.ManifestParser;
import io.jctr.core.registry.Platforms;
import io.jctr.core.registry.Reference;
import io.jctr.core.snapshots.SnapshotService;
import io.jctr.core.unpack.ChainIds;
import io.jctr.core.unpack.ImageUnpacker;
import io.jctr.core.unpack.UnpackListener;
import io.jctr.spi.JctrException;
import io.jctr.spi.snapshots.Mount;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Creates a container from an image and run options, leaving what {@code ctr run} leaves: a
 * snapshot with the container id as key prepared on the image's top layer (unpacking the image
 * first if this snapshotter lacks it), under a lease until the container record holds it; a
 * record with containerd's labels, runtime {@code io.containerd.runc.v2} with empty runc options
 * and the spec as {@code types.containerd.io/opencontainers/runtime-spec/1/Spec} JSON. Besides,
 * the container's /etc files and log live in {@code <state>/<namespace>/<id>/}, removed with the
 * container ({@link #forget}). A failure leaves nothing behind that it created.
 */
public final class RunService {

    /** containerd's type URL of a spec in {@code Container.spec}. */
    public static final String SPEC_TYPE_URL = "types.containerd.io/opencontainers/runtime-spec/1/Spec";
    /** The runtime ctr names; jctr's runtime plugins serve it. */
    public static final String DEFAULT_RUNTIME = "io.containerd.runc.v2";
    static final String RUNC_OPTIONS_TYPE_URL = "containerd.runc.v1.Options";
    /** containerd's label for the signal that stops the container (ctr tasks kill's default). */
    public static final String STOP_SIGNAL_LABEL = "io.containerd.image.config.stop-signal";
    /** Where a detached task's log goes: a file:// URI, as nerdctl's nerdctl/log-uri. */
    public static final String LOG_URI_LABEL = "io.jctr.run/log-uri";

    private static final Logger LOG = Logger.getLogger(RunService.class.getName());

    /** The services a run works through. */
    public record Services(ImageService images, ContainerService containers, SnapshotService snapshots, LeaseService leases,
                           Supplier<Optional<ImageUnpacker>> unpacker, Supplier<String> defaultSnapshotter) {
    }

    /** What a run created: the stored record and the log a detached task should write. */
    public record Created(Container container, String logUri) {
    }

    private final Services services;
    private final Path stateDir;

    /** @param stateDir the plugin's state directory: containers' files and temporary mount points */
    public RunService(Services services, Path stateDir) {
        this.services = services;
        this.stateDir = stateDir;
    }

    /**
     * @throws JctrException NOT_FOUND for an unknown image, ALREADY_EXISTS for an existing id,
     *                       INVALID_ARGUMENT naming a bad option
     */
    public Created create(String ns, String imageName, String id, String snapshotterName, String runtime, RunOptions options)
            throws IOException, InterruptedException {
        Identifiers.validate("container id", id);
        String snapshotter = snapshotterName.isEmpty() ? services.defaultSnapshotter().get() : snapshotterName;
        ImageUnpacker unpacker = services.unpacker().get().orElseThrow(() -> JctrException.failedPrecondition(
                "cannot run image \"%s\": no image unpacker (the io.jctr.transfer.v1 plugin is disabled or failed)", imageName));
        ImageRecord image = image(ns, imageName);
        requireNewContainer(ns, id);
        ImageRecord.Target t = image.target();
        Descriptor manifest = unpacker.manifestFor(ns, new Descriptor(t.mediaType(), t.digest(), t.size()), Platforms.host());
        ManifestParser.Manifest m = ManifestParser.manifest(unpacker.read(ns, manifest.digest()), "manifest " + manifest.digest());
        String configWhat = "image \"" + imageName + "\" config " + m.config().digest();
        byte[] configJson = unpacker.read(ns, m.config().digest());
        ImageConfig config = ImageConfig.parse(configJson, configWhat);
        List<String> chain = ChainIds.of(ManifestParser.diffIds(configJson, configWhat));
        if (chain.isEmpty()) {
            throw JctrException.invalidArgument("%s has no layers", configWhat);
        }
        String top = chain.get(chain.size() - 1);

        Path dir = containerDir(ns, id);
        String lease = services.leases().create(ns, "", Map.of("containerd.io/gc.expire",
                Instant.now().plus(24, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString())).id();
        boolean prepared = false;
        boolean created = false;
        try {
            if (!exists(ns, snapshotter, top)) {
                unpacker.unpackImage(ns, lease, image.name(), snapshotter, Platforms.host(), UnpackListener.NONE);
            }
            List<Mount> mounts = services.snapshots().prepare(ns, lease, snapshotter, id, top, Map.of());
            prepared = true;
            String[] etc = readUserFiles(mounts);
            deleteRecursively(dir);
            EtcFiles files = options.net().equals("host") ? EtcFiles.hostNetwork(dir) : EtcFiles.in(dir);
            String hostname = options.hostname().isEmpty() ? id : options.hostname();
            ObjectNode spec = SpecGenerator.generate(new SpecGenerator.Inputs(ns, id, config, etc[0], etc[1], files,
                    hostHostname(), BindMounts::onHost), options);
            files.write(dir, hostname, Path.of("/etc/resolv.conf"));
            String logUri = "file://" + dir.resolve("log");
            Container stored = services.containers().create(ns, record(image.name(), id, snapshotter, runtime, config, options, spec, logUri));
            created = true;
            return new Created(stored, logUri);
        } finally {
            if (!created) {
                undo(ns, snapshotter, id, prepared, dir);
            }
            try {
                services.leases().delete(ns, lease);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "cannot delete run lease " + lease + ": " + e.getMessage());
            }
        }
    }

    /** Removes what the service keeps for container {@code id} of {@code ns} (its /etc files, its log). */
    public void forget(String ns, String id) {
        try {
            deleteRecursively(containerDir(ns, id));
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot remove the files of container " + id + " in namespace " + ns + ": " + e.getMessage());
        }
    }

    /** Removes the files of containers that no longer exist (deleted while the daemon was down). */
    public void sweep() {
        if (!Files.isDirectory(stateDir.resolve("containers"))) {
            return;
        }
        try (var namespaces = Files.list(stateDir.resolve("containers"))) {
            for (Path nsDir : namespaces.toList()) {
                try (var ids = Files.list(nsDir)) {
                    for (Path idDir : ids.toList()) {
                        String ns = nsDir.getFileName().toString();
                        String id = idDir.getFileName().toString();
                        try {
                            services.containers().get(ns, id);
                        } catch (JctrException e) {
                            if (e.kind() == JctrException.Kind.NOT_FOUND || e.kind() == JctrException.Kind.INVALID_ARGUMENT) {
                                forget(ns, id);
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot sweep " + stateDir + ": " + e.getMessage());
        }
    }

    Path containerDir(String ns, String id) {
        return stateDir.resolve("containers").resolve(ns).resolve(id);
    }

    /**
     * The image called {@code name}, as stored or in its normalised form ({@code busybox} is
     * {@code docker.io/library/busybox:latest}, the name a pull stores).
     */
    private ImageRecord image(String ns, String name) {
        try {
            return services.images().get(ns, name);
        } catch (JctrException e) {
            if (e.kind() != JctrException.Kind.NOT_FOUND && e.kind() != JctrException.Kind.INVALID_ARGUMENT) {
                throw e;
            }
            String normalized;
            try {
                normalized = Reference.parse(name).toString();
            } catch (JctrException notAReference) {
                throw JctrException.invalidArgument("image \"%s\": not a valid image reference", name);
            }
            try {
                return services.images().get(ns, normalized);
            } catch (JctrException again) {
                if (again.kind() == JctrException.Kind.NOT_FOUND) {
                    throw JctrException.notFound("image \"%s\"", name);
                }
                throw again;
            }
        }
    }

    private void requireNewContainer(String ns, String id) {
        try {
            services.containers().get(ns, id);
        } catch (JctrException e) {
            if (e.kind() == JctrException.Kind.NOT_FOUND) {
                return;
            }
            throw e;
        }
        throw JctrException.alreadyExists("container \"%s\"", id);
    }

    private boolean exists(String ns, String snapshotter, String key) {
        try {
            services.snapshots().stat(ns, snapshotter, key);
            return true;
        } catch (JctrException e) {
            if (e.kind() == JctrException.Kind.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    /** The image's /etc/passwd and /etc/group, read from the new snapshot mounted read-only (as ctr mounts it). */
    private String[] readUserFiles(List<Mount> mounts) throws IOException {
        Path mountRoot = stateDir.resolve("mounts");
        Files.createDirectories(mountRoot);
        Path target = Files.createTempDirectory(mountRoot, "user-");
        try {
            List<Mount> readOnly = new ArrayList<>();
            for (Mount mt : mounts) {
                List<String> o = new ArrayList<>(mt.options());
                o.remove("rw");
                o.add("ro");
                readOnly.add(new Mount(mt.type(), mt.source(), mt.target(), o));
            }
            Mounter.mountAll(readOnly, target);
            try {
                return new String[] {RootedFiles.read(target, "/etc/passwd"), RootedFiles.read(target, "/etc/group")};
            } finally {
                Mounter.unmount(target);
            }
        } finally {
            Files.deleteIfExists(target);
        }
    }

    private static Container record(String image, String id, String snapshotter, String runtime, ImageConfig config, RunOptions o,
                                    ObjectNode spec, String logUri) throws JsonProcessingException {
        Map<String, String> labels = new LinkedHashMap<>(config.labels());
        labels.put(STOP_SIGNAL_LABEL, config.stopSignal().isEmpty() ? "SIGTERM" : config.stopSignal());
        labels.put(LOG_URI_LABEL, logUri);
        labels.putAll(o.labels());
        byte[] json = SpecJson.MAPPER.writeValueAsBytes(spec);
        return Container.newBuilder().setId(id).putAllLabels(labels).setImage(image)
                .setRuntime(Container.Runtime.newBuilder().setName(runtime.isEmpty() ? DEFAULT_RUNTIME : runtime)
                        .setOptions(Any.newBuilder().setTypeUrl(RUNC_OPTIONS_TYPE_URL)))
                .setSpec(Any.newBuilder().setTypeUrl(SPEC_TYPE_URL).setValue(ByteString.copyFrom(json)))
                .setSnapshotter(snapshotter).setSnapshotKey(id).build();
    }

    private void undo(String ns, String snapshotter, String id, boolean prepared, Path dir) {
        if (prepared) {
            try {
                services.snapshots().remove(ns, snapshotter, id);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "cannot remove snapshot " + id + " of a failed run: " + e.getMessage());
            }
            forget(ns, id);
        }
    }

    private static String hostHostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }
}
