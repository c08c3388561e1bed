package org.ordersaga.api;

import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/** An error as {@code application/problem+json} (RFC 9457), with every offending field in {@code errors}. */
@Serdeable
record Problem(String title, int status, String detail, List<String> errors) {

    static final String MEDIA_TYPE = "application/problem+json";
}
