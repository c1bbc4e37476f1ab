/**
 * The vocabulary of risk: verbs that say what a tool does, and nouns that say what it touches.
 * General English words, not tool names: a new server's tools should classify as well as the
 * ones we measured on.
 */
import type { RiskClass } from "./classes.js";

/** Verbs a tool name or description starts with, by the class they imply. */
export const VERBS: Record<Exclude<RiskClass, "Financial" | "Other">, readonly string[]> = {
  Read: [
    "get", "list", "search", "read", "describe", "fetch", "find", "query", "show", "view", "lookup",
    "look", "retrieve", "browse", "inspect", "check", "count", "explain", "poll", "preview", "peek",
    "validate", "verify", "analyze", "analyse", "compare", "diff", "summarize", "summarise", "whoami",
    "download", "export", "scan", "audit", "monitor", "ping", "echo", "lint", "estimate",
    "return", "display", "obtain", "recommend", "suggest", "calculate", "compute", "resolve", "discover", "detect", "identify",
  ],
  Write: [
    "create", "update", "add", "set", "write", "send", "post", "edit", "modify", "patch", "put",
    "insert", "upsert", "rename", "move", "copy", "upload", "push", "save", "store", "import",
    "assign", "unassign", "comment", "reply", "fill", "type", "click", "press", "drag", "hover",
    "commit", "fork", "mark", "attach", "detach", "link", "enable", "disable", "toggle", "configure",
    "install", "init", "initialize", "initialise", "provision", "apply", "open", "close", "replace",
    "append", "clone", "schedule", "mute", "unmute", "publish", "unpublish", "share", "invite",
    "approve", "reject", "archive", "unarchive", "restore", "tag", "star", "unstar", "merge",
    "rebase", "submit", "register", "notify", "change", "resize", "upgrade",
    "sync", "connect", "disconnect", "switch", "start", "stop", "pause", "resume", "cancel",
    "dismiss", "transition", "emit",
  ],
  Execute: [
    "run", "exec", "execute", "invoke", "trigger", "deploy", "eval", "evaluate", "call", "launch",
    "spawn", "rerun", "build", "test", "shell", "script", "automate", "orchestrate",
  ],
  Destructive: [
    "delete", "drop", "remove", "destroy", "purge", "truncate", "terminate", "erase", "wipe",
    "clear", "prune", "kill", "revoke", "uninstall", "unlink", "discard", "rm", "del", "reset",
    "overwrite", "shred", "evict", "expunge", "obliterate", "nuke", "flush", "empty",
  ],
};

/** Nouns that mean money moves or is billed: these make a tool Financial whatever its verb. */
export const MONEY_NOUNS: readonly string[] = [
  "pay", "payment", "payout", "charge", "refund", "transfer", "invoice", "subscription",
  "pricing", "billing", "bill", "purchase", "buy", "withdraw", "withdrawal",
  "deposit", "wallet", "payroll", "remittance", "disbursement",
];

/** Nouns that name something read, for tools whose name has no verb (`status`, `get_logs`). */
export const READ_NOUNS: readonly string[] = [
  "status", "logs", "log", "info", "information", "details", "schema", "health", "stats",
  "statistics", "metadata", "history", "docs", "documentation", "insights", "screenshot",
  "snapshot", "spec", "version", "versions", "usage", "tree",
];

/** Description phrases that mark an action that cannot be undone. */
export const IRREVERSIBLE = /\b(permanently|irreversibl[ey]|cannot be undone|can't be undone)\b/i;
