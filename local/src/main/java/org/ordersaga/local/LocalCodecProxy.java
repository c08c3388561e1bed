package org.ordersaga.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The local stack's stand-in for the Web UI's login, between the Temporal Web UI and the API's codec server. In
 * production the UI signs its operator in and passes their token to the codec server; the dev server's UI has no
 * login, and sends a codec endpoint nothing but the payloads. So the local UI calls this proxy on 127.0.0.1, which
 * forwards each call to the API with the local operator's bearer token added. The browser's {@code Origin} and the
 * API's CORS answer pass through, so the API's own CORS rules are the ones the browser meets.
 */
final class LocalCodecProxy implements AutoCloseable {

    /** What a browser sends to a codec server, preflight included, besides the payloads. */
    private static final List<String> REQUEST_HEADERS = List.of(
            "Content-Type", "X-Namespace", "Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers");

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(2);
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String codecUrl;
    private final String operatorToken;

    private LocalCodecProxy(HttpServer server, String codecUrl, String operatorToken) {
        this.server = server;
        this.codecUrl = codecUrl;
        this.operatorToken = operatorToken;
    }

    /** Listens on a free port of 127.0.0.1 and forwards to {@code codecUrl} (the API's {@code /codec}). */
    static LocalCodecProxy start(String codecUrl, String operatorToken) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            LocalCodecProxy proxy = new LocalCodecProxy(server, codecUrl, operatorToken);
            server.createContext("/", proxy::forward);
            server.setExecutor(proxy.threads);
            server.start();
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Web UI's codec proxy", e);
        }
    }

    /** The codec endpoint to give the Web UI. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(
                            URI.create(codecUrl + exchange.getRequestURI().getPath()))
                    .timeout(Duration.ofSeconds(30))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            for (String header : REQUEST_HEADERS) {
                String value = exchange.getRequestHeaders().getFirst(header);
                if (value != null) {
                    request.header(header, value);
                }
            }
            if (!"OPTIONS".equals(exchange.getRequestMethod())) {
                request.header("Authorization", "Bearer " + operatorToken);
            }
            HttpResponse<byte[]> answer;
            try {
                answer = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                exchange.sendResponseHeaders(502, -1);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            answer.headers().map().forEach((name, values) -> {
                if (name.equalsIgnoreCase("Content-Type") || name.toLowerCase().startsWith("access-control-")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            byte[] reply = answer.body();
            exchange.sendResponseHeaders(answer.statusCode(), reply.length == 0 ? -1 : reply.length);
            if (reply.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(reply);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
