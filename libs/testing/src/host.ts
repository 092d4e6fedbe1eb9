import { runInThisContext } from 'node:vm';

/**
 * The real `process` of this Node instance. Inside Jest's test sandbox the global `process` is a
 * copy (listeners added to it never hear the real 'exit') and `module.createRequire` is Jest's
 * (which cannot load ES modules); code evaluated in the main context sees the genuine objects.
 * Outside Jest this is simply the global `process`.
 */
export const hostProcess = runInThisContext('process') as NodeJS.Process;

/** Node's own require (require(esm) works on Node >= 20.19), resolving from `fromFile`. */
export function hostRequire(fromFile: string): NodeJS.Require {
  return hostProcess.getBuiltinModule('node:module').createRequire(fromFile);
}
