package io.jctr.cli.transport;

/**
 * One HTTP/2 header field. Names and values hold octets as ISO-8859-1 characters, so that a
 * value survives decoding and encoding byte for byte.
 */
record Header(String name, String value) {

    /** The size RFC 7541 §4.1 charges for the field in the dynamic table. */
    int hpackSize() {
        return name.length() + value.length() + 32;
    }
}
