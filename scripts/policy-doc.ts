import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { POLICY_DOCUMENT_PATH, renderPolicyDocument } from '../shield/policy-document.js';

// `npm run policy:doc`: writes the policy document a DPO signs off; a test and CI fail when it is stale.
try {
  mkdirSync(dirname(POLICY_DOCUMENT_PATH), { recursive: true });
  writeFileSync(POLICY_DOCUMENT_PATH, renderPolicyDocument());
  console.log(`wrote ${POLICY_DOCUMENT_PATH}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
