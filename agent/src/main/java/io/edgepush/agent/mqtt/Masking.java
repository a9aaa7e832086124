package io.edgepush.agent.mqtt;

/** Masks secrets (stream keys, tokens) for logs and status events (DESIGN.md section 3). */
public final class Masking {
    private Masking() {
    }

    /**
     * First 4 characters + {@code "***"}; {@code null} -> {@code null}; 4 characters or fewer -> {@code "***"}
     * (so a short secret is never shown in full).
     */
    public static String mask(String secret) {
        if (secret == null) {
            return null;
        }
        return secret.length() <= 4 ? "***" : secret.substring(0, 4) + "***";
    }
}
