/**
 * Running a launch plan: {@link io.jctr.plugins.runtime.linux.launch.Launcher} spawns the C
 * helper (built from {@code src/main/c}, shipped in the jar, executed from one sealed memfd per
 * JVM), sends it a {@link io.jctr.plugins.runtime.linux.launch.LaunchRequest}'s plan, and
 * drives the sync points through a
 * {@link io.jctr.plugins.runtime.linux.launch.LaunchListener}.
 */
package io.jctr.plugins.runtime.linux.launch;
