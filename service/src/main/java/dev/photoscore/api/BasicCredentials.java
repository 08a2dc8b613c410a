package dev.photoscore.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/** HTTP Basic credentials ({@code Authorization: Basic base64(client_id:client_secret)}), RFC 7617. */
record BasicCredentials(String clientId, String clientSecret) {

    /** The credentials of an Authorization header; empty when it is absent or not well-formed Basic. */
    static Optional<BasicCredentials> parse(Optional<String> authorization) {
        if (authorization.isEmpty()) {
            return Optional.empty();
        }
        String value = authorization.get().trim();
        int space = value.indexOf(' ');
        if (space < 0 || !value.substring(0, space).toLowerCase(Locale.ROOT).equals("basic")) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(value.substring(space + 1).trim()),
                    StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                return Optional.empty();
            }
            return Optional.of(new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "BasicCredentials[clientId=" + clientId + ", clientSecret=(hidden)]";
    }
}
