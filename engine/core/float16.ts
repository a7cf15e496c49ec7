// IEEE binary16 conversions. Node 20 has no Float16Array, so f16 values live in JS numbers and
// Float32Arrays on the host, and as 16-bit words only when uploaded to a device with shader-f16.

function roundHalfEven(m: number): number {
  const f = Math.floor(m);
  const d = m - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** Rounds a JS number to the nearest float16 value (ties to even); overflow gives ±Infinity. */
export function roundToFloat16(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const a = Math.abs(x);
  if (a >= 65520) return x > 0 ? Infinity : -Infinity; // halfway past the largest f16 (65504)
  let q: number; // spacing of f16 values at a: exact power of two, so a / q is exact
  if (a < 2 ** -14) q = 2 ** -24;
  else {
    let e = Math.floor(Math.log2(a));
    if (2 ** e > a) e -= 1;
    else if (2 ** (e + 1) <= a) e += 1;
    q = 2 ** (e - 10);
  }
  return Math.sign(x) * roundHalfEven(a / q) * q;
}

/** The binary16 bit pattern of a number (rounded first). */
export function float16Bits(x: number): number {
  if (Number.isNaN(x)) return 0x7e00;
  const r = roundToFloat16(x);
  const sign = r < 0 || Object.is(r, -0) ? 0x8000 : 0;
  const a = Math.abs(r);
  if (a === Infinity) return sign | 0x7c00;
  if (a === 0) return sign;
  if (a < 2 ** -14) return sign | Math.round(a / 2 ** -24);
  const e = Math.floor(Math.log2(a));
  const mant = Math.round((a / 2 ** e - 1) * 1024);
  return sign | ((e + 15) << 10) | mant;
}

/** The number a binary16 bit pattern encodes. */
export function float16FromBits(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return sign * m * 2 ** -24;
  if (e === 31) return m ? NaN : sign * Infinity;
  return sign * (1 + m / 1024) * 2 ** (e - 15);
}
