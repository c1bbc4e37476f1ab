/**
 * Calls whose arguments a tape does not hold (an imported audit log keeps only their hash):
 * the engine decides them on empty arguments seen through a watcher that notes each argument
 * the decision reads. A decision that read none is exact; one that read any cannot be told
 * without the arguments. The engine is not changed and calls with arguments pay nothing.
 */

export interface WatchedArgs {
  /** Pass as the call's `args`: an empty object that records reads. */
  args: object;
  /** `args.<key>` for each top-level argument the decision looked up, in order; `args` when it listed them all. */
  read: string[];
}

export function watchArgs(): WatchedArgs {
  const read: string[] = [];
  const args = new Proxy(Object.create(null) as object, {
    get(_target, key) {
      // JSON.stringify asks for toJSON before it lists the keys: that is not a read of an argument.
      if (typeof key === "string" && key !== "toJSON" && !read.includes(`args.${key}`)) read.push(`args.${key}`);
      return undefined;
    },
    // Listing the arguments (a Cedar profile turns them all into its context) reads every one.
    ownKeys(target) {
      if (!read.includes("args")) read.push("args");
      return Reflect.ownKeys(target);
    },
  });
  return { args, read };
}

/** The message of a decision that read arguments the tape does not have. */
export function undecidableMessage(read: readonly string[], message: string | null, decision: string): string {
  const what = read.join(", ");
  return `cannot decide without ${what} (the log did not keep the arguments); with ${read.length === 1 ? "it" : "them"} absent: ${message ?? decision}`;
}
