package org.ordersaga.api;

import java.util.List;

/** Failures the API answers with a problem document instead of a stack trace. */
final class ApiFailures {

    private ApiFailures() {}

    /** The client's request breaks a rule: each problem names its field. */
    static final class Invalid extends RuntimeException {
        final List<String> problems;

        Invalid(String title, List<String> problems) {
            super(title);
            this.problems = problems;
        }
    }

    /** The caller is who it says, but may not do this. */
    static final class Forbidden extends RuntimeException {
        Forbidden(String message) {
            super(message);
        }
    }

    static final class NotFound extends RuntimeException {
        NotFound(String message) {
            super(message);
        }
    }

    static final class Conflict extends RuntimeException {
        Conflict(String message) {
            super(message);
        }
    }

    /** Temporal, or the worker that must answer, did not; the message says what that means for the request. */
    static final class TemporalUnavailable extends RuntimeException {
        TemporalUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
