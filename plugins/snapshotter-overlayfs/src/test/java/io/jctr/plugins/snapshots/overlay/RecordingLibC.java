package io.jctr.plugins.snapshots.overlay;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A stand-in {@link LibC} that records the calls that act (not {@code getpagesize} or
 * {@code strerror}) as {@code name[arg, ...]} and succeeds, with
 * a chosen effective uid, descriptor 7 from {@code open} and 4096-byte pages.
 */
final class RecordingLibC {

    final List<String> calls = new ArrayList<>();
    private final int euid;

    RecordingLibC(int euid) {
        this.euid = euid;
    }

    Posix posix() {
        LibC libc = (LibC) Proxy.newProxyInstance(LibC.class.getClassLoader(), new Class<?>[] {LibC.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("getpagesize") && !method.getName().equals("strerror")) {
                        calls.add(method.getName() + Arrays.toString(args == null ? new Object[0] : args));
                    }
                    return switch (method.getName()) {
                        case "geteuid" -> euid;
                        case "getpagesize" -> 4096;
                        case "open" -> 7;
                        case "strerror" -> "Stand-in error";
                        default -> 0;
                    };
                });
        return new Posix(libc, () -> 0);
    }
}
