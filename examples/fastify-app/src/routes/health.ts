import type { FastifyPluginAsync } from 'fastify'
import type { RevisionStatusCheck } from '../db/revision-status.ts'

const healthSchema = {
  type: 'object',
  required: ['status', 'revisions', 'heads', 'at_head', 'pending'],
  properties: {
    status: {
      type: 'string',
      enum: ['ok', 'not at head', 'database unavailable'],
    },
    revisions: {
      type: 'array',
      items: { type: 'string' },
      description: 'The database’s revisions (one per applied branch head); [] is base',
    },
    heads: {
      type: 'array',
      items: { type: 'string' },
      description: 'The head revisions of the migrations this code ships',
    },
    at_head: { type: 'boolean' },
    pending: { type: 'array', items: { type: 'string' }, description: 'Migrations not applied' },
  },
} as const

export interface HealthRoutesOptions {
  readonly revisionStatus: RevisionStatusCheck
}

/**
 * GET /health: 200 when the database is reachable and at the migrations' head, 503 otherwise,
 * so a load balancer stops sending traffic to an instance whose code and schema disagree.
 */
export const healthRoutes: FastifyPluginAsync<HealthRoutesOptions> = async (app, options) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['health'],
        summary: 'Database revision and whether it is at head',
        response: {
          200: { description: 'At head', ...healthSchema },
          503: { description: 'Not at head, or the database is unreachable', ...healthSchema },
        },
      },
    },
    async (request, reply) => {
      try {
        const status = await options.revisionStatus()
        return reply.code(status.atHead ? 200 : 503).send({
          status: status.atHead ? 'ok' : 'not at head',
          revisions: status.current,
          heads: status.heads,
          at_head: status.atHead,
          pending: status.pending,
        })
      } catch (error) {
        request.log.warn({ err: error }, 'health check cannot read the database revision')
        return reply.code(503).send({
          status: 'database unavailable',
          revisions: [],
          heads: [],
          at_head: false,
          pending: [],
        })
      }
    },
  )
}
