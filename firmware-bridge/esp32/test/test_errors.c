/* Every error code of the C core: bad arguments, limits, writer misuse, write failures, malformed payloads. */
#include <string.h>

#include "test_support.h"

static epb_hello_t valid_hello(void)
{
    epb_hello_t h = {epb_str("cam-1"), epb_str("1.0"), epb_str("h264"), 0, 640, 480, 15, 500000};
    return h;
}

static void encoder_limits(void)
{
    uint8_t out[2048];
    size_t n = 0;
    epb_hello_t h = valid_hello();
    CHECK_EQ(epb_encode_hello(out, sizeof out, &n, 0, 0, &h), EPB_OK);
    CHECK_EQ(n, 30 + 3 + 5 + 3 + 4 + 14);
    CHECK_EQ(epb_encode_hello(out, n - 1, &n, 0, 0, &h), EPB_ERR_NO_SPACE);
    CHECK_EQ(epb_encode_hello(NULL, sizeof out, &n, 0, 0, &h), EPB_ERR_ARG);
    CHECK_EQ(epb_encode_hello(out, sizeof out, &n, 0, 0, NULL), EPB_ERR_ARG);

    h.device_id = epb_str("cam 1"); /* space not allowed */
    CHECK_EQ(epb_encode_hello(out, sizeof out, &n, 0, 0, &h), EPB_ERR_STRING);
    h.device_id = epb_str("");
    CHECK_EQ(epb_encode_hello(out, sizeof out, &n, 0, 0, &h), EPB_ERR_STRING);
    char long_id[66];
    memset(long_id, 'a', 65);
    long_id[65] = '\0';
    h.device_id = epb_str(long_id); /* 65 bytes */
    CHECK_EQ(epb_encode_hello(out, sizeof out, &n, 0, 0, &h), EPB_ERR_STRING);
    long_id[64] = '\0';
    h.device_id = epb_str(long_id); /* 64 bytes: the maximum */
    CHECK_EQ(epb_encode_hello(out, sizeof out, &n, 0, 0, &h), EPB_OK);
    h = valid_hello();
    h.codec = epb_str("");
    CHECK_EQ(epb_encode_hello(out, sizeof out, &n, 0, 0, &h), EPB_ERR_STRING);
    h = valid_hello();
    h.firmware_version.ptr = NULL; /* NULL with a non-zero length */
    CHECK_EQ(epb_encode_hello(out, sizeof out, &n, 0, 0, &h), EPB_ERR_STRING);

    static char detail[1026];
    memset(detail, 'x', 1025);
    epb_event_t e = {EPB_EVENT_ERROR, {detail, 1025}};
    CHECK_EQ(epb_encode_event(out, sizeof out, &n, 0, 0, 0, &e), EPB_ERR_STRING);
    e.detail.len = 1024;
    CHECK_EQ(epb_encode_event(out, sizeof out, &n, 0, 0, 0, &e), EPB_OK);
    CHECK_EQ(n, 30 + 3 + 1024);

    epb_heartbeat_t hb = {0, 0};
    CHECK_EQ(epb_encode_heartbeat(out, 37, &n, 0, 0, &hb), EPB_ERR_NO_SPACE);
    CHECK_EQ(epb_encode_heartbeat(out, 38, &n, 0, 0, &hb), EPB_OK);
    epb_ack_t a = {1, EPB_ACK_BUSY, false, 0};
    CHECK_EQ(epb_encode_ack(out, 34, &n, 0, 0, 0, &a), EPB_ERR_NO_SPACE);
    a.has_applied_value = true; /* 4 more payload bytes: 39 */
    CHECK_EQ(epb_encode_ack(out, 38, &n, 0, 0, 0, &a), EPB_ERR_NO_SPACE);
    CHECK_EQ(epb_encode_ack(out, 39, &n, 0, 0, 0, &a), EPB_OK);
    CHECK_EQ(n, 39);
    a.has_applied_value = false;
    CHECK_EQ(epb_encode_ack(out, sizeof out, NULL, 0, 0, 0, &a), EPB_ERR_ARG);
    CHECK_EQ(epb_encode_control(out, sizeof out, &n, 0, 0, 0, NULL), EPB_ERR_ARG);

    epb_header_t hdr = {EPB_TYPE_VIDEO, 0, 0, 0, 0};
    uint8_t head[EPB_HEADER_LEN];
    CHECK_EQ(epb_write_header(head, &hdr, EPB_MAX_PAYLOAD + 1), EPB_ERR_TOO_LARGE);
    CHECK_EQ(epb_encode_frame(out, sizeof out, &n, &hdr, NULL, 1), EPB_ERR_ARG);
    CHECK_EQ(epb_encode_frame(out, sizeof out, &n, &hdr, out, EPB_MAX_PAYLOAD + 1), EPB_ERR_TOO_LARGE);
    CHECK_EQ(epb_encode_frame(out, 29, &n, &hdr, NULL, 0), EPB_ERR_NO_SPACE);
}

static void frame_writer_misuse_and_write_failures(void)
{
    static const uint8_t au[] = {0, 0, 1, 0x65, 1, 2};
    sink_t s = {0};
    epb_frame_writer_t w;
    CHECK_EQ(epb_video_begin(&w, sink_write, &s, 0, 0, 0, true, 0), EPB_ERR_ARG); /* empty access unit */
    CHECK_EQ(epb_video_begin(&w, sink_write, &s, 0, 0, 0, true, EPB_MAX_PAYLOAD + 1), EPB_ERR_TOO_LARGE);
    CHECK_EQ(epb_frame_write(&w, au, 1), EPB_ERR_STATE);                          /* not begun */
    CHECK_EQ(epb_frame_end(&w), EPB_ERR_STATE);

    CHECK_EQ(epb_video_begin(&w, sink_write, &s, 0, 0, 0, true, sizeof au), EPB_OK);
    CHECK_EQ(epb_frame_write(&w, au, sizeof au + 1), EPB_ERR_STATE); /* more than declared: nothing written */
    CHECK_EQ(s.out.n, EPB_HEADER_LEN);
    CHECK_EQ(epb_frame_write(&w, au, 2), EPB_OK);
    CHECK_EQ(epb_frame_end(&w), EPB_ERR_STATE); /* 4 bytes missing; the writer stays open */
    CHECK_EQ(epb_frame_write(&w, au + 2, 4), EPB_OK);
    CHECK_EQ(epb_frame_end(&w), EPB_OK);
    CHECK_EQ(epb_frame_end(&w), EPB_ERR_STATE); /* closed */
    CHECK_EQ(s.out.n, EPB_FRAME_OVERHEAD + sizeof au);

    for (int fail = 1; fail <= 3; fail++) { /* header, payload, CRC write fails in turn */
        sink_t f = {0};
        f.fail_on_call = fail;
        CHECK_EQ(epb_send_video(sink_write, &f, 0, 0, 0, false, au, sizeof au), EPB_ERR_WRITE);
    }
    CHECK_EQ(epb_send_video(sink_write, &s, 0, 0, 0, false, NULL, 1), EPB_ERR_ARG);
    CHECK_EQ(epb_frame_begin(&w, NULL, &s, &(epb_header_t){EPB_TYPE_VIDEO, 0, 0, 0, 0}, 1), EPB_ERR_ARG);
}

static void decoder_init_errors(void)
{
    static uint8_t buf[EPB_DECODER_BUF_SIZE(64)];
    frames_t fs = {0};
    epb_decoder_t d;
    CHECK_EQ(epb_decoder_init(&d, buf, sizeof buf - 1, 64, collect_frame, &fs), EPB_ERR_ARG);
    CHECK_EQ(epb_decoder_init(&d, NULL, sizeof buf, 64, collect_frame, &fs), EPB_ERR_ARG);
    CHECK_EQ(epb_decoder_init(&d, buf, sizeof buf, 64, NULL, &fs), EPB_ERR_ARG);
    CHECK_EQ(epb_decoder_init(&d, buf, sizeof buf, EPB_MAX_PAYLOAD + 1, collect_frame, &fs), EPB_ERR_TOO_LARGE);
    CHECK_EQ(epb_decoder_init(&d, buf, sizeof buf, 64, collect_frame, &fs), EPB_OK);
    epb_decoder_feed(&d, NULL, 5); /* ignored, no crash */
    epb_decoder_feed(NULL, buf, 5);
    CHECK_EQ(d.stats.bytes_skipped, 0);
}

/* Decodes one frame encoded by epb_encode_frame with the given type and payload. */
static frames_t one_frame(uint8_t type, const uint8_t *payload, uint32_t len)
{
    uint8_t out[256];
    size_t n = 0;
    epb_header_t h = {type, 0, 0, 0, 0};
    CHECK_EQ(epb_encode_frame(out, sizeof out, &n, &h, payload, len), EPB_OK);
    static uint8_t buf[EPB_DECODER_BUF_SIZE(200)];
    frames_t fs = {0};
    epb_decoder_t d;
    CHECK_EQ(epb_decoder_init(&d, buf, sizeof buf, 200, collect_frame, &fs), EPB_OK);
    epb_decoder_feed(&d, out, n);
    CHECK_EQ(fs.count, 1);
    return fs;
}

static void malformed_payloads(void)
{
    static const uint8_t eight[8] = {0, 0, 0, 7, 1, 0, 0x0f, 0x42};
    frames_t fs = one_frame(EPB_TYPE_CONTROL, eight, 8); /* CONTROL needs 9 bytes */
    epb_frame_t f = {fs.headers[0], fs.payloads[0], fs.payload_lens[0]};
    epb_control_t c;
    CHECK_EQ(epb_parse_control(&f, &c), EPB_ERR_TRUNCATED);
    epb_ack_t a;
    CHECK_EQ(epb_parse_ack(&f, &a), EPB_ERR_WRONG_TYPE);
    CHECK_EQ(epb_parse_control(NULL, &c), EPB_ERR_ARG);
    CHECK_EQ(epb_parse_control(&f, NULL), EPB_ERR_ARG);

    static const uint8_t long_id[] = {40, 'a', 'b'}; /* str8 length past the payload's end */
    fs = one_frame(EPB_TYPE_HELLO, long_id, sizeof long_id);
    f = (epb_frame_t){fs.headers[0], fs.payloads[0], fs.payload_lens[0]};
    epb_hello_t h;
    CHECK_EQ(epb_parse_hello(&f, &h), EPB_ERR_TRUNCATED);

    static const uint8_t ev[] = {1, 0, 9, 'z'}; /* str16 length 9, 1 byte present */
    fs = one_frame(EPB_TYPE_EVENT, ev, sizeof ev);
    f = (epb_frame_t){fs.headers[0], fs.payloads[0], fs.payload_lens[0]};
    epb_event_t e;
    CHECK_EQ(epb_parse_event(&f, &e), EPB_ERR_TRUNCATED);

    fs = one_frame(EPB_TYPE_HEARTBEAT, eight, 7);
    f = (epb_frame_t){fs.headers[0], fs.payloads[0], fs.payload_lens[0]};
    epb_heartbeat_t hb;
    CHECK_EQ(epb_parse_heartbeat(&f, &hb), EPB_ERR_TRUNCATED);
    fs = one_frame(EPB_TYPE_ACK, eight, 4);
    f = (epb_frame_t){fs.headers[0], fs.payloads[0], fs.payload_lens[0]};
    CHECK_EQ(epb_parse_ack(&f, &a), EPB_ERR_TRUNCATED);

    /* Trailing bytes after the known fields are ignored (section 2.4). */
    static const uint8_t ten[10] = {0, 0, 0, 9, 5, 0, 0, 0, 0, 0xAA};
    fs = one_frame(EPB_TYPE_CONTROL, ten, 10);
    f = (epb_frame_t){fs.headers[0], fs.payloads[0], fs.payload_lens[0]};
    CHECK_EQ(epb_parse_control(&f, &c), EPB_OK);
    CHECK_EQ(c.control_id, 9);
    CHECK_EQ(c.op, EPB_OP_FORCE_IDR);

    /* ACK: 5 bytes = no applied_value (an older camera); 1..3 extra bytes are no whole field and are ignored. */
    fs = one_frame(EPB_TYPE_ACK, ten, 5);
    f = (epb_frame_t){fs.headers[0], fs.payloads[0], fs.payload_lens[0]};
    CHECK_EQ(epb_parse_ack(&f, &a), EPB_OK);
    CHECK_EQ(a.control_id, 9);
    CHECK_EQ(a.has_applied_value, false);
    fs = one_frame(EPB_TYPE_ACK, ten, 8);
    f = (epb_frame_t){fs.headers[0], fs.payloads[0], fs.payload_lens[0]};
    CHECK_EQ(epb_parse_ack(&f, &a), EPB_OK);
    CHECK_EQ(a.has_applied_value, false);
    fs = one_frame(EPB_TYPE_ACK, ten, 10); /* applied_value 00 00 00 00, then one ignored byte */
    f = (epb_frame_t){fs.headers[0], fs.payloads[0], fs.payload_lens[0]};
    CHECK_EQ(epb_parse_ack(&f, &a), EPB_OK);
    CHECK_EQ(a.has_applied_value, true);
    CHECK_EQ(a.applied_value, 0);

    /* An unknown type is still a valid frame: delivered, to be ignored by the application. */
    fs = one_frame(0x7E, ten, 10);
    CHECK_EQ(fs.headers[0].type, 0x7E);
}

static void error_names(void)
{
    CHECK(strcmp(epb_err_name(EPB_ERR_TRUNCATED), "truncated payload") == 0);
    CHECK(strcmp(epb_err_name((epb_err_t)-99), "unknown error") == 0);
}

void test_errors(void)
{
    encoder_limits();
    frame_writer_misuse_and_write_failures();
    decoder_init_errors();
    malformed_payloads();
    error_names();
}
