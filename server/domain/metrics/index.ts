export * from './funnel.ts';
export * from './kpis.ts';
