package org.ordersaga.temporal;

import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.File;
import java.util.List;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Connection options for the Temporal frontend, with TLS or mTLS when configured (Temporal Cloud). */
public final class TemporalConnection {

    private static final Logger LOG = LoggerFactory.getLogger(TemporalConnection.class);

    private TemporalConnection() {}

    /**
     * Payloads as JSON, encrypted by {@code encryption} on their way to Temporal. Failures' messages and stack traces
     * stay readable (the SDK's default): the API's operators read a step's last failure from Temporal, and the saga's
     * failure messages carry ids, not a customer's personal data.
     */
    public static DataConverter dataConverter(PayloadEncryption encryption) {
        if (encryption.encrypts()) {
            LOG.info(
                    "payloads are encrypted with the key '{}'",
                    encryption.keyId().orElseThrow());
        } else {
            LOG.warn("payloads go to Temporal in plain text, customers' names and addresses included: set"
                    + " saga.payload-encryption.keys and key-id (SAGA_PAYLOAD_ENCRYPTION_KEYS, _KEY_ID)");
        }
        return new CodecDataConverter(DefaultDataConverter.newDefaultInstance(), List.of(encryption));
    }

    /** Target and TLS set; the caller adds its timeouts and metrics and builds the stubs. */
    public static WorkflowServiceStubsOptions.Builder options(TemporalProperties temporal) {
        WorkflowServiceStubsOptions.Builder options =
                WorkflowServiceStubsOptions.newBuilder().setTarget(temporal.target());
        if (temporal.usesTls()) {
            try {
                SslContextBuilder ssl = GrpcSslContexts.forClient();
                if (temporal.serverCa() != null) {
                    ssl.trustManager(existing(temporal.serverCa(), "saga.temporal.server-ca"));
                }
                if (temporal.clientCert() != null) {
                    if (temporal.clientKey() == null) {
                        throw new IllegalArgumentException(
                                "saga.temporal.client-cert is set without saga.temporal.client-key");
                    }
                    ssl.keyManager(
                            existing(temporal.clientCert(), "saga.temporal.client-cert"),
                            existing(temporal.clientKey(), "saga.temporal.client-key"));
                }
                options.setSslContext(ssl.build());
            } catch (SSLException e) {
                throw new IllegalArgumentException("cannot set up TLS to Temporal at " + temporal.target(), e);
            }
        }
        return options;
    }

    /**
     * The SDK's metrics (requests, polls, workflow task and activity latencies, sticky cache) in Micrometer, hence on
     * the process's {@code /prometheus}. Counters are handed over every second, so that a scrape at the end of a
     * benchmark's window counts the window.
     */
    public static Scope metrics(MeterRegistry meters) {
        return new RootScopeBuilder()
                .reporter(new MicrometerClientStatsReporter(meters))
                .reportEvery(com.uber.m3.util.Duration.ofSeconds(1));
    }

    private static File existing(String path, String property) {
        File file = new File(path);
        if (!file.canRead()) {
            throw new IllegalArgumentException(property + ": cannot read " + file.getAbsolutePath());
        }
        return file;
    }
}
