package io.jctr.core.pull;

import io.jctr.core.unpack.ImageUnpacker;

/** What the transfer plugin offers: pulls, pushes and the unpacker (for imports too). */
public record Transfers(PullService pulls, PushService pushes, ImageUnpacker unpacker) {
}
