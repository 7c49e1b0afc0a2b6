package io.jctr.plugins.runtime.linux.container;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jctr.spi.JctrException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The runtime's state root (runc's {@code --root}): one directory per container holding
 * {@code state.json} ({@link ContainerRecord}), a copy of the bundle's {@code config.json} as it
 * was at create (hooks and exec must not see later edits), and the exec FIFO while the container
 * waits for {@code start}. The directory's existence reserves the id. Thread-safe; concurrent
 * processes are safe because every write is a rename.
 */
public final class StateDirectory {

    private static final ObjectMapper MAPPER = GoJson.MAPPER;

    private final Path root;

    /** A state root at {@code root}, created on first use with mode 0700. */
    public StateDirectory(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The root directory. */
    public Path root() {
        return root;
    }

    /** The directory of container {@code id}. */
    public Path dir(String id) {
        return root.resolve(ContainerId.check(id));
    }

    /** The exec FIFO the created init blocks on until {@code start} opens it. */
    public Path execFifo(String id) {
        return dir(id).resolve("exec.fifo");
    }

    /** The copy of the bundle's config.json taken at create. */
    public Path config(String id) {
        return dir(id).resolve("config.json");
    }

    /**
     * Reserves {@code id}: creates its directory.
     *
     * @throws JctrException {@code ALREADY_EXISTS} when a container with that id exists
     */
    public Path reserve(String id) throws IOException {
        Path dir = dir(id);
        Files.createDirectories(root);
        if (Files.getPosixFilePermissions(root).size() != 3) {
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
        }
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
        } catch (FileAlreadyExistsException e) {
            throw JctrException.alreadyExists("container with id exists: %s", id);
        }
        return dir;
    }

    /** Whether container {@code id} exists. */
    public boolean exists(String id) {
        return Files.isDirectory(dir(id));
    }

    /**
     * The record of container {@code id}.
     *
     * @throws JctrException {@code NOT_FOUND} ({@code container does not exist}, runc's words)
     *                       when there is no such container, or it is still being created
     */
    public ContainerRecord read(String id) throws IOException {
        Path file = dir(id).resolve("state.json");
        try {
            return MAPPER.readValue(Files.readAllBytes(file), ContainerRecord.class);
        } catch (NoSuchFileException e) {
            throw JctrException.notFound("container does not exist");
        }
    }

    /** Writes {@code record} atomically (a temporary file renamed over the old one). */
    public void write(ContainerRecord record) throws IOException {
        Path dir = dir(record.id());
        Path tmp = dir.resolve("state.json.tmp");
        Files.write(tmp, MAPPER.writeValueAsBytes(record));
        try {
            Files.move(tmp, dir.resolve("state.json"), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("state directory " + dir + " does not support atomic renames", e);
        }
    }

    /** The ids of every container with a state file, sorted. */
    public List<String> ids() throws IOException {
        List<String> ids = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return ids;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
            for (Path d : dirs) {
                if (Files.isRegularFile(d.resolve("state.json"))) {
                    ids.add(d.getFileName().toString());
                }
            }
        }
        ids.sort(Comparator.naturalOrder());
        return ids;
    }

    /** Removes the directory of {@code id} and everything in it; a missing one is fine. */
    public void remove(String id) throws IOException {
        Path dir = dir(id);
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
