/**
 * The OCI runtime configuration (Runtime Specification 1.1) as Java records, its parser and its
 * validator.
 *
 * <p>{@link io.jctr.plugins.runtime.linux.spec.SpecParser} turns config.json into an immutable
 * {@link io.jctr.plugins.runtime.linux.spec.RuntimeSpec}, keeping the raw bytes;
 * {@link io.jctr.plugins.runtime.linux.spec.SpecValidator} reports every problem at its JSON
 * path ({@code linux.namespaces[2].type: unknown namespace type "foo"}) as a
 * {@link io.jctr.plugins.runtime.linux.spec.SpecException}. The enums
 * {@link io.jctr.plugins.runtime.linux.spec.NamespaceType},
 * {@link io.jctr.plugins.runtime.linux.spec.Capability} and
 * {@link io.jctr.plugins.runtime.linux.spec.RlimitType} map the specification's names to the
 * kernel's numbers. Nothing here touches the file system except reading config.json.
 */
package io.jctr.plugins.runtime.linux.spec;
