export * from './cadence-rules.ts';
