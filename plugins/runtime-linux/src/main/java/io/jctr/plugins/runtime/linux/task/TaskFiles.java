package io.jctr.plugins.runtime.linux.task;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jctr.plugins.runtime.linux.container.GoJson;
import io.jctr.plugins.runtime.linux.container.StateDirectory;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the task runtime keeps next to a container's {@code state.json} in its
 * {@link StateDirectory}: {@code task.json} ({@link TaskFile}) and one
 * {@code process-<id>.json} per process ({@link ProcessFile}), including its exit status once
 * observed. The shim keeps its own files in the same directory ({@code shim.sock},
 * {@code shim.pid}, {@code exits}, {@code shim.log}). They go when the container's directory is
 * removed at delete. Writes are renames.
 */
final class TaskFiles {

    private static final ObjectMapper MAPPER = GoJson.MAPPER;
    private static final String PROCESS_PREFIX = "process-";

    private TaskFiles() {
    }

    /**
     * A task's own facts.
     *
     * @param bundle        the bundle directory
     * @param rootfsTargets the targets of the root file-system mounts performed, in order
     * @param binary        the OCI runtime binary that runs the container, {@code null} for
     *                      jctr's own engine
     * @param binaryRoot    that binary's {@code --root}, {@code null} for jctr's own engine
     */
    record TaskFile(String bundle, List<String> rootfsTargets, String binary, String binaryRoot) {
    }

    /** Whether {@code dir} holds a task. */
    static boolean isTask(Path dir) {
        return Files.isRegularFile(dir.resolve("task.json"));
    }

    /**
     * One process.
     *
     * @param id          the container id for init, else the exec id
     * @param pid         host pid, 0 before started
     * @param startTime   the pid's start time, to tell it from a reuse
     * @param stdin       as given
     * @param stdout      as given
     * @param stderr      as given
     * @param terminal    whether it has a terminal
     * @param processJson an exec's process object, {@code null} for init
     * @param exitCode    the exit code once observed, else {@code null}
     * @param exitedAt    when it exited (ISO-8601), else {@code null}
     * @param launchedAt  when its launch began (ISO-8601): the shim's exits of its pid before
     *                    that are another process's
     */
    record ProcessFile(String id, int pid, long startTime, String stdin, String stdout, String stderr,
                       boolean terminal, String processJson, Integer exitCode, String exitedAt, String launchedAt) {
    }

    static void write(Path containerDir, TaskFile f) throws IOException {
        writeJson(containerDir.resolve("task.json"), f);
    }

    static Optional<TaskFile> readTask(Path containerDir) throws IOException {
        try {
            return Optional.of(MAPPER.readValue(Files.readAllBytes(containerDir.resolve("task.json")), TaskFile.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    static void write(Path containerDir, ProcessFile f) throws IOException {
        if (Files.isDirectory(containerDir)) {
            writeJson(processPath(containerDir, f.id()), f);
        }
    }

    static Optional<ProcessFile> readProcess(Path containerDir, String id) throws IOException {
        try {
            return Optional.of(MAPPER.readValue(Files.readAllBytes(processPath(containerDir, id)), ProcessFile.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    static void removeProcess(Path containerDir, String id) throws IOException {
        Files.deleteIfExists(processPath(containerDir, id));
    }

    /** Every process file of a container. */
    static List<ProcessFile> processes(Path containerDir) throws IOException {
        List<ProcessFile> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(containerDir, PROCESS_PREFIX + "*.json")) {
            for (Path p : files) {
                out.add(MAPPER.readValue(Files.readAllBytes(p), ProcessFile.class));
            }
        }
        return out;
    }

    private static Path processPath(Path containerDir, String id) {
        return containerDir.resolve(PROCESS_PREFIX + id + ".json");
    }

    private static void writeJson(Path file, Object value) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, MAPPER.writeValueAsBytes(value));
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
