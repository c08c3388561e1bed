package org.ordersaga.api;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import java.util.List;
import org.ordersaga.db.DataAccessException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The API's own failures as problem documents; {@link ProblemResponses} does the same for Micronaut's. */
@Controller
class ProblemHandlers {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemHandlers.class);

    @Error(global = true, exception = ApiFailures.Invalid.class)
    HttpResponse<Problem> invalid(HttpRequest<?> request, ApiFailures.Invalid e) {
        return problem(HttpStatus.BAD_REQUEST, e.getMessage(), e.problems);
    }

    @Error(global = true, exception = ApiFailures.Forbidden.class)
    HttpResponse<Problem> forbidden(HttpRequest<?> request, ApiFailures.Forbidden e) {
        return problem(HttpStatus.FORBIDDEN, e.getMessage(), List.of());
    }

    @Error(global = true, exception = ApiFailures.NotFound.class)
    HttpResponse<Problem> notFound(HttpRequest<?> request, ApiFailures.NotFound e) {
        return problem(HttpStatus.NOT_FOUND, e.getMessage(), List.of());
    }

    @Error(global = true, exception = ApiFailures.Conflict.class)
    HttpResponse<Problem> conflict(HttpRequest<?> request, ApiFailures.Conflict e) {
        return problem(HttpStatus.CONFLICT, e.getMessage(), List.of());
    }

    @Error(global = true, exception = ApiFailures.TemporalUnavailable.class)
    HttpResponse<Problem> unavailable(HttpRequest<?> request, ApiFailures.TemporalUnavailable e) {
        return problem(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage(), List.of())
                .header("Retry-After", "5");
    }

    /** The API's own database (idempotency keys, the order view, the operator views) is down: a 503, not a 500. */
    @Error(global = true, exception = DataAccessException.class)
    HttpResponse<Problem> database(HttpRequest<?> request, DataAccessException e) {
        if (e.kind() != DataAccessException.Kind.UNAVAILABLE) {
            LOG.error("{} {} failed", request.getMethod(), request.getPath(), e);
            return problem(HttpStatus.INTERNAL_SERVER_ERROR, HttpStatus.INTERNAL_SERVER_ERROR.getReason(), List.of());
        }
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "the database is unavailable; try again", List.of())
                .header("Retry-After", "5");
    }

    private static MutableHttpResponse<Problem> problem(HttpStatus status, String title, List<String> errors) {
        return HttpResponse.<Problem>status(status)
                .contentType(Problem.MEDIA_TYPE)
                .body(new Problem(title, status.getCode(), title, errors));
    }
}
