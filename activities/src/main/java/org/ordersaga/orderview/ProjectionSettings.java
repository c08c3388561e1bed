package org.ordersaga.orderview;

import java.time.Duration;

/**
 * How the order-view projection consumes.
 *
 * @param topicPrefix the prefix of the four event topics
 * @param groupId the Kafka consumer group, and the consumer name in {@code processed_events}
 * @param maxAttempts attempts at a message that cannot be applied before it goes to {@code <topic>.dlq}
 * @param retryBackoff the wait between those attempts, and between retries while the database is unavailable
 * @param rebuild start by clearing the view and replaying every topic from its beginning
 * @param commitInterval how often, at most, the offsets of applied events are committed while consuming: what a crash
 *     can make the projection read again (and skip, as already processed), against a broker request per event
 * @param batchWait how long the broker may gather events for one fetch: the events of a poll are applied in one
 *     transaction, so under load this is what turns a transaction per event into one per poll, for at most this much
 *     delay to the view
 */
public record ProjectionSettings(
        String topicPrefix,
        String groupId,
        int maxAttempts,
        Duration retryBackoff,
        boolean rebuild,
        Duration commitInterval,
        Duration batchWait) {

    public static final ProjectionSettings DEFAULT = new ProjectionSettings(
            "", "order-view", 3, Duration.ofMillis(200), false, Duration.ofSeconds(1), Duration.ofMillis(100));

    public ProjectionSettings {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
    }
}
