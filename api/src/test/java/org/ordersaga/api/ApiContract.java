package org.ordersaga.api;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.Response;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Sends real requests to the API and checks each request and its response against the OpenAPI document the API
 * serves, with Atlassian's swagger-request-validator: an undocumented status, a body that breaks its schema or a
 * refused schema-valid request fails the test. Requests carry the given bearer token unless they name their own
 * {@code Authorization}.
 */
final class ApiContract {

    private final URI base;
    private final String token;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final OpenApiInteractionValidator validator;

    ApiContract(URI base, String token) {
        this.base = base;
        this.token = token;
        this.validator = OpenApiInteractionValidator.createForInlineApiSpecification(
                        send("GET", "/swagger/order-saga-0.1.yml", null, Map.of("Authorization", "Bearer " + token))
                                .body())
                .build();
    }

    /**
     * Sends the request and checks the response against the document, and the request too when the API accepted it
     * (a refused request breaks the document's rules, as it should).
     */
    HttpResponse<String> exchange(String method, String pathAndQuery, String body, Map<String, String> given) {
        Map<String, String> headers = new HashMap<>(given);
        headers.putIfAbsent("Authorization", "Bearer " + token);
        HttpResponse<String> response = send(method, pathAndQuery, body, headers);
        Request request = request(method, pathAndQuery, body, headers);
        Response answer = SimpleResponse.Builder.status(response.statusCode())
                .withContentType(response.headers().firstValue("Content-Type").orElse(null))
                .withBody(response.body())
                .build();
        ValidationReport report = response.statusCode() < 400
                ? validator.validate(request, answer)
                : validator.validateResponse(request.getPath(), request.getMethod(), answer);
        assertFalse(
                report.hasErrors(),
                method + " " + pathAndQuery + " -> " + response.statusCode() + " " + response.body() + "\n" + report);
        return response;
    }

    HttpResponse<String> post(String pathAndQuery, String json) {
        return exchange("POST", pathAndQuery, json, Map.of("Content-Type", "application/json"));
    }

    HttpResponse<String> get(String pathAndQuery) {
        return exchange("GET", pathAndQuery, null, Map.of());
    }

    private static Request request(String method, String pathAndQuery, String body, Map<String, String> headers) {
        String[] parts = pathAndQuery.split("\\?", 2);
        SimpleRequest.Builder request = new SimpleRequest.Builder(method, parts[0]);
        if (parts.length > 1) {
            for (String pair : parts[1].split("&")) {
                String[] nameValue = pair.split("=", 2);
                request.withQueryParam(
                        nameValue[0],
                        nameValue.length > 1 ? URLDecoder.decode(nameValue[1], StandardCharsets.UTF_8) : "");
            }
        }
        headers.forEach(request::withHeader);
        if (body != null) {
            request.withBody(body);
        }
        return request.build();
    }

    private HttpResponse<String> send(String method, String pathAndQuery, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(pathAndQuery))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
        headers.forEach(request::header);
        try {
            return http.send(request.build(), BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + pathAndQuery + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
