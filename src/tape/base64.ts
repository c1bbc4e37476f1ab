/** Base64 (RFC 4648, padded), as a tape line's `bytes` holds the line as received. */
export const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
