/** Escaping recorded data for the formats that embed it. */

export function xml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    // XML 1.0 cannot carry most control characters at all.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "\uFFFD");
}

/** A Markdown table cell: no pipes or line breaks, HTML neutralised. */
export function mdCell(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

/** A GitHub workflow command's message: `%`, CR and LF must be encoded. */
export function ghData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** A GitHub workflow command's property value also encodes `:` and `,`. */
export function ghProperty(text: string): string {
  return ghData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
