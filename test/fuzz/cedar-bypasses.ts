/**
 * The classic bypasses of Cedar at an MCP gateway (issue 18), each a policy with the hole and
 * the `mcptape fuzz` arguments that must find it: shared by test/fuzz/cedar.test.ts and
 * bench/fuzz-cedar.bench.ts (which times finding each).
 */
import { join } from "node:path";

export interface Bypass {
  /** Files to write into a fresh folder (name -> text). */
  files: Record<string, string>;
  /** The fuzz arguments after `mcptape fuzz`, given that folder. */
  args: (dir: string) => string[];
}

export const TREASURY_CONFIG = JSON.stringify({
  version: "1.0",
  type: "cedarv1",
  cedar: {
    policies: [
      '@id("anyone may transfer") permit(principal, action == Action::"call_tool", resource == Tool::"transfer");',
      '@id("never to the treasury") forbid(principal, action, resource == Tool::"transfer") when { context.arg_to_account == 1000000 };',
    ],
  },
});

/** A tool that must never drop the prod database, guarded by a plain string check. */
export const NEVER_PROD = [
  'permit(principal, action == Action::"call_tool", resource == Tool::"drop_database");',
  '@id("never prod") forbid(principal, action, resource == Tool::"drop_database") when { context has arg_name && context.arg_name like "*prod*" };',
].join("\n");

export const BYPASSES = {
  /** A ToolHive forbid comparing an argument with a Long: a JSON number is a decimal, never equal. */
  long: {
    files: { "authz.json": TREASURY_CONFIG },
    args: (dir) => ["-p", join(dir, "authz.json"), "--forbid", "args.to_account == 1000000"],
  },
  /** An argument sent as an array becomes `arg_<k>_present` and dodges the `arg_<k>` check. */
  array: {
    files: { "names.cedar": NEVER_PROD },
    args: (dir) => ["-p", join(dir, "names.cedar"), "--profile", "toolhive", "--forbid", 'args.name contains "prod"'],
  },
  /** A `like "/safe/*"` prefix check passed by a path that climbs out with `..`. */
  like: {
    files: {
      "files.cedar": '@id("reads under /safe") permit(principal, action == Action::"call_tool", resource == Tool::"read_file") when { context.arg_path like "/safe/*" };',
    },
    args: (dir) => ["-p", join(dir, "files.cedar"), "--profile", "toolhive", "--forbid", 'args.path contains ".."'],
  },
  /** A `like "/admin/*"` forbid (Cedar's `like` is case-sensitive) passed by `/ADMIN/...`. */
  likeCase: {
    files: {
      "admin.cedar": [
        'permit(principal, action == Action::"call_tool", resource == Tool::"read_file");',
        '@id("no admin pages") forbid(principal, action, resource == Tool::"read_file") when { context has arg_path && context.arg_path like "/admin/*" };',
      ].join("\n"),
    },
    args: (dir) => ["-p", join(dir, "admin.cedar"), "--profile", "toolhive", "--forbid", 'args.path regex "(?i)^/admin/"'],
  },
  /** A group under a fallback claim name (`roles`), never read while `groups` holds a list. */
  group: {
    files: {
      "authz.yaml": [
        "version: '1.0'",
        "type: cedarv1",
        "cedar:",
        "  policies:",
        `    - 'permit(principal, action == Action::"call_tool", resource);'`,
        `    - '@id("no contractors deploy") forbid(principal in THVGroup::"contractors", action, resource == Tool::"deploy");'`,
      ].join("\n"),
      "claims.yaml": "alice: { sub: alice, groups: [staff] }\n",
    },
    args: (dir) => ["-p", join(dir, "authz.yaml"), "--claims", join(dir, "claims.yaml"), "--tool", "deploy", "--forbid", 'claims.roles contains "contractors"'],
  },
} satisfies Record<string, Bypass>;
