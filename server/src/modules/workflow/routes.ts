import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorReply } from '@nabij/shared/api/errors'
import { AssignBody, DueBody, ReopenBody, ReopenReply, ReportRefParams, StatusChangeBody, TeamReply, WorkflowState } from '@nabij/shared/api/workflow'
import type { ModuleOptions } from '../../app.js'
import { requireStaff } from '../../plugins/auth.js'
import { residentReportOf } from '../reports/resident-token.js'
import { assign, changeStatus, reopenByReporter, reportTeam, reportWorkflow, setDue, workRoles } from './service.js'

const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, ErrorReply]))
const tags = ['staff']

/** Status transitions, assignment and due dates (/api/staff/reports/:ref/…), and the reporter's reopen. */
export const workflowRoutes: FastifyPluginAsyncTypebox<ModuleOptions> = async (app, { config, db }) => {
  app.get('/staff/reports/:ref/workflow', {
    schema: { tags, summary: "A report's workflow state: status, assignment, due date, promised response time and lateness", params: ReportRefParams, response: { 200: WorkflowState, ...errors(401, 403, 404) } },
    preHandler: requireStaff(),
  }, async (req) => reportWorkflow(db, req.staff!, req.params.ref))

  app.post('/staff/reports/:ref/status', {
    schema: {
      tags,
      summary: 'Move a report to another status; closing needs a close reason and a public answer',
      params: ReportRefParams,
      body: StatusChangeBody,
      response: { 200: WorkflowState, ...errors(400, 401, 403, 404, 409) },
    },
    preHandler: requireStaff(...workRoles),
  }, async (req) => changeStatus(db, req.staff!, req.params.ref, req.body))

  app.get('/staff/reports/:ref/team', {
    schema: { tags, summary: 'Who can take the report over: the officers of its zone', params: ReportRefParams, response: { 200: TeamReply, ...errors(401, 403, 404) } },
    preHandler: requireStaff(),
  }, async (req) => reportTeam(db, req.staff!, req.params.ref))

  app.post('/staff/reports/:ref/assign', {
    schema: { tags, summary: 'Assign the report to an officer of its zone, or unassign it (null)', params: ReportRefParams, body: AssignBody, response: { 200: WorkflowState, ...errors(400, 401, 403, 404, 422) } },
    preHandler: requireStaff(...workRoles),
  }, async (req) => assign(db, req.staff!, req.params.ref, req.body))

  app.post('/staff/reports/:ref/due', {
    schema: { tags, summary: 'Set or clear the due date of a report', params: ReportRefParams, body: DueBody, response: { 200: WorkflowState, ...errors(400, 401, 403, 404) } },
    preHandler: requireStaff(...workRoles),
  }, async (req) => setDue(db, req.staff!, req.params.ref, req.body))

  app.post('/followup/reopen', {
    schema: {
      tags: ['follow-up'],
      summary: 'The reporter reopens their closed report within 14 days, saying why (Authorization: Bearer <resident token>)',
      body: ReopenBody,
      response: { 200: ReopenReply, ...errors(400, 401, 404, 409) },
    },
  }, async (req) => reopenByReporter(db, residentReportOf(config, req.headers.authorization), req.body, req.language))
}
