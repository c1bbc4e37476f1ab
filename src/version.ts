/** The version written into tape headers and printed by --version. */
export const VERSION = "0.1.0";
