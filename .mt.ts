import { main } from "./src/cli/main.js";
process.exitCode = await main(["node", "mcptape", ...process.argv.slice(2)]);
