/*
 * edgepush wire protocol v1, device-side reference: the resynchronising frame decoder (PROTOCOL.md
 * section 2.4) and the message parsers (section 3). Portable C11, no ESP-IDF, no malloc.
 */
#include <string.h>

#include "edgepush_bridge.h"
#include "edgepush_bridge_internal.h"

/* ---- Decoder, section 2.4 ---- */

epb_err_t epb_decoder_init(epb_decoder_t *d, uint8_t *buf, size_t cap, uint32_t max_payload, epb_frame_cb on_frame,
                           void *cb_ctx)
{
    if (d == NULL || buf == NULL || on_frame == NULL) {
        return EPB_ERR_ARG;
    }
    if (max_payload > EPB_MAX_PAYLOAD) {
        return EPB_ERR_TOO_LARGE;
    }
    if (cap < EPB_DECODER_BUF_SIZE(max_payload)) {
        return EPB_ERR_ARG;
    }
    memset(d, 0, sizeof *d);
    d->buf = buf;
    d->cap = cap;
    d->max_payload = max_payload;
    d->on_frame = on_frame;
    d->cb_ctx = cb_ctx;
    return EPB_OK;
}

void epb_decoder_reset(epb_decoder_t *d)
{
    if (d != NULL) {
        d->len = 0;
    }
}

/*
 * Handles what is buffered, from the start: steps 1..7 of section 2.4. Returns the number of bytes
 * consumed (delivered frames plus skipped bytes); the rest is an incomplete frame or a lone 0x45.
 */
static size_t process(epb_decoder_t *d)
{
    size_t pos = 0;
    for (;;) {
        const uint8_t *p = d->buf + pos;
        size_t avail = d->len - pos;
        /* Step 1: find the magic; keep a trailing lone 0x45, it may be the first magic byte. */
        size_t i = 0;
        while (i + 1 < avail && !(p[i] == EPB_MAGIC_0 && p[i + 1] == EPB_MAGIC_1)) {
            i++;
        }
        if (i + 1 >= avail) {
            size_t drop = (avail > 0 && p[avail - 1] == EPB_MAGIC_0) ? avail - 1 : avail;
            d->stats.bytes_skipped += drop;
            return pos + drop;
        }
        d->stats.bytes_skipped += i;
        pos += i;
        p += i;
        avail -= i;
        /* Step 2: a whole header. */
        if (avail < EPB_HEADER_LEN) {
            return pos;
        }
        /* Steps 3 and 4: version, header CRC, length limit; on failure skip ONE byte (the 0x45) and rescan. */
        uint32_t payload_len = epb_get_u32(p + 18);
        if (p[2] != EPB_VERSION) {
            d->stats.unsupported_version++;
        } else if (epb_crc32(0, p, EPB_HEADER_CRC_OFFSET) != epb_get_u32(p + EPB_HEADER_CRC_OFFSET)) {
            d->stats.header_crc_errors++;
        } else if (payload_len > d->max_payload) {
            d->stats.oversize_frames++;
        } else {
            /* Step 5: the whole frame. */
            size_t body = EPB_HEADER_LEN + (size_t)payload_len;
            if (avail < body + EPB_TRAILER_LEN) {
                return pos;
            }
            /* Steps 6 and 7: frame CRC, then deliver and consume. */
            if (epb_crc32(0, p, body) == epb_get_u32(p + body)) {
                epb_frame_t f;
                f.header.type = p[3];
                f.header.flags = p[4];
                f.header.stream_id = p[5];
                f.header.sequence = epb_get_u32(p + 6);
                f.header.timestamp_us = ((uint64_t)epb_get_u32(p + 10) << 32) | epb_get_u32(p + 14);
                f.payload = p + EPB_HEADER_LEN;
                f.payload_len = payload_len;
                d->stats.frames++;
                d->on_frame(d->cb_ctx, &f);
                pos += body + EPB_TRAILER_LEN;
                continue;
            }
            d->stats.frame_crc_errors++;
        }
        d->stats.bytes_skipped++;
        pos++;
    }
}

void epb_decoder_feed(epb_decoder_t *d, const uint8_t *data, size_t len)
{
    if (d == NULL || d->buf == NULL || (data == NULL && len > 0)) {
        return;
    }
    while (len > 0) {
        /* The buffer holds at least one maximal frame, so a full buffer always lets process() consume. */
        size_t n = d->cap - d->len < len ? d->cap - d->len : len;
        memcpy(d->buf + d->len, data, n);
        d->len += n;
        data += n;
        len -= n;
        size_t used = process(d);
        d->len -= used;
        if (d->len > 0 && used > 0) {
            memmove(d->buf, d->buf + used, d->len);
        }
    }
}

/* ---- Parsers, section 3 ---- */

/* Bounds-checked reader over a payload. */
typedef struct {
    const uint8_t *p;
    uint32_t len;
    uint32_t pos;
    bool ok;
} reader_t;

static const uint8_t *take(reader_t *r, uint32_t n)
{
    if (!r->ok || r->len - r->pos < n) {
        r->ok = false;
        return NULL;
    }
    const uint8_t *at = r->p + r->pos;
    r->pos += n;
    return at;
}

static uint8_t read_u8(reader_t *r)
{
    const uint8_t *at = take(r, 1);
    return at == NULL ? 0 : at[0];
}

static uint16_t read_u16(reader_t *r)
{
    const uint8_t *at = take(r, 2);
    return at == NULL ? 0 : (uint16_t)((at[0] << 8) | at[1]);
}

static uint32_t read_u32(reader_t *r)
{
    const uint8_t *at = take(r, 4);
    return at == NULL ? 0 : epb_get_u32(at);
}

/* str8 (length_bytes 1) or str16 (2), section 1. */
static epb_str_t read_str(reader_t *r, int length_bytes)
{
    uint32_t n = length_bytes == 1 ? read_u8(r) : read_u16(r);
    const uint8_t *at = take(r, n);
    epb_str_t s = {(const char *)at, at == NULL ? 0 : n};
    return s;
}

/* Starts reading a frame of the expected type. */
static epb_err_t open_reader(reader_t *r, const epb_frame_t *frame, const void *out, epb_type_t type)
{
    if (frame == NULL || out == NULL || (frame->payload == NULL && frame->payload_len > 0)) {
        return EPB_ERR_ARG;
    }
    if (frame->header.type != (uint8_t)type) {
        return EPB_ERR_WRONG_TYPE;
    }
    r->p = frame->payload;
    r->len = frame->payload_len;
    r->pos = 0;
    r->ok = true;
    return EPB_OK;
}

#define OPEN_OR_RETURN(r, frame, out, type)                 \
    do {                                                    \
        epb_err_t open_err = open_reader(r, frame, out, type); \
        if (open_err != EPB_OK) {                           \
            return open_err;                                \
        }                                                   \
    } while (0)

epb_err_t epb_parse_hello(const epb_frame_t *frame, epb_hello_t *out)
{
    reader_t r;
    OPEN_OR_RETURN(&r, frame, out, EPB_TYPE_HELLO);
    epb_hello_t h;
    h.device_id = read_str(&r, 1);
    h.firmware_version = read_str(&r, 1);
    h.codec = read_str(&r, 1);
    h.capabilities = read_u32(&r);
    h.width = read_u16(&r);
    h.height = read_u16(&r);
    h.fps = read_u16(&r);
    h.bitrate_bps = read_u32(&r);
    if (!r.ok) {
        return EPB_ERR_TRUNCATED;
    }
    *out = h;
    return EPB_OK;
}

epb_err_t epb_parse_event(const epb_frame_t *frame, epb_event_t *out)
{
    reader_t r;
    OPEN_OR_RETURN(&r, frame, out, EPB_TYPE_EVENT);
    epb_event_t e;
    e.event_type = read_u8(&r);
    e.detail = read_str(&r, 2);
    if (!r.ok) {
        return EPB_ERR_TRUNCATED;
    }
    *out = e;
    return EPB_OK;
}

epb_err_t epb_parse_heartbeat(const epb_frame_t *frame, epb_heartbeat_t *out)
{
    reader_t r;
    OPEN_OR_RETURN(&r, frame, out, EPB_TYPE_HEARTBEAT);
    epb_heartbeat_t h;
    h.uptime_s = read_u32(&r);
    h.dropped_frames = read_u32(&r);
    if (!r.ok) {
        return EPB_ERR_TRUNCATED;
    }
    *out = h;
    return EPB_OK;
}

epb_err_t epb_parse_control(const epb_frame_t *frame, epb_control_t *out)
{
    reader_t r;
    OPEN_OR_RETURN(&r, frame, out, EPB_TYPE_CONTROL);
    epb_control_t c;
    c.control_id = read_u32(&r);
    c.op = read_u8(&r);
    c.value = read_u32(&r);
    if (!r.ok) {
        return EPB_ERR_TRUNCATED;
    }
    *out = c;
    return EPB_OK;
}

epb_err_t epb_parse_ack(const epb_frame_t *frame, epb_ack_t *out)
{
    reader_t r;
    OPEN_OR_RETURN(&r, frame, out, EPB_TYPE_ACK);
    epb_ack_t a;
    a.control_id = read_u32(&r);
    a.status = read_u8(&r);
    if (!r.ok) {
        return EPB_ERR_TRUNCATED;
    }
    a.has_applied_value = r.len - r.pos >= 4; /* optional, section 3.6; 1..3 extra bytes are ignored */
    a.applied_value = a.has_applied_value ? read_u32(&r) : 0;
    *out = a;
    return EPB_OK;
}
