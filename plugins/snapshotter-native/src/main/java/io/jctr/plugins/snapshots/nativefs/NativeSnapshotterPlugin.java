package io.jctr.plugins.snapshots.nativefs;

import io.jctr.spi.InitContext;
import io.jctr.spi.Platform;
import io.jctr.spi.PluginFactory;
import io.jctr.spi.PluginType;
import io.jctr.spi.Registration;
import java.nio.file.Path;

/**
 * Registers {@link NativeSnapshotter} as snapshotter {@code native}, rooted at the plugin's
 * directory. Exports {@code root}.
 */
public final class NativeSnapshotterPlugin implements PluginFactory {

    @Override
    public Registration registration() {
        return Registration.of(PluginType.SNAPSHOTTER, "native").platforms(Platform.host());
    }

    @Override
    public Object init(InitContext context) throws Exception {
        Path root = context.root();
        NativeSnapshotter snapshotter = new NativeSnapshotter(root);
        context.export("root", root.toString());
        return snapshotter;
    }
}
