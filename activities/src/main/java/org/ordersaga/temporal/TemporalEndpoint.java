package org.ordersaga.temporal;

/**
 * Where a process finds the Temporal frontend ({@code saga.temporal.*}), shared by the workers and the API.
 * The three files are PEM; any of them implies TLS.
 */
public interface TemporalEndpoint {

    /** host:port of the frontend. */
    String target();

    String namespace();

    /** Connect with TLS even without any of the files (Temporal Cloud with an API key, a public CA). */
    boolean tls();

    /** Client certificate for mTLS, or null. */
    String clientCert();

    /** PKCS#8 client key for mTLS, or null. */
    String clientKey();

    /** CA to trust instead of the JVM's defaults, or null. */
    String serverCa();

    default boolean usesTls() {
        return tls() || clientCert() != null || serverCa() != null;
    }
}
