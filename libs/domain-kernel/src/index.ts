export * from './errors';
export * from './local-date';
export * from './resident-id';
export * from './money';
export * from './division-code';
export * from './period';
export * from './working-day-calendar';
export * from './seed/china-holidays';
