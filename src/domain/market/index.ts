export * from './market-criteria.ts';
export * from './normalize-place.ts';
