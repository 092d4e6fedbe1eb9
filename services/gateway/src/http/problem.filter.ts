import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { GatewayRouter } from '../routes/router';

/**
 * Everything that escapes a route (unknown path, unparsable or oversized body) leaves as RFC 9457
 * problem details too, never as a framework default page.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(private readonly router: GatewayRouter) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    if (exception instanceof HttpException && exception.getStatus() === 404) {
      this.router.sendError(reply, request, { code: 'NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0] ?? ''}` });
      return;
    }
    const status = exception instanceof HttpException ? exception.getStatus() : (exception as FastifyError).statusCode;
    this.router.sendError(reply, request, this.router.httpErrorBody({ ...(exception as FastifyError), statusCode: status, message: (exception as Error).message, code: (exception as FastifyError).code }));
  }
}
