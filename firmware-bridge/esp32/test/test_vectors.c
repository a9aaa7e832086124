/*
 * The PROTOCOL.md section 5 vectors both ways, from the same .hex files as the Java VectorTest:
 * encode(fields written by hand from the spec) == vector bytes, and decode(vector) == those fields.
 */
#include <string.h>

#include "test_support.h"

static const uint8_t AU_MAIN_KEY[] = {0x00, 0x00, 0x00, 0x01, 0x09, 0x10, 0x00, 0x00, 0x00, 0x01, 0x65, 0x88, 0x84, 0xff};
static const uint8_t AU_SUB[] = {0x00, 0x00, 0x01, 0x41, 0x9a};

static bool str_is(epb_str_t s, const char *expected)
{
    return s.len == strlen(expected) && memcmp(s.ptr, expected, s.len) == 0;
}

/* Decodes a vector fed in one chunk; checks it is exactly one frame with these header fields. */
static frames_t decode_one(const char *name, uint8_t type, uint8_t flags, uint8_t stream_id, uint32_t seq,
                           uint64_t timestamp_us)
{
    bytes_t v = vector(name);
    static uint8_t buf[EPB_DECODER_BUF_SIZE(1024)];
    frames_t fs = {0};
    epb_decoder_t d;
    CHECK_EQ(epb_decoder_init(&d, buf, sizeof buf, 1024, collect_frame, &fs), EPB_OK);
    epb_decoder_feed(&d, v.b, v.n);
    CHECK_EQ(fs.count, 1);
    CHECK_EQ(d.stats.frames, 1);
    CHECK_EQ(d.stats.bytes_skipped, 0);
    CHECK_EQ(d.len, 0);
    CHECK_EQ(fs.headers[0].type, type);
    CHECK_EQ(fs.headers[0].flags, flags);
    CHECK_EQ(fs.headers[0].stream_id, stream_id);
    CHECK_EQ(fs.headers[0].sequence, seq);
    CHECK_EQ(fs.headers[0].timestamp_us, timestamp_us);
    return fs;
}

static epb_frame_t frame_of(const frames_t *fs)
{
    epb_frame_t f = {fs->headers[0], fs->payloads[0], fs->payload_lens[0]};
    return f;
}

static void crc_check_value(void)
{
    CHECK_EQ(epb_crc32(0, "123456789", 9), 0xCBF43926u);
    CHECK_EQ(epb_crc32(epb_crc32(0, "1234", 4), "56789", 5), 0xCBF43926u); /* chaining, as zlib */
    CHECK_EQ(epb_crc32(0, "", 0), 0);
    CHECK_EQ(epb_crc32(0, "E", 1), 0xD4B45A92u); /* section 1.1 worked example */
    CHECK_EQ(epb_crc32(0, "EP", 2), 0xA7BCF84Bu);
    bytes_t hb = vector("heartbeat"); /* PROTOCOL.md section 1.1 worked example: its header CRC */
    CHECK_EQ(epb_crc32(0, hb.b, 22), 0x293BA58Cu);
}

static void hello(void)
{
    epb_hello_t h = {epb_str("ESP32P4_CAM_001"), epb_str("1.2.3"), epb_str("h264"), 0x7F, 1920, 1080, 25, 2000000};
    uint8_t out[EPB_SMALL_FRAME_MAX];
    size_t n = 0;
    bytes_t v = vector("hello");
    CHECK_EQ(epb_encode_hello(out, sizeof out, &n, 0, 1000000, &h), EPB_OK);
    CHECK_BYTES(out, n, v.b, v.n);

    frames_t fs = decode_one("hello", EPB_TYPE_HELLO, 0, 0, 0, 1000000);
    epb_frame_t f = frame_of(&fs);
    epb_hello_t p;
    CHECK_EQ(epb_parse_hello(&f, &p), EPB_OK);
    CHECK(str_is(p.device_id, "ESP32P4_CAM_001"));
    CHECK(str_is(p.firmware_version, "1.2.3"));
    CHECK(str_is(p.codec, "h264"));
    CHECK_EQ(p.capabilities, 0x7F);
    CHECK_EQ(p.width, 1920);
    CHECK_EQ(p.height, 1080);
    CHECK_EQ(p.fps, 25);
    CHECK_EQ(p.bitrate_bps, 2000000);
}

static void video_main_keyframe_zero_copy(void)
{
    bytes_t v = vector("video_main_key");
    sink_t s = {0};
    CHECK_EQ(epb_send_video(sink_write, &s, 0, 1, 1040000, true, AU_MAIN_KEY, sizeof AU_MAIN_KEY), EPB_OK);
    CHECK_BYTES(s.out.b, s.out.n, v.b, v.n);
    CHECK_EQ(s.calls, 3);
    CHECK(s.ptrs[1] == AU_MAIN_KEY); /* the access unit went to write() as is: never copied */
    CHECK_EQ(s.lens[1], sizeof AU_MAIN_KEY);

    /* The same frame from a caller buffer. */
    uint8_t out[64];
    size_t n = 0;
    epb_header_t h = {EPB_TYPE_VIDEO, EPB_FLAG_KEYFRAME, 0, 1, 1040000};
    CHECK_EQ(epb_encode_frame(out, sizeof out, &n, &h, AU_MAIN_KEY, sizeof AU_MAIN_KEY), EPB_OK);
    CHECK_BYTES(out, n, v.b, v.n);

    frames_t fs = decode_one("video_main_key", EPB_TYPE_VIDEO, EPB_FLAG_KEYFRAME, 0, 1, 1040000);
    CHECK_BYTES(fs.payloads[0], fs.payload_lens[0], AU_MAIN_KEY, sizeof AU_MAIN_KEY);
}

static void video_sub_stream_in_chunks(void)
{
    bytes_t v = vector("video_sub");
    sink_t s = {0};
    epb_frame_writer_t w;
    CHECK_EQ(epb_video_begin(&w, sink_write, &s, 1, 0xFFFFFFFFu, 0x0102030405060708ull, false, sizeof AU_SUB),
             EPB_OK);
    CHECK_EQ(epb_frame_write(&w, AU_SUB, 2), EPB_OK);
    CHECK_EQ(epb_frame_write(&w, AU_SUB + 2, 0), EPB_OK);
    CHECK_EQ(epb_frame_write(&w, AU_SUB + 2, 3), EPB_OK);
    CHECK_EQ(epb_frame_end(&w), EPB_OK);
    CHECK_BYTES(s.out.b, s.out.n, v.b, v.n);
    CHECK(s.ptrs[1] == AU_SUB && s.ptrs[2] == AU_SUB + 2);

    frames_t fs = decode_one("video_sub", EPB_TYPE_VIDEO, 0, 1, 0xFFFFFFFFu, 0x0102030405060708ull);
    CHECK_BYTES(fs.payloads[0], fs.payload_lens[0], AU_SUB, sizeof AU_SUB);
}

static void event(void)
{
    epb_event_t e = {EPB_EVENT_MOTION_START, epb_str("zone=1")};
    uint8_t out[EPB_SMALL_FRAME_MAX];
    size_t n = 0;
    bytes_t v = vector("event");
    CHECK_EQ(epb_encode_event(out, sizeof out, &n, 0, 2, 2500000, &e), EPB_OK);
    CHECK_BYTES(out, n, v.b, v.n);

    frames_t fs = decode_one("event", EPB_TYPE_EVENT, 0, 0, 2, 2500000);
    epb_frame_t f = frame_of(&fs);
    epb_event_t p;
    CHECK_EQ(epb_parse_event(&f, &p), EPB_OK);
    CHECK_EQ(p.event_type, EPB_EVENT_MOTION_START);
    CHECK(str_is(p.detail, "zone=1"));
}

static void heartbeat(void)
{
    epb_heartbeat_t h = {3, 0};
    uint8_t out[EPB_SMALL_FRAME_MAX];
    size_t n = 0;
    bytes_t v = vector("heartbeat");
    CHECK_EQ(epb_encode_heartbeat(out, sizeof out, &n, 3, 3000000, &h), EPB_OK);
    CHECK_BYTES(out, n, v.b, v.n);

    frames_t fs = decode_one("heartbeat", EPB_TYPE_HEARTBEAT, 0, 0, 3, 3000000);
    epb_frame_t f = frame_of(&fs);
    epb_heartbeat_t p;
    CHECK_EQ(epb_parse_heartbeat(&f, &p), EPB_OK);
    CHECK_EQ(p.uptime_s, 3);
    CHECK_EQ(p.dropped_frames, 0);
}

static void control(const char *name, uint8_t stream_id, uint32_t seq, uint32_t id, uint8_t op, uint32_t value)
{
    epb_control_t c = {id, op, value};
    uint8_t out[EPB_SMALL_FRAME_MAX];
    size_t n = 0;
    bytes_t v = vector(name);
    CHECK_EQ(epb_encode_control(out, sizeof out, &n, stream_id, seq, 0, &c), EPB_OK);
    CHECK_BYTES(out, n, v.b, v.n);

    frames_t fs = decode_one(name, EPB_TYPE_CONTROL, 0, stream_id, seq, 0);
    epb_frame_t f = frame_of(&fs);
    epb_control_t p;
    CHECK_EQ(epb_parse_control(&f, &p), EPB_OK);
    CHECK_EQ(p.control_id, id);
    CHECK_EQ(p.op, op);
    CHECK_EQ(p.value, value);
}

static void ack(void)
{
    epb_ack_t a = {7, EPB_ACK_OK, false, 0};
    uint8_t out[EPB_SMALL_FRAME_MAX];
    size_t n = 0;
    bytes_t v = vector("ack");
    CHECK_EQ(epb_encode_ack(out, sizeof out, &n, 0, 4, 3100000, &a), EPB_OK);
    CHECK_BYTES(out, n, v.b, v.n);

    frames_t fs = decode_one("ack", EPB_TYPE_ACK, 0, 0, 4, 3100000);
    epb_frame_t f = frame_of(&fs);
    epb_ack_t p;
    CHECK_EQ(epb_parse_ack(&f, &p), EPB_OK);
    CHECK_EQ(p.control_id, 7);
    CHECK_EQ(p.status, EPB_ACK_OK);
    CHECK_EQ(p.has_applied_value, false);
}

static void ack_applied(void)
{
    epb_ack_t a = {7, EPB_ACK_OK, true, 800000};
    uint8_t out[EPB_SMALL_FRAME_MAX];
    size_t n = 0;
    bytes_t v = vector("ack_applied");
    CHECK_EQ(epb_encode_ack(out, sizeof out, &n, 0, 4, 3100000, &a), EPB_OK);
    CHECK_BYTES(out, n, v.b, v.n);

    frames_t fs = decode_one("ack_applied", EPB_TYPE_ACK, 0, 0, 4, 3100000);
    epb_frame_t f = frame_of(&fs);
    epb_ack_t p;
    CHECK_EQ(epb_parse_ack(&f, &p), EPB_OK);
    CHECK_EQ(p.control_id, 7);
    CHECK_EQ(p.status, EPB_ACK_OK);
    CHECK_EQ(p.has_applied_value, true);
    CHECK_EQ(p.applied_value, 800000);
}

static void oversize_header(void)
{
    uint8_t head[EPB_HEADER_LEN];
    bytes_t v = vector("oversize_header");
    epb_header_t h = {EPB_TYPE_VIDEO, 0, 0, 9, 0};
    /* epb_write_header refuses lengths over 2 MiB, so write a 2 MiB header and patch the length by hand. */
    CHECK_EQ(epb_write_header(head, &h, EPB_MAX_PAYLOAD), EPB_OK);
    CHECK_BYTES(head, 22 - 4, v.b, 22 - 4);
    CHECK_EQ(epb_crc32(0, v.b, 22), ((uint32_t)v.b[22] << 24) | ((uint32_t)v.b[23] << 16) | ((uint32_t)v.b[24] << 8) | v.b[25]);
}

void test_vectors(void)
{
    crc_check_value();
    hello();
    video_main_keyframe_zero_copy();
    video_sub_stream_in_chunks();
    event();
    heartbeat();
    control("control", 0, 0, 7, EPB_OP_SET_BITRATE, 1000000);
    control("control_idr_sub", 1, 1, 8, EPB_OP_FORCE_IDR, 0);
    ack();
    ack_applied();
    oversize_header();
}
