package org.ordersaga.api;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * The order-view projection ({@code saga.order-view.*}, {@code SAGA_ORDER_VIEW_*}).
 *
 * @param groupId the consumer group API replicas share
 * @param rebuild clear the view and replay the topics from the start; set it on one replica, alone
 */
@ConfigurationProperties("saga.order-view")
record OrderViewProperties(
        @Bindable(defaultValue = "order-view") String groupId,
        @Bindable(defaultValue = "false") boolean rebuild) {}
