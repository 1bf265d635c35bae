// The state-writing calls idem-scan knows, as data. A rule matches a call when the callee resolves to
// a value derived from `module` (by import, `require`, type annotation or a client built from it) and
// the member chain from that import matches `chain`. Calls and `new` are not part of the chain:
// `new Stripe(key).paymentIntents.create` has the chain `paymentIntents.create`, and a named import
// starts the chain with its name (`PrismaClient.order.create`). Users add rules from config
// (see docs/config.md); refinements read the call's arguments (an `update` that increments, SQL text).
import type { Severity, WriteKind } from '../core/types.js';

/** Reads a call's arguments to refine the rule's kind; implemented in src/core/refine.ts. */
export type Refinement =
  | 'prisma-data'
  | 'prisma-where'
  | 'mongo-update'
  | 'save-argument'
  | 'criteria-delete'
  | 'loaded-save'
  | 'unit-of-work'
  | 'conflict-chain'
  | 'sql-argument'
  | 'sql-template'
  | 'sql-prepare'
  | 'http-config'
  | 'http-method-option'
  | 'webhook-url'
  | 'firestore-update'
  | 'dynamo-put'
  | 'dynamo-update'
  | 'set-increment'
  | 'upsert-option'
  | 'job-id'
  | 'update-second-argument'
  | 'update-first-argument'
  | 'dedup-id'
  | 'multer-storage'
  | 'object-key'
  | 'object-key-argument'
  | 'file-path'
  | 'blob-put'
  | 'passport-session'
  | 'auth-user-change'
  | 'document-id'
  | 'knex-where'
  | 'upsert-key';

/** How to find the model a create writes, to look up its unique fields (src/core/schema.ts). */
/** How a write names its model; 'record-class' is set by the analysis for a class-based ORM model (see Value.modelClass). */
export type ModelHint = 'prisma-model' | 'type-argument' | 'mongoose-model' | 'first-argument' | 'receiver-call-argument' | 'sql' | 'record-class';

export interface WriteRule {
  id: string;
  kind: WriteKind;
  module: string | RegExp;
  chain: RegExp;
  refine?: Refinement;
  model?: ModelHint;
  /** Overrides the kind's default severity. */
  impact?: Severity;
  /**
   * A write that middleware typically does for the route (multer storing the upload): also counted when
   * it is reached through a project middleware function on the route, which is otherwise not followed.
   */
  middleware?: boolean;
  /**
   * A field the service keeps unique: it refuses a second record with the same value (Firebase Auth and
   * Clerk refuse a second user with an e-mail), so a create that gives it from the request stops a repeat.
   */
  unique?: string;
  /**
   * A write only when the scanned package also depends on one of these: passport keeps a login in the
   * session, a stored row or key per login with a session store, process memory without one.
   */
  persistsWith?: RegExp;
}

/**
 * Methods a package adds to the request object (`req.logIn(user)` from passport): matched on a
 * receiver that is the request, since the request's type rarely says which middleware decorated it.
 */
export interface RequestMethodRule {
  id: string;
  kind: WriteKind;
  method: RegExp;
  /** The package that adds the method; the scanned package must depend on it. */
  addedBy: RegExp;
  persistsWith?: RegExp;
}

/**
 * Prisma's client, a generated client, nestjs-prisma's `PrismaService` (a PrismaClient subclass), and a
 * workspace package that hands out the generated client (`@codeimage/prisma-models/client`, `@repo/prisma`).
 */
const PRISMA = /^(@prisma\/client(\/.*)?|\.prisma\/client|.*\/generated\/prisma(\/.*)?|.*\/prisma\/client|nestjs-prisma|(@[\w.-]+\/)?[\w.-]*prisma[\w.-]*(\/client)?)$/;
const TYPEORM = /^(typeorm|@nestjs\/typeorm)$/;
const SEQUELIZE = /^(sequelize|sequelize-typescript)$/;
const MONGOOSE = /^(mongoose|@nestjs\/mongoose)$/;
const MONGODB = /^(mongodb|@fastify\/mongodb)$/;
const DRIZZLE = /^drizzle-orm(\/.*)?$/;
const KNEX = /^knex$/;
const KYSELY = /^kysely$/;
const MIKRO = /^@mikro-orm\/.*$/;
const OBJECTION = /^objection$/;
const ELASTICSEARCH = /^(@elastic\/elasticsearch|@fastify\/elasticsearch|@opensearch-project\/opensearch)$/;
/** Session stores that keep each session server-side (a row, document or key per login). */
const SESSION_STORES = /^(connect-mongo|connect-mongodb-session|connect-redis|connect-pg-simple|connect-session-sequelize|connect-session-knex|connect-typeorm|typeorm-store|express-mysql-session|connect-sqlite3|better-sqlite3-session-store|session-file-store|@quixo3\/prisma-session-store|connect-dynamodb|connect-mssql-v2)$/;
const SQL_DRIVERS = /^(pg|@fastify\/postgres|@fastify\/mysql|pg-promise|mysql|mysql2|mysql2\/promise|mariadb|sqlite3|sqlite|@libsql\/client|@planetscale\/database|@neondatabase\/serverless|tedious|mssql|oracledb)$/;
const SQL_TAGS = /^(postgres|@vercel\/postgres|slonik|@neondatabase\/serverless)$/;
const SUPABASE = /^@supabase\/(supabase-js|ssr)$/;
const FIRESTORE = /^(firebase-admin(\/.*)?|@google-cloud\/firestore|firebase\/firestore)$/;
const DYNAMO = /^@aws-sdk\/(client-dynamodb|lib-dynamodb)$/;
const REDIS = /^(ioredis|redis|@redis\/client|@upstash\/redis|@fastify\/redis)$/;
const HTTP_CLIENTS = /^(axios|got|ky|superagent|needle|node-fetch|cross-fetch|undici|ofetch)$/;

export const BUILTIN_WRITE_RULES: readonly WriteRule[] = [
  // --- Payments: money moves; a retry charges twice.
  { id: 'stripe.payment', kind: 'payment', module: 'stripe', chain: /(^|\.)(charges|paymentIntents|refunds|transfers|payouts|topups|setupIntents)\.(create|confirm|capture)$/ },
  { id: 'stripe.subscription', kind: 'payment', module: 'stripe', chain: /(^|\.)(subscriptions|subscriptionSchedules)\.create$/ },
  { id: 'stripe.invoice', kind: 'payment', module: 'stripe', chain: /(^|\.)invoices\.(create|pay|finalizeInvoice|sendInvoice)$/ },
  // (Billing-portal sessions are short-lived links to an existing customer's page: nothing to duplicate.)
  { id: 'stripe.create', kind: 'db-create', module: 'stripe', chain: /(^|\.)(customers|checkout\.sessions|paymentLinks|products|prices|coupons|promotionCodes|accounts)\.create$/ },
  // Merchant-of-record billing: a retry opens a second checkout or issues a second refund.
  { id: 'polar.create', kind: 'db-create', module: '@polar-sh/sdk', chain: /(^|\.)(checkouts|checkoutLinks|customers|discounts|products|benefits|licenseKeys)\.create$/ },
  { id: 'polar.refund', kind: 'payment', module: '@polar-sh/sdk', chain: /(^|\.)refunds\.create$/ },
  { id: 'lemonsqueezy.create', kind: 'db-create', module: '@lemonsqueezy/lemonsqueezy.js', chain: /^(createCheckout|createDiscount|createCustomer|createWebhook)$/ },
  { id: 'paddle.create', kind: 'db-create', module: '@paddle/paddle-node-sdk', chain: /(^|\.)(transactions|customers|discounts|adjustments)\.create$/ },
  { id: 'paypal.order', kind: 'payment', module: /^@paypal\/(checkout-server-sdk|paypal-server-sdk)$/, chain: /(Orders(Create|Capture|Authorize)Request|createOrder|captureOrder|authorizeOrder|PaymentsRefundRequest|refundCapturedPayment)$/ },
  { id: 'braintree.transaction', kind: 'payment', module: 'braintree', chain: /(^|\.)transaction\.(sale|refund|submitForSettlement|credit)$/ },
  // Open banking: Plaid transfers and payment initiation move money; a GoCardless (Nordigen) requisition
  // or end-user agreement is a new consent at the provider per call, left dangling by a retry.
  { id: 'plaid.transfer', kind: 'payment', module: 'plaid', chain: /(^|\.)(transferCreate|transferAuthorizationCreate|paymentInitiationPaymentCreate|bankTransferCreate)$/ },
  { id: 'gocardless.requisition', kind: 'db-create', module: 'nordigen-node', chain: /(^|\.)(initSession|requisition\.createRequisition|agreement\.createAgreement)$/, impact: 'medium' },

  // --- Prisma
  { id: 'prisma.create', kind: 'db-create', module: PRISMA, chain: /\.\w+\.(create|createMany|createManyAndReturn)$/, model: 'prisma-model', refine: 'prisma-data' },
  { id: 'prisma.update', kind: 'db-update', module: PRISMA, chain: /\.\w+\.(update|updateMany|updateManyAndReturn)$/, model: 'prisma-model', refine: 'prisma-data' },
  { id: 'prisma.upsert', kind: 'db-upsert', module: PRISMA, chain: /\.\w+\.upsert$/, model: 'prisma-model', refine: 'upsert-key' },
  { id: 'prisma.delete', kind: 'db-delete', module: PRISMA, chain: /\.\w+\.(delete|deleteMany)$/, model: 'prisma-model', refine: 'prisma-where' },
  { id: 'prisma.executeRaw', kind: 'db-write', module: PRISMA, chain: /(^|\.)\$executeRaw(Unsafe)?$/, refine: 'sql-template' },

  // --- TypeORM (repositories, entity managers, query builders)
  { id: 'typeorm.save', kind: 'db-create', module: TYPEORM, chain: /(^|\.)(save|persist)$/, model: 'type-argument', refine: 'save-argument' },
  { id: 'typeorm.insert', kind: 'db-create', module: TYPEORM, chain: /(^|\.)insert$/, model: 'type-argument', refine: 'conflict-chain' },
  { id: 'typeorm.increment', kind: 'db-increment', module: TYPEORM, chain: /(^|\.)(increment|decrement)$/ },
  { id: 'typeorm.upsert', kind: 'db-upsert', module: TYPEORM, chain: /(^|\.)upsert$/ },
  { id: 'typeorm.update', kind: 'db-update', module: TYPEORM, chain: /(^|\.)update$/, refine: 'update-second-argument' },
  { id: 'typeorm.delete', kind: 'db-delete', module: TYPEORM, chain: /(^|\.)(delete|remove|softDelete|softRemove|restore)$/, model: 'type-argument', refine: 'criteria-delete' },
  { id: 'typeorm.query', kind: 'db-write', module: TYPEORM, chain: /(^|\.)query$/, refine: 'sql-argument' },

  // --- Sequelize
  { id: 'sequelize.create', kind: 'db-create', module: SEQUELIZE, chain: /(^|\.)(create|bulkCreate)$/, refine: 'upsert-option' },
  { id: 'sequelize.upsert', kind: 'db-upsert', module: SEQUELIZE, chain: /(^|\.)(upsert|findOrCreate)$/ },
  { id: 'sequelize.increment', kind: 'db-increment', module: SEQUELIZE, chain: /(^|\.)(increment|decrement)$/ },
  { id: 'sequelize.update', kind: 'db-update', module: SEQUELIZE, chain: /(^|\.)update$/, refine: 'update-first-argument' },
  { id: 'sequelize.save', kind: 'db-create', module: SEQUELIZE, chain: /(^|\.)(build\.)?save$/, refine: 'save-argument' },
  { id: 'sequelize.destroy', kind: 'db-delete', module: SEQUELIZE, chain: /(^|\.)destroy$/ },
  { id: 'sequelize.query', kind: 'db-write', module: SEQUELIZE, chain: /(^|\.)query$/, refine: 'sql-argument' },

  // --- Mongoose models and documents, and the MongoDB driver
  // A document found first, also through query steps (`findById(id).populate('user').exec()`).
  { id: 'mongoose.loaded-save', kind: 'db-update', module: MONGOOSE, chain: /(^|\.)(find\w*|findById)(\.(exec|populate|select|sort|where|orFail|session))*\.save$/, refine: 'loaded-save' },
  { id: 'mongoose.loaded-remove', kind: 'db-delete', module: MONGOOSE, chain: /(^|\.)(find\w*|findById)(\.(exec|populate|select|sort|where|orFail|session))*\.(remove|deleteOne)$/ },
  // (`new Model(dto).populate('x').save()`: Mongoose 5's document populate returns the document.)
  { id: 'mongoose.create', kind: 'db-create', module: MONGOOSE, chain: /(^|\.)[mM]odel(\.populate)?\.(create|insertMany|save)$/, model: 'mongoose-model' },
  { id: 'mongoose.update', kind: 'db-update', module: MONGOOSE, chain: /(^|\.)(updateOne|updateMany|findOneAndUpdate|findByIdAndUpdate|replaceOne|findOneAndReplace)$/, refine: 'mongo-update' },
  { id: 'mongoose.delete', kind: 'db-delete', module: MONGOOSE, chain: /(^|\.)(deleteOne|deleteMany|findOneAndDelete|findByIdAndDelete|findOneAndRemove|findByIdAndRemove)$/ },
  { id: 'mongoose.bulkWrite', kind: 'db-write', module: MONGOOSE, chain: /(^|\.)bulkWrite$/ },
  { id: 'mongodb.insert', kind: 'db-create', module: MONGODB, chain: /(^|\.)(insertOne|insertMany)$/ },
  { id: 'mongodb.update', kind: 'db-update', module: MONGODB, chain: /(^|\.)(updateOne|updateMany|findOneAndUpdate|replaceOne)$/, refine: 'mongo-update' },
  { id: 'mongodb.delete', kind: 'db-delete', module: MONGODB, chain: /(^|\.)(deleteOne|deleteMany|findOneAndDelete)$/ },

  // --- Query builders
  { id: 'drizzle.insert', kind: 'db-create', module: DRIZZLE, chain: /(^|\.)insert$/, model: 'first-argument', refine: 'conflict-chain' },
  { id: 'drizzle.update', kind: 'db-update', module: DRIZZLE, chain: /(^|\.)update$/, refine: 'set-increment' },
  { id: 'drizzle.delete', kind: 'db-delete', module: DRIZZLE, chain: /(^|\.)delete$/ },
  { id: 'drizzle.execute', kind: 'db-write', module: DRIZZLE, chain: /(^|\.)(execute|run)$/, refine: 'sql-argument' },
  { id: 'knex.insert', kind: 'db-create', module: KNEX, chain: /(^|\.)insert$/, model: 'receiver-call-argument', refine: 'conflict-chain' },
  { id: 'knex.increment', kind: 'db-increment', module: KNEX, chain: /(^|\.)(increment|decrement)$/ },
  { id: 'knex.update', kind: 'db-update', module: KNEX, chain: /(^|\.)update$/ },
  { id: 'knex.delete', kind: 'db-delete', module: KNEX, chain: /(^|\.)(del|delete|truncate)$/, refine: 'knex-where' },
  { id: 'knex.raw', kind: 'db-write', module: KNEX, chain: /(^|\.)raw$/, refine: 'sql-argument' },
  { id: 'kysely.insert', kind: 'db-create', module: KYSELY, chain: /(^|\.)(insertInto|replaceInto)$/, model: 'first-argument', refine: 'conflict-chain' },
  { id: 'kysely.update', kind: 'db-update', module: KYSELY, chain: /(^|\.)updateTable$/, refine: 'set-increment' },
  { id: 'kysely.delete', kind: 'db-delete', module: KYSELY, chain: /(^|\.)deleteFrom$/ },
  { id: 'mikro-orm.create', kind: 'db-create', module: MIKRO, chain: /(^|\.)(persist|persistAndFlush|insert|insertMany|nativeInsert)$/, model: 'type-argument', refine: 'save-argument' },
  { id: 'mikro-orm.update', kind: 'db-update', module: MIKRO, chain: /(^|\.)nativeUpdate$/ },
  { id: 'mikro-orm.upsert', kind: 'db-upsert', module: MIKRO, chain: /(^|\.)(upsert|upsertMany)$/ },
  { id: 'mikro-orm.delete', kind: 'db-delete', module: MIKRO, chain: /(^|\.)(nativeDelete|remove|removeAndFlush)$/ },
  // The unit of work: `em.flush()` writes what the code changed on managed entities (refine.ts unitOfWork).
  { id: 'mikro-orm.flush', kind: 'db-update', module: MIKRO, chain: /(^|\.)flush$/, refine: 'unit-of-work' },
  // Elasticsearch / OpenSearch: indexing at an id the request fixes replaces that document (a `create`
  // there is refused); without an id every call adds a document.
  { id: 'elasticsearch.index', kind: 'db-create', module: ELASTICSEARCH, chain: /(^|\.)(index|create)$/, refine: 'document-id' },
  { id: 'elasticsearch.update', kind: 'db-update', module: ELASTICSEARCH, chain: /(^|\.)(update|updateByQuery)$/ },
  { id: 'elasticsearch.delete', kind: 'db-delete', module: ELASTICSEARCH, chain: /(^|\.)(delete|deleteByQuery)$/ },
  { id: 'elasticsearch.bulk', kind: 'db-write', module: ELASTICSEARCH, chain: /(^|\.)(bulk|helpers\.bulk)$/ },
  // Objection.js models (`Order.query().insert(…)`, `order.$query().patch(…)`, `user.$relatedQuery('roles').relate(id)`).
  { id: 'objection.insert', kind: 'db-create', module: OBJECTION, chain: /(^|\.)(insert|insertAndFetch|insertGraph|insertGraphAndFetch)$/, refine: 'conflict-chain' },
  { id: 'objection.increment', kind: 'db-increment', module: OBJECTION, chain: /(^|\.)(increment|decrement)$/ },
  { id: 'objection.update', kind: 'db-update', module: OBJECTION, chain: /(^|\.)(patch|update|patchAndFetch|patchAndFetchById|updateAndFetch|updateAndFetchById)$/, refine: 'update-first-argument' },
  { id: 'objection.upsert', kind: 'db-upsert', module: OBJECTION, chain: /(^|\.)upsertGraph(AndFetch)?$/ },
  { id: 'objection.relate', kind: 'db-create', module: OBJECTION, chain: /(^|\.)relate$/ },
  { id: 'objection.delete', kind: 'db-delete', module: OBJECTION, chain: /(^|\.)(delete|deleteById|unrelate)$/, refine: 'knex-where' },
  // redbean-node (`const { R } = require('redbean-node')`): a bean from `R.dispense('x')` stored is a new
  // row, one from `R.findOne`/`R.load` an update of it.
  { id: 'redbean.store', kind: 'db-create', module: 'redbean-node', chain: /(^|\.)R\.store$/, refine: 'save-argument' },
  { id: 'redbean.trash', kind: 'db-delete', module: 'redbean-node', chain: /(^|\.)R\.(trash|trashAll)$/ },
  { id: 'redbean.exec', kind: 'db-write', module: 'redbean-node', chain: /(^|\.)R\.exec$/, refine: 'sql-argument' },

  // --- SQL drivers: classified by the statement's verb when the text is visible.
  { id: 'sql.query', kind: 'db-write', module: SQL_DRIVERS, chain: /(^|\.)(query|execute|none|one|oneOrNone|many|any|result|run|exec)$/, refine: 'sql-argument' },
  { id: 'sql.prepare', kind: 'db-write', module: /^(better-sqlite3|sqlite3|sqlite)$/, chain: /(^|\.)prepare\.(run|get|all)$/, refine: 'sql-prepare' },
  { id: 'sql.tagged', kind: 'db-write', module: SQL_TAGS, chain: /^(sql|Sql|neon|db)?$/, refine: 'sql-template' },

  // --- Hosted databases
  { id: 'supabase.insert', kind: 'db-create', module: SUPABASE, chain: /(^|\.)from\.insert$/, model: 'receiver-call-argument', refine: 'conflict-chain' },
  { id: 'supabase.upsert', kind: 'db-upsert', module: SUPABASE, chain: /(^|\.)from\.upsert$/ },
  { id: 'supabase.update', kind: 'db-update', module: SUPABASE, chain: /(^|\.)from\.update$/ },
  { id: 'supabase.delete', kind: 'db-delete', module: SUPABASE, chain: /(^|\.)from\.delete$/ },
  { id: 'supabase.rpc', kind: 'db-write', module: SUPABASE, chain: /(^|\.)rpc$/ },
  // Supabase Auth: a magic link, a one-time code or a reset e-mail goes out on every call; a sign-up is
  // refused for an e-mail already registered; each sign-in stores one more session; an anonymous
  // sign-in makes one more user; changing the e-mail or phone sends a confirmation.
  { id: 'supabase.auth-email', kind: 'email', module: SUPABASE, chain: /(^|\.)auth\.(signInWithOtp|resetPasswordForEmail|resend|reauthenticate|admin\.inviteUserByEmail)$/ },
  { id: 'supabase.sign-up', kind: 'db-create', module: SUPABASE, chain: /(^|\.)auth\.(signUp|admin\.createUser)$/, unique: 'email' },
  { id: 'supabase.anonymous-user', kind: 'db-create', module: SUPABASE, chain: /(^|\.)auth\.signInAnonymously$/ },
  { id: 'supabase.session', kind: 'token-rotation', module: SUPABASE, chain: /(^|\.)auth\.(signInWithPassword|signInWithIdToken|verifyOtp|exchangeCodeForSession)$/ },
  { id: 'supabase.update-user', kind: 'db-update', module: SUPABASE, chain: /(^|\.)auth\.(updateUser|admin\.updateUserById)$/, refine: 'auth-user-change' },
  { id: 'firestore.add', kind: 'db-create', module: FIRESTORE, chain: /(^|\.)(collection\.add|addDoc)$/ },
  { id: 'firestore.set', kind: 'db-upsert', module: FIRESTORE, chain: /(^|\.)(doc\.set|setDoc)$/ },
  { id: 'firestore.update', kind: 'db-update', module: FIRESTORE, chain: /(^|\.)(doc\.update|updateDoc)$/, refine: 'firestore-update' },
  { id: 'firestore.delete', kind: 'db-delete', module: FIRESTORE, chain: /(^|\.)(doc\.delete|deleteDoc)$/ },
  { id: 'dynamodb.put', kind: 'db-create', module: DYNAMO, chain: /(^|\.)(PutItemCommand|PutCommand|BatchWriteItemCommand|BatchWriteCommand|TransactWriteItemsCommand|TransactWriteCommand)$/, refine: 'dynamo-put' },
  { id: 'dynamodb.update', kind: 'db-update', module: DYNAMO, chain: /(^|\.)(UpdateItemCommand|UpdateCommand)$/, refine: 'dynamo-update' },
  { id: 'dynamodb.delete', kind: 'db-delete', module: DYNAMO, chain: /(^|\.)(DeleteItemCommand|DeleteCommand)$/ },
  { id: 'dynamodb.v2', kind: 'db-create', module: 'aws-sdk', chain: /(^|\.)DocumentClient\.(put|batchWrite|transactWrite)$/, refine: 'dynamo-put' },
  { id: 'redis.increment', kind: 'db-increment', module: REDIS, chain: /(^|\.)(incr|incrBy|incrby|incrByFloat|hincrby|hIncrBy|decr|decrBy|decrby|zincrby|zIncrBy)$/ },
  { id: 'redis.append', kind: 'db-append', module: REDIS, chain: /(^|\.)(lpush|rpush|lPush|rPush|xadd|xAdd|append)$/ },
  { id: 'redis.publish', kind: 'event', module: REDIS, chain: /(^|\.)publish$/ },

  // --- E-mail and messages: a retry sends it twice.
  { id: 'nodemailer.sendMail', kind: 'email', module: 'nodemailer', chain: /(^|\.)sendMail$/ },
  { id: 'nest-mailer.send', kind: 'email', module: /^(@nestjs-modules\/mailer|@nest-modules\/mailer)$/, chain: /(^|\.)sendMail$/ },
  { id: 'sendgrid.send', kind: 'email', module: '@sendgrid/mail', chain: /(^|\.)(send|sendMultiple)$/ },
  { id: 'resend.send', kind: 'email', module: 'resend', chain: /(^|\.)(emails|batch)\.send$/ },
  { id: 'ses.send', kind: 'email', module: /^@aws-sdk\/client-sesv?2?$/, chain: /(^|\.)(SendEmailCommand|SendRawEmailCommand|SendTemplatedEmailCommand|SendBulkTemplatedEmailCommand|SendBulkEmailCommand)$/ },
  { id: 'postmark.send', kind: 'email', module: 'postmark', chain: /(^|\.)(sendEmail|sendEmailWithTemplate|sendEmailBatch|sendEmailBatchWithTemplates)$/ },
  { id: 'mailgun.send', kind: 'email', module: /^(mailgun\.js|mailgun-js)$/, chain: /(^|\.)messages\.(create|send)$/ },
  { id: 'twilio.message', kind: 'message', module: 'twilio', chain: /(^|\.)(messages\.create|calls\.create|verify\.\w+\.verifications\.create)$/ },
  { id: 'sns.sms', kind: 'message', module: '@aws-sdk/client-sns', chain: /(^|\.)PublishCommand$/, impact: 'high' },
  { id: 'gmail.send', kind: 'email', module: /^(googleapis|@googleapis\/gmail)$/, chain: /(^|\.)gmail\.users\.(messages\.send|drafts\.send)$/ },
  { id: 'msgraph.post', kind: 'message', module: '@microsoft/microsoft-graph-client', chain: /(^|\.)api\.post$/ },
  { id: 'slack.chat', kind: 'message', module: /^@slack\/(web-api|bolt)$/, chain: /(^|\.)chat\.(postMessage|postEphemeral|scheduleMessage)$/ },
  { id: 'slack.webhook', kind: 'message', module: '@slack/webhook', chain: /(^|\.)IncomingWebhook\.send$/ },
  { id: 'discord.webhook', kind: 'message', module: 'discord.js', chain: /(^|\.)(WebhookClient\.send|channels\.\w+\.send|send)$/ },
  { id: 'loops.send', kind: 'email', module: 'loops', chain: /(^|\.)(sendTransactionalEmail|sendEvent)$/ },
  { id: 'mailchimp.send', kind: 'email', module: '@mailchimp/mailchimp_transactional', chain: /(^|\.)messages\.(send|sendTemplate)$/ },
  { id: 'brevo.send', kind: 'email', module: /^(@getbrevo\/brevo|sib-api-v3-sdk)$/, chain: /(^|\.)sendTransacEmail$/ },
  { id: 'novu.trigger', kind: 'message', module: /^@novu\/(node|api)$/, chain: /(^|\.)(trigger|bulkTrigger|broadcast)$/ },
  { id: 'knock.trigger', kind: 'message', module: '@knocklabs/node', chain: /(^|\.)workflows\.trigger$/ },
  // Identity providers refuse a second user with the same e-mail: the create guards what follows it.
  { id: 'firebase.create-user', kind: 'db-create', module: /^firebase-admin(\/auth)?$/, chain: /(^|\.)(auth|getAuth)\.createUser$/, unique: 'email' },
  { id: 'clerk.create-user', kind: 'db-create', module: /^@clerk\/(backend|nextjs|nextjs\/server|express|fastify|clerk-sdk-node)$/, chain: /(^|\.)users\.createUser$/, unique: 'emailAddress' },
  // Keycloak's admin API refuses a second user with the same username, and a second role or group with a name.
  { id: 'keycloak.create-user', kind: 'db-create', module: '@keycloak/keycloak-admin-client', chain: /(^|\.)users\.create$/, unique: 'username' },
  { id: 'keycloak.create-named', kind: 'db-create', module: '@keycloak/keycloak-admin-client', chain: /(^|\.)(roles|groups)\.create$/, unique: 'name' },
  { id: 'keycloak.email', kind: 'email', module: '@keycloak/keycloak-admin-client', chain: /(^|\.)users\.(executeActionsEmail|sendVerifyEmail)$/ },
  { id: 'keycloak.update', kind: 'db-update', module: '@keycloak/keycloak-admin-client', chain: /(^|\.)users\.(update|resetPassword|addRealmRoleMappings|delRealmRoleMappings|addClientRoleMappings|delClientRoleMappings|addToGroup|delFromGroup|addToFederatedIdentity|delFromFederatedIdentity|logout)$/ },
  { id: 'keycloak.delete', kind: 'db-delete', module: '@keycloak/keycloak-admin-client', chain: /(^|\.)(users|groups|roles)\.(del|delByName)$/ },
  { id: 'fcm.send', kind: 'message', module: /^firebase-admin(\/messaging)?$/, chain: /(^|\.)(messaging\.)?(send|sendEach|sendEachForMulticast|sendMulticast|sendAll|sendToDevice|sendToTopic)$/ },
  { id: 'expo.push', kind: 'message', module: 'expo-server-sdk', chain: /(^|\.)sendPushNotificationsAsync$/ },
  { id: 'web-push.send', kind: 'message', module: 'web-push', chain: /(^|\.)sendNotification$/ },
  // Apple push (APNs): `new apn.Provider(options).send(notification, tokens)`, apns2's `ApnsClient`.
  { id: 'apn.send', kind: 'message', module: /^(@parse\/node-apn|apn|node-apn)$/, chain: /(^|\.)Provider\.send$/ },
  { id: 'apns2.send', kind: 'message', module: 'apns2', chain: /(^|\.)ApnsClient\.send(Many)?$/ },

  // --- Queues and events: a retry enqueues the job twice.
  { id: 'bullmq.add', kind: 'queue', module: /^(bullmq|bull|bee-queue|@nestjs\/bull|@nestjs\/bullmq)$/, chain: /(^|\.)(add|addBulk|createJob)$/, refine: 'job-id' },
  { id: 'sqs.send', kind: 'queue', module: '@aws-sdk/client-sqs', chain: /(^|\.)(SendMessageCommand|SendMessageBatchCommand)$/ },
  { id: 'eventbridge.put', kind: 'event', module: '@aws-sdk/client-eventbridge', chain: /(^|\.)PutEventsCommand$/ },
  { id: 'kafka.send', kind: 'event', module: /^(kafkajs|@confluentinc\/kafka-javascript)$/, chain: /(^|\.)producer\.(send|sendBatch)$/ },
  { id: 'amqp.publish', kind: 'queue', module: /^(amqplib|amqplib\/callback_api|amqp-connection-manager)$/, chain: /(^|\.)(publish|sendToQueue)$/ },
  { id: 'pg-boss.send', kind: 'queue', module: 'pg-boss', chain: /(^|\.)(send|sendAfter|sendThrottled|sendDebounced|insert)$/ },
  { id: 'pubsub.publish', kind: 'event', module: '@google-cloud/pubsub', chain: /(^|\.)(publish|publishMessage)$/ },
  { id: 'inngest.send', kind: 'event', module: 'inngest', chain: /(^|\.)send$/, refine: 'dedup-id' },
  { id: 'qstash.publish', kind: 'queue', module: /^@upstash\/(qstash|workflow)(\/.*)?$/, chain: /(^|\.)(publish|publishJSON|batch|batchJSON|enqueue|enqueueJSON|trigger)$/, refine: 'dedup-id' },
  { id: 'trigger.dev', kind: 'queue', module: /^@trigger\.dev\/sdk(\/.*)?$/, chain: /(^|\.)(trigger|batchTrigger|triggerAndWait|batchTriggerAndWait)$/, refine: 'dedup-id' },
  { id: 'temporal.start', kind: 'queue', module: '@temporalio/client', chain: /(^|\.)workflow\.(start|signalWithStart|execute)$/, refine: 'dedup-id' },

  // Webhooks as a service (Svix): a message is delivered once per call unless it carries an idempotency
  // key; a second endpoint or integration is added per call; updates replace.
  { id: 'svix.message', kind: 'webhook', module: 'svix', chain: /(^|\.)message\.create$/ },
  { id: 'svix.create', kind: 'db-create', module: 'svix', chain: /(^|\.)(endpoint|integration)\.create$/ },
  { id: 'svix.update', kind: 'db-update', module: 'svix', chain: /(^|\.)(endpoint|application|integration|eventType)\.(update|patch)$/ },
  { id: 'svix.delete', kind: 'db-delete', module: 'svix', chain: /(^|\.)(endpoint|application|integration|eventType)\.delete$/ },

  // --- Analytics and event stores that append a row per call.
  { id: 'clickhouse.insert', kind: 'db-append', module: '@clickhouse/client', chain: /(^|\.)insert$/, impact: 'medium' },
  // Tinybird through zod-bird: `const ingest = tb.buildIngestEndpoint({ datasource })`, then `ingest(event)`.
  { id: 'tinybird.ingest', kind: 'db-append', module: '@chronark/zod-bird', chain: /(^|\.)buildIngestEndpoint$/, impact: 'medium' },
  { id: 'bigquery.insert', kind: 'db-append', module: '@google-cloud/bigquery', chain: /(^|\.)table\.insert$/, impact: 'medium' },
  { id: 'segment.track', kind: 'event', module: /^(@segment\/analytics-node|analytics-node)$/, chain: /(^|\.)(track|identify|group)$/, impact: 'medium' },
  // Langfuse scores (user feedback on an LLM answer) are stored one per call; traces are telemetry, not listed.
  { id: 'langfuse.score', kind: 'db-append', module: /^(langfuse|langfuse-node|@langfuse\/client)$/, chain: /(^|\.)score(\.create)?$/, impact: 'medium' },

  // --- Outbound HTTP that mutates another system.
  { id: 'fetch', kind: 'http-mutation', module: /^(global|node-fetch|cross-fetch|undici)$/, chain: /^(fetch|default)?$/, refine: 'http-method-option' },
  { id: 'undici.request', kind: 'http-mutation', module: 'undici', chain: /^request$/, refine: 'http-method-option' },
  { id: 'http-client.verb', kind: 'http-mutation', module: HTTP_CLIENTS, chain: /(^|\.)(post|put|patch|delete)$/, refine: 'webhook-url' },
  { id: 'http-client.request', kind: 'http-mutation', module: HTTP_CLIENTS, chain: /^((create\.)?request)?$/, refine: 'http-config' },

  // --- Storage and files
  { id: 's3.put', kind: 'storage-write', module: /^@aws-sdk\/(client-s3|lib-storage)$/, chain: /(^|\.)(PutObjectCommand|CopyObjectCommand|CreateMultipartUploadCommand|Upload)$/, refine: 'object-key' },
  // The v3 aggregated client: `new S3({…}).putObject({ Bucket, Key, Body })`.
  { id: 's3.client', kind: 'storage-write', module: '@aws-sdk/client-s3', chain: /(^|\.)S3\.(putObject|copyObject|createMultipartUpload)$/, refine: 'object-key' },
  { id: 's3.v2', kind: 'storage-write', module: 'aws-sdk', chain: /(^|\.)S3\.(putObject|upload|copyObject)$/, refine: 'object-key' },
  // MinIO's client (and Nest wrappers that hand it out): putObject(bucket, key, data).
  { id: 'minio.put', kind: 'storage-write', module: /^(minio|nestjs-minio-client|nestjs-minio)$/, chain: /(^|\.)(putObject|fPutObject|copyObject|composeObject)$/, refine: 'object-key-argument' },
  // Vercel Blob: put(pathname, body, { addRandomSuffix, allowOverwrite }).
  { id: 'vercel-blob.put', kind: 'storage-write', module: '@vercel/blob', chain: /^(put|copy)$/, refine: 'blob-put' },
  { id: 'gcs.save', kind: 'storage-write', module: '@google-cloud/storage', chain: /(^|\.)(file\.save|upload|createWriteStream)$/ },
  { id: 'fs.write', kind: 'file-write', module: /^(fs|fs\/promises|fs-extra)$/, chain: /(^|\.)(writeFile|writeFileSync|createWriteStream|outputFile|writeJson|writeJSON|copyFile|rename)$/, refine: 'file-path' },
  { id: 'multer.upload', kind: 'file-write', module: 'multer', chain: /(^|\.)(single|array|fields|any)$/, refine: 'multer-storage', middleware: true },

  // --- Sessions kept in a store: a login creates one more stored session each time it runs.
  { id: 'passport.authenticate', kind: 'token-rotation', module: 'passport', chain: /^authenticate$/, refine: 'passport-session', middleware: true, persistsWith: SESSION_STORES },
  { id: 'fs.append', kind: 'db-append', module: /^(fs|fs\/promises|fs-extra)$/, chain: /(^|\.)(appendFile|appendFileSync)$/, impact: 'medium' },
];

/**
 * A field of the request set by the handler that a package persists: `req.session.userId = user.id`
 * with a session middleware and a server-side store is a login kept as one more stored session.
 */
export interface RequestFieldRule {
  id: string;
  kind: WriteKind;
  /** The path below the request (`session.userId`). */
  field: RegExp;
  /** The package that keeps the field; the scanned package must depend on it. */
  addedBy: RegExp;
  /** What persists it: a store package, or (`projectStore`) a store class the project writes itself. */
  persistsWith: RegExp;
  projectStore?: RegExp;
}

export const REQUEST_FIELD_WRITES: readonly RequestFieldRule[] = [
  {
    id: 'session.login',
    kind: 'token-rotation',
    field: /^session\.(user|userId|user_id|uid|member|memberId|account|accountId|authUser|identity|loggedIn|isLoggedIn|authenticated|isAuthenticated)$/,
    addedBy: /^(express-session|@fastify\/session)$/,
    persistsWith: SESSION_STORES,
    // `class KnexSessionStore implements SessionStore`, `class PgStore extends session.Store`.
    projectStore: /\bclass\s+\w+\s+(?:implements\s+(?:\w+\.)?SessionStore\b|extends\s+(?:\w+\.)?Store\b)/,
  },
];

export const REQUEST_METHOD_WRITES: readonly RequestMethodRule[] = [
  { id: 'passport.login', kind: 'token-rotation', method: /^(logIn|login)$/, addedBy: /^(passport|@fastify\/passport)$/, persistsWith: SESSION_STORES },
];
