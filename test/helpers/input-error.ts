import { InputError } from "../../src/errors.js";

/** The InputError `run` throws; any other error is thrown on, and none at all fails the test. */
export function inputErrorOf(run: () => unknown): InputError {
  try {
    run();
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error("expected an InputError");
}
