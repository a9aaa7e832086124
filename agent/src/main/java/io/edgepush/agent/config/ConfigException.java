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

    /**
     * Several problems as one exception: the first one's path and problem, then every further problem as
     * {@code <jsonPath>: <problem>} on a line of its own (at most {@code maxListed} in all, then a count of the rest),
     * so {@link #getMessage()} lists one problem per line.
     *
     * @param problems at least one, in the order to print
     */
    public static ConfigException combined(java.util.List<ConfigException> problems, int maxListed) {
        ConfigException first = problems.get(0);
        if (problems.size() == 1) {
            return first;
        }
        StringBuilder more = new StringBuilder(first.problem());
        int listed = Math.min(problems.size(), Math.max(1, maxListed));
        for (ConfigException p : problems.subList(1, listed)) {
            more.append('\n').append(p.getMessage());
        }
        if (problems.size() > listed) {
            more.append("\n(").append(problems.size() - listed).append(" more)");
        }
        return new ConfigException(first.jsonPath(), more.toString());
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
