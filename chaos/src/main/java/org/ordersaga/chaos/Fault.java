package org.ordersaga.chaos;

import java.time.Duration;
import java.util.List;
import org.ordersaga.local.LocalStack;
import org.ordersaga.saga.SagaService;

/** One blow the run strikes, and how the stack recovers from it. */
sealed interface Fault {

    /** Strikes and recovers; returns what happened, for the report's timeline. */
    Struck strike(ChaosStack stack);

    /** What a blow did; one that did not land (a relay never caught in its window) is not counted. */
    record Struck(String description, boolean landed) {
        static Struck landed(String description) {
            return new Struck(description, true);
        }
    }

    /** What the report counts it as. */
    String kind();

    /**
     * One round of blows: each worker killed once, the Temporal server once, the broker restarted once, and one
     * service's relay crashed between publish and mark, taking the services in turn round by round. The relay crash
     * comes before the broker restart: after a lone broker restarts, a relay whose round was in flight across it can
     * wait out a delivery timeout before it publishes again (README, "Relay"), and a relay that publishes nothing
     * cannot be caught.
     */
    static List<Fault> round(int round) {
        SagaService relayed = List.of(SagaService.ORDERS, SagaService.INVENTORY, SagaService.SHIPPING)
                .get(round % 3);
        return List.of(
                new WorkerKill("orders"),
                new WorkerKill("inventory"),
                new TemporalServerKill(),
                new WorkerKill("payment-1"),
                new RelayCrashed(relayed),
                new BrokerRestart(),
                new WorkerKill("shipping"),
                new WorkerKill("payment-2"));
    }

    /** SIGKILL a worker, then start it again. */
    record WorkerKill(String instance) implements Fault {
        @Override
        public Struck strike(ChaosStack stack) {
            stack.killWorker(instance);
            stack.startWorker(instance);
            return Struck.landed("worker " + instance + " SIGKILLed and started again");
        }

        @Override
        public String kind() {
            return "worker " + instance.replaceAll("-\\d+$", "") + " SIGKILLed";
        }
    }

    /** SIGKILL the Temporal server; three seconds later, start it again on its PostgreSQL state. */
    record TemporalServerKill() implements Fault {
        @Override
        public Struck strike(ChaosStack stack) {
            stack.temporalServer().kill();
            LocalStack.pause(Duration.ofSeconds(3));
            stack.temporalServer().restart();
            return Struck.landed("Temporal server SIGKILLed, serving again");
        }

        @Override
        public String kind() {
            return "Temporal server SIGKILLed";
        }
    }

    /** Stop the Kafka broker; five seconds later, start it again. */
    record BrokerRestart() implements Fault {
        @Override
        public Struck strike(ChaosStack stack) {
            stack.engines().kafka().stop();
            LocalStack.pause(Duration.ofSeconds(5));
            stack.engines().kafka().start();
            return Struck.landed("Kafka broker stopped, started again");
        }

        @Override
        public String kind() {
            return "Kafka broker restarted";
        }
    }

    /** Kill a service's only worker while its relay has published events and not yet marked them. */
    record RelayCrashed(SagaService service) implements Fault {
        private static final Duration LIMIT = Duration.ofSeconds(60);

        @Override
        public Struck strike(ChaosStack stack) {
            int unmarked = RelayCrash.crash(
                    new Sql(stack.jdbcUrl()),
                    stack.engines().kafka().bootstrapServers(),
                    service,
                    () -> stack.killWorker(service.id()),
                    LIMIT);
            if (unmarked == 0) {
                return new Struck(
                        service.id() + "'s relay was not caught between publish and mark within " + LIMIT, false);
            }
            stack.startWorker(service.id());
            return Struck.landed(service.id() + "'s relay crashed (worker SIGKILLed) with " + unmarked
                    + " events published and not marked; worker started again");
        }

        @Override
        public String kind() {
            return "relay crashed between publish and mark";
        }
    }
}
