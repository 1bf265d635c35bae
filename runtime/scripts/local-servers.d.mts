export function startServers(): Promise<{ redisUrl: string; postgresUrl: string; stop: () => void }>;
