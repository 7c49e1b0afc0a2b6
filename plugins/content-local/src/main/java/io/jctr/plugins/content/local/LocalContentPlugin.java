package io.jctr.plugins.content.local;

import io.jctr.spi.InitContext;
import io.jctr.spi.PluginFactory;
import io.jctr.spi.PluginType;
import io.jctr.spi.Registration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Registers the local content store, {@code io.jctr.content.v1.local}: a
 * {@link LocalContentStore} in the plugin's root directory, exported as {@code root}.
 */
public final class LocalContentPlugin implements PluginFactory {

    @Override
    public Registration registration() {
        return Registration.of(PluginType.CONTENT, "local");
    }

    /** @throws IOException when the root directory cannot be created */
    @Override
    public Object init(InitContext context) throws IOException {
        Path root = context.root();
        Files.createDirectories(root);
        context.export("root", root.toString());
        return new LocalContentStore(root);
    }
}
