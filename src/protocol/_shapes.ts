/**
 * Building blocks shared by the protocol schemas (private to src/protocol/).
 *
 * Integers are safe integers, as zod 4's `.int()` was: `1e20` is not an int here either.
 * @module
 */
import * as v from "valibot";

/** Any string of at least one character. */
export const NonEmptyString = v.pipe(v.string(), v.minLength(1));
/** A safe integer. */
export const Int = v.pipe(v.number(), v.safeInteger());
/** A safe integer ≥ 0. */
export const NonNegativeInt = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
