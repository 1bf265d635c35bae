import { describe, expect, it } from 'vitest';
import { scan, verdicts } from '../helpers/scan.js';

const pkg = JSON.stringify({ name: 'api', dependencies: { '@nestjs/common': '^11', '@nestjs/core': '^11', '@nestjs/cqrs': '^11', typeorm: '^0.3' } });

const entity = `
import { Entity, Column, PrimaryGeneratedColumn } from 'typeorm';
@Entity()
export class Order {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ unique: true }) reference!: string;
  @Column() total!: number;
}`;
const service = `
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Order } from './order.entity';
@Injectable()
export class OrdersService {
  constructor(@InjectRepository(Order) private readonly orders: Repository<Order>) {}
  create(dto: { total: number }) { return this.orders.save(this.orders.create({ total: dto.total })); }
  createWithReference(dto: { reference: string }) { return this.orders.insert({ reference: dto.reference }); }
  rename(id: string, name: string) { return this.orders.update(id, { name }); }
}`;

describe('nest detector', () => {
  it('follows injected services to TypeORM repositories and composes the route', async () => {
    const result = await scan({
      'package.json': pkg,
      'src/orders/order.entity.ts': entity,
      'src/orders/orders.service.ts': service,
      'src/orders/orders.controller.ts': `
        import { Body, Controller, Param, Post as HttpPost, Put } from '@nestjs/common';
        import { OrdersService } from './orders.service';
        @Controller('orders')
        export class OrdersController {
          constructor(private readonly service: OrdersService) {}
          @HttpPost() create(@Body() dto: { total: number }) { return this.service.create(dto); }
          @HttpPost('by-reference') byRef(@Body() dto: { reference: string }) { return this.service.createWithReference(dto); }
          @Put(':id') rename(@Param('id') id: string, @Body() dto: { name: string }) { return this.service.rename(id, dto.name); }
        }`,
      'src/main.ts': `import { NestFactory } from '@nestjs/core';\nasync function bootstrap() { const app = await NestFactory.create({}); app.setGlobalPrefix('api'); }`,
    });
    expect(verdicts(result)).toEqual(['POST /api/orders reported high', 'POST /api/orders/by-reference naturally-idempotent', 'PUT /api/orders/:id naturally-idempotent']);
    expect(result.findings[0]!.writes[0]!.path).toEqual(['OrdersController.create', 'OrdersService.create']);
    expect(result.findings[0]!.writes[0]!.file).toBe('src/orders/orders.service.ts');
  });

  it('recognises interceptors per method, per class, custom decorators, and method limits', async () => {
    const interceptor = `
      import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
      import { of } from 'rxjs';
      import { cache } from './cache';
      @Injectable()
      export class IdempotencyInterceptor implements NestInterceptor {
        async intercept(context: ExecutionContext, next: CallHandler) {
          const req = context.switchToHttp().getRequest();
          if (req.method !== 'POST') return next.handle();
          const key = req.headers['idempotency-key'];
          const hit = await cache.get(key);
          return hit ? of(hit) : next.handle();
        }
      }
      export const Idempotent = () => applyDecorators(UseInterceptors(IdempotencyInterceptor));
      import { applyDecorators, UseInterceptors } from '@nestjs/common';`;
    const result = await scan({
      'package.json': pkg,
      'src/orders/order.entity.ts': entity,
      'src/orders/orders.service.ts': service,
      'src/idem.ts': interceptor,
      'src/orders/a.controller.ts': `
        import { Body, Controller, Post, Put, UseInterceptors } from '@nestjs/common';
        import { OrdersService } from './orders.service';
        import { IdempotencyInterceptor, Idempotent } from '../idem';
        @Controller('a')
        export class AController {
          constructor(private readonly service: OrdersService) {}
          @Post('one') @UseInterceptors(IdempotencyInterceptor) one(@Body() d: any) { return this.service.create(d); }
          @Post('two') @Idempotent() two(@Body() d: any) { return this.service.create(d); }
          @Put('three') @UseInterceptors(IdempotencyInterceptor) three(@Body() d: any) { return this.service.create(d); }
          @Post('four') four(@Body() d: any) { return this.service.create(d); }
        }`,
    });
    expect(verdicts(result)).toEqual(['POST /a/one handled', 'POST /a/two handled', 'PUT /a/three reported high', 'POST /a/four reported high']);
  });

  it('resolves @Inject tokens through module providers and CQRS commands to their handlers', async () => {
    const result = await scan({
      'package.json': pkg,
      'src/orders/order.entity.ts': entity,
      'src/orders/orders.service.ts': service,
      'src/orders/create-order.command.ts': `export class CreateOrderCommand { constructor(readonly total: number) {} }`,
      'src/orders/create-order.handler.ts': `
        import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
        import { Inject } from '@nestjs/common';
        import { CreateOrderCommand } from './create-order.command';
        import { ORDERS } from './tokens';
        @CommandHandler(CreateOrderCommand)
        export class CreateOrderHandler implements ICommandHandler<CreateOrderCommand> {
          constructor(@Inject(ORDERS) private readonly orders: IOrders) {}
          execute(command: CreateOrderCommand) { return this.orders.create({ total: command.total }); }
        }`,
      'src/orders/orders.module.ts': `
        import { Module } from '@nestjs/common';
        import { OrdersService } from './orders.service';
        import { ORDERS } from './tokens';
        @Module({ providers: [{ provide: ORDERS, useClass: OrdersService }] })
        export class OrdersModule {}`,
      'src/orders/orders.controller.ts': `
        import { Body, Controller, Post } from '@nestjs/common';
        import { CommandBus } from '@nestjs/cqrs';
        import { CreateOrderCommand } from './create-order.command';
        @Controller('orders')
        export class OrdersController {
          constructor(private readonly bus: CommandBus) {}
          @Post() create(@Body() dto: { total: number }) { return this.bus.execute(new CreateOrderCommand(dto.total)); }
        }`,
    });
    expect(verdicts(result)).toEqual(['POST /orders reported high']);
    expect(result.findings[0]!.writes[0]!.path).toEqual(['OrdersController.create', 'CreateOrderHandler.execute', 'OrdersService.create']);
  });
});

describe('generic base services and repositories', () => {
  it('follows a dependency a base class declares by interface to what the subclasses pass to super()', async () => {
    const result = await scan({
      'package.json': JSON.stringify({ name: 'api', dependencies: { '@nestjs/common': '^11', '@nestjs/core': '^11', '@nestjs/mongoose': '^11', mongoose: '^8' } }),
      'src/base.repository.ts': `import { Model, Document } from 'mongoose';
export interface IRepository<T> { create(data: Partial<T>): Promise<unknown>; updateOne(id: string, data: Partial<T>): Promise<unknown>; }
export abstract class BaseRepository<T, D = T & Document> implements IRepository<T> {
  constructor(protected readonly model: Model<D>) {}
  async create(data: Partial<T>) { return this.model.create(data); }
  async updateOne(id: string, data: Partial<T>) { return this.model.updateOne({ _id: id }, { $set: data }); }
}
`,
      'src/repositories.ts': `import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { BaseRepository } from './base.repository';
export class Block { name!: string; }
export class Label { title!: string; }
@Injectable()
export class BlockRepository extends BaseRepository<Block> {
  constructor(@InjectModel(Block.name) model: Model<any>) { super(model); }
}
@Injectable()
export class LabelRepository extends BaseRepository<Label> {
  constructor(@InjectModel(Label.name) model: Model<any>) { super(model); }
}
`,
      'src/services.ts': `import { Injectable } from '@nestjs/common';
import { IRepository } from './base.repository';
import { Block, BlockRepository, Label, LabelRepository } from './repositories';
export abstract class BaseService<T> {
  constructor(protected readonly repository: IRepository<T>) {}
  create(d: Partial<T>) { return this.repository.create(d); }
  updateOne(id: string, d: Partial<T>) { return this.repository.updateOne(id, d); }
}
@Injectable()
export class BlockService extends BaseService<Block> {
  constructor(repository: BlockRepository) { super(repository); }
}
@Injectable()
export class LabelService extends BaseService<Label> {
  constructor(repository: LabelRepository) { super(repository); }
}
`,
      'src/blocks.controller.ts': `import { Body, Controller, Param, Post } from '@nestjs/common';
import { BlockService } from './services';
@Controller('blocks')
export class BlocksController {
  constructor(private readonly blocks: BlockService) {}
  @Post()
  create(@Body() dto: { name: string }) { return this.blocks.create(dto); }
  @Post(':id/rename')
  rename(@Param('id') id: string, @Body() dto: { name: string }) { return this.blocks.updateOne(id, dto); }
}
`,
    });
    expect(verdicts(result)).toEqual(['POST /blocks reported high', 'POST /blocks/:id/rename naturally-idempotent']);
  });
});

describe('@nestjs/idempotency', () => {
  const controller = `
    import { Body, Controller, Post } from '@nestjs/common';
    import { Idempotent } from '@nestjs/idempotency';
    import { OrdersService } from './orders.service';
    @Controller('orders')
    export class OrdersController {
      constructor(private readonly service: OrdersService) {}
      @Post() @Idempotent() create(@Body() dto: { total: number }) { return this.service.create(dto); }
    }`;

  it('counts @Idempotent() only when IdempotencyModule is registered; otherwise notes why it is weak', async () => {
    const files = { 'package.json': pkg, 'src/order.entity.ts': entity, 'src/orders.service.ts': service, 'src/orders.controller.ts': controller };
    const without = await scan(files);
    expect(verdicts(without)).toEqual(['POST /orders reported high']);
    expect(without.findings[0]!.weak).toBe("@nestjs/idempotency's decorator does nothing without its module registered");
    const withModule = await scan({
      ...files,
      'src/app.module.ts': `import { Module } from '@nestjs/common';\nimport { IdempotencyModule } from '@nestjs/idempotency';\n@Module({ imports: [IdempotencyModule.forRootAsync({ useFactory: () => ({}) })] })\nexport class AppModule {}\n`,
    });
    expect(verdicts(withModule)).toEqual(['POST /orders handled']);
  });
});

describe('@nestjs/mongoose', () => {
  it('follows @InjectModel models and reads @Prop({ unique: true }) on the schema class', async () => {
    const result = await scan({
      'package.json': pkg,
      'src/cat.schema.ts': `import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';\n@Schema()\nexport class Cat {\n  @Prop({ unique: true }) tag!: string;\n  @Prop() name!: string;\n}\nexport const CatSchema = SchemaFactory.createForClass(Cat);\n`,
      'src/cats.service.ts': `import { Injectable } from '@nestjs/common';\nimport { InjectModel } from '@nestjs/mongoose';\nimport { Model } from 'mongoose';\nimport { Cat } from './cat.schema';\n@Injectable()\nexport class CatsService {\n  constructor(@InjectModel(Cat.name) private readonly cats: Model<Cat>) {}\n  adopt(tag: string, name: string) { return this.cats.create({ tag, name }); }\n  note(name: string) { return new this.cats({ name }).save(); }\n}\n`,
      'src/cats.controller.ts': `import { Body, Controller, Post } from '@nestjs/common';\nimport { CatsService } from './cats.service';\n@Controller('cats')\nexport class CatsController {\n  constructor(private readonly cats: CatsService) {}\n  @Post() adopt(@Body() d: { tag: string; name: string }) { return this.cats.adopt(d.tag, d.name); }\n  @Post('notes') note(@Body() d: { name: string }) { return this.cats.note(d.name); }\n}\n`,
    });
    expect(verdicts(result)).toEqual(['POST /cats naturally-idempotent', 'POST /cats/notes reported high']);
  });
});
