package io.jctr.core.gc;

import io.jctr.core.events.EventExchange;
import io.jctr.core.metadata.MetadataStore;
import io.jctr.spi.InitContext;
import io.jctr.spi.PluginFactory;
import io.jctr.spi.PluginType;
import io.jctr.spi.Registration;
import io.jctr.spi.content.ContentStore;
import io.jctr.spi.snapshots.Snapshotter;
import java.util.Set;

/**
 * Registers garbage collection as {@code io.jctr.gc.v1.scheduler}: a collection runs in the
 * background after every deletion that can leave something unreferenced (images, containers,
 * leases, content, snapshots), and synchronously when a client asks for it ({@code sync}).
 */
public final class GarbageCollectorPlugin implements PluginFactory {

    private static final Set<String> TRIGGERS = Set.of("/images/delete", "/containers/delete", "/leases/delete",
            "/content/delete", "/snapshot/remove");

    @Override
    public Registration registration() {
        return Registration.of(PluginType.GC, "scheduler")
                .requires(PluginType.METADATA, PluginType.EVENT, PluginType.CONTENT, PluginType.SNAPSHOTTER);
    }

    @Override
    public Object init(InitContext context) throws Exception {
        GarbageCollector gc = new GarbageCollector(context.get(PluginType.METADATA, MetadataStore.class),
                context.get(PluginType.CONTENT, ContentStore.class), context.getAll(PluginType.SNAPSHOTTER, Snapshotter.class));
        context.get(PluginType.EVENT, EventExchange.class).subscribe(e -> {
            if (TRIGGERS.contains(e.topic())) {
                gc.schedule();
            }
        });
        return gc;
    }
}
