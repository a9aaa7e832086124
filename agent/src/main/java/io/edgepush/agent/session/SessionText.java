package io.edgepush.agent.session;

import java.util.concurrent.CompletionException;

/** How the session package writes failures into logs and events. */
final class SessionText {
    private SessionText() {
    }

    /** The cause inside CompletionException wrappers. */
    static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** "ExceptionClass: message" of the unwrapped cause. */
    static String rootMessage(Throwable t) {
        Throwable c = unwrap(t);
        return c.getClass().getSimpleName() + ": " + c.getMessage();
    }
}
