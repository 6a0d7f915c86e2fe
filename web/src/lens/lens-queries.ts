import { graphql } from '../generated/gql.js';

/** What the role lens asks, each under the token of the role whose view it shows. */

export const LensClient = graphql(`
  query LensClient($id: ID!) {
    client(id: $id) {
      id
      name
      dateOfBirth
      gender
      phone
      address {
        line1
        town
        postcode
      }
      services
      status
      team {
        name
      }
      keyworkers {
        name
      }
      restriction {
        reason
        contact {
          name
          workPhone
        }
      }
      caseNotes {
        recordedAt
      }
      consents {
        recipientOrganisation
        active
      }
    }
  }
`);

export const LensMyCaseload = graphql(`
  query LensMyCaseload {
    myCaseload {
      id
      name
    }
  }
`);

export const LensEmployees = graphql(`
  query LensEmployees($offset: Int!) {
    employees(limit: 100, offset: $offset) {
      id
      name
    }
  }
`);

export const LensEmployee = graphql(`
  query LensEmployee($id: ID!) {
    employee(id: $id) {
      id
      name
      dateOfBirth
      payrollNumber
      post {
        title
      }
      team {
        name
      }
      startDate
      lineManager {
        name
      }
      contract {
        type
        hoursPerWeek
      }
      dbsCheck {
        status
      }
    }
  }
`);

export const LensVisits = graphql(`
  query LensVisits {
    homeVisitsInProgress {
      startedAt
      client {
        name
      }
      address {
        line1
        town
        postcode
      }
    }
  }
`);
