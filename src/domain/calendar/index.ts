export * from './holiday-providers.ts';
export * from './local-date.ts';
export * from './time-zone.ts';
export * from './working-calendar.ts';
