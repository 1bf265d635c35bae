// The package's version, read from package.json without importing anything heavy (keeps --version fast).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function packageVersion(): string {
  if (cached) return cached;
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (json.name === 'idem-scan' && json.version) return (cached = json.version);
    }
    if (path.dirname(dir) === dir) return (cached = '0.0.0');
  }
}
