// Hardware CRC-32C (Castagnoli) for EventRouterCore's CRC32C: the SSE4.2 `crc32` instruction on
// x86-64, the ARMv8 CRC32C instructions on AArch64. Swift cannot reach these instructions, so
// this small C target wraps them; CRC32C.swift keeps its slicing-by-8 tables as the fallback.
#pragma once
#include <stddef.h>
#include <stdint.h>

/// 1 when this CPU has the CRC-32C instructions (checked once, at run time), else 0.
int er_crc32c_hardware_available(void);

/// Updates the raw (not pre- or post-inverted) CRC-32C register `crc` over `length` bytes at
/// `bytes` with the CPU's instructions. Call only when er_crc32c_hardware_available() is 1.
uint32_t er_crc32c_hardware_update(uint32_t crc, const void *bytes, size_t length);
