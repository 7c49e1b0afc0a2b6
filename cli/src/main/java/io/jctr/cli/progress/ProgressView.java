package io.jctr.cli.progress;

import io.jctr.api.services.pull.v1.BlobProgress;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Shows a pull's or push's per-blob progress. On a terminal: one line per blob with state, a
 * bar, bytes and rate, redrawn in place with ANSI cursor movement on every update. Otherwise:
 * one plain line each time a blob changes state, nothing redrawn. Not thread-safe: the call's
 * messages arrive one after another.
 */
public final class ProgressView {

    private static final int BAR = 24;

    private final PrintStream out;
    private final boolean tty;
    private final LongSupplier nanos;
    private final Map<String, BlobProgress.State> printed = new HashMap<>();
    private final Map<String, long[]> starts = new HashMap<>(); // digest -> {nanos, offset} when transfer began
    private int drawn;

    /** @param nanos the clock for rates ({@code System::nanoTime}; a fake in tests) */
    public ProgressView(PrintStream out, boolean tty, LongSupplier nanos) {
        this.out = out;
        this.tty = tty;
        this.nanos = nanos;
    }

    /** Before the first message: what is being resolved. */
    public void resolving(String ref) {
        if (tty) {
            out.print(ref + ": resolving\n");
            out.flush();
            drawn = 1;
        } else {
            out.println(ref + ": resolving");
            out.flush();
        }
    }

    public void update(List<BlobProgress> blobs) {
        long now = nanos.getAsLong();
        for (BlobProgress b : blobs) {
            boolean moving = b.getState() == BlobProgress.State.DOWNLOADING || b.getState() == BlobProgress.State.UPLOADING;
            if (moving) {
                starts.putIfAbsent(b.getDigest(), new long[] {now, b.getOffset()});
            }
        }
        if (tty) {
            redraw(blobs, now);
        } else {
            for (BlobProgress b : blobs) {
                if (printed.put(b.getDigest(), b.getState()) != b.getState()) {
                    out.println(plainLine(b));
                }
            }
            out.flush();
        }
    }

    private void redraw(List<BlobProgress> blobs, long now) {
        StringBuilder s = new StringBuilder();
        if (drawn > 0) {
            s.append("\033[").append(drawn).append('A');
        }
        for (BlobProgress b : blobs) {
            s.append('\r').append("\033[2K").append(ttyLine(b, now)).append('\n');
        }
        drawn = blobs.size();
        out.print(s);
        out.flush();
    }

    /** {@code layer   sha256:0123456789ab  downloading  [=====>      ]  1.2 MiB/5.0 MiB  3.1 MiB/s}. */
    String ttyLine(BlobProgress b, long now) {
        String head = String.format(Locale.ROOT, "%-8s %-19s %-11s", b.getKind(), shortDigest(b.getDigest()), state(b.getState()));
        long total = b.getTotal();
        long done = Math.min(b.getOffset(), total);
        int fill = total <= 0 ? BAR : (int) (BAR * done / total);
        StringBuilder bar = new StringBuilder("[");
        for (int i = 0; i < BAR; i++) {
            bar.append(i < fill ? '=' : i == fill ? '>' : ' ');
        }
        bar.append(']');
        String bytes = ByteFormat.size(done) + "/" + ByteFormat.size(total);
        String rate = "";
        long[] start = starts.get(b.getDigest());
        boolean moving = b.getState() == BlobProgress.State.DOWNLOADING || b.getState() == BlobProgress.State.UPLOADING;
        if (start != null && moving && now > start[0]) {
            rate = ByteFormat.rate((b.getOffset() - start[1]) * 1e9 / (now - start[0]));
        }
        return head + " " + bar + " " + String.format(Locale.ROOT, "%-21s %s", bytes, rate).stripTrailing();
    }

    /** {@code layer sha256:0123...: downloading (5.0 MiB)}. */
    static String plainLine(BlobProgress b) {
        return b.getKind() + " " + b.getDigest() + ": " + state(b.getState()) + " (" + ByteFormat.size(b.getTotal()) + ")";
    }

    static String shortDigest(String digest) {
        return digest.length() > 19 ? digest.substring(0, 19) : digest;
    }

    static String state(BlobProgress.State s) {
        return s == BlobProgress.State.UNRECOGNIZED ? "unknown" : s.name().toLowerCase(Locale.ROOT);
    }
}
