package io.jctr.plugins.snapshots.overlay;

import io.jctr.spi.InitContext;
import io.jctr.spi.Platform;
import io.jctr.spi.PluginFactory;
import io.jctr.spi.PluginType;
import io.jctr.spi.Registration;
import java.nio.file.Path;

/**
 * Registers {@link OverlaySnapshotter} as snapshotter {@code overlayfs}, rooted at the plugin's
 * directory. Skips with the reason when the daemon is not root or overlayfs does not work on the
 * root's filesystem (see {@link OverlaySupport}). Exports {@code root}.
 */
public final class OverlayPlugin implements PluginFactory {

    private final Posix posix;

    /** The factory ServiceLoader instantiates. */
    public OverlayPlugin() {
        this(null);
    }

    OverlayPlugin(Posix posix) {
        this.posix = posix;
    }

    @Override
    public Registration registration() {
        return Registration.of(PluginType.SNAPSHOTTER, "overlayfs").platforms(Platform.host());
    }

    @Override
    public Object init(InitContext context) throws Exception {
        Path root = context.root();
        OverlaySupport.check(root, posix == null ? Posix.system() : posix);
        OverlaySnapshotter snapshotter = new OverlaySnapshotter(root);
        context.export("root", root.toString());
        return snapshotter;
    }
}
