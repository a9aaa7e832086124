/*
 * Host test support for the edgepush bridge C core: check macros with pass/fail counts, the shared hex
 * vectors (firmware-bridge/src/test/resources/vectors/NAME.hex, the same files the Java tests read) and a
 * recording write function. Host-only: uses stdio.
 */
#ifndef TEST_SUPPORT_H
#define TEST_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "edgepush_bridge.h"

extern int tests_passed;
extern int tests_failed;

void check_at(bool ok, const char *what, const char *file, int line);
void check_eq_at(uint64_t actual, uint64_t expected, const char *what, const char *file, int line);
void check_bytes_at(const uint8_t *actual, size_t actual_len, const uint8_t *expected, size_t expected_len,
                    const char *what, const char *file, int line);

#define CHECK(cond) check_at((cond), #cond, __FILE__, __LINE__)
#define CHECK_EQ(actual, expected) \
    check_eq_at((uint64_t)(actual), (uint64_t)(expected), #actual " == " #expected, __FILE__, __LINE__)
#define CHECK_BYTES(actual, actual_len, expected, expected_len) \
    check_bytes_at((actual), (actual_len), (expected), (expected_len), #actual, __FILE__, __LINE__)

/* One byte string: a vector file's bytes, or bytes assembled by a test. */
typedef struct {
    uint8_t b[8192];
    size_t n;
} bytes_t;

/* Loads vectors/<name>.hex ('#' comments and whitespace ignored); exits with status 2 if unreadable. */
bytes_t vector(const char *name);
/* Appends src[0..len-1] to dst (exits if it does not fit). */
void append(bytes_t *dst, const uint8_t *src, size_t len);
/* Appends the bytes of a hex string like "00 45 ff". */
void append_hex(bytes_t *dst, const char *hex);

/* A write function target that records everything written and each call's pointer and length. */
typedef struct {
    bytes_t out;
    int calls;
    const uint8_t *ptrs[16];
    size_t lens[16];
    int fail_on_call; /* 1-based call number that fails, 0 = never */
} sink_t;

int sink_write(void *ctx, const uint8_t *data, size_t len);

/* Frames delivered by a decoder, copied out of the callback. */
typedef struct {
    int count;
    epb_header_t headers[32];
    uint8_t payloads[32][128];
    uint32_t payload_lens[32];
} frames_t;

void collect_frame(void *ctx, const epb_frame_t *frame);

/* The suites, one per file. */
void test_vectors(void);
void test_resync(void);
void test_errors(void);

#endif /* TEST_SUPPORT_H */
