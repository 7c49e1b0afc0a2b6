package io.jctr.plugins.runtime.linux.spec;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

/**
 * One line of a user-namespace or id-mapped-mount mapping: {@code size} ids starting at
 * {@code containerId} in the container map to ids starting at {@code hostId} on the host.
 *
 * @param containerId the first id inside, uint32
 * @param hostId      the first id outside, uint32
 * @param size        how many ids, uint32
 */
public record IdMapping(
        @JsonProperty("containerID") @JsonDeserialize(using = Unsigned.Uint32.class) long containerId,
        @JsonProperty("hostID") @JsonDeserialize(using = Unsigned.Uint32.class) long hostId,
        @JsonDeserialize(using = Unsigned.Uint32.class) long size) {
}
