package io.jctr.core.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jctr.spi.JctrException;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** Turns a registry's error answer into an exception whose message says what was asked and what it said. */
final class RegistryErrors {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RegistryErrors() {
    }

    /** For a response whose status was not the one wanted; reads (a bounded part of) its body. */
    static JctrException unexpected(HttpResponse<?> r, String what) {
        String body = "";
        Object b = r.body();
        if (b instanceof InputStream in) {
            try (in) {
                body = body(in.readNBytes(4096));
            } catch (IOException e) {
                body = "";
            }
        } else if (b instanceof byte[] bytes) {
            body = body(bytes);
        }
        int code = r.statusCode();
        String msg = what + ": unexpected status from " + r.request().method() + " request to " + r.request().uri() + ": " + code
                + (body.isEmpty() ? "" : " " + body);
        JctrException.Kind kind = switch (code) {
            case 404 -> JctrException.Kind.NOT_FOUND;
            case 401, 403 -> JctrException.Kind.FAILED_PRECONDITION;
            case 429, 502, 503, 504 -> JctrException.Kind.UNAVAILABLE;
            default -> JctrException.Kind.UNKNOWN;
        };
        return new JctrException(kind, msg);
    }

    /** The registry's {@code errors[].code: message} list, or the body's first line. */
    static String body(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return "";
        }
        try {
            JsonNode errors = JSON.readTree(bytes).path("errors");
            if (errors.isArray() && errors.size() > 0) {
                StringBuilder b = new StringBuilder();
                for (JsonNode e : errors) {
                    b.append(b.length() == 0 ? "" : "; ").append(e.path("code").asText("").toLowerCase(java.util.Locale.ROOT))
                            .append(": ").append(e.path("message").asText(""));
                }
                return b.toString();
            }
        } catch (IOException | RuntimeException notJson) {
            // fall through to the text
        }
        String text = new String(bytes, StandardCharsets.UTF_8).strip();
        int nl = text.indexOf('\n');
        text = nl < 0 ? text : text.substring(0, nl);
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
