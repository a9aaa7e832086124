/*
 * Host test runner for the edgepush bridge C core. Usage: test_vectors [VECTOR_DIR]; VECTOR_DIR defaults to
 * ../src/test/resources/vectors (right when run from firmware-bridge/esp32). Prints each failure and a last
 * line "N passed, M failed"; exits 0 only when M is 0.
 */
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int tests_passed;
int tests_failed;
static const char *vector_dir = "../src/test/resources/vectors";

void check_at(bool ok, const char *what, const char *file, int line)
{
    if (ok) {
        tests_passed++;
    } else {
        tests_failed++;
        printf("FAIL %s:%d: %s\n", file, line, what);
    }
}

void check_eq_at(uint64_t actual, uint64_t expected, const char *what, const char *file, int line)
{
    check_at(actual == expected, what, file, line);
    if (actual != expected) {
        printf("     actual %llu (0x%llx), expected %llu (0x%llx)\n", (unsigned long long)actual,
               (unsigned long long)actual, (unsigned long long)expected, (unsigned long long)expected);
    }
}

static void print_hex(const char *label, const uint8_t *b, size_t n)
{
    printf("     %s (%zu):", label, n);
    for (size_t i = 0; i < n; i++) {
        printf(" %02x", b[i]);
    }
    printf("\n");
}

void check_bytes_at(const uint8_t *actual, size_t actual_len, const uint8_t *expected, size_t expected_len,
                    const char *what, const char *file, int line)
{
    bool ok = actual_len == expected_len && memcmp(actual, expected, actual_len) == 0;
    check_at(ok, what, file, line);
    if (!ok) {
        print_hex("actual  ", actual, actual_len);
        print_hex("expected", expected, expected_len);
    }
}

static int hex_digit(int c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/* Parses hex text into dst: '#' starts a comment to the end of the line; whitespace is ignored. */
static bool parse_hex(bytes_t *dst, const char *text, size_t len)
{
    int high = -1;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (c == '#') {
            while (i < len && text[i] != '\n') {
                i++;
            }
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            continue;
        }
        int v = hex_digit(c);
        if (v < 0 || (high < 0 && dst->n >= sizeof dst->b)) {
            return false;
        }
        if (high < 0) {
            high = v;
        } else {
            dst->b[dst->n++] = (uint8_t)(high << 4 | v);
            high = -1;
        }
    }
    return high < 0;
}

bytes_t vector(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.hex", vector_dir, name);
    FILE *f = fopen(path, "rb");
    static char text[65536];
    size_t len = f == NULL ? 0 : fread(text, 1, sizeof text, f);
    bytes_t v = {{0}, 0};
    if (f == NULL || ferror(f) || !parse_hex(&v, text, len) || v.n == 0) {
        printf("cannot read test vector %s\n", path);
        exit(2);
    }
    fclose(f);
    return v;
}

void append(bytes_t *dst, const uint8_t *src, size_t len)
{
    if (len > sizeof dst->b - dst->n) {
        printf("test buffer overflow\n");
        exit(2);
    }
    memcpy(dst->b + dst->n, src, len);
    dst->n += len;
}

void append_hex(bytes_t *dst, const char *hex)
{
    if (!parse_hex(dst, hex, strlen(hex))) {
        printf("bad hex in test: %s\n", hex);
        exit(2);
    }
}

int sink_write(void *ctx, const uint8_t *data, size_t len)
{
    sink_t *s = (sink_t *)ctx;
    s->calls++;
    if (s->fail_on_call == s->calls) {
        return -1;
    }
    if (s->calls <= 16) {
        s->ptrs[s->calls - 1] = data;
        s->lens[s->calls - 1] = len;
    }
    append(&s->out, data, len);
    return 0;
}

void collect_frame(void *ctx, const epb_frame_t *frame)
{
    frames_t *fs = (frames_t *)ctx;
    if (fs->count < 32) {
        fs->headers[fs->count] = frame->header;
        fs->payload_lens[fs->count] = frame->payload_len;
        size_t n = frame->payload_len < 128 ? frame->payload_len : 128;
        memcpy(fs->payloads[fs->count], frame->payload, n);
    }
    fs->count++;
}

int main(int argc, char **argv)
{
    if (argc > 1) {
        vector_dir = argv[1];
    }
    test_vectors();
    test_resync();
    test_errors();
    printf("%d passed, %d failed\n", tests_passed, tests_failed);
    return tests_failed == 0 ? 0 : 1;
}
