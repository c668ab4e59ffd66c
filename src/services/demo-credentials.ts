/** Every demo user (admin, manager, both reps) signs in with this password; documented in the README. */
export const DEMO_PASSWORD = 'tierline-demo';
/** Demo users' email addresses end in @ this domain; the sign-in page lists them while the demo is loaded. */
export const DEMO_EMAIL_DOMAIN = 'demo.tierline.local';
