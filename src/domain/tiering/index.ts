export * from './assign-tiers.ts';
export * from './potential-score.ts';
