package io.jctr.plugins.content.local;

import io.jctr.spi.JctrException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Digests of the one algorithm this store supports: validation, hashing and formatting. */
final class Sha256 {

    static final String PREFIX = "sha256:";
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");
    private static final HexFormat FORMAT = HexFormat.of();

    private Sha256() {
    }

    /**
     * The hex part of a well-formed digest; it is safe as a file name.
     *
     * @throws JctrException INVALID_ARGUMENT when the digest is not {@code sha256:<64 hex>}
     */
    static String hex(String digest) {
        if (digest == null || !DIGEST.matcher(digest).matches()) {
            throw JctrException.invalidArgument("invalid digest \"%s\": want sha256: and 64 lower-case hex digits", digest);
        }
        return digest.substring(PREFIX.length());
    }

    /** A validated optional digest: {@code ""} when {@code null} or empty. */
    static String optional(String digest) {
        if (digest == null || digest.isEmpty()) {
            return "";
        }
        hex(digest);
        return digest;
    }

    /** Whether a file name is the hex part of a digest. */
    static boolean isHex(String name) {
        return HEX.matcher(name).matches();
    }

    static MessageDigest newDigester() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("sha-256 missing from the java platform", e);
        }
    }

    /** The digest of everything fed to {@code digester} so far, leaving it untouched. */
    static String current(MessageDigest digester) {
        try {
            return PREFIX + FORMAT.formatHex(((MessageDigest) digester.clone()).digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("sha-256 digester " + digester.getProvider() + " cannot be cloned", e);
        }
    }

    /** The hex sha-256 of a string's UTF-8 bytes: a fixed-length name that reveals nothing of it. */
    static String hexOf(String text) {
        return FORMAT.formatHex(newDigester().digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
