/**
 * Tapes compressed by gzip, xz, zstd or bzip2: mcptape reads tapes as text, so each is named with
 * the command that unpacks it to a pipe. Known by the file's name, or by its first bytes when
 * it comes through a pipe or standard input.
 */

const BY_EXTENSION = /\.jsonl\.(gz|xz|zst|bz2)$/;
const UNPACK: Record<string, string> = { gz: "zcat", xz: "xzcat", zst: "zstdcat", bz2: "bzcat" };
/** Each format's magic number (RFC 1952; the xz, zstd and bzip2 formats). */
const MAGIC: [string, number[]][] = [
  ["gz", [0x1f, 0x8b]],
  ["xz", [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  ["zst", [0x28, 0xb5, 0x2f, 0xfd]],
  ["bz2", [0x42, 0x5a, 0x68]],
];

/** Whether a tape's name says it is compressed (`t.jsonl.gz`). */
export function compressedByName(path: string): boolean {
  return BY_EXTENSION.test(path);
}

/** `<(zcat 't.jsonl.gz')`: how to read the compressed tape `path` through a pipe. */
export function unpackedByName(path: string): string {
  return `<(${UNPACK[BY_EXTENSION.exec(path)![1]!]} '${path}')`;
}

/** The command that unpacks bytes beginning `head`, when they begin with a compressed format's magic number. */
export function unpackerOf(head: Uint8Array): string | undefined {
  const found = MAGIC.find(([, magic]) => magic.length <= head.length && magic.every((b, i) => head[i] === b));
  return found ? UNPACK[found[0]] : undefined;
}
