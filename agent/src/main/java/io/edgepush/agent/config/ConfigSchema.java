package io.edgepush.agent.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The agent config's JSON Schema ({@code config/agent.schema.json}, draft 2020-12, shipped in the agent jar as the
 * resource {@value #RESOURCE} and loaded once), checked with networknt json-schema-validator before
 * {@link ConfigLoader}'s own checks (DESIGN.md section 5). Every schema error becomes one line in ConfigLoader's
 * path style: {@code $.cameras[0].streams[1].quality: unknown quality "best" (valid: low, medium, high, ultra,
 * custom)}, {@code $.mqtt.request_timeout_ms: value 0 out of range 1..3600000},
 * {@code $.streaming.max_retry_attempt: unknown key 'max_retry_attempt'; did you mean 'max_retry_attempts'?}.
 * A subschema's {@code title} says what a {@code pattern} or {@code oneOf} expects ("expected host:port, got ...").
 */
public final class ConfigSchema {
    /** Class-path location of the schema inside the agent jar (copied from config/ by the build). */
    static final String RESOURCE = "/io/edgepush/agent/config/agent.schema.json";
    /** At most this many schema errors are listed; the rest are counted. */
    static final int MAX_LISTED = 10;
    /** An object in a message is shown by at most this many of its keys. */
    private static final int MAX_KEYS_SHOWN = 6;

    private static final JsonNode SCHEMA_NODE = readSchema();
    private static final Schema SCHEMA = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
            .getSchema(SCHEMA_NODE);

    private ConfigSchema() {
    }

    /** The schema document as loaded from the jar (read-only use: tests walk its properties). */
    static JsonNode schemaNode() {
        return SCHEMA_NODE;
    }

    private static JsonNode readSchema() {
        try (InputStream in = ConfigSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("config schema " + RESOURCE + " is missing from the agent jar");
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read config schema " + RESOURCE, e);
        }
    }

    /**
     * Validates a parsed config document against the schema.
     *
     * @throws ConfigException when the document breaks the schema: its {@link ConfigException#jsonPath()} is the
     *                         first error's path, its message every error (sorted, at most {@value #MAX_LISTED}),
     *                         one {@code <path>: <problem>} per line
     */
    static void validate(JsonNode document) throws ConfigException {
        List<ConfigException> problems = problems(document);
        if (!problems.isEmpty()) {
            throw ConfigException.combined(problems, MAX_LISTED);
        }
    }

    /** The schema errors of {@code document}, one per path and problem, sorted by path then message. */
    static List<ConfigException> problems(JsonNode document) {
        List<Error> errors = SCHEMA.validate(document);
        Set<String> typeErrorPaths = new HashSet<>();
        for (Error e : errors) {
            if ("type".equals(e.getKeyword()) && !insideCombinator(e)) {
                typeErrorPaths.add(jsonPath(e.getInstanceLocation()));
            }
        }
        TreeSet<String> seen = new TreeSet<>();
        List<ConfigException> out = new ArrayList<>();
        for (Error e : errors) {
            String path = jsonPath(e.getInstanceLocation());
            if (insideCombinator(e) || (!"type".equals(e.getKeyword()) && typeErrorPaths.contains(path))) {
                continue; // a oneOf branch's own complaint, or a second complaint about a value of the wrong type
            }
            ConfigException p = describe(e, path);
            if (seen.add(p.getMessage())) {
                out.add(p);
            }
        }
        out.sort((a, b) -> a.jsonPath().equals(b.jsonPath()) ? a.problem().compareTo(b.problem())
                : a.jsonPath().compareTo(b.jsonPath()));
        return out;
    }

    /** Errors of a oneOf/anyOf branch: the combinator's own error (with its title) says it better. */
    private static boolean insideCombinator(Error e) {
        NodePath at = e.getSchemaLocation().getFragment();
        for (int i = 0; i < at.getNameCount() - 1; i++) {
            String name = at.getName(i);
            if ("oneOf".equals(name) || "anyOf".equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static ConfigException describe(Error e, String path) {
        JsonNode subschema = SCHEMA_NODE.at(pointer(e.getSchemaLocation().getFragment().getParent()));
        JsonNode value = e.getInstanceNode();
        String title = subschema.path("title").asText(null);
        String got = JsonObjectReader.describe(value);
        switch (e.getKeyword()) {
            case "type":
                return new ConfigException(path, "expected " + types(subschema.get("type")) + ", got " + got);
            case "minimum":
            case "maximum":
                return new ConfigException(path, "value " + (value == null ? "?" : value.asText()) + " out of range "
                        + subschema.path("minimum").asText("any") + ".." + subschema.path("maximum").asText("any"));
            case "enum":
                return new ConfigException(path, "unknown " + (title != null ? title : lastName(e)) + " "
                        + (value != null && value.isTextual() ? got.substring("string ".length()) : got)
                        + " (valid: " + join(subschema.get("enum")) + ")");
            case "required": {
                String key = e.getProperty();
                JsonNode type = subschema.path("properties").path(key).get("type");
                return new ConfigException(childPath(path, key), "required "
                        + (type == null ? "key" : types(type)) + " is missing");
            }
            case "additionalProperties": {
                String key = e.getProperty();
                String hint = closest(key, subschema.path("properties").fieldNames());
                return new ConfigException(childPath(path, key), "unknown key '" + key + "'"
                        + (hint == null ? "" : "; did you mean '" + hint + "'?"));
            }
            case "minLength":
                return new ConfigException(path, "expected a non-empty string");
            case "uniqueItems":
                return new ConfigException(path, "expected each value once, got a repeated one");
            case "pattern":
            case "oneOf":
                return new ConfigException(path, "expected " + (title != null ? title
                        : "a value matching " + subschema.path("pattern").asText(e.getKeyword())) + ", got "
                        + shown(value, got));
            default:
                return new ConfigException(path, e.getMessage());
        }
    }

    /** A value for "expected X, got Y": a string in quotes, an object by its keys, else its type and value. */
    private static String shown(JsonNode value, String described) {
        if (value != null && value.isTextual()) {
            return described.substring("string ".length());
        }
        if (value != null && value.isObject()) {
            List<String> keys = new ArrayList<>();
            value.fieldNames().forEachRemaining(keys::add);
            String more = keys.size() > MAX_KEYS_SHOWN ? ", ..." : "";
            return keys.isEmpty() ? "an empty object"
                    : "an object with " + String.join(", ", keys.subList(0, Math.min(keys.size(), MAX_KEYS_SHOWN)))
                    + more;
        }
        return described;
    }

    /** {@code $.cameras[0].streams[1].quality}: ConfigLoader's path style. */
    static String jsonPath(NodePath location) {
        StringBuilder sb = new StringBuilder("$");
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            if (element instanceof Integer index) {
                sb.append('[').append(index).append(']');
            } else {
                sb.append('.').append(element);
            }
        }
        return sb.toString();
    }

    private static String childPath(String path, String key) {
        return path + "." + key;
    }

    private static String lastName(Error e) {
        NodePath at = e.getInstanceLocation();
        for (int i = at.getNameCount() - 1; i >= 0; i--) {
            if (!(at.getElement(i) instanceof Integer)) {
                return at.getName(i);
            }
        }
        return "value";
    }

    private static String pointer(NodePath fragment) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; fragment != null && i < fragment.getNameCount(); i++) {
            sb.append('/').append(fragment.getName(i).replace("~", "~0").replace("/", "~1"));
        }
        return sb.toString();
    }

    /** {@code "integer"} or {@code ["object", "null"]} -> "integer", "object" (null means "the default"). */
    private static String types(JsonNode type) {
        if (type == null) {
            return "value";
        }
        if (type.isTextual()) {
            return type.asText();
        }
        List<String> names = new ArrayList<>();
        type.forEach(t -> {
            if (!t.asText().equals("null")) {
                names.add(t.asText());
            }
        });
        return names.isEmpty() ? "null" : String.join(" or ", names);
    }

    private static String join(JsonNode values) {
        List<String> names = new ArrayList<>();
        values.forEach(v -> names.add(v.asText()));
        return String.join(", ", names);
    }

    /** The known key closest to {@code key} (edit distance at most 2, or 3 for long keys), or null. */
    static String closest(String key, Iterator<String> known) {
        String best = null;
        int bestDistance = key.length() >= 10 ? 4 : 3;
        while (known.hasNext()) {
            String candidate = known.next();
            int d = editDistance(key.toLowerCase(java.util.Locale.ROOT), candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best;
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
