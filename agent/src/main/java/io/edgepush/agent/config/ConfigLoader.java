package io.edgepush.agent.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgepush.agent.config.AgentConfig.CameraConfig;
import io.edgepush.agent.config.AgentConfig.CustomEncoder;
import io.edgepush.agent.config.AgentConfig.HttpConfig;
import io.edgepush.agent.config.AgentConfig.IngestConfig;
import io.edgepush.agent.config.AgentConfig.MqttConfig;
import io.edgepush.agent.config.AgentConfig.MotionSource;
import io.edgepush.agent.stream.OutputSettings;
import io.edgepush.agent.config.AgentConfig.RtmpTargetConfig;
import io.edgepush.agent.config.AgentConfig.StreamConfig;
import io.edgepush.agent.config.AgentConfig.StreamingConfig;
import io.edgepush.agent.config.AgentConfig.TlsConfig;
import io.edgepush.agent.config.AgentConfig.Trigger;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads and validates the agent configuration (DESIGN.md section 5) from a Jackson tree, so every error names its
 * JSON path: {@code $.streaming.max_retry_attempts: expected integer, got string "ten"}. First the JSON Schema
 * ({@link ConfigSchema}: types, ranges, enums, patterns, unknown keys; all its errors at once, one per line), then
 * the checks the schema cannot express (URL schemes and template variables, host:port ranges, readable files,
 * secrets, uniqueness and cross-field rules; the first one found is thrown). Defaults for absent keys are documented
 * on each record.
 */
public final class ConfigLoader {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private static final String RAW_DEVICES = "$.ingest.raw_annexb_devices";

    private final Consumer<String> warnings;
    private final Function<String, String> env;
    private final List<JsonObjectReader> readers = new ArrayList<>();
    /** JSON path of the first secret given inline (a plain string), or null. */
    private String inlineSecret;

    private ConfigLoader(Consumer<String> warnings, Function<String, String> env) {
        this.warnings = warnings;
        this.env = env;
    }

    /**
     * Reads and validates a UTF-8 JSON config file; warnings are logged, secrets read from the process environment.
     *
     * @throws ConfigException unreadable file (path {@code $}), invalid JSON (line/column) or invalid config
     */
    public static AgentConfig load(Path file) throws ConfigException {
        return load(file, w -> LOG.warn("config: {}", w), System::getenv);
    }

    /**
     * As {@link #load(Path)}, handing warnings to {@code warnings} and looking up {@code {"env": NAME}} secrets with
     * {@code env} (null = unset). Warns once when the file holds a secret inline and other users can read it.
     */
    public static AgentConfig load(Path file, Consumer<String> warnings, Function<String, String> env)
            throws ConfigException {
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            String why = e instanceof java.nio.file.NoSuchFileException ? "no such file"
                    : e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.toString();
            throw new ConfigException("$", "cannot read config file " + file + ": " + why, e);
        }
        ConfigLoader loader = new ConfigLoader(warnings, env);
        AgentConfig config = loader.parseText(json);
        if (loader.inlineSecret != null) {
            ConfigSecrets.warnIfReadableByOthers(file, loader.inlineSecret, warnings);
        }
        return config;
    }

    /** Validates a JSON config text (an unknown key is an error); warnings are logged. */
    public static AgentConfig parse(String json) throws ConfigException {
        return parse(json, w -> LOG.warn("config: {}", w));
    }

    /**
     * Validates a JSON config text, handing each warning to {@code warnings}. Unknown keys are refused by the schema;
     * a key the schema allows but the loader does not read (a bug ConfigSchemaTest guards against) is warned about
     * as {@code $.mqtt.foo: in the schema but not read by the agent, ignored}.
     */
    public static AgentConfig parse(String json, Consumer<String> warnings) throws ConfigException {
        return parse(json, warnings, System::getenv);
    }

    /** As {@link #parse(String, Consumer)}, looking up {@code {"env": NAME}} secrets with {@code env} (null = unset). */
    public static AgentConfig parse(String json, Consumer<String> warnings, Function<String, String> env)
            throws ConfigException {
        return new ConfigLoader(warnings, env).parseText(json);
    }

    /**
     * Every key path the loader asks for while loading {@code json} (present or not), array indices written
     * {@code []}: e.g. {@code $.cameras[].streams[].rtmp.urls}. For the test that keeps the schema and the loader in
     * step (ConfigSchemaTest); a document with every optional object present yields every key the loader reads.
     */
    static Set<String> keysRead(String json, Function<String, String> env) throws ConfigException {
        ConfigLoader loader = new ConfigLoader(w -> { }, env);
        loader.parseText(json);
        Set<String> paths = new java.util.TreeSet<>();
        for (JsonObjectReader r : loader.readers) {
            for (String key : r.keysRead()) {
                paths.add(r.child(key).replaceAll("\\[\\d+\\]", "[]"));
            }
        }
        return paths;
    }

    private AgentConfig parseText(String json) throws ConfigException {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new ConfigException("$", "invalid JSON" + where + ": " + e.getOriginalMessage(), e);
        }
        if (root == null || root.isMissingNode()) {
            throw new ConfigException("$", "empty document, expected a JSON object");
        }
        ConfigSchema.validate(root);
        AgentConfig config = agent(root);
        for (JsonObjectReader r : readers) {
            r.forEachUnknown((path, v) -> warnings.accept(path + ": in the schema but not read by the agent, ignored"));
        }
        return config;
    }

    private JsonObjectReader reader(JsonNode node, String path) throws ConfigException {
        JsonObjectReader r = new JsonObjectReader(node, path);
        readers.add(r);
        return r;
    }

    private JsonObjectReader optObject(JsonObjectReader parent, String key) throws ConfigException {
        JsonObjectReader r = parent.optObject(key);
        if (r != null) {
            readers.add(r);
        }
        return r;
    }

    private AgentConfig agent(JsonNode root) throws ConfigException {
        JsonObjectReader r = reader(root, "$");
        String gatewayId = r.requiredString("gateway_id");
        JsonObjectReader m = optObject(r, "mqtt");
        if (m == null) {
            throw new ConfigException("$.mqtt", "required object is missing");
        }
        MqttConfig mqtt = mqtt(m, gatewayId);
        IngestConfig ingest = ingest(optObject(r, "ingest"));
        StreamingConfig streaming = streaming(optObject(r, "streaming"));
        List<CameraConfig> cameras = new ArrayList<>();
        for (JsonObjectReader.Element e : r.optArray("cameras")) {
            cameras.add(camera(reader(e.node(), e.path())));
        }
        checkUnique(cameras);
        checkPreRollFits(streaming, cameras);
        boolean acceptUnknown = r.optBoolean("accept_unknown_cameras", true);
        RawAnnexBConfigReader.checkKnown(ingest, cameras, acceptUnknown, RAW_DEVICES);
        JsonObjectReader h = optObject(r, "http");
        HostPort httpListen = hostPort(h, "listen", HttpConfig.DEFAULT_LISTEN);
        return new AgentConfig(gatewayId, mqtt, ingest, streaming, cameras, acceptUnknown, new HttpConfig(httpListen));
    }

    private MqttConfig mqtt(JsonObjectReader m, String gatewayId) throws ConfigException {
        String brokerUrl = m.requiredString("broker_url"); // form checked by the schema
        String clientId = m.optString("client_id", gatewayId);
        String username = secret(m, "username");
        String password = secret(m, "password");
        TlsConfig tls = TlsConfig.NONE;
        JsonObjectReader t = optObject(m, "tls");
        if (t != null) {
            tls = new TlsConfig(readableFile(t, "ca_file"), readableFile(t, "cert_file"), readableFile(t, "key_file"));
            if ((tls.certFile() == null) != (tls.keyFile() == null)) {
                throw new ConfigException(t.child(tls.certFile() == null ? "cert_file" : "key_file"),
                        "cert_file and key_file go together (mutual TLS)");
            }
        }
        int timeout = m.optInt("request_timeout_ms", MqttConfig.DEFAULT_REQUEST_TIMEOUT_MS);
        int willDelaySec = m.optInt("will_delay_sec", MqttConfig.DEFAULT_WILL_DELAY_SEC);
        return new MqttConfig(brokerUrl, clientId == null ? gatewayId : clientId, username, password, tls, timeout,
                willDelaySec);
    }

    /** An optional file path that must name a readable file. */
    private static String readableFile(JsonObjectReader r, String key) throws ConfigException {
        String file = r.optString(key, null);
        if (file != null && !Files.isReadable(Path.of(file))) {
            throw new ConfigException(r.child(key), "no such readable file: " + file);
        }
        return file;
    }

    /** A string, {@code {"env": NAME}} or {@code {"file": PATH}} (see {@link ConfigSecrets}); null when absent. */
    private String secret(JsonObjectReader parent, String key) throws ConfigException {
        if (parent.isObject(key)) {
            return ConfigSecrets.resolve(optObject(parent, key), env);
        }
        String value = parent.optString(key, null);
        if (value != null && inlineSecret == null && key.equals("password")) {
            inlineSecret = parent.child(key);
        }
        return value;
    }

    private IngestConfig ingest(JsonObjectReader r) throws ConfigException {
        if (r == null) {
            return new IngestConfig(HostPort.parse(IngestConfig.DEFAULT_TCP_LISTEN), List.of());
        }
        HostPort tcp = hostPort(r, "tcp_listen", IngestConfig.DEFAULT_TCP_LISTEN);
        HostPort raw = hostPort(r, "raw_annexb_listen", null);
        List<IngestConfig.RawAnnexBDevice> rawDevices = new ArrayList<>();
        for (JsonObjectReader.Element e : r.optArray("raw_annexb_devices")) {
            rawDevices.add(RawAnnexBConfigReader.device(reader(e.node(), e.path())));
        }
        List<IngestConfig.SerialPortConfig> ports = new ArrayList<>();
        for (JsonObjectReader.Element e : r.optArray("serial_ports")) {
            JsonObjectReader p = reader(e.node(), e.path());
            ports.add(new IngestConfig.SerialPortConfig(p.requiredString("port"),
                    p.optInt("baud", IngestConfig.SerialPortConfig.DEFAULT_BAUD)));
        }
        IngestConfig ingest = new IngestConfig(tcp, ports, raw, rawDevices);
        RawAnnexBConfigReader.check(ingest, RAW_DEVICES);
        return ingest;
    }

    /** Absent object or key -> def parsed; JSON null -> null (disabled). */
    private static HostPort hostPort(JsonObjectReader r, String key, String def) throws ConfigException {
        String text = r == null ? def : r.optString(key, def);
        if (text == null) {
            return null;
        }
        try {
            return HostPort.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(r.child(key), e.getMessage());
        }
    }

    private static StreamingConfig streaming(JsonObjectReader r) throws ConfigException {
        StreamingConfig d = StreamingConfig.DEFAULTS;
        if (r == null) {
            return d;
        }
        // Ranges: the schema's (ConfigSchema runs first); the readers only take the values.
        StreamingConfig s = new StreamingConfig(
                r.optBoolean("enable_adaptive_bitrate", d.enableAdaptiveBitrate()),
                r.optBoolean("enable_frame_dropping", d.enableFrameDropping()),
                r.optInt("target_latency_ms", d.targetLatencyMs()),
                r.optBoolean("auto_reconnect", d.autoReconnect()),
                r.optInt("max_retry_attempts", d.maxRetryAttempts()),
                r.optInt("initial_retry_delay_ms", d.initialRetryDelayMs()),
                r.optInt("max_retry_delay_ms", d.maxRetryDelayMs()),
                r.optInt("metrics_interval_sec", d.metricsIntervalSec()),
                r.optInt("pre_roll_sec", d.preRollSec()),
                r.optInt("post_roll_sec", d.postRollSec()),
                r.optInt("server_idle_timeout_ms", d.serverIdleTimeoutMs()),
                r.optInt("stable_period_ms", d.stablePeriodMs()),
                r.optInt("gop_buffer_bytes", (int) d.gopBufferBytes()),
                r.optInt("gop_buffer_ms", d.gopBufferMs()),
                r.optString("abr_controller", d.abrController()),
                keepProbingTriggers(r, d.keepProbingTriggers()));
        try {
            AgentConfig.AbrController.fromWireName(s.abrController());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(r.child("abr_controller"), e.getMessage());
        }
        if (s.maxRetryDelayMs() < s.initialRetryDelayMs()) {
            throw new ConfigException(r.child("max_retry_delay_ms"), "must be >= initial_retry_delay_ms ("
                    + s.initialRetryDelayMs() + "), got " + s.maxRetryDelayMs());
        }
        return s;
    }

    /** {@code streaming.keep_probing_triggers}: trigger wire names (absent: the default set; [] probes none). */
    private static Set<Trigger> keepProbingTriggers(JsonObjectReader r, Set<Trigger> def) throws ConfigException {
        if (!r.has("keep_probing_triggers")) {
            return def;
        }
        Set<Trigger> triggers = EnumSet.noneOf(Trigger.class);
        for (JsonObjectReader.Element e : r.optArray("keep_probing_triggers")) {
            try {
                triggers.add(Trigger.fromWireName(e.string()));
            } catch (IllegalArgumentException ex) {
                throw new ConfigException(e.path(), ex.getMessage());
            }
        }
        return triggers;
    }

    private CameraConfig camera(JsonObjectReader r) throws ConfigException {
        String deviceId = r.requiredString("device_id");
        int cameraId = r.optInt("camera_id", 0);
        List<StreamConfig> streams = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (JsonObjectReader.Element e : r.optArray("streams")) {
            StreamConfig s = stream(reader(e.node(), e.path()));
            if (!names.add(s.streamName())) {
                throw new ConfigException(e.path() + ".stream_name",
                        "duplicate stream_name \"" + s.streamName() + "\" in camera " + deviceId);
            }
            streams.add(s);
        }
        return new CameraConfig(deviceId, cameraId, streams);
    }

    private StreamConfig stream(JsonObjectReader r) throws ConfigException {
        int streamId = r.optInt("stream_id", 0);
        String name = r.optString("stream_name", "main"); // never null: the schema refuses null
        QualityPreset quality = QualityPreset.HIGH;
        String q = r.optString("quality", null);
        if (q != null) {
            try {
                quality = QualityPreset.fromWireName(q);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(r.child("quality"), e.getMessage());
            }
        }
        Trigger trigger = Trigger.ON_DEMAND;
        String t = r.optString("trigger", null);
        if (t != null) {
            try {
                trigger = Trigger.fromWireName(t);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(r.child("trigger"), e.getMessage());
            }
        }
        JsonObjectReader rtmp = optObject(r, "rtmp");
        JsonObjectReader customReader = optObject(r, "custom");
        CustomEncoder custom = customReader == null ? null : new CustomEncoder(
                customReader.requiredInt("width"), customReader.requiredInt("height"),
                customReader.requiredInt("fps"),
                customReader.requiredInt("bitrate_kbps") * 1000L);
        if (custom != null && quality != QualityPreset.CUSTOM) {
            throw new ConfigException(r.child("custom"), "only used with \"quality\": \"custom\" (quality is \""
                    + quality.wireName() + "\")");
        }
        return new StreamConfig(streamId, name, quality, trigger, rtmp == null ? RtmpTargetConfig.NONE : rtmp(rtmp),
                custom, motion(r, trigger), schedule(r, trigger));
    }

    /** {@code motion}: only for motion_based streams; {@code {"source": "camera" | "bitstream"}}. */
    private MotionSource motion(JsonObjectReader stream, Trigger trigger) throws ConfigException {
        JsonObjectReader m = optObject(stream, "motion");
        if (m == null) {
            return trigger == Trigger.MOTION_BASED ? MotionSource.CAMERA : null;
        }
        if (trigger != Trigger.MOTION_BASED) {
            throw new ConfigException(stream.child("motion"), "only used with \"trigger\": \"motion_based\" (trigger"
                    + " is \"" + trigger.wireName() + "\")");
        }
        String source = m.optString("source", MotionSource.CAMERA.wireName());
        try {
            return MotionSource.fromWireName(source);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(m.child("source"), e.getMessage());
        }
    }

    /** {@code schedule}: required (at least one window) for scheduled streams, refused for the others. */
    private List<ScheduleWindow> schedule(JsonObjectReader stream, Trigger trigger) throws ConfigException {
        List<JsonObjectReader.Element> elements = stream.optArray("schedule");
        if (trigger != Trigger.SCHEDULED) {
            if (!elements.isEmpty()) {
                throw new ConfigException(stream.child("schedule"), "only used with \"trigger\": \"scheduled\""
                        + " (trigger is \"" + trigger.wireName() + "\")");
            }
            return List.of();
        }
        if (elements.isEmpty()) {
            throw new ConfigException(stream.child("schedule"), "a scheduled stream needs at least one window, e.g."
                    + " [{\"days\": \"mon-fri\", \"start\": \"08:00\", \"end\": \"18:00\", \"tz\": \"Europe/Berlin\"}]");
        }
        List<ScheduleWindow> windows = new ArrayList<>();
        for (JsonObjectReader.Element e : elements) {
            JsonObjectReader w = reader(e.node(), e.path());
            String days = w.requiredString("days");
            String start = w.requiredString("start");
            String end = w.requiredString("end");
            String tz = w.requiredString("tz");
            try {
                windows.add(ScheduleWindow.parse(days, start, end, tz));
            } catch (IllegalArgumentException ex) {
                String message = ex.getMessage() == null ? "invalid window" : ex.getMessage();
                int colon = message.indexOf(':');
                String field = colon > 0 ? message.substring(0, colon) : "";
                boolean named = field.equals("days") || field.equals("start") || field.equals("end")
                        || field.equals("tz");
                throw new ConfigException(named ? w.child(field) : w.path(),
                        named ? message.substring(colon + 1).trim() : message);
            }
        }
        return windows;
    }

    private static RtmpTargetConfig rtmp(JsonObjectReader r) throws ConfigException {
        String template = r.optString("url_template", null);
        if (template != null) {
            List<String> problems = UrlTemplate.problems(template);
            if (!problems.isEmpty()) {
                throw new ConfigException(r.child("url_template"), String.join("; ", problems));
            }
        }
        String caFile = readableFile(r, "tls_ca_file");
        return new RtmpTargetConfig(template, urls(r, "urls"), urls(r, "fallback_urls"),
                r.optBoolean("silent_audio", false), r.optBoolean("tls_verify", true),
                caFile == null ? null : Path.of(caFile));
    }

    private static List<String> urls(JsonObjectReader r, String key) throws ConfigException {
        List<String> out = new ArrayList<>();
        for (JsonObjectReader.Element e : r.optArray(key)) {
            String url = e.string();
            String problem = UrlTemplate.urlProblem(url);
            if (problem != null) {
                throw new ConfigException(e.path(), problem);
            }
            out.add(url);
        }
        return out;
    }

    /**
     * With a motion_based stream, the GOP buffer must span the pre-roll, the margin by which a motion reaches the
     * output after its frames ({@link OutputSettings#PRE_ROLL_MARGIN_MS}) and the GOP in progress.
     */
    private static void checkPreRollFits(StreamingConfig s, List<CameraConfig> cameras) throws ConfigException {
        boolean motion = cameras.stream().flatMap(c -> c.streams().stream())
                .anyMatch(st -> st.trigger() == Trigger.MOTION_BASED);
        long neededMs = s.preRollSec() * 1000L + OutputSettings.PRE_ROLL_MARGIN_MS;
        if (motion && neededMs >= s.gopBufferMs()) {
            throw new ConfigException("$.streaming.pre_roll_sec", "with a motion_based stream, pre_roll_sec ("
                    + s.preRollSec() + " s) plus " + OutputSettings.PRE_ROLL_MARGIN_MS / 1000 + " s must stay below"
                    + " gop_buffer_ms (" + s.gopBufferMs() + " ms), which also holds the GOP in progress: lower it"
                    + " or raise gop_buffer_ms");
        }
    }

    private static void checkUnique(List<CameraConfig> cameras) throws ConfigException {
        Map<String, Integer> devices = new HashMap<>();
        Map<String, String> streamKeys = new HashMap<>();
        for (int i = 0; i < cameras.size(); i++) {
            CameraConfig c = cameras.get(i);
            Integer first = devices.putIfAbsent(c.deviceId(), i);
            if (first != null) {
                throw new ConfigException("$.cameras[" + i + "].device_id",
                        "duplicate device_id \"" + c.deviceId() + "\" (also at $.cameras[" + first + "])");
            }
            for (int j = 0; j < c.streams().size(); j++) {
                String key = c.cameraId() + "/" + c.streams().get(j).streamId();
                String path = "$.cameras[" + i + "].streams[" + j + "]";
                String prev = streamKeys.putIfAbsent(key, path);
                if (prev != null) {
                    throw new ConfigException(path + ".stream_id", "duplicate (camera_id, stream_id) ("
                            + c.cameraId() + ", " + c.streams().get(j).streamId() + ") (also at " + prev + ")");
                }
            }
        }
    }
}
