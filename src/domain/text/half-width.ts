/**
 * Full-width → half-width folding for Chinese input (全角 → 半角).
 *
 * Folds U+FF01–U+FF5E (full-width ASCII: digits, letters, punctuation) to U+0021–U+007E,
 * the ideographic space U+3000 to a plain space, and the full-width currency signs
 * ￥ ￠ ￡ to ¥ ¢ £. Everything else, including CJK ideographs and CJK punctuation such as
 * 、。「」, is left alone. Returns the input string itself when nothing needs folding, so the
 * common case allocates nothing.
 */
export function toHalfWidth(input: string): string {
  const length = input.length;
  let i = 0;
  for (; i < length; i++) {
    const code = input.charCodeAt(i);
    if (code >= 0x3000 && needsFolding(code)) break;
  }
  if (i === length) return input;

  let out = input.slice(0, i);
  let runStart = i;
  for (; i < length; i++) {
    const code = input.charCodeAt(i);
    if (code < 0x3000 || !needsFolding(code)) continue;
    if (runStart < i) out += input.slice(runStart, i);
    out += String.fromCharCode(foldCode(code));
    runStart = i + 1;
  }
  if (runStart < length) out += input.slice(runStart);
  return out;
}

function needsFolding(code: number): boolean {
  return (
    (code >= 0xff01 && code <= 0xff5e) ||
    code === 0x3000 ||
    code === 0xffe5 ||
    code === 0xffe0 ||
    code === 0xffe1
  );
}

function foldCode(code: number): number {
  if (code === 0x3000) return 0x20;
  if (code === 0xffe5) return 0xa5; // ￥ → ¥
  if (code === 0xffe0) return 0xa2; // ￠ → ¢
  if (code === 0xffe1) return 0xa3; // ￡ → £
  return code - 0xfee0;
}
