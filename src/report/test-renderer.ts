/** A test report renderer: a finished run in, text out (scenario suites are small). */
import type { TestRun } from "../scenario/types.js";

export type TestRenderer = (run: TestRun) => string;
