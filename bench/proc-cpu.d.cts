/** A thread's CPU time in ms from Linux's /proc (proc-cpu.cjs); throws when it cannot be read. */
export function threadCpuMs(pid: number, tid: number): number;
