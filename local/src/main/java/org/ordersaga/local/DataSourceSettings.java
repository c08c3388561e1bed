package org.ordersaga.local;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The Micronaut settings of the product's datasources on one local database, as its superuser: a service's
 * datasource is named after it, as its schema is; the API has the four of {@link #API}.
 */
public final class DataSourceSettings {

    /** The API's datasources by name, with their schemas: its own, the order view, and the operator views' two. */
    public static final Map<String, String> API =
            Map.of("api", "api", "orderview", "order_view", "inventory", "inventory", "payment", "payment");

    private DataSourceSettings() {}

    /** {@code datasources.<name>.*}: on {@code jdbcUrl}, in {@code schema}. */
    public static Map<String, String> of(String name, String schema, String jdbcUrl) {
        String prefix = "datasources." + name + ".";
        return Map.of(
                prefix + "url",
                jdbcUrl,
                prefix + "username",
                "postgres",
                prefix + "password",
                "",
                prefix + "schema",
                schema,
                prefix + "maximum-pool-size",
                "5");
    }

    /** A service worker's datasource. */
    public static Map<String, String> service(String service, String jdbcUrl) {
        return of(service, service, jdbcUrl);
    }

    /** The API's datasources. */
    public static Map<String, String> api(String jdbcUrl) {
        Map<String, String> settings = new LinkedHashMap<>();
        API.forEach((name, schema) -> settings.putAll(of(name, schema, jdbcUrl)));
        return settings;
    }

    /** The same settings as environment variables, the way a deployment sets them: {@code DATASOURCES_API_URL}. */
    public static Map<String, String> asEnvironment(Map<String, String> settings) {
        Map<String, String> environment = new LinkedHashMap<>();
        settings.forEach(
                (key, value) -> environment.put(key.toUpperCase(Locale.ROOT).replaceAll("[.-]", "_"), value));
        return environment;
    }
}
