package io.jctr.core.registry;

/**
 * What a client authenticates to a registry with: a user name and password (sent as basic auth,
 * or to a token endpoint), or an identity token (an OAuth2 refresh token, as docker's
 * {@code identitytoken}). Empty fields mean none.
 */
public record Credentials(String username, String password, String identityToken) {

    public static final Credentials NONE = new Credentials("", "", "");

    public Credentials {
        username = username == null ? "" : username;
        password = password == null ? "" : password;
        identityToken = identityToken == null ? "" : identityToken;
    }

    public boolean hasBasic() {
        return !username.isEmpty();
    }

    @Override
    public String toString() {
        return "Credentials[" + (username.isEmpty() ? "anonymous" : username) + "]"; // never the secret
    }
}
