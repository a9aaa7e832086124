package io.edgepush.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Text renderings of the agent's status document (the {@code GET /status} JSON, shape in
 * {@code io.edgepush.agent.gateway.StatusJson}): the table {@code edge-agent status} prints and the lines of the
 * live terminal view ({@link LiveView}), so both read the same fields the same way. Missing fields (a session that
 * has not streamed yet has no {@code average_fps}) are shown as {@code -}. Pure functions: no I/O.
 */
final class StatusTable {
    /** The longest {@code LAST_ERROR} shown: code plus the start of the message. */
    static final int LAST_ERROR_CHARS = 80;

    /** One column: its header and how a session's JSON reads as text. */
    enum Column {
        DEVICE(s -> text(s.path("device_id"))),
        STREAM(s -> text(s.path("stream_name"))),
        /** {@code device_id/stream_name}, for narrow views. */
        DEVICE_STREAM(s -> text(s.path("device_id")) + "/" + text(s.path("stream_name"))),
        STATE(s -> text(s.path("state_name"))),
        /** The trigger and its state, {@code motion_based:on}. */
        TRIGGER(s -> s.hasNonNull("trigger_state")
                ? text(s.path("trigger")) + ":" + text(s.path("trigger_state")) : text(s.path("trigger"))),
        PRESET(s -> text(s.path("quality"))),
        FPS(s -> decimal(s.path("metrics").path("average_fps"), "%.1f")),
        KBPS(s -> decimal(s.path("metrics").path("average_bitrate_kbps"), "%.0f")),
        BACKLOG_MS(s -> text(s.path("metrics").path("backlog_ms"))),
        DROPPED(s -> text(s.path("metrics").path("dropped_frames"))),
        RECONNECTS(s -> text(s.path("reconnect_attempts"))),
        LAST_ERROR(StatusTable::lastError);

        private final Function<JsonNode, String> value;

        Column(Function<JsonNode, String> value) {
            this.value = value;
        }

        /** The header text: the name, {@code DEVICE_STREAM} written {@code DEVICE/STREAM}. */
        String header() {
            return this == DEVICE_STREAM ? "DEVICE/STREAM" : name();
        }
    }

    /** The {@code edge-agent status} table's columns. */
    static final List<Column> STATUS_COLUMNS = List.of(Column.DEVICE, Column.STREAM, Column.STATE, Column.TRIGGER,
            Column.PRESET, Column.FPS, Column.KBPS, Column.BACKLOG_MS, Column.DROPPED, Column.RECONNECTS,
            Column.LAST_ERROR);

    private StatusTable() {
    }

    /**
     * The gateway line: {@code gateway demo-gw  mqtt connected  3 streams}.
     *
     * @param page the status document ({@code gateway_id}, {@code mqtt_connected}, {@code sessions})
     */
    static String gatewayLine(JsonNode page) {
        int streams = page.path("sessions").size();
        return "gateway " + text(page.path("gateway_id")) + "  mqtt "
                + (page.path("mqtt_connected").asBoolean(false) ? "connected" : "disconnected") + "  " + streams
                + (streams == 1 ? " stream" : " streams");
    }

    /**
     * A header line and one line per session of {@code page}, in the document's order, columns left-aligned and
     * separated by two spaces, each as wide as its widest cell; no trailing spaces.
     */
    static List<String> rows(JsonNode page, List<Column> columns) {
        List<String[]> cells = new ArrayList<>();
        cells.add(columns.stream().map(Column::header).toArray(String[]::new));
        for (JsonNode session : page.path("sessions")) {
            cells.add(columns.stream().map(c -> c.value.apply(session)).toArray(String[]::new));
        }
        int[] widths = new int[columns.size()];
        for (String[] row : cells) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        List<String> lines = new ArrayList<>(cells.size());
        for (String[] row : cells) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(row[i]);
                if (i < row.length - 1) {
                    line.append(" ".repeat(widths[i] - row[i].length() + 2));
                }
            }
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }

    /** {@code CODE: message}, cut to {@link #LAST_ERROR_CHARS}; {@code -} when there was no error. */
    private static String lastError(JsonNode session) {
        String code = session.path("last_error_code").asText("");
        String message = session.path("last_error_message").asText("");
        if (session.path("last_error_code").isNull() || code.isEmpty()) {
            return "-";
        }
        String both = message.isEmpty() || session.path("last_error_message").isNull() ? code : code + ": " + message;
        both = both.replaceAll("\\s+", " ");
        return both.length() <= LAST_ERROR_CHARS ? both : both.substring(0, LAST_ERROR_CHARS - 3) + "...";
    }

    private static String text(JsonNode value) {
        return value.isMissingNode() || value.isNull() || value.asText().isEmpty() ? "-" : value.asText();
    }

    private static String decimal(JsonNode value, String format) {
        return value.isNumber() ? String.format(Locale.ROOT, format, value.asDouble()) : "-";
    }
}
