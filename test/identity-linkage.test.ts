import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientDoc } from '../subgraphs/clients/documents.js';
import type { EmployeeDoc } from '../subgraphs/hr/documents.js';
import { PERSONAS } from '../seed/personas.js';
import type { Principal } from '../shield/roles.js';
import { shapeOf } from './support/response-shape.js';
import { startTestStack, type GraphQLResponseBody, type TestStack } from './support/test-stack.js';
import { dpo, dutyOfficer, hr, otherSupportWorker, police, reporting, safeguardingOfficer, teamManagerSouth, trustee } from './support/principals.js';

/**
 * docs/INVARIANTS.md#1 and the service-user employee scenario: nobody outside Sam's
 * designated circle (Sam's keyworker and team manager, and Sam) can connect Sam's employee
 * record with Sam's client record — alone or pooling what two roles got — through ids,
 * quasi-identifiers (date of birth, postcode, phone, NI number), errors, extensions,
 * ordering, counts or response sizes. The names are the same (it is the same person, and the
 * restricted notice shows a name); everything that could confirm the match is tested here.
 * The control at the end runs the same detector on a gateway without redaction and finds
 * the link, so these tests can fail.
 */

const outsiders: Principal[] = [hr, otherSupportWorker, teamManagerSouth, dutyOfficer, safeguardingOfficer, dpo, trustee, reporting, police];

const CLIENT_FIELDS = `id name dateOfBirth gender address { line1 town postcode } phone services status team { id name } keyworkers { id name workPhone }
  restriction { reason sealedNote contact { id name workPhone } } caseNotes { text } homeVisits { address { postcode } }
  consents { id purpose recipientOrganisation } disclosures { id } exceptionalDisclosures { id reason }`;
const EMPLOYEE_FIELDS = `id payrollNumber name dateOfBirth homeAddress { line1 town postcode } niNumber post { title } team { id name }
  lineManager { id name } startDate contract { type } absences { kind } training { course } dbsCheck { certificateNumber }`;

interface Gathered {
  principal: Principal;
  /** Answers from entry points into client data. */
  clientSide: GraphQLResponseBody[];
  /** Answers from entry points into employment data. */
  employeeSide: GraphQLResponseBody[];
}

/** Everything a principal can get that might concern Sam, through every entry point of the API. */
async function gather(t: TestStack, principal: Principal): Promise<Gathered> {
  const token = await t.token(principal);
  const ask = async ([query, variables]: [string, Record<string, unknown>?]) => (await t.query(token, query, variables)).body;
  const samClient = { id: t.idFor(principal, 'Client', PERSONAS.sam.clientId) };
  const clientSide: [string, Record<string, unknown>?][] = [
    [`query C($id: ID!) { client(id: $id) { ${CLIENT_FIELDS} } }`, samClient],
    [`{ myCaseload { ${CLIENT_FIELDS} } }`],
    [`{ homeVisitsInProgress { address { postcode } client { id name dateOfBirth } } }`],
    [`query K($id: ID!) { consentsForSubject(subjectId: $id) { id purpose subject { id name dateOfBirth } } }`, samClient],
    [`{ exceptionalDisclosures(activeOnly: false) { id subject { id name dateOfBirth phone } } }`],
  ];
  const employeeSide: [string, Record<string, unknown>?][] = [
    [`query E($id: ID!) { employee(id: $id) { ${EMPLOYEE_FIELDS} } }`, { id: t.idFor(principal, 'Employee', PERSONAS.sam.employeeId) }],
    [`query S($id: ID!) { staffMember(id: $id) { id name team { id name } workPhone } }`, { id: t.idFor(principal, 'StaffMember', PERSONAS.sam.staffId) }],
    [`{ employees(limit: 500) { ${EMPLOYEE_FIELDS} } }`],
    [`{ teams { id name manager { id name } } }`],
  ];
  return {
    principal,
    clientSide: await Promise.all(clientSide.map(ask)),
    employeeSide: await Promise.all(employeeSide.map(ask)),
  };
}

/**
 * Facts that would confirm the employee and the client are one person: a value of one record
 * (date of birth, any address part, phone, NI or payroll number) seen in what the client
 * data answered and also in what the employment data answered, or any raw id at all.
 */
function findLink(gathered: Gathered[], employee: EmployeeDoc, client: ClientDoc): string | undefined {
  const clientText = gathered.map((g) => JSON.stringify(g.clientSide)).join('\n');
  const employeeText = gathered.map((g) => JSON.stringify(g.employeeSide)).join('\n');
  for (const raw of [employee._id, employee.staffId, client._id]) {
    if (clientText.includes(`"${raw}"`) || employeeText.includes(`"${raw}"`)) return `raw id ${raw}`;
  }
  const facts = [
    client.dateOfBirth,
    client.address?.postcode,
    client.address?.line1,
    client.phone,
    employee.dateOfBirth,
    employee.homeAddress.postcode,
    employee.homeAddress.line1,
    employee.niNumber,
    employee.payrollNumber,
    employee.workPhone,
  ].filter((fact): fact is string => typeof fact === 'string' && fact.length >= 4);
  const linking = facts.filter((fact) => clientText.includes(fact) && employeeText.includes(fact));
  return linking.length > 0 ? `seen on both sides: ${[...new Set(linking)].join(', ')}` : undefined;
}

describe('Sam cannot be linked across HR and the client database', () => {
  let t: TestStack;
  let employee: EmployeeDoc;
  let client: ClientDoc;
  const gathered = new Map<string, Gathered>();

  beforeAll(async () => {
    t = await startTestStack();
    employee = (await t.db('hr').collection<EmployeeDoc>('employees').findOne({ _id: PERSONAS.sam.employeeId })) as EmployeeDoc;
    client = (await t.db('clients').collection<ClientDoc>('clients').findOne({ _id: PERSONAS.sam.clientId })) as ClientDoc;
    for (const principal of outsiders) gathered.set(`${principal.role}:${principal.sub}`, await gather(t, principal));
  });
  afterAll(async () => {
    await t.close();
  });

  it('the two records really share quasi-identifiers (the precondition)', () => {
    expect(employee.name).toBe(client.name);
    expect(employee.dateOfBirth).toBe(client.dateOfBirth);
  });

  it('no single outside role can link them', () => {
    for (const each of gathered.values()) expect(findLink([each], employee, client), `${each.principal.role}`).toBeUndefined();
  });

  it('no pair of outside roles pooling what they got can link them', () => {
    const all = [...gathered.values()];
    for (let i = 0; i < all.length; i += 1) {
      for (let j = i + 1; j < all.length; j += 1) {
        const [a, b] = [all[i] as Gathered, all[j] as Gathered];
        expect(findLink([a, b], employee, client), `${a.principal.role} + ${b.principal.role}`).toBeUndefined();
      }
    }
  });

  it('opaque ids never repeat across audiences, so no id joins two views', () => {
    const idsByAudience = new Map<string, Set<string>>();
    for (const each of gathered.values()) {
      const ids = new Set(JSON.stringify([each.clientSide, each.employeeSide]).match(/n1_[A-Za-z0-9_-]+/g) ?? []);
      idsByAudience.set(each.principal.role, ids);
    }
    const roles = [...idsByAudience.keys()];
    for (const a of roles) {
      for (const b of roles) {
        if (a === b || (['support_worker', 'team_manager'].includes(a) && ['support_worker', 'team_manager'].includes(b))) continue;
        const shared = [...(idsByAudience.get(a) ?? [])].filter((id) => idsByAudience.get(b)?.has(id));
        expect(shared, `${a} / ${b}`).toEqual([]);
      }
    }
  });

  it("HR's view of Sam is indistinguishable from its view of any other trainee: same fields, same errors", async () => {
    const trainees = await t.db('hr').collection<EmployeeDoc>('employees').find({ postId: 'post_trainee_support_worker' }).toArray();
    expect(trainees.length).toBeGreaterThan(1);
    const token = await t.token(hr);
    const shapes = [];
    for (const trainee of trainees) {
      const { body } = await t.query(token, `query E($id: ID!) { employee(id: $id) { ${EMPLOYEE_FIELDS} } }`, { id: t.idFor(hr, 'Employee', trainee._id) });
      expect(body.errors).toBeUndefined();
      shapes.push({ id: trainee._id, shape: shapeOf(body), extensions: (body as { extensions?: unknown }).extensions });
    }
    const sam = shapes.find((s) => s.id === PERSONAS.sam.employeeId);
    for (const other of shapes) {
      expect(other.shape).toEqual(sam?.shape);
      expect(other.extensions).toEqual(sam?.extensions);
    }
  });

  it("HR's list is ordered by payroll number alone, so Sam's place in it says nothing", async () => {
    const { body } = await t.query(await t.token(hr), '{ employees(limit: 500) { payrollNumber } }');
    const numbers = (body.data as { employees: { payrollNumber: string }[] }).employees.map((e) => e.payrollNumber);
    expect(numbers).toEqual([...numbers].sort());
    expect(numbers).toContain(employee.payrollNumber);
  });

  it("the outside view of Sam's client record answers like any other restricted client's", async () => {
    const outsider: Principal = otherSupportWorker;
    const token = await t.token(outsider);
    const ask = async (id: string) =>
      (await t.query(token, `query C($id: ID!) { client(id: $id) { ${CLIENT_FIELDS} } }`, { id: t.idFor(outsider, 'Client', id) })).body;
    const sam = await ask(PERSONAS.sam.clientId);
    const refuge = await ask(PERSONAS.refugeResident.clientId);
    expect(shapeOf(sam)).toEqual(shapeOf(refuge));
    // Same error count and codes; sizes differ only by the name's length.
    expect(JSON.stringify(sam).length - PERSONAS.sam.name.length).toBe(JSON.stringify(refuge).length - PERSONAS.refugeResident.name.length);
  });

  it('the control: without redaction the same detector links the two records', async () => {
    const open = await startTestStack({ redaction: false });
    try {
      const pooled = [await gather(open, hr), await gather(open, otherSupportWorker)];
      expect(findLink(pooled, employee, client)).toBeDefined();
    } finally {
      await open.close();
    }
  });
});
