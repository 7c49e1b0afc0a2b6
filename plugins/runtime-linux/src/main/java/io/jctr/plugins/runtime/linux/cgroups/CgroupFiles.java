package io.jctr.plugins.runtime.linux.cgroups;

import io.jctr.spi.JctrException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads and writes cgroup interface files. A value goes to the kernel in one {@code write(2)}
 * on a descriptor opened without {@code O_CREAT}, as cgroupfs requires; a failure becomes a
 * {@link JctrException} naming the file, the value and the kernel's reason. Thread-safe.
 */
final class CgroupFiles {

    private CgroupFiles() {
    }

    /** Writes {@code value} to {@code dir/file}; the file must exist. */
    static void write(Path dir, String file, String value) {
        try {
            writeRaw(dir.resolve(file), value);
        } catch (IOException e) {
            throw writeFailure(dir, file, value, e);
        }
    }

    /** Writes {@code value} to {@code file}, raising the kernel's error as it comes. */
    static void writeRaw(Path file, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            int n = c.write(ByteBuffer.wrap(bytes));
            if (n != bytes.length) {
                throw new IOException("short write (" + n + " of " + bytes.length + " bytes)");
            }
        }
    }

    /** The error for a failed write; EINVAL and ERANGE are the caller's bad value. */
    static JctrException writeFailure(Path dir, String file, String value, IOException e) {
        String reason = reason(e);
        String message = String.format("cgroup: writing \"%s\" = %s in %s: %s", file, value, dir,
                reason);
        JctrException.Kind kind = reason.equals("Invalid argument")
                || reason.equals("Numerical result out of range")
                ? JctrException.Kind.INVALID_ARGUMENT : JctrException.Kind.UNKNOWN;
        return new JctrException(kind, message, e);
    }

    /** The contents of {@code dir/file}, trailing newline removed. */
    static String read(Path dir, String file) {
        try {
            return Files.readString(dir.resolve(file), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new JctrException(e instanceof NoSuchFileException
                    ? JctrException.Kind.NOT_FOUND : JctrException.Kind.UNKNOWN,
                    String.format("cgroup: reading \"%s\" in %s: %s", file, dir, reason(e)), e);
        }
    }

    /** A number file; {@code max} (v2's "unlimited") reads as {@code -1}. */
    static long readLong(Path dir, String file) {
        return parseLong(dir, file, read(dir, file));
    }

    /** {@code value} as an unsigned 64-bit number or {@code max} as -1. */
    static long parseLong(Path dir, String file, String value) {
        if (value.equals("max")) {
            return -1;
        }
        try {
            return Long.parseUnsignedLong(value);
        } catch (NumberFormatException e) {
            throw new JctrException(JctrException.Kind.UNKNOWN,
                    String.format("cgroup: \"%s\" in %s holds %s, not a number", file, dir, value),
                    e);
        }
    }

    /** Whether {@code dir/file} exists. */
    static boolean exists(Path dir, String file) {
        return Files.exists(dir.resolve(file));
    }

    /** The reason of an I/O error as the kernel states it: "Device or resource busy". */
    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return String.valueOf(e.getMessage());
    }
}
