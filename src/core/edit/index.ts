/**
 * Pure text edits the server makes to a document: its Status value and its Approvals entries,
 * by source range, never re-typing the rest.
 */
export { applyEdits, offsetRange } from './apply-edits.js';
export { statusEdits, statusLabel } from './status-edit.js';
export { approvalSlotEdits } from './approvals-edit.js';
