export * from './build-plan.ts';
export * from './capacity.ts';
export type { OverflowPolicy } from './day-grid.ts';
export * from './goals.ts';
export { phaseOf, SPACING_TOLERANCE } from './series.ts';
