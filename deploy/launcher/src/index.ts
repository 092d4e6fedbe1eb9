export * from './stack';
export * from './services';
export * from './demo';
export * from './portal-server';
