import type { AlertProps } from '@mantine/core';
import { STRONG_TEXT } from '../../theme.ts';

export type Tone = 'teal' | 'orange' | 'red' | 'indigo';

const TEXT: Record<Tone, string> = {
  teal: STRONG_TEXT.teal,
  orange: STRONG_TEXT.orange,
  red: STRONG_TEXT.red,
  indigo: 'var(--mantine-color-indigo-9)',
};

/**
 * Props for a light Alert whose title and icon keep 4.5:1 contrast: Mantine's light variant colours them
 * with a shade that falls short on its own tinted background (teal and orange especially).
 */
export function toneAlert(tone: Tone): Pick<AlertProps, 'color' | 'variant' | 'styles'> {
  return {
    color: tone,
    variant: 'light',
    styles: { title: { color: TEXT[tone] }, icon: { color: TEXT[tone] } },
  };
}

export function toneText(tone: Tone): string {
  return TEXT[tone];
}
