/*
 * edgepush camera <-> gateway wire protocol v1, device-side reference (firmware-bridge/PROTOCOL.md).
 *
 * Portable C11 core: depends only on <stdint.h>, <stddef.h>, <stdbool.h> and <string.h>; no ESP-IDF,
 * no malloc, no global state. Safe to call from several tasks as long as each object (decoder, frame
 * writer) is used by one task at a time.
 *
 * Three parts:
 *   - CRC-32 (PROTOCOL.md section 1.1): epb_crc32().
 *   - Encoding camera -> gateway messages (sections 2 and 3): epb_encode_*() write a whole frame into a
 *     caller buffer; the epb_frame_writer_t streaming API writes header, payload chunks and CRC through
 *     a caller write function, so a large access unit (e.g. an esp_h264 output buffer) is never copied.
 *   - Decoding (section 2.4): epb_decoder_t, a resynchronising streaming frame reader over a caller
 *     buffer, calling back once per valid frame; epb_parse_*() read the message fields of a frame.
 */
#ifndef EDGEPUSH_BRIDGE_H
#define EDGEPUSH_BRIDGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Constants (PROTOCOL.md section 2) ---------------------------------------------------------- */

#define EPB_MAGIC_0 0x45u            /* 'E' */
#define EPB_MAGIC_1 0x50u            /* 'P' */
#define EPB_VERSION 1u
#define EPB_HEADER_LEN 26u           /* magic .. header_crc */
#define EPB_HEADER_CRC_OFFSET 22u    /* header_crc covers bytes 0..21 */
#define EPB_TRAILER_LEN 4u           /* frame_crc */
#define EPB_FRAME_OVERHEAD 30u       /* header + trailer: a frame is 30 + payload_length bytes */
#define EPB_MAX_PAYLOAD 2097152u     /* 2 MiB, section 2.1 */
#define EPB_FLAG_KEYFRAME 0x01u      /* VIDEO flags bit0, section 3 */

/* Message type byte (header offset 3), section 3. */
typedef enum {
    EPB_TYPE_HELLO = 0x01,
    EPB_TYPE_VIDEO = 0x02,
    EPB_TYPE_EVENT = 0x03,
    EPB_TYPE_HEARTBEAT = 0x04,
    EPB_TYPE_CONTROL = 0x10,
    EPB_TYPE_ACK = 0x11
} epb_type_t;

/* HELLO capability bits, section 3.1. */
#define EPB_CAP_SET_BITRATE (1u << 0)
#define EPB_CAP_SET_FPS (1u << 1)
#define EPB_CAP_SET_RESOLUTION (1u << 2)
#define EPB_CAP_SET_PRESET (1u << 3)
#define EPB_CAP_FORCE_IDR (1u << 4)
#define EPB_CAP_START_STOP_ENCODER (1u << 5)
#define EPB_CAP_SUB_STREAM (1u << 6)
#define EPB_CAP_MOTION_EVENTS (1u << 7)

/* EVENT event_type, section 3.3. */
typedef enum {
    EPB_EVENT_MOTION_START = 1,
    EPB_EVENT_MOTION_END = 2,
    EPB_EVENT_ENCODER_STARTED = 3,
    EPB_EVENT_ENCODER_STOPPED = 4,
    EPB_EVENT_ERROR = 5
} epb_event_type_t;

/* CONTROL op, section 3.5. */
typedef enum {
    EPB_OP_SET_BITRATE = 1,    /* value: bits per second */
    EPB_OP_SET_FPS = 2,        /* value: frames per second */
    EPB_OP_SET_RESOLUTION = 3, /* value: (width << 16) | height */
    EPB_OP_SET_PRESET = 4,     /* value: 0 low, 1 medium, 2 high, 3 ultra */
    EPB_OP_FORCE_IDR = 5,      /* value: 0 */
    EPB_OP_START_ENCODER = 6,  /* value: 0 */
    EPB_OP_STOP_ENCODER = 7    /* value: 0 */
} epb_control_op_t;

/* ACK status, section 3.6. */
typedef enum {
    EPB_ACK_OK = 0,
    EPB_ACK_FAILED = 1,
    EPB_ACK_UNSUPPORTED = 2,
    EPB_ACK_INVALID_VALUE = 3,
    EPB_ACK_BUSY = 4
} epb_ack_status_t;

/* Result of every fallible call. EPB_OK is 0; errors are negative. */
typedef enum {
    EPB_OK = 0,
    EPB_ERR_ARG = -1,          /* NULL pointer or an argument out of its range */
    EPB_ERR_NO_SPACE = -2,     /* the caller's output buffer is too small for the frame */
    EPB_ERR_TOO_LARGE = -3,    /* payload over EPB_MAX_PAYLOAD (section 2.1) */
    EPB_ERR_STRING = -4,       /* a string is too long, empty where it must not be, or (device_id) has
                                  a character outside [A-Za-z0-9_.-] (section 2.1) */
    EPB_ERR_STATE = -5,        /* frame writer misuse: not begun, or more/fewer payload bytes than declared */
    EPB_ERR_WRITE = -6,        /* the caller's write function reported a failure */
    EPB_ERR_WRONG_TYPE = -7,   /* epb_parse_X() called on a frame of another type */
    EPB_ERR_TRUNCATED = -8     /* payload shorter than its type requires: malformed message (section 2.4) */
} epb_err_t;

/* Short English name of an error code, e.g. "payload too large"; never NULL. */
const char *epb_err_name(epb_err_t err);

/* ---- CRC-32, PROTOCOL.md section 1.1 ----------------------------------------------------------- */

/*
 * CRC-32/ISO-HDLC (IEEE 802.3, zlib, PNG): reflected polynomial 0xEDB88320, init and final XOR
 * 0xFFFFFFFF. Same chaining rule as zlib's crc32() and ESP-IDF's esp_rom_crc32_le(): pass 0 for the
 * first chunk and the previous result for each following chunk. epb_crc32(0, "123456789", 9) ==
 * 0xCBF43926.
 */
uint32_t epb_crc32(uint32_t crc, const void *data, size_t len);

/* ---- Frames ------------------------------------------------------------------------------------ */

/* Header fields of one frame (section 2). */
typedef struct {
    uint8_t type;          /* epb_type_t (unknown values possible when decoding) */
    uint8_t flags;         /* per type; VIDEO: EPB_FLAG_KEYFRAME */
    uint8_t stream_id;     /* 0 main, 1 sub */
    uint32_t sequence;     /* per direction and stream_id, section 2.2 */
    uint64_t timestamp_us; /* camera monotonic clock, microseconds, section 2.3 */
} epb_header_t;

/* A decoded, CRC-checked frame. `payload` points into the decoder's buffer: valid only during the callback. */
typedef struct {
    epb_header_t header;
    const uint8_t *payload;
    uint32_t payload_len;
} epb_frame_t;

/*
 * Writes the 26-byte header (fields, payload_length, header_crc) to out[0..25].
 * Errors: EPB_ERR_ARG (NULL), EPB_ERR_TOO_LARGE (payload_len > EPB_MAX_PAYLOAD).
 */
epb_err_t epb_write_header(uint8_t out[EPB_HEADER_LEN], const epb_header_t *header, uint32_t payload_len);

/*
 * Writes one whole frame (header, a copy of the payload, frame CRC) into out[0..cap-1] and stores its
 * length, 30 + payload_len, in *out_len. payload may be NULL when payload_len is 0.
 * Errors: EPB_ERR_ARG, EPB_ERR_TOO_LARGE, EPB_ERR_NO_SPACE (cap < 30 + payload_len; nothing written).
 */
epb_err_t epb_encode_frame(uint8_t *out, size_t cap, size_t *out_len, const epb_header_t *header,
                           const uint8_t *payload, uint32_t payload_len);

/* ---- Streaming frame writer (zero copy of the payload) ------------------------------------------ */

/*
 * The transport's write function (UART, USB-CDC, socket): must write all `len` bytes, in order, and
 * return 0, or return non-zero on failure. It may block. The bytes are borrowed for the call only.
 */
typedef int (*epb_write_fn)(void *ctx, const uint8_t *data, size_t len);

/* State of one frame being written; initialise with epb_frame_begin(). Fields are private. */
typedef struct {
    epb_write_fn write;
    void *ctx;
    uint32_t crc;       /* running frame CRC over the bytes written so far */
    uint32_t remaining; /* payload bytes still to write */
    bool open;
} epb_frame_writer_t;

/*
 * Starts a frame whose payload will be exactly payload_len bytes: writes the header through `write`.
 * Then call epb_frame_write() with the payload in chunks of any size (each passed straight to `write`,
 * never copied) and epb_frame_end() to write the frame CRC.
 * Errors: EPB_ERR_ARG, EPB_ERR_TOO_LARGE, EPB_ERR_WRITE (the writer is then closed).
 */
epb_err_t epb_frame_begin(epb_frame_writer_t *w, epb_write_fn write, void *ctx, const epb_header_t *header,
                          uint32_t payload_len);

/*
 * Writes the next `len` payload bytes (borrowed). Errors: EPB_ERR_STATE (not begun, or more bytes than
 * declared; nothing written), EPB_ERR_WRITE (writer closed: the frame on the wire is incomplete and the
 * gateway will drop it by CRC, section 2.4).
 */
epb_err_t epb_frame_write(epb_frame_writer_t *w, const void *data, size_t len);

/* Writes the frame CRC and closes the writer. Errors: EPB_ERR_STATE (not begun or payload incomplete), EPB_ERR_WRITE. */
epb_err_t epb_frame_end(epb_frame_writer_t *w);

/* ---- Camera -> gateway messages (section 3) ----------------------------------------------------- */

/* A string that need not be NUL-terminated: `len` bytes at `ptr` (ptr may be NULL when len is 0). */
typedef struct {
    const char *ptr;
    size_t len;
} epb_str_t;

/* An epb_str_t for a NUL-terminated C string (NULL gives the empty string). */
epb_str_t epb_str(const char *s);

/* HELLO fields, section 3.1. */
typedef struct {
    epb_str_t device_id;        /* 1..64 bytes of [A-Za-z0-9_.-] */
    epb_str_t firmware_version; /* 0..64 bytes */
    epb_str_t codec;            /* 1..16 bytes; "h264" in v1 */
    uint32_t capabilities;      /* EPB_CAP_* bits */
    uint16_t width;             /* main stream, pixels */
    uint16_t height;            /* main stream, pixels */
    uint16_t fps;               /* main stream, frames per second */
    uint32_t bitrate_bps;       /* main stream target, bits per second */
} epb_hello_t;

/* EVENT fields, section 3.3 (stream_id and timestamp are header fields). */
typedef struct {
    uint8_t event_type; /* epb_event_type_t; others pass through */
    epb_str_t detail;   /* 0..1024 bytes of UTF-8 */
} epb_event_t;

/* HEARTBEAT fields, section 3.4. */
typedef struct {
    uint32_t uptime_s;       /* seconds since the sender booted */
    uint32_t dropped_frames; /* access units dropped before sending since connecting */
} epb_heartbeat_t;

/* CONTROL fields, section 3.5 (target stream = header stream_id). */
typedef struct {
    uint32_t control_id; /* echo it in the ACK */
    uint8_t op;          /* epb_control_op_t; unknown ops are possible: answer EPB_ACK_UNSUPPORTED */
    uint32_t value;      /* operand, meaning per op */
} epb_control_t;

/*
 * ACK fields, section 3.6 (stream_id = the CONTROL's). applied_value is optional: sent (payload 9 bytes) only when
 * has_applied_value is true; parsed from a payload of 9 or more bytes, else has_applied_value = false and
 * applied_value = 0 (a 5-byte ACK from an older camera).
 */
typedef struct {
    uint32_t control_id;
    uint8_t status;         /* epb_ack_status_t */
    bool has_applied_value; /* true: applied_value is on the wire */
    uint32_t applied_value; /* the value the camera took, in the op's unit (section 3.6) */
} epb_ack_t;

/*
 * Each epb_encode_X() writes one complete frame of type X into out[0..cap-1], sets *out_len to its size
 * and returns EPB_OK, or returns an error and writes nothing: EPB_ERR_ARG (NULL or a field out of range),
 * EPB_ERR_STRING (section 2.1 string limits), EPB_ERR_NO_SPACE. `seq` and `timestamp_us` are the header's
 * sequence (section 2.2) and timestamp (section 2.3). Sizes: HELLO <= 30+161, EVENT <= 30+1027,
 * HEARTBEAT 38, CONTROL 39, ACK 35 (39 with applied_value); EPB_SMALL_FRAME_MAX fits every one but EVENT with a long detail.
 */
#define EPB_SMALL_FRAME_MAX 256u

epb_err_t epb_encode_hello(uint8_t *out, size_t cap, size_t *out_len, uint32_t seq, uint64_t timestamp_us,
                           const epb_hello_t *hello);
epb_err_t epb_encode_event(uint8_t *out, size_t cap, size_t *out_len, uint8_t stream_id, uint32_t seq,
                           uint64_t timestamp_us, const epb_event_t *event);
epb_err_t epb_encode_heartbeat(uint8_t *out, size_t cap, size_t *out_len, uint32_t seq, uint64_t timestamp_us,
                               const epb_heartbeat_t *heartbeat);
epb_err_t epb_encode_ack(uint8_t *out, size_t cap, size_t *out_len, uint8_t stream_id, uint32_t seq,
                         uint64_t timestamp_us, const epb_ack_t *ack);
/* Gateway -> camera; for a C gateway or tests. */
epb_err_t epb_encode_control(uint8_t *out, size_t cap, size_t *out_len, uint8_t stream_id, uint32_t seq,
                             uint64_t timestamp_us, const epb_control_t *control);

/*
 * VIDEO, section 3.2: one H.264 access unit in Annex B format, 1..EPB_MAX_PAYLOAD bytes. Begins the
 * frame with a streaming writer (header written); follow with epb_frame_write() for the access unit's
 * bytes (in one or more chunks) and epb_frame_end(). capture_us: capture time, section 2.3.
 * Errors: as epb_frame_begin(), and EPB_ERR_ARG for au_len 0.
 */
epb_err_t epb_video_begin(epb_frame_writer_t *w, epb_write_fn write, void *ctx, uint8_t stream_id, uint32_t seq,
                          uint64_t capture_us, bool keyframe, uint32_t au_len);

/*
 * Sends one VIDEO frame whose access unit is the single buffer au[0..au_len-1]: begin, one write of the
 * buffer itself (no copy), end: three calls to `write` (header, au, CRC). Errors: as epb_video_begin(),
 * epb_frame_write(), epb_frame_end().
 */
epb_err_t epb_send_video(epb_write_fn write, void *ctx, uint8_t stream_id, uint32_t seq, uint64_t capture_us,
                         bool keyframe, const uint8_t *au, uint32_t au_len);

/* ---- Parsing a decoded frame's payload (section 3) ---------------------------------------------- */

/*
 * Each epb_parse_X() reads the fields of a frame of type X. Strings point into the frame's payload (valid
 * while the frame is). Bytes after the known fields are ignored (later v1 revisions may append fields).
 * Errors: EPB_ERR_ARG (NULL), EPB_ERR_WRONG_TYPE, EPB_ERR_TRUNCATED (malformed: drop and count it).
 * Parsing does not judge values (an unknown op or event type is returned as is).
 */
epb_err_t epb_parse_hello(const epb_frame_t *frame, epb_hello_t *out);
epb_err_t epb_parse_event(const epb_frame_t *frame, epb_event_t *out);
epb_err_t epb_parse_heartbeat(const epb_frame_t *frame, epb_heartbeat_t *out);
epb_err_t epb_parse_control(const epb_frame_t *frame, epb_control_t *out);
epb_err_t epb_parse_ack(const epb_frame_t *frame, epb_ack_t *out);

/* ---- Streaming frame decoder, section 2.4 ------------------------------------------------------- */

/* Called once per valid frame, in order. The frame and its payload are valid only during the call. */
typedef void (*epb_frame_cb)(void *ctx, const epb_frame_t *frame);

/* Counters, for metrics and logs. */
typedef struct {
    uint64_t frames;              /* valid frames delivered to the callback */
    uint64_t bytes_skipped;       /* bytes discarded while searching for a valid frame */
    uint64_t header_crc_errors;   /* header_crc mismatches (false magic or corrupted header) */
    uint64_t frame_crc_errors;    /* frame_crc mismatches (corrupted or cut frame) */
    uint64_t oversize_frames;     /* valid headers with payload_length over the decoder's maximum */
    uint64_t unsupported_version; /* magic followed by a version other than 1 */
} epb_decoder_stats_t;

/* Decoder state; initialise with epb_decoder_init(). Fields other than `stats` are private. */
typedef struct {
    uint8_t *buf;
    size_t cap;
    size_t len;
    uint32_t max_payload;
    epb_frame_cb on_frame;
    void *cb_ctx;
    epb_decoder_stats_t stats;
} epb_decoder_t;

/* Buffer size a decoder needs for payloads up to max_payload bytes. */
#define EPB_DECODER_BUF_SIZE(max_payload) ((size_t)(max_payload) + EPB_FRAME_OVERHEAD)

/*
 * Prepares a decoder over the caller's buffer buf[0..cap-1] (borrowed for the decoder's life; no other
 * memory is used). Frames with payload_length > max_payload are rejected from the header alone (counted
 * in oversize_frames) and their payload is never buffered. A camera only receives CONTROL (9-byte payload)
 * and HEARTBEAT (8), so max_payload 64 and a 94-byte buffer are plenty.
 * Errors: EPB_ERR_ARG (NULL buf/decoder/callback, or cap < EPB_DECODER_BUF_SIZE(max_payload)),
 * EPB_ERR_TOO_LARGE (max_payload > EPB_MAX_PAYLOAD).
 */
epb_err_t epb_decoder_init(epb_decoder_t *d, uint8_t *buf, size_t cap, uint32_t max_payload, epb_frame_cb on_frame,
                           void *cb_ctx);

/*
 * Feeds received bytes (borrowed) in arrival order, in chunks of any size including 1; calls on_frame for
 * each frame completed. Never fails: garbage, bad CRCs, other versions and oversize headers are skipped
 * and counted as PROTOCOL.md section 2.4 says. The callback must not call epb_decoder_feed() on the same
 * decoder.
 */
void epb_decoder_feed(epb_decoder_t *d, const uint8_t *data, size_t len);

/* Drops any buffered partial frame (e.g. after the link was reset); keeps the counters. */
void epb_decoder_reset(epb_decoder_t *d);

#ifdef __cplusplus
}
#endif

#endif /* EDGEPUSH_BRIDGE_H */
