/*
 * ESP-IDF EXAMPLE, not compiled by the component or by `make test`: how camera firmware on an ESP32-P4
 * wires the edgepush bridge core to the esp_h264 hardware encoder and to a USB-Serial-JTAG link
 * (PROTOCOL.md section 6.1). Copy it into your application and adapt it.
 *
 * - Encoder output -> VIDEO: the esp_h264 output buffer is sent as the frame payload with no copy; the
 *   keyframe flag is set for IDR access units (PROTOCOL.md 3.2).
 * - CONTROL -> esp_h264_enc_set_bitrate / esp_h264_enc_set_fps / a force-IDR hook, answered by ACK (3.5, 3.6).
 * - HELLO at start and whenever the gateway's HEARTBEAT has sequence 0; HEARTBEAT after 1 s of silence (4).
 * - One mutex serialises "sequence number + whole frame" so frames from the encoder task and the
 *   receive task never interleave on the wire (2, 2.2).
 *
 * Move the console (ESP_LOG) off the port used for the protocol (menuconfig: Component config -> ESP System
 * Settings -> Channel for console output); the gateway would skip log text as garbage, but it costs bandwidth.
 */
#include <stdbool.h>
#include <stdint.h>

#include "driver/usb_serial_jtag.h"
#include "esp_h264_enc_single_hw.h"
#include "esp_timer.h"
#include "freertos/FreeRTOS.h"
#include "freertos/semphr.h"
#include "freertos/task.h"

#include "edgepush_bridge.h"

/* Application hook: make the next access unit an IDR with SPS/PPS. esp_h264's parameter interface
 * (esp_h264_enc_param.h: set_fps/set_gop/set_bitrate) has no force-IDR call, so the camera pipeline
 * implements it for its encoder version (e.g. by reopening the encoder). Returns false on failure. */
extern bool camera_force_idr(void);

static esp_h264_enc_param_hw_handle_t s_param;
static SemaphoreHandle_t s_tx_lock;
static uint32_t s_seq[256]; /* camera -> gateway sequence per stream_id, PROTOCOL.md 2.2 */
static volatile int64_t s_last_tx_us;
static volatile uint32_t s_dropped_frames;

/* Transport glue: epb_write_fn over USB-Serial-JTAG. For a UART use
 * `uart_write_bytes(UART_NUM_1, data, len) == (int)len ? 0 : -1`; for TinyUSB CDC-ACM queue and flush. */
static int link_write(void *ctx, const uint8_t *data, size_t len)
{
    (void)ctx;
    while (len > 0) {
        int n = usb_serial_jtag_write_bytes(data, len, pdMS_TO_TICKS(200));
        if (n <= 0) {
            return -1; /* host not reading: the caller counts the frame as dropped */
        }
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

static uint64_t now_us(void)
{
    return (uint64_t)esp_timer_get_time();
}

/* Every frame is sent between tx_begin() and tx_end(): the lock keeps frames whole and in sequence order. */
static uint32_t tx_begin(uint8_t stream)
{
    xSemaphoreTake(s_tx_lock, portMAX_DELAY);
    return s_seq[stream];
}

static void tx_end(uint8_t stream, bool sent)
{
    if (sent) {
        s_seq[stream]++;
        s_last_tx_us = (int64_t)now_us();
    }
    xSemaphoreGive(s_tx_lock);
}

static void send_hello(void)
{
    esp_h264_resolution_t res = {0};
    uint8_t fps = 0;
    uint32_t bitrate = 0;
    esp_h264_enc_get_resolution(&s_param->base, &res);
    esp_h264_enc_get_fps(&s_param->base, &fps);
    esp_h264_enc_get_bitrate(&s_param->base, &bitrate);
    epb_hello_t hello = {
        .device_id = epb_str("ESP32P4_CAM_001"),
        .firmware_version = epb_str("1.0.0"),
        .codec = epb_str("h264"),
        .capabilities = EPB_CAP_SET_BITRATE | EPB_CAP_SET_FPS | EPB_CAP_FORCE_IDR,
        .width = res.width,
        .height = res.height,
        .fps = fps,
        .bitrate_bps = bitrate,
    };
    uint8_t f[EPB_SMALL_FRAME_MAX];
    size_t n = 0;
    uint32_t seq = tx_begin(0);
    tx_end(0, epb_encode_hello(f, sizeof f, &n, seq, now_us(), &hello) == EPB_OK && link_write(NULL, f, n) == 0);
}

/* Call after each esp_h264_enc_process() that returned ESP_H264_ERR_OK; capture_us = esp_timer_get_time()
 * when the raw frame was captured. The encoder's buffer goes to the link as is (no copy). */
void bridge_send_access_unit(const esp_h264_enc_out_frame_t *out, int64_t capture_us)
{
    if (out->length == 0) {
        return;
    }
    bool keyframe = out->frame_type == ESP_H264_FRAME_TYPE_IDR;
    uint32_t seq = tx_begin(0);
    epb_err_t err = epb_send_video(link_write, NULL, 0, seq, (uint64_t)capture_us, keyframe, out->raw_data.buffer,
                                   out->length);
    if (err != EPB_OK) {
        /* EPB_ERR_WRITE mid-frame leaves a cut frame on the wire: the gateway drops it by CRC (2.4). */
        s_dropped_frames++;
    }
    tx_end(0, err == EPB_OK);
}

/* CONTROL handler (PROTOCOL.md 3.5): apply, then return the ACK status. */
static uint8_t apply_control(uint8_t stream_id, const epb_control_t *c)
{
    if (stream_id != 0) {
        return EPB_ACK_UNSUPPORTED; /* this example has no sub stream */
    }
    switch (c->op) {
    case EPB_OP_SET_BITRATE:
        return esp_h264_enc_set_bitrate(&s_param->base, c->value) == ESP_H264_ERR_OK ? EPB_ACK_OK : EPB_ACK_FAILED;
    case EPB_OP_SET_FPS:
        if (c->value < 1 || c->value > 255) {
            return EPB_ACK_INVALID_VALUE;
        }
        return esp_h264_enc_set_fps(&s_param->base, (uint8_t)c->value) == ESP_H264_ERR_OK ? EPB_ACK_OK
                                                                                          : EPB_ACK_FAILED;
    case EPB_OP_FORCE_IDR:
        return camera_force_idr() ? EPB_ACK_OK : EPB_ACK_FAILED;
    default:
        return EPB_ACK_UNSUPPORTED; /* not declared in HELLO capabilities */
    }
}

/* Decoder callback: runs on the receive task for each valid frame from the gateway. */
static void on_gateway_frame(void *ctx, const epb_frame_t *frame)
{
    (void)ctx;
    if (frame->header.type == EPB_TYPE_CONTROL) {
        epb_control_t c;
        if (epb_parse_control(frame, &c) != EPB_OK) {
            return; /* malformed: dropped (2.4) */
        }
        uint8_t stream = frame->header.stream_id;
        epb_ack_t ack = {c.control_id, apply_control(stream, &c), false, 0};
        if (ack.status == EPB_ACK_OK && (c.op == EPB_OP_SET_BITRATE || c.op == EPB_OP_SET_FPS)) {
            ack.has_applied_value = true; /* 3.6: what the encoder took; esp_h264 takes these as asked */
            ack.applied_value = c.value;
        }
        uint8_t f[EPB_SMALL_FRAME_MAX];
        size_t n = 0;
        uint32_t seq = tx_begin(stream);
        tx_end(stream, epb_encode_ack(f, sizeof f, &n, stream, seq, now_us(), &ack) == EPB_OK
                           && link_write(NULL, f, n) == 0);
    } else if (frame->header.type == EPB_TYPE_HEARTBEAT && frame->header.sequence == 0) {
        send_hello(); /* the gateway (re)opened the link and may have missed our HELLO (4) */
    }
}

static void rx_task(void *arg)
{
    (void)arg;
    static uint8_t rx_buf[EPB_DECODER_BUF_SIZE(64)]; /* CONTROL and HEARTBEAT only (2.1) */
    epb_decoder_t dec;
    epb_decoder_init(&dec, rx_buf, sizeof rx_buf, 64, on_gateway_frame, NULL);
    uint8_t chunk[64];
    for (;;) {
        int n = usb_serial_jtag_read_bytes(chunk, sizeof chunk, pdMS_TO_TICKS(100));
        if (n > 0) {
            epb_decoder_feed(&dec, chunk, (size_t)n);
        }
        if (esp_timer_get_time() - s_last_tx_us >= 1000000) { /* 1 s of silence (4) */
            epb_heartbeat_t hb = {(uint32_t)(esp_timer_get_time() / 1000000), s_dropped_frames};
            uint8_t f[EPB_SMALL_FRAME_MAX];
            size_t len = 0;
            uint32_t seq = tx_begin(0);
            tx_end(0, epb_encode_heartbeat(f, sizeof f, &len, seq, now_us(), &hb) == EPB_OK
                          && link_write(NULL, f, len) == 0);
        }
    }
}

/* Call once the encoder is open (esp_h264_enc_hw_new + esp_h264_enc_open). */
void bridge_start(esp_h264_enc_handle_t enc)
{
    usb_serial_jtag_driver_config_t cfg = USB_SERIAL_JTAG_DRIVER_CONFIG_DEFAULT();
    usb_serial_jtag_driver_install(&cfg);
    esp_h264_enc_hw_get_param_hd(enc, &s_param);
    s_tx_lock = xSemaphoreCreateMutex();
    send_hello(); /* first frame of the link (4) */
    xTaskCreate(rx_task, "epb_rx", 4096, NULL, 5, NULL);
}
