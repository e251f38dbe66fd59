/**
 * What every validator of server text returns: the value, typed, or a failure with a code to
 * act on and a sentence for logs. Validators never throw.
 *
 * @module
 */

/**
 * Why a frame or reply was rejected.
 *
 * | code           | meaning                                                                   |
 * |----------------|---------------------------------------------------------------------------|
 * | `too_large`    | the text exceeds `maxBytes` (UTF-8); it is not parsed at all               |
 * | `bad_json`     | `JSON.parse` failed                                                        |
 * | `bad_shape`    | not an object, a required field missing or of the wrong JSON type, `t`/`v` of different lengths |
 * | `unknown_type` | `type` is a string this protocol version does not define                   |
 * | `bad_value`    | right shape, impossible value: seq not a positive safe integer, non-finite time, unknown enum member, `from > to` |
 */
export type FrameErrorCode = "too_large" | "bad_json" | "bad_shape" | "unknown_type" | "bad_value";

/** A rejection: a code to act on and a sentence for logs. */
export interface ValidationFailure {
  ok: false;
  code: FrameErrorCode;
  message: string;
}

/** Outcome of validating an already parsed value. */
export type ValidationResult<T> = { ok: true; value: T } | ValidationFailure;
