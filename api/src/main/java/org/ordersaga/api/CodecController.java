package org.ordersaga.api;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.payload.codec.PayloadCodecException;
import java.util.List;
import java.util.function.UnaryOperator;
import org.ordersaga.temporal.PayloadEncryption;
import org.ordersaga.temporal.TemporalProperties;

/**
 * Temporal's remote codec protocol, so that the Web UI and the {@code temporal} CLI show sagas' payloads decrypted:
 * a body of {@code Payloads} in protobuf's JSON, encoded or decoded with the codec the API's own client uses. For
 * operators only; the Web UI's origin may call it across origins (CORS, {@code application.yml}).
 */
@Controller("/codec")
@Secured(Caller.OPERATOR)
@SecurityRequirement(name = ApiApplication.BEARER)
@ApiResponse(
        responseCode = "200",
        description = "the payloads, decoded or encoded",
        content = @Content(mediaType = MediaType.APPLICATION_JSON))
@ApiResponse(
        responseCode = "400",
        description = "not Temporal's Payloads in JSON, another namespace, or a payload that does not decrypt",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@ApiResponse(
        responseCode = "401",
        description = ApiApplication.UNAUTHENTICATED,
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@ApiResponse(
        responseCode = "403",
        description = "not an operator",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
class CodecController {

    private static final String NAMESPACE_HEADER = "X-Namespace";

    private final PayloadEncryption encryption;
    private final String namespace;

    CodecController(PayloadEncryption encryption, TemporalProperties temporal) {
        this.encryption = encryption;
        this.namespace = temporal.namespace();
    }

    /**
     * Decrypts payloads as they are stored in Temporal.
     *
     * @param payloads {@code {"payloads": [{"metadata": {...}, "data": "..."}]}}, bytes in base64
     * @param requestedNamespace the namespace they come from, if said; this codec serves the API's own
     * @return the same payloads, decrypted
     */
    @Post(uri = "/decode", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    String decode(@Body String payloads, @Nullable @Header(NAMESPACE_HEADER) String requestedNamespace) {
        return apply(payloads, requestedNamespace, encryption::decode);
    }

    /**
     * Encrypts payloads as the API's client would, for the Web UI's signals and starts.
     *
     * @param payloads {@code {"payloads": [{"metadata": {...}, "data": "..."}]}}, bytes in base64
     * @param requestedNamespace the namespace they go to, if said; this codec serves the API's own
     * @return the same payloads, encrypted
     */
    @Post(uri = "/encode", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    String encode(@Body String payloads, @Nullable @Header(NAMESPACE_HEADER) String requestedNamespace) {
        return apply(payloads, requestedNamespace, encryption::encode);
    }

    private String apply(String body, String requestedNamespace, UnaryOperator<List<Payload>> codec) {
        // the temporal CLI sends the header empty
        if (requestedNamespace != null && !requestedNamespace.isEmpty() && !requestedNamespace.equals(namespace)) {
            throw new ApiFailures.Invalid(
                    "this codec serves one namespace",
                    List.of(NAMESPACE_HEADER + ": must be " + namespace + ", not " + requestedNamespace));
        }
        Payloads.Builder payloads = Payloads.newBuilder();
        try {
            JsonFormat.parser().merge(body, payloads);
        } catch (InvalidProtocolBufferException e) {
            throw new ApiFailures.Invalid("not Temporal's Payloads in JSON", List.of("payloads: " + e.getMessage()));
        }
        List<Payload> coded;
        try {
            coded = codec.apply(payloads.getPayloadsList());
        } catch (PayloadCodecException e) {
            throw new ApiFailures.Invalid("a payload does not decode", List.of("payloads: " + e.getMessage()));
        }
        try {
            return JsonFormat.printer().print(Payloads.newBuilder().addAllPayloads(coded));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("payloads that parsed do not print", e);
        }
    }
}
