package org.ordersaga.temporal;

import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;

/**
 * How hard a worker process works Temporal: pollers and concurrent tasks per task queue, and how many workflow
 * executions it keeps cached (a cached one resumes without replaying its history).
 */
public record WorkerTuning(
        int workflowPollers,
        int activityPollers,
        int maxConcurrentWorkflowTasks,
        int maxConcurrentActivities,
        int workflowCacheSize) {

    public WorkerOptions workerOptions() {
        return WorkerOptions.newBuilder()
                .setMaxConcurrentWorkflowTaskPollers(workflowPollers)
                .setMaxConcurrentActivityTaskPollers(activityPollers)
                .setMaxConcurrentWorkflowTaskExecutionSize(maxConcurrentWorkflowTasks)
                .setMaxConcurrentActivityExecutionSize(maxConcurrentActivities)
                .build();
    }

    public WorkerFactoryOptions.Builder factoryOptions() {
        return WorkerFactoryOptions.newBuilder().setWorkflowCacheSize(workflowCacheSize);
    }
}
