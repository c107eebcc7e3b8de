import { STATUS_CODES } from 'node:http'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'

/** An error a route throws on purpose, with the status it means (404, 409, ...). */
export class HttpError extends Error {
  readonly statusCode: number

  constructor(statusCode: number, message: string) {
    super(message)
    this.statusCode = statusCode
  }
}

/** One reason a request failed validation. */
export interface ValidationDetail {
  readonly location: string
  readonly path: string
  readonly message: string
}

/**
 * A well-formed request whose content the database rejects (an owner_id naming no user):
 * answered like a schema violation, 422 with the offending field.
 */
export class UnprocessableError extends HttpError {
  readonly details: readonly ValidationDetail[]

  constructor(detail: ValidationDetail) {
    super(422, `${detail.location}${detail.path} ${detail.message}`)
    this.details = [detail]
  }
}

/**
 * Turns every error into a JSON response of the documented shape (`Error`, `ValidationError`):
 *
 * - a request that does not match its route's schema: 422 Unprocessable Entity, naming the
 *   offending field (FastAPI's convention; Fastify's default is 400, which clients cannot tell
 *   apart from a malformed request);
 * - an HttpError or a client error Fastify raised itself (bad JSON, wrong content type, body
 *   too large): its own status and message;
 * - anything else: logged, and answered with a bare 500 — a database error's text can name
 *   tables, constraints or values, which are nobody's business outside.
 */
export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error.validation !== undefined) {
    const location = error.validationContext ?? 'body'
    const details: ValidationDetail[] = error.validation.map((problem) => {
      const path = problemPath(problem.instancePath, problem.params)
      return { location, path, message: problemMessage(problem.message, problem.params) }
    })
    const first = details[0]
    return reply.code(422).send({
      statusCode: 422,
      error: STATUS_CODES[422],
      message:
        first === undefined ? 'invalid request' : `${location}${first.path} ${first.message}`,
      details,
    })
  }
  if (error instanceof UnprocessableError) {
    return reply.code(422).send({
      statusCode: 422,
      error: STATUS_CODES[422],
      message: error.message,
      details: error.details,
    })
  }
  const status = error.statusCode ?? 500
  if (status < 500) {
    return reply
      .code(status)
      .send({ statusCode: status, error: STATUS_CODES[status], message: error.message })
  }
  request.log.error({ err: error }, 'request failed')
  return reply.code(500).send({
    statusCode: 500,
    error: STATUS_CODES[500],
    message: 'internal error; the server log has the details',
  })
}

/** The JSON pointer of the offending value; for a missing or unknown property, that property. */
function problemPath(instancePath: string, params: Record<string, unknown>): string {
  const property = params.missingProperty ?? params.additionalProperty
  return typeof property === 'string' ? `${instancePath}/${property}` : instancePath
}

function problemMessage(message: string | undefined, params: Record<string, unknown>): string {
  if (typeof params.additionalProperty === 'string') return 'is not a known property'
  if (typeof params.missingProperty === 'string') return 'is required'
  return (message ?? 'is invalid').replaceAll('"', "'")
}
