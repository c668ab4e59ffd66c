import { type CSSVariablesResolver, createTheme } from '@mantine/core';

const fontFamily = [
  '-apple-system',
  'BlinkMacSystemFont',
  '"Segoe UI"',
  '"PingFang SC"',
  '"Hiragino Sans GB"',
  '"Microsoft YaHei"',
  '"Noto Sans CJK SC"',
  '"Noto Sans SC"',
  'Roboto',
  '"Helvetica Neue"',
  'Arial',
  'sans-serif',
].join(', ');

export const theme = createTheme({
  primaryColor: 'indigo',
  // Shade 7 keeps white text on filled controls above 4.5:1 contrast.
  primaryShade: { light: 7, dark: 5 },
  fontFamily,
  headings: { fontFamily, fontWeight: '650' },
  defaultRadius: 'md',
  focusRing: 'auto',
  cursorType: 'pointer',
  // People who ask their system for less motion get no drawer and menu animations.
  respectReducedMotion: true,
});

// Mantine's dimmed grey (gray.6) is 3.3:1 on white; gray.7 meets WCAG AA for body text. Likewise its error red
// (red.6, 3.3:1) under form fields: red.9 is 7.7:1.
export const cssVariablesResolver: CSSVariablesResolver = (t) => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': t.colors.gray[7] ?? '#495057',
    '--mantine-color-error': t.colors.red[9] ?? '#c92a2a',
    // Light indigo controls (Today's "Today" button, subtle buttons): their text darker, for 4.5:1 on the hover
    // background too (global.css sets that background).
    '--mantine-color-indigo-light-color': t.colors.indigo[9] ?? '#364fc7',
    '--mantine-primary-color-light-color': t.colors.indigo[9] ?? '#364fc7',
  },
  dark: {},
});

/**
 * Text colours for light badges and status text, darker than Mantine's shade 9 where that falls short of
 * 4.5:1 on the shade-1 background (red, orange, teal).
 */
export const STRONG_TEXT = {
  red: '#a61e1e',
  orange: '#a34208',
  blue: '#1864ab',
  teal: '#065f46',
} as const;
