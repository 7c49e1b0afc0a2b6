package io.jctr.core.gc;

import io.jctr.core.plugin.PluginRegistry;
import io.jctr.spi.PluginType;

/** Access to the garbage collector for services that offer a synchronous collection. */
public final class GarbageCollection {

    private GarbageCollection() {
    }

    /**
     * A collection run on demand, looked up in the registry at call time (the collector is
     * initialised after the services; when it is disabled or skipped, there is nothing to run).
     */
    public static Runnable sync(PluginRegistry registry) {
        return () -> registry.instances(PluginType.GC, GarbageCollector.class).values().forEach(GarbageCollector::collect);
    }
}
