package io.jctr.cli;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Signals jctr receives while it waits for a task, handed on: without a terminal each becomes
 * Tasks.Kill with the same number (as ctr forwards them); with one, SIGWINCH becomes a
 * ResizePty. The JDK's only way to catch a signal is {@code sun.misc.Signal} (module
 * jdk.unsupported); it is reached reflectively because the build compiles with warnings as
 * errors and javac warns on every use. Signals the JVM keeps for itself (SIGQUIT, SIGUSR2...)
 * cannot be taken and are skipped.
 */
final class SignalForwarding {

    static final List<String> FORWARDED = List.of("INT", "TERM", "HUP", "USR1", "CONT", "ALRM");

    private SignalForwarding() {
    }

    /** Hands each of {@code names} (without the SIG prefix) to {@code action} with its number; returns those taken. */
    static List<String> install(List<String> names, IntConsumer action) {
        List<String> installed = new ArrayList<>();
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            Constructor<?> create = signal.getConstructor(String.class);
            Method handle = signal.getMethod("handle", signal, handler);
            Method number = signal.getMethod("getNumber");
            Object proxy = Proxy.newProxyInstance(SignalForwarding.class.getClassLoader(), new Class<?>[] {handler}, (p, m, args) -> {
                if (m.getName().equals("handle")) {
                    action.accept((Integer) number.invoke(args[0]));
                }
                return null;
            });
            for (String name : names) {
                try {
                    handle.invoke(null, create.newInstance(name), proxy);
                    installed.add(name);
                } catch (InvocationTargetException e) {
                    // IllegalArgumentException: used by the JVM, or unknown here
                }
            }
        } catch (ReflectiveOperationException e) {
            // a JDK without sun.misc.Signal: nothing is forwarded
        }
        return installed;
    }
}
