// The decision API of @onegate/web: thin wrappers over the WebAssembly that turn the core's
// `{ code, message }` throws into `OnegateError`s. The entry (index.js in browsers,
// index.node.js in Node) initialises the WebAssembly before anything here is called.

import * as wasm from './wasm/decisions.js';

/** An error from the onegate core, with a stable machine `code`. */
export class OnegateError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'OnegateError';
    this.code = code;
  }
}

function call(fn, ...args) {
  try {
    return fn(...args);
  } catch (err) {
    const fromCore =
      err !== null && typeof err === 'object' && !(err instanceof Error) &&
      typeof err.code === 'string' && typeof err.message === 'string';
    if (fromCore) throw new OnegateError(err.code, err.message);
    throw err;
  }
}

/** May this user sign in to this module, this way? */
export function decideLogin(input) {
  return call(wasm.decideLogin, input);
}

/** The security level a hub user gets from the module's access groups, and why. */
export function resolveSecurityLevel(input) {
  return call(wasm.resolveSecurityLevel, input);
}

/** The admin's ordered access groups with what each maps to. */
export function accessGroupTable(input) {
  return call(wasm.accessGroupTable, input);
}

/** The resolved return URL; throws `OnegateError` `return_url_rejected` otherwise. */
export function checkReturnUrl(candidate, policy) {
  if (typeof candidate !== 'string') {
    throw new OnegateError('value_invalid', 'the return URL must be a string');
  }
  return call(wasm.checkReturnUrl, candidate, policy);
}

/** The resolved return URL, or the policy's fallback when it is refused. */
export function returnUrlOrFallback(candidate, policy) {
  if (typeof candidate !== 'string') {
    throw new OnegateError('value_invalid', 'the return URL must be a string');
  }
  return call(wasm.returnUrlOrFallback, candidate, policy);
}

/** What the launcher shows for this input. */
export function launcherView(input) {
  return call(wasm.launcherView, input);
}
