import { assertPublishable } from '../publish-target.js';
import { parseRunInput, type RunInput, type RunInputRaw } from './input.js';

declare const validated: unique symbol;
/** A run input that parsed and can be published: only validRunInput makes one. */
export type ValidRunInput = RunInput & { readonly [validated]: true };

/** Parses the input and checks it can be published; throws InvalidRunInputError, saying what is wrong. */
export function validRunInput(raw: RunInputRaw): ValidRunInput {
  const input = parseRunInput(raw);
  assertPublishable(input);
  return input as ValidRunInput;
}
