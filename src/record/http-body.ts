/**
 * The copy of an HTTP body the tape reads: decompressed when the sender compressed it, so a
 * gzipped answer is taped as its messages. The forwarded bytes stay as they were.
 */
import type { Transform } from "node:stream";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";

export interface BodyTap {
  push(chunk: Buffer): void;
  /** Calls `onEnd` once every byte pushed so far has been handed to `onChunk`. */
  end(onEnd: () => void): void;
}

export function bodyTap(contentEncoding: string | undefined, onChunk: (chunk: Buffer) => void, onError: (err: Error) => void): BodyTap {
  const decoder = decoderFor(contentEncoding);
  if (decoder === undefined) {
    return {
      push: onChunk,
      end: (onEnd) => onEnd(),
    };
  }
  decoder.on("data", onChunk);
  let failed = false;
  decoder.on("error", (err) => {
    failed = true;
    onError(err);
  });
  return {
    push: (chunk) => {
      if (!failed) decoder.write(chunk);
    },
    end: (onEnd) => {
      if (failed) return onEnd();
      decoder.once("end", onEnd);
      decoder.once("error", onEnd);
      decoder.end();
    },
  };
}

function decoderFor(encoding: string | undefined): Transform | undefined {
  switch (encoding?.trim().toLowerCase()) {
    case "gzip":
    case "x-gzip":
      return createGunzip();
    case "deflate":
      return createInflate();
    case "br":
      return createBrotliDecompress();
    default:
      return undefined;
  }
}
