/*
 * edgepush wire protocol v1, device-side reference: CRC-32, frame and message encoding. The decoder and
 * the message parsers are in edgepush_bridge_decode.c. Section numbers refer to firmware-bridge/PROTOCOL.md.
 * Portable C11, no ESP-IDF, no malloc.
 */
#include "edgepush_bridge.h"

#include <string.h>

#include "edgepush_bridge_internal.h"

const char *epb_err_name(epb_err_t err)
{
    switch (err) {
    case EPB_OK: return "ok";
    case EPB_ERR_ARG: return "invalid argument";
    case EPB_ERR_NO_SPACE: return "output buffer too small";
    case EPB_ERR_TOO_LARGE: return "payload too large";
    case EPB_ERR_STRING: return "string out of limits";
    case EPB_ERR_STATE: return "frame writer misuse";
    case EPB_ERR_WRITE: return "write failed";
    case EPB_ERR_WRONG_TYPE: return "wrong message type";
    case EPB_ERR_TRUNCATED: return "truncated payload";
    }
    return "unknown error";
}

/* ---- CRC-32/ISO-HDLC, section 1.1: reflected 0xEDB88320, init/xorout 0xFFFFFFFF, 4 bits per step. ---- */

static const uint32_t CRC_NIBBLE[16] = {
    0x00000000u, 0x1DB71064u, 0x3B6E20C8u, 0x26D930ACu, 0x76DC4190u, 0x6B6B51F4u, 0x4DB26158u, 0x5005713Cu,
    0xEDB88320u, 0xF00F9344u, 0xD6D6A3E8u, 0xCB61B38Cu, 0x9B64C2B0u, 0x86D3D2D4u, 0xA00AE278u, 0xBDBDF21Cu,
};

uint32_t epb_crc32(uint32_t crc, const void *data, size_t len)
{
    const uint8_t *p = (const uint8_t *)data;
    crc = ~crc;
    for (size_t i = 0; i < len; i++) {
        crc ^= p[i];
        crc = (crc >> 4) ^ CRC_NIBBLE[crc & 0x0Fu];
        crc = (crc >> 4) ^ CRC_NIBBLE[crc & 0x0Fu];
    }
    return ~crc;
}

/* ---- Big-endian fields, section 1 ---- */

void epb_put_u16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

void epb_put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

uint32_t epb_get_u32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

/* ---- Frames, section 2 ---- */

epb_err_t epb_write_header(uint8_t out[EPB_HEADER_LEN], const epb_header_t *header, uint32_t payload_len)
{
    if (out == NULL || header == NULL) {
        return EPB_ERR_ARG;
    }
    if (payload_len > EPB_MAX_PAYLOAD) {
        return EPB_ERR_TOO_LARGE;
    }
    out[0] = EPB_MAGIC_0;
    out[1] = EPB_MAGIC_1;
    out[2] = EPB_VERSION;
    out[3] = header->type;
    out[4] = header->flags;
    out[5] = header->stream_id;
    epb_put_u32(out + 6, header->sequence);
    epb_put_u32(out + 10, (uint32_t)(header->timestamp_us >> 32));
    epb_put_u32(out + 14, (uint32_t)header->timestamp_us);
    epb_put_u32(out + 18, payload_len);
    epb_put_u32(out + EPB_HEADER_CRC_OFFSET, epb_crc32(0, out, EPB_HEADER_CRC_OFFSET));
    return EPB_OK;
}

/* Completes a frame whose payload is already at out[26..]: header and frame CRC. Space was checked. */
static epb_err_t seal(uint8_t *out, size_t *out_len, const epb_header_t *header, uint32_t payload_len)
{
    epb_err_t err = epb_write_header(out, header, payload_len);
    if (err != EPB_OK) {
        return err;
    }
    size_t body = EPB_HEADER_LEN + (size_t)payload_len;
    epb_put_u32(out + body, epb_crc32(0, out, body));
    *out_len = body + EPB_TRAILER_LEN;
    return EPB_OK;
}

/* Checks the output arguments and that a frame with payload_len bytes fits in cap. */
static epb_err_t check_out(const uint8_t *out, size_t cap, const size_t *out_len, size_t payload_len)
{
    if (out == NULL || out_len == NULL) {
        return EPB_ERR_ARG;
    }
    if (payload_len > EPB_MAX_PAYLOAD) {
        return EPB_ERR_TOO_LARGE;
    }
    if (cap < EPB_FRAME_OVERHEAD || cap - EPB_FRAME_OVERHEAD < payload_len) {
        return EPB_ERR_NO_SPACE;
    }
    return EPB_OK;
}

epb_err_t epb_encode_frame(uint8_t *out, size_t cap, size_t *out_len, const epb_header_t *header,
                           const uint8_t *payload, uint32_t payload_len)
{
    if (header == NULL || (payload == NULL && payload_len > 0)) {
        return EPB_ERR_ARG;
    }
    epb_err_t err = check_out(out, cap, out_len, payload_len);
    if (err != EPB_OK) {
        return err;
    }
    if (payload_len > 0) {
        memmove(out + EPB_HEADER_LEN, payload, payload_len);
    }
    return seal(out, out_len, header, payload_len);
}

/* ---- Streaming writer ---- */

epb_err_t epb_frame_begin(epb_frame_writer_t *w, epb_write_fn write, void *ctx, const epb_header_t *header,
                          uint32_t payload_len)
{
    if (w == NULL || write == NULL || header == NULL) {
        return EPB_ERR_ARG;
    }
    w->open = false;
    uint8_t head[EPB_HEADER_LEN];
    epb_err_t err = epb_write_header(head, header, payload_len);
    if (err != EPB_OK) {
        return err;
    }
    if (write(ctx, head, sizeof head) != 0) {
        return EPB_ERR_WRITE;
    }
    w->write = write;
    w->ctx = ctx;
    w->crc = epb_crc32(0, head, sizeof head);
    w->remaining = payload_len;
    w->open = true;
    return EPB_OK;
}

epb_err_t epb_frame_write(epb_frame_writer_t *w, const void *data, size_t len)
{
    if (w == NULL || (data == NULL && len > 0)) {
        return EPB_ERR_ARG;
    }
    if (!w->open || len > w->remaining) {
        return EPB_ERR_STATE;
    }
    if (len == 0) {
        return EPB_OK;
    }
    if (w->write(w->ctx, (const uint8_t *)data, len) != 0) {
        w->open = false;
        return EPB_ERR_WRITE;
    }
    w->crc = epb_crc32(w->crc, data, len);
    w->remaining -= (uint32_t)len;
    return EPB_OK;
}

epb_err_t epb_frame_end(epb_frame_writer_t *w)
{
    if (w == NULL) {
        return EPB_ERR_ARG;
    }
    if (!w->open || w->remaining != 0) {
        return EPB_ERR_STATE;
    }
    w->open = false;
    uint8_t trailer[EPB_TRAILER_LEN];
    epb_put_u32(trailer, w->crc);
    return w->write(w->ctx, trailer, sizeof trailer) != 0 ? EPB_ERR_WRITE : EPB_OK;
}

/* ---- Messages, section 3 ---- */

epb_str_t epb_str(const char *s)
{
    epb_str_t r = {s, s == NULL ? 0 : strlen(s)};
    return r;
}

/* A string within 0..max bytes, not NULL unless empty. */
static bool str_ok(epb_str_t s, size_t min, size_t max)
{
    return (s.ptr != NULL || s.len == 0) && s.len >= min && s.len <= max;
}

static bool device_id_ok(epb_str_t s)
{
    if (!str_ok(s, 1, 64)) {
        return false;
    }
    for (size_t i = 0; i < s.len; i++) {
        char c = s.ptr[i];
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'
                  || c == '.' || c == '-';
        if (!ok) {
            return false;
        }
    }
    return true;
}

static uint8_t *put_str8(uint8_t *p, epb_str_t s)
{
    *p++ = (uint8_t)s.len;
    if (s.len > 0) {
        memcpy(p, s.ptr, s.len);
    }
    return p + s.len;
}

static epb_header_t header_of(epb_type_t type, uint8_t stream_id, uint32_t seq, uint64_t timestamp_us)
{
    epb_header_t h = {(uint8_t)type, 0, stream_id, seq, timestamp_us};
    return h;
}

epb_err_t epb_encode_hello(uint8_t *out, size_t cap, size_t *out_len, uint32_t seq, uint64_t timestamp_us,
                           const epb_hello_t *hello)
{
    if (hello == NULL) {
        return EPB_ERR_ARG;
    }
    if (!device_id_ok(hello->device_id) || !str_ok(hello->firmware_version, 0, 64) || !str_ok(hello->codec, 1, 16)) {
        return EPB_ERR_STRING;
    }
    size_t len = 3 + hello->device_id.len + hello->firmware_version.len + hello->codec.len + 14;
    epb_err_t err = check_out(out, cap, out_len, len);
    if (err != EPB_OK) {
        return err;
    }
    uint8_t *p = out + EPB_HEADER_LEN;
    p = put_str8(p, hello->device_id);
    p = put_str8(p, hello->firmware_version);
    p = put_str8(p, hello->codec);
    epb_put_u32(p, hello->capabilities);
    epb_put_u16(p + 4, hello->width);
    epb_put_u16(p + 6, hello->height);
    epb_put_u16(p + 8, hello->fps);
    epb_put_u32(p + 10, hello->bitrate_bps);
    epb_header_t h = header_of(EPB_TYPE_HELLO, 0, seq, timestamp_us); /* HELLO is on stream 0, section 3 */
    return seal(out, out_len, &h, (uint32_t)len);
}

epb_err_t epb_encode_event(uint8_t *out, size_t cap, size_t *out_len, uint8_t stream_id, uint32_t seq,
                           uint64_t timestamp_us, const epb_event_t *event)
{
    if (event == NULL) {
        return EPB_ERR_ARG;
    }
    if (!str_ok(event->detail, 0, 1024)) {
        return EPB_ERR_STRING;
    }
    size_t len = 3 + event->detail.len;
    epb_err_t err = check_out(out, cap, out_len, len);
    if (err != EPB_OK) {
        return err;
    }
    uint8_t *p = out + EPB_HEADER_LEN;
    p[0] = event->event_type;
    epb_put_u16(p + 1, (uint16_t)event->detail.len);
    if (event->detail.len > 0) {
        memcpy(p + 3, event->detail.ptr, event->detail.len);
    }
    epb_header_t h = header_of(EPB_TYPE_EVENT, stream_id, seq, timestamp_us);
    return seal(out, out_len, &h, (uint32_t)len);
}

epb_err_t epb_encode_heartbeat(uint8_t *out, size_t cap, size_t *out_len, uint32_t seq, uint64_t timestamp_us,
                               const epb_heartbeat_t *heartbeat)
{
    if (heartbeat == NULL) {
        return EPB_ERR_ARG;
    }
    epb_err_t err = check_out(out, cap, out_len, 8);
    if (err != EPB_OK) {
        return err;
    }
    epb_put_u32(out + EPB_HEADER_LEN, heartbeat->uptime_s);
    epb_put_u32(out + EPB_HEADER_LEN + 4, heartbeat->dropped_frames);
    epb_header_t h = header_of(EPB_TYPE_HEARTBEAT, 0, seq, timestamp_us);
    return seal(out, out_len, &h, 8);
}

epb_err_t epb_encode_ack(uint8_t *out, size_t cap, size_t *out_len, uint8_t stream_id, uint32_t seq,
                         uint64_t timestamp_us, const epb_ack_t *ack)
{
    if (ack == NULL) {
        return EPB_ERR_ARG;
    }
    uint32_t payload_len = ack->has_applied_value ? 9 : 5;
    epb_err_t err = check_out(out, cap, out_len, payload_len);
    if (err != EPB_OK) {
        return err;
    }
    epb_put_u32(out + EPB_HEADER_LEN, ack->control_id);
    out[EPB_HEADER_LEN + 4] = ack->status;
    if (ack->has_applied_value) {
        epb_put_u32(out + EPB_HEADER_LEN + 5, ack->applied_value);
    }
    epb_header_t h = header_of(EPB_TYPE_ACK, stream_id, seq, timestamp_us);
    return seal(out, out_len, &h, payload_len);
}

epb_err_t epb_encode_control(uint8_t *out, size_t cap, size_t *out_len, uint8_t stream_id, uint32_t seq,
                             uint64_t timestamp_us, const epb_control_t *control)
{
    if (control == NULL) {
        return EPB_ERR_ARG;
    }
    epb_err_t err = check_out(out, cap, out_len, 9);
    if (err != EPB_OK) {
        return err;
    }
    epb_put_u32(out + EPB_HEADER_LEN, control->control_id);
    out[EPB_HEADER_LEN + 4] = control->op;
    epb_put_u32(out + EPB_HEADER_LEN + 5, control->value);
    epb_header_t h = header_of(EPB_TYPE_CONTROL, stream_id, seq, timestamp_us);
    return seal(out, out_len, &h, 9);
}

epb_err_t epb_video_begin(epb_frame_writer_t *w, epb_write_fn write, void *ctx, uint8_t stream_id, uint32_t seq,
                          uint64_t capture_us, bool keyframe, uint32_t au_len)
{
    if (au_len == 0) {
        return EPB_ERR_ARG; /* section 3.2: at least 1 byte */
    }
    epb_header_t h = header_of(EPB_TYPE_VIDEO, stream_id, seq, capture_us);
    h.flags = keyframe ? EPB_FLAG_KEYFRAME : 0u;
    return epb_frame_begin(w, write, ctx, &h, au_len);
}

epb_err_t epb_send_video(epb_write_fn write, void *ctx, uint8_t stream_id, uint32_t seq, uint64_t capture_us,
                         bool keyframe, const uint8_t *au, uint32_t au_len)
{
    if (au == NULL) {
        return EPB_ERR_ARG;
    }
    epb_frame_writer_t w;
    epb_err_t err = epb_video_begin(&w, write, ctx, stream_id, seq, capture_us, keyframe, au_len);
    if (err == EPB_OK) {
        err = epb_frame_write(&w, au, au_len);
    }
    if (err == EPB_OK) {
        err = epb_frame_end(&w);
    }
    return err;
}
