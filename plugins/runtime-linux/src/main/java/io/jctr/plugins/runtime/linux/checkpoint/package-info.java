/**
 * Checkpoint and restore of native containers through the {@code criu} command (Debian's
 * criu 3.17): {@link io.jctr.plugins.runtime.linux.checkpoint.Checkpoints} is the API the runc
 * commands and the native runtime call; {@link io.jctr.plugins.runtime.linux.checkpoint.Criu}
 * runs the tool and turns a failure into one line of CRIU's own error text, taken from its log.
 */
package io.jctr.plugins.runtime.linux.checkpoint;
