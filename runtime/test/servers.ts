// vitest globalSetup: a throwaway Redis and PostgreSQL on loopback for the store tests. A server that
// cannot start fails the run: the store tests never skip because a server is missing.
import type { TestProject } from 'vitest/node';
import { startServers } from '../scripts/local-servers.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const servers = await startServers();
  project.provide('redisUrl', servers.redisUrl);
  project.provide('postgresUrl', servers.postgresUrl);
  return () => {
    servers.stop();
    return Promise.resolve();
  };
}
