// Types of @onegate/web/launcher.

import type { LauncherInput } from './index.js';

/** Which view a mounted launcher shows. */
export type LauncherViewName = 'waffle' | 'hub_icon' | 'login_choice' | 'hidden';

/** A mounted launcher. Keep it referenced; `unmount()` removes the widget and its listeners. */
export interface LauncherHandle {
  readonly view: LauncherViewName;
  unmount(): void;
  free(): void;
}

/** The launcher mounted from the page's `#onegate-launcher-data`, if the page had any. */
export declare const launcher: LauncherHandle | undefined;

/**
 * Mounts the launcher for `input` inside `target`, or floating at the top right when `target` is
 * null. Throws an `Error` whose `code` is `value_invalid` when `input` is unusable.
 */
export declare function mountLauncher(
  input: LauncherInput,
  target?: Element | null,
): LauncherHandle;
