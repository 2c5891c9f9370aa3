package org.creditlab;

/**
 * A problem with what the user asked for (bad flag, unknown rule, missing or corrupt data), as opposed
 * to a bug. The CLI prints its message as one line and exits with status 2; library callers can catch it.
 */
public class UserError extends RuntimeException {
    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
