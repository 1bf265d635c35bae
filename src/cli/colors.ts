// Colour decisions made here, not by chalk's own detection: chalk 5 ignores NO_COLOR when stdout is a
// terminal. NO_COLOR (any non-empty value) wins; FORCE_COLOR=0..3 forces a level; else a TTY gets colour.
import { Chalk, type ChalkInstance } from 'chalk';

export function colorLevel(env: NodeJS.ProcessEnv, isTTY: boolean): 0 | 1 | 2 | 3 {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '' || force === 'true') return 1;
    if (force === 'false') return 0;
    const level = Number.parseInt(force, 10);
    if (level >= 0 && level <= 3) return level as 0 | 1 | 2 | 3;
    return 1;
  }
  return isTTY ? 1 : 0;
}

export function makeChalk(env: NodeJS.ProcessEnv, isTTY: boolean): ChalkInstance {
  return new Chalk({ level: colorLevel(env, isTTY) });
}
