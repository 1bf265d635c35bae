import { describe, expect, it } from 'vitest';
import { scan, verdicts } from '../helpers/scan.js';

const pkg = JSON.stringify({ name: 'shop', dependencies: { express: '^5.0.0', awilix: '^12.0.0', pg: '^8.0.0' } });
const cart = (table: string) => `const { Pool } = require('pg');\nconst pool = new Pool();\nclass CartService {\n  async add(item) { await pool.query('INSERT INTO ${table} (sku) VALUES ($1)', [item.sku]); }\n}\nmodule.exports = CartService;\n`;
const routes = `const express = require('express');\nconst app = express();\napp.post('/cart', async (req, res) => {\n  await req.scope.resolve('cartService').add(req.body);\n  res.end();\n});\n`;

describe('services a container registers by convention', () => {
  it('finds the class named after the registration when nothing registers it explicitly', async () => {
    const result = await scan({ 'package.json': pkg, 'src/app.js': routes, 'src/services/cart.js': cart('cart_items') });
    expect(verdicts(result)).toEqual(['POST /cart reported high']);
    expect(result.handlers[0]!.writes[0]!.path).toEqual(['POST /cart', 'CartService.add']);
  });

  it('does not guess between two classes of that name', async () => {
    const result = await scan({ 'package.json': pkg, 'src/app.js': routes, 'src/services/cart.js': cart('cart_items'), 'src/legacy/cart.js': cart('old_cart') });
    expect(verdicts(result)).toEqual(['POST /cart unresolved']);
  });
});
