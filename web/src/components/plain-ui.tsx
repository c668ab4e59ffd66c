import './plain-ui.css';
import { Anchor, Badge, Button, Kbd, NavLink, Text, ThemeIcon, UnstyledButton } from '@mantine/core';
import type { AnchorHTMLAttributes, ButtonHTMLAttributes, HTMLAttributes, ReactNode, Ref } from 'react';
import { Link, type LinkProps } from 'react-router';

/**
 * Mantine's look without Mantine's per-render work, for elements a page repeats many times and must paint fast
 * (Today's agenda: five buttons, two badges and a link a card; issue 7 §8). Each renders the DOM the Mantine
 * component renders, with Mantine's own class names (`Button.classes`, …, so its stylesheet, focus ring and
 * hover apply unchanged) and the variant's CSS variables from a class in plain-ui.css instead of inline styles
 * worked out on every render. Use the Mantine component everywhere else.
 */

function cx(...names: (string | false | null | undefined)[]): string {
  return names.filter(Boolean).join(' ');
}

/** Variants in use: Mantine's `default`, `subtle` (primary colour) and `light` in teal. */
export type PlainButtonVariant = 'default' | 'subtle' | 'light-teal';

interface PlainButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant: PlainButtonVariant;
  leftSection?: ReactNode;
  rightSection?: ReactNode;
  fullWidth?: boolean;
  ref?: Ref<HTMLButtonElement>;
}

/** Mantine's `<Button size="sm" radius="md">`. */
export function PlainButton({
  variant,
  leftSection,
  rightSection,
  fullWidth,
  className,
  children,
  type = 'button',
  ...rest
}: PlainButtonProps) {
  return (
    <button
      type={type}
      className={cx(
        'mantine-focus-auto mantine-active',
        Button.classes.root,
        UnstyledButton.classes.root,
        `plain-button-${variant}`,
        className,
      )}
      data-variant={variant === 'light-teal' ? 'light' : variant}
      data-with-left-section={leftSection ? true : undefined}
      data-with-right-section={rightSection ? true : undefined}
      data-block={fullWidth || undefined}
      {...rest}
    >
      <span className={Button.classes.inner}>
        {leftSection && (
          <span className={Button.classes.section} data-position="left">
            {leftSection}
          </span>
        )}
        <span className={Button.classes.label}>{children}</span>
        {rightSection && (
          <span className={Button.classes.section} data-position="right">
            {rightSection}
          </span>
        )}
      </span>
    </button>
  );
}

/** Colours in use: Mantine's light red, orange, blue and the outline grey, with text dark enough for 4.5:1. */
export type PlainBadgeColor = 'red' | 'orange' | 'blue' | 'gray';

interface PlainBadgeProps extends HTMLAttributes<HTMLDivElement> {
  color: PlainBadgeColor;
  /** Mantine's `miw={28}`: one-letter badges line up. */
  narrow?: boolean;
}

/** Mantine's `<Badge variant="light" radius="sm" tt="none">` (`outline` for grey). */
export function PlainBadge({ color, narrow, className, children, ...rest }: PlainBadgeProps) {
  return (
    <div
      className={cx(Badge.classes.root, `plain-badge-${color}`, narrow && 'plain-badge-narrow', className)}
      data-variant={color === 'gray' ? 'outline' : 'light'}
      {...rest}
    >
      <span className={Badge.classes.label}>{children}</span>
    </div>
  );
}

/** Mantine's `<Kbd size="xs">`. */
export function PlainKbd({ className, children, ...rest }: HTMLAttributes<HTMLElement>) {
  return (
    <kbd className={cx(Kbd.classes.root, 'plain-kbd-xs', className)} data-size="xs" {...rest}>
      {children}
    </kbd>
  );
}

/** Mantine's `<Anchor component={Link}>`. */
export function PlainLink({ className, ...rest }: LinkProps & { ref?: Ref<HTMLAnchorElement> }) {
  return (
    <Link
      className={cx('mantine-focus-auto', Anchor.classes.root, Text.classes.root, className)}
      data-underline="hover"
      {...rest}
    />
  );
}

/** Mantine's `<Anchor href=…>`. */
export function PlainAnchor({ className, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement>) {
  return (
    <a
      className={cx('mantine-focus-auto', Anchor.classes.root, Text.classes.root, className)}
      data-underline="hover"
      {...rest}
    />
  );
}

/** Mantine's `<ThemeIcon variant="light" radius="xl">` in indigo or grape, `size` px square. */
export function PlainThemeIcon({
  color,
  size,
  children,
}: {
  color: 'indigo' | 'grape';
  size: number;
  children: ReactNode;
}) {
  return (
    <div
      className={cx(ThemeIcon.classes.root, `plain-theme-icon-${color}`)}
      data-variant="light"
      aria-hidden="true"
      style={{ '--ti-size': `calc(${size / 16}rem * var(--mantine-scale))` } as React.CSSProperties}
    >
      {children}
    </div>
  );
}

interface PlainNavLinkProps extends AnchorHTMLAttributes<HTMLAnchorElement> {
  label: ReactNode;
  leftSection: ReactNode;
  active?: boolean;
  /** A route of the app (client-side navigation); otherwise give `href`. */
  to?: string;
}

/** Mantine's `<NavLink>` with a left section, as in the app's navigation (eleven of them on every page). */
export function PlainNavLink({ label, leftSection, active, to, className, ...rest }: PlainNavLinkProps) {
  const classes = cx(
    'mantine-focus-auto',
    NavLink.classes.root,
    UnstyledButton.classes.root,
    'plain-nav-link',
    className,
  );
  const content = (
    <>
      <span className={NavLink.classes.section} data-position="left">
        {leftSection}
      </span>
      <div className={NavLink.classes.body}>
        <span className={NavLink.classes.label}>{label}</span>
      </div>
    </>
  );
  return to !== undefined ? (
    <Link to={to} className={classes} data-active={active || undefined} {...rest}>
      {content}
    </Link>
  ) : (
    <a className={classes} data-active={active || undefined} {...rest}>
      {content}
    </a>
  );
}
