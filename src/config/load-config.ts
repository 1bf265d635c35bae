// Finds and validates the user's config: `idem-scan.config.json`, `.idem-scanrc.json` or the
// `idem-scan` key of package.json, in the nearest folder above cwd that has one, or `--config`.
// Validation is hand-written so every mistake gets one clear line (docs/config.md).
import fs from 'node:fs';
import path from 'node:path';
import type { UserConfig, UserWriteEntry } from '../catalog/user-config.js';
import { IdemScanError } from '../core/errors.js';
import type { WriteKind } from '../core/types.js';
import { SEVERITIES } from '../core/types.js';

const FILES = ['idem-scan.config.json', '.idem-scanrc.json'];
const KINDS: readonly WriteKind[] = ['payment', 'db-create', 'db-update', 'db-upsert', 'db-delete', 'db-increment', 'db-append', 'db-write', 'email', 'message', 'queue', 'event', 'webhook', 'http-mutation', 'storage-write', 'file-write', 'token-rotation'];

export interface LoadedConfig {
  config: UserConfig;
  /** The file it came from, or undefined when none was found. */
  file?: string;
}

export function loadConfig(cwd: string, explicit?: string): LoadedConfig {
  if (explicit) {
    const file = path.resolve(cwd, explicit);
    if (!fs.existsSync(file)) throw new IdemScanError(`config file not found: ${explicit}`);
    return { config: parseConfigFile(file, cwd), file };
  }
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    for (const name of FILES) {
      const file = path.join(dir, name);
      if (fs.existsSync(file)) return { config: parseConfigFile(file, cwd), file };
    }
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      const json = readJson(pkg, cwd) as Record<string, unknown>;
      if (json['idem-scan'] !== undefined) return { config: validate(json['idem-scan'], `${display(pkg, cwd)} "idem-scan"`), file: pkg };
    }
    if (fs.existsSync(path.join(dir, '.git')) || path.dirname(dir) === dir) return { config: {} };
  }
}

function parseConfigFile(file: string, cwd: string): UserConfig {
  return validate(readJson(file, cwd), display(file, cwd));
}

function readJson(file: string, cwd: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new IdemScanError(`cannot read ${display(file, cwd)}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new IdemScanError(`invalid JSON in ${display(file, cwd)}: ${(error as Error).message}`);
  }
}

/** Checks every field; unknown fields are errors too, so a typo never silently does nothing. */
export function validate(raw: unknown, where: string): UserConfig {
  if (!isObject(raw)) throw new IdemScanError(`${where}: the config must be a JSON object`);
  const config: UserConfig = {};
  for (const [key, value] of Object.entries(raw)) {
    switch (key) {
      case '$schema':
        break;
      case 'headers':
      case 'wrappers':
      case 'middleware':
      case 'ignore':
        config[key] = stringList(value, `${where}: "${key}"`);
        break;
      case 'fix':
        config.fix = fixSection(value, `${where}: "fix"`);
        break;
      case 'failOnUnresolved':
        if (typeof value !== 'boolean') throw new IdemScanError(`${where}: "failOnUnresolved" must be true or false`);
        config.failOnUnresolved = value;
        break;
      case 'writes':
        if (!Array.isArray(value)) throw new IdemScanError(`${where}: "writes" must be an array of write rules`);
        config.writes = value.map((entry, index) => writeEntry(entry, `${where}: writes[${index}]`));
        break;
      default:
        throw new IdemScanError(`${where}: unknown option "${key}"`, 'known options: headers, wrappers, middleware, writes, ignore, fix, failOnUnresolved');
    }
  }
  return config;
}

function writeEntry(raw: unknown, where: string): UserWriteEntry {
  if (!isObject(raw)) throw new IdemScanError(`${where} must be an object with id, kind, module and path`);
  const { id, kind, module, path: chain, impact } = raw;
  if (typeof id !== 'string' || id === '') throw new IdemScanError(`${where}: "id" must be a non-empty string`);
  if (typeof kind !== 'string' || !KINDS.includes(kind as WriteKind)) throw new IdemScanError(`${where}: "kind" must be one of ${KINDS.join(', ')}`);
  if (typeof module !== 'string' || module === '') throw new IdemScanError(`${where}: "module" must be a package name or a /regex/`);
  if (typeof chain !== 'string') throw new IdemScanError(`${where}: "path" must be a regular expression string`);
  try {
    new RegExp(chain);
  } catch {
    throw new IdemScanError(`${where}: "path" is not a valid regular expression: ${chain}`);
  }
  const entry: UserWriteEntry = { id, kind: kind as WriteKind, module, path: chain };
  if (impact !== undefined) {
    if (typeof impact !== 'string' || !(SEVERITIES as readonly string[]).includes(impact)) throw new IdemScanError(`${where}: "impact" must be one of ${SEVERITIES.join(', ')}`);
    entry.impact = impact as UserWriteEntry['impact'] & string;
  }
  return entry;
}

function fixSection(raw: unknown, where: string): NonNullable<UserConfig['fix']> {
  if (!isObject(raw)) throw new IdemScanError(`${where} must be an object with module, wrapper and policy`);
  const fix: NonNullable<UserConfig['fix']> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'module' || key === 'wrapper') {
      if (typeof value !== 'string' || !/^[@\w./-]+$/.test(value) || (key === 'wrapper' && !/^[A-Za-z_$][\w$]*$/.test(value))) throw new IdemScanError(`${where}: "${key}" must be a ${key === 'module' ? 'module specifier' : 'function name'}`);
      fix[key] = value;
    } else if (key === 'policy') {
      if (value !== 'optional' && value !== 'required') throw new IdemScanError(`${where}: "policy" must be "optional" or "required"`);
      fix.policy = value;
    } else {
      throw new IdemScanError(`${where}: unknown option "${key}"`, 'known options: module, wrapper, policy');
    }
  }
  return fix;
}

function stringList(value: unknown, where: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && v !== '')) throw new IdemScanError(`${where} must be an array of non-empty strings`);
  return value as string[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function display(file: string, cwd: string): string {
  return path.relative(cwd, file).split(path.sep).join('/') || file;
}
