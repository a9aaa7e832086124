package io.edgepush.agent.session;

import io.edgepush.protocol.rtmp.RtmpUrl;

import java.util.concurrent.CompletionException;

/** How the session package writes URLs and failures into logs and events (stream keys masked). */
final class SessionText {
    private SessionText() {
    }

    /** The URL with its stream key masked to the first 4 characters, or "(unparseable url)". */
    static String mask(String url) {
        try {
            return RtmpUrl.parse(url).masked();
        } catch (IllegalArgumentException e) {
            return "(unparseable url)";
        }
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
