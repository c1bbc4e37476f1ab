/**
 * The signals that stop a recording: Ctrl-C, kill, and the terminal closing. Each recorder
 * catches them so the tape still gets its end line and fsync; left to Node's default, any of
 * them would end the process with the tape cut short.
 */
export const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const satisfies readonly NodeJS.Signals[];
