/** The block pass: see scan-blocks.ts. */
export { scanBlocks, type BlockScan } from './scan-blocks.js';
export { buildLineTable, type LineTable } from './line-table.js';
