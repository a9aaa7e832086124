/* Private helpers shared by the two source files of the edgepush bridge core; not part of the API. */
#ifndef EDGEPUSH_BRIDGE_INTERNAL_H
#define EDGEPUSH_BRIDGE_INTERNAL_H

#include <stdint.h>

/* Big-endian (network order) fields, PROTOCOL.md section 1. */
void epb_put_u16(uint8_t *p, uint16_t v);
void epb_put_u32(uint8_t *p, uint32_t v);
uint32_t epb_get_u32(const uint8_t *p);

#endif /* EDGEPUSH_BRIDGE_INTERNAL_H */
