import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fastifyStatic from '@fastify/static';
import { getAbsoluteFSPath } from 'swagger-ui-dist';
import type { GatewayConfig } from './config';
import { buildOpenApiDocument } from './openapi/openapi';
import { ProblemFilter } from './http/problem.filter';
import { registerHttpProtection } from './protection/http-protection';
import { GatewayRouter } from './routes/router';

/** Mounts authentication, the protections, the route table, the OpenAPI document and its UI on the gateway's Fastify. */
export async function configureGateway(app: NestFastifyApplication, config: GatewayConfig): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  const router = app.get(GatewayRouter);
  // Authentication first: the rate limiter counts signed-in callers per user.
  router.registerAuthentication(fastify);
  await registerHttpProtection(app, config);
  router.register(fastify);
  app.useGlobalFilters(new ProblemFilter(router));
  const document = buildOpenApiDocument({ devTokens: config.DEV_TOKENS_ENABLED });
  fastify.get('/api/openapi.json', async () => document);
  await app.register(fastifyStatic, { root: getAbsoluteFSPath(), prefix: '/api/docs/assets/', decorateReply: false });
  fastify.get('/api/docs', async (_request, reply) => reply.type('text/html; charset=utf-8').send(DOCS_PAGE));
  // A file, not an inline script, so the content security policy can forbid inline scripts.
  fastify.get('/api/docs/init.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').send(DOCS_INIT));
}

/** Swagger UI from the swagger-ui-dist package, served by the gateway itself (no CDN). */
const DOCS_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Civil-affairs platform API</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head><body><div id="ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script></body></html>`;

const DOCS_INIT = `window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#ui' });\n`;
