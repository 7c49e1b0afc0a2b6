/**
 * The runtime's side of the per-task shim ({@code src/main/c-shim}): starting it and talking to
 * it ({@link io.jctr.plugins.runtime.linux.shim.ShimClient}), launching through it
 * ({@link io.jctr.plugins.runtime.linux.shim.ShimStarter}, a
 * {@link io.jctr.plugins.runtime.linux.launch.HelperStarter}), and the exits it records
 * ({@link io.jctr.plugins.runtime.linux.shim.ExitsFile}).
 */
package io.jctr.plugins.runtime.linux.shim;
