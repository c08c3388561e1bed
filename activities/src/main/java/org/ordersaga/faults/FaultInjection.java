package org.ordersaga.faults;

/**
 * Transient faults injected into one service's activities, for tests and demos.
 *
 * @param mode {@link Mode#BEFORE}: fail before doing the work; {@link Mode#AFTER_COMMIT}: do the work, commit it,
 *     then fail, so the retry meets work that already happened
 * @param rate the share of activity calls that fail, from 0 (none) to 1 (all)
 */
public record FaultInjection(Mode mode, double rate) {

    public enum Mode {
        BEFORE,
        AFTER_COMMIT
    }

    public static final FaultInjection NONE = new FaultInjection(Mode.BEFORE, 0);

    public FaultInjection {
        if (mode == null) {
            throw new IllegalArgumentException("fault injection mode is required (BEFORE or AFTER_COMMIT)");
        }
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException("fault injection rate must be between 0 and 1, was " + rate);
        }
    }
}
