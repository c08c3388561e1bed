package org.ordersaga.local;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Signs tokens the way the API's identity provider would: RS256 with a key made for one run of the stack, issuer
 * and audience as the API expects them, a customer's subject its customer id, an operator's {@code roles} claim
 * holding {@value #OPERATOR_ROLE}.
 */
public final class TokenIssuer {

    public static final String AUDIENCE = "order-saga";
    public static final String OPERATOR_ROLE = "operator";

    private final String issuer;
    private final RSAKey key;

    private TokenIssuer(String issuer, RSAKey key) {
        this.issuer = issuer;
        this.key = key;
    }

    /** A new signing key for {@code issuer}. */
    public static TokenIssuer generate(String issuer) {
        try {
            return new TokenIssuer(
                    issuer,
                    new RSAKeyGenerator(2048)
                            .keyUse(KeyUse.SIGNATURE)
                            .algorithm(JWSAlgorithm.RS256)
                            .keyID(UUID.randomUUID().toString())
                            .generate());
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an RSA key", e);
        }
    }

    /** The issuer {@link #save saved} in {@code file}, to sign more tokens while its stack runs. */
    public static TokenIssuer load(Path file) {
        try {
            Map<String, Object> saved = JSONObjectUtils.parse(Files.readString(file));
            return new TokenIssuer(
                    (String) saved.get("issuer"), RSAKey.parse(JSONObjectUtils.getJSONObject(saved, "signingKey")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + "; is the local stack running?", e);
        } catch (ParseException e) {
            throw new IllegalStateException(file + " is not a saved token issuer", e);
        }
    }

    /** Writes the issuer and its private key to {@code file}, readable by its owner only. */
    public void save(Path file) {
        writeOwnerOnly(file, JSONObjectUtils.toJSONString(Map.of("issuer", issuer, "signingKey", key.toJSONObject())));
    }

    /** A new {@code file} (its directories made) holding {@code content}, which only its owner may read. */
    static void writeOwnerOnly(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public String issuer() {
        return issuer;
    }

    /** The public half of the signing key, as the identity provider publishes it. */
    public JWKSet publicKeys() {
        return new JWKSet(key.toPublicJWK());
    }

    /** A token for {@code subject}, valid from now for {@code validFor}. */
    public String token(String subject, boolean operator, Duration validFor) {
        Instant now = Instant.now();
        return sign(claims(subject, operator, now, now.plus(validFor)).build());
    }

    /** The claims of a token for {@code subject}, valid from {@code notBefore} until {@code expiresAt}. */
    public JWTClaimsSet.Builder claims(String subject, boolean operator, Instant notBefore, Instant expiresAt) {
        return new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(AUDIENCE)
                .subject(subject)
                .claim("roles", operator ? List.of(OPERATOR_ROLE) : List.of())
                .issueTime(Date.from(Instant.now()))
                .notBeforeTime(Date.from(notBefore))
                .expirationTime(Date.from(expiresAt))
                .jwtID(UUID.randomUUID().toString());
    }

    /** {@code claims} signed with this issuer's key, as a compact JWT. */
    public String sign(JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
        return jwt.serialize();
    }
}
