package io.edgepush.agent.config;

/**
 * A configuration error: names the JSON path (JSONPath-like, e.g. {@code $.cameras[0].camera_id})
 * and what is wrong. {@link #getMessage()} is {@code "<jsonPath>: <problem>"}, ready to print
 * before the agent exits with status 2 (DESIGN.md section 5).
 */
public final class ConfigException extends Exception {
    private final String jsonPath;
    private final String problem;

    /**
     * @param jsonPath path of the offending value, {@code "$"} for the whole document
     * @param problem  what is wrong, e.g. {@code expected integer, got string "ten"}
     */
    public ConfigException(String jsonPath, String problem) {
        super(jsonPath + ": " + problem);
        this.jsonPath = jsonPath;
        this.problem = problem;
    }

    /** Same as {@link #ConfigException(String, String)} with the underlying cause attached. */
    public ConfigException(String jsonPath, String problem, Throwable cause) {
        super(jsonPath + ": " + problem, cause);
        this.jsonPath = jsonPath;
        this.problem = problem;
    }

    /** Path of the offending value, e.g. {@code $.streaming.max_retry_attempts}. */
    public String jsonPath() {
        return jsonPath;
    }

    /** The problem without the path. */
    public String problem() {
        return problem;
    }
}
