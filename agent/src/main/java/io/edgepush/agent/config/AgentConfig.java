package io.edgepush.agent.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The whole agent configuration (DESIGN.md section 5), as loaded by {@link ConfigLoader}: the config file's schema,
 * one nested record per JSON object ({@code $.mqtt}, {@code $.ingest}, {@code $.streaming}, {@code $.cameras[i]},
 * {@code $.cameras[i].streams[j]} and its {@code rtmp}, {@code $.http}). Immutable; lists are unmodifiable.
 *
 * @param gatewayId            gateway identity, used in {@code gateways/{gateway_id}/status}; required
 * @param mqtt                 broker connection
 * @param ingest               where cameras connect (TCP listen address, serial ports)
 * @param streaming            session behaviour (retries, latency, metrics interval, pre/post roll)
 * @param cameras              known cameras and their streams
 * @param acceptUnknownCameras whether a camera whose device_id is not listed may connect (it then gets
 *                             one stream "main", quality high, trigger on_demand, endpoint via MQTT)
 * @param http                 local HTTP endpoint (the status page)
 */
public record AgentConfig(String gatewayId, MqttConfig mqtt, IngestConfig ingest, StreamingConfig streaming,
                          List<CameraConfig> cameras, boolean acceptUnknownCameras, HttpConfig http) {

    public AgentConfig {
        cameras = List.copyOf(cameras);
    }

    /** The camera with this device_id, if configured. */
    public Optional<CameraConfig> camera(String deviceId) {
        return cameras.stream().filter(c -> c.deviceId().equals(deviceId)).findFirst();
    }

    /**
     * MQTT 5 broker connection ({@code $.mqtt}).
     *
     * @param brokerUrl        {@code tcp://host:port} or {@code ssl://host:port}; required
     * @param clientId         MQTT client identifier; defaults to the gateway_id
     * @param username         nullable; a string, or read from {@code {"env": NAME}} / {@code {"file": PATH}}
     * @param password         nullable; never logged; a string or {@code {"env": NAME}} / {@code {"file": PATH}}
     * @param tls              TLS files (all nullable; {@link TlsConfig#NONE} when absent)
     * @param requestTimeoutMs how long to wait for a stream/response, milliseconds (default 5000)
     * @param willDelaySec     {@code will_delay_sec}: MQTT 5 Will Delay Interval of the offline Last Will, seconds
     *                         (default {@value #DEFAULT_WILL_DELAY_SEC}, 0..{@value #MAX_WILL_DELAY_SEC}); a restart
     *                         within it (same client id) publishes no offline presence
     */
    public record MqttConfig(String brokerUrl, String clientId, String username, String password,
                             TlsConfig tls, int requestTimeoutMs, int willDelaySec) {

        /** Default {@code request_timeout_ms}. */
        public static final int DEFAULT_REQUEST_TIMEOUT_MS = 5000;
        /** Default {@code will_delay_sec}. */
        public static final int DEFAULT_WILL_DELAY_SEC = 10;
        /** Largest {@code will_delay_sec}: the session expiry (the will is sent at the earlier of the two). */
        public static final int MAX_WILL_DELAY_SEC = 3600;

        /** A connection with the default will delay ({@value #DEFAULT_WILL_DELAY_SEC} s). */
        public MqttConfig(String brokerUrl, String clientId, String username, String password, TlsConfig tls,
                          int requestTimeoutMs) {
            this(brokerUrl, clientId, username, password, tls, requestTimeoutMs, DEFAULT_WILL_DELAY_SEC);
        }

        /** Hides the password. */
        @Override
        public String toString() {
            return "MqttConfig[brokerUrl=" + brokerUrl + ", clientId=" + clientId + ", username=" + username
                    + ", password=" + (password == null ? "null" : "***") + ", tls=" + tls
                    + ", requestTimeoutMs=" + requestTimeoutMs + ", willDelaySec=" + willDelaySec + "]";
        }
    }

    /**
     * TLS files for the MQTT connection ({@code $.mqtt.tls}); PEM file paths, each nullable.
     *
     * @param caFile   CA certificate(s) to trust; null = the JVM default trust store
     * @param certFile client certificate for mutual TLS; null = none
     * @param keyFile  client private key for mutual TLS; null = none
     */
    public record TlsConfig(String caFile, String certFile, String keyFile) {
        /** No TLS files configured. */
        public static final TlsConfig NONE = new TlsConfig(null, null, null);
    }

    /**
     * Where cameras connect ({@code $.ingest}).
     *
     * @param tcpListen        TCP listen address for framed camera connections (firmware-bridge/PROTOCOL.md); null
     *                         disables TCP ingest (default {@code 0.0.0.0:7000} when the key is absent)
     * @param serialPorts      USB CDC-ACM serial ports to open (default none)
     * @param rawAnnexbListen  {@code $.ingest.raw_annexb_listen}: shared TCP listen address for cameras that send a
     *                         raw H.264 Annex B elementary stream with no framing (DESIGN.md section 7); such a
     *                         camera is named by its peer IP through {@code raw_annexb_devices[].peer}, otherwise
     *                         (only when {@code accept_unknown_cameras} is true) {@code RAW_<ip>_<listen port>}, with
     *                         the IP's ':' and '%' written as '-'. Null (the default) disables the shared port.
     * @param rawAnnexbDevices {@code $.ingest.raw_annexb_devices}: raw Annex B cameras by peer IP on the shared port
     *                         or by their own listen address (default none)
     */
    public record IngestConfig(HostPort tcpListen, List<SerialPortConfig> serialPorts, HostPort rawAnnexbListen,
                               List<RawAnnexBDevice> rawAnnexbDevices) {

        /** Default {@code tcp_listen}. */
        public static final String DEFAULT_TCP_LISTEN = "0.0.0.0:7000";

        public IngestConfig {
            serialPorts = List.copyOf(serialPorts);
            rawAnnexbDevices = List.copyOf(rawAnnexbDevices);
        }

        /** Framed TCP and serial ingest only (no raw Annex B). */
        public IngestConfig(HostPort tcpListen, List<SerialPortConfig> serialPorts) {
            this(tcpListen, serialPorts, null, List.of());
        }

        /**
         * One serial port ({@code $.ingest.serial_ports[i]}).
         *
         * @param port device path, e.g. {@code /dev/ttyACM0}
         * @param baud baud rate (default 2000000; ignored by true CDC-ACM devices)
         */
        public record SerialPortConfig(String port, int baud) {
            /** Default baud rate. */
            public static final int DEFAULT_BAUD = 2_000_000;
        }

        /**
         * One raw Annex B camera ({@code $.ingest.raw_annexb_devices[i]}): exactly one of {@code peer} and
         * {@code listen} is set.
         *
         * @param deviceId the camera's device_id, 1..64 characters of [A-Za-z0-9_.-] (as in a HELLO)
         * @param peer     the camera's IP address (normalized literal, e.g. "192.168.4.20") on {@code raw_annexb_listen},
         *                 or null
         * @param listen   a listen address of its own: whoever connects there is this camera, or null
         */
        public record RawAnnexBDevice(String deviceId, String peer, HostPort listen) {
        }
    }

    /**
     * Session behaviour ({@code $.streaming}); every key is optional, defaults from DESIGN.md section 4/5
     * ({@link #DEFAULTS}).
     *
     * @param enableAdaptiveBitrate change the camera encoder's bitrate/fps/resolution to follow the uplink (true)
     * @param enableFrameDropping   drop non-reference frames / whole GOPs when the uplink falls behind (true)
     * @param targetLatencyMs       most media time let queue on the way to the server, milliseconds (3000): with
     *                              frame dropping on, non-reference pictures are dropped above half of it and every
     *                              picture up to the next IDR above all of it
     * @param autoReconnect         reconnect RTMP after a failure (true)
     * @param maxRetryAttempts      failed rounds of the URL list (primary to last backup) before the retries are
     *                              exhausted (state 6, error) (10); a publish that streams a keyframe ends the outage
     * @param initialRetryDelayMs   first retry delay, milliseconds, doubled per failed round (1000)
     * @param maxRetryDelayMs       retry delay cap, milliseconds (60000); also how often a stream whose retries are
     *                              exhausted probes, if its trigger is in {@code keepProbingTriggers}
     * @param metricsIntervalSec    stream_metrics event period, seconds (5)
     * @param preRollSec            {@code motion_based}: the buffered whole GOPs from up to this many seconds before
     *                              the motion are sent first, seconds (2); with a motion_based stream, plus 2 s below
     *                              {@code gop_buffer_ms}
     * @param postRollSec           {@code motion_based}: the stream stops this many seconds after the last motion
     *                              end, seconds (10)
     * @param serverIdleTimeoutMs   how long an RTMP server keeps the stale publish of a dead connection, milliseconds
     *                              (10000): after "Already publishing" or a bare close right after publish, the same
     *                              URL is retried no sooner (nginx-rtmp's drop_idle_publisher is off by default;
     *                              set this to the server's value)
     * @param stablePeriodMs        a publish that stays up this long, milliseconds, counts as recovered: the retry
     *                              counter ({@code reconnect_attempts}) and the backoff start again from the beginning
     *                              (30000)
     * @param gopBufferBytes        most bytes of coded video each stream keeps (its latest GOP, and for
     *                              {@code motion_based} the pre-roll), so a new publish starts at once from a
     *                              keyframe; the hard bound whatever the camera sends (3 MiB: the ULTRA preset's
     *                              2 s pre-roll plus a GOP in progress of up to 4 s)
     * @param gopBufferMs           longest span of video each stream keeps, milliseconds (10000)
     * @param abrController         the adaptive bitrate controller: {@code edge} (the agent's own, default) or
     *                              {@code obs} (OBS Studio's dynamic bitrate, for comparison)
     * @param keepProbingTriggers   {@code keep_probing_triggers}: streams with these triggers keep probing once their
     *                              retries are exhausted; the others stop in error until a start (always_on,
     *                              scheduled, motion_based)
     */
    public record StreamingConfig(boolean enableAdaptiveBitrate, boolean enableFrameDropping, int targetLatencyMs,
                                  boolean autoReconnect, int maxRetryAttempts, int initialRetryDelayMs,
                                  int maxRetryDelayMs, int metricsIntervalSec, int preRollSec, int postRollSec,
                                  int serverIdleTimeoutMs, int stablePeriodMs, long gopBufferBytes, int gopBufferMs,
                                  String abrController, Set<Trigger> keepProbingTriggers) {

        /**
         * The triggers whose streams keep probing every {@code max_retry_delay_ms} once their retries are exhausted
         * (unattended streams: nobody would send {@code start}); {@code on_demand} and {@code manual} give up.
         */
        public static final Set<Trigger> DEFAULT_KEEP_PROBING_TRIGGERS =
                Collections.unmodifiableSet(EnumSet.of(Trigger.ALWAYS_ON, Trigger.SCHEDULED, Trigger.MOTION_BASED));

        public StreamingConfig {
            keepProbingTriggers = keepProbingTriggers.isEmpty() ? Collections.emptySet()
                    : Collections.unmodifiableSet(EnumSet.copyOf(keepProbingTriggers));
        }

        /** Every key but {@code keep_probing_triggers}, which has its default. */
        public StreamingConfig(boolean enableAdaptiveBitrate, boolean enableFrameDropping, int targetLatencyMs,
                               boolean autoReconnect, int maxRetryAttempts, int initialRetryDelayMs,
                               int maxRetryDelayMs, int metricsIntervalSec, int preRollSec, int postRollSec,
                               int serverIdleTimeoutMs, int stablePeriodMs, long gopBufferBytes, int gopBufferMs,
                               String abrController) {
            this(enableAdaptiveBitrate, enableFrameDropping, targetLatencyMs, autoReconnect, maxRetryAttempts,
                    initialRetryDelayMs, maxRetryDelayMs, metricsIntervalSec, preRollSec, postRollSec,
                    serverIdleTimeoutMs, stablePeriodMs, gopBufferBytes, gopBufferMs, abrController,
                    DEFAULT_KEEP_PROBING_TRIGGERS);
        }

        /** Every key but {@code abr_controller}, which is {@code edge}. */
        public StreamingConfig(boolean enableAdaptiveBitrate, boolean enableFrameDropping, int targetLatencyMs,
                               boolean autoReconnect, int maxRetryAttempts, int initialRetryDelayMs,
                               int maxRetryDelayMs, int metricsIntervalSec, int preRollSec, int postRollSec,
                               int serverIdleTimeoutMs, int stablePeriodMs, long gopBufferBytes, int gopBufferMs) {
            this(enableAdaptiveBitrate, enableFrameDropping, targetLatencyMs, autoReconnect, maxRetryAttempts,
                    initialRetryDelayMs, maxRetryDelayMs, metricsIntervalSec, preRollSec, postRollSec,
                    serverIdleTimeoutMs, stablePeriodMs, gopBufferBytes, gopBufferMs, "edge");
        }

        /** All defaults, used for absent keys (and when {@code $.streaming} is absent). */
        public static final StreamingConfig DEFAULTS =
                new StreamingConfig(true, true, 3000, true, 10, 1000, 60_000, 5, 2, 10, 10_000, 30_000,
                        3L * 1024 * 1024, 10_000);
    }

    /**
     * One camera board ({@code $.cameras[i]}).
     *
     * @param deviceId camera identity as sent in its HELLO and used in MQTT topics; required, unique
     * @param cameraId numeric camera id, for URL templates (default 0)
     * @param streams  its streams; (camera_id, stream_id) and stream_name are unique
     */
    public record CameraConfig(String deviceId, int cameraId, List<StreamConfig> streams) {

        public CameraConfig {
            streams = List.copyOf(streams);
        }

        /** The stream with this stream_name, if configured. */
        public Optional<StreamConfig> stream(String streamName) {
            return streams.stream().filter(s -> s.streamName().equals(streamName)).findFirst();
        }
    }

    /**
     * One stream of a camera ({@code $.cameras[i].streams[j]}).
     *
     * @param streamId   numeric stream id as carried in the camera's VIDEO frames (default 0)
     * @param streamName name used in MQTT commands and URL templates (default {@code "main"})
     * @param quality    quality preset (default high)
     * @param trigger    what starts the stream (default on_demand)
     * @param rtmp       where to publish; {@link RtmpTargetConfig#isEmpty()} means ask over MQTT
     * @param custom     {@code custom}: the encoder settings of the {@code custom} preset, or null (the camera then
     *                   keeps its own settings under {@code custom})
     * @param motion     {@code motion.source} of a {@code motion_based} stream (default {@link MotionSource#CAMERA});
     *                   null for other triggers
     * @param schedule   {@code schedule}: the weekly windows of a {@code scheduled} stream (at least one); empty for
     *                   other triggers
     */
    public record StreamConfig(int streamId, String streamName, QualityPreset quality, Trigger trigger,
                               RtmpTargetConfig rtmp, CustomEncoder custom, MotionSource motion,
                               List<ScheduleWindow> schedule) {

        public StreamConfig {
            schedule = List.copyOf(schedule);
            if (trigger == Trigger.MOTION_BASED && motion == null) {
                motion = MotionSource.CAMERA;
            }
        }

        /** Without custom encoder settings, motion source or schedule. */
        public StreamConfig(int streamId, String streamName, QualityPreset quality, Trigger trigger,
                            RtmpTargetConfig rtmp) {
            this(streamId, streamName, quality, trigger, rtmp, null);
        }

        /** Without motion source or schedule. */
        public StreamConfig(int streamId, String streamName, QualityPreset quality, Trigger trigger,
                            RtmpTargetConfig rtmp, CustomEncoder custom) {
            this(streamId, streamName, quality, trigger, rtmp, custom, null, List.of());
        }
    }

    /** Where a {@code motion_based} stream learns of motion ({@code motion.source}). */
    public enum MotionSource {
        /** The camera's EVENT messages (MOTION_START / MOTION_END), the default. */
        CAMERA,
        /** The agent's compressed-domain detector on the stream's own pictures, for cameras that send no events. */
        BITSTREAM;

        /** The config name: {@code camera} or {@code bitstream}. */
        public String wireName() {
            return WireNames.of(this);
        }

        /** @throws IllegalArgumentException naming the valid values */
        public static MotionSource fromWireName(String name) {
            return WireNames.parse(values(), name, "motion source");
        }
    }

    /**
     * A stream's {@code custom} object: what the {@code custom} preset asks of the encoder ({@code
     * $.cameras[i].streams[j].custom}, every field required).
     *
     * @param width      pixels, 16..8192
     * @param height     pixels, 16..8192
     * @param fps        frames per second, 1..120
     * @param bitrateBps bits per second ({@code bitrate_kbps} x 1000)
     */
    public record CustomEncoder(int width, int height, int fps, long bitrateBps) {
    }

    /** The adaptive bitrate controllers ({@code streaming.abr_controller}). */
    public enum AbrController {
        /** The agent's own (agent/.../quality/EdgeBitrateController), the default. */
        EDGE,
        /** OBS Studio's dynamic bitrate as published, for comparison. */
        OBS;

        /** The config name: {@code edge} or {@code obs}. */
        public String wireName() {
            return WireNames.of(this);
        }

        /** @throws IllegalArgumentException naming the valid values */
        public static AbrController fromWireName(String name) {
            return WireNames.parse(values(), name, "abr_controller");
        }
    }

    /** What starts a stream (DESIGN.md section 4). */
    public enum Trigger {
        /** Started by the operator (CLI/API) only. */
        MANUAL,
        /** Starts on a camera motion event, stops post_roll_sec after the last one; pre-roll GOPs are sent first. */
        MOTION_BASED,
        /** Started and stopped by a schedule. */
        SCHEDULED,
        /** Streams whenever the camera is connected. */
        ALWAYS_ON,
        /** Started by an MQTT {@code start} command. */
        ON_DEMAND;

        /** The name used in JSON: {@code "manual"}, {@code "motion_based"}, ... */
        public String wireName() {
            return WireNames.of(this);
        }

        /**
         * Parses a wire name (exact, lower case).
         *
         * @throws IllegalArgumentException naming the valid values
         */
        public static Trigger fromWireName(String name) {
            return WireNames.parse(values(), name, "trigger");
        }

        /** Comma-separated wire names, for error messages. */
        public static String validNames() {
            return WireNames.list(values());
        }
    }

    /**
     * Static RTMP targets of a stream ({@code $.cameras[i].streams[j].rtmp}). All URLs are
     * {@code rtmp://} or {@code rtmps://} (checked by {@link ConfigLoader}).
     *
     * @param urlTemplate  nullable; variables {@code {camera_id} {stream_id} {stream_name} {device_id}}
     *                     (see {@link UrlTemplate})
     * @param urls         primary then backups, tried in order
     * @param fallbackUrls tried after {@code urls} (and after the template) are exhausted
     * @param silentAudio  {@code silent_audio}: add a silent AAC-LC audio track to the stream, for ingests that
     *                     refuse video without audio (default false)
     * @param tlsVerify    {@code tls_verify} (default true): rtmps:// verifies the server certificate and host name;
     *                     false turns verification off (logged as a WARNING at start-up); also applies to URLs
     *                     received over MQTT
     * @param tlsCaFile    {@code tls_ca_file}: PEM file with the CA certificate(s) to trust for rtmps:// instead of the
     *                     JDK's trust store, or null
     */
    public record RtmpTargetConfig(String urlTemplate, List<String> urls, List<String> fallbackUrls,
                                   boolean silentAudio, boolean tlsVerify, Path tlsCaFile) {

        /** No static target: the endpoint is requested over MQTT; TLS verified against the JDK trust store. */
        public static final RtmpTargetConfig NONE = new RtmpTargetConfig(null, List.of(), List.of());

        public RtmpTargetConfig {
            urls = List.copyOf(urls);
            fallbackUrls = List.copyOf(fallbackUrls);
        }

        /** Targets without the silent audio track, with the default TLS settings (verification on, JDK trust store).
         */
        public RtmpTargetConfig(String urlTemplate, List<String> urls, List<String> fallbackUrls) {
            this(urlTemplate, urls, fallbackUrls, false, true, null);
        }

        /**
         * True when neither urls nor url_template is set, so the stream asks for its endpoint over MQTT
         * ({@code silent_audio} and the TLS keys alone do not make a target).
         */
        public boolean isEmpty() {
            return urlTemplate == null && urls.isEmpty();
        }

        /**
         * The publish URLs of {@code stream} of {@code camera} in failover order: the expanded url_template (if set),
         * then {@code urls}, then {@code fallbackUrls}.
         */
        public List<String> publishUrls(CameraConfig camera, StreamConfig stream) {
            List<String> all = new ArrayList<>();
            if (urlTemplate != null) {
                all.add(UrlTemplate.expand(urlTemplate, camera, stream));
            }
            all.addAll(urls);
            all.addAll(fallbackUrls);
            return List.copyOf(all);
        }
    }

    /**
     * Local HTTP endpoint ({@code $.http}): the gateway's status page {@code GET /status}.
     *
     * @param listen listen address; null disables the endpoint (default {@code 127.0.0.1:9100} when absent); a
     *               port that cannot be bound is logged and the agent runs without the page
     */
    public record HttpConfig(HostPort listen) {
        /** Default {@code listen}. */
        public static final String DEFAULT_LISTEN = "127.0.0.1:9100";
    }
}
