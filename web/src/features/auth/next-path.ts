/**
 * Where to go after signing in: the page that was asked for, only ever a path on this site (a `next` of
 * `//evil.example` or `https://…` would send the user elsewhere), and never back to sign-in itself.
 */
export function safeNext(value: string | null): string {
  if (!value?.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  if (value === '/sign-in' || value.startsWith('/sign-in?') || value.startsWith('/sign-in/')) return '/';
  return value;
}
