package io.jctr.core.metadata;

/**
 * The key layout of the metadata store, in one place:
 * <pre>
 * server/uuid                         the daemon's identity (introspection)
 * namespaces/&lt;name&gt;                   a namespace and its labels
 * ns/&lt;name&gt;/&lt;kind&gt;/&lt;id&gt;             an object of a namespace (kind: leases, images, containers, ...)
 * </pre>
 * Namespace names cannot contain {@code /}, so {@code ns/<name>/} is an exact prefix.
 */
public final class MetadataKeys {

    public static final String SERVER_UUID = "server/uuid";

    private MetadataKeys() {
    }

    public static String namespace(String name) {
        return "namespaces/" + name;
    }

    public static String namespacesPrefix() {
        return "namespaces/";
    }

    /** Everything a namespace holds. */
    public static String namespaceContents(String namespace) {
        return "ns/" + namespace + "/";
    }

    /** All objects of one kind in a namespace. */
    public static String kindPrefix(String namespace, String kind) {
        return namespaceContents(namespace) + kind + "/";
    }

    public static String object(String namespace, String kind, String id) {
        return kindPrefix(namespace, kind) + id;
    }

    /** The kind of an object key under {@link #namespaceContents}. */
    public static String kindOf(String namespace, String key) {
        String rest = key.substring(namespaceContents(namespace).length());
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }
}
