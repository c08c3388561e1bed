package org.ordersaga.saga;

import java.util.ArrayList;
import java.util.List;

/**
 * What any text a client sends must be, checked by the API and again by the workflow: bounded, and free of
 * control characters and unpaired surrogates, which PostgreSQL refuses (NUL) or which make the data unreadable.
 */
public final class TextRules {

    public static final int MAX_CANCEL_REASON_LENGTH = 500;

    private TextRules() {}

    /** Adds the problem with a required {@code value}, if any, as {@code "field: what is wrong"}. */
    public static void requireText(List<String> problems, String field, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            problems.add(field + ": must not be blank");
        } else {
            checkText(problems, field, value, maxLength);
        }
    }

    /** Like {@link #requireText} for an optional value: null is fine. */
    public static void checkText(List<String> problems, String field, String value, int maxLength) {
        if (value == null) {
            return;
        }
        if (value.length() > maxLength) {
            problems.add(field + ": at most " + maxLength + " characters");
        }
        if (!printable(value)) {
            problems.add(field + ": must not contain control characters");
        }
    }

    /** A cancel request's reason: optional, bounded, printable. */
    public static List<String> cancelReasonProblems(String reason) {
        List<String> problems = new ArrayList<>();
        checkText(problems, "reason", reason, MAX_CANCEL_REASON_LENGTH);
        return problems;
    }

    private static boolean printable(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                return false;
            }
            boolean pair = Character.isHighSurrogate(c)
                    && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1));
            if (pair) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
