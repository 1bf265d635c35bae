// The framework detectors, in one registry. A new framework is one file plus one line here.
import type { FrameworkDetector } from './types.js';
import { expressDetector } from './express.js';
import { fastifyDetector } from './fastify.js';
import { nestDetector } from './nest.js';

export const DETECTORS: readonly FrameworkDetector[] = [expressDetector, fastifyDetector, nestDetector];
