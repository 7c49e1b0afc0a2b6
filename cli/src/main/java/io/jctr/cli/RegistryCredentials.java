package io.jctr.cli;

import io.jctr.api.services.pull.v1.Credentials;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Registry credentials for a pull or push, as the client sends them to the daemon: from
 * {@code --user user[:password]}, else from docker's config ({@code $DOCKER_CONFIG/config.json} or
 * {@code ~/.docker/config.json}: {@code auths.<host>.auth} (base64 {@code user:password}),
 * {@code username}/{@code password}, {@code identitytoken}, or a {@code credHelpers}/{@code credsStore}
 * helper {@code docker-credential-<name>}).
 */
final class RegistryCredentials {

    private RegistryCredentials() {
    }

    /** The registry host of a reference as typed: its first component when it looks like a host, else docker.io. */
    static String host(String ref) {
        int at = ref.indexOf('@');
        String name = at < 0 ? ref : ref.substring(0, at);
        int slash = name.indexOf('/');
        if (slash > 0) {
            String first = name.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost") || !first.equals(first.toLowerCase(java.util.Locale.ROOT))) {
                return first;
            }
        }
        return "docker.io";
    }

    /** The name an image record has for what the user typed (docker.io/library/ and :latest added). */
    static String normalize(String ref) {
        String host = host(ref);
        String rest = ref.startsWith(host + "/") ? ref.substring(host.length() + 1) : ref;
        if (host.equals("docker.io") && !rest.contains("/")) {
            rest = "library/" + rest;
        }
        int at = rest.indexOf('@');
        String path = at < 0 ? rest : rest.substring(0, at);
        if (at < 0 && path.lastIndexOf(':') <= path.lastIndexOf('/')) {
            rest = rest + ":latest";
        }
        return host + "/" + rest;
    }

    static Credentials resolve(String user, String ref, Path dockerConfig) {
        if (user != null) {
            int colon = user.indexOf(':');
            if (colon >= 0) {
                return credentials(user.substring(0, colon), user.substring(colon + 1), "");
            }
            java.io.Console console = System.console();
            if (console == null) {
                throw new CliException("--user " + user + " has no password and there is no terminal to ask for it: use --user USER:PASSWORD");
            }
            char[] pw = console.readPassword("Password for %s: ", user);
            return credentials(user, pw == null ? "" : new String(pw), "");
        }
        return fromDockerConfig(host(ref), dockerConfig);
    }

    /** The docker config to read: {@code $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json}. */
    static Path dockerConfigPath() {
        String dir = System.getenv("DOCKER_CONFIG");
        return dir != null && !dir.isEmpty() ? Path.of(dir, "config.json") : Path.of(System.getProperty("user.home"), ".docker", "config.json");
    }

    static Credentials fromDockerConfig(String host, Path file) {
        if (!Files.isRegularFile(file)) {
            return Credentials.getDefaultInstance();
        }
        Map<String, Object> config;
        try {
            config = JsonReader.object(JsonReader.parse(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException | IllegalArgumentException e) {
            throw new CliException("cannot read registry credentials from " + file + ": " + e.getMessage());
        }
        List<String> keys = host.equals("docker.io")
                ? List.of("https://index.docker.io/v1/", "index.docker.io", "docker.io", "registry-1.docker.io", "https://registry-1.docker.io")
                : List.of(host, "https://" + host, "http://" + host, "https://" + host + "/v1/", "https://" + host + "/v2/");
        String helper = JsonReader.string(JsonReader.object(config.get("credHelpers")).get(host));
        if (helper.isEmpty()) {
            helper = JsonReader.string(config.get("credsStore"));
        }
        Map<String, Object> auths = JsonReader.object(config.get("auths"));
        for (String k : keys) {
            if (auths.containsKey(k)) {
                Credentials c = decode(JsonReader.object(auths.get(k)), file, k);
                if (!c.getUsername().isEmpty() || !c.getIdentityToken().isEmpty() || helper.isEmpty()) {
                    return c;
                }
            }
        }
        return helper.isEmpty() ? Credentials.getDefaultInstance() : fromHelper(helper, host.equals("docker.io") ? keys.get(0) : host);
    }

    /** One {@code auths} entry. */
    static Credentials decode(Map<String, Object> entry, Path file, String key) {
        String auth = JsonReader.string(entry.get("auth"));
        String identity = JsonReader.string(entry.get("identitytoken"));
        if (!auth.isEmpty()) {
            String plain;
            try {
                plain = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new CliException(file + ": auths." + key + ".auth is not base64");
            }
            int colon = plain.indexOf(':');
            if (colon < 0) {
                throw new CliException(file + ": auths." + key + ".auth is not base64 of user:password");
            }
            return credentials(plain.substring(0, colon), plain.substring(colon + 1), identity);
        }
        return credentials(JsonReader.string(entry.get("username")), JsonReader.string(entry.get("password")), identity);
    }

    /** Asks {@code docker-credential-<helper> get}; no credentials when it has none or is missing. */
    static Credentials fromHelper(String helper, String server) {
        try {
            Process p = new ProcessBuilder("docker-credential-" + helper, "get").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(server.getBytes(StandardCharsets.UTF_8));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (InputStream o = p.getInputStream()) {
                o.transferTo(out);
            }
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return Credentials.getDefaultInstance();
            }
            Map<String, Object> r = JsonReader.object(JsonReader.parse(out.toString(StandardCharsets.UTF_8)));
            String user = JsonReader.string(r.get("Username"));
            String secret = JsonReader.string(r.get("Secret"));
            return user.equals("<token>") ? credentials("", "", secret) : credentials(user, secret, "");
        } catch (IOException | IllegalArgumentException e) {
            return Credentials.getDefaultInstance();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Credentials.getDefaultInstance();
        }
    }

    private static Credentials credentials(String user, String password, String identity) {
        return Credentials.newBuilder().setUsername(user).setPassword(password).setIdentityToken(identity).build();
    }
}
