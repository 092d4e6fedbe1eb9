export * from './helm';
export * from './kube-validate';
export * from './values-doc';
export * from './env-contract';
