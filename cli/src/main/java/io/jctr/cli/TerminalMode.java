package io.jctr.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The controlling terminal in raw mode while a container owns it ({@code run -t}), through
 * {@code stty} on /dev/tty: no echo, no line editing, every key (Ctrl-C too) goes to the
 * container. {@link #restore} puts back the settings saved at {@link #raw}.
 */
final class TerminalMode {

    private final String saved;

    private TerminalMode(String saved) {
        this.saved = saved;
    }

    /** Raw mode on the terminal, or null when there is no terminal (stdin redirected). */
    static TerminalMode raw() {
        if (System.console() == null) {
            return null;
        }
        try {
            String saved = stty("-g").trim();
            stty("raw", "-echo");
            return new TerminalMode(saved);
        } catch (IOException e) {
            return null;
        }
    }

    /** Columns and rows of the terminal, or null when unknown. */
    static int[] size() {
        try {
            String[] rc = stty("size").trim().split("\\s+");
            return new int[] {Integer.parseInt(rc[1]), Integer.parseInt(rc[0])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    void restore() {
        try {
            stty(saved);
        } catch (IOException e) {
            System.err.println("jctr: cannot restore the terminal (run 'stty sane'): " + e.getMessage());
        }
    }

    private static String stty(String... args) throws IOException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "stty";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).redirectInput(new File("/dev/tty")).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                throw new IOException("stty " + String.join(" ", args) + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return out;
    }
}
