/*
 * Decoder resynchronisation and limits, PROTOCOL.md section 2.4, built from the shared vectors: garbage,
 * a cut frame, CRC errors, an unknown version, oversize lengths, byte-at-a-time feeding, a small buffer.
 */
#include <string.h>

#include "test_support.h"

static uint8_t big_buf[EPB_DECODER_BUF_SIZE(EPB_MAX_PAYLOAD)];

typedef struct {
    epb_decoder_t d;
    frames_t fs;
} rx_t;

static void rx_init(rx_t *rx, uint8_t *buf, size_t cap, uint32_t max_payload)
{
    memset(&rx->fs, 0, sizeof rx->fs);
    CHECK_EQ(epb_decoder_init(&rx->d, buf, cap, max_payload, collect_frame, &rx->fs), EPB_OK);
}

static void feed(rx_t *rx, const bytes_t *b)
{
    epb_decoder_feed(&rx->d, b->b, b->n);
}

static void add(bytes_t *b, const char *name)
{
    bytes_t v = vector(name);
    append(b, v.b, v.n);
}

static void garbage_before_and_between_frames(void)
{
    rx_t rx;
    rx_init(&rx, big_buf, sizeof big_buf, EPB_MAX_PAYLOAD);
    bytes_t in = {{0}, 0};
    append_hex(&in, "00 45 ff 50 45 45");
    add(&in, "event");
    append_hex(&in, "45 50 01 02 13"); /* a magic and a partial header, then a real frame */
    add(&in, "heartbeat");
    append_hex(&in, "45");
    feed(&rx, &in);
    CHECK_EQ(rx.fs.count, 2);
    CHECK_EQ(rx.fs.headers[0].sequence, 2);
    CHECK_EQ(rx.fs.headers[1].sequence, 3);
    CHECK_EQ(rx.d.stats.bytes_skipped, 6 + 5);
    CHECK_EQ(rx.d.len, 1); /* a trailing 0x45 may start a magic and is kept */
    bytes_t p = {{0x50}, 1};
    feed(&rx, &p);
    CHECK_EQ(rx.d.len, 2);
    CHECK_EQ(rx.d.stats.header_crc_errors, 1); /* "45 50 01 02 13 45 50 01 04 ..." failed its header CRC */
}

static void cut_frame_followed_by_good_frame(void)
{
    rx_t rx;
    rx_init(&rx, big_buf, sizeof big_buf, EPB_MAX_PAYLOAD);
    bytes_t hello = vector("hello");
    bytes_t in = {{0}, 0};
    append(&in, hello.b, 40); /* first 40 of 71 bytes */
    add(&in, "ack");
    feed(&rx, &in);
    CHECK_EQ(rx.fs.count, 1);
    CHECK_EQ(rx.fs.headers[0].type, EPB_TYPE_ACK);
    CHECK_EQ(rx.fs.headers[0].sequence, 4);
    CHECK_EQ(rx.d.stats.frame_crc_errors, 1);
    CHECK_EQ(rx.d.len, 0);
}

static void frame_crc_error_drops_only_that_frame(void)
{
    rx_t rx;
    rx_init(&rx, big_buf, sizeof big_buf, EPB_MAX_PAYLOAD);
    bytes_t in = vector("video_main_key");
    size_t bad_len = in.n;
    in.b[30] ^= 0x01; /* a payload bit */
    add(&in, "heartbeat");
    feed(&rx, &in);
    CHECK_EQ(rx.fs.count, 1);
    CHECK_EQ(rx.fs.headers[0].sequence, 3);
    CHECK_EQ(rx.d.stats.frame_crc_errors, 1);
    CHECK_EQ(rx.d.stats.bytes_skipped, bad_len);
}

static void header_crc_error_does_not_wait_for_the_length(void)
{
    rx_t rx;
    rx_init(&rx, big_buf, sizeof big_buf, EPB_MAX_PAYLOAD);
    bytes_t in = vector("oversize_header");
    in.b[18] = 0x00; /* length 0x0000ffff: under the maximum, but the header CRC is now wrong */
    in.b[19] = 0x00;
    add(&in, "event");
    feed(&rx, &in);
    CHECK_EQ(rx.fs.count, 1);
    CHECK_EQ(rx.fs.headers[0].sequence, 2);
    CHECK_EQ(rx.d.stats.header_crc_errors, 1);
    CHECK_EQ(rx.d.len, 0);
}

static void oversize_length_is_rejected_without_buffering(void)
{
    /* A 94-byte buffer (camera-sized): the 4 GiB length must be rejected from its header alone. */
    static uint8_t small[EPB_DECODER_BUF_SIZE(64)];
    rx_t rx;
    rx_init(&rx, small, sizeof small, 64);
    bytes_t in = vector("oversize_header");
    append_hex(&in, "00 11 22 33");
    add(&in, "event");
    feed(&rx, &in);
    CHECK_EQ(rx.fs.count, 1);
    CHECK_EQ(rx.fs.headers[0].sequence, 2);
    CHECK_EQ(rx.d.stats.oversize_frames, 1);
    CHECK_EQ(rx.d.len, 0);
}

static void configured_lower_maximum(void)
{
    static uint8_t small[EPB_DECODER_BUF_SIZE(8)];
    rx_t rx;
    rx_init(&rx, small, sizeof small, 8);
    bytes_t in = vector("video_main_key"); /* 14-byte payload > 8 */
    add(&in, "heartbeat");                 /* 8-byte payload */
    feed(&rx, &in);
    CHECK_EQ(rx.fs.count, 1);
    CHECK_EQ(rx.fs.headers[0].sequence, 3);
    CHECK_EQ(rx.d.stats.oversize_frames, 1);
}

static void unknown_version_is_skipped(void)
{
    rx_t rx;
    rx_init(&rx, big_buf, sizeof big_buf, EPB_MAX_PAYLOAD);
    bytes_t in = vector("event");
    in.b[2] = 0x02;
    add(&in, "ack");
    feed(&rx, &in);
    CHECK_EQ(rx.fs.count, 1);
    CHECK_EQ(rx.fs.headers[0].sequence, 4);
    CHECK_EQ(rx.d.stats.unsupported_version, 1);
}

static void byte_at_a_time_decodes_everything(void)
{
    static uint8_t small[EPB_DECODER_BUF_SIZE(64)];
    rx_t rx;
    rx_init(&rx, small, sizeof small, 64);
    bytes_t in = {{0}, 0};
    add(&in, "hello");
    append_hex(&in, "00");
    add(&in, "video_main_key");
    add(&in, "video_sub");
    add(&in, "event");
    add(&in, "heartbeat");
    add(&in, "control_idr_sub");
    add(&in, "ack");
    for (size_t i = 0; i < in.n; i++) {
        epb_decoder_feed(&rx.d, in.b + i, 1);
    }
    static const uint32_t seqs[] = {0, 1, 0xFFFFFFFFu, 2, 3, 1, 4};
    CHECK_EQ(rx.fs.count, 7);
    for (int i = 0; i < 7 && i < rx.fs.count; i++) {
        CHECK_EQ(rx.fs.headers[i].sequence, seqs[i]);
    }
    CHECK_EQ(rx.d.stats.bytes_skipped, 1);
    CHECK_EQ(rx.d.stats.header_crc_errors + rx.d.stats.frame_crc_errors, 0);
    CHECK_EQ(rx.d.len, 0);
}

static void garbage_larger_than_the_buffer(void)
{
    /* 5000 bytes of magic-rich garbage through a 94-byte buffer, then a frame: found, nothing lost. */
    static uint8_t small[EPB_DECODER_BUF_SIZE(64)];
    rx_t rx;
    rx_init(&rx, small, sizeof small, 64);
    bytes_t in = {{0}, 0};
    uint32_t x = 12345;
    for (int i = 0; i < 5000; i++) {
        x = x * 1103515245u + 12345u;
        uint8_t b = (i % 7 == 0) ? 0x45 : (i % 7 == 1) ? 0x50 : (uint8_t)(x >> 24);
        append(&in, &b, 1);
    }
    add(&in, "control");
    feed(&rx, &in);
    CHECK_EQ(rx.fs.count, 1);
    CHECK_EQ(rx.fs.headers[0].type, EPB_TYPE_CONTROL);
    CHECK_EQ(rx.d.stats.bytes_skipped, 5000);
    CHECK_EQ(rx.d.len, 0);
}

static void reset_drops_a_partial_frame(void)
{
    rx_t rx;
    rx_init(&rx, big_buf, sizeof big_buf, EPB_MAX_PAYLOAD);
    bytes_t hello = vector("hello");
    epb_decoder_feed(&rx.d, hello.b, 30);
    CHECK_EQ(rx.d.len, 30);
    epb_decoder_reset(&rx.d);
    CHECK_EQ(rx.d.len, 0);
    bytes_t ack = vector("ack");
    feed(&rx, &ack);
    CHECK_EQ(rx.fs.count, 1);
    CHECK_EQ(rx.d.stats.frame_crc_errors, 0);
}

void test_resync(void)
{
    garbage_before_and_between_frames();
    cut_frame_followed_by_good_frame();
    frame_crc_error_drops_only_that_frame();
    header_crc_error_does_not_wait_for_the_length();
    oversize_length_is_rejected_without_buffering();
    configured_lower_maximum();
    unknown_version_is_skipped();
    byte_at_a_time_decodes_everything();
    garbage_larger_than_the_buffer();
    reset_drops_a_partial_frame();
}
