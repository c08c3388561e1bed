package org.ordersaga.api;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Errors Micronaut answers itself (a malformed body, a body over 64 KiB, an unknown route) as problem documents
 * too. A server error says only that it happened: its cause is in the log, not in the response.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
final class ProblemResponses implements ErrorResponseProcessor<Problem> {

    @Override
    @SuppressWarnings("unchecked")
    public MutableHttpResponse<Problem> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        HttpStatus status = response.status();
        List<String> errors = status.getCode() >= 500
                ? List.of()
                : context.getErrors().stream().map(Error::getMessage).toList();
        Problem problem = new Problem(status.getReason(), status.getCode(), status.getReason(), errors);
        return ((MutableHttpResponse<Problem>) response)
                .contentType(Problem.MEDIA_TYPE)
                .body(problem);
    }
}
