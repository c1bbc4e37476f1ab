/**
 * An inline policy (a mapping under `policy:`) is loaded from its own source text, cut out of
 * the scenario file and padded with blank lines and spaces so that every line and column the
 * policy loader reports is the same line and column in the scenario file.
 */
import { isNode, parseDocument } from "yaml";

/**
 * The source of the node at `path` (keys and list indexes from the root), padded to keep
 * positions; undefined when the path does not lead to a node with a range.
 */
export function paddedNodeSource(text: string, path: (string | number)[]): string | undefined {
  const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false });
  const node = doc.getIn(path, true);
  if (!isNode(node) || !node.range) return undefined;
  const [start, end] = node.range;
  return padTo(text, start, end);
}

/** `text.slice(start, end)` preceded by blanks that put its first character where it was. */
export function padTo(text: string, start: number, end: number): string {
  const lineStart = text.lastIndexOf("\n", start - 1) + 1;
  const lines = text.slice(0, lineStart).replace(/[^\n]/g, "");
  return lines + " ".repeat(start - lineStart) + text.slice(start, end) + "\n";
}
