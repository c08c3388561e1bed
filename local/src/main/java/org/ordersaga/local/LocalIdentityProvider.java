package org.ordersaga.local;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a deployment's identity provider (any OIDC provider) is to the API, on 127.0.0.1: a signing key made for
 * this run, whose public half is served as a JWKS with an OpenID discovery document pointing at it. The API fetches
 * the JWKS and checks tokens exactly as it checks a production provider's. The key is saved in
 * {@code directory/issuer.json} for {@code scripts/token.sh}.
 */
public final class LocalIdentityProvider implements AutoCloseable {

    static final String SAVED_ISSUER = "issuer.json";
    private static final String JWKS_PATH = "/.well-known/jwks.json";

    private final HttpServer server;
    private final TokenIssuer issuer;

    private LocalIdentityProvider(HttpServer server, TokenIssuer issuer) {
        this.server = server;
        this.issuer = issuer;
    }

    /** On a free port of 127.0.0.1, with a new key saved in {@code directory}. */
    public static LocalIdentityProvider start(Path directory) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1", e);
        }
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            TokenIssuer issuer = TokenIssuer.generate(url);
            issuer.save(directory.resolve(SAVED_ISSUER));
            String jwks = issuer.publicKeys().toString();
            String discovery = JSONObjectUtils.toJSONString(Map.of(
                    "issuer",
                    url,
                    "jwks_uri",
                    url + JWKS_PATH,
                    "id_token_signing_alg_values_supported",
                    List.of("RS256")));
            server.createContext(JWKS_PATH, exchange -> answer(exchange, jwks));
            server.createContext("/.well-known/openid-configuration", exchange -> answer(exchange, discovery));
            server.start();
            return new LocalIdentityProvider(server, issuer);
        } catch (RuntimeException e) {
            server.stop(0);
            throw e;
        }
    }

    public TokenIssuer issuer() {
        return issuer;
    }

    public String jwksUrl() {
        return issuer.issuer() + JWKS_PATH;
    }

    /** The API's settings, as environment variables, to trust this provider's tokens. */
    public Map<String, String> apiEnvironment() {
        return Map.of(
                "SAGA_SECURITY_ISSUER", issuer.issuer(),
                "SAGA_SECURITY_JWKS_URL", jwksUrl(),
                "SAGA_SECURITY_AUDIENCE", TokenIssuer.AUDIENCE);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static void answer(HttpExchange exchange, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (var out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
