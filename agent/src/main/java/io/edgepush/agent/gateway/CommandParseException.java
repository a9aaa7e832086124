package io.edgepush.agent.gateway;

/**
 * A command payload that cannot be executed: malformed JSON, missing or unknown {@code command},
 * bad field type or quality. {@link #commandId()} is the command_id when it could be read (so the caller
 * can ack {@code ok=false}), else null.
 */
final class CommandParseException extends Exception {
    private final String commandId;

    public CommandParseException(String message, String commandId) {
        super(message);
        this.commandId = commandId;
    }

    /** The command_id of the rejected command, nullable. */
    public String commandId() {
        return commandId;
    }
}
