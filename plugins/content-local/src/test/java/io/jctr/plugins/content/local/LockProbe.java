package io.jctr.plugins.content.local;

import io.jctr.spi.JctrException;
import io.jctr.spi.content.ContentWriter;
import java.nio.file.Path;

/**
 * A second "daemon" for {@link CrossProcessLockTest}: opens a writer for {@code args[1]} in the
 * store at {@code args[0]} and prints {@code acquired} or the error kind.
 */
public final class LockProbe {

    private LockProbe() {
    }

    public static void main(String[] args) throws Exception {
        LocalContentStore store = new LocalContentStore(Path.of(args[0]));
        try {
            ContentWriter w = store.writer(args[1], 0, "");
            System.out.println("acquired");
            w.close();
        } catch (JctrException e) {
            System.out.println(e.kind());
        }
    }
}
