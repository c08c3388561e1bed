package org.ordersaga.outbox;

import java.time.Instant;
import java.util.UUID;

/** One outbox row waiting to be published. */
record OutboxRow(
        long seq,
        UUID id,
        String aggregateType,
        String aggregateId,
        String type,
        String payload,
        int schemaVersion,
        String correlationId,
        Instant createdAt,
        String traceparent) {}
