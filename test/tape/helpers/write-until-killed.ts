/** Writes tape lines as fast as it can until killed; says "ready" on stdout after the first 1000. */
import { TapeWriter } from "../../../src/tape/writer.js";

const path = process.argv[2] as string;
const w = await TapeWriter.open(path, { recorder: { name: "kill-test", version: "1" }, transport: "stdio" });
const text = "x".repeat(3000) + "é€😀";
for (let i = 1; ; i++) {
  const id = i;
  w.writeMsgRaw({ session: "s", dir: "c2s" }, `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"t","arguments":{"text":"${text}"}}}`);
  w.write({ kind: "stderr", session: "s", text });
  if (i === 1000) process.stdout.write("ready\n");
  // Let the signal in now and then.
  if (i % 500 === 0) await new Promise((r) => setImmediate(r));
}
