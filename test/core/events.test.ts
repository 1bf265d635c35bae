import { describe, expect, it } from 'vitest';
import { scan } from '../helpers/scan.js';

const pkg = JSON.stringify({ name: 'app', dependencies: { express: '^5.0.0', nodemailer: '^6.9.0' } });
const mailer = `import nodemailer from 'nodemailer';\nexport const mail = nodemailer.createTransport({});\n`;

async function pathsOf(files: Record<string, string>): Promise<string[]> {
  const result = await scan({ 'package.json': pkg, 'src/mailer.ts': mailer, ...files });
  return result.handlers.flatMap((h) => h.writes.map((w) => `${h.route}: ${w.path.join(' → ')}`));
}

describe('in-process events', () => {
  it("follows an emit to the project's listeners and names the event in the call path", async () => {
    const paths = await pathsOf({
      'src/bus.ts': `import { EventEmitter } from 'node:events';\nclass Bus extends EventEmitter {}\nexport const bus = new Bus();\n`,
      'src/listeners.ts': `import { bus } from './bus';\nimport { mail } from './mailer';\nexport async function welcome(user: { email: string }) { await mail.sendMail({ to: user.email }); }\nbus.on('user.joined', welcome);\nbus.once('user.left', () => console.log('left'));\n`,
      'src/app.ts': `import express from 'express';\nimport { bus } from './bus';\nconst app = express();\napp.post('/join', (req, res) => { bus.emit('user.joined', req.body); res.end(); });\napp.post('/leave', (req, res) => { bus.emit('user.left', req.body); res.end(); });\napp.post('/other', (req, res) => { bus.emit('user.unknown', req.body); res.end(); });\n`,
    });
    expect(paths).toEqual(["/join: POST /join → welcome (on 'user.joined')"]);
  });

  it('does not treat a home-made emit or a method map as an event bus', async () => {
    const paths = await pathsOf({
      'src/listeners.ts': `import { mail } from './mailer';\nconst handlers = new Map<string, () => Promise<unknown>>();\nexport const hub = { on(e: string, f: () => Promise<unknown>) { handlers.set(e, f); }, emit(e: string) { return e; } };\nhub.on('user.joined', () => mail.sendMail({ to: 'x' }));\n`,
      'src/app.ts': `import express from 'express';\nimport { hub } from './listeners';\nconst app = express();\napp.post('/join', (req, res) => { hub.emit('user.joined'); res.end(); });\n`,
    });
    expect(paths).toEqual([]);
  });
});
