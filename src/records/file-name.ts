/** File names near the kernel's limit: the names tsdenet derives from the user's (temporary files, sidecars) must fit too. */

/** The longest file name (bytes) Linux file systems take. */
export const NAME_MAX = 255;

/** Pure: `name` cut to at most `bytes` UTF-8 bytes, never inside a character. */
export function truncateUtf8(name: string, bytes: number): string {
  if (Buffer.byteLength(name) <= bytes) return name;
  let out = '';
  for (const ch of name) {
    if (Buffer.byteLength(out + ch) > bytes) break;
    out += ch;
  }
  return out;
}
