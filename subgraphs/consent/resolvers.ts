import { forbidden } from '../shared/request-identity.js';
import { isoDate } from '../shared/iso-date.js';
import type { Resolvers } from './generated/resolvers-types.js';
import { consentIsActive, exceptionalDisclosureIsActive, trusteeGrantIsActive } from './store.js';
import { consentActivityReport, exceptionalDisclosureReport } from './consent-reports.js';
import {
  closeExceptionalDisclosure,
  grantTrusteeAccess,
  openExceptionalDisclosure,
  recordConsent,
  recordDecisionNotToShare,
  revokeTrusteeAccess,
  withdrawConsent,
} from './consent-writes.js';
import {
  completeSubjectAccessRequest,
  extendSubjectAccessRequest,
  listSubjectAccessRequests,
  logSubjectAccessRequest,
  subjectAccessRegisterPage,
  subjectAccessRequestIsOverdue,
} from './subject-access-requests.js';
import { decisionsNotToSharePage } from './decisions-not-to-share.js';

const subject = (subjectClientId: string) => ({ id: subjectClientId });

export const consentResolvers: Resolvers = {
  Mutation: {
    // Who may record one, and for whom, is checked before it gets here (shield/policy.ts).
    recordConsent: (_parent, args, ctx) => {
      return recordConsent(ctx.store.db, args, ctx.now, ctx.requestId);
    },
    withdrawConsent: async (_parent, { consentId }, ctx) => {
      const { principal } = ctx;
      const consent = await ctx.store.consentById.load(consentId);
      if (!consent || (principal.role === 'service_user' && consent.subjectClientId !== principal.sub)) throw forbidden();
      return withdrawConsent(ctx.store.db, consent, ctx.now);
    },
    openExceptionalDisclosure: (_parent, args, ctx) => {
      const { principal } = ctx;
      return openExceptionalDisclosure(
        ctx.store.db,
        { ...args, openedByStaffId: principal.sub },
        ctx.now,
        ctx.exceptionalDisclosureMaxHours,
        ctx.exceptionalDisclosureDefaultHours,
      );
    },
    closeExceptionalDisclosure: async (_parent, { id }, ctx) => {
      const record = await ctx.store.exceptionalById.load(id);
      if (!record) throw forbidden();
      return closeExceptionalDisclosure(ctx.store.db, record, ctx.now);
    },
    grantTrusteeAccess: (_parent, args, ctx) => {
      const { principal } = ctx;
      return grantTrusteeAccess(ctx.store.db, { ...args, grantedByStaffId: principal.sub }, ctx.now);
    },
    revokeTrusteeAccess: async (_parent, { id }, ctx) => {
      const grant = await ctx.store.grantById.load(id);
      if (!grant) throw forbidden();
      return revokeTrusteeAccess(ctx.store.db, grant, ctx.now);
    },
    logSubjectAccessRequest: (_parent, { subjectId, receivedOn }, ctx) => {
      const { principal } = ctx;
      return logSubjectAccessRequest(ctx.store.db, { subjectId, receivedOn, loggedByStaffId: principal.sub }, ctx.now);
    },
    completeSubjectAccessRequest: async (_parent, { id }, ctx) => {
      const request = await ctx.store.subjectAccessRequestById.load(id);
      if (!request) throw forbidden();
      return completeSubjectAccessRequest(ctx.store.db, request, ctx.now);
    },
    extendSubjectAccessRequest: async (_parent, { id, months, reason, personToldOn }, ctx) => {
      const request = await ctx.store.subjectAccessRequestById.load(id);
      if (!request) throw forbidden();
      return extendSubjectAccessRequest(ctx.store.db, request, { months, reason, personToldOn, extendedByStaffId: ctx.principal.sub }, ctx.now);
    },
    // Who may record one, and about whom (a team manager: their team's clients), is checked before it gets here.
    recordDecisionNotToShare: (_parent, args, ctx) => {
      return recordDecisionNotToShare(ctx.store.db, { ...args, decidedByStaffId: ctx.principal.sub }, ctx.now);
    },
  },
  Query: {
    consentsForSubject: (_parent, { subjectId }, ctx) => {
      return ctx.store.consentsBySubject.load(subjectId);
    },
    // The client's circle is checked at the gateway before forwarding (this store holds no client
    // record); a service user's own record is checked again here by the policy guard.
    consentsPage: (_parent, { subjectId, first, after }, ctx) => ctx.store.consentsPage(subjectId, first, after),
    consentActivityReport: (_parent, { period }, ctx) => {
      return consentActivityReport(ctx.store.db, period, ctx.reports);
    },
    exceptionalDisclosureReport: (_parent, { period }, ctx) => {
      return exceptionalDisclosureReport(ctx.store.db, period, ctx.reports);
    },
    exceptionalDisclosures: (_parent, { activeOnly }, ctx) => {
      return ctx.store.exceptionalDisclosures(activeOnly, ctx.now);
    },
    subjectAccessRequests: (_parent, { overdueOnly }, ctx) => {
      return listSubjectAccessRequests(ctx.store.db, overdueOnly, ctx.now);
    },
    subjectAccessRequest: async (_parent, { id }, ctx) => {
      return ctx.store.subjectAccessRequestById.load(id);
    },
    subjectAccessRegister: async (_parent, { filter, first, after }, ctx) => {
      const cursor = after ? await ctx.store.subjectAccessRequestById.load(after) : undefined;
      if (after && !cursor) throw forbidden();
      return subjectAccessRegisterPage(ctx.store.db, { filter, first, after: cursor }, ctx.now);
    },
    decisionsNotToShare: async (_parent, { first, after }, ctx) => {
      const cursor = after ? await ctx.store.decisionNotToShareById.load(after) : undefined;
      if (after && !cursor) throw forbidden();
      return decisionsNotToSharePage(ctx.store.db, { first, after: cursor });
    },
    myGrantedRecords: async (_parent, _args, ctx) => {
      return (await ctx.store.grantedTo(ctx.principal.sub, ctx.now)).map(subject);
    },
  },
  Client: {
    // The consent store holds no client record: any client id it is asked about is one it may hold consents for.
    __resolveReference: (ref) => ({ id: ref.id }),
    consents: (client, _args, ctx) => ctx.store.consentsBySubject.load(client.id),
    disclosures: (client, _args, ctx) => ctx.store.disclosuresBySubject.load(client.id),
    exceptionalDisclosures: (client, _args, ctx) => ctx.store.exceptionalBySubject.load(client.id),
    trusteeGrants: (client, _args, ctx) => ctx.store.grantsBySubject.load(client.id),
  },
  SubjectAccessRequest: {
    __resolveReference: (ref, ctx) => ctx.store.subjectAccessRequestById.load(ref.id),
    id: (request) => request._id,
    subject: (request) => subject(request.subjectClientId),
    status: (request) => (request.completedAt == null ? 'OPEN' : 'COMPLETED'),
    overdue: (request, _args, ctx) => subjectAccessRequestIsOverdue(request, ctx.now),
    loggedBy: (request) => ({ id: request.loggedByStaffId }),
    completedAt: (request) => (request.completedAt ? isoDate(request.completedAt) : null),
    export: (request) => ({ id: request.subjectClientId }),
    originalDueOn: (request) => request.extension?.originalDueOn ?? request.dueOn,
    extended: (request) => request.extension !== undefined,
    extension: (request) => request.extension ?? null,
  },
  SubjectAccessExtension: {
    extendedBy: (extension) => ({ id: extension.extendedByStaffId }),
    extendedAt: (extension) => isoDate(extension.extendedAt),
  },
  DecisionNotToShare: {
    __resolveReference: (ref, ctx) => ctx.store.decisionNotToShareById.load(ref.id),
    id: (decision) => decision._id,
    subject: (decision) => subject(decision.subjectClientId),
    decidedBy: (decision) => ({ id: decision.decidedByStaffId }),
    decidedAt: (decision) => isoDate(decision.decidedAt),
  },
  ExportedDecisionNotToShare: {
    decidedAt: (decision) => isoDate(decision.decidedAt),
  },
  // Reached only through a logged request (the DPO) or the clients subgraph's own-export entry (the person themself).
  SubjectAccessExport: {
    __resolveReference: (ref) => ({ id: ref.id }),
    consents: (person, _args, ctx) => ctx.store.consentsBySubject.load(person.id),
    disclosures: (person, _args, ctx) => ctx.store.disclosuresBySubject.load(person.id),
    exceptionalDisclosures: (person, _args, ctx) => ctx.store.exceptionalBySubject.load(person.id),
    decisionsNotToShare: (person, _args, ctx) => ctx.store.decisionsNotToShareBySubject.load(person.id),
  },
  ExportedConsent: {
    signedAt: (consent) => isoDate(consent.signedAt),
    validFrom: (consent) => isoDate(consent.validFrom),
    validUntil: (consent) => isoDate(consent.validUntil),
    withdrawnAt: (consent) => (consent.withdrawnAt ? isoDate(consent.withdrawnAt) : null),
  },
  ExportedDisclosure: {
    madeAt: (disclosure) => isoDate(disclosure.madeAt),
  },
  ExportedExceptionalDisclosure: {
    openedAt: (record) => isoDate(record.openedAt),
    expiresAt: (record) => isoDate(record.expiresAt),
    closedAt: (record) => (record.closedAt ? isoDate(record.closedAt) : null),
  },
  TrusteeGrant: {
    __resolveReference: (ref, ctx) => ctx.store.grantById.load(ref.id),
    id: (grant) => grant._id,
    subject: (grant) => subject(grant.subjectClientId),
    grantedBy: (grant) => ({ id: grant.grantedByStaffId }),
    grantedAt: (grant) => isoDate(grant.grantedAt),
    expiresAt: (grant) => isoDate(grant.expiresAt),
    revokedAt: (grant) => (grant.revokedAt ? isoDate(grant.revokedAt) : null),
    active: (grant, _args, ctx) => trusteeGrantIsActive(grant, ctx.now),
  },
  Consent: {
    __resolveReference: (ref, ctx) => ctx.store.consentById.load(ref.id),
    id: (consent) => consent._id,
    subject: (consent) => subject(consent.subjectClientId),
    signedAt: (consent) => isoDate(consent.signedAt),
    validFrom: (consent) => isoDate(consent.validFrom),
    validUntil: (consent) => isoDate(consent.validUntil),
    withdrawnAt: (consent) => (consent.withdrawnAt ? isoDate(consent.withdrawnAt) : null),
    active: (consent, _args, ctx) => consentIsActive(consent, ctx.now),
  },
  Disclosure: {
    __resolveReference: (ref, ctx) => ctx.store.disclosureById.load(ref.id),
    id: (disclosure) => disclosure._id,
    subject: (disclosure) => subject(disclosure.subjectClientId),
    madeAt: (disclosure) => isoDate(disclosure.madeAt),
    madeBy: (disclosure) => (disclosure.madeByStaffId ? { id: disclosure.madeByStaffId } : null),
  },
  ExceptionalDisclosure: {
    __resolveReference: (ref, ctx) => ctx.store.exceptionalById.load(ref.id),
    id: (record) => record._id,
    subject: (record) => subject(record.subjectClientId),
    openedBy: (record) => ({ id: record.openedByStaffId }),
    openedAt: (record) => isoDate(record.openedAt),
    expiresAt: (record) => isoDate(record.expiresAt),
    closedAt: (record) => (record.closedAt ? isoDate(record.closedAt) : null),
    active: (record, _args, ctx) => exceptionalDisclosureIsActive(record, ctx.now),
  },
};
