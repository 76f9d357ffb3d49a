/** Bulk operations from CSV files: resumable issuance with a write-ahead journal. Node only. */
export {
  columnsFor,
  csvCell,
  csvLine,
  csvTemplate,
  decodeCsvBytes,
  listSeparator,
  parseCsv,
  recordToSubject,
  rowIssueText,
} from './csv.js';
export type { CsvRecord, CsvTable, RowIssue } from './csv.js';
export { BatchJournal, journalFileName } from './journal.js';
export type { JournalHeader, SignedEntry } from './journal.js';
export {
  checkBatchInput,
  conflictIssues,
  findBatchConflicts,
  issueBatchResumable,
  jwtFileOf,
  readBatchInput,
  resultCsvName,
  rowIssuesCsvName,
  writeRowIssuesCsv,
} from './issuance-batch.js';
export type {
  BatchInput,
  BatchIssuer,
  BatchOptions,
  BatchPhase,
  BatchProgress,
  BatchResult,
  RowConflict,
  ValidRow,
} from './issuance-batch.js';
export { anchorRecordOf, credentialSigner, registryAnchor } from './steps.js';
export type { SigningOptions } from './steps.js';
