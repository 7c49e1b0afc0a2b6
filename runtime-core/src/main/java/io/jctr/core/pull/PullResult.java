package io.jctr.core.pull;

import io.jctr.core.registry.Descriptor;

/** The image record a pull created or updated: its name and target (the manifest or index). */
public record PullResult(String name, Descriptor target) {
}
