import { useMediaQuery } from '@mantine/hooks';

/**
 * A device whose main pointer is a finger and that cannot hover: a phone or a tablet without a mouse. Keyboard
 * shortcut hints (Ctrl+Enter, 1–4) are hidden there (the `.keyboard-hint` class in global.css uses the same query),
 * and a date field does not bring up the on-screen keyboard over its calendar.
 */
export const TOUCH_ONLY_QUERY = '(hover: none) and (pointer: coarse)';

/** Whether this is a touch-only device (see TOUCH_ONLY_QUERY); read at the first render, not after it. */
export function useTouchOnly(): boolean {
  return useMediaQuery(TOUCH_ONLY_QUERY, undefined, { getInitialValueInEffect: false });
}
