// The framework detectors, in one registry. A new framework is one file plus one line here.
import type { FrameworkDetector } from '../core/plugin.js';
import { expressDetector } from './express.js';
import { expressDecoratorsDetector } from './express-decorators.js';
import { fastifyDetector } from './fastify.js';
import { fastifyDecoratorsDetector } from './fastify-decorators.js';
import { nestDetector } from './nest.js';
import { nextAppDetector } from './next-app.js';
import { nextPagesDetector } from './next-pages.js';
import { nextActionsDetector } from './next-actions.js';

export const FRAMEWORKS: readonly FrameworkDetector[] = [expressDetector, expressDecoratorsDetector, fastifyDetector, fastifyDecoratorsDetector, nestDetector, nextAppDetector, nextPagesDetector, nextActionsDetector];
